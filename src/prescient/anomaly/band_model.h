// BandModel: the learned normal band of one metric (MISSION.md section 4): a seasonal
// baseline (level + time-of-day + time-of-week, in the metric's local time) and a robust
// spread, so band = expected +- k x spread with k per metric kind. Fed one point at a time
// in time order, O(1) per point; each point is judged against the model *before* it learns
// from it (strictly causal). Pure: no I/O, no clock.
// Thread-compatible. Tested by band_model_test.cc.
#pragma once

#include <chrono>
#include <vector>

#include "prescient/anomaly/time_zone.h"
#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::anomaly {

enum class MetricKind { kCpu, kMemory, kNetwork, kApiRequests, kRestarts, kOther };

// Band half-widths in spreads (MISSION.md section 4); kOther gets the wider 3.
double DefaultBandWidth(MetricKind kind);

inline constexpr Duration kDefaultTraining = std::chrono::days(14);

// A known incident: points in [from, to) are judged but never learned from.
struct ExclusionWindow {
  Timestamp from;
  Timestamp to;
};

struct BandOptions {
  MetricKind kind = MetricKind::kOther;
  double band_width = 0;  // k; 0 means DefaultBandWidth(kind).
  Duration step{300};     // The sampling step: one seasonal slot per step. Required > 0.
  TimeZone time_zone;
  Duration training = kDefaultTraining;  // No point is flagged before this much history.
  bool daily = true;
  bool weekly = true;
  std::vector<ExclusionWindow> exclusions;  // Sorted by `from`, non-overlapping.
  // Smoothing gains (per point; a slot's gains are per visit of that slot). While a
  // component has seen fewer than 1/gain points it averages them instead.
  double level_gain = 0.002;
  double daily_gain = 0.05;
  double weekly_gain = 0.1;
  double spread_gain = 0.02;
  // Residuals are clipped at this many spreads before they update the baseline (Huber),
  // so a spike barely moves it; a level shift is absorbed in a few dozen points.
  double clip = 2.5;
};

struct BandPoint {
  double expected = 0;
  double lower = 0;
  double upper = 0;
  double deviation = 0;  // (value - expected) / spread; 0 for a missing value.
  double score = 0;      // 0 inside the band, rising towards 1 the further outside.
  bool anomaly = false;  // Outside the band, after training, on a present value.
  bool trained = false;  // The model has `training` worth of history.
};

class BandModel {
 public:
  // InvalidArgument on a non-positive step, a negative band width or gain outside (0, 1],
  // or unsorted exclusions.
  static Result<BandModel> Create(BandOptions options);

  // Judges `value` at `t` against the band so far, then learns from it (unless it is
  // missing (NaN), excluded or earlier than the last point). O(1) amortised.
  BandPoint Update(Timestamp t, double value);
  // The judgement alone.
  BandPoint Evaluate(Timestamp t, double value) const;

  double band_width() const { return band_width_; }
  int64_t points_learned() const { return points_learned_; }

 private:
  explicit BandModel(BandOptions options);
  struct Slots {
    size_t day = 0;
    size_t week = 0;
  };
  Slots SlotsAt(Timestamp t) const;
  double Expected(const Slots& slots) const;
  double Spread(const Slots& slots) const;
  bool Excluded(Timestamp t);
  void Learn(const Slots& slots, double value);

  BandOptions options_;
  double band_width_ = 0;
  int64_t slots_per_day_ = 1;
  int64_t slots_per_week_ = 1;

  bool started_ = false;
  Timestamp first_{};
  Timestamp last_{};
  int64_t points_learned_ = 0;
  size_t next_exclusion_ = 0;

  double level_ = 0;
  double global_spread_ = 0;  // Mean absolute residual, all slots.
  double magnitude_ = 0;      // Mean |value|: floors the spread of a flat line.
  std::vector<double> day_offset_, day_spread_;
  std::vector<int32_t> day_seen_;
  std::vector<double> week_offset_;
  std::vector<int32_t> week_seen_;
};

}  // namespace prescient::anomaly
