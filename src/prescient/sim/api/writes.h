// The writes the simulator's API accepts, applied to the live cluster: what `kubectl
// scale`, `cordon`/`uncordon`, `taint`, `delete pod` and `drain` send.
//   PATCH nodes/NAME                 spec.unschedulable, spec.taints (strategic merge,
//                                    merge, or JSON patch)
//   GET|PUT|PATCH deployments/NAME/scale, PATCH deployments/NAME   spec.replicas
//   DELETE pods/NAME                 graceful deletion; the ReplicaSet replaces the pod
//   POST pods/NAME/eviction          honours PodDisruptionBudgets: 429 when it would
//                                    break one (no Retry-After, as the real server)
// A PUT carrying a stale metadata.resourceVersion gets 409 Conflict.
// Thread-safe (through LiveCluster::Write). Tested by api_server_test.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/sim/api/live_cluster.h"
#include "prescient/sim/api/object_store.h"

namespace prescient::sim::api {

struct WriteRequest {
  std::string method;  // PATCH, PUT, DELETE, POST (GET for the scale subresource).
  std::string resource, subresource, name;
  std::string content_type;
  std::string body;
};

struct WriteResponse {
  int code = 200;
  nlohmann::json body;  // An object, or a Status.
};

// The body decoders, pure and exposed for fuzz/api_patch_fuzzer.cc. A patch of any of
// the three types kubectl sends becomes the equivalent merge patch (JSON patch only on
// the paths served); InvalidArgument names what is wrong.
Result<nlohmann::json> ParsePatchBody(const std::string& content_type, const std::string& body);
struct NodeChange {
  std::optional<bool> unschedulable;
  std::optional<std::vector<Taint>> taints;
};
Result<NodeChange> DecodeNodePatch(const nlohmann::json& patch);
// spec.replicas of a deployment patch or a Scale; nullopt when absent.
Result<std::optional<int>> DecodeReplicas(const nlohmann::json& body);

WriteResponse HandleWrite(LiveCluster& cluster, const ObjectStore& store,
                          const WriteRequest& request);

}  // namespace prescient::sim::api
