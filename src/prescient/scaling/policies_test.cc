#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "prescient/scaling/oracle_policy.h"
#include "prescient/scaling/predictive_policy.h"
#include "prescient/scaling/replica_planner.h"
#include "prescient/scaling/simple_policies.h"

namespace prescient::scaling {
namespace {

const Timestamp kT0 = Timestamp(Duration(1404172800));  // 2014-07-01T00:00Z

// A target whose history is a given per-minute series and whose settings are recorded.
class FakeTarget final : public ScalingTarget {
 public:
  explicit FakeTarget(Series minutes) : minutes_(std::move(minutes)) {}
  Timestamp Now() const override { return now; }
  Series LoadHistory(Duration lookback) const override {
    const int64_t end = (now - minutes_.start()).count() / 60;
    const int64_t begin = std::max<int64_t>(0, end - lookback.count() / 60);
    return minutes_.Slice(
        static_cast<size_t>(begin),
        static_cast<size_t>(std::min<int64_t>(end, static_cast<int64_t>(minutes_.size()))));
  }
  int Replicas() const override { return replicas; }
  int ReadyReplicas() const override { return replicas; }
  bool HasHpa() const override { return true; }
  int HpaMinReplicas() const override { return hpa_min; }
  Status SetHpaMinReplicas(int r) override {
    hpa_min = r;
    return OkStatus();
  }
  Status SetReplicas(int r) override {
    replicas = r;
    return OkStatus();
  }
  Status SetPlaceholderReplicas(int r) override {
    placeholders = r;
    return OkStatus();
  }

  Timestamp now = kT0;
  int replicas = 2, hpa_min = 0, placeholders = -1;

 private:
  Series minutes_;
};

TEST(ReplicaPlannerTest, MissionRule) {
  // floor(rps / capacity) + 1, never below 2 (MISSION.md section 2).
  EXPECT_EQ(PodsForLoad(0, 100), 2);
  EXPECT_EQ(PodsForLoad(99, 100), 2);
  EXPECT_EQ(PodsForLoad(250, 100), 3);
  EXPECT_EQ(PodsForLoad(1000, 100), 11);
  EXPECT_EQ(PodsForLoad(NAN, 100), 2);
  EXPECT_EQ(PodsForLoad(1e300, 100), 1000000);
  EXPECT_EQ(PodsForLoad(50, 100, 5), 5);
  EXPECT_EQ(SteadyHpaReplicas(700, 100, 0.7), 10);
}

TEST(StaticPeakPolicyTest, HoldsPeakReplicasWithoutHpa) {
  StaticPeakPolicy p(1950, 100);
  EXPECT_FALSE(p.UsesHpa());
  EXPECT_EQ(p.replicas(), 20);
  FakeTarget t(Series(kT0, Duration(60), {}));
  ASSERT_TRUE(p.Tick(t).ok());
  EXPECT_EQ(t.replicas, 20);
}

TEST(OraclePolicyTest, FloorCoversTheLeadAndPlaceholdersTheComingPeak) {
  // 100 rps for an hour, then 1000 rps.
  std::vector<double> rps(180, 100.0);
  for (size_t i = 60; i < rps.size(); ++i) rps[i] = 1000;
  ScheduleOptions o;
  o.capacity_rps = 100;
  o.lead = Duration(300);
  o.placeholder_lead = Duration(1800);
  OraclePolicy p(o, Series(kT0, Duration(60), rps));
  FakeTarget t(Series(kT0, Duration(60), rps));
  t.now = kT0 + Duration(20 * 60);  // 40 minutes before the step: no floor yet...
  ASSERT_TRUE(p.Tick(t).ok());
  EXPECT_EQ(t.hpa_min, 2);
  EXPECT_EQ(t.placeholders, 0);
  t.now = kT0 + Duration(40 * 60);  // ...20 minutes before: warm nodes via placeholders.
  ASSERT_TRUE(p.Tick(t).ok());
  EXPECT_EQ(t.hpa_min, 2);
  EXPECT_EQ(t.placeholders, 11 - 2);
  t.now = kT0 + Duration(56 * 60);  // Within the lead: the floor rises before the load.
  ASSERT_TRUE(p.Tick(t).ok());
  EXPECT_EQ(t.hpa_min, 11);
}

TEST(OraclePolicyTest, NeverLowersTheFloorWithoutAPlan) {
  ScheduleOptions o;
  o.capacity_rps = 100;
  OraclePolicy p(o, Series(kT0 + Duration(3600), Duration(60), std::vector<double>(60, 500)));
  FakeTarget t(Series(kT0, Duration(60), {}));
  t.hpa_min = 7;
  t.placeholders = 3;
  ASSERT_TRUE(p.Tick(t).ok());  // Before the plan starts: fail static.
  EXPECT_EQ(t.hpa_min, 7);
  EXPECT_EQ(t.placeholders, 3);
}

TEST(PredictivePolicyTest, ForecastsFromThePastOnlyAndSizesToTheUpperBound) {
  // Three days of a daily cycle; the policy at day 2 must plan the next two hours.
  std::vector<double> rps(3 * 1440);
  for (size_t i = 0; i < rps.size(); ++i)
    rps[i] = 500 + 400 * std::sin(2 * M_PI * static_cast<double>(i) / 1440);
  PredictiveOptions o;
  o.schedule.capacity_rps = 100;
  PredictivePolicy p(o);
  FakeTarget t(Series(kT0, Duration(60), rps));
  t.now = kT0 + Duration(2 * 86400 + 6 * 3600);  // Near the daily peak (900 rps).
  ASSERT_TRUE(p.Tick(t).ok());
  EXPECT_GE(t.hpa_min, PodsForLoad(880, 100));
  EXPECT_LE(t.hpa_min, PodsForLoad(1100, 100));
  EXPECT_NEAR(p.ExpectedLoad(), rps[2 * 1440 + 6 * 60], 60);
  EXPECT_GE(p.ExpectedUpper(), p.ExpectedLoad());
  // Accuracy is scored once the future is known.
  const ForecastAccuracy acc = p.Accuracy(Series(kT0, Duration(60), rps));
  EXPECT_EQ(acc.forecasts, 1);
  EXPECT_GT(acc.points, 0);
  EXPECT_LT(acc.mape, 5);
}

TEST(PredictivePolicyTest, TooLittleHistoryIsAnErrorAndKeepsTheFloor) {
  PredictiveOptions o;
  o.schedule.capacity_rps = 100;
  PredictivePolicy p(o);
  FakeTarget t(Series(kT0, Duration(60), std::vector<double>(600, 100)));
  t.now = kT0 + Duration(600 * 60);
  t.hpa_min = 4;
  const Status s = p.Tick(t);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(t.hpa_min, 4);
}

}  // namespace
}  // namespace prescient::scaling
