// LoadTrace: a service's request rate over time, from a trace of counts per bucket (the
// CSV format of ../shared/data/traces: `timestamp,value`, value = requests counted in
// the bucket starting at timestamp). The rate is count / bucket seconds, placed at the
// bucket's centre and interpolated linearly between centres; missing buckets are
// interpolated from their neighbours.
// Immutable after scaling, thread-safe to read. Tested by trace_test.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/series.h"
#include "prescient/core/time.h"

namespace prescient::sim {

class LoadTrace {
 public:
  // InvalidArgument (naming `source` and the point) for negative or infinite counts, or
  // a trace with no value at all.
  static Result<LoadTrace> FromCounts(const Series& counts, std::string_view source);

  Timestamp start() const { return start_; }
  Timestamp end() const { return start_ + step_ * static_cast<int64_t>(rps_.size()); }
  Duration step() const { return step_; }

  // Requests per second at t (clamped to the first/last bucket outside the trace).
  double RateAt(Timestamp t) const;
  double RateAt(double epoch_seconds) const;
  // Mean rate over each whole minute in [from, to), i.e. what a per-minute counter shows.
  Series MinuteRates(Timestamp from, Timestamp to) const;
  // Quantile of the per-bucket rates, q in [0, 1].
  double Quantile(double q) const;

  void Scale(double factor);

 private:
  Timestamp start_{};
  Duration step_{60};
  std::vector<double> rps_;  // One per bucket.
};

}  // namespace prescient::sim
