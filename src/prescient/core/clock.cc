#include "prescient/core/clock.h"

#include <chrono>

namespace prescient {

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace prescient
