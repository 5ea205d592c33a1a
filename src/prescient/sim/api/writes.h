// Every write the simulator's API accepts, and the GETs of subresources:
//   POST   collection                 create (stored kinds: namespaces, leases, priority
//                                     classes, events; 201, 409 AlreadyExists)
//   PUT    object[/status|/scale]     update (409 Conflict on a stale resourceVersion)
//   PATCH  object[/status|/scale]     JSON, merge, strategic merge and apply patches
//                                     (apply creates a stored object when missing)
//   DELETE object                     stored kinds at once; pods gracefully (the
//                                     ReplicaSet replaces them)
//   POST   pods/NAME/eviction         honours PodDisruptionBudgets: 429 when it would
//                                     break one (no Retry-After, as the real server)
//   GET    deployments/NAME/scale, pods/NAME/log, */NAME/status
// A write to a simulated object changes what the simulator models (a node's
// unschedulable and taints, a deployment's replicas, an HPA's bounds and target, a PDB's
// minAvailable); everything else users write (labels, annotations, a template) is kept
// as the object's overlay in the store. metadata.generation moves on every spec change.
// `dryRun=All` validates and answers without storing.
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
  std::string method;  // POST, PUT, PATCH, DELETE (GET for subresources).
  std::string group;   // Of the URL: events.k8s.io reads and writes its own Event shape.
  std::string resource, subresource, ns, name;
  std::string content_type;
  std::string body;
  bool dry_run = false;
  std::string field_manager;
  int tail_lines = -1;  // pods/log ?tailLines=.
};

struct WriteResponse {
  int code = 200;
  nlohmann::json body;  // An object, or a Status.
  std::string text;     // Instead of body when not empty (pods/log): text/plain.
};

// The body decoders, pure and exposed for fuzz/api_patch_fuzzer.cc.
struct NodeChange {
  bool unschedulable = false;
  std::vector<Taint> taints;
};
// spec.unschedulable and spec.taints of a whole Node object.
Result<NodeChange> DecodeNodeSpec(const nlohmann::json& node);
// spec.replicas of a deployment or a Scale; nullopt when absent.
Result<std::optional<int>> DecodeReplicas(const nlohmann::json& body);

WriteResponse HandleWrite(LiveCluster& cluster, ObjectStore& store, const WriteRequest& request);

}  // namespace prescient::sim::api
