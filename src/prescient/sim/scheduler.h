// The simulated kube-scheduler: binds pending pods to nodes by their requests, and
// preempts lower-priority pods when a pod fits nowhere (how placeholder pause pods at
// priority -10 hand their room to real pods at once, MISSION.md section 3).
// Thread-compatible (mutates the ClusterState it is given). Tested by scheduler_test.cc.
#pragma once

#include "prescient/core/time.h"
#include "prescient/sim/cluster.h"

namespace prescient::sim {

struct ScheduleStats {
  int bound = 0;
  int preempted = 0;      // Victims deleted to make room.
  int unschedulable = 0;  // Left pending (the provisioner's input).
};

// One scheduling pass over every pending pod, highest priority first, then oldest.
ScheduleStats Schedule(ClusterState& cluster, Timestamp now);

// Whether the pod's tolerations admit the node's NoSchedule/NoExecute taints.
bool ToleratesNode(const PodTemplate& pod, const Node& node);

}  // namespace prescient::sim
