// Policy: a way of sizing one service, run once per controller tick (a minute) against
// a ScalingTarget. The four policies a backtest compares are in this folder: hpa (the
// HPA alone), predictive, oracle and static-peak.
// Thread-compatible. Tested by policies_test.cc.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/status.h"
#include "prescient/scaling/scaling_target.h"

namespace prescient::scaling {

// What a forecasting policy reports about its own forecasts.
struct ForecastAccuracy {
  int forecasts = 0;  // Forecasts made.
  int points = 0;     // Forecast points scored against what happened.
  double mape = std::numeric_limits<double>::quiet_NaN();                  // Percent.
  double over_prediction_rate = std::numeric_limits<double>::quiet_NaN();  // Share of points.
  double under_prediction_rate = std::numeric_limits<double>::quiet_NaN();
  double upper_coverage = std::numeric_limits<double>::quiet_NaN();  // Actual <= upper bound.
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  // Whether the service runs an HPA under this policy.
  virtual bool UsesHpa() const = 0;
  // Replicas to start a replay with, given the load at its start.
  virtual int InitialReplicas(double rate_rps) const = 0;
  // One controller tick. An error is reported and the next tick runs.
  virtual Status Tick(ScalingTarget& target) = 0;
  // The load the policy expects at the current minute and the upper bound it sizes to
  // (NaN when it does not forecast); for plots.
  virtual double ExpectedLoad() const { return std::numeric_limits<double>::quiet_NaN(); }
  virtual double ExpectedUpper() const { return std::numeric_limits<double>::quiet_NaN(); }
  // Scores the forecasts made so far against `actual` (per-minute rps covering the run).
  virtual ForecastAccuracy Accuracy(const Series& actual) const {
    (void)actual;
    return {};
  }
};

}  // namespace prescient::scaling
