// The band model.
//
// Model. For a point x_t at local time u (UTC + the zone's offset at t):
//
//   expected_t = L + D[day slot of u] + W[week hour of u]
//   r_t        = x_t - expected_t                     (judged before learning: causal)
//   spread_t   = 1.2533 * mean |r|                    (mean absolute residual -> sigma)
//   band       = expected_t +- k * spread_t,  k = 2 (CPU, memory, API requests),
//                                                 3 (network, restarts, other)
//   score      = e / (1 + e),  e = max(0, |r| / spread - k)   (0 inside, -> 1 far outside)
//
// L is a local level, D an offset per sampling step of the day, W an offset per hour of
// the week (Monday 00:00 local = hour 0); the week uses hours, not steps, so that two weeks
// of 5-minute data give each week slot 24 points rather than 2. The spread is the mean of
// the global mean absolute residual and that of the point's day slot (once the slot has 4
// points), so a quiet night gets a narrower band than a busy afternoon.
//
// Learning is additive Holt-Winters without trend in error-correction form (Hyndman et al.,
// "Forecasting with Exponential Smoothing", 2008, ch. 2-3, model ETS(A,N,A)), made robust as
// in Gelper, Fried & Croux, "Robust forecasting with exponential and Holt-Winters smoothing"
// (J. Forecasting 29, 2010): the residual is clipped at `clip` spreads (Huber's psi) before
// it updates the baseline, and at 2 x clip before it updates the spread. The clipped error
// e is split in sequence: L += a e; D += d (1 - a) e; W += w (1 - d)(1 - a) e, so the week
// learns only what the day leaves unexplained. Each gain starts as 1/n (a running mean of
// the first points, which gives a clean start without a batch fit) and settles at its
// configured value. Everything is O(1) per point; memory is one double per day step plus
// 168 week hours.
//
// Known failure modes. A level shift is flagged, then absorbed over ~1/level_gain points
// (clipping slows that, the growing spread speeds it up): a long incident not declared as
// an exclusion becomes "normal". A slow drift (slower than the level gain) is followed and
// never flagged: that is by design for a band, and what trend alarms are for. A flat line
// has a near-zero spread, floored at 1e-3 of the mean magnitude, so any change is an
// anomaly. Seasonality other than daily and weekly (monthly billing runs) is not modelled.
#include "prescient/anomaly/band_model.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace prescient::anomaly {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerWeek = 7 * kSecondsPerDay;
constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kHoursPerWeek = 168;
// 1970-01-01 was a Thursday: shifting by 3 days puts Monday 00:00 at 0.
constexpr int64_t kMondayShift = 3 * kSecondsPerDay;
// Mean absolute deviation of a normal variable is sigma * sqrt(2 / pi).
constexpr double kMadToSigma = 1.2533141373155003;
constexpr int32_t kMinSlotSpreadPoints = 4;
constexpr int64_t kMinPointsBeforeClipping = 20;

int64_t FloorMod(int64_t a, int64_t m) {
  const int64_t r = a % m;
  return r < 0 ? r + m : r;
}

bool ValidGain(double g) { return g > 0.0 && g <= 1.0; }

}  // namespace

double DefaultBandWidth(MetricKind kind) {
  switch (kind) {
    case MetricKind::kCpu:
    case MetricKind::kMemory:
    case MetricKind::kApiRequests:
      return 2.0;
    case MetricKind::kNetwork:
    case MetricKind::kRestarts:
    case MetricKind::kOther:
      return 3.0;
  }
  return 3.0;
}

Result<BandModel> BandModel::Create(BandOptions options) {
  if (options.step <= Duration::zero()) return InvalidArgumentError("band: step must be > 0");
  if (options.band_width < 0) return InvalidArgumentError("band: band width must be >= 0");
  if (options.training < Duration::zero()) {
    return InvalidArgumentError("band: training must be >= 0");
  }
  if (!ValidGain(options.level_gain) || !ValidGain(options.daily_gain) ||
      !ValidGain(options.weekly_gain) || !ValidGain(options.spread_gain)) {
    return InvalidArgumentError("band: gains must be in (0, 1]");
  }
  if (!(options.clip > 0)) return InvalidArgumentError("band: clip must be > 0");
  for (size_t i = 0; i < options.exclusions.size(); ++i) {
    const ExclusionWindow& w = options.exclusions[i];
    if (w.to <= w.from || (i > 0 && w.from < options.exclusions[i - 1].to)) {
      return InvalidArgumentError("band: exclusion " + std::to_string(i) +
                                  " is empty, unsorted or overlaps the one before");
    }
  }
  return BandModel(std::move(options));
}

BandModel::BandModel(BandOptions options) : options_(std::move(options)) {
  band_width_ = options_.band_width > 0 ? options_.band_width : DefaultBandWidth(options_.kind);
  const int64_t step = options_.step.count();
  slots_per_day_ = (kSecondsPerDay + step - 1) / step;
  day_offset_.assign(slots_per_day_, 0.0);
  day_spread_.assign(slots_per_day_, 0.0);
  day_seen_.assign(slots_per_day_, 0);
  week_offset_.assign(kHoursPerWeek, 0.0);
  week_seen_.assign(kHoursPerWeek, 0);
}

BandModel::Slots BandModel::SlotsAt(Timestamp t) const {
  const int64_t local = options_.time_zone.LocalSeconds(t);
  Slots slots;
  slots.day = static_cast<size_t>(FloorMod(local, kSecondsPerDay) / options_.step.count());
  slots.week =
      static_cast<size_t>(FloorMod(local + kMondayShift, kSecondsPerWeek) / kSecondsPerHour);
  return slots;
}

double BandModel::Expected(const Slots& slots) const {
  double expected = level_;
  if (options_.daily) expected += day_offset_[slots.day];
  if (options_.weekly) expected += week_offset_[slots.week];
  return expected;
}

double BandModel::Spread(const Slots& slots) const {
  double mad = global_spread_;
  if (options_.daily && day_seen_[slots.day] >= kMinSlotSpreadPoints) {
    mad = 0.5 * (global_spread_ + day_spread_[slots.day]);
  }
  return std::max(kMadToSigma * mad, std::max(1e-3 * magnitude_, 1e-12));
}

BandPoint BandModel::Evaluate(Timestamp t, double value) const {
  const Slots slots = SlotsAt(t);
  BandPoint point;
  point.expected = Expected(slots);
  const double spread = Spread(slots);
  point.lower = point.expected - band_width_ * spread;
  point.upper = point.expected + band_width_ * spread;
  point.trained = started_ && points_learned_ >= 2 && t - first_ >= options_.training;
  point.deviation = std::isnan(value) ? 0.0 : (value - point.expected) / spread;
  if (!point.trained || std::isnan(value)) return point;
  const double excess = std::abs(point.deviation) - band_width_;
  if (excess > 0) {
    point.score = excess / (1.0 + excess);
    point.anomaly = true;
  }
  return point;
}

BandPoint BandModel::Update(Timestamp t, double value) {
  if (!started_) {
    started_ = true;
    first_ = t;
    last_ = t;
  }
  const BandPoint point = Evaluate(t, value);
  if (!std::isnan(value) && t >= last_ && !Excluded(t)) Learn(SlotsAt(t), value);
  last_ = std::max(last_, t);
  return point;
}

bool BandModel::Excluded(Timestamp t) {
  const std::vector<ExclusionWindow>& windows = options_.exclusions;
  while (next_exclusion_ < windows.size() && windows[next_exclusion_].to <= t) ++next_exclusion_;
  return next_exclusion_ < windows.size() && windows[next_exclusion_].from <= t;
}

void BandModel::Learn(const Slots& slots, double value) {
  const double residual = value - Expected(slots);
  const double n = static_cast<double>(++points_learned_);
  double error = residual;
  double spread_input = std::abs(residual);
  if (points_learned_ > kMinPointsBeforeClipping) {
    const double sigma = Spread(slots);
    error = std::clamp(residual, -options_.clip * sigma, options_.clip * sigma);
    spread_input = std::min(spread_input, 2.0 * options_.clip * sigma);
  }

  const double a = std::max(options_.level_gain, 1.0 / n);
  level_ += a * error;
  double rest = (1.0 - a) * error;
  if (options_.daily) {
    const double d = std::max(options_.daily_gain, 1.0 / ++day_seen_[slots.day]);
    day_offset_[slots.day] += d * rest;
    rest *= 1.0 - d;
    day_spread_[slots.day] += d * (spread_input - day_spread_[slots.day]);
  }
  if (options_.weekly) {
    const double w = std::max(options_.weekly_gain, 1.0 / ++week_seen_[slots.week]);
    week_offset_[slots.week] += w * rest;
  }
  // The first residual is measured against a model of one point: skip it for the spread.
  if (points_learned_ > 1) {
    const double s = std::max(options_.spread_gain, 1.0 / (n - 1.0));
    global_spread_ += s * (spread_input - global_spread_);
  }
  magnitude_ += std::max(0.01, 1.0 / n) * (std::abs(value) - magnitude_);
}

}  // namespace prescient::anomaly
