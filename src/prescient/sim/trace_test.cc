// LoadTrace: counts per bucket to requests per second, interpolation between bucket
// centres, gap filling, validation messages, quantiles, scaling and per-minute means.

#include "prescient/sim/trace.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "prescient/core/series.h"
#include "prescient/core/status.h"
#include "prescient/core/time.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

LoadTrace Trace(std::vector<double> counts, Duration step = Duration(60)) {
  Result<LoadTrace> t = LoadTrace::FromCounts(Series(kT0, step, std::move(counts)), "test.csv");
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::move(t).value();
}

TEST(TraceTest, CountsPerBucketBecomeRatesAtBucketCentres) {
  const LoadTrace t = Trace({600, 1200, 1800});
  EXPECT_EQ(t.start(), kT0);
  EXPECT_EQ(t.step(), Duration(60));
  EXPECT_EQ(t.end(), kT0 + Duration(180));
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(30)), 10);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(90)), 20);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(150)), 30);

  const LoadTrace five = Trace({3000, 6000}, Duration(300));
  EXPECT_DOUBLE_EQ(five.RateAt(kT0 + Duration(150)), 10);
  EXPECT_DOUBLE_EQ(five.RateAt(kT0 + Duration(450)), 20);
  EXPECT_EQ(five.end(), kT0 + Duration(600));
}

TEST(TraceTest, InterpolatesLinearlyBetweenCentresAndClampsOutside) {
  const LoadTrace t = Trace({600, 1200, 1800});
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(60)), 15);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(45)), 12.5);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(120)), 25);
  EXPECT_DOUBLE_EQ(t.RateAt(static_cast<double>(kT0.time_since_epoch().count()) + 75.0), 17.5);
  // Flat before the first centre and after the last.
  EXPECT_DOUBLE_EQ(t.RateAt(kT0), 10);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(10)), 10);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 - Duration(3600)), 10);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(170)), 30);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(100000)), 30);

  const LoadTrace one = Trace({120});
  EXPECT_DOUBLE_EQ(one.RateAt(kT0), 2);
  EXPECT_DOUBLE_EQ(one.RateAt(kT0 + Duration(59)), 2);
}

TEST(TraceTest, FillsGapsFromTheNeighbours) {
  const LoadTrace t = Trace({600, kNaN, kNaN, 2400});
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(90)), 20);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(150)), 30);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(210)), 40);
  // Leading and trailing gaps take the nearest value.
  const LoadTrace ends = Trace({kNaN, kNaN, 600, 1200, kNaN});
  EXPECT_DOUBLE_EQ(ends.RateAt(kT0 + Duration(30)), 10);
  EXPECT_DOUBLE_EQ(ends.RateAt(kT0 + Duration(90)), 10);
  EXPECT_DOUBLE_EQ(ends.RateAt(kT0 + Duration(150)), 10);
  EXPECT_DOUBLE_EQ(ends.RateAt(kT0 + Duration(210)), 20);
  EXPECT_DOUBLE_EQ(ends.RateAt(kT0 + Duration(270)), 20);
  EXPECT_EQ(ends.end(), kT0 + Duration(300));
  // A single present value fills everything.
  const LoadTrace lone = Trace({kNaN, 300, kNaN});
  EXPECT_DOUBLE_EQ(lone.Quantile(0), 5);
  EXPECT_DOUBLE_EQ(lone.Quantile(1), 5);
}

TEST(TraceTest, RejectsNegativeAndInfiniteCountsNamingTheSource) {
  for (const double bad : {-1.0, -1e-9, kInf, -kInf}) {
    const Result<LoadTrace> t =
        LoadTrace::FromCounts(Series(kT0, Duration(60), {600, bad, 600}), "traces/shop.csv");
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(t.status().message().find("traces/shop.csv"), std::string::npos)
        << t.status().message();
    // The offending point is named by its time.
    EXPECT_NE(t.status().message().find(FormatTimestamp(kT0 + Duration(60))), std::string::npos)
        << t.status().message();
  }
  EXPECT_TRUE(LoadTrace::FromCounts(Series(kT0, Duration(60), {0, 0}), "zeros.csv").ok());
}

TEST(TraceTest, RejectsAllMissingAndEmpty) {
  const Result<LoadTrace> missing =
      LoadTrace::FromCounts(Series(kT0, Duration(60), {kNaN, kNaN}), "gaps.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("gaps.csv"), std::string::npos);

  const Result<LoadTrace> empty = LoadTrace::FromCounts(Series(kT0, Duration(60), {}), "empty.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("empty.csv"), std::string::npos);

  const Result<LoadTrace> no_step =
      LoadTrace::FromCounts(Series(kT0, Duration(0), {1}), "step.csv");
  ASSERT_FALSE(no_step.ok());
  EXPECT_NE(no_step.status().message().find("step.csv"), std::string::npos);
}

TEST(TraceTest, QuantileOfBucketRates) {
  const LoadTrace t = Trace({300, 60, 240, 120, 180});  // 5, 1, 4, 2, 3 rps.
  EXPECT_DOUBLE_EQ(t.Quantile(0), 1);
  EXPECT_DOUBLE_EQ(t.Quantile(1), 5);
  EXPECT_DOUBLE_EQ(t.Quantile(0.5), 3);
  EXPECT_DOUBLE_EQ(t.Quantile(0.25), 2);
  EXPECT_DOUBLE_EQ(t.Quantile(0.1), 1.4);
  EXPECT_DOUBLE_EQ(t.Quantile(0.95), 4.8);
  EXPECT_DOUBLE_EQ(t.Quantile(-1), 1);  // Clamped.
  EXPECT_DOUBLE_EQ(t.Quantile(2), 5);
}

TEST(TraceTest, ScaleMultipliesEveryRate) {
  LoadTrace t = Trace({600, 1200, 1800});
  t.Scale(2.5);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(30)), 25);
  EXPECT_DOUBLE_EQ(t.RateAt(kT0 + Duration(60)), 37.5);
  EXPECT_DOUBLE_EQ(t.Quantile(1), 75);
  t.Scale(0);
  EXPECT_DOUBLE_EQ(t.Quantile(1), 0);
  EXPECT_EQ(t.start(), kT0);
  EXPECT_EQ(t.end(), kT0 + Duration(180));
}

TEST(TraceTest, MinuteRatesOfAConstantTraceAreConstant) {
  const LoadTrace t = Trace(std::vector<double>(10, 600));
  const Series m = t.MinuteRates(kT0, kT0 + Duration(600));
  EXPECT_EQ(m.start(), kT0);
  EXPECT_EQ(m.step(), Duration(60));
  ASSERT_EQ(m.size(), 10u);
  for (size_t i = 0; i < m.size(); ++i) EXPECT_DOUBLE_EQ(m[i], 10) << i;
  // Outside the trace: clamped, still constant; partial minutes are dropped.
  const Series wide = t.MinuteRates(kT0 - Duration(120), kT0 + Duration(900) + Duration(59));
  ASSERT_EQ(wide.size(), 17u);
  for (size_t i = 0; i < wide.size(); ++i) EXPECT_DOUBLE_EQ(wide[i], 10) << i;
  EXPECT_EQ(t.MinuteRates(kT0, kT0 + Duration(59)).size(), 0u);

  const LoadTrace coarse = Trace({3000, 3000, 3000}, Duration(300));
  const Series cm = coarse.MinuteRates(kT0, coarse.end());
  ASSERT_EQ(cm.size(), 15u);
  for (size_t i = 0; i < cm.size(); ++i) EXPECT_DOUBLE_EQ(cm[i], 10) << i;
}

TEST(TraceTest, MinuteRatesOfALinearStretchAreItsMeans) {
  // Five-minute buckets of 10 and 20 rps: between the centres (+150 s and +450 s) the rate
  // rises 1/30 rps a second; a minute there averages the rate at its middle.
  const LoadTrace t = Trace({3000, 6000}, Duration(300));
  const Series m = t.MinuteRates(kT0 + Duration(180), kT0 + Duration(420));
  ASSERT_EQ(m.size(), 4u);
  for (size_t i = 0; i < m.size(); ++i) {
    const double mid = 180 + 60.0 * static_cast<double>(i) + 30;
    EXPECT_NEAR(m[i], 10 + (mid - 150) / 30, 1e-9) << i;
  }
}

}  // namespace
}  // namespace prescient::sim
