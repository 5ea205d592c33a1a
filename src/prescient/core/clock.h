// Clock: where "now" comes from. The system clock in production, a manual clock in tests
// and in the simulator (which jumps, so a 14-day replay takes seconds).
// Implementations are thread-safe. Tested by time_test.cc.
#pragma once

#include <atomic>

#include "prescient/core/time.h"

namespace prescient {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Time moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override { return Timestamp(Duration(now_.load())); }
  void Set(Timestamp t) { now_.store(t.time_since_epoch().count()); }
  void Advance(Duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace prescient
