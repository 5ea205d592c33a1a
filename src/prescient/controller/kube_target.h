// KubeTarget: one policy's Deployment as a scaling::ScalingTarget, on the real APIs:
// load history from Prometheus (metrics::MetricSource), replicas and the HPA from the
// Kubernetes API, so the same PredictivePolicy that runs in backtests runs here
// unchanged. Its writes go through the guardrails (guardrails.h) and the Actuator
// (audit, dry-run, leader gate); each names the policy's file and field when it fails.
//   * SetHpaMinReplicas raises or lowers the floor: the HPA's spec.minReplicas (applyTo
//     HpaMinReplicas), or the Deployment's replicas through its scale subresource
//     (applyTo Replicas, for a Deployment without an HPA).
//   * SetPlaceholderReplicas sizes "<target>-prescient-placeholder", a Deployment of
//     pause pods at a low PriorityClass (both created on first use, by server-side
//     apply), whose pods are preempted by real ones and so keep nodes warm.
// Sync() reads the cluster and checks the metric's freshness at the start of each tick;
// the getters return what it read.
// Thread-compatible. Tested by controller_test.cc and controller_integration_test.cc.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "prescient/controller/actuator.h"
#include "prescient/controller/guardrails.h"
#include "prescient/controller/policy_spec.h"
#include "prescient/core/clock.h"
#include "prescient/k8s/rest_client.h"
#include "prescient/metrics/metric_source.h"
#include "prescient/scaling/scaling_target.h"

namespace prescient::controller {

// "<target>-prescient-placeholder", the placeholder Deployment's name.
std::string PlaceholderName(const PolicySpec& spec);

class KubeTarget final : public scaling::ScalingTarget {
 public:
  KubeTarget(const PolicySpec& spec, k8s::RestClient& kube, metrics::MetricSource& metrics,
             const Clock& clock, Actuator& actuator, bool dry_run);

  // Reads the Deployment, the HPA (applyTo HpaMinReplicas) and the placeholder
  // Deployment, and whether the metric has a point within staleAfter. Errors (of the
  // Kubernetes reads only; see metrics_fresh) name the policy's file and field
  // ("FILE:LINE: spec.targetRef.name: ... not found").
  Status Sync();
  bool metrics_fresh() const { return metrics_fresh_; }
  // Why the metrics are not fresh ("" when they are).
  const std::string& metrics_problem() const { return metrics_problem_; }
  // The history LoadHistory returned last, and its error if the query failed.
  const Series& last_history() const { return history_; }
  const Status& history_status() const { return history_status_; }
  int placeholder_replicas() const { return placeholder_replicas_; }
  k8s::RestClient& kube() const { return kube_; }
  // Why the plan wants what it wants; called when a change is made (see PolicyRunner).
  void set_explain(std::function<std::string()> explain) { explain_ = std::move(explain); }

  // scaling::ScalingTarget
  Timestamp Now() const override { return clock_.Now(); }
  Series LoadHistory(Duration lookback) const override;
  int Replicas() const override { return replicas_; }
  int ReadyReplicas() const override { return ready_replicas_; }
  bool HasHpa() const override { return hpa_exists_; }
  int HpaMinReplicas() const override { return hpa_min_; }
  Status SetHpaMinReplicas(int replicas) override;
  Status SetReplicas(int replicas) override;
  Status SetPlaceholderReplicas(int replicas) override;

 private:
  // Writes the proposal to one field through the guardrails and the actuator.
  Status Write(const std::string& target, const std::string& field, int current, int proposed,
               const GuardrailLimits& limits, const std::function<Status(int to)>& apply);
  GuardrailLimits Limits() const;
  Status EnsurePlaceholder(int replicas);
  Status FieldError(const std::string& field, const Status& s) const;
  std::string Path(const std::string& resource, const std::string& name) const;

  const PolicySpec& spec_;
  k8s::RestClient& kube_;
  metrics::MetricSource& metrics_;
  const Clock& clock_;
  Actuator& actuator_;
  bool dry_run_;
  std::function<std::string()> explain_;

  int replicas_ = 0;
  int ready_replicas_ = 0;
  bool hpa_exists_ = false;
  int hpa_min_ = 0;
  int hpa_max_ = 0;
  int placeholder_replicas_ = 0;
  nlohmann::json pod_requests_;  // The target's first container's resources.requests.
  bool metrics_fresh_ = false;
  std::string metrics_problem_ = "not checked yet";
  mutable Series history_;
  mutable Status history_status_;
  bool priority_class_ready_ = false;
  std::map<std::string, Timestamp> last_change_;  // By target#field.
};

}  // namespace prescient::controller
