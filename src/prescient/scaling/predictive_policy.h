// predictive: MISSION.md section 2 as a policy. Every `refresh` (15 min) it forecasts the
// next `horizon` (2 h) of load from the history seen so far — never the future — at
// `bucket` resolution (5 min, seasons of a day and a week), and plans each bucket's
// pods as PodsForLoad(the forecast's upper bound at `level`, 95%). ScheduledPolicy turns
// the plan into the HPA's minReplicas `lead` ahead and into placeholder capacity.
// Thread-compatible. Tested by policies_test.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "prescient/forecast/forecaster.h"
#include "prescient/scaling/scheduled_policy.h"

namespace prescient::scaling {

inline constexpr Duration kDefaultRefresh{900};
inline constexpr Duration kDefaultHorizon{7200};
inline constexpr Duration kDefaultBucket{300};
inline constexpr Duration kDefaultHistory{14 * 86400};
inline constexpr Duration kMinimumHistory{2 * 86400};  // Two daily cycles.

struct PredictiveOptions {
  ScheduleOptions schedule;
  Duration refresh = kDefaultRefresh;
  Duration horizon = kDefaultHorizon;
  Duration bucket = kDefaultBucket;
  Duration history = kDefaultHistory;
  double level = 95;
  // Forecast each bucket's busiest minute rather than its mean: capacity has to hold the
  // peak minute, and within five minutes real traffic swings well past its mean.
  bool peak = true;
  std::string model = "auto";
  // How often the model is re-selected and the intervals re-calibrated on fresh
  // backtests; in between, each refresh refits the chosen model on the latest history.
  Duration reselect{86400};
};

class PredictivePolicy final : public ScheduledPolicy {
 public:
  explicit PredictivePolicy(PredictiveOptions options);
  std::string_view name() const override { return "predictive"; }
  double ExpectedLoad() const override { return current_mean_; }
  double ExpectedUpper() const override { return current_upper_; }
  ForecastAccuracy Accuracy(const Series& actual) const override;

  // The latest forecast, per bucket from `start`: mean, upper bound at `level`, and the
  // pods planned for it. Empty before the first forecast.
  struct ForecastView {
    Timestamp start{};
    Duration bucket{};
    std::vector<double> mean;
    std::vector<double> upper;
    std::vector<int> pods;
  };
  ForecastView Latest() const;
  size_t forecasts_made() const { return made_.size(); }
  // Pods planned for the minute starting at t; nullopt outside the latest forecast.
  std::optional<int> Planned(Timestamp t) const { return PlannedAt(t); }
  // Scores every forecast whose buckets have all passed within `actual` and that was not
  // scored before: 100 - MAPE of its bucket means against what happened, at least 0 (an
  // "evaluation" of MISSION.md section 8). Returns the new scores, oldest first.
  std::vector<double> ScoreFinished(const Series& actual);
  // The next refresh re-selects the model and re-calibrates its intervals (a retrain),
  // and happens at the next tick.
  void Reselect();

 protected:
  Status Refresh(ScalingTarget& target) override;
  std::optional<int> PlannedAt(Timestamp t) const override;

 private:
  struct Made {
    Timestamp start;           // Of the first bucket.
    std::vector<double> mean;  // One per bucket.
    std::vector<double> upper;
  };
  Status Forecast(ScalingTarget& target, Timestamp now);
  // Appends each bucket of `m` that `actual` covers: what happened to *a, the forecast
  // mean to *f. Returns how many of them were at or under the upper bound.
  int Pair(const Made& m, const Series& actual, std::vector<double>* a,
           std::vector<double>* f) const;
  void UpdateCurrent(Timestamp now);

  PredictiveOptions options_;
  std::vector<Made> made_;  // Every forecast, for accuracy.
  size_t scored_ = 0;       // made_[0, scored_) have been through ScoreFinished.
  std::vector<int> plan_;   // Pods per bucket of the latest forecast.
  Timestamp next_refresh_{};
  std::optional<forecast::Calibration> calibration_;
  Timestamp next_reselect_{};
  std::vector<int> calibrated_periods_;  // The seasons asked for when it was made.
  bool have_forecast_ = false;
  double current_mean_ = std::numeric_limits<double>::quiet_NaN();
  double current_upper_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace prescient::scaling
