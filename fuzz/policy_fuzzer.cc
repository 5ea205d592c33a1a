// Fuzzes the PredictiveScalingPolicy decoder (controller/policy_spec.h): any bytes must
// give, per document, a spec that keeps the documented invariants or one InvalidArgument
// line, never a crash, a hang or an escaped yaml-cpp exception.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prescient/controller/policy_spec.h"
#include "prescient/core/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prescient::controller::PolicySpec;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const prescient::Result<PolicySpec>& r :
       prescient::controller::ParsePolicies(text, "fuzz.yaml")) {
    if (!r.ok()) {
      PRESCIENT_CHECK(r.status().code() == prescient::StatusCode::kInvalidArgument);
      PRESCIENT_CHECK(r.status().message().find('\n') == std::string::npos);
      continue;
    }
    PRESCIENT_CHECK(r->line > 0);
    PRESCIENT_CHECK(!r->name.empty() && !r->target.empty() && !r->hpa.empty());
    PRESCIENT_CHECK(!r->query.empty());
    PRESCIENT_CHECK(std::isfinite(r->capacity_per_pod) && r->capacity_per_pod > 0);
    PRESCIENT_CHECK(r->min_replicas >= 1 && r->max_replicas >= r->min_replicas);
    PRESCIENT_CHECK(r->level > 50 && r->level <= 99.9);
    PRESCIENT_CHECK(r->refresh <= r->horizon && r->stale_after >= r->step);
    PRESCIENT_CHECK(!r->lead_time.has_value() || *r->lead_time + r->refresh <= r->horizon);
  }
  return 0;
}
