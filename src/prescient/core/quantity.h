// Kubernetes resource quantities and short durations as text: "500m" CPU, "2Gi" memory,
// "500ms" latency. The one place every decoder (scenario files, policies, API bodies)
// converts them, so "1.5Gi" means the same bytes everywhere.
// Pure functions, thread-safe. Tested by quantity_test.cc.
#pragma once

#include <cstdint>
#include <string_view>

#include "prescient/core/result.h"

namespace prescient {

// CPU: "1000m", "1", "0.5" -> millicores, in [1m, 1000]. Memory: "2Gi", "512Mi", "1G",
// "1e9", "1000" -> bytes, in [1, 1e15]. Positive only; InvalidArgument without context
// (the caller adds the field).
Result<int> ParseCpuQuantity(std::string_view text);
Result<int64_t> ParseMemoryQuantity(std::string_view text);

// A duration with an optional millisecond form: "500ms", "2s", "1m" -> seconds.
Result<double> ParseSecondsQuantity(std::string_view text);

}  // namespace prescient
