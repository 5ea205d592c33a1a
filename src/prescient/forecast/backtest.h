// Rolling-origin backtests on a series' own history: refit each model on prefixes of the
// history and record what it forecast for the points that followed. The errors serve two
// purposes: `auto` ranks and combines models by them, and prediction intervals are
// calibrated on them (intervals.h), so both rest on out-of-sample evidence only.
// Pure functions, thread-safe. Tested by intervals_test.cc and auto_model_test.cc.
#pragma once

#include <span>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/model.h"

namespace prescient::forecast {

inline constexpr int kDefaultBacktestWindows = 4;

struct BacktestOptions {
  int windows = kDefaultBacktestWindows;  // Number of forecast origins.
};

struct BacktestWindow {
  size_t origin = 0;  // Training uses history[0, origin); the test is [origin, origin + length).
  int length = 0;
  double scale = 1;  // Level of the training data near the origin; errors are divided by it.
};

struct BacktestResult {
  std::vector<BacktestWindow> windows;
  // forecasts[m][w]: model m's forecast for window w (windows[w].length values).
  std::vector<std::vector<std::vector<double>>> forecasts;
  // Actual values of each window.
  std::vector<std::vector<double>> actuals;

  bool empty() const { return windows.empty(); }
  // Scaled errors (actual - forecast) / scale of a forecast set, per window.
  std::vector<std::vector<double>> ScaledErrors(
      const std::vector<std::vector<double>>& forecasts_per_window) const;
  // Mean of 2|y - f| / (|y| + |f|) over all windows and steps (0 where both are 0;
  // non-finite forecasts count as the worst, 2).
  double MeanSymmetricError(const std::vector<std::vector<double>>& forecasts_per_window) const;
};

// The level scale used to make errors comparable across windows and with the final
// forecast: mean |y| over the last `span` points (at least a tiny positive number).
double LevelScale(std::span<const double> history, std::span<const int> periods);

// Plans the windows: test length min(horizon, n / 3), origins a half-length apart ending
// at the last point; none when the history is too short for even one.
std::vector<BacktestWindow> PlanWindows(std::span<const double> history,
                                        std::span<const int> periods, int horizon,
                                        const BacktestOptions& options);

// Runs every model on every window.
Result<BacktestResult> Backtest(std::span<const Model* const> models,
                                std::span<const double> history, std::span<const int> periods,
                                int horizon, const BacktestOptions& options);

}  // namespace prescient::forecast
