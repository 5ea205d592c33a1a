// The deployment controller's RollingUpdate strategy as arithmetic on ReplicaSet sizes:
// how far a rollout may surge above spec.replicas and dip below it, and one sync that
// scales the new ReplicaSet up and the old ones down within those bounds.
// Pure functions. Tested by cluster_test.cc.
#pragma once

#include <vector>

#include "prescient/sim/objects.h"

namespace prescient::sim {

struct Fenceposts {
  int max_surge = 0;
  int max_unavailable = 0;
};

// deployment_util.go ResolveFenceposts: percentages of `replicas`, surge rounded up,
// unavailable rounded down; if both come to 0, max_unavailable is 1 (a rollout must move).
Fenceposts ResolveFenceposts(const RollingUpdateStrategy& strategy, int replicas);

// A ReplicaSet as the deployment controller sees it.
struct ReplicaSetCounts {
  int replicas = 0;   // spec.replicas; what the sync changes.
  int available = 0;  // status.availableReplicas (Ready, not terminating; minReadySeconds 0).
};

// Syncs the rollout of a deployment of `replicas` whose ReplicaSets are `sets`, oldest
// first, `current` the new one, until a sync changes nothing. Returns whether any
// spec.replicas changed. With a single ReplicaSet it just follows `replicas`.
bool RollReplicaSets(int replicas, const Fenceposts& fenceposts, ReplicaSetIndex current,
                     std::vector<ReplicaSetCounts>& sets);

}  // namespace prescient::sim
