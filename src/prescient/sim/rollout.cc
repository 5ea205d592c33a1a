// The RollingUpdate strategy, ported from upstream pkg/controller/deployment/rolling.go
// (rolloutRolling, reconcileNewReplicaSet, reconcileOldReplicaSets,
// cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate) and
// pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts, NewRSNewReplicas).
//
// With R = spec.replicas, S = maxSurge and U = maxUnavailable (resolved against R), one
// sync does the first of these that changes something:
//   scale up:   new := new + min(R + S - sum(spec of all RSs), R - new), if positive
//               (or new := R if new > R);
//   scale down: budget = sum(spec) - (R - U) - (new.spec - new.available); first drop
//               not-ready replicas of old RSs (oldest first) within the budget, then cut
//               old RSs (oldest first) by available - (R - U) in total.
// So the pods never exceed R + S and the available ones never fall below R - U because of
// the rollout (a crash or a node loss can still take them lower).
//
// Upstream syncs again on every ReplicaSet update the sync causes; here the syncs repeat
// at once until nothing changes, each seeing the availability of the pass (pods do not
// become ready within a pass). An old RS cut below its available count loses ready pods
// (the ReplicaSet deletes unready pods first), so its available count is clamped to
// its new size before the next sync.
//
// Not ported: proportional scaling (sync.go scale()). When spec.replicas changes in the
// middle of a rollout, upstream spreads the change over the RSs in proportion to their
// sizes; here the rolling step absorbs it: an increase goes to the new RS (within the
// surge), a decrease cuts old RSs first. With one RS the RS follows spec.replicas, as
// upstream's scale() does. Also not modelled: minReadySeconds, paused deployments,
// progressDeadlineSeconds, the Recreate strategy.
#include "prescient/sim/rollout.h"

#include <algorithm>
#include <cmath>

namespace prescient::sim {
namespace {

// intstr.GetScaledValueFromIntOrPercent.
int Scaled(const IntOrPercent& v, int total, bool round_up) {
  if (!v.percent) return v.value;
  const int64_t product = int64_t{v.value} * total;
  return static_cast<int>(round_up ? (product + 99) / 100 : product / 100);
}

int SumReplicas(const std::vector<ReplicaSetCounts>& sets) {
  int n = 0;
  for (const ReplicaSetCounts& s : sets) n += s.replicas;
  return n;
}

// reconcileNewReplicaSet.
bool ReconcileNew(int replicas, const Fenceposts& f, ReplicaSetCounts& new_rs,
                  const std::vector<ReplicaSetCounts>& sets) {
  if (new_rs.replicas == replicas) return false;
  if (new_rs.replicas > replicas) {
    new_rs.replicas = replicas;
    return true;
  }
  const int max_total = replicas + f.max_surge;
  const int scale_up = std::min(max_total - SumReplicas(sets), replicas - new_rs.replicas);
  if (scale_up <= 0) return false;
  new_rs.replicas += scale_up;
  return true;
}

// Scales an old RS down by `count`; the ReplicaSet deletes unready pods first.
void Cut(ReplicaSetCounts& rs, int count) {
  rs.replicas -= count;
  rs.available = std::min(rs.available, rs.replicas);
}

// reconcileOldReplicaSets with cleanupUnhealthyReplicas and
// scaleDownOldReplicaSetsForRollingUpdate.
bool ReconcileOld(int replicas, const Fenceposts& f, ReplicaSetIndex current,
                  std::vector<ReplicaSetCounts>& sets) {
  const ReplicaSetCounts& new_rs = sets[static_cast<size_t>(current)];
  const int all_pods = SumReplicas(sets);
  if (all_pods == new_rs.replicas) return false;  // Old RSs are all at 0.
  const int min_available = replicas - f.max_unavailable;
  const int new_unavailable = new_rs.replicas - new_rs.available;
  const int max_scaled_down = all_pods - min_available - new_unavailable;
  if (max_scaled_down <= 0) return false;

  int cleaned = 0;
  for (size_t i = 0; i < sets.size() && cleaned < max_scaled_down; ++i) {
    if (static_cast<ReplicaSetIndex>(i) == current) continue;
    const int unhealthy = sets[i].replicas - sets[i].available;
    if (sets[i].replicas == 0 || unhealthy <= 0) continue;
    const int n = std::min(max_scaled_down - cleaned, unhealthy);
    Cut(sets[i], n);
    cleaned += n;
  }

  int available = 0;
  for (const ReplicaSetCounts& s : sets) available += s.available;
  const int to_scale_down = available - min_available;
  int scaled = 0;
  for (size_t i = 0; i < sets.size() && scaled < to_scale_down; ++i) {
    if (static_cast<ReplicaSetIndex>(i) == current || sets[i].replicas == 0) continue;
    const int n = std::min(sets[i].replicas, to_scale_down - scaled);
    Cut(sets[i], n);
    scaled += n;
  }
  return cleaned + scaled > 0;
}

}  // namespace

Fenceposts ResolveFenceposts(const RollingUpdateStrategy& strategy, int replicas) {
  Fenceposts f;
  f.max_surge = std::max(0, Scaled(strategy.max_surge, replicas, /*round_up=*/true));
  f.max_unavailable = std::max(0, Scaled(strategy.max_unavailable, replicas, /*round_up=*/false));
  if (f.max_surge == 0 && f.max_unavailable == 0) f.max_unavailable = 1;
  return f;
}

bool RollReplicaSets(int replicas, const Fenceposts& fenceposts, ReplicaSetIndex current,
                     std::vector<ReplicaSetCounts>& sets) {
  // Each sync grows the new RS or shrinks old ones, so this ends; the cap is a backstop.
  constexpr int kMaxSyncs = 64;
  bool changed = false;
  for (int i = 0; i < kMaxSyncs; ++i) {
    ReplicaSetCounts& new_rs = sets[static_cast<size_t>(current)];
    if (ReconcileNew(replicas, fenceposts, new_rs, sets) ||
        ReconcileOld(replicas, fenceposts, current, sets)) {
      changed = true;
      continue;
    }
    break;
  }
  return changed;
}

}  // namespace prescient::sim
