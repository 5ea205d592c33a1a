// The forecasting front door: values with gaps in, point forecasts and calibrated
// prediction intervals out. It fills missing points, drops seasons the history cannot
// support (saying so), runs the named model or `auto`, and calibrates the intervals on
// the model's own out-of-sample backtest errors (intervals.h). A history that never goes
// below zero (counts, rates) gets a forecast and bands that do not either.
// Pure and thread-safe. Tested by forecaster_test.cc.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/backtest.h"
#include "prescient/forecast/intervals.h"

namespace prescient::forecast {

inline constexpr int kMaxHorizon = 1'000'000;
// A forecast longer than this many times the history is extrapolation, not forecasting.
inline constexpr int kMaxHorizonToHistoryRatio = 10;
inline const std::vector<double> kDefaultLevels = {80, 95};

struct ForecastOptions {
  std::string model = "auto";                   // registry.h names.
  std::vector<int> periods;                     // Seasonal periods in steps; may be empty.
  int horizon = 0;                              // Steps ahead, >= 1.
  std::vector<double> levels = kDefaultLevels;  // Interval levels in percent, in (0, 100).
  BacktestOptions backtest;
};

struct Forecast {
  std::vector<double> mean;
  std::vector<Band> bands;         // One per level, in the order asked.
  std::string model;               // What was fitted.
  std::string interval_method;     // "conformal(4 windows)" or "gaussian(model sd)".
  std::vector<std::string> notes;  // Fallbacks and dropped seasons, for stderr.
};

// What a full forecast decided and can lend to the next forecasts of the same series: the
// models used (auto's choice) and the out-of-sample errors its intervals rest on.
struct Calibration {
  std::vector<std::string> models;                 // Registry names; the forecast is their mean.
  std::vector<int> periods;                        // The seasons that were usable.
  std::vector<std::vector<double>> scaled_errors;  // Empty: Gaussian bands.
};

// InvalidArgument for a bad option (naming it) or values that are all missing. When
// `calibration` is given it receives what ForecastWithCalibration needs.
Result<Forecast> ForecastValues(std::span<const double> values, const ForecastOptions& options,
                                Calibration* calibration = nullptr);

// A cheap re-forecast of a series a little later (more points, same options): refits only
// the calibration's models and scales its interval errors to the current level; no
// backtests, no selection. A controller that re-plans every few minutes calls this and
// re-runs ForecastValues now and then (a day, say) to re-select and re-calibrate.
Result<Forecast> ForecastWithCalibration(std::span<const double> values,
                                         const ForecastOptions& options,
                                         const Calibration& calibration);

}  // namespace prescient::forecast
