// PolicySpec: a PredictiveScalingPolicy (apiVersion prescient.dev/v1alpha1), the resource
// that asks the controller to forecast one Deployment's load and scale it ahead of it
// (MISSION.md section 2). It is YAML shaped as a Kubernetes custom resource, so it can
// become a CRD; docs/policy.md is the field reference. Decoding is strict (config/
// yaml_reader.h): each bad document is one line "FILE:LINE: field.path: what is wrong".
// Pure functions except LoadPolicies (files). Thread-safe.
// Tested by policy_spec_test.cc and fuzz/policy_fuzzer.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::controller {

inline constexpr std::string_view kPolicyApiVersion = "prescient.dev/v1alpha1";
inline constexpr std::string_view kPolicyKind = "PredictiveScalingPolicy";

// Defaults (MISSION.md section 2) and limits of the spec's fields.
inline constexpr Duration kDefaultHorizon{7200};
inline constexpr Duration kMinHorizon{300};
inline constexpr Duration kMaxHorizon{7 * 86400};
inline constexpr Duration kDefaultRefresh{900};
inline constexpr Duration kMinRefresh{60};
inline constexpr Duration kDefaultBucket{300};
inline constexpr Duration kMaxBucket{3600};
inline constexpr Duration kDefaultHistory{14 * 86400};
inline constexpr Duration kMinHistory{2 * 86400};
inline constexpr Duration kDefaultStep{60};
inline constexpr Duration kDefaultStaleAfter{300};
inline constexpr Duration kDefaultScaleDownCooldown{600};
inline constexpr Duration kDefaultPlaceholderLead{1800};
inline constexpr double kDefaultLevel = 95;
inline constexpr int kMaxPolicyReplicas = 100000;

enum class PolicyMode { kForecastOnly, kForecastAndScale };  // ForecastOnly | ForecastAndScale
enum class ApplyTo { kHpaMinReplicas, kReplicas };           // HpaMinReplicas | Replicas

// The YAML spelling: "ForecastAndScale", "HpaMinReplicas", ...
std::string_view PolicyModeName(PolicyMode mode);
std::string_view ApplyToName(ApplyTo apply_to);

// Placeholder pods: low-priority pause pods that hold warm node capacity ahead of the
// forecast peak and are preempted by the real pods (MISSION.md section 3).
struct PlaceholderSpec {
  bool enabled = false;  // spec.placeholder.enabled; true if the block is present without it.
  std::string priority_class = "prescient-placeholder";  // spec.placeholder.priorityClassName
  int priority = -10;        // spec.placeholder.priority: of the PriorityClass created if missing.
  int cpu_millicores = 0;    // spec.placeholder.resources.requests.cpu; 0 = the target's.
  int64_t memory_bytes = 0;  // spec.placeholder.resources.requests.memory; 0 = the target's.
  Duration lead{kDefaultPlaceholderLead};  // spec.placeholder.leadTime: warm nodes this early.
  std::string image = "registry.k8s.io/pause:3.9";  // spec.placeholder.image
};

struct PolicySpec {
  std::string source;          // FILE (for messages).
  int line = 0;                // Line of the document's start (its first key) in FILE.
  std::string name;            // metadata.name (required, DNS label).
  std::string ns = "default";  // metadata.namespace
  // spec.targetRef: {apiVersion: apps/v1, kind: Deployment, name}; only that is accepted.
  std::string target;           // The Deployment's name.
  std::string hpa;              // spec.hpaName; default the target's name (the HPA to raise).
  std::string query;            // spec.metric.query: PromQL giving requests per second (required).
  double capacity_per_pod = 0;  // spec.capacityPerPod: rps per pod within SLO (required, > 0).
  Duration horizon{kDefaultHorizon};  // spec.horizon, [5m, 7d].
  Duration refresh{kDefaultRefresh};  // spec.refresh, >= 1m and <= horizon.
  // spec.bucket: the forecast's resolution, whole minutes dividing a day, [1m, 1h]. Each
  // bucket is sized for its busiest minute.
  Duration bucket{kDefaultBucket};
  // spec.leadTime; unset: measured pod start-up + node provisioning, else 30m (the
  // controller decides). Set: leadTime + refresh <= horizon.
  std::optional<Duration> lead_time;
  Duration history{kDefaultHistory};                // spec.history, >= 2d.
  Duration step{kDefaultStep};                      // spec.metric.step: query resolution.
  Duration stale_after{kDefaultStaleAfter};         // spec.metric.staleAfter, >= step.
  int min_replicas = 1;                             // spec.minReplicas, >= 1.
  int max_replicas = 0;                             // spec.maxReplicas (required, >= minReplicas).
  double level = kDefaultLevel;                     // spec.level: interval level in (50, 99.9].
  PolicyMode mode = PolicyMode::kForecastAndScale;  // spec.mode
  ApplyTo apply_to = ApplyTo::kHpaMinReplicas;      // spec.applyTo
  int max_step_up = 0;    // spec.guardrails.maxScaleUpStep: 0 = unlimited.
  int max_step_down = 1;  // spec.guardrails.maxScaleDownStep: 0 = never lower.
  Duration scale_down_cooldown{kDefaultScaleDownCooldown};  // spec.guardrails.scaleDownCooldown
  std::string model = "auto";  // spec.model: "auto" or a name from forecast/registry.h.
  PlaceholderSpec placeholder;
};

// Each document of a file (multi-document YAML, `---`) or each file of a directory
// (*.yaml and *.yml, not recursive, sorted by name) becomes one entry, in order: a spec,
// or the InvalidArgument for that document alone ("FILE:LINE: field.path: what is wrong"),
// so one bad policy does not stop the others. Empty documents are skipped. A second
// policy with the same namespace/name, or for the same Deployment, is an error (on the
// second). A path that cannot be read is one entry "PATH: cannot read: why".
std::vector<Result<PolicySpec>> LoadPolicies(const std::vector<std::string>& paths);
// The same for one text; `source_name` is FILE in messages.
std::vector<Result<PolicySpec>> ParsePolicies(std::string_view yaml,
                                              const std::string& source_name);

}  // namespace prescient::controller
