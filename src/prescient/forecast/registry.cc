#include "prescient/forecast/registry.h"

#include "prescient/forecast/auto_model.h"
#include "prescient/forecast/ets.h"
#include "prescient/forecast/mstl.h"
#include "prescient/forecast/naive.h"
#include "prescient/forecast/prophet.h"
#include "prescient/forecast/seasonal_ar.h"

namespace prescient::forecast {

const std::vector<std::string_view>& ModelNames() {
  static const std::vector<std::string_view> kNames = {
      "auto", "naive", "snaive", "snaive-long", "naive2", "ets", "mstl", "prophet", "sar"};
  return kNames;
}

std::unique_ptr<Model> MakeModel(std::string_view name) {
  if (name == "auto") return std::make_unique<AutoModel>();
  if (name == "naive") return std::make_unique<NaiveModel>();
  if (name == "snaive") return std::make_unique<SeasonalNaiveModel>();
  if (name == "snaive-long") {
    return std::make_unique<SeasonalNaiveModel>(SeasonalNaiveOptions{.use_longest_period = true});
  }
  if (name == "naive2") return std::make_unique<Naive2Model>();
  if (name == "ets") return std::make_unique<EtsModel>(EtsOptions{});
  if (name == "mstl") return std::make_unique<MstlModel>();
  if (name == "prophet") return std::make_unique<ProphetModel>();
  if (name == "sar") return std::make_unique<SeasonalArModel>();
  return nullptr;
}

}  // namespace prescient::forecast
