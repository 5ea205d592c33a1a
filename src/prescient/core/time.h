// Timestamps (UTC, whole seconds) and their text forms: ISO-8601 and epoch seconds.
// Pure functions, thread-safe. Tested by time_test.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "prescient/core/result.h"

namespace prescient {

using Timestamp = std::chrono::sys_seconds;
using Duration = std::chrono::seconds;

// Accepts epoch seconds ("1404165600", optional fraction ".0" which must be zero) and
// ISO-8601 "YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|+HH:MM|-HH:MM|+HHMM]". A time without an
// offset is read as UTC. InvalidArgument names what is wrong.
Result<Timestamp> ParseTimestamp(std::string_view text);

// "2014-07-01T00:00:00Z".
std::string FormatTimestamp(Timestamp t);

// "5m", "1h", "1d", "30s", "2h30m"; also plain seconds "300". Positive only.
Result<Duration> ParseDuration(std::string_view text);
// Shortest form: "5m", "1h", "1d", "90s".
std::string FormatDuration(Duration d);

}  // namespace prescient
