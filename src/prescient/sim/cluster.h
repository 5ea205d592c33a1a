// ClusterState: the simulated cluster's objects and the controllers that own their
// lifecycle inside the simulation: the kubelet (pod start-up and readiness, graceful
// termination), the ReplicaSet side of the deployment controller (creating and deleting
// pods to match spec.replicas, in upstream's deletion order) and the eviction API
// (PodDisruptionBudgets). Scheduling and node provisioning live in scheduler.h and
// provisioner.h; the time loop in simulator.h.
// Thread-compatible. Tested by cluster_test.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/random.h"
#include "prescient/core/time.h"
#include "prescient/sim/objects.h"

namespace prescient::sim {

inline constexpr Duration kDefaultStartupMin{30};  // MISSION.md section 1: 30 s to 2 min.
inline constexpr Duration kDefaultStartupMax{120};
inline constexpr Duration kDefaultProvisionMin{60};  // Karpenter: 1 to 3 min more.
inline constexpr Duration kDefaultProvisionMax{180};
inline constexpr Duration kDefaultConsolidateAfter{30};
inline constexpr Duration kSpotNotice{120};  // EC2's two-minute warning.

struct ClusterOptions {
  Duration startup_min = kDefaultStartupMin;
  Duration startup_max = kDefaultStartupMax;
  Duration provision_min = kDefaultProvisionMin;
  Duration provision_max = kDefaultProvisionMax;
  Duration consolidate_after = kDefaultConsolidateAfter;
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  bool use_spot = false;                   // Launch spot capacity (Karpenter prefers it).
  double spot_interruptions_per_hour = 0;  // Per spot node.
  // Instance types the provisioner may launch, by name; empty: the whole catalogue.
  std::vector<std::string> instance_types;
  // Share of live nodes launched as spot, in [0, 1]; unset: use_spot decides (all or none).
  std::optional<double> spot_share;
};

// Counters the simulator reports.
struct ClusterCounters {
  int64_t nodes_launched = 0;
  int64_t nodes_consolidated = 0;
  int64_t spot_interruptions = 0;
  int64_t pods_created = 0;
  int64_t pods_preempted = 0;
  int64_t evictions_refused = 0;  // By a PodDisruptionBudget.
};

class ClusterState {
 public:
  ClusterState(ClusterOptions options, uint64_t seed);

  const ClusterOptions& options() const { return options_; }
  Rng& rng() { return rng_; }

  DeploymentId AddDeployment(Deployment deployment);
  Deployment& deployment(DeploymentId id) { return deployments_[static_cast<size_t>(id)]; }
  const std::vector<Deployment>& deployments() const { return deployments_; }

  // A node launched now, Ready after `ready_after` (0: ready at once, as at start-up).
  NodeId LaunchNode(const InstanceType& type, CapacityType capacity, const std::string& zone,
                    Timestamp now, Duration ready_after);
  Node& node(NodeId id) { return nodes_[static_cast<size_t>(id)]; }
  const Node& node(NodeId id) const { return nodes_[static_cast<size_t>(id)]; }
  // Every node ever launched; deleted ones have `deleted` set.
  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<Node>& mutable_nodes() { return nodes_; }

  std::vector<Pod>& pods() { return pods_; }
  const std::vector<Pod>& pods() const { return pods_; }

  // Binds a pending pod: its containers start now and it turns Ready after a start-up
  // delay drawn from [startup_min, startup_max].
  void Bind(Pod& pod, NodeId node, Timestamp now);
  // Graceful deletion: out of the endpoints at once, resources held for the grace period.
  void DeletePod(Pod& pod, Timestamp now);
  // The eviction API: refuses (false) when the pod's PodDisruptionBudget would break.
  bool EvictPod(Pod& pod, Timestamp now);

  // One pass of the kubelets and the deployment controller at `now`: readiness, pods
  // whose grace period ended, nodes turning Ready, spot notices and reclaims, then
  // pods created or deleted to match each deployment's replicas.
  void Reconcile(Timestamp now);

  // Pods of a deployment that count towards its replicas (not being deleted).
  int ActivePods(DeploymentId id) const;
  int ReadyPods(DeploymentId id) const;
  int PendingPods() const;

  ClusterCounters& counters() { return counters_; }
  const ClusterCounters& counters() const { return counters_; }

 private:
  void AdvancePods(Timestamp now);
  void AdvanceNodes(Timestamp now);
  void ReconcileDeployment(DeploymentId id, int active, Timestamp now);
  void ScaleDown(DeploymentId id, int excess, Timestamp now);
  void Release(Pod& pod);
  void ReclaimNode(Node& node, Timestamp now);

  ClusterOptions options_;
  Rng rng_;
  std::vector<Deployment> deployments_;
  std::vector<Node> nodes_;
  std::vector<Pod> pods_;
  int64_t next_uid_ = 1;
  ClusterCounters counters_;
};

}  // namespace prescient::sim
