// TimeZone: a metric's local time as UTC plus an offset that may change at given instants
// (daylight saving). GCC 12's libstdc++ has no chrono tzdb, so a zone is written down as
// its offset changes: a fixed offset ("UTC+05:30") or a list "from this UTC instant on,
// the offset is X" copied from the tz database for the years the data spans.
// Value type, thread-compatible after construction. Tested by band_model_test.cc.
#pragma once

#include <chrono>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::anomaly {

struct UtcOffsetChange {
  Timestamp from;       // The first UTC instant with this offset.
  Duration utc_offset;  // Local time = UTC + utc_offset.
};

class TimeZone {
 public:
  TimeZone() = default;  // UTC.
  static TimeZone Fixed(Duration utc_offset);
  // `base` applies before the first change. InvalidArgument unless the changes are in
  // strictly increasing order and every offset is within +-18 h.
  static Result<TimeZone> FromChanges(Duration base, std::vector<UtcOffsetChange> changes);

  Duration OffsetAt(Timestamp t) const;
  // Seconds since the epoch on the local wall clock (UTC seconds + offset).
  int64_t LocalSeconds(Timestamp t) const { return (t + OffsetAt(t)).time_since_epoch().count(); }

 private:
  Duration base_{0};
  std::vector<UtcOffsetChange> changes_;
};

}  // namespace prescient::anomaly
