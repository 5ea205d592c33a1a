// A requests-based scheduler with the plug-ins that matter for capacity:
//
// Filter (pkg/scheduler/framework/plugins): NodeUnschedulable (cordoned nodes), node
// Ready, TaintToleration (NoSchedule and NoExecute taints must be tolerated;
// PreferNoSchedule is only a preference and ignored here), NodeResourcesFit (the sum of
// requests of bound pods, terminating ones included, plus this pod's within allocatable
// CPU, memory and pod count).
//
// Score, lexicographic rather than weighted: first PodTopologySpread over
// topology.kubernetes.io/zone with whenUnsatisfiable ScheduleAnyway (the zone holding the
// fewest pods of the same owner wins), then NodeResourcesFit with the MostAllocated
// strategy (the fullest node that still fits wins: bin-packing, which is what lets the
// provisioner remove empty nodes). Ties go to the older node.
//
// Preemption (pkg/scheduler/framework/plugins/defaultpreemption): when a pod fits no node,
// look for nodes where deleting pods of strictly lower priority, lowest first, makes it
// fit; pick the node whose highest victim priority is lowest, then with the fewest
// victims; delete the victims. Pause pods have a zero grace period, so their room is
// free at once and the preemptor binds in the same pass; otherwise it is nominated to
// the node and binds when the victims are gone. PDBs are not consulted, as upstream
// only prefers (does not require) victims whose budgets allow it.
#include "prescient/sim/scheduler.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace prescient::sim {

bool ToleratesNode(const PodTemplate& pod, const Node& node) {
  for (const Taint& taint : node.taints) {
    if (taint.effect == TaintEffect::kPreferNoSchedule) continue;
    const bool tolerated = std::any_of(pod.tolerations.begin(), pod.tolerations.end(),
                                       [&](const Toleration& t) { return t.Tolerates(taint); });
    if (!tolerated) return false;
  }
  return true;
}

namespace {

// A shifted zone (ClusterState::SetZoneShifted) takes no new pod, as if cordoned.
bool Schedulable(const ClusterState& c, const Node& n) {
  return !n.deleted && n.ready && !n.unschedulable && !c.ZoneShifted(n.zone);
}

double MostAllocatedScore(const Node& n, const PodTemplate& pod) {
  const double cpu = static_cast<double>(n.requested_millicores + pod.cpu_request_millicores) /
                     n.allocatable_millicores;
  const double mem = static_cast<double>(n.requested_memory_bytes + pod.memory_request_bytes) /
                     static_cast<double>(n.allocatable_memory_bytes);
  return (cpu + mem) / 2;
}

class Pass {
 public:
  Pass(ClusterState& cluster, Timestamp now) : cluster_(cluster), now_(now) {
    for (const Pod& p : cluster_.pods()) {
      if (!p.Active() || p.node == kNoNode) continue;
      ++zone_count_[{p.deployment, cluster_.node(p.node).zone}];
      lowest_bound_priority_ = std::min(lowest_bound_priority_, p.spec.priority);
    }
  }

  // Returns false if the pod stays pending.
  bool Place(Pod& pod, ScheduleStats& stats) {
    if (NodeId n = BestFit(pod); n != kNoNode) {
      Bind(pod, n);
      return true;
    }
    return Preempt(pod, stats);
  }

 private:
  NodeId BestFit(const Pod& pod) {
    NodeId best = kNoNode;
    int best_zone = std::numeric_limits<int>::max();
    double best_score = -1;
    for (const Node& n : cluster_.nodes()) {
      if (!Schedulable(cluster_, n) || !ToleratesNode(pod.spec, n) ||
          !n.Fits(pod.spec.cpu_request_millicores, pod.spec.memory_request_bytes)) {
        continue;
      }
      const int zone = ZoneCount(pod.deployment, n.zone);
      const double score = MostAllocatedScore(n, pod.spec);
      if (zone < best_zone || (zone == best_zone && score > best_score)) {
        best = n.id;
        best_zone = zone;
        best_score = score;
      }
    }
    return best;
  }

  bool Preempt(Pod& pod, ScheduleStats& stats) {
    if (pod.spec.priority <= lowest_bound_priority_) return false;  // Nothing to preempt.
    // PodEligibleToPreemptOthers: a pod nominated to a node where its lower-priority
    // victims are still terminating waits for their room rather than preempting more.
    if (pod.nominated_node != kNoNode && Schedulable(cluster_, cluster_.node(pod.nominated_node))) {
      for (const Pod& p : cluster_.pods()) {
        if (p.node == pod.nominated_node && !p.Active() && p.spec.priority < pod.spec.priority) {
          return false;
        }
      }
    }
    NodeId best = kNoNode;
    int best_max_priority = std::numeric_limits<int>::max();
    std::vector<Pod*> best_victims;
    for (const Node& n : cluster_.nodes()) {
      if (!Schedulable(cluster_, n) || !ToleratesNode(pod.spec, n)) continue;
      std::vector<Pod*> lower;
      for (Pod& p : cluster_.pods()) {
        if (p.node == n.id && p.Active() && p.spec.priority < pod.spec.priority)
          lower.push_back(&p);
      }
      if (lower.empty()) continue;
      std::stable_sort(lower.begin(), lower.end(), [](const Pod* a, const Pod* b) {
        if (a->spec.priority != b->spec.priority) return a->spec.priority < b->spec.priority;
        return a->created_at > b->created_at;
      });
      int cpu = n.requested_millicores, count = n.pod_count;
      int64_t mem = n.requested_memory_bytes;
      std::vector<Pod*> victims;
      auto fits = [&] {
        return cpu + pod.spec.cpu_request_millicores <= n.allocatable_millicores &&
               mem + pod.spec.memory_request_bytes <= n.allocatable_memory_bytes &&
               count < n.max_pods;
      };
      for (Pod* v : lower) {
        if (fits()) break;
        victims.push_back(v);
        cpu -= v->spec.cpu_request_millicores;
        mem -= v->spec.memory_request_bytes;
        --count;
      }
      if (!fits()) continue;
      int max_priority = std::numeric_limits<int>::min();
      for (const Pod* v : victims) max_priority = std::max(max_priority, v->spec.priority);
      if (best == kNoNode || max_priority < best_max_priority ||
          (max_priority == best_max_priority && victims.size() < best_victims.size())) {
        best = n.id;
        best_max_priority = max_priority;
        best_victims = std::move(victims);
      }
    }
    if (best == kNoNode) return false;
    for (Pod* v : best_victims) {
      if (v->node != kNoNode) --zone_count_[{v->deployment, cluster_.node(v->node).zone}];
      cluster_.DeletePod(*v, now_);
      ++stats.preempted;
    }
    const Node& n = cluster_.node(best);
    if (n.Fits(pod.spec.cpu_request_millicores, pod.spec.memory_request_bytes)) {
      Bind(pod, best);
      return true;
    }
    pod.nominated_node = best;  // Binds once the victims' grace periods end.
    return false;
  }

  void Bind(Pod& pod, NodeId n) {
    cluster_.Bind(pod, n, now_);
    ++zone_count_[{pod.deployment, cluster_.node(n).zone}];
  }

  int ZoneCount(DeploymentId d, const std::string& zone) const {
    auto it = zone_count_.find({d, zone});
    return it == zone_count_.end() ? 0 : it->second;
  }

  ClusterState& cluster_;
  Timestamp now_;
  std::map<std::pair<DeploymentId, std::string>, int> zone_count_;
  int lowest_bound_priority_ = std::numeric_limits<int>::max();
};

}  // namespace

ScheduleStats Schedule(ClusterState& cluster, Timestamp now) {
  ScheduleStats stats;
  std::vector<size_t> pending;
  auto& pods = cluster.pods();
  for (size_t i = 0; i < pods.size(); ++i) {
    if (pods[i].Active() && pods[i].node == kNoNode) pending.push_back(i);
  }
  if (pending.empty()) return stats;
  std::stable_sort(pending.begin(), pending.end(), [&](size_t a, size_t b) {
    if (pods[a].spec.priority != pods[b].spec.priority) {
      return pods[a].spec.priority > pods[b].spec.priority;
    }
    return pods[a].created_at < pods[b].created_at;
  });
  Pass pass(cluster, now);
  for (size_t i : pending) {
    // Preemption only deletes pods (never erases them), so indices stay valid.
    if (pass.Place(pods[i], stats)) {
      ++stats.bound;
    } else {
      ++stats.unschedulable;
    }
  }
  cluster.counters().pods_preempted += stats.preempted;
  return stats;
}

}  // namespace prescient::sim
