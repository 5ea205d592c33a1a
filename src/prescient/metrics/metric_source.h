// MetricSource: where load history comes from. The simulator and Prometheus both
// implement it, so the controller reads history the same way in a replay and in
// production. Interface only; implementations say how thread-safe they are.
#pragma once

#include <string>

#include "prescient/core/result.h"
#include "prescient/core/series.h"
#include "prescient/core/time.h"

namespace prescient::metrics {

class MetricSource {
 public:
  virtual ~MetricSource() = default;

  // The query evaluated at start, start + step, ... up to and including end (a point at
  // end only if it is a whole number of steps from start). The result has exactly that
  // grid: Series(start, step, values) with one value per step. A step where the query has
  // no value is a gap, kMissing (NaN); a query with no data at all is an all-gap series,
  // not an error. A value that is itself NaN is indistinguishable from a gap.
  // A query that yields several series is InvalidArgument (aggregate it first).
  // Errors carry the query; Unavailable and DeadlineExceeded are worth retrying.
  virtual Result<Series> QueryRange(const std::string& query, Timestamp start, Timestamp end,
                                    Duration step) = 0;

  // The query's value at `at`: kMissing (NaN) if it has none, InvalidArgument if it yields
  // several series or something that is not a number.
  virtual Result<double> QueryInstant(const std::string& query, Timestamp at) = 0;
};

}  // namespace prescient::metrics
