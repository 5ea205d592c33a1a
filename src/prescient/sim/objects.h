// The simulated cluster's objects: nodes, pods, deployments and their budgets, as plain
// values holding the fields of the Kubernetes objects the simulation needs (names follow
// the API: spec.replicas, status.conditions[Ready], metadata.deletionTimestamp...).
// Value types, thread-compatible. Tested through cluster_test.cc.
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

struct Deployment {
  std::string name;
  int replicas = 0;  // spec.replicas
  PodTemplate pod;
  bool placeholder = false;  // Pause pods holding warm capacity (MISSION.md section 3).
  // policy/v1 PodDisruptionBudget minAvailable over the deployment's pods; -1 = none.
  int pdb_min_available = -1;
};

}  // namespace prescient::sim
