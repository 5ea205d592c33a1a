// Range queries longer than Prometheus allows: splitting [start, end] at `step` into
// requests of at most `max_points` points each (Prometheus refuses more than 11,000 per
// series), and placing the samples of the answers back on the one regular grid.
// Pure functions, thread-safe. Tested by prometheus_client_test.cc.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/series.h"
#include "prescient/core/time.h"
#include "prescient/prom/api_response.h"

namespace prescient::prom {

// Prometheus' limit: (end - start) / step may not exceed 11,000.
inline constexpr int64_t kPrometheusMaxPoints = 11'000;

struct RangeChunk {
  Timestamp start;
  Timestamp end;  // Inclusive: the chunk's last point.
};

// The number of grid points start, start + step, ... <= end (0 if end < start).
int64_t CountPoints(Timestamp start, Timestamp end, Duration step);

// Consecutive, non-overlapping chunks on the grid of `start` covering every point up to
// `end`, each with at most `max_points` points. InvalidArgument if step <= 0,
// max_points < 1, end < start or the grid has more than kMaxSeriesPoints points.
Result<std::vector<RangeChunk>> SplitRange(Timestamp start, Timestamp end, Duration step,
                                           int64_t max_points);

// Writes the samples that fall on the grid of `grid` (start + i * step, i < size) into its
// values; a sample off the grid or outside it is ignored, and a point seen twice (the
// border of two chunks) keeps one value. Sample times are rounded to whole seconds.
void PlaceSamples(std::span<const Sample> samples, Series& grid);

}  // namespace prescient::prom
