// Guardrails: the last word on every change the controller makes to a replica count,
// whatever the forecast says (MISSION.md section 2's safety rules):
//   * never outside the policy's [minReplicas, maxReplicas];
//   * at most maxScaleUpStep added and maxScaleDownStep removed per change;
//   * no lowering within scaleDownCooldown of the last change;
//   * never a lowering while the metrics are missing or stale: fail static, keep what
//     is there (raising stays allowed: a floor that is too high costs money, one that is
//     too low costs the SLO).
// Pure, thread-safe. Tested by guardrails_test.cc.
#pragma once

#include <optional>
#include <string>

#include "prescient/core/time.h"

namespace prescient::controller {

struct GuardrailLimits {
  int min_replicas = 1;
  int max_replicas = 0;   // 0 = no upper bound.
  int max_step_up = 0;    // 0 = unlimited.
  int max_step_down = 1;  // 0 = never lower.
  Duration scale_down_cooldown{600};
};

struct GuardrailInput {
  int current = 0;   // What the cluster has now.
  int proposed = 0;  // What the plan asks for.
  bool metrics_fresh = true;
  std::optional<Timestamp> last_change;  // Of this field, by this controller.
  Timestamp now{};
};

struct GuardrailDecision {
  int to = 0;            // What to write; == current means leave it.
  bool clipped = false;  // A guardrail changed the proposal.
  std::string reason;    // Which guardrail, for the audit record and the log ("" if none).
  bool changes(int current) const { return to != current; }
};

GuardrailDecision ApplyGuardrails(const GuardrailLimits& limits, const GuardrailInput& in);

}  // namespace prescient::controller
