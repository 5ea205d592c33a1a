// The simulated node provisioner, modelled on Karpenter: launches the cheapest node type
// that fits the pods the scheduler could not place, ready after a provisioning delay;
// removes nodes that have been empty for consolidate_after; and plays spot interruptions
// (a two-minute notice, then the instance is reclaimed).
// Thread-compatible. Tested by provisioner_test.cc.
#pragma once

#include <span>
#include <string>

#include "prescient/core/time.h"
#include "prescient/sim/cluster.h"
#include "prescient/sim/instance_types.h"

namespace prescient::sim {

class Provisioner {
 public:
  explicit Provisioner(std::span<const InstanceType> types = DefaultInstanceTypes())
      : types_(types) {}

  // Launches nodes for pending pods that no Ready node or in-flight launch can hold.
  // Returns the number of nodes launched.
  int Provision(ClusterState& cluster, Timestamp now);
  // Deletes Ready nodes that have held no pod for consolidate_after. Returns how many.
  int Consolidate(ClusterState& cluster, Timestamp now);
  // Spot interruptions over the last `elapsed`: notice, cordon, drain (respecting PDBs).
  int Interrupt(ClusterState& cluster, Timestamp now, Duration elapsed);

  // The cheapest type that holds all of `pods` (each {millicores, bytes}) on one node, or
  // failing that the one with the lowest price per pod it holds; nullptr if none holds
  // even the first. `*count` gets how many of the pods (first-fit, in order) it holds.
  // Only types named in `allowed` are considered, unless it is empty.
  const InstanceType* ChooseType(std::span<const std::pair<int, int64_t>> pods,
                                 CapacityType capacity, int* count,
                                 std::span<const std::string> allowed = {}) const;

 private:
  std::span<const InstanceType> types_;
};

}  // namespace prescient::sim
