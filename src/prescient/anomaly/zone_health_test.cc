#include "prescient/anomaly/zone_health.h"

#include <gtest/gtest.h>

namespace prescient::anomaly {
namespace {

const Timestamp kT0{std::chrono::seconds(1'700'000'000 / 3600 * 3600)};

Duration Min(int m) { return Duration(60 * m); }

class ZoneHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = ZoneHealthDetector::Create({"zone-a", "zone-b", "zone-c"}, options_);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    detector_.emplace(std::move(d).value());
  }
  // Minutes [from, to) of one zone at the given latencies.
  void Feed(const std::string& zone, int from, int to, double avg, double max,
            std::optional<double> errors = std::nullopt) {
    for (int m = from; m < to; ++m) {
      ASSERT_TRUE(detector_->Add(zone, {kT0 + Min(m), avg, max, errors}).ok());
    }
  }
  void FeedAll(int from, int to, double avg, double max) {
    for (const char* z : {"zone-a", "zone-b", "zone-c"}) Feed(z, from, to, avg, max, 0.0);
  }
  ZoneHealth At(int minute, size_t zone) { return detector_->Evaluate(kT0 + Min(minute))[zone]; }

  ZoneHealthOptions options_;
  std::optional<ZoneHealthDetector> detector_;
};

TEST_F(ZoneHealthTest, NeedsTenPointsInTheWindow) {
  FeedAll(0, 9, 0.3, 0.5);
  EXPECT_EQ(At(9, 1).state, ZoneState::kInsufficientData);
  EXPECT_FALSE(At(9, 1).shift_recommended);
  FeedAll(9, 10, 0.3, 0.5);
  EXPECT_EQ(At(10, 1).state, ZoneState::kGrayFailure);
  EXPECT_EQ(At(10, 1).points, 10);
}

TEST_F(ZoneHealthTest, AverageLatencyThreshold) {
  FeedAll(0, 15, 0.005, 0.010);
  Feed("zone-b", 15, 30, 0.049, 0.100);
  EXPECT_EQ(At(30, 1).state, ZoneState::kHealthy);
  Feed("zone-b", 30, 45, 0.051, 0.100);
  const ZoneHealth h = At(45, 1);
  EXPECT_EQ(h.state, ZoneState::kGrayFailure);
  EXPECT_NE(h.reason.find("window avg 51.0 ms > 50.0 ms"), std::string::npos) << h.reason;
}

TEST_F(ZoneHealthTest, MaxLatencyThreshold) {
  Feed("zone-a", 0, 15, 0.005, 0.199);
  EXPECT_EQ(At(15, 0).state, ZoneState::kHealthy);
  Feed("zone-c", 0, 14, 0.005, 0.010);
  Feed("zone-c", 14, 15, 0.005, 0.201);  // One minute is enough.
  const ZoneHealth h = At(15, 2);
  EXPECT_EQ(h.state, ZoneState::kGrayFailure);
  EXPECT_NE(h.reason.find("window max 201.0 ms > 200.0 ms"), std::string::npos) << h.reason;
}

TEST_F(ZoneHealthTest, ErrorRateThreshold) {
  // 0.9% against the other zones' 0%, then 1.1%.
  Feed("zone-a", 0, 15, 0.005, 0.01, 0.0);
  Feed("zone-c", 0, 15, 0.005, 0.01, 0.0);
  Feed("zone-b", 0, 15, 0.005, 0.01, 0.009);
  EXPECT_EQ(At(15, 1).state, ZoneState::kHealthy);
  Feed("zone-a", 15, 30, 0.005, 0.01, 0.0);
  Feed("zone-c", 15, 30, 0.005, 0.01, 0.0);
  Feed("zone-b", 15, 30, 0.005, 0.01, 0.011);
  const ZoneHealth h = At(30, 1);
  EXPECT_EQ(h.state, ZoneState::kGrayFailure);
  EXPECT_NE(h.reason.find("error rate 1.1% (1.1% above the other zones' 0.0%, capped at 5.0% a "
                          "minute) >= 1.0%"),
            std::string::npos)
      << h.reason;
  EXPECT_TRUE(h.shift_recommended);
}

TEST_F(ZoneHealthTest, OneMinuteOfErrorsIsCapped) {
  FeedAll(0, 14, 0.005, 0.01);
  Feed("zone-b", 14, 17, 0.005, 0.01, 0.0);
  Feed("zone-c", 14, 17, 0.005, 0.01, 0.0);
  Feed("zone-a", 14, 15, 0.005, 0.01, 0.40);
  EXPECT_EQ(At(15, 0).state, ZoneState::kHealthy);  // 5% / 15 minutes.
  EXPECT_NEAR(At(15, 0).window_error_excess, 0.05 / 15, 1e-12);
  Feed("zone-a", 15, 17, 0.005, 0.01, 0.40);
  EXPECT_EQ(At(17, 0).state, ZoneState::kGrayFailure);  // 3 x 5% / 15.
}

TEST_F(ZoneHealthTest, ServiceWideErrorsSingleOutNoZone) {
  FeedAll(0, 15, 0.005, 0.01);  // Error rate 0.
  Feed("zone-a", 15, 30, 0.005, 0.01, 0.03);
  Feed("zone-b", 15, 30, 0.005, 0.01, 0.05);
  Feed("zone-c", 15, 30, 0.005, 0.01, 0.03);
  const auto h = detector_->Evaluate(kT0 + Min(30));
  for (const ZoneHealth& z : h) {
    EXPECT_EQ(z.state, ZoneState::kHealthy) << z.reason;
    EXPECT_NE(z.reason.find("errors not judged in 15 minute(s): 15 with errors in the other "
                            "zones too (service-wide, not zonal), 0 with no other zone serving"),
              std::string::npos)
        << z.reason;
  }
  ZoneHealthOptions absolute;
  absolute.error_rate_vs_other_zones = false;
  auto d = ZoneHealthDetector::Create({"zone-a", "zone-b"}, absolute);
  ASSERT_TRUE(d.ok());
  for (int m = 0; m < 15; ++m) {
    ASSERT_TRUE(d->Add("zone-a", {kT0 + Min(m), 0.005, 0.01, 0.03}).ok());
    ASSERT_TRUE(d->Add("zone-b", {kT0 + Min(m), 0.005, 0.01, 0.03}).ok());
  }
  EXPECT_EQ(d->Evaluate(kT0 + Min(15))[0].state, ZoneState::kGrayFailure);
}

TEST_F(ZoneHealthTest, ErrorsOfTheOnlyServingZoneAreNotItsOwn) {
  Feed("zone-a", 0, 15, 0.005, 0.01, 0.5);
  Feed("zone-b", 0, 15, 0.005, 0.01);  // No requests routed.
  Feed("zone-c", 0, 15, 0.005, 0.01);
  const ZoneHealth h = At(15, 0);
  EXPECT_EQ(h.state, ZoneState::kHealthy) << h.reason;
  EXPECT_NE(h.reason.find("15 with no other zone serving"), std::string::npos) << h.reason;
}

TEST_F(ZoneHealthTest, BaselineDegradation) {
  // A day at 10 ms makes the baseline.
  FeedAll(0, 24 * 60, 0.010, 0.020);
  const int t = 24 * 60;
  EXPECT_NEAR(*At(t, 0).baseline_latency_s, 0.010, 1e-12);
  Feed("zone-a", t, t + 15, 0.0119, 0.02, 0.0);
  Feed("zone-b", t, t + 15, 0.0121, 0.02, 0.0);
  Feed("zone-c", t, t + 15, 0.010, 0.02, 0.0);
  auto h = detector_->Evaluate(kT0 + Min(t + 15));
  EXPECT_EQ(h[0].state, ZoneState::kHealthy);
  EXPECT_NEAR(*h[0].degradation, 0.19, 1e-9);
  EXPECT_EQ(h[1].state, ZoneState::kWarning);
  EXPECT_FALSE(h[1].shift_candidate);
  EXPECT_FALSE(h[1].shift_recommended);
  Feed("zone-a", t + 15, t + 30, 0.0129, 0.02, 0.0);
  Feed("zone-b", t + 15, t + 30, 0.0131, 0.02, 0.0);
  Feed("zone-c", t + 15, t + 30, 0.010, 0.02, 0.0);
  h = detector_->Evaluate(kT0 + Min(t + 30));
  EXPECT_EQ(h[0].state, ZoneState::kWarning);
  EXPECT_FALSE(h[0].shift_candidate);
  EXPECT_EQ(h[1].state, ZoneState::kWarning);
  EXPECT_TRUE(h[1].shift_candidate);
  // zone-a is not healthy: shifting zone-b would leave one healthy zone only.
  EXPECT_FALSE(h[1].shift_recommended);
  EXPECT_NE(h[1].reason.find("only 1 other healthy zone"), std::string::npos) << h[1].reason;
  Feed("zone-a", t + 30, t + 45, 0.010, 0.02, 0.0);
  Feed("zone-b", t + 30, t + 45, 0.0131, 0.02, 0.0);
  Feed("zone-c", t + 30, t + 45, 0.010, 0.02, 0.0);
  h = detector_->Evaluate(kT0 + Min(t + 45));
  EXPECT_TRUE(h[1].shift_recommended) << h[1].reason;
  EXPECT_NE(h[1].reason.find("window median 13.1 ms is 31.0% above the 7-day baseline 10.0 ms"),
            std::string::npos)
      << h[1].reason;
}

TEST_F(ZoneHealthTest, BaselineIsRobustToTheIncident) {
  FeedAll(0, 24 * 60, 0.005, 0.010);
  // Five hours of incident in zone-b, still under the absolute thresholds.
  Feed("zone-b", 24 * 60, 29 * 60, 0.040, 0.100, 0.0);
  EXPECT_NEAR(*At(29 * 60, 1).baseline_latency_s, 0.005, 1e-12);
  EXPECT_GT(*At(29 * 60, 1).degradation, 6.9);
}

TEST_F(ZoneHealthTest, OneBadMinuteIsNoBaselineDegradation) {
  FeedAll(0, 24 * 60, 0.005, 0.010);
  const int t = 24 * 60;
  Feed("zone-a", t, t + 14, 0.005, 0.010, 0.0);
  Feed("zone-a", t + 14, t + 15, 0.030, 0.060, 0.0);  // Moves the mean by 33%.
  ZoneHealth h = At(t + 15, 0);
  EXPECT_EQ(h.state, ZoneState::kHealthy) << h.reason;
  EXPECT_NEAR(h.window_avg_latency_s, 0.005 * 14 / 15 + 0.030 / 15, 1e-12);
  // Sustained for most of the window, it is.
  Feed("zone-a", t + 15, t + 23, 0.0066, 0.010, 0.0);
  h = At(t + 23, 0);
  EXPECT_EQ(h.state, ZoneState::kWarning) << h.reason;
  EXPECT_TRUE(h.shift_candidate);
}

TEST_F(ZoneHealthTest, AtMostOneZoneShiftedAndRecovery) {
  FeedAll(0, 15, 0.005, 0.010);
  Feed("zone-a", 15, 30, 0.005, 0.010, 0.0);
  Feed("zone-b", 15, 30, 0.150, 0.300, 0.03);
  Feed("zone-c", 15, 30, 0.005, 0.010, 0.0);
  auto h = detector_->Evaluate(kT0 + Min(30));
  EXPECT_EQ(h[1].state, ZoneState::kGrayFailure);
  EXPECT_TRUE(h[1].shift_recommended);
  EXPECT_FALSE(h[0].shift_recommended || h[2].shift_recommended);
  ASSERT_TRUE(detector_->SetShifted("zone-b", true).ok());
  // zone-c fails too: zone-b is already shifted, so no second shift.
  Feed("zone-a", 30, 45, 0.005, 0.010, 0.0);
  Feed("zone-b", 30, 45, 0.150, 0.300);  // Shifted: no requests, probes only.
  Feed("zone-c", 30, 45, 0.150, 0.300, 0.0);
  h = detector_->Evaluate(kT0 + Min(45));
  EXPECT_EQ(h[2].state, ZoneState::kGrayFailure);
  EXPECT_FALSE(h[2].shift_recommended);
  EXPECT_NE(h[2].reason.find("already shifted"), std::string::npos);
  EXPECT_FALSE(h[1].end_shift_recommended);
  // Recovery: once the bad minutes have left the window.
  Feed("zone-a", 45, 60, 0.005, 0.010, 0.0);
  Feed("zone-b", 45, 59, 0.005, 0.010);
  Feed("zone-c", 45, 60, 0.005, 0.010, 0.0);
  EXPECT_EQ(At(59, 1).state, ZoneState::kGrayFailure);  // Minute 44 is still in.
  Feed("zone-b", 59, 60, 0.005, 0.010);
  h = detector_->Evaluate(kT0 + Min(60));
  EXPECT_EQ(h[1].state, ZoneState::kHealthy);
  EXPECT_TRUE(h[1].end_shift_recommended);
}

TEST_F(ZoneHealthTest, TwoZonesDegradedIsNotZonal) {
  Feed("zone-a", 0, 15, 0.150, 0.300, 0.0);
  Feed("zone-b", 0, 15, 0.200, 0.300, 0.0);
  Feed("zone-c", 0, 15, 0.005, 0.010, 0.0);
  for (const ZoneHealth& h : detector_->Evaluate(kT0 + Min(15))) EXPECT_FALSE(h.shift_recommended);
}

TEST_F(ZoneHealthTest, MissingMinutes) {
  // Every other minute: 8 points in 15 minutes.
  for (int m = 0; m < 15; m += 2)
    ASSERT_TRUE(detector_->Add("zone-a", {kT0 + Min(m), 0.3, 0.5}).ok());
  EXPECT_EQ(At(15, 0).points, 8);
  EXPECT_EQ(At(15, 0).state, ZoneState::kInsufficientData);
  // A silent zone falls back to insufficient data as its points age out.
  FeedAll(20, 35, 0.005, 0.01);
  EXPECT_EQ(At(35, 0).state, ZoneState::kHealthy);
  EXPECT_EQ(At(40, 0).state, ZoneState::kHealthy);  // 10 points left.
  EXPECT_EQ(At(41, 0).state, ZoneState::kInsufficientData);
}

TEST_F(ZoneHealthTest, RejectsBadInput) {
  EXPECT_FALSE(detector_->Add("zone-x", {kT0, 0, 0}).ok());
  EXPECT_FALSE(detector_->Add("zone-a", {kT0, -1, 0}).ok());
  EXPECT_FALSE(detector_->Add("zone-a", {kT0, 0, 0, 1.5}).ok());
  ASSERT_TRUE(detector_->Add("zone-a", {kT0, 0, 0}).ok());
  EXPECT_FALSE(detector_->Add("zone-a", {kT0, 0, 0}).ok());
  EXPECT_FALSE(ZoneHealthDetector::Create({}).ok());
  EXPECT_FALSE(ZoneHealthDetector::Create({"a", "a"}).ok());
  ZoneHealthOptions o;
  o.min_points = 16;
  EXPECT_FALSE(ZoneHealthDetector::Create({"a"}, o).ok());
}

}  // namespace
}  // namespace prescient::anomaly
