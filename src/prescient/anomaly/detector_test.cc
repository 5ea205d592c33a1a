#include "prescient/anomaly/detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "prescient/core/random.h"

namespace prescient::anomaly {
namespace {

constexpr Duration kStep = std::chrono::minutes(5);
constexpr int kPerDay = 288;
// Monday 2026-01-05 00:00 UTC.
const Timestamp kStart = Timestamp(std::chrono::seconds(1767571200));

Timestamp At(int i) { return kStart + kStep * i; }

// 100 + a daily wave of amplitude 20 + uniform noise in [-3, 3] (bounded, so that after a
// day no value is a new extreme).
std::vector<double> Wave(int n, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) {
    v[i] = 100 + 20 * std::sin(2 * std::numbers::pi * (i % kPerDay) / kPerDay) + rng.Uniform(-3, 3);
  }
  return v;
}

DetectorOptions Options() {
  DetectorOptions o;
  o.band.step = Duration(0);  // Learned from the rows.
  o.band.training = Duration(0);
  o.band.level_gain = 0.05;
  return o;
}

std::vector<DetectorPoint> Detect(const std::vector<double>& values,
                                  DetectorOptions o = Options()) {
  Result<Detector> d = Detector::Create(std::move(o));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  std::vector<DetectorPoint> out;
  for (size_t i = 0; i < values.size(); ++i) out.push_back(d->Update(At(i), values[i]));
  return out;
}

std::vector<int> Alerts(const std::vector<DetectorPoint>& points) {
  std::vector<int> rows;
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_GE(points[i].score, 0.0);
    EXPECT_LE(points[i].score, 1.0);
    EXPECT_EQ(points[i].anomaly, points[i].score >= 0.5) << i;
    if (points[i].anomaly) rows.push_back(static_cast<int>(i));
  }
  return rows;
}

TEST(DetectorTest, RejectsBadOptions) {
  DetectorOptions o = Options();
  o.raw_scale = 0;
  EXPECT_FALSE(Detector::Create(o).ok());
  o = Options();
  o.history = 1;
  EXPECT_FALSE(Detector::Create(o).ok());
  o = Options();
  o.suppress_rows = -1;
  EXPECT_FALSE(Detector::Create(o).ok());
  o = Options();
  o.band.level_gain = 2;  // The band's own checks apply even with a learned step.
  EXPECT_FALSE(Detector::Create(o).ok());
  o = Options();
  o.band.step = Duration(-5);
  EXPECT_FALSE(Detector::Create(o).ok());
}

TEST(DetectorTest, QuietSeriesRaisesNoAlert) {
  EXPECT_TRUE(Alerts(Detect(Wave(7 * kPerDay, 1))).empty());
}

TEST(DetectorTest, LearnsTheStepFromTheFirstRows) {
  std::vector<double> v = Wave(2 * kPerDay, 2);
  v[kPerDay + 100] += 100;  // Alerts either way.
  const std::vector<DetectorPoint> learned = Detect(v);
  DetectorOptions o = Options();
  o.band.step = kStep;
  const std::vector<DetectorPoint> given = Detect(v, o);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(learned[i].score, 0.0);
  // From the 10th row on, the same as with the step given: the held rows were replayed.
  for (size_t i = 9; i < v.size(); ++i) {
    ASSERT_EQ(learned[i].band.expected, given[i].band.expected) << i;
    ASSERT_EQ(learned[i].score, given[i].score) << i;
  }
  EXPECT_TRUE(learned[kPerDay + 100].anomaly);
}

TEST(DetectorTest, SpikeAlertsOnceAtTheSpike) {
  std::vector<double> v = Wave(5 * kPerDay, 3);
  const int at = 4 * kPerDay + 100;
  for (int i = at; i < at + 3; ++i) v[i] += 60;
  EXPECT_EQ(Alerts(Detect(v)), std::vector<int>{at});
}

TEST(DetectorTest, LevelShiftAlertsOnceNotATrain) {
  std::vector<double> v = Wave(8 * kPerDay, 4);
  const int at = 4 * kPerDay + 50;
  for (int i = at; i < static_cast<int>(v.size()); ++i) v[i] += 15;  // Within the range seen.
  const std::vector<int> alerts = Alerts(Detect(v));
  ASSERT_FALSE(alerts.empty());
  EXPECT_GE(alerts.front(), at);
  EXPECT_LE(alerts.front(), at + 10);  // Within the likelihood's short window.
  EXPECT_LE(alerts.size(), 2u);
}

TEST(DetectorTest, SuppressionSpansTheConfiguredRows) {
  std::vector<double> v = Wave(5 * kPerDay, 5);
  const int at = 4 * kPerDay;
  v[at] += 200;
  v[at + 50] += 400;  // Beyond the range even after the first spike, but suppressed.
  v[at + 150] += 600;
  std::vector<int> alerts = Alerts(Detect(v));
  std::erase_if(alerts, [](int i) { return i < 3 * kPerDay; });  // Early learning aside.
  EXPECT_EQ(alerts, (std::vector<int>{at, at + 150}));
  DetectorOptions o = Options();
  o.suppress_rows = 10;
  const std::vector<DetectorPoint> points = Detect(v, o);
  EXPECT_TRUE(points[at].anomaly);
  EXPECT_TRUE(points[at + 50].anomaly);
  for (int i = at + 1; i <= at + 10; ++i) EXPECT_EQ(points[i].score, 0.0) << i;
}

TEST(DetectorTest, NothingAlertsDuringWarmupOrBandTraining) {
  std::vector<double> v = Wave(2 * kPerDay, 6);
  v[200] += 500;
  EXPECT_TRUE(Alerts(Detect(v)).empty());  // Row 200 < warmup 300.
  DetectorOptions o = Options();
  o.band.step = kStep;
  o.warmup_rows = 0;
  o.band.training = std::chrono::days(1);
  EXPECT_TRUE(Alerts(Detect(v, o)).empty());  // Row 200 is before a day of history.
  o.band.training = Duration(0);
  o.suppress_rows = 0;  // The rising wave's first rows are new extremes, and alert.
  const std::vector<DetectorPoint> points = Detect(v, o);
  EXPECT_TRUE(points[200].anomaly);
}

TEST(DetectorTest, ScoresAreCausal) {
  // A row's score is the same whether or not later rows exist.
  std::vector<double> v = Wave(4 * kPerDay, 7);
  v[3 * kPerDay] += 80;
  const std::vector<DetectorPoint> full = Detect(v);
  for (const int cut : {400, 3 * kPerDay + 1, 3 * kPerDay + 50}) {
    const std::vector<DetectorPoint> prefix =
        Detect(std::vector<double>(v.begin(), v.begin() + cut));
    for (int i = 0; i < cut; ++i) {
      ASSERT_EQ(prefix[i].score, full[i].score) << cut << " " << i;
      ASSERT_EQ(prefix[i].band.expected, full[i].band.expected) << cut << " " << i;
    }
  }
}

TEST(DetectorTest, MissingAndNonFiniteValuesScoreZero) {
  std::vector<double> v = Wave(3 * kPerDay, 8);
  v[500] = std::numeric_limits<double>::quiet_NaN();
  v[501] = std::numeric_limits<double>::infinity();
  v[502] = -std::numeric_limits<double>::infinity();
  const std::vector<DetectorPoint> points = Detect(v);
  for (int i = 500; i < 503; ++i) EXPECT_EQ(points[i].score, 0.0);
  EXPECT_TRUE(Alerts(points).empty());
}

}  // namespace
}  // namespace prescient::anomaly
