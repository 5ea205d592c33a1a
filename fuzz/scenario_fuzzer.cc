// Fuzzes the scenario decoder (sim/scenario.h): any bytes must give a Scenario or one
// InvalidArgument line, never a crash, a hang or an escaped yaml-cpp exception. No file
// is read: ParseScenario leaves the traces unloaded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prescient/core/check.h"
#include "prescient/sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  prescient::Result<prescient::sim::Scenario> s = prescient::sim::ParseScenario(text, "fuzz.yaml");
  if (!s.ok()) {
    PRESCIENT_CHECK(s.status().code() == prescient::StatusCode::kInvalidArgument);
    PRESCIENT_CHECK(s.status().message().find('\n') == std::string::npos);
    return 0;
  }
  PRESCIENT_CHECK(!s->services.empty());
  return 0;
}
