// How the alarm decides. CloudWatch looks at an evaluation range a little longer than the
// N evaluation periods (5 periods for N = 3 in its documented examples) and:
//  - if at least N datapoints in the range are present, judges the N most recent present
//    ones: M or more breaching -> ALARM, else OK; the missing-data treatment is not used;
//  - otherwise it judges every present datapoint in the range plus as few filled-in ones
//    as make N, filled according to the treatment:
//      breaching     fill with breaching points;
//      notBreaching  fill with non-breaching points;
//      missing       with nothing present -> INSUFFICIENT_DATA; M breaching -> ALARM; any
//                    non-breaching point -> OK; only breaching points but fewer than M ->
//                    ALARM if the oldest point of the range is present, else
//                    INSUFFICIENT_DATA (the User Guide's rows "- - - - X" and "X - - - -");
//      ignore        as missing, but the current state is kept wherever missing would say
//                    INSUFFICIENT_DATA or the documented table keeps it ("X - - - -").
// The two tables of the User Guide (M = N = 3 and M = 2, N = 3) are alarm_test.cc's cases.
#include "prescient/anomaly/alarm.h"

#include <algorithm>
#include <cmath>

namespace prescient::anomaly {

namespace {
constexpr std::string_view kComparisonNames[] = {
    "GreaterThanThreshold", "LessThanThreshold", "GreaterThanUpperThreshold",
    "LessThanLowerThreshold", "LessThanLowerOrGreaterThanUpperThreshold"};
constexpr std::string_view kMissingNames[] = {"missing", "ignore", "breaching", "notBreaching"};
constexpr std::string_view kStateNames[] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
}  // namespace

std::string_view ComparisonName(Comparison c) { return kComparisonNames[static_cast<int>(c)]; }
std::string_view MissingDataName(MissingData m) { return kMissingNames[static_cast<int>(m)]; }
std::string_view AlarmStateName(AlarmState s) { return kStateNames[static_cast<int>(s)]; }

Result<Comparison> ParseComparison(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kComparisonNames[i] == name) return static_cast<Comparison>(i);
  }
  return InvalidArgumentError("unknown comparison \"" + std::string(name) + "\"");
}

Result<MissingData> ParseMissingData(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kMissingNames[i] == name) return static_cast<MissingData>(i);
  }
  return InvalidArgumentError("unknown missing-data treatment \"" + std::string(name) +
                              "\" (missing, ignore, breaching, notBreaching)");
}

Result<Alarm> Alarm::Create(AlarmOptions options) {
  if (options.evaluation_periods < 1 || options.datapoints_to_alarm < 1 ||
      options.datapoints_to_alarm > options.evaluation_periods) {
    return InvalidArgumentError("alarm: need 1 <= datapoints to alarm <= evaluation periods");
  }
  if (options.evaluation_range == 0) options.evaluation_range = options.evaluation_periods + 2;
  if (options.evaluation_range < options.evaluation_periods) {
    return InvalidArgumentError("alarm: the evaluation range is shorter than the periods");
  }
  return Alarm(std::move(options));
}

Alarm::Alarm(AlarmOptions options)
    : options_(std::move(options)),
      range_(static_cast<size_t>(options_.evaluation_range), Mark::kMissing) {}

bool Alarm::Breaches(const AlarmDatapoint& p) const {
  switch (options_.comparison) {
    case Comparison::kGreaterThanThreshold:
      return p.value > options_.threshold;
    case Comparison::kLessThanThreshold:
      return p.value < options_.threshold;
    case Comparison::kGreaterThanUpperThreshold:
      return p.value > p.upper;
    case Comparison::kLessThanLowerThreshold:
      return p.value < p.lower;
    case Comparison::kLessThanLowerOrGreaterThanUpperThreshold:
      return p.value < p.lower || p.value > p.upper;
  }
  return false;
}

AlarmState Alarm::Update(const AlarmDatapoint& point) {
  range_.pop_front();
  range_.push_back(std::isnan(point.value) ? Mark::kMissing
                                           : (Breaches(point) ? Mark::kBreaching : Mark::kOk));
  std::string reason;
  const AlarmState next = Decide(reason);
  if (next != state_) {
    history_.push_back({point.time, state_, next, std::move(reason)});
    if (history_.size() > options_.history_limit) history_.pop_front();
    state_ = next;
  }
  return state_;
}

AlarmState Alarm::Decide(std::string& reason) const {
  const int n = options_.evaluation_periods;
  const int m = options_.datapoints_to_alarm;
  int present = 0, breaching = 0, recent_present = 0, recent_breaching = 0;
  for (auto it = range_.rbegin(); it != range_.rend(); ++it) {
    if (*it == Mark::kMissing) continue;
    ++present;
    breaching += *it == Mark::kBreaching;
    if (recent_present < n) {
      ++recent_present;
      recent_breaching += *it == Mark::kBreaching;
    }
  }
  const std::string comparison(ComparisonName(options_.comparison));
  auto judged = [&](int count, int of, std::string_view how) {
    reason = std::to_string(count) + " of " + std::to_string(of) + " datapoints breaching" +
             std::string(how) + " (" + comparison + ", " + std::to_string(m) + " to alarm)";
    return count >= m ? AlarmState::kAlarm : AlarmState::kOk;
  };
  if (present >= n) return judged(recent_breaching, n, "");
  const int filled = n - present;
  switch (options_.missing_data) {
    case MissingData::kBreaching:
      return judged(breaching + filled, n, ", missing data as breaching");
    case MissingData::kNotBreaching:
      return judged(breaching, n, ", missing data as not breaching");
    case MissingData::kMissing:
    case MissingData::kIgnore:
      break;
  }
  const bool ignore = options_.missing_data == MissingData::kIgnore;
  if (present == 0 || (breaching < m && breaching == present)) {
    if (!ignore && present > 0 && range_.front() != Mark::kMissing) {
      reason = "only breaching datapoints present, the oldest of the range among them (" +
               comparison + ")";
      return AlarmState::kAlarm;
    }
    reason = ignore ? "missing data: state kept" : "missing data";
    return ignore ? state_ : AlarmState::kInsufficientData;
  }
  return judged(breaching, present, " of those present");
}

}  // namespace prescient::anomaly
