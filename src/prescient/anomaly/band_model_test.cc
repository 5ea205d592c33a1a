#include "prescient/anomaly/band_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "prescient/core/random.h"
#include "prescient/core/series.h"

namespace prescient::anomaly {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr Duration kStep = minutes(5);
constexpr int kPerDay = 288;
constexpr double kNoise = 2.0;
// Monday 2026-01-05 00:00 UTC.
const Timestamp kStart = Timestamp(std::chrono::seconds(1767571200));

double Gaussian(Rng& rng) {
  const double u1 = 1.0 - rng.Uniform(), u2 = rng.Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// 100 + a daily wave of amplitude 20 (peak at 15:00) + 30 less on weekends, in UTC.
double Seasonal(int i) {
  const double hour = (i % kPerDay) / 12.0;
  const int weekday = (i / kPerDay) % 7;  // 0 = Monday.
  return 100.0 + 20.0 * std::sin(2.0 * std::numbers::pi * (hour - 9.0) / 24.0) -
         (weekday >= 5 ? 30.0 : 0.0);
}

std::vector<double> SeasonalSeries(int n, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> values(n);
  for (int i = 0; i < n; ++i) values[i] = Seasonal(i) + kNoise * Gaussian(rng);
  return values;
}

BandModel MakeModel(BandOptions options = {}) {
  options.step = kStep;
  auto model = BandModel::Create(std::move(options));
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return std::move(*model);
}

Timestamp At(int i) { return kStart + kStep * i; }

TEST(BandModelTest, DefaultBandWidthsPerMetricKind) {
  EXPECT_EQ(DefaultBandWidth(MetricKind::kCpu), 2.0);
  EXPECT_EQ(DefaultBandWidth(MetricKind::kMemory), 2.0);
  EXPECT_EQ(DefaultBandWidth(MetricKind::kNetwork), 3.0);
  EXPECT_EQ(DefaultBandWidth(MetricKind::kApiRequests), 2.0);
  EXPECT_EQ(DefaultBandWidth(MetricKind::kRestarts), 3.0);
  BandModel cpu = MakeModel({.kind = MetricKind::kCpu});
  EXPECT_EQ(cpu.band_width(), 2.0);
  BandModel custom = MakeModel({.kind = MetricKind::kCpu, .band_width = 4.5});
  EXPECT_EQ(custom.band_width(), 4.5);
}

TEST(BandModelTest, RejectsBadOptions) {
  EXPECT_FALSE(BandModel::Create({.step = Duration(0)}).ok());
  EXPECT_FALSE(BandModel::Create({.level_gain = 0}).ok());
  EXPECT_FALSE(BandModel::Create({.spread_gain = 1.5}).ok());
  EXPECT_FALSE(BandModel::Create({.exclusions = {{At(10), At(5)}}}).ok());
  EXPECT_FALSE(BandModel::Create({.exclusions = {{At(10), At(20)}, {At(15), At(30)}}}).ok());
}

TEST(BandModelTest, LearnsDailyAndWeeklySeasonalityInFourteenDays) {
  const int n = 21 * kPerDay;
  const std::vector<double> values = SeasonalSeries(n, 1);
  BandModel model = MakeModel({.kind = MetricKind::kNetwork});
  int flagged = 0, judged = 0;
  double abs_error = 0;
  for (int i = 0; i < n; ++i) {
    const BandPoint p = model.Update(At(i), values[i]);
    EXPECT_EQ(p.trained, i >= 14 * kPerDay) << i;
    if (!p.trained) continue;
    ++judged;
    flagged += p.anomaly;
    abs_error += std::abs(p.expected - Seasonal(i));
    EXPECT_LE(p.lower, p.expected);
    EXPECT_GE(p.upper, p.expected);
  }
  EXPECT_LT(abs_error / judged, 0.75 * kNoise);  // The weekend drop is learned.
  EXPECT_LT(static_cast<double>(flagged) / judged, 0.01) << flagged << " of " << judged;
}

TEST(BandModelTest, FlagsInjectedSpikesAndRanksThemBySize) {
  const int n = 18 * kPerDay;
  std::vector<double> values = SeasonalSeries(n, 2);
  std::vector<int> spikes;
  for (int i = 14 * kPerDay + 50; i < n; i += 97) spikes.push_back(i);
  for (size_t s = 0; s < spikes.size(); ++s) {
    values[spikes[s]] += (s % 2 == 0 ? 1 : -1) * kNoise * (10.0 + static_cast<double>(s % 5));
  }
  BandModel model = MakeModel({.kind = MetricKind::kCpu});
  std::vector<double> scores(n);
  for (int i = 0; i < n; ++i) scores[i] = model.Update(At(i), values[i]).score;
  double smallest_spike_score = 1.0, largest_normal_score = 0.0;
  for (int i = 14 * kPerDay; i < n; ++i) {
    const bool spike = std::find(spikes.begin(), spikes.end(), i) != spikes.end();
    if (spike)
      smallest_spike_score = std::min(smallest_spike_score, scores[i]);
    else
      largest_normal_score = std::max(largest_normal_score, scores[i]);
    EXPECT_GE(scores[i], 0.0);
    EXPECT_LT(scores[i], 1.0);
  }
  EXPECT_GT(smallest_spike_score, 0.3);                   // Every spike well outside the band...
  EXPECT_GT(smallest_spike_score, largest_normal_score);  // ...and above every normal point.
}

TEST(BandModelTest, LevelShiftIsFlaggedThenAbsorbed) {
  const int n = 20 * kPerDay;
  const int shift_at = 16 * kPerDay;
  std::vector<double> values = SeasonalSeries(n, 3);
  for (int i = shift_at; i < n; ++i) values[i] += 15 * kNoise;
  BandModel model = MakeModel();
  int flagged_first_hour = 0, flagged_last_day = 0;
  for (int i = 0; i < n; ++i) {
    const BandPoint p = model.Update(At(i), values[i]);
    if (i >= shift_at && i < shift_at + 12) flagged_first_hour += p.anomaly;
    if (i >= n - kPerDay) flagged_last_day += p.anomaly;
  }
  EXPECT_GE(flagged_first_hour, 10);
  EXPECT_LE(flagged_last_day, kPerDay / 50);
}

TEST(BandModelTest, SlowDriftIsFollowedNotFlagged) {
  const int n = 21 * kPerDay;
  std::vector<double> values = SeasonalSeries(n, 4);
  for (int i = 0; i < n; ++i) values[i] += 2.0 * i / kPerDay;  // One sigma a day.
  BandModel model = MakeModel();
  int flagged = 0;
  for (int i = 0; i < n; ++i) flagged += model.Update(At(i), values[i]).anomaly;
  EXPECT_LT(flagged, 7 * kPerDay / 100);
}

TEST(BandModelTest, NothingFlaggedBeforeTrainingNorOnMissingValues) {
  BandModel model = MakeModel({.training = days(2)});
  const std::vector<double> values = SeasonalSeries(3 * kPerDay, 5);
  for (int i = 0; i < 2 * kPerDay; ++i) {
    const double v = i == 100 ? 1e6 : values[i];
    EXPECT_FALSE(model.Update(At(i), v).anomaly) << i;
  }
  const BandPoint missing = model.Update(At(2 * kPerDay), kMissing);
  EXPECT_TRUE(missing.trained);
  EXPECT_FALSE(missing.anomaly);
  EXPECT_EQ(missing.score, 0.0);
  const BandPoint high = model.Update(At(2 * kPerDay + 1), 1e6);
  EXPECT_TRUE(high.anomaly);
  EXPECT_GT(high.deviation, 100.0);  // In spreads, signed.
  EXPECT_LT(model.Update(At(2 * kPerDay + 2), -1e6).deviation, -100.0);
}

TEST(BandModelTest, ExclusionWindowsAreNotLearned) {
  const int n = 15 * kPerDay;
  const int incident_from = 10 * kPerDay, incident_to = incident_from + 3 * kPerDay;
  const std::vector<double> clean_values = SeasonalSeries(n, 6);
  std::vector<double> values = clean_values;
  for (int i = incident_from; i < incident_to; ++i) values[i] += 40 * kNoise;
  BandModel excluded = MakeModel({.exclusions = {{At(incident_from), At(incident_to)}}});
  BandModel learned = MakeModel();
  BandModel clean = MakeModel();  // Never saw the incident.
  double excluded_error = 0, learned_error = 0, clean_error = 0;
  int excluded_flags = 0;
  for (int i = 0; i < n; ++i) {
    const BandPoint a = excluded.Update(At(i), values[i]);
    const BandPoint b = learned.Update(At(i), values[i]);
    const BandPoint c = clean.Update(At(i), clean_values[i]);
    if (i >= incident_to && i < incident_to + kPerDay) {
      excluded_error += std::abs(a.expected - Seasonal(i)) / kPerDay;
      learned_error += std::abs(b.expected - Seasonal(i)) / kPerDay;
      clean_error += std::abs(c.expected - Seasonal(i)) / kPerDay;
    }
    if (i >= 14 * kPerDay) excluded_flags += a.anomaly;
  }
  EXPECT_EQ(excluded.points_learned(), n - 3 * kPerDay);
  // Three days fewer to learn from, but no trace of the incident.
  EXPECT_LT(excluded_error, 1.5 * clean_error);
  EXPECT_GT(learned_error, 5 * excluded_error);  // The incident became "normal" without it.
  EXPECT_LT(excluded_flags, kPerDay / 50);
}

TEST(TimeZoneTest, OffsetsChangeAtTheGivenInstants) {
  // America/New_York in 2026: EST (-5 h) until 2026-03-08 07:00 UTC, then EDT (-4 h) until
  // 2026-11-01 06:00 UTC.
  const Timestamp spring = Timestamp(std::chrono::seconds(1772953200));
  const Timestamp fall = Timestamp(std::chrono::seconds(1793512800));
  auto zone = TimeZone::FromChanges(-hours(5), {{spring, -hours(4)}, {fall, -hours(5)}});
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(zone->OffsetAt(spring - std::chrono::seconds(1)), -hours(5));
  EXPECT_EQ(zone->OffsetAt(spring), -hours(4));
  EXPECT_EQ(zone->OffsetAt(fall), -hours(5));
  EXPECT_EQ(TimeZone::Fixed(hours(2)).OffsetAt(spring), hours(2));
  EXPECT_FALSE(TimeZone::FromChanges(Duration(0), {{fall, hours(1)}, {spring, hours(2)}}).ok());
  EXPECT_FALSE(TimeZone::FromChanges(hours(19), {}).ok());
}

// Business hours 09:00-17:00 New York time: 100, else 10. Fourteen days of EST, then the
// switch to EDT: the zone-aware band follows the wall clock, a fixed -5 h band does not.
TEST(BandModelTest, DaylightSavingChangeFollowsTheWallClock) {
  const Timestamp spring = Timestamp(std::chrono::seconds(1772953200));  // 2026-03-08 07:00Z
  auto zone = TimeZone::FromChanges(-hours(5), {{spring, -hours(4)}});
  ASSERT_TRUE(zone.ok());
  const Timestamp start = spring - days(15);
  const int n = 22 * kPerDay;
  Rng rng(7);
  BandModel aware = MakeModel({.time_zone = *zone, .weekly = false});
  BandModel fixed = MakeModel({.time_zone = TimeZone::Fixed(-hours(5)), .weekly = false});
  int aware_flags = 0, fixed_flags = 0;
  for (int i = 0; i < n; ++i) {
    const Timestamp t = start + kStep * i;
    const int64_t local_hour = (zone->LocalSeconds(t) / 3600) % 24;
    const double v = (local_hour >= 9 && local_hour < 17 ? 100.0 : 10.0) + Gaussian(rng);
    const bool after = t >= spring + days(1);
    const BandPoint a = aware.Update(t, v);
    const BandPoint f = fixed.Update(t, v);
    aware_flags += after && a.anomaly;
    fixed_flags += after && f.anomaly;
  }
  EXPECT_LT(aware_flags, 20);
  EXPECT_GT(fixed_flags, 5 * 12);  // The hour at each edge, on most of the days after.
}

}  // namespace
}  // namespace prescient::anomaly
