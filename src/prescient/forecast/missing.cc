#include "prescient/forecast/missing.h"

#include <cmath>

namespace prescient::forecast {

Result<FilledHistory> FillMissing(std::span<const double> values, int period) {
  size_t first = 0;
  while (first < values.size() && std::isnan(values[first])) ++first;
  if (first == values.size()) return InvalidArgumentError("all values are missing");
  FilledHistory out;
  out.dropped_leading = first;
  out.values.assign(values.begin() + static_cast<ptrdiff_t>(first), values.end());
  std::vector<double>& y = out.values;
  const size_t n = y.size();
  const size_t p = period >= 2 ? static_cast<size_t>(period) : 0;
  // Reference for point i: y[i - p] (already filled, since we go left to right) or 0.
  auto reference = [&](size_t i) { return (p > 0 && i >= p) ? y[i - p] : 0.0; };
  size_t i = 1;
  while (i < n) {
    if (!std::isnan(y[i])) {
      ++i;
      continue;
    }
    const size_t gap_start = i;  // y[gap_start - 1] is known.
    size_t gap_end = i;
    while (gap_end < n && std::isnan(y[gap_end])) ++gap_end;
    const double left_dev = y[gap_start - 1] - reference(gap_start - 1);
    // Deviation on the right needs the reference at gap_end, which may itself depend on
    // gap points (when the gap is longer than a period); fill left to right first.
    const bool has_right = gap_end < n;
    for (size_t j = gap_start; j < gap_end; ++j) {
      y[j] = reference(j) + left_dev;  // Provisional: flat deviation.
    }
    if (has_right) {
      const double right_dev = y[gap_end] - reference(gap_end);
      const double span = static_cast<double>(gap_end - gap_start + 1);
      for (size_t j = gap_start; j < gap_end; ++j) {
        const double w = static_cast<double>(j - gap_start + 1) / span;
        y[j] = reference(j) + (1 - w) * left_dev + w * right_dev;
      }
    }
    out.filled += gap_end - gap_start;
    i = gap_end;
  }
  return out;
}

}  // namespace prescient::forecast
