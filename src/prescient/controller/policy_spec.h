// STUB: replaced by the wt-policy branch's policy_spec.h on merge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::controller {
enum class PolicyMode { kForecastOnly, kForecastAndScale };
enum class ApplyTo { kHpaMinReplicas, kReplicas };
struct PlaceholderSpec {
  bool enabled = false;
  std::string priority_class = "prescient-placeholder";
  int priority = -10;
  int cpu_millicores = 0;
  int64_t memory_bytes = 0;
  Duration lead{1800};
  std::string image = "registry.k8s.io/pause:3.9";
};
struct PolicySpec {
  std::string source;
  int line = 0;
  std::string name;
  std::string ns = "default";
  std::string target;
  std::string hpa;
  std::string query;
  double capacity_per_pod = 0;
  Duration horizon{7200};
  Duration refresh{900};
  std::optional<Duration> lead_time;
  Duration history{14 * 86400};
  Duration step{60};
  Duration stale_after{300};
  int min_replicas = 1;
  int max_replicas = 0;
  double level = 95;
  PolicyMode mode = PolicyMode::kForecastAndScale;
  ApplyTo apply_to = ApplyTo::kHpaMinReplicas;
  int max_step_up = 0;
  int max_step_down = 1;
  Duration scale_down_cooldown{600};
  std::string model = "auto";
  PlaceholderSpec placeholder;
};
std::vector<Result<PolicySpec>> LoadPolicies(const std::vector<std::string>& paths);
std::vector<Result<PolicySpec>> ParsePolicies(std::string_view yaml,
                                              const std::string& source_name);
}  // namespace prescient::controller
