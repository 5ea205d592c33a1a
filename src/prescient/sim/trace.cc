#include "prescient/sim/trace.h"

#include <algorithm>
#include <cmath>

#include "prescient/core/status.h"

namespace prescient::sim {

Result<LoadTrace> LoadTrace::FromCounts(const Series& counts, std::string_view source) {
  if (counts.empty()) return InvalidArgumentError(std::string(source) + ": the trace is empty");
  if (counts.step().count() <= 0) {
    return InvalidArgumentError(std::string(source) + ": the trace has no regular step");
  }
  LoadTrace trace;
  trace.start_ = counts.start();
  trace.step_ = counts.step();
  const double seconds = static_cast<double>(counts.step().count());
  trace.rps_.resize(counts.size());
  size_t present = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double v = counts[i];
    if (std::isnan(v)) {
      trace.rps_[i] = v;
      continue;
    }
    if (!std::isfinite(v) || v < 0) {
      return InvalidArgumentError(std::string(source) + ": value at " +
                                  FormatTimestamp(counts.TimeAt(i)) +
                                  " must be a non-negative request count");
    }
    trace.rps_[i] = v / seconds;
    ++present;
  }
  if (present == 0) return InvalidArgumentError(std::string(source) + ": every value is missing");
  // Fill gaps linearly between the nearest present neighbours (flat at the ends).
  auto& r = trace.rps_;
  size_t prev = r.size();
  for (size_t i = 0; i < r.size(); ++i) {
    if (std::isnan(r[i])) continue;
    if (prev == r.size()) {
      std::fill(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(i), r[i]);
    } else {
      for (size_t j = prev + 1; j < i; ++j) {
        const double w = static_cast<double>(j - prev) / static_cast<double>(i - prev);
        r[j] = r[prev] + w * (r[i] - r[prev]);
      }
    }
    prev = i;
  }
  std::fill(r.begin() + static_cast<std::ptrdiff_t>(prev) + 1, r.end(), r[prev]);
  return trace;
}

double LoadTrace::RateAt(double epoch_seconds) const {
  const double step = static_cast<double>(step_.count());
  // Position in buckets relative to the first bucket's centre.
  const double x =
      (epoch_seconds - static_cast<double>(start_.time_since_epoch().count())) / step - 0.5;
  if (x <= 0) return rps_.front();
  const auto i = static_cast<size_t>(x);
  if (i + 1 >= rps_.size()) return rps_.back();
  const double w = x - static_cast<double>(i);
  return rps_[i] + w * (rps_[i + 1] - rps_[i]);
}

double LoadTrace::RateAt(Timestamp t) const {
  return RateAt(static_cast<double>(t.time_since_epoch().count()));
}

Series LoadTrace::MinuteRates(Timestamp from, Timestamp to) const {
  std::vector<double> v;
  const int64_t minutes = std::max<int64_t>(0, (to - from).count() / 60);
  v.reserve(static_cast<size_t>(minutes));
  const double base = static_cast<double>(from.time_since_epoch().count());
  for (int64_t m = 0; m < minutes; ++m) {
    // The mean of a piecewise-linear rate over a minute, by Simpson's rule (exact for
    // linear pieces unless a bucket centre falls inside; close enough then).
    const double t0 = base + 60.0 * static_cast<double>(m);
    v.push_back((RateAt(t0) + 4 * RateAt(t0 + 30) + RateAt(t0 + 60)) / 6);
  }
  return Series(from, Duration(60), std::move(v));
}

double LoadTrace::Quantile(double q) const {
  std::vector<double> sorted = rps_;
  std::sort(sorted.begin(), sorted.end());
  const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

void LoadTrace::Scale(double factor) {
  for (double& r : rps_) r *= factor;
}

}  // namespace prescient::sim
