#include "prescient/core/series.h"

#include <algorithm>
#include <map>
#include <string>

namespace prescient {
namespace {

std::string Where(const TimedValue& p, size_t index) {
  if (p.line > 0) return "line " + std::to_string(p.line);
  return "point " + std::to_string(index);
}

}  // namespace

Result<Series> Series::FromPoints(std::span<const TimedValue> points) {
  if (points.empty()) return InvalidArgumentError("no data points");
  if (points.size() == 1) return Series(points[0].time, Duration(0), {points[0].value});

  std::map<int64_t, int64_t> gap_counts;
  for (size_t i = 1; i < points.size(); ++i) {
    const int64_t gap = (points[i].time - points[i - 1].time).count();
    if (gap == 0)
      return InvalidArgumentError(Where(points[i], i) + ": duplicate timestamp " +
                                  FormatTimestamp(points[i].time));
    if (gap < 0)
      return InvalidArgumentError(Where(points[i], i) + ": timestamp " +
                                  FormatTimestamp(points[i].time) + " is before the previous one");
    ++gap_counts[gap];
  }
  // The most common gap; ties go to the smallest.
  int64_t step = 0, best = 0;
  for (const auto& [gap, count] : gap_counts) {
    if (count > best) {
      best = count;
      step = gap;
    }
  }
  const int64_t span = (points.back().time - points.front().time).count();
  if (span / step + 1 > kMaxSeriesPoints) {
    return InvalidArgumentError("series would span " + std::to_string(span / step + 1) +
                                " steps of " + FormatDuration(Duration(step)) + " (limit " +
                                std::to_string(kMaxSeriesPoints) + ")");
  }
  std::vector<double> values(static_cast<size_t>(span / step + 1), kMissing);
  for (size_t i = 0; i < points.size(); ++i) {
    const int64_t offset = (points[i].time - points.front().time).count();
    if (offset % step != 0) {
      return InvalidArgumentError(Where(points[i], i) +
                                  ": irregular step: " + FormatTimestamp(points[i].time) +
                                  " is not on the " + FormatDuration(Duration(step)) +
                                  " grid that starts at " + FormatTimestamp(points.front().time));
    }
    values[static_cast<size_t>(offset / step)] = points[i].value;
  }
  return Series(points.front().time, Duration(step), std::move(values));
}

size_t Series::CountMissing() const {
  return static_cast<size_t>(std::count_if(values_.begin(), values_.end(), IsMissing));
}

Series Series::Slice(size_t from, size_t to) const {
  to = std::min(to, values_.size());
  from = std::min(from, to);
  return Series(TimeAt(from), step_,
                std::vector<double>(values_.begin() + static_cast<ptrdiff_t>(from),
                                    values_.begin() + static_cast<ptrdiff_t>(to)));
}

}  // namespace prescient
