// EventRecorder: the events the cluster's controllers would record, for `kubectl get
// events` and `describe`. After each simulation step it compares the simulated objects
// in the store with what it saw the step before and records, as their components do:
//   replicaset-controller  SuccessfulCreate      a pod created for a ReplicaSet
//   default-scheduler      Scheduled             a pod bound to a node
//   kubelet                Started, Killing      a container ready, a pod terminating
//   deployment-controller  ScalingReplicaSet     spec.replicas moved
//   horizontal-pod-autoscaler SuccessfulRescale  the HPA's desired replicas moved
//   node-controller, kubelet RegisteredNode, NodeReady, NodeNotSchedulable, NodeSchedulable
// The first call only takes a snapshot (a new server does not replay history). Events
// live one simulated hour, the API server's default --event-ttl.
// Thread-compatible: call from one thread (LiveCluster's observer). Tested by
// api_server_test.cc.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "prescient/core/time.h"
#include "prescient/sim/api/object_store.h"

namespace prescient::sim::api {

inline constexpr Duration kEventTtl{3600};

class EventRecorder {
 public:
  void Record(ObjectStore& store, Timestamp now);

 private:
  struct PodSeen {
    std::string node;
    bool ready = false;
    bool deleting = false;
  };
  void Emit(ObjectStore& store, Timestamp now, const nlohmann::json& object,
            const std::string& reason, const std::string& message, const std::string& component,
            const std::string& type = "Normal");

  bool first_ = true;
  uint64_t seq_ = 0;
  std::map<std::string, PodSeen> pods_;
  std::map<std::string, int64_t> replicas_;               // Deployment -> spec.replicas.
  std::map<std::string, int64_t> desired_;                // HPA -> status.desiredReplicas.
  std::map<std::string, std::pair<bool, bool>> nodes_;    // Ready, unschedulable.
  std::deque<std::pair<Timestamp, std::string>> expiry_;  // Event keys by creation.
};

}  // namespace prescient::sim::api
