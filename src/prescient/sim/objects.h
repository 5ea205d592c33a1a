// The simulated cluster's objects: nodes, pods, deployments with their ReplicaSets and
// budgets, as plain values holding the fields of the Kubernetes objects the simulation
// needs (names follow the API: spec.replicas, status.conditions[Ready],
// metadata.deletionTimestamp...). Value types, thread-compatible. Tested through
// cluster_test.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/time.h"
#include "prescient/sim/instance_types.h"

namespace prescient::sim {

// Index of a node in ClusterState::nodes, stable for the whole run.
using NodeId = int;
inline constexpr NodeId kNoNode = -1;
// Index of a deployment in ClusterState::deployments.
using DeploymentId = int;
// Index of a ReplicaSet in its Deployment's replica_sets.
using ReplicaSetIndex = int;

enum class CapacityType { kOnDemand, kSpot };
enum class TaintEffect { kNoSchedule, kPreferNoSchedule, kNoExecute };

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::kNoSchedule;
};

// core/v1 Toleration. An empty key with Exists tolerates everything; an unset effect
// matches every effect.
struct Toleration {
  std::string key;
  bool exists = false;  // operator Exists (else Equal)
  std::string value;
  std::optional<TaintEffect> effect;
  bool Tolerates(const Taint& taint) const;
};

inline constexpr std::string_view kTaintUnschedulable = "node.kubernetes.io/unschedulable";
inline constexpr std::string_view kTaintSpotInterruption = "karpenter.sh/disrupted";

struct Node {
  NodeId id = kNoNode;
  std::string name;
  const InstanceType* type = nullptr;
  CapacityType capacity_type = CapacityType::kOnDemand;
  std::string zone;
  double usd_per_hour = 0;
  int allocatable_millicores = 0;
  int64_t allocatable_memory_bytes = 0;
  int max_pods = 0;

  Timestamp launched_at{};
  Timestamp ready_at{};  // When the kubelet reports Ready (launch + provisioning delay).
  bool ready = false;
  bool unschedulable = false;  // spec.unschedulable (cordon).
  std::vector<Taint> taints;
  std::optional<Timestamp> empty_since;      // For consolidation.
  std::optional<Timestamp> interruption_at;  // Spot: when the instance is reclaimed.
  bool deleted = false;
  Timestamp deleted_at{};

  // Requests of the pods bound to it (terminating pods included until they are gone).
  int requested_millicores = 0;
  int64_t requested_memory_bytes = 0;
  int pod_count = 0;

  bool Fits(int millicores, int64_t memory_bytes) const {
    return requested_millicores + millicores <= allocatable_millicores &&
           requested_memory_bytes + memory_bytes <= allocatable_memory_bytes &&
           pod_count < max_pods;
  }
};

struct PodTemplate {
  int cpu_request_millicores = 1000;
  int64_t memory_request_bytes = int64_t{2} << 30;
  int priority = 0;  // From the PriorityClass.
  std::vector<Toleration> tolerations;
  int64_t termination_grace_seconds = 30;
  // Start-up delay range of this pod; unset: the cluster's [startup_min, startup_max].
  std::optional<Duration> startup_min;
  std::optional<Duration> startup_max;
};

struct Pod {
  int64_t uid = 0;
  std::string name;
  DeploymentId deployment = 0;
  ReplicaSetIndex replica_set = 0;  // The owner: deployment's replica_sets[replica_set].
  PodTemplate spec;
  Timestamp created_at{};
  NodeId node = kNoNode;                // spec.nodeName; kNoNode while Pending unscheduled.
  NodeId nominated_node = kNoNode;      // A launching node the provisioner made room on.
  std::optional<Timestamp> started_at;  // status.startTime: bound and containers starting.
  Timestamp ready_at{};                 // When readiness will pass (valid once started).
  bool ready = false;
  Timestamp ready_transition{};          // The Ready condition's lastTransitionTime.
  std::optional<Timestamp> deletion_at;  // metadata.deletionTimestamp.
  Timestamp gone_at{};                   // deletion + grace: resources released then.

  bool Active() const { return !deletion_at.has_value(); }
  bool Serving() const { return ready && !deletion_at.has_value(); }
};

// apps/v1 IntOrString for maxSurge and maxUnavailable: a pod count, or a percentage of
// spec.replicas.
struct IntOrPercent {
  int value = 0;
  bool percent = false;
  static constexpr IntOrPercent Count(int n) { return {n, false}; }
  static constexpr IntOrPercent Percent(int p) { return {p, true}; }
};

// spec.strategy.rollingUpdate, with upstream's defaults.
struct RollingUpdateStrategy {
  IntOrPercent max_surge = IntOrPercent::Percent(25);
  IntOrPercent max_unavailable = IntOrPercent::Percent(25);
};

inline constexpr int kDefaultRevisionHistoryLimit = 10;  // spec.revisionHistoryLimit.

// A ReplicaSet owned by its Deployment: one per pod template the deployment has had.
struct ReplicaSet {
  std::string name;  // "<deployment>-<hash>".
  std::string hash;  // The pod-template-hash label.
  // Identifies the full template (the API's canonical JSON of it); equal keys, same RS.
  std::string template_key;
  PodTemplate pod;   // What its pods are created from.
  int revision = 0;  // deployment.kubernetes.io/revision.
  // Revisions it had before a rollback made it current again (.../revision-history).
  std::vector<int> revision_history;
  int replicas = 0;  // spec.replicas, set by the deployment controller.
  Timestamp created_at{};
};

struct Deployment {
  std::string name;
  int replicas = 0;          // spec.replicas
  PodTemplate pod;           // spec.template: the current ReplicaSet's template.
  bool placeholder = false;  // Pause pods holding warm capacity (MISSION.md section 3).
  // policy/v1 PodDisruptionBudget minAvailable over the deployment's pods; -1 = none.
  int pdb_min_available = -1;
  RollingUpdateStrategy rolling_update;
  int revision_history_limit = kDefaultRevisionHistoryLimit;
  // Created through the API (not by a scenario's service), so the API may delete it;
  // a deleted one stays in ClusterState (ids are stable) at 0 replicas, unseen.
  bool from_api = false;
  bool deleted = false;
  // spec.selector.matchLabels; empty means {app: name}, the scenario's convention.
  std::vector<std::pair<std::string, std::string>> selector;

  // In creation order. ClusterState::AddDeployment creates the first, UpdateTemplate the
  // others; old ones stay, at 0 replicas, up to revision_history_limit.
  std::vector<ReplicaSet> replica_sets;
  ReplicaSetIndex current_replica_set = 0;  // The one matching spec.template.
  std::optional<uint32_t> collision_count;  // status.collisionCount.

  const ReplicaSet& current() const {
    return replica_sets[static_cast<size_t>(current_replica_set)];
  }
  int revision() const { return current().revision; }
};

}  // namespace prescient::sim
