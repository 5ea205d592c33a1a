// MstlModel: R's forecast::stlf over several periods. The history is decomposed by MSTL;
// each seasonal component repeats its last cycle (seasonal naive), the seasonally
// adjusted series (trend + remainder) is forecast by a non-seasonal method, and the two
// are added. Also the Theta method it uses by default for the adjusted series.
// Thread-safe (stateless). The essay is in mstl.cc. Tested by mstl_test.cc.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/decomposition.h"
#include "prescient/forecast/model.h"

namespace prescient::forecast {

// How the seasonally adjusted series is forecast.
enum class AdjustedMethod {
  kEts,         // Non-seasonal ETS chosen by AICc: R's stlf. As accurate, ~8x slower.
  kDampedHolt,  // ETS(A,Ad,N).
  kTheta,       // SES with drift (Assimakopoulos & Nikolopoulos 2000). See mstl.cc.
};

// Theta ties automatic ETS on M4 hourly and is the only one under 1 ms (mstl.cc).
inline constexpr AdjustedMethod kDefaultAdjustedMethod = AdjustedMethod::kTheta;

struct MstlModelOptions {
  AdjustedMethod adjusted_method = kDefaultAdjustedMethod;
  // With a Box-Cox lambda the forecast is transformed back (the median) and has no sd;
  // on a history with values <= 0 the transform is skipped with a note.
  MstlOptions decomposition = {};
};

class MstlModel final : public Model {
 public:
  explicit MstlModel(MstlModelOptions options = {});
  std::string_view name() const override { return "mstl"; }
  // Periods MSTL cannot use (fewer than two cycles) are dropped with a note; with none
  // left this is the adjusted-series method alone. InvalidArgument on a broken invariant
  // (empty or non-finite history, horizon < 1, period < 2).
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;

 private:
  MstlModelOptions options_;
};

// A non-seasonal forecast: mean and model standard deviation per step.
struct NonSeasonalForecast {
  std::vector<double> mean;
  std::vector<double> sd;  // Empty when the history is too short to estimate it.
  std::string description;
};

// Theta method as Hyndman & Billah (2003) state it (R's forecast::thetaf without its
// seasonal adjustment): SES, alpha by golden-section search on the one-step SSE, plus a
// drift of half the least-squares slope of y. InvalidArgument if y is empty or horizon < 1.
Result<NonSeasonalForecast> ThetaForecast(std::span<const double> y, int horizon);

}  // namespace prescient::forecast
