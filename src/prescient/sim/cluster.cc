// The kubelet and deployment-controller side of the simulation.
//
// Pod lifecycle, as the kubelet reports it: bound -> status.startTime set, the Ready
// condition False -> after a start-up delay (image pull, init, readiness probe; uniform
// in [startup_min, startup_max], MISSION.md section 1) Ready True. Deletion is graceful:
// the pod leaves the Service's endpoints at once (no more traffic) but holds its node's
// resources for terminationGracePeriodSeconds (30 s by default, 0 for pause pods).
//
// ReplicaSet scale-down deletes pods in upstream's order (pkg/controller/controller_utils.go,
// ActivePodsWithRanks.Less): unassigned before assigned; Pending before Running; not
// ready before ready; pods doubled up on a node (rank = pods of the same owner on that
// node) before lonely ones; ready for less time before ready for longer; newer before
// older. Not modelled: pod-deletion-cost annotations, restart counts, and the
// logarithmic bucketing of times (LogarithmicScaleDown), which only reorders pods whose
// ages are within a factor of two.
//
// Evictions honour a PodDisruptionBudget's minAvailable as the eviction subresource does
// (pkg/registry/core/pod/storage/eviction.go): a ready pod may be evicted only if the
// ready count stays at or above minAvailable; an unready pod may always be evicted.
#include "prescient/sim/cluster.h"

#include <algorithm>
#include <unordered_map>

#include "prescient/core/check.h"

namespace prescient::sim {
namespace {

Duration DrawDelay(Rng& rng, Duration lo, Duration hi) {
  return Duration(static_cast<int64_t>(
      std::llround(rng.Uniform(static_cast<double>(lo.count()), static_cast<double>(hi.count())))));
}

std::string Base36(int64_t v) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do {
    s.insert(s.begin(), kDigits[v % 36]);
    v /= 36;
  } while (v > 0);
  while (s.size() < 5) s.insert(s.begin(), '0');
  return s;
}

}  // namespace

bool Toleration::Tolerates(const Taint& taint) const {
  if (effect.has_value() && *effect != taint.effect) return false;
  if (key.empty()) return exists;  // Empty key + Exists tolerates every taint.
  if (key != taint.key) return false;
  return exists || value == taint.value;
}

ClusterState::ClusterState(ClusterOptions options, uint64_t seed)
    : options_(std::move(options)), rng_(seed) {}

DeploymentId ClusterState::AddDeployment(Deployment deployment) {
  deployments_.push_back(std::move(deployment));
  return static_cast<DeploymentId>(deployments_.size() - 1);
}

NodeId ClusterState::LaunchNode(const InstanceType& type, CapacityType capacity,
                                const std::string& zone, Timestamp now, Duration ready_after) {
  Node n;
  n.id = static_cast<NodeId>(nodes_.size());
  n.name = "node-" + Base36(n.id + 1);
  n.type = &type;
  n.capacity_type = capacity;
  n.zone = zone;
  n.usd_per_hour =
      type.on_demand_usd_per_hour * (capacity == CapacityType::kSpot ? kSpotPriceFraction : 1.0);
  n.allocatable_millicores = type.AllocatableMillicores();
  n.allocatable_memory_bytes = type.AllocatableMemoryBytes();
  n.max_pods = type.max_pods;
  n.launched_at = now;
  n.ready_at = now + ready_after;
  n.ready = ready_after.count() <= 0;
  nodes_.push_back(std::move(n));
  ++counters_.nodes_launched;
  return nodes_.back().id;
}

void ClusterState::Bind(Pod& pod, NodeId id, Timestamp now) {
  Node& n = node(id);
  PRESCIENT_CHECK(pod.node == kNoNode);
  pod.node = id;
  pod.nominated_node = kNoNode;
  pod.started_at = now;
  pod.ready = false;
  pod.ready_transition = now;
  pod.ready_at = now + DrawDelay(rng_, pod.spec.startup_min.value_or(options_.startup_min),
                                 pod.spec.startup_max.value_or(options_.startup_max));
  n.requested_millicores += pod.spec.cpu_request_millicores;
  n.requested_memory_bytes += pod.spec.memory_request_bytes;
  ++n.pod_count;
  n.empty_since.reset();
}

void ClusterState::Release(Pod& pod) {
  if (pod.node == kNoNode) return;
  Node& n = node(pod.node);
  n.requested_millicores -= pod.spec.cpu_request_millicores;
  n.requested_memory_bytes -= pod.spec.memory_request_bytes;
  --n.pod_count;
  pod.node = kNoNode;
}

void ClusterState::DeletePod(Pod& pod, Timestamp now) {
  if (pod.deletion_at.has_value()) return;
  pod.deletion_at = now;
  if (pod.ready) {
    pod.ready = false;
    pod.ready_transition = now;
  }
  pod.nominated_node = kNoNode;
  // A pod never started has nothing to stop: it goes at once, as does a pause pod.
  const bool immediate = !pod.started_at.has_value() || pod.spec.termination_grace_seconds <= 0;
  pod.gone_at = immediate ? now : now + Duration(pod.spec.termination_grace_seconds);
  if (immediate) Release(pod);
}

bool ClusterState::EvictPod(Pod& pod, Timestamp now) {
  const Deployment& d = deployment(pod.deployment);
  if (d.pdb_min_available >= 0 && pod.Serving() &&
      ReadyPods(pod.deployment) - 1 < d.pdb_min_available) {
    ++counters_.evictions_refused;
    return false;
  }
  DeletePod(pod, now);
  return true;
}

int ClusterState::ActivePods(DeploymentId id) const {
  int n = 0;
  for (const Pod& p : pods_) n += (p.deployment == id && p.Active()) ? 1 : 0;
  return n;
}

int ClusterState::ReadyPods(DeploymentId id) const {
  int n = 0;
  for (const Pod& p : pods_) n += (p.deployment == id && p.Serving()) ? 1 : 0;
  return n;
}

int ClusterState::PendingPods() const {
  int n = 0;
  for (const Pod& p : pods_) n += (p.Active() && p.node == kNoNode) ? 1 : 0;
  return n;
}

void ClusterState::Reconcile(Timestamp now) {
  AdvanceNodes(now);
  AdvancePods(now);
  // One pass for every deployment's count: a cluster holds thousands of pods.
  std::vector<int> active(deployments_.size(), 0);
  for (const Pod& p : pods_) active[static_cast<size_t>(p.deployment)] += p.Active() ? 1 : 0;
  for (DeploymentId id = 0; id < static_cast<DeploymentId>(deployments_.size()); ++id) {
    ReconcileDeployment(id, active[static_cast<size_t>(id)], now);
  }
}

void ClusterState::AdvancePods(Timestamp now) {
  bool any_gone = false;
  for (Pod& p : pods_) {
    if (p.deletion_at.has_value()) {
      if (now >= p.gone_at) {
        Release(p);
        any_gone = true;
      }
      continue;
    }
    if (p.started_at.has_value() && !p.ready && now >= p.ready_at) {
      p.ready = true;
      p.ready_transition = p.ready_at;
    }
  }
  if (any_gone) {
    std::erase_if(pods_,
                  [&](const Pod& p) { return p.deletion_at.has_value() && now >= p.gone_at; });
  }
}

void ClusterState::ReclaimNode(Node& n, Timestamp now) {
  // The instance is gone: its pods die with it, whatever their budget says.
  for (Pod& p : pods_) {
    if (p.node != n.id) continue;
    if (!p.deletion_at.has_value()) p.deletion_at = now;
    p.ready = false;
    p.gone_at = now;
    Release(p);
  }
  n.deleted = true;
  n.deleted_at = now;
  n.ready = false;
}

void ClusterState::AdvanceNodes(Timestamp now) {
  for (Node& n : nodes_) {
    if (n.deleted) continue;
    if (!n.ready && !n.interruption_at.has_value() && now >= n.ready_at) n.ready = true;
    if (n.interruption_at.has_value() && now >= *n.interruption_at) ReclaimNode(n, now);
  }
}

void ClusterState::ReconcileDeployment(DeploymentId id, int active, Timestamp now) {
  Deployment& d = deployments_[static_cast<size_t>(id)];
  if (active < d.replicas) {
    for (int i = active; i < d.replicas; ++i) {
      Pod p;
      p.uid = next_uid_++;
      p.name = d.name + "-" + Base36(p.uid);
      p.deployment = id;
      p.spec = d.pod;
      p.created_at = now;
      pods_.push_back(std::move(p));
      ++counters_.pods_created;
    }
  } else if (active > d.replicas) {
    ScaleDown(id, active - d.replicas, now);
  }
}

void ClusterState::ScaleDown(DeploymentId id, int excess, Timestamp now) {
  std::unordered_map<NodeId, int> on_node;
  std::vector<Pod*> candidates;
  for (Pod& p : pods_) {
    if (p.deployment != id || !p.Active()) continue;
    candidates.push_back(&p);
    if (p.node != kNoNode) ++on_node[p.node];
  }
  auto rank = [&](const Pod* p) { return p->node == kNoNode ? 0 : on_node[p->node]; };
  // ActivePodsWithRanks.Less: true when `a` should be deleted before `b`.
  auto before = [&](const Pod* a, const Pod* b) {
    const bool a_assigned = a->node != kNoNode, b_assigned = b->node != kNoNode;
    if (a_assigned != b_assigned) return !a_assigned;
    const bool a_running = a->started_at.has_value(), b_running = b->started_at.has_value();
    if (a_running != b_running) return !a_running;
    if (a->ready != b->ready) return !a->ready;
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    if (a->ready && b->ready && a->ready_transition != b->ready_transition) {
      return a->ready_transition > b->ready_transition;
    }
    if (a->created_at != b->created_at) return a->created_at > b->created_at;
    return a->uid > b->uid;
  };
  std::stable_sort(candidates.begin(), candidates.end(), before);
  for (int i = 0; i < excess && i < static_cast<int>(candidates.size()); ++i) {
    DeletePod(*candidates[static_cast<size_t>(i)], now);
  }
}

}  // namespace prescient::sim
