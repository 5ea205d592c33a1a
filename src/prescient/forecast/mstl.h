// MstlModel: R's forecast::stlf over several periods. The history is decomposed by MSTL;
// each seasonal component repeats its last cycle (seasonal naive), the seasonally
// adjusted series (trend + remainder) is forecast by a non-seasonal method, and the two
// are added. Also the two non-seasonal methods it can use (Theta, damped Holt).
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
  kEts,         // Non-seasonal ETS chosen by AICc (R's stlf default); see mstl.cc.
  kDampedHolt,  // ETS(A,Ad,N) fitted by least squares.
  kTheta,       // SES with drift (Assimakopoulos & Nikolopoulos 2000).
};

struct MstlModelOptions {
  AdjustedMethod adjusted_method = AdjustedMethod::kTheta;
  MstlOptions decomposition = {};  // Box-Cox lambda here: forecasts are transformed back.
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

// Additive damped-trend exponential smoothing, ETS(A,Ad,N): alpha, beta, phi by
// Nelder-Mead on the one-step SSE (phi in [0.8, 0.98] as R's ets); naive below 4 points.
Result<NonSeasonalForecast> DampedHoltForecast(std::span<const double> y, int horizon);

}  // namespace prescient::forecast
