// SeasonalArModel ("sar"): a direct multi-horizon regression on seasonal lags.
// Thread-safe (stateless). Tested by seasonal_ar_test.cc.
#pragma once

#include "prescient/forecast/model.h"

namespace prescient::forecast {

inline constexpr double kDefaultSarRidge = 1e-6;

struct SeasonalArOptions {
  double ridge = kDefaultSarRidge;  // Ridge penalty relative to each feature's sum of squares.
  bool log_transform = true;        // On strictly positive data.
};

class SeasonalArModel final : public Model {
 public:
  explicit SeasonalArModel(SeasonalArOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "sar"; }
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;
  // Shares the regressions' Gram matrices between origins: the design rows do not depend
  // on the origin, only how many of them a prefix has, so one pass serves every prefix.
  Result<std::vector<ModelForecast>> ForecastFromOrigins(std::span<const double> history,
                                                         std::span<const int> periods,
                                                         std::span<const size_t> origins,
                                                         int horizon) const override;

 private:
  SeasonalArOptions options_;
};

}  // namespace prescient::forecast
