#include "prescient/sim/api/writes.h"

#include <optional>

namespace prescient::sim::api {
namespace {

WriteResponse StatusResponse(int code, std::string_view reason, const std::string& message) {
  return {code,
          {{"kind", "Status"},
           {"apiVersion", "v1"},
           {"metadata", nlohmann::json::object()},
           {"status", code < 400 ? "Success" : "Failure"},
           {"message", message},
           {"reason", reason},
           {"code", code}}};
}

WriteResponse NotFound(const std::string& kind, const std::string& name) {
  return StatusResponse(404, "NotFound", kind + " \"" + name + "\" not found");
}

std::optional<StoredObject> Find(const ObjectStore& store, const std::string& resource,
                                 const std::string& name) {
  for (StoredObject& o : store.List(resource)) {
    if (o.object["metadata"]["name"] == name) return std::move(o);
  }
  return std::nullopt;
}

// Turns a JSON patch on a few paths into the equivalent merge patch; nullopt if an
// operation touches anything else.
std::optional<nlohmann::json> JsonPatchToMerge(const nlohmann::json& ops) {
  nlohmann::json merge = nlohmann::json::object();
  if (!ops.is_array()) return std::nullopt;
  for (const nlohmann::json& op : ops) {
    if (!op.is_object() || !op.contains("op") || !op.contains("path") || !op["op"].is_string() ||
        !op["path"].is_string()) {
      return std::nullopt;
    }
    const std::string kind = op["op"].get<std::string>();
    const std::string path = op["path"].get<std::string>();
    if (kind == "test") continue;
    nlohmann::json value =
        kind == "remove" ? nlohmann::json(nullptr) : op.value("value", nlohmann::json());
    if (kind != "add" && kind != "replace" && kind != "remove") return std::nullopt;
    if (path == "/spec/unschedulable") {
      merge["spec"]["unschedulable"] = value;
    } else if (path == "/spec/taints") {
      merge["spec"]["taints"] = value;
    } else if (path == "/spec/replicas") {
      merge["spec"]["replicas"] = value;
    } else {
      return std::nullopt;
    }
  }
  return merge;
}

}  // namespace

Result<nlohmann::json> ParsePatchBody(const std::string& content_type, const std::string& text) {
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgumentError("error decoding patch: invalid JSON");
  if (content_type.find("json-patch") != std::string::npos) {
    std::optional<nlohmann::json> merge = JsonPatchToMerge(body);
    if (!merge)
      return InvalidArgumentError(
          "json patch: only /spec/replicas, /spec/unschedulable and /spec/taints are supported");
    return *merge;
  }
  if (!body.is_object())
    return InvalidArgumentError("error decoding patch: the patch must be a JSON object");
  return body;
}

namespace {

Result<TaintEffect> ParseEffect(const std::string& e) {
  if (e == "NoSchedule") return TaintEffect::kNoSchedule;
  if (e == "PreferNoSchedule") return TaintEffect::kPreferNoSchedule;
  if (e == "NoExecute") return TaintEffect::kNoExecute;
  return InvalidArgumentError("spec.taints: unknown effect '" + e + "'");
}

}  // namespace

Result<NodeChange> DecodeNodePatch(const nlohmann::json& patch) {
  NodeChange change;
  if (!patch.is_object() || !patch.contains("spec")) return change;
  const nlohmann::json& spec = patch["spec"];
  if (!spec.is_object()) return InvalidArgumentError("spec: must be an object");
  if (spec.contains("unschedulable")) {
    const nlohmann::json& u = spec["unschedulable"];
    if (!u.is_null() && !u.is_boolean()) {
      return InvalidArgumentError("spec.unschedulable: must be a boolean");
    }
    change.unschedulable = u.is_boolean() && u.get<bool>();
  }
  if (spec.contains("taints")) {
    change.taints.emplace();
    const nlohmann::json& taints = spec["taints"];
    if (!taints.is_null()) {
      if (!taints.is_array()) return InvalidArgumentError("spec.taints: must be a list");
      for (const nlohmann::json& t : taints) {
        if (!t.is_object() || !t.contains("key") || !t["key"].is_string()) {
          return InvalidArgumentError("spec.taints: each taint needs a string key");
        }
        const nlohmann::json value = t.contains("value") ? t["value"] : nlohmann::json("");
        const nlohmann::json effect = t.contains("effect") ? t["effect"] : nlohmann::json("");
        if (!value.is_string() || !effect.is_string()) {
          return InvalidArgumentError("spec.taints: value and effect must be strings");
        }
        PRESCIENT_ASSIGN_OR_RETURN(TaintEffect e, ParseEffect(effect.get<std::string>()));
        change.taints->push_back({t["key"].get<std::string>(), value.get<std::string>(), e});
      }
    }
  }
  return change;
}

Result<std::optional<int>> DecodeReplicas(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("spec") || !body["spec"].is_object() ||
      !body["spec"].contains("replicas")) {
    return std::optional<int>();
  }
  const nlohmann::json& r = body["spec"]["replicas"];
  if (!r.is_number_integer() || r.get<int64_t>() < 0 || r.get<int64_t>() > 100000) {
    return InvalidArgumentError("spec.replicas: Invalid value: must be a non-negative integer");
  }
  return std::optional<int>(static_cast<int>(r.get<int64_t>()));
}

namespace {

Result<nlohmann::json> ParsePatch(const WriteRequest& r) {
  return ParsePatchBody(r.content_type, r.body);
}

WriteResponse PatchNode(LiveCluster& cluster, const ObjectStore& store, const WriteRequest& r) {
  Result<nlohmann::json> patch = ParsePatch(r);
  if (!patch.ok()) return StatusResponse(400, "BadRequest", patch.status().message());
  Result<NodeChange> change = DecodeNodePatch(*patch);
  if (!change.ok()) return StatusResponse(422, "Invalid", change.status().message());
  const bool found = cluster.Write([&](Simulator& sim) {
    for (Node& n : sim.mutable_cluster().mutable_nodes()) {
      if (n.deleted || n.name != r.name) continue;
      if (change->unschedulable) n.unschedulable = *change->unschedulable;
      if (change->taints) n.taints = *change->taints;
      return true;
    }
    return false;
  });
  if (!found) return NotFound("nodes", r.name);
  return {200, Find(store, "nodes", r.name)->object};
}

nlohmann::json ScaleOf(const StoredObject& d) {
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata",
           {{"name", d.object["metadata"]["name"]},
            {"namespace", d.object["metadata"]["namespace"]},
            {"uid", d.object["metadata"]["uid"]},
            {"resourceVersion", d.object["metadata"]["resourceVersion"]},
            {"creationTimestamp", d.object["metadata"]["creationTimestamp"]}}},
          {"spec", {{"replicas", d.object["spec"]["replicas"]}}},
          {"status",
           {{"replicas", d.object["status"]["replicas"]},
            {"selector", "app=" + d.object["metadata"]["name"].get<std::string>()}}}};
}

WriteResponse WriteDeployment(LiveCluster& cluster, const ObjectStore& store,
                              const WriteRequest& r) {
  std::optional<StoredObject> current = Find(store, "deployments", r.name);
  if (!current) return NotFound("deployments.apps", r.name);
  const bool scale = r.subresource == "scale";
  if (r.method == "GET") {
    if (!scale) return StatusResponse(405, "MethodNotAllowed", "use the collection");
    return {200, ScaleOf(*current)};
  }
  nlohmann::json body;
  if (r.method == "PUT") {
    body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return StatusResponse(400, "BadRequest", "error decoding body: invalid JSON");
    std::string rv;
    if (body.contains("metadata") && body["metadata"].is_object() &&
        body["metadata"].contains("resourceVersion")) {
      if (!body["metadata"]["resourceVersion"].is_string()) {
        return StatusResponse(400, "BadRequest", "metadata.resourceVersion: must be a string");
      }
      rv = body["metadata"]["resourceVersion"].get<std::string>();
    }
    if (!rv.empty() && rv != current->object["metadata"]["resourceVersion"]) {
      return StatusResponse(
          409, "Conflict",
          "Operation cannot be fulfilled on deployments.apps \"" + r.name +
              "\": the object has been modified; please apply your changes to the latest "
              "version and try again");
    }
  } else {
    Result<nlohmann::json> patch = ParsePatch(r);
    if (!patch.ok()) return StatusResponse(400, "BadRequest", patch.status().message());
    body = *patch;
  }
  Result<std::optional<int>> replicas = DecodeReplicas(body);
  if (!replicas.ok()) return StatusResponse(422, "Invalid", replicas.status().message());
  if (replicas->has_value()) {
    cluster.Write([&](Simulator& sim) {
      ClusterState& c = sim.mutable_cluster();
      for (DeploymentId id = 0; id < static_cast<DeploymentId>(c.deployments().size()); ++id) {
        if (c.deployment(id).name == r.name) c.deployment(id).replicas = **replicas;
      }
      return 0;
    });
  }
  current = Find(store, "deployments", r.name);
  return {200, scale ? ScaleOf(*current) : current->object};
}

WriteResponse WritePod(LiveCluster& cluster, const ObjectStore& store, const WriteRequest& r) {
  const bool evict = r.subresource == "eviction";
  if (!evict && r.method != "DELETE") {
    return StatusResponse(405, "MethodNotAllowed",
                          "the server does not allow this method on the requested resource");
  }
  if (evict && r.method != "POST") {
    return StatusResponse(405, "MethodNotAllowed", "evictions are created with POST");
  }
  enum class Outcome { kMissing, kDone, kRefused };
  const Outcome outcome = cluster.Write([&](Simulator& sim) {
    ClusterState& c = sim.mutable_cluster();
    for (Pod& p : c.pods()) {
      if (p.name != r.name || p.deletion_at.has_value()) continue;
      if (!evict) {
        c.DeletePod(p, sim.Now());
        return Outcome::kDone;
      }
      return c.EvictPod(p, sim.Now()) ? Outcome::kDone : Outcome::kRefused;
    }
    return Outcome::kMissing;
  });
  if (outcome == Outcome::kMissing) return NotFound("pods", r.name);
  if (outcome == Outcome::kRefused) {
    WriteResponse w =
        StatusResponse(429, "TooManyRequests",
                       "Cannot evict pod as it would violate the pod's disruption budget.");
    w.body["details"] = {{"causes",
                          {{{"reason", "DisruptionBudget"},
                            {"message", "The disruption budget needs more healthy pods"}}}}};
    return w;
  }
  if (evict) return StatusResponse(201, "", "");
  std::optional<StoredObject> pod = Find(store, "pods", r.name);
  if (pod) return {200, pod->object};
  return StatusResponse(200, "", "");  // Gone at once (never started).
}

}  // namespace

WriteResponse HandleWrite(LiveCluster& cluster, const ObjectStore& store, const WriteRequest& r) {
  if (r.name.empty()) {
    return StatusResponse(405, "MethodNotAllowed",
                          "the server does not allow this method on the requested resource");
  }
  if (r.resource == "nodes" && r.subresource.empty() && r.method == "PATCH")
    return PatchNode(cluster, store, r);
  if (r.resource == "deployments" && (r.subresource.empty() || r.subresource == "scale")) {
    if (r.method == "GET" || r.method == "PUT" || r.method == "PATCH")
      return WriteDeployment(cluster, store, r);
  }
  if (r.resource == "pods" && (r.subresource.empty() || r.subresource == "eviction")) {
    return WritePod(cluster, store, r);
  }
  return StatusResponse(405, "MethodNotAllowed",
                        "the server does not allow this method on the requested resource");
}

}  // namespace prescient::sim::api
