// Karpenter's provisioning loop, reduced to what decides capacity and cost
// (karpenter.sh docs "Scheduling", "Disruption"; kubernetes-sigs/karpenter
// pkg/controllers/provisioning):
//
// 1. Pending pods that the scheduler could not bind are first matched to in-flight nodes
//    (launched, not yet Ready) with room left: Karpenter counts that capacity and does
//    not launch twice for the same pods.
// 2. The rest are packed, largest request first, onto new nodes. For each new node the
//    cheapest instance type that holds every remaining pod is chosen; when none does,
//    the type with the lowest price per pod it can hold (Karpenter's price-per-pod
//    ordering of instance types), and the loop goes on with what is left.
// 3. New nodes alternate between zones (the zone with the fewest live nodes first), as
//    Karpenter spreads a NodePool over its zones. Spot when the pool allows it (all, or a
//    share of the live nodes), and only of the pool's instance types when it lists some.
// 4. A node becomes Ready after a delay uniform in [provision_min, provision_max]
//    (MISSION.md: 1 to 3 minutes).
// Consolidation: only the "empty node" rule (consolidationPolicy WhenEmpty,
// consolidateAfter 30 s). Karpenter's WhenEmptyOrUnderutilized can also repack
// half-empty nodes; not modelled, so node-hours here are an upper bound.
// Spot: each spot node is interrupted at a Poisson rate; on the notice Karpenter taints
// and cordons the node and drains it through the eviction API (PDBs respected; the
// ReplicaSets recreate the pods, which the loop above re-homes); two minutes later the
// instance is reclaimed with whatever is still on it.
#include "prescient/sim/provisioner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace prescient::sim {
namespace {

struct Room {
  int millicores;
  int64_t bytes;
  int pods;
  bool Take(int m, int64_t b) {
    if (m > millicores || b > bytes || pods <= 0) return false;
    millicores -= m;
    bytes -= b;
    --pods;
    return true;
  }
};

Room EmptyRoom(const InstanceType& t) {
  return {t.AllocatableMillicores(), t.AllocatableMemoryBytes(), t.max_pods};
}

Duration DrawDelay(Rng& rng, Duration lo, Duration hi) {
  return Duration(static_cast<int64_t>(
      std::llround(rng.Uniform(static_cast<double>(lo.count()), static_cast<double>(hi.count())))));
}

// A spot share s: the next node is spot while spot nodes are below s of the live nodes
// counting it, so the mix follows s as the cluster grows (deterministic, no draw).
CapacityType SpotOrOnDemand(const ClusterState& cluster, double share) {
  int live = 0, spot = 0;
  for (const Node& n : cluster.nodes()) {
    if (n.deleted) continue;
    ++live;
    spot += n.capacity_type == CapacityType::kSpot ? 1 : 0;
  }
  return static_cast<double>(spot) < share * static_cast<double>(live + 1)
             ? CapacityType::kSpot
             : CapacityType::kOnDemand;
}

}  // namespace

const InstanceType* Provisioner::ChooseType(std::span<const std::pair<int, int64_t>> pods,
                                            CapacityType capacity, int* count,
                                            std::span<const std::string> allowed) const {
  const double factor = capacity == CapacityType::kSpot ? kSpotPriceFraction : 1.0;
  const InstanceType* all_fit = nullptr;
  const InstanceType* best_per_pod = nullptr;
  double best_per_pod_price = std::numeric_limits<double>::infinity();
  int best_per_pod_count = 0;
  for (const InstanceType& t : types_) {
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), t.name) == allowed.end())
      continue;
    Room room = EmptyRoom(t);
    int n = 0;
    for (const auto& [m, b] : pods) {
      if (room.Take(m, b)) ++n;
    }
    if (n == 0) continue;
    const double price = t.on_demand_usd_per_hour * factor;
    if (n == static_cast<int>(pods.size())) {
      if (all_fit == nullptr || price < all_fit->on_demand_usd_per_hour * factor) all_fit = &t;
    }
    const double per_pod = price / n;
    if (per_pod < best_per_pod_price || (per_pod == best_per_pod_price && n > best_per_pod_count)) {
      best_per_pod = &t;
      best_per_pod_price = per_pod;
      best_per_pod_count = n;
    }
  }
  const InstanceType* chosen = all_fit != nullptr ? all_fit : best_per_pod;
  if (chosen != nullptr) {
    Room room = EmptyRoom(*chosen);
    *count = 0;
    for (const auto& [m, b] : pods) {
      if (room.Take(m, b)) ++*count;
    }
  }
  return chosen;
}

int Provisioner::Provision(ClusterState& cluster, Timestamp now) {
  auto& pods = cluster.pods();
  // In-flight room: launched, not Ready, not being reclaimed, minus pods nominated to it.
  std::map<NodeId, Room> in_flight;
  for (const Node& n : cluster.nodes()) {
    if (!n.deleted && !n.ready && !n.interruption_at.has_value() && !cluster.ZoneShifted(n.zone)) {
      in_flight[n.id] = {n.allocatable_millicores, n.allocatable_memory_bytes, n.max_pods};
    }
  }
  std::vector<Pod*> waiting;
  for (Pod& p : pods) {
    if (!p.Active() || p.node != kNoNode) continue;
    if (p.nominated_node != kNoNode) {
      auto it = in_flight.find(p.nominated_node);
      if (it != in_flight.end() &&
          it->second.Take(p.spec.cpu_request_millicores, p.spec.memory_request_bytes)) {
        continue;
      }
      const Node& nominated = cluster.node(p.nominated_node);
      if (!nominated.deleted && nominated.ready && !nominated.unschedulable &&
          !cluster.ZoneShifted(nominated.zone))
        continue;  // Preemption.
      p.nominated_node = kNoNode;
    }
    waiting.push_back(&p);
  }
  std::vector<Pod*> unplaced;
  for (Pod* p : waiting) {
    bool placed = false;
    for (auto& [id, room] : in_flight) {
      if (room.Take(p->spec.cpu_request_millicores, p->spec.memory_request_bytes)) {
        p->nominated_node = id;
        placed = true;
        break;
      }
    }
    if (!placed) unplaced.push_back(p);
  }
  if (unplaced.empty()) return 0;

  std::stable_sort(unplaced.begin(), unplaced.end(), [](const Pod* a, const Pod* b) {
    return a->spec.cpu_request_millicores > b->spec.cpu_request_millicores;
  });
  const ClusterOptions& options = cluster.options();
  CapacityType capacity = options.use_spot ? CapacityType::kSpot : CapacityType::kOnDemand;
  int launched = 0;
  while (!unplaced.empty()) {
    if (options.spot_share.has_value()) capacity = SpotOrOnDemand(cluster, *options.spot_share);
    std::vector<std::pair<int, int64_t>> sizes;
    sizes.reserve(unplaced.size());
    for (const Pod* p : unplaced)
      sizes.emplace_back(p->spec.cpu_request_millicores, p->spec.memory_request_bytes);
    int count = 0;
    const InstanceType* type = ChooseType(sizes, capacity, &count, options.instance_types);
    if (type == nullptr) break;  // Larger than any node type: stays pending, as in Karpenter.
    // The zone with the fewest live nodes, out of the zones not shifted away (all of
    // them if every zone is).
    std::map<std::string, int> per_zone;
    for (const std::string& z : options.zones) per_zone[z] = 0;
    for (const Node& n : cluster.nodes()) {
      if (!n.deleted) ++per_zone[n.zone];
    }
    std::vector<std::string> open;
    for (const std::string& z : options.zones) {
      if (!cluster.ZoneShifted(z)) open.push_back(z);
    }
    if (open.empty()) open = options.zones;
    std::string zone = open.front();
    for (const std::string& z : open) {
      if (per_zone[z] < per_zone[zone]) zone = z;
    }
    const NodeId id =
        cluster.LaunchNode(*type, capacity, zone, now,
                           DrawDelay(cluster.rng(), options.provision_min, options.provision_max));
    ++launched;
    Room room = EmptyRoom(*type);
    std::vector<Pod*> rest;
    for (Pod* p : unplaced) {
      if (room.Take(p->spec.cpu_request_millicores, p->spec.memory_request_bytes)) {
        p->nominated_node = id;
      } else {
        rest.push_back(p);
      }
    }
    unplaced = std::move(rest);
  }
  return launched;
}

int Provisioner::Consolidate(ClusterState& cluster, Timestamp now) {
  int removed = 0;
  std::vector<NodeId> empty;
  for (Node& n : cluster.mutable_nodes()) {
    if (n.deleted || !n.ready) continue;
    if (n.pod_count > 0) {
      n.empty_since.reset();
      continue;
    }
    empty.push_back(n.id);
  }
  if (empty.empty()) return 0;
  std::vector<bool> nominated(cluster.nodes().size(), false);
  for (const Pod& p : cluster.pods()) {
    if (p.Active() && p.nominated_node != kNoNode)
      nominated[static_cast<size_t>(p.nominated_node)] = true;
  }
  for (NodeId id : empty) {
    Node& n = cluster.node(id);
    if (nominated[static_cast<size_t>(id)]) continue;
    if (!n.empty_since.has_value()) n.empty_since = now;
    if (now - *n.empty_since >= cluster.options().consolidate_after) {
      n.deleted = true;
      n.deleted_at = now;
      n.ready = false;
      ++removed;
    }
  }
  cluster.counters().nodes_consolidated += removed;
  return removed;
}

int Provisioner::Interrupt(ClusterState& cluster, Timestamp now, Duration elapsed) {
  const double rate = cluster.options().spot_interruptions_per_hour;
  if (rate <= 0) return 0;
  const double p = 1 - std::exp(-rate * static_cast<double>(elapsed.count()) / 3600.0);
  int notices = 0;
  auto& nodes = cluster.mutable_nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (n.deleted || n.capacity_type != CapacityType::kSpot || n.interruption_at.has_value()) {
      continue;
    }
    if (!cluster.rng().Bernoulli(p)) continue;
    ++notices;
    n.interruption_at = now + kSpotNotice;
    n.unschedulable = true;
    n.taints.push_back({std::string(kTaintSpotInterruption), "", TaintEffect::kNoSchedule});
    for (Pod& pod : cluster.pods()) {
      if (pod.node == n.id && pod.Active()) cluster.EvictPod(pod, now);
    }
  }
  cluster.counters().spot_interruptions += notices;
  return notices;
}

}  // namespace prescient::sim
