// Filling missing points before a model sees the history. Leading missing points are
// dropped; interior gaps are filled by seasonal interpolation: the value one period
// earlier (when there is one) plus a straight line between the gap's end deviations, so a
// gap at the daily peak is filled with a peak, not a line under it. Trailing missing
// points are filled the same way from the last known deviation.
// Pure functions, thread-safe. Tested by forecaster_test.cc.
#pragma once

#include <span>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::forecast {

struct FilledHistory {
  std::vector<double> values;  // No NaN.
  size_t dropped_leading = 0;  // Points removed from the front.
  size_t filled = 0;           // Missing points filled in.
};

// `period` is the seasonal reference (0: none, plain linear interpolation).
// InvalidArgument if every value is missing.
Result<FilledHistory> FillMissing(std::span<const double> values, int period);

}  // namespace prescient::forecast
