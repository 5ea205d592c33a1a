// Alarm: an M-of-N alarm over a metric and its band, with CloudWatch's comparisons, its
// four treatments of missing data and its three states (OK, ALARM, INSUFFICIENT_DATA),
// keeping a history of state transitions (MISSION.md section 4; semantics: the
// CloudWatch User Guide, "Evaluating an alarm" and "Configuring how CloudWatch alarms
// treat missing data"). Fed one period's datapoint at a time.
// Thread-compatible. Tested by alarm_test.cc.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::anomaly {

enum class Comparison {
  kGreaterThanThreshold,
  kLessThanThreshold,
  kGreaterThanUpperThreshold,  // Band comparisons use the datapoint's own lower/upper.
  kLessThanLowerThreshold,
  kLessThanLowerOrGreaterThanUpperThreshold,
};

enum class MissingData { kMissing, kIgnore, kBreaching, kNotBreaching };

enum class AlarmState { kInsufficientData, kOk, kAlarm };

std::string_view ComparisonName(Comparison c);    // "GreaterThanThreshold", ...
std::string_view MissingDataName(MissingData m);  // "missing", "ignore", ...
std::string_view AlarmStateName(AlarmState s);    // "OK", "ALARM", "INSUFFICIENT_DATA"
Result<Comparison> ParseComparison(std::string_view name);
Result<MissingData> ParseMissingData(std::string_view name);

inline constexpr int kDefaultEvaluationPeriods = 3;
inline constexpr int kDefaultDatapointsToAlarm = 2;
inline constexpr size_t kDefaultHistoryLimit = 1000;

struct AlarmOptions {
  Comparison comparison = Comparison::kLessThanLowerOrGreaterThanUpperThreshold;
  double threshold = 0;                                 // For the two static comparisons.
  int evaluation_periods = kDefaultEvaluationPeriods;   // N.
  int datapoints_to_alarm = kDefaultDatapointsToAlarm;  // M, 1 <= M <= N.
  int evaluation_range = 0;  // Periods looked back at; 0 means N + 2 (CloudWatch's example).
  MissingData missing_data = MissingData::kMissing;
  size_t history_limit = kDefaultHistoryLimit;  // Oldest transitions are dropped beyond it.
};

// One period: a NaN value is a missing datapoint.
struct AlarmDatapoint {
  Timestamp time;
  double value = 0;
  double lower = 0;
  double upper = 0;
};

struct AlarmTransition {
  Timestamp time;
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  std::string reason;  // "2 of the last 3 datapoints breaching (GreaterThanUpperThreshold)".
};

class Alarm {
 public:
  // InvalidArgument unless 1 <= M <= N and the range (if given) is >= N.
  static Result<Alarm> Create(AlarmOptions options);

  // Adds the next period's datapoint and re-evaluates; returns the state after it.
  AlarmState Update(const AlarmDatapoint& point);

  AlarmState state() const { return state_; }
  const std::deque<AlarmTransition>& history() const { return history_; }
  // Whether a present datapoint breaches (missing data aside).
  bool Breaches(const AlarmDatapoint& point) const;

 private:
  enum class Mark { kMissing, kOk, kBreaching };
  explicit Alarm(AlarmOptions options);
  AlarmState Decide(std::string& reason) const;

  AlarmOptions options_;
  std::deque<Mark> range_;  // Oldest first, evaluation_range long (missing before start).
  AlarmState state_ = AlarmState::kInsufficientData;
  std::deque<AlarmTransition> history_;
};

}  // namespace prescient::anomaly
