// Series: a metric sampled at a regular step. Missing points are NaN; the step and the
// timestamps are implicit (start + i * step), so a 14-day minute series is one vector.
// Value type, thread-compatible. Tested by series_test.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool IsMissing(double v) { return std::isnan(v); }

// Longest series we build from points (gaps included): ten years of minutes is ~5.3M.
inline constexpr int64_t kMaxSeriesPoints = 20'000'000;

struct TimedValue {
  Timestamp time;
  double value = kMissing;  // NaN: the point is present but its value is missing.
  int64_t line = 0;         // Where it came from, for error messages; 0 if unknown.
};

class Series {
 public:
  Series() = default;
  Series(Timestamp start, Duration step, std::vector<double> values)
      : start_(start), step_(step), values_(std::move(values)) {}

  // Builds a regular series from points in strictly increasing time order. The step is the
  // most common gap; every gap must be a whole multiple of it (missing points in between
  // become NaN). InvalidArgument names the offending line (or point index) otherwise.
  static Result<Series> FromPoints(std::span<const TimedValue> points);

  Timestamp start() const { return start_; }
  Duration step() const { return step_; }
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  Timestamp TimeAt(size_t i) const { return start_ + step_ * static_cast<int64_t>(i); }
  Timestamp end() const { return TimeAt(values_.size()); }  // One step past the last point.
  const std::vector<double>& values() const { return values_; }
  std::vector<double>& mutable_values() { return values_; }
  double operator[](size_t i) const { return values_[i]; }

  size_t CountMissing() const;
  // The same step, values [from, to).
  Series Slice(size_t from, size_t to) const;

 private:
  Timestamp start_{};
  Duration step_{1};
  std::vector<double> values_;
};

}  // namespace prescient
