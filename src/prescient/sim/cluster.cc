// The kubelet and deployment-controller side of the simulation.
//
// Pod lifecycle, as the kubelet reports it: bound -> status.startTime set, the Ready
// condition False -> after a start-up delay (image pull, init, readiness probe; uniform
// in [startup_min, startup_max], MISSION.md section 1) Ready True. Deletion is graceful:
// the pod leaves the Service's endpoints at once (no more traffic) but holds its node's
// resources for terminationGracePeriodSeconds (30 s by default, 0 for pause pods).
//
// A Deployment owns a ReplicaSet per pod template it has had; each pass the deployment
// controller sizes them (rollout.h: the rolling update) and the ReplicaSet controller
// creates or deletes pods to match each one's replicas. With one ReplicaSet this is
// exactly the old one-ReplicaSet-per-Deployment behaviour: same pods, same order, and
// no random draw anywhere in it (pod names hash the uid).
//
// ReplicaSet scale-down deletes pods in upstream's order (pkg/controller/controller_utils.go,
// ActivePodsWithRanks.Less): unassigned before assigned; Pending before Running; not
// ready before ready; pods doubled up on a node (rank = pods of the same deployment, any
// of its ReplicaSets, on that node: getPodsRankedByRelatedPodsOnSameNode) before lonely
// ones; ready for less time before ready for longer; newer before older. Not modelled:
// pod-deletion-cost annotations, restart counts, and the logarithmic bucketing of times
// (LogarithmicScaleDown), which only reorders pods whose ages are within a factor of two.
//
// Evictions honour a PodDisruptionBudget's minAvailable as the eviction subresource does
// (pkg/registry/core/pod/storage/eviction.go): a ready pod may be evicted only if the
// ready count stays at or above minAvailable; an unready pod may always be evicted.
#include "prescient/sim/cluster.h"

#include <algorithm>
#include <unordered_map>

#include "prescient/core/check.h"
#include "prescient/sim/names.h"
#include "prescient/sim/rollout.h"

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

DeploymentId ClusterState::AddDeployment(Deployment deployment, Timestamp now,
                                         std::string template_key) {
  deployment.replica_sets.clear();
  deployment.current_replica_set = 0;
  deployment.collision_count.reset();
  deployments_.push_back(std::move(deployment));
  const auto id = static_cast<DeploymentId>(deployments_.size() - 1);
  Deployment& d = deployments_.back();
  if (template_key.empty()) template_key = d.name;
  UpdateTemplate(id, std::move(template_key), d.pod, now);
  return id;
}

int ClusterState::UpdateTemplate(DeploymentId id, std::string template_key, PodTemplate pod,
                                 Timestamp now) {
  Deployment& d = deployment(id);
  std::vector<ReplicaSet>& sets = d.replica_sets;
  int max_revision = 0;
  for (const ReplicaSet& rs : sets) max_revision = std::max(max_revision, rs.revision);
  auto same = std::find_if(sets.begin(), sets.end(),
                           [&](const ReplicaSet& rs) { return rs.template_key == template_key; });
  d.pod = pod;
  if (same != sets.end()) {
    const auto index = static_cast<ReplicaSetIndex>(same - sets.begin());
    if (index == d.current_replica_set) return same->revision;
    // A rollback (sync.go getNewReplicaSet + SetNewReplicaSetAnnotations): the old RS is
    // the new one again under the next revision.
    same->revision_history.push_back(same->revision);
    same->revision = max_revision + 1;
    d.current_replica_set = index;
    return same->revision;
  }
  ReplicaSet rs;
  // A different template hashing to a taken name bumps status.collisionCount (sync.go).
  auto taken = [&](const std::string& hash) {
    return std::any_of(sets.begin(), sets.end(),
                       [&](const ReplicaSet& r) { return r.hash == hash; });
  };
  rs.hash = PodTemplateHash(template_key, d.collision_count);
  while (taken(rs.hash)) {
    d.collision_count = d.collision_count.value_or(0) + 1;
    rs.hash = PodTemplateHash(template_key, d.collision_count);
  }
  rs.name = d.name + "-" + rs.hash;
  rs.template_key = std::move(template_key);
  rs.pod = std::move(pod);
  rs.revision = max_revision + 1;
  rs.created_at = now;
  sets.push_back(std::move(rs));
  d.current_replica_set = static_cast<ReplicaSetIndex>(sets.size() - 1);
  return sets.back().revision;
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

void ClusterState::SetZoneShifted(const std::string& zone, bool shifted) {
  auto it = std::find(shifted_zones_.begin(), shifted_zones_.end(), zone);
  if (shifted && it == shifted_zones_.end()) shifted_zones_.push_back(zone);
  if (!shifted && it != shifted_zones_.end()) shifted_zones_.erase(it);
}

bool ClusterState::ZoneShifted(std::string_view zone) const {
  for (const std::string& z : shifted_zones_) {
    if (z == zone) return true;
  }
  return false;
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

DeploymentStatus ClusterState::StatusOf(DeploymentId id) const {
  const Deployment& d = deployments_[static_cast<size_t>(id)];
  DeploymentStatus s;
  for (const Pod& p : pods_) {
    if (p.deployment != id || !p.Active()) continue;
    ++s.replicas;
    s.updated_replicas += p.replica_set == d.current_replica_set ? 1 : 0;
    s.ready_replicas += p.ready ? 1 : 0;
  }
  s.available_replicas = s.ready_replicas;
  int desired = 0;
  for (const ReplicaSet& rs : d.replica_sets) desired += rs.replicas;
  s.unavailable_replicas = std::max(0, desired - s.available_replicas);
  return s;
}

ReplicaSetStatus ClusterState::StatusOf(DeploymentId id, ReplicaSetIndex replica_set) const {
  ReplicaSetStatus s;
  for (const Pod& p : pods_) {
    if (p.deployment != id || p.replica_set != replica_set || !p.Active()) continue;
    ++s.replicas;
    s.ready_replicas += p.ready ? 1 : 0;
  }
  s.fully_labeled_replicas = s.replicas;
  s.available_replicas = s.ready_replicas;
  return s;
}

void ClusterState::Reconcile(Timestamp now) {
  AdvanceNodes(now);
  AdvancePods(now);
  // One pass for every ReplicaSet's counts: a cluster holds thousands of pods.
  std::vector<std::vector<PodCounts>> counts(deployments_.size());
  for (size_t d = 0; d < deployments_.size(); ++d) {
    counts[d].resize(deployments_[d].replica_sets.size());
  }
  for (const Pod& p : pods_) {
    if (!p.Active()) continue;
    PodCounts& c = counts[static_cast<size_t>(p.deployment)][static_cast<size_t>(p.replica_set)];
    ++c.active;
    c.available += p.ready ? 1 : 0;
  }
  for (DeploymentId id = 0; id < static_cast<DeploymentId>(deployments_.size()); ++id) {
    const std::vector<PodCounts>& c = counts[static_cast<size_t>(id)];
    RollOut(id, c);
    for (size_t rs = 0; rs < c.size(); ++rs) {
      ReconcileReplicaSet(id, static_cast<ReplicaSetIndex>(rs), c[rs].active, now);
    }
    CleanUpHistory(id);
  }
}

void ClusterState::RollOut(DeploymentId id, const std::vector<PodCounts>& counts) {
  Deployment& d = deployments_[static_cast<size_t>(id)];
  std::vector<ReplicaSetCounts> sets(d.replica_sets.size());
  for (size_t i = 0; i < sets.size(); ++i) {
    sets[i].replicas = d.replica_sets[i].replicas;
    sets[i].available = counts[i].available;
  }
  if (!RollReplicaSets(d.replicas, ResolveFenceposts(d.rolling_update, d.replicas),
                       d.current_replica_set, sets)) {
    return;
  }
  for (size_t i = 0; i < sets.size(); ++i) d.replica_sets[i].replicas = sets[i].replicas;
}

// cleanupDeployment (sync.go): the oldest revisions beyond revisionHistoryLimit go once
// they are scaled to 0 and their last pod is gone.
void ClusterState::CleanUpHistory(DeploymentId id) {
  Deployment& d = deployments_[static_cast<size_t>(id)];
  const int excess = static_cast<int>(d.replica_sets.size()) - 1 - d.revision_history_limit;
  if (excess <= 0) return;
  std::vector<bool> has_pods(d.replica_sets.size(), false);
  for (const Pod& p : pods_) {
    if (p.deployment == id) has_pods[static_cast<size_t>(p.replica_set)] = true;
  }
  std::vector<size_t> old;
  for (size_t i = 0; i < d.replica_sets.size(); ++i) {
    if (static_cast<ReplicaSetIndex>(i) != d.current_replica_set) old.push_back(i);
  }
  std::sort(old.begin(), old.end(), [&](size_t a, size_t b) {
    return d.replica_sets[a].revision < d.replica_sets[b].revision;
  });
  std::vector<bool> drop(d.replica_sets.size(), false);
  bool any = false;
  for (int i = 0; i < excess; ++i) {
    const size_t rs = old[static_cast<size_t>(i)];
    if (d.replica_sets[rs].replicas != 0 || has_pods[rs]) continue;
    drop[rs] = any = true;
  }
  if (!any) return;
  // Indices shift down past every dropped ReplicaSet; pods and current follow.
  std::vector<ReplicaSetIndex> remap(d.replica_sets.size(), -1);
  std::vector<ReplicaSet> kept;
  for (size_t i = 0; i < d.replica_sets.size(); ++i) {
    if (drop[i]) continue;
    remap[i] = static_cast<ReplicaSetIndex>(kept.size());
    kept.push_back(std::move(d.replica_sets[i]));
  }
  d.replica_sets = std::move(kept);
  d.current_replica_set = remap[static_cast<size_t>(d.current_replica_set)];
  for (Pod& p : pods_) {
    if (p.deployment == id) p.replica_set = remap[static_cast<size_t>(p.replica_set)];
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

void ClusterState::ReconcileReplicaSet(DeploymentId id, ReplicaSetIndex index, int active,
                                       Timestamp now) {
  const ReplicaSet& rs =
      deployments_[static_cast<size_t>(id)].replica_sets[static_cast<size_t>(index)];
  if (active < rs.replicas) {
    for (int i = active; i < rs.replicas; ++i) {
      Pod p;
      p.uid = next_uid_++;
      p.name = rs.name + "-" + PodNameSuffix(p.uid);
      p.deployment = id;
      p.replica_set = index;
      p.spec = rs.pod;
      p.created_at = now;
      pods_.push_back(std::move(p));
      ++counters_.pods_created;
    }
  } else if (active > rs.replicas) {
    ScaleDown(id, index, active - rs.replicas, now);
  }
}

void ClusterState::ScaleDown(DeploymentId id, ReplicaSetIndex rs, int excess, Timestamp now) {
  std::unordered_map<NodeId, int> on_node;
  std::vector<Pod*> candidates;
  for (Pod& p : pods_) {
    if (p.deployment != id || !p.Active()) continue;
    if (p.replica_set == rs) candidates.push_back(&p);
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
