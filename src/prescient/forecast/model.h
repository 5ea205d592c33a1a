// Model: one forecasting method, as a pure function from a gap-free history to point
// forecasts. Models keep no state between calls, so one instance may serve many threads,
// and the rolling-origin backtests (auto selection, interval calibration) can refit a
// model on any prefix of the history.
// Implementations are thread-safe. Tested by each model's _test.cc.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::forecast {

struct ModelForecast {
  std::vector<double> mean;  // `horizon` point forecasts, one step apart.
  // Optional model-based standard deviation of the forecast error per step (same length as
  // mean, or empty). Used for intervals only when the history is too short to calibrate
  // on out-of-sample errors.
  std::vector<double> sd;
  std::string description;  // What was fitted, e.g. "ETS(M,Ad,M)" or "MSTL(24,168)+ETS(A,N,N)".
  std::vector<std::string> notes;  // Fallbacks taken, said to the user on stderr.
};

class Model {
 public:
  virtual ~Model() = default;
  // Stable short name used on the command line: "snaive", "ets", ...
  virtual std::string_view name() const = 0;
  // `history` has no missing values and at least one point. `periods` are the seasonal
  // periods in steps, ascending, each >= 2 (may be empty). `horizon` >= 1.
  // A model that cannot use the history as it is (too short for its seasons, say) falls
  // back to a simpler form and says so in `notes`; it fails only on a broken invariant.
  virtual Result<ModelForecast> Forecast(std::span<const double> history,
                                         std::span<const int> periods, int horizon) const = 0;

  // Forecasts from several origins of one history at once: result[k] is what
  // Forecast(history.first(origins[k]), periods, horizon) returns. Backtests call this; a
  // model that can share work between origins overrides it (the default just loops).
  virtual Result<std::vector<ModelForecast>> ForecastFromOrigins(std::span<const double> history,
                                                                 std::span<const int> periods,
                                                                 std::span<const size_t> origins,
                                                                 int horizon) const {
    std::vector<ModelForecast> out;
    for (size_t origin : origins) {
      Result<ModelForecast> f = Forecast(history.first(origin), periods, horizon);
      if (!f.ok()) return f.status();
      out.push_back(std::move(f).value());
    }
    return out;
  }
};

}  // namespace prescient::forecast
