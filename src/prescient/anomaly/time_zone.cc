#include "prescient/anomaly/time_zone.h"

#include <algorithm>
#include <string>

namespace prescient::anomaly {
namespace {
constexpr Duration kMaxOffset = std::chrono::hours(18);
bool OffsetInRange(Duration offset) { return offset >= -kMaxOffset && offset <= kMaxOffset; }
}  // namespace

TimeZone TimeZone::Fixed(Duration utc_offset) {
  TimeZone zone;
  zone.base_ = utc_offset;
  return zone;
}

Result<TimeZone> TimeZone::FromChanges(Duration base, std::vector<UtcOffsetChange> changes) {
  if (!OffsetInRange(base)) return InvalidArgumentError("time zone: base offset beyond 18 h");
  for (size_t i = 0; i < changes.size(); ++i) {
    if (!OffsetInRange(changes[i].utc_offset)) {
      return InvalidArgumentError("time zone: change " + std::to_string(i) + " beyond 18 h");
    }
    if (i > 0 && changes[i].from <= changes[i - 1].from) {
      return InvalidArgumentError("time zone: change " + std::to_string(i) +
                                  " is not after the one before");
    }
  }
  TimeZone zone;
  zone.base_ = base;
  zone.changes_ = std::move(changes);
  return zone;
}

Duration TimeZone::OffsetAt(Timestamp t) const {
  if (changes_.empty() || t < changes_.front().from) return base_;
  // The last change at or before t. A handful of changes per year: the search is short.
  const auto it =
      std::upper_bound(changes_.begin(), changes_.end(), t,
                       [](Timestamp v, const UtcOffsetChange& c) { return v < c.from; });
  return std::prev(it)->utc_offset;
}

}  // namespace prescient::anomaly
