#include "prescient/controller/guardrails.h"

#include <algorithm>

namespace prescient::controller {

GuardrailDecision ApplyGuardrails(const GuardrailLimits& limits, const GuardrailInput& in) {
  GuardrailDecision d;
  int want = std::max(in.proposed, limits.min_replicas);
  if (limits.max_replicas > 0) want = std::min(want, limits.max_replicas);
  auto clip = [&](int to, std::string reason) {
    d.clipped = true;
    if (!d.reason.empty()) d.reason += "; ";
    d.reason += std::move(reason);
    want = to;
  };
  if (want != in.proposed) {
    clip(want, want > in.proposed ? "raised to minReplicas " + std::to_string(want)
                                  : "capped at maxReplicas " + std::to_string(want));
  }
  if (want > in.current) {
    if (limits.max_step_up > 0 && want - in.current > limits.max_step_up) {
      clip(in.current + limits.max_step_up,
           "maxScaleUpStep " + std::to_string(limits.max_step_up) + " per change");
    }
  } else if (want < in.current) {
    if (!in.metrics_fresh) {
      clip(in.current, "metrics missing or stale: fail static, no scale-down");
    } else if (limits.max_step_down == 0) {
      clip(in.current, "maxScaleDownStep 0: never lowers");
    } else if (in.last_change.has_value() &&
               in.now - *in.last_change < limits.scale_down_cooldown) {
      clip(in.current, "scaleDownCooldown " + FormatDuration(limits.scale_down_cooldown) +
                           " since the last change");
    } else if (in.current - want > limits.max_step_down) {
      clip(in.current - limits.max_step_down,
           "maxScaleDownStep " + std::to_string(limits.max_step_down) + " per change");
    }
  }
  d.to = want;
  return d;
}

}  // namespace prescient::controller
