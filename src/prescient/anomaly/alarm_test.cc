#include "prescient/anomaly/alarm.h"

#include <gtest/gtest.h>

#include <string>

#include "prescient/core/series.h"

namespace prescient::anomaly {
namespace {

const Timestamp kT0 = Timestamp(std::chrono::seconds(1767571200));

AlarmDatapoint Point(int i, double value, double lower = 0, double upper = 0) {
  return {kT0 + std::chrono::minutes(5) * i, value, lower, upper};
}

Alarm Make(AlarmOptions options) {
  auto alarm = Alarm::Create(options);
  EXPECT_TRUE(alarm.ok()) << alarm.status().ToString();
  return std::move(*alarm);
}

// Feeds a pattern of the User Guide's tables ("0" not breaching, "X" breaching, "-"
// missing; oldest first) to an alarm on value > 10, starting from `initial` (reached by
// feeding enough points first), and returns the state after the last one.
AlarmState Run(const std::string& pattern, int m, int n, MissingData missing, AlarmState initial) {
  Alarm alarm = Make({.comparison = Comparison::kGreaterThanThreshold,
                      .threshold = 10,
                      .evaluation_periods = n,
                      .datapoints_to_alarm = m,
                      .missing_data = missing});
  int i = 0;
  if (initial != AlarmState::kInsufficientData) {
    for (int k = 0; k < 5; ++k) alarm.Update(Point(i++, initial == AlarmState::kAlarm ? 20 : 0));
    EXPECT_EQ(alarm.state(), initial);
  }
  for (char c : pattern) {
    if (c == ' ') continue;
    alarm.Update(Point(i++, c == 'X' ? 20.0 : (c == '0' ? 0.0 : kMissing)));
  }
  return alarm.state();
}

struct TableRow {
  std::string pattern;
  // MISSING, IGNORE, BREACHING, NOT BREACHING; kRetain means "retain current state".
  std::string expected[4];
};

AlarmState Expect(const std::string& name, AlarmState current) {
  if (name == "OK") return AlarmState::kOk;
  if (name == "ALARM") return AlarmState::kAlarm;
  if (name == "INSUFFICIENT") return AlarmState::kInsufficientData;
  return current;  // "retain"
}

void CheckTable(const std::vector<TableRow>& rows, int m, int n) {
  const MissingData modes[] = {MissingData::kMissing, MissingData::kIgnore, MissingData::kBreaching,
                               MissingData::kNotBreaching};
  for (const TableRow& row : rows) {
    for (int k = 0; k < 4; ++k) {
      // Start from each possible state so "retain" is tested both ways: the five points
      // of the pattern replace the whole range, so only the retained state remembers it.
      for (AlarmState initial : {AlarmState::kOk, AlarmState::kAlarm}) {
        EXPECT_EQ(Run(row.pattern, m, n, modes[k], initial), Expect(row.expected[k], initial))
            << row.pattern << " " << MissingDataName(modes[k]) << " from "
            << AlarmStateName(initial);
      }
    }
  }
}

// "Configuring how CloudWatch alarms treat missing data", first table: M = N = 3,
// evaluation range 5.
TEST(AlarmTest, CloudWatchMissingDataTableThreeOfThree) {
  CheckTable({{"0 - X - X", {"OK", "OK", "OK", "OK"}},
              {"0 - - - -", {"OK", "OK", "OK", "OK"}},
              {"- - - - -", {"INSUFFICIENT", "retain", "ALARM", "OK"}},
              {"0 X X - X", {"ALARM", "ALARM", "ALARM", "ALARM"}},
              {"- - - - X", {"INSUFFICIENT", "retain", "ALARM", "OK"}},
              {"X - - - -", {"ALARM", "retain", "ALARM", "OK"}}},
             3, 3);
}

// The second table: M = 2 of N = 3.
TEST(AlarmTest, CloudWatchMissingDataTableTwoOfThree) {
  CheckTable({{"0 - X - X", {"ALARM", "ALARM", "ALARM", "ALARM"}},
              {"0 0 X 0 X", {"ALARM", "ALARM", "ALARM", "ALARM"}},
              {"0 - X - -", {"OK", "OK", "ALARM", "OK"}},
              {"- - - - 0", {"OK", "OK", "ALARM", "OK"}},
              {"- - - - X", {"INSUFFICIENT", "retain", "ALARM", "OK"}}},
             2, 3);
}

TEST(AlarmTest, StartsInInsufficientDataAndRecordsTransitions) {
  Alarm alarm = Make({.comparison = Comparison::kGreaterThanThreshold, .threshold = 10});
  EXPECT_EQ(alarm.state(), AlarmState::kInsufficientData);
  EXPECT_EQ(alarm.Update(Point(0, 20)), AlarmState::kInsufficientData);  // "- - - - X"
  EXPECT_EQ(alarm.Update(Point(1, 20)), AlarmState::kAlarm);             // 2 of 2 present, M = 2.
  EXPECT_EQ(alarm.Update(Point(2, 0)), AlarmState::kAlarm);              // X X 0: 2 of 3.
  EXPECT_EQ(alarm.Update(Point(3, 0)), AlarmState::kOk);                 // X 0 0.
  EXPECT_EQ(alarm.Update(Point(4, 20)), AlarmState::kOk);                // 0 0 X.
  EXPECT_EQ(alarm.Update(Point(5, 20)), AlarmState::kAlarm);             // 0 X X.
  ASSERT_EQ(alarm.history().size(), 3u);
  EXPECT_EQ(alarm.history()[0].from, AlarmState::kInsufficientData);
  EXPECT_EQ(alarm.history()[0].to, AlarmState::kAlarm);
  EXPECT_EQ(alarm.history()[0].time, Point(1, 0).time);
  EXPECT_EQ(alarm.history()[1].to, AlarmState::kOk);
  EXPECT_EQ(alarm.history()[2].time, Point(5, 0).time);
  EXPECT_NE(alarm.history()[2].reason.find("2 of 3"), std::string::npos)
      << alarm.history()[2].reason;
}

TEST(AlarmTest, EachComparison) {
  struct Case {
    Comparison comparison;
    double value;
    bool breaches;
  };
  // Threshold 10; band [5, 15].
  const Case cases[] = {
      {Comparison::kGreaterThanThreshold, 10.5, true},
      {Comparison::kGreaterThanThreshold, 10.0, false},
      {Comparison::kLessThanThreshold, 9.5, true},
      {Comparison::kLessThanThreshold, 10.0, false},
      {Comparison::kGreaterThanUpperThreshold, 15.5, true},
      {Comparison::kGreaterThanUpperThreshold, 4.0, false},
      {Comparison::kLessThanLowerThreshold, 4.0, true},
      {Comparison::kLessThanLowerThreshold, 15.5, false},
      {Comparison::kLessThanLowerOrGreaterThanUpperThreshold, 4.0, true},
      {Comparison::kLessThanLowerOrGreaterThanUpperThreshold, 15.5, true},
      {Comparison::kLessThanLowerOrGreaterThanUpperThreshold, 10.0, false},
      {Comparison::kLessThanLowerOrGreaterThanUpperThreshold, 15.0, false},
  };
  for (const Case& c : cases) {
    Alarm alarm = Make({.comparison = c.comparison, .threshold = 10});
    EXPECT_EQ(alarm.Breaches(Point(0, c.value, 5, 15)), c.breaches)
        << ComparisonName(c.comparison) << " " << c.value;
    for (int i = 0; i < 3; ++i) alarm.Update(Point(i, c.value, 5, 15));
    EXPECT_EQ(alarm.state(), c.breaches ? AlarmState::kAlarm : AlarmState::kOk);
  }
}

TEST(AlarmTest, NamesRoundTripAndBadOptionsAreRejected) {
  for (Comparison c : {Comparison::kGreaterThanThreshold, Comparison::kLessThanThreshold,
                       Comparison::kGreaterThanUpperThreshold, Comparison::kLessThanLowerThreshold,
                       Comparison::kLessThanLowerOrGreaterThanUpperThreshold}) {
    auto parsed = ParseComparison(ComparisonName(c));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_FALSE(ParseComparison("GreaterThan").ok());
  auto missing = ParseMissingData("notBreaching");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, MissingData::kNotBreaching);
  EXPECT_FALSE(ParseMissingData("zero").ok());
  EXPECT_FALSE(Alarm::Create({.evaluation_periods = 2, .datapoints_to_alarm = 3}).ok());
  EXPECT_FALSE(Alarm::Create({.datapoints_to_alarm = 0}).ok());
  EXPECT_FALSE(Alarm::Create({.evaluation_range = 2}).ok());
}

TEST(AlarmTest, HistoryIsBounded) {
  Alarm alarm = Make({.comparison = Comparison::kGreaterThanThreshold,
                      .threshold = 10,
                      .evaluation_periods = 1,
                      .datapoints_to_alarm = 1,
                      .history_limit = 4});
  for (int i = 0; i < 20; ++i) alarm.Update(Point(i, i % 2 == 0 ? 20 : 0));
  ASSERT_EQ(alarm.history().size(), 4u);
  EXPECT_EQ(alarm.history().back().time, Point(19, 0).time);
}

}  // namespace
}  // namespace prescient::anomaly
