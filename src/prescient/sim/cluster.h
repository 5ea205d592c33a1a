// ClusterState: the simulated cluster's objects and the controllers that own their
// lifecycle inside the simulation: the kubelet (pod start-up and readiness, graceful
// termination), the deployment controller (a ReplicaSet per pod template, rolling updates
// between them: rollout.h), the ReplicaSet controller (creating and deleting pods to
// match each ReplicaSet's replicas, in upstream's deletion order) and the eviction API
// (PodDisruptionBudgets). Scheduling and node provisioning live in scheduler.h and
// provisioner.h; the time loop in simulator.h.
// Thread-compatible. Tested by cluster_test.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// status of an apps/v1 Deployment (sync.go calculateStatus).
struct DeploymentStatus {
  int replicas = 0;          // Non-terminating pods of all its ReplicaSets.
  int updated_replicas = 0;  // ... of the current ReplicaSet.
  int ready_replicas = 0;
  int available_replicas = 0;    // Ready (minReadySeconds 0).
  int unavailable_replicas = 0;  // Sum of the ReplicaSets' spec.replicas - available, >= 0.
};

// status of an apps/v1 ReplicaSet.
struct ReplicaSetStatus {
  int replicas = 0;  // Non-terminating pods.
  int fully_labeled_replicas = 0;
  int ready_replicas = 0;
  int available_replicas = 0;
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

  // Adds a deployment with its first ReplicaSet (revision 1) for `template_key`, the
  // deployment's name if empty; any replica_sets the caller filled in are replaced.
  DeploymentId AddDeployment(Deployment deployment, Timestamp now = Timestamp{},
                             std::string template_key = "");
  // Changes spec.template and returns the deployment's revision afterwards. The
  // ReplicaSet with the same key becomes current (a rollback: it takes the next revision
  // and remembers its old one), or a new empty one does; the rollout proceeds in
  // Reconcile. The current key changes nothing.
  int UpdateTemplate(DeploymentId id, std::string template_key, PodTemplate pod, Timestamp now);
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
  // Status as the controllers would report it, counted from the pods now.
  DeploymentStatus StatusOf(DeploymentId id) const;
  ReplicaSetStatus StatusOf(DeploymentId id, ReplicaSetIndex replica_set) const;

  ClusterCounters& counters() { return counters_; }
  const ClusterCounters& counters() const { return counters_; }

  // Zonal shift (as AWS ARC's): the scheduler and the provisioner place nothing in a
  // shifted zone; routing and draining are the simulator's (simulator.h).
  void SetZoneShifted(const std::string& zone, bool shifted);
  bool ZoneShifted(std::string_view zone) const;
  const std::vector<std::string>& shifted_zones() const { return shifted_zones_; }

 private:
  void AdvancePods(Timestamp now);
  void AdvanceNodes(Timestamp now);
  struct PodCounts {
    int active = 0;
    int available = 0;
  };
  void RollOut(DeploymentId id, const std::vector<PodCounts>& counts);
  void ReconcileReplicaSet(DeploymentId id, ReplicaSetIndex rs, int active, Timestamp now);
  void ScaleDown(DeploymentId id, ReplicaSetIndex rs, int excess, Timestamp now);
  void CleanUpHistory(DeploymentId id);
  void Release(Pod& pod);
  void ReclaimNode(Node& node, Timestamp now);

  ClusterOptions options_;
  Rng rng_;
  std::vector<Deployment> deployments_;
  std::vector<Node> nodes_;
  std::vector<Pod> pods_;
  int64_t next_uid_ = 1;
  ClusterCounters counters_;
  std::vector<std::string> shifted_zones_;
};

}  // namespace prescient::sim
