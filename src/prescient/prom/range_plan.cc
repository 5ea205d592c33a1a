// Chunks are aligned to the grid of the whole range, so every request asks for points the
// final series has, and chunk k starts one step after chunk k-1 ends: no point is asked
// for twice. PlaceSamples still tolerates overlap, in case a server answers off-grid.
#include "prescient/prom/range_plan.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace prescient::prom {

int64_t CountPoints(Timestamp start, Timestamp end, Duration step) {
  if (end < start || step.count() <= 0) return 0;
  return (end - start) / step + 1;
}

Result<std::vector<RangeChunk>> SplitRange(Timestamp start, Timestamp end, Duration step,
                                           int64_t max_points) {
  if (step.count() <= 0) {
    return InvalidArgumentError("step must be positive, not " + std::to_string(step.count()) + "s");
  }
  if (max_points < 1) {
    return InvalidArgumentError("max points per request must be positive, not " +
                                std::to_string(max_points));
  }
  if (end < start) {
    return InvalidArgumentError("end " + FormatTimestamp(end) + " is before start " +
                                FormatTimestamp(start));
  }
  const int64_t points = CountPoints(start, end, step);
  if (points > kMaxSeriesPoints) {
    return InvalidArgumentError(std::to_string(points) + " points at step " + FormatDuration(step) +
                                " is more than a series holds (" +
                                std::to_string(kMaxSeriesPoints) + ")");
  }
  std::vector<RangeChunk> chunks;
  chunks.reserve(static_cast<size_t>((points + max_points - 1) / max_points));
  for (int64_t first = 0; first < points; first += max_points) {
    const int64_t last = std::min(points, first + max_points) - 1;
    chunks.push_back({start + step * first, start + step * last});
  }
  return chunks;
}

void PlaceSamples(std::span<const Sample> samples, Series& grid) {
  const int64_t step = grid.step().count();
  const int64_t start = grid.start().time_since_epoch().count();
  const auto size = static_cast<int64_t>(grid.size());
  for (const Sample& sample : samples) {
    if (!std::isfinite(sample.time)) continue;
    const auto t = static_cast<int64_t>(std::llround(sample.time));
    const int64_t offset = t - start;
    if (offset < 0 || step <= 0 || offset % step != 0) continue;
    const int64_t index = offset / step;
    if (index >= size) continue;
    grid.mutable_values()[static_cast<size_t>(index)] = sample.value;
  }
}

}  // namespace prescient::prom
