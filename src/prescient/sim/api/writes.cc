// Write semantics follow apiserver's handlers (create.go, update.go, patch.go,
// delete.go) and ../shared/docs/kubernetes-api-surface.md section 1.7: a patch is
// applied to the object as served, nulls are dropped as decoding into Go structs drops
// them, status is written only through /status, a resourceVersion in the body is a
// precondition, and a write that changes nothing is no new version.
#include "prescient/sim/api/writes.h"

#include <atomic>
#include <limits>
#include <optional>
#include <regex>

#include "prescient/sim/api/objects_json.h"
#include "prescient/sim/api/patch.h"
#include "prescient/sim/api/stored_kinds.h"
#include "prescient/sim/scenario.h"

namespace prescient::sim::api {
namespace {

WriteResponse StatusResponse(int code, std::string_view reason, const std::string& message,
                             nlohmann::json details = nullptr) {
  WriteResponse w{code,
                  {{"kind", "Status"},
                   {"apiVersion", "v1"},
                   {"metadata", nlohmann::json::object()},
                   {"status", code < 400 ? "Success" : "Failure"},
                   {"message", message},
                   {"reason", reason},
                   {"code", code}},
                  ""};
  if (!details.is_null()) w.body["details"] = std::move(details);
  return w;
}

WriteResponse NotAllowed(const std::string& why) {
  return StatusResponse(405, "MethodNotAllowed", why);
}

WriteResponse FromStatus(const Status& s, const std::string& resource, const std::string& name) {
  switch (s.code()) {
    case StatusCode::kAlreadyExists:
      return StatusResponse(409, "AlreadyExists", s.message(),
                            {{"name", name}, {"kind", resource}});
    case StatusCode::kAborted:
      return StatusResponse(409, "Conflict", s.message(), {{"name", name}, {"kind", resource}});
    case StatusCode::kNotFound:
      return StatusResponse(404, "NotFound", s.message(), {{"name", name}, {"kind", resource}});
    case StatusCode::kInvalidArgument: {
      // kubectl prints the causes ("The X "y" is invalid: field: message").
      const std::string& m = s.message();
      const size_t colon = m.find(": ");
      nlohmann::json cause = {{"reason", "FieldValueInvalid"}, {"message", m}};
      if (colon != std::string::npos && m.find(' ') > colon) {
        cause["field"] = m.substr(0, colon);
        cause["message"] = m.substr(colon + 2);
      }
      return StatusResponse(422, "Invalid", resource + " \"" + name + "\" is invalid: " + m,
                            {{"name", name}, {"kind", resource}, {"causes", {cause}}});
    }
    default:
      return StatusResponse(500, "InternalError", s.message());
  }
}

std::string Qualified(const WriteRequest& r) {
  return r.resource + (r.group.empty() ? "" : "." + r.group);
}

WriteResponse NotFound(const WriteRequest& r) {
  return StatusResponse(404, "NotFound", Qualified(r) + " \"" + r.name + "\" not found",
                        {{"name", r.name}, {"kind", r.resource}});
}

WriteResponse Conflict(const WriteRequest& r) {
  return StatusResponse(409, "Conflict",
                        "Operation cannot be fulfilled on " + Qualified(r) + " \"" + r.name +
                            "\": the object has been modified; please apply your changes to "
                            "the latest version and try again",
                        {{"name", r.name}, {"kind", r.resource}});
}

uint64_t NextSeq() {
  static std::atomic<uint64_t> seq{0};
  return ++seq;
}

std::string ResourceVersionOf(const nlohmann::json& object) {
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object())
    return "";
  const nlohmann::json& m = object["metadata"];
  return m.contains("resourceVersion") && m["resourceVersion"].is_string()
             ? m["resourceVersion"].get<std::string>()
             : "";
}

// Records the write in metadata.managedFields, one entry per manager and operation.
void RecordManager(nlohmann::json& object, const std::string& manager, bool apply,
                   const std::string& api_version, Timestamp now) {
  if (manager.empty()) return;
  nlohmann::json& m = object["metadata"];
  nlohmann::json fields = nlohmann::json::array();
  const std::string operation = apply ? "Apply" : "Update";
  if (m.contains("managedFields") && m["managedFields"].is_array()) {
    for (const nlohmann::json& f : m["managedFields"]) {
      if (!(f.is_object() && f.value("manager", "") == manager &&
            f.value("operation", "") == operation)) {
        fields.push_back(f);
      }
    }
  }
  fields.push_back({{"manager", manager},
                    {"operation", operation},
                    {"apiVersion", api_version},
                    {"time", FormatTimestamp(now)},
                    {"fieldsType", "FieldsV1"},
                    {"fieldsV1", nlohmann::json::object()}});
  m["managedFields"] = std::move(fields);
}

Result<nlohmann::json> ParseBody(const WriteRequest& r) {
  if (r.body.size() >= 4 && r.body.compare(0, 4, std::string("k8s\0", 4)) == 0) {
    return Status(StatusCode::kUnimplemented, "protobuf bodies are not supported; send JSON");
  }
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgumentError("error decoding body: invalid JSON object");
  }
  return body;
}

WriteResponse BadBody(const Status& s) {
  if (s.code() == StatusCode::kUnimplemented)
    return StatusResponse(415, "UnsupportedMediaType", s.message());
  return StatusResponse(400, "BadRequest", s.message());
}

// A body of another kind than the URL's is a 400, as the real server's decoding into
// the URL's type makes it (kubectl never sends one; a hand-made request might).
Status CheckBodyKind(const std::string& resource, const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("kind")) return OkStatus();
  const std::string expected = KindOfResource(resource);
  if (!body["kind"].is_string() || body["kind"].get<std::string>() != expected) {
    return InvalidArgumentError("the kind in the body (" + body["kind"].dump() +
                                ") does not match the URL's (" + expected + ")");
  }
  return OkStatus();
}

// ---- Stored kinds ----

WriteResponse Shape(const WriteRequest& r, int code, const nlohmann::json& core) {
  return {code, r.group == "events.k8s.io" ? CoreEventToEventsV1(core) : core, ""};
}

WriteResponse CreateStored(ObjectStore& store, const WriteRequest& r, nlohmann::json body,
                           Timestamp now) {
  if (r.group == "events.k8s.io") {
    for (const char* f :
         {"eventTime", "reportingController", "reportingInstance", "action", "reason"}) {
      if (!body.contains(f)) {
        return StatusResponse(
            422, "Invalid",
            std::string("events.events.k8s.io is invalid: ") + f + ": Required value");
      }
    }
    body = EventsV1ToCoreEvent(body);
  }
  if (Status kind = CheckBodyKind(r.resource, body); !kind.ok()) {
    return StatusResponse(400, "BadRequest", kind.message());
  }
  if (!r.ns.empty() && !store.Get("namespaces", r.ns)) {
    return StatusResponse(404, "NotFound", "namespaces \"" + r.ns + "\" not found",
                          {{"name", r.ns}, {"kind", "namespaces"}});
  }
  const std::string api_version = body.value("apiVersion", "v1");
  Result<nlohmann::json> object =
      PrepareCreate(r.resource, StripNulls(std::move(body)), r.ns, now, NextSeq());
  std::string name = "";
  if (!object.ok()) return FromStatus(object.status(), Qualified(r), r.name);
  name = (*object)["metadata"]["name"];
  RecordManager(*object, r.field_manager, r.content_type.starts_with("application/apply-patch"),
                api_version, now);
  if (r.dry_run) return Shape(r, 201, *object);
  Result<StoredObject> created = store.Create(r.resource, std::move(*object));
  if (!created.ok()) return FromStatus(created.status(), Qualified(r), name);
  return Shape(r, 201, created->object);
}

WriteResponse DeleteStored(ObjectStore& store, const WriteRequest& r) {
  if (r.resource == "namespaces" &&
      (r.name == "default" || r.name == "kube-system" || r.name == "kube-public")) {
    return StatusResponse(
        403, "Forbidden",
        "namespaces \"" + r.name + "\" is forbidden: this namespace may not be deleted",
        {{"name", r.name}, {"kind", "namespaces"}});
  }
  if (r.dry_run) {
    if (!store.Get(r.resource, ObjectKey(r.ns, r.name))) return NotFound(r);
    return StatusResponse(200, "", "");
  }
  Result<StoredObject> gone = store.Delete(r.resource, ObjectKey(r.ns, r.name));
  if (!gone.ok()) return NotFound(r);
  WriteResponse w = StatusResponse(200, "", "");
  w.body["details"] = {
      {"name", r.name}, {"kind", r.resource}, {"uid", gone->object["metadata"].value("uid", "")}};
  return w;
}

// ---- Simulated kinds ----

Result<TaintEffect> ParseEffect(const std::string& e) {
  if (e == "NoSchedule") return TaintEffect::kNoSchedule;
  if (e == "PreferNoSchedule") return TaintEffect::kPreferNoSchedule;
  if (e == "NoExecute") return TaintEffect::kNoExecute;
  return InvalidArgumentError("spec.taints: Unsupported value: \"" + e +
                              "\": supported values: \"NoSchedule\", \"PreferNoSchedule\", "
                              "\"NoExecute\"");
}

int SpecInt(const nlohmann::json& object, const char* field, int fallback) {
  if (!object.contains("spec") || !object["spec"].is_object()) return fallback;
  const nlohmann::json& v = object["spec"].value(field, nlohmann::json());
  return v.is_number_integer() ? static_cast<int>(v.get<int64_t>()) : fallback;
}

Status CheckInt(const nlohmann::json& object, const char* field, int64_t min, int64_t max) {
  if (!object.contains("spec") || !object["spec"].is_object() || !object["spec"].contains(field))
    return OkStatus();
  const nlohmann::json& v = object["spec"][field];
  if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
    return InvalidArgumentError(std::string("spec.") + field + ": Invalid value: must be an " +
                                "integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                                "]");
  }
  return OkStatus();
}

// The HPA's target utilization, from spec.metrics[0] (the only metric simulated).
int TargetUtilization(const nlohmann::json& hpa, int fallback) {
  const nlohmann::json spec = hpa.value("spec", nlohmann::json::object());
  const nlohmann::json metrics = spec.value("metrics", nlohmann::json::array());
  if (!metrics.is_array() || metrics.empty() || !metrics[0].is_object()) return fallback;
  const nlohmann::json target =
      metrics[0].value("resource", nlohmann::json::object()).value("target", nlohmann::json());
  if (!target.is_object() || !target.contains("averageUtilization") ||
      !target["averageUtilization"].is_number_integer()) {
    return fallback;
  }
  return static_cast<int>(target["averageUtilization"].get<int64_t>());
}

// Keys of `before` missing from `after` become nulls, so the overlay deletes them from
// what the simulator shows too.
nlohmann::json MapOverlay(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json out = after.is_object() ? after : nlohmann::json::object();
  if (before.is_object()) {
    for (auto it = before.begin(); it != before.end(); ++it) {
      if (!out.contains(it.key())) out[it.key()] = nullptr;
    }
  }
  return out;
}

// What the store keeps of a write to a simulated object: metadata the simulator does not
// own, and the spec fields it does not model.
nlohmann::json OverlayOf(const std::string& resource, const nlohmann::json& current,
                         const nlohmann::json& updated) {
  const nlohmann::json& cm = current["metadata"];
  const nlohmann::json& um = updated["metadata"];
  nlohmann::json overlay = {{"metadata", nlohmann::json::object()}};
  for (const char* map : {"labels", "annotations"}) {
    nlohmann::json o = MapOverlay(cm.value(map, nlohmann::json()), um.value(map, nlohmann::json()));
    if (!o.empty()) overlay["metadata"][map] = std::move(o);
  }
  for (const char* f : {"generation", "managedFields", "finalizers"}) {
    if (um.contains(f)) overlay["metadata"][f] = um[f];
  }
  if (updated.contains("spec") && updated["spec"].is_object()) {
    nlohmann::json spec = updated["spec"];
    if (resource == "deployments") {
      // The simulator owns these: replicas, the template (its ReplicaSets), the strategy.
      for (const char* f : {"replicas", "selector", "template", "strategy"}) spec.erase(f);
      if (overlay["metadata"].contains("annotations")) {
        overlay["metadata"]["annotations"].erase("deployment.kubernetes.io/revision");
        if (overlay["metadata"]["annotations"].empty()) overlay["metadata"].erase("annotations");
      }
    } else if (resource == "horizontalpodautoscalers") {
      spec.erase("minReplicas");
      spec.erase("maxReplicas");
      spec.erase("scaleTargetRef");
    } else if (resource == "poddisruptionbudgets") {
      spec.erase("minAvailable");
      spec.erase("selector");
    } else {
      spec = nlohmann::json::object();  // Nodes, pods, ReplicaSets: all simulated.
    }
    if (!spec.empty()) overlay["spec"] = std::move(spec);
  }
  return overlay;
}

int ServiceOf(const Simulator& sim, const std::string& name) {
  for (int i = 0; i < sim.service_count(); ++i) {
    if (sim.view(i).name == name) return i;
  }
  return -1;
}

Result<IntOrPercent> DecodeIntOrPercent(const nlohmann::json& v, const std::string& field,
                                        IntOrPercent fallback) {
  if (v.is_null()) return fallback;
  if (v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= 100000)
    return IntOrPercent::Count(static_cast<int>(v.get<int64_t>()));
  if (v.is_string()) {
    const std::string t = v.get<std::string>();
    if (t.size() >= 2 && t.back() == '%' && t.find_first_not_of("0123456789") == t.size() - 1 &&
        t.size() <= 4) {
      return IntOrPercent::Percent(std::stoi(t.substr(0, t.size() - 1)));
    }
  }
  return InvalidArgumentError(field + ": Invalid value: must be an integer or a percentage");
}

Result<RollingUpdateStrategy> DecodeStrategy(const nlohmann::json& spec) {
  RollingUpdateStrategy out;
  const nlohmann::json strategy = spec.value("strategy", nlohmann::json::object());
  if (!strategy.is_object()) return InvalidArgumentError("spec.strategy: must be an object");
  const std::string type = strategy.value("type", nlohmann::json("RollingUpdate")).is_string()
                               ? strategy.value("type", "RollingUpdate")
                               : "";
  if (type != "RollingUpdate") {
    return InvalidArgumentError("spec.strategy.type: Unsupported value: \"" + type +
                                "\": the simulator rolls updates (RollingUpdate)");
  }
  const nlohmann::json rolling = strategy.value("rollingUpdate", nlohmann::json::object());
  if (!rolling.is_object())
    return InvalidArgumentError("spec.strategy.rollingUpdate: must be an object");
  PRESCIENT_ASSIGN_OR_RETURN(
      out.max_surge, DecodeIntOrPercent(rolling.value("maxSurge", nlohmann::json()),
                                        "spec.strategy.rollingUpdate.maxSurge", out.max_surge));
  PRESCIENT_ASSIGN_OR_RETURN(
      out.max_unavailable,
      DecodeIntOrPercent(rolling.value("maxUnavailable", nlohmann::json()),
                         "spec.strategy.rollingUpdate.maxUnavailable", out.max_unavailable));
  if (out.max_surge.value == 0 && out.max_unavailable.value == 0) {
    return InvalidArgumentError(
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: may not be 0 when maxSurge "
        "is 0");
  }
  return out;
}

// A template must be an object whose labels carry the selector's (apps/v1 validation).
Status CheckTemplate(const nlohmann::json& tmpl, const nlohmann::json& spec) {
  if (!tmpl.is_object()) return InvalidArgumentError("spec.template: Required value");
  const nlohmann::json labels =
      tmpl.value("metadata", nlohmann::json::object()).value("labels", nlohmann::json::object());
  const nlohmann::json match = spec.value("selector", nlohmann::json::object())
                                   .value("matchLabels", nlohmann::json::object());
  if (!labels.is_object() || !match.is_object()) {
    return InvalidArgumentError("spec.template.metadata.labels: Invalid value: must be a map");
  }
  for (auto it = match.begin(); it != match.end(); ++it) {
    if (!labels.contains(it.key()) || labels[it.key()] != it.value()) {
      return InvalidArgumentError(
          "spec.template.metadata.labels: Invalid value: `selector` does not match template "
          "`labels`");
    }
  }
  const nlohmann::json containers =
      tmpl.value("spec", nlohmann::json::object()).value("containers", nlohmann::json());
  if (!containers.is_array() || containers.empty()) {
    return InvalidArgumentError("spec.template.spec.containers: Required value");
  }
  for (const nlohmann::json& c : containers) {
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string() || !c.contains("image") ||
        !c["image"].is_string()) {
      return InvalidArgumentError(
          "spec.template.spec.containers: Invalid value: each container needs a name and an "
          "image");
    }
  }
  return OkStatus();
}

// What the simulator needs of a pod template: summed container requests (`fallback`'s
// when the template states none, as the scenario's own templates do), the priority of
// its PriorityClass, and the grace period.
Result<PodTemplate> PodTemplateOf(const nlohmann::json& tmpl, const ObjectStore& store,
                                  const PodTemplate& fallback) {
  PodTemplate pod = fallback;
  const nlohmann::json spec = tmpl.value("spec", nlohmann::json::object());
  int cpu = 0;
  int64_t memory = 0;
  bool stated = false;
  for (const nlohmann::json& c : spec.value("containers", nlohmann::json::array())) {
    if (!c.is_object()) continue;
    const nlohmann::json requests =
        c.value("resources", nlohmann::json::object()).value("requests", nlohmann::json::object());
    if (!requests.is_object()) {
      return InvalidArgumentError(
          "spec.template.spec.containers[].resources.requests: must be a map");
    }
    auto text = [](const nlohmann::json& v) {
      return v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : std::string("?");
    };
    if (requests.contains("cpu")) {
      Result<int> m = ParseCpuQuantity(text(requests["cpu"]));
      if (!m.ok()) {
        return InvalidArgumentError("spec.template.spec.containers[].resources.requests.cpu: " +
                                    m.status().message());
      }
      cpu += *m;
      stated = true;
    }
    if (requests.contains("memory")) {
      Result<int64_t> b = ParseMemoryQuantity(text(requests["memory"]));
      if (!b.ok()) {
        return InvalidArgumentError("spec.template.spec.containers[].resources.requests.memory: " +
                                    b.status().message());
      }
      memory += *b;
      stated = true;
    }
  }
  if (stated) {
    pod.cpu_request_millicores = cpu;
    pod.memory_request_bytes = memory;
  }
  if (spec.contains("priorityClassName")) {
    const nlohmann::json& name = spec["priorityClassName"];
    std::optional<StoredObject> pc =
        name.is_string() ? store.Get("priorityclasses", name.get<std::string>()) : std::nullopt;
    if (!pc) {
      return InvalidArgumentError("spec.template.spec.priorityClassName: Invalid value: " +
                                  name.dump() + ": no PriorityClass with this name");
    }
    pod.priority = static_cast<int>(pc->object.value("value", int64_t{0}));
  }
  if (spec.contains("terminationGracePeriodSeconds")) {
    const nlohmann::json& g = spec["terminationGracePeriodSeconds"];
    if (!g.is_number_integer() || g.get<int64_t>() < 0) {
      return InvalidArgumentError(
          "spec.template.spec.terminationGracePeriodSeconds: must be a non-negative integer");
    }
    pod.termination_grace_seconds = g.get<int64_t>();
  }
  return pod;
}

Result<std::vector<std::pair<std::string, std::string>>> DecodeSelector(
    const nlohmann::json& spec) {
  const nlohmann::json match =
      spec.value("selector", nlohmann::json::object()).value("matchLabels", nlohmann::json());
  if (!match.is_object() || match.empty()) {
    return InvalidArgumentError("spec.selector: Required value: matchLabels");
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = match.begin(); it != match.end(); ++it) {
    if (!it.value().is_string()) {
      return InvalidArgumentError("spec.selector.matchLabels: values must be strings");
    }
    out.emplace_back(it.key(), it.value().get<std::string>());
  }
  return out;
}

// A fallback that marks "not stated" (requests -1, an impossible priority).
const PodTemplate kUnstated = [] {
  PodTemplate t;
  t.cpu_request_millicores = -1;
  t.memory_request_bytes = -1;
  t.priority = std::numeric_limits<int>::min();
  return t;
}();

// Checks `updated` against what the simulator allows and returns the change to make.
Result<std::function<Status(Simulator&)>> DecodeSimulated(const ObjectStore& store,
                                                          const std::string& resource,
                                                          const std::string& name,
                                                          const nlohmann::json& current,
                                                          const nlohmann::json& updated) {
  const nlohmann::json& cs = current.value("spec", nlohmann::json::object());
  const nlohmann::json us = updated.value("spec", nlohmann::json::object());
  if (resource == "nodes") {
    PRESCIENT_ASSIGN_OR_RETURN(NodeChange change, DecodeNodeSpec(updated));
    return std::function<Status(Simulator&)>([name, change](Simulator& sim) {
      for (Node& n : sim.mutable_cluster().mutable_nodes()) {
        if (n.deleted || n.name != name) continue;
        n.unschedulable = change.unschedulable;
        n.taints = change.taints;
        return OkStatus();
      }
      return NotFoundError("nodes \"" + name + "\" not found");
    });
  }
  if (resource == "pods" || resource == "replicasets") {
    nlohmann::json a = cs, b = us;
    if (resource == "replicasets") {
      a.erase("replicas");
      b.erase("replicas");
    }
    if (a != b) {
      return InvalidArgumentError(
          resource == "pods"
              ? "spec: Forbidden: pod updates may not change fields other than the simulated "
                "ones (labels and annotations may change)"
              : "spec: Forbidden: a ReplicaSet owned by a Deployment is changed through it");
    }
    return std::function<Status(Simulator&)>([](Simulator&) { return OkStatus(); });
  }
  if (resource == "deployments") {
    if (us.value("selector", nlohmann::json()) != cs.value("selector", nlohmann::json())) {
      return InvalidArgumentError("spec.selector: Invalid value: field is immutable");
    }
    PRESCIENT_ASSIGN_OR_RETURN(std::optional<int> replicas, DecodeReplicas(updated));
    const int n = replicas.value_or(1);  // An unset spec.replicas defaults to 1.
    PRESCIENT_ASSIGN_OR_RETURN(RollingUpdateStrategy strategy, DecodeStrategy(us));
    const nlohmann::json tmpl = us.value("template", nlohmann::json());
    const bool new_template = tmpl != cs.value("template", nlohmann::json());
    if (new_template) PRESCIENT_RETURN_IF_ERROR(CheckTemplate(tmpl, us));
    // Requests and priority of the new template; none stated keeps the current ones.
    PRESCIENT_ASSIGN_OR_RETURN(PodTemplate pod, PodTemplateOf(tmpl, store, kUnstated));
    return std::function<Status(Simulator&)>(
        [name, n, strategy, tmpl, new_template, pod](Simulator& sim) {
          ClusterState& c = sim.mutable_cluster();
          for (DeploymentId id = 0; id < static_cast<DeploymentId>(c.deployments().size()); ++id) {
            Deployment& d = c.deployment(id);
            if (d.name != name || d.deleted) continue;
            d.replicas = n;
            d.rolling_update = strategy;
            // A new template is a rollout: a new ReplicaSet, or the old one it matches.
            if (new_template) {
              PodTemplate next = pod;
              if (next.cpu_request_millicores < 0) {
                next.cpu_request_millicores = d.current().pod.cpu_request_millicores;
                next.memory_request_bytes = d.current().pod.memory_request_bytes;
              }
              if (next.priority == kUnstated.priority) next.priority = d.current().pod.priority;
              c.UpdateTemplate(id, TemplateKey(d, tmpl), next, sim.Now());
            }
          }
          return OkStatus();
        });
  }
  if (resource == "horizontalpodautoscalers") {
    PRESCIENT_RETURN_IF_ERROR(CheckInt(updated, "minReplicas", 1, 100000));
    PRESCIENT_RETURN_IF_ERROR(CheckInt(updated, "maxReplicas", 1, 100000));
    if (us.value("scaleTargetRef", nlohmann::json()) !=
        cs.value("scaleTargetRef", nlohmann::json()))
      return InvalidArgumentError("spec.scaleTargetRef: the simulator's HPAs keep their target");
    const int min = SpecInt(updated, "minReplicas", 1);
    const int max = SpecInt(updated, "maxReplicas", 1);
    if (min > max) {
      return InvalidArgumentError("spec.minReplicas: Invalid value: " + std::to_string(min) +
                                  ": must be less than or equal to maxReplicas");
    }
    const int target = TargetUtilization(updated, TargetUtilization(current, 70));
    if (target < 1) return InvalidArgumentError("spec.metrics[0]: target must be >= 1");
    return std::function<Status(Simulator&)>([name, min, max, target](Simulator& sim) {
      const int service = ServiceOf(sim, name);
      if (service < 0) return NotFoundError(name);
      scaling::HpaSpec spec = sim.view(service).hpa_spec;
      spec.min_replicas = min;
      spec.max_replicas = max;
      spec.target_cpu_utilization_percent = target;
      return sim.SetHpaSpec(service, spec);
    });
  }
  if (resource == "poddisruptionbudgets") {
    if (us.value("selector", nlohmann::json()) != cs.value("selector", nlohmann::json()))
      return InvalidArgumentError("spec.selector: the simulator's PDBs keep their selector");
    if (us.contains("maxUnavailable"))
      return InvalidArgumentError("spec.maxUnavailable: the simulator models minAvailable only");
    PRESCIENT_RETURN_IF_ERROR(CheckInt(updated, "minAvailable", 0, 100000));
    const int min = SpecInt(updated, "minAvailable", 0);
    return std::function<Status(Simulator&)>([name, min](Simulator& sim) {
      const int service = ServiceOf(sim, name);
      if (service < 0) return NotFoundError(name);
      return sim.SetPdbMinAvailable(service, min);
    });
  }
  return InvalidArgumentError(resource + ": not writable");
}

WriteResponse UpdateSimulated(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r,
                              const StoredObject& current, nlohmann::json updated) {
  const std::string key = ObjectKey(r.ns, r.name);
  Result<std::function<Status(Simulator&)>> change =
      DecodeSimulated(store, r.resource, r.name, current.object, updated);
  if (!change.ok()) return FromStatus(change.status(), Qualified(r), r.name);
  // Every spec change is a new generation (what `rollout status` and `wait` watch).
  const nlohmann::json& cm = current.object["metadata"];
  const int64_t generation = cm.value("generation", int64_t{1});
  if (updated.value("spec", nlohmann::json()) != current.object.value("spec", nlohmann::json()) &&
      r.resource != "pods" && r.resource != "nodes") {
    updated["metadata"]["generation"] = generation + 1;
  } else if (cm.contains("generation")) {
    updated["metadata"]["generation"] = generation;
  }
  if (r.dry_run) return {200, updated, ""};
  nlohmann::json overlay = store.Overlay(r.resource, key);
  if (overlay.is_null()) overlay = nlohmann::json::object();
  overlay.merge_patch(OverlayOf(r.resource, current.object, updated));
  store.SetOverlay(r.resource, key, StripNulls(overlay).empty() ? nlohmann::json() : overlay);
  const Status applied = cluster.Write([&](Simulator& sim) { return (*change)(sim); });
  if (!applied.ok()) return FromStatus(applied, Qualified(r), r.name);
  std::optional<StoredObject> now = store.Get(r.resource, key);
  if (!now) return NotFound(r);
  return {200, now->object, ""};
}

// POST of a Deployment (or server-side apply of a missing one): a workload with no
// traffic of its own, such as the controller's placeholder pause pods.
WriteResponse CreateDeployment(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r,
                               nlohmann::json body, Timestamp now) {
  body = StripNulls(std::move(body));
  if (!body.contains("metadata") || !body["metadata"].is_object()) {
    body["metadata"] = nlohmann::json::object();
  }
  nlohmann::json& m = body["metadata"];
  if (!r.name.empty()) m["name"] = r.name;
  const std::string name =
      m.value("name", nlohmann::json("")).is_string() ? m.value("name", "") : "";
  WriteRequest named = r;
  named.name = name;
  if (r.ns != kNamespace) {
    return StatusResponse(403, "Forbidden",
                          "deployments.apps is forbidden: the simulator runs workloads in "
                          "namespace default only");
  }
  // Pods are named after the deployment, so its name must be a DNS label.
  static const std::regex kLabel(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?)");
  if (name.size() > 63 || !std::regex_match(name, kLabel)) {
    return FromStatus(InvalidArgumentError("metadata.name: Invalid value: \"" + name +
                                           "\": must be a lowercase RFC 1123 label"),
                      Qualified(named), name);
  }
  if (store.Get("deployments", ObjectKey(r.ns, name))) {
    return StatusResponse(409, "AlreadyExists", "deployments.apps \"" + name + "\" already exists",
                          {{"name", name}, {"group", "apps"}, {"kind", "deployments"}});
  }
  const nlohmann::json spec = body.value("spec", nlohmann::json::object());
  auto invalid = [&](const Status& s) { return FromStatus(s, Qualified(named), name); };
  Result<std::vector<std::pair<std::string, std::string>>> selector = DecodeSelector(spec);
  if (!selector.ok()) return invalid(selector.status());
  const nlohmann::json tmpl = spec.value("template", nlohmann::json());
  if (Status t = CheckTemplate(tmpl, spec); !t.ok()) return invalid(t);
  Result<std::optional<int>> replicas = DecodeReplicas(body);
  if (!replicas.ok()) return invalid(replicas.status());
  Result<RollingUpdateStrategy> strategy = DecodeStrategy(spec);
  if (!strategy.ok()) return invalid(strategy.status());
  PodTemplate zero;
  zero.cpu_request_millicores = 0;
  zero.memory_request_bytes = 0;
  Result<PodTemplate> pod = PodTemplateOf(tmpl, store, zero);
  if (!pod.ok()) return invalid(pod.status());
  Deployment d;
  d.name = name;
  d.replicas = replicas->value_or(1);
  d.pod = *pod;
  d.rolling_update = *strategy;
  d.from_api = true;
  d.selector = *selector;
  if (r.dry_run) {
    body["kind"] = "Deployment";
    body["apiVersion"] = "apps/v1";
    return {201, body, ""};
  }
  nlohmann::json created = {{"metadata", {{"generation", 1}}}};
  for (const char* map : {"labels", "annotations"}) {
    if (m.contains(map) && m[map].is_object()) created["metadata"][map] = m[map];
  }
  RecordManager(created, r.field_manager, r.content_type.starts_with("application/apply-patch"),
                "apps/v1", now);
  const std::string key = TemplateKey(d, tmpl);
  cluster.Write([&](Simulator& sim) {
    // Under the cluster's lock, with the deployment: a Sync between the two would drop
    // the overlay of an object it does not see yet (and the labels with it).
    store.SetOverlay("deployments", ObjectKey(r.ns, name), created);
    return sim.mutable_cluster().AddDeployment(std::move(d), sim.Now(), key);
  });
  std::optional<StoredObject> now_stored = store.Get("deployments", ObjectKey(r.ns, name));
  if (!now_stored) return StatusResponse(500, "InternalError", "created deployment not found");
  return {201, now_stored->object, ""};
}

// DELETE of a Deployment the API created: its pods go (background propagation) and it
// disappears at once. The scenario's own deployments stay; scale them to 0 instead.
WriteResponse DeleteDeployment(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r) {
  enum class Outcome { kMissing, kScenario, kDeleted };
  const Outcome outcome = cluster.Write([&](Simulator& sim) {
    ClusterState& c = sim.mutable_cluster();
    for (DeploymentId id = 0; id < static_cast<DeploymentId>(c.deployments().size()); ++id) {
      Deployment& d = c.deployment(id);
      if (d.name != r.name || d.deleted) continue;
      if (!d.from_api) return Outcome::kScenario;
      if (r.dry_run) return Outcome::kDeleted;
      d.deleted = true;
      d.replicas = 0;
      return Outcome::kDeleted;
    }
    return Outcome::kMissing;
  });
  if (outcome == Outcome::kMissing) return NotFound(r);
  if (outcome == Outcome::kScenario) {
    return NotAllowed("deployment \"" + r.name +
                      "\" belongs to the scenario's service and is not deleted through the API; "
                      "scale it to 0 instead");
  }
  if (!r.dry_run) store.SetOverlay("deployments", ObjectKey(r.ns, r.name), nullptr);
  return StatusResponse(200, "", "",
                        {{"name", r.name}, {"group", "apps"}, {"kind", "deployments"}});
}

// ---- Subresources ----

nlohmann::json ScaleOf(const nlohmann::json& d) {
  std::string selector;
  const nlohmann::json labels =
      d["spec"].value("selector", nlohmann::json::object()).value("matchLabels", nlohmann::json());
  if (labels.is_object()) {
    for (auto it = labels.begin(); it != labels.end(); ++it) {
      if (!it.value().is_string()) continue;
      selector += (selector.empty() ? "" : ",") + it.key() + "=" + it.value().get<std::string>();
    }
  }
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata",
           {{"name", d["metadata"]["name"]},
            {"namespace", d["metadata"]["namespace"]},
            {"uid", d["metadata"]["uid"]},
            {"resourceVersion", d["metadata"]["resourceVersion"]},
            {"creationTimestamp", d["metadata"]["creationTimestamp"]}}},
          {"spec", {{"replicas", d["spec"]["replicas"]}}},
          {"status", {{"replicas", d["status"]["replicas"]}, {"selector", selector}}}};
}

// The simulated container's log: its life so far, then one access summary per minute
// since it turned Ready, from the service's load and the pods serving it.
std::string PodLog(const Simulator& sim, const std::string& name, int tail_lines, bool* found) {
  *found = false;
  const ClusterState& c = sim.cluster();
  for (const Pod& p : c.pods()) {
    if (p.name != name) continue;
    *found = true;
    std::vector<std::string> lines;
    if (!p.started_at) return "";
    lines.push_back(FormatTimestamp(*p.started_at) + " starting container (image pulled)");
    if (!p.ready) return lines.front() + "\n";
    lines.push_back(FormatTimestamp(p.ready_at) + " listening on :8080, readiness probe passed");
    int service = -1;
    for (int i = 0; i < sim.service_count(); ++i) {
      if (sim.view(i).deployment == p.deployment) service = i;
    }
    if (service >= 0) {
      const Duration since = sim.Now() - p.ready_at;
      const Series load = sim.target(service).LoadHistory(std::min(since, Duration(86400)));
      const int serving = std::max(1, c.ReadyPods(p.deployment));
      for (size_t i = 0; i < load.size(); ++i) {
        char buf[160];
        std::snprintf(buf, sizeof buf, " GET /api 200: %.0f requests in the last minute",
                      load.values()[i] * 60 / serving);
        lines.push_back(FormatTimestamp(load.TimeAt(i) + Duration(60)) + buf);
      }
    }
    if (p.deletion_at) {
      lines.push_back(FormatTimestamp(*p.deletion_at) + " SIGTERM received, draining connections");
    }
    const size_t from = tail_lines >= 0 && static_cast<size_t>(tail_lines) < lines.size()
                            ? lines.size() - static_cast<size_t>(tail_lines)
                            : 0;
    std::string out;
    for (size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
    return out;
  }
  return "";
}

WriteResponse WritePod(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r) {
  const bool evict = r.subresource == "eviction";
  enum class Outcome { kMissing, kDone, kRefused };
  const Outcome outcome = cluster.Write([&](Simulator& sim) {
    ClusterState& c = sim.mutable_cluster();
    for (Pod& p : c.pods()) {
      if (p.name != r.name || p.deletion_at.has_value()) continue;
      if (r.dry_run) return Outcome::kDone;
      if (!evict) {
        c.DeletePod(p, sim.Now());
        return Outcome::kDone;
      }
      return c.EvictPod(p, sim.Now()) ? Outcome::kDone : Outcome::kRefused;
    }
    return Outcome::kMissing;
  });
  if (outcome == Outcome::kMissing) return NotFound(r);
  if (outcome == Outcome::kRefused) {
    return StatusResponse(429, "TooManyRequests",
                          "Cannot evict pod as it would violate the pod's disruption budget.",
                          {{"causes",
                            {{{"reason", "DisruptionBudget"},
                              {"message", "The disruption budget needs more healthy pods"}}}}});
  }
  if (evict) return StatusResponse(201, "", "");
  std::optional<StoredObject> pod = store.Get("pods", ObjectKey(r.ns, r.name));
  if (pod) return {200, pod->object, ""};
  return StatusResponse(200, "", "");  // Gone at once (never started).
}

WriteResponse Get(LiveCluster& cluster, const StoredObject& current, const WriteRequest& r) {
  if (r.subresource == "scale") return {200, ScaleOf(current.object), ""};
  if (r.subresource == "status") return {200, current.object, ""};
  if (r.subresource == "log") {
    bool found = false;
    std::string text = cluster.Read(
        [&](const Simulator& sim) { return PodLog(sim, r.name, r.tail_lines, &found); });
    if (!found) return NotFound(r);
    return {200, nullptr, text.empty() ? std::string("\n") : text};
  }
  return NotAllowed("GET of " + r.resource + "/" + r.subresource + " is not served");
}

// PUT or PATCH of an object or its /status or /scale.
WriteResponse Update(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r,
                     Timestamp now) {
  const bool stored = IsStoredResource(r.resource);
  const bool events_v1 = r.group == "events.k8s.io";
  const std::optional<StoredObject> current = store.Get(r.resource, ObjectKey(r.ns, r.name));
  std::optional<PatchType> patch_type;
  nlohmann::json doc;
  if (r.method == "PATCH") {
    Result<PatchType> type = PatchTypeOf(r.content_type);
    if (!type.ok()) return StatusResponse(415, "UnsupportedMediaType", type.status().message());
    patch_type = *type;
    Result<nlohmann::json> parsed = ParsePatchDocument(*type, r.body);
    if (!parsed.ok()) return StatusResponse(400, "BadRequest", parsed.status().message());
    doc = std::move(*parsed);
  } else {
    Result<nlohmann::json> parsed = ParseBody(r);
    if (!parsed.ok()) return BadBody(parsed.status());
    doc = std::move(*parsed);
  }
  if (r.subresource.empty() && (!patch_type || patch_type == PatchType::kApply)) {
    if (Status kind = CheckBodyKind(r.resource, doc); !kind.ok()) {
      return StatusResponse(400, "BadRequest", kind.message());
    }
  }
  if (!current) {
    // Server-side apply upserts (and so does a PUT of a stored kind, as for most kinds).
    if (stored && r.subresource.empty() &&
        (patch_type == PatchType::kApply || (!patch_type && r.method == "PUT"))) {
      if (!doc.contains("metadata") || !doc["metadata"].is_object()) {
        doc["metadata"] = nlohmann::json::object();
      }
      doc["metadata"]["name"] = r.name;
      return CreateStored(store, r, StripNulls(doc), now);
    }
    if (r.resource == "deployments" && r.subresource.empty() && patch_type == PatchType::kApply) {
      return CreateDeployment(cluster, store, r, std::move(doc), now);
    }
    return NotFound(r);
  }
  const bool scale = r.subresource == "scale";
  nlohmann::json served = events_v1 ? CoreEventToEventsV1(current->object) : current->object;
  if (scale) served = ScaleOf(current->object);
  nlohmann::json updated;
  if (patch_type) {
    Result<nlohmann::json> patched = ApplyPatch(*patch_type, served, doc);
    if (!patched.ok()) return StatusResponse(422, "Invalid", patched.status().message());
    updated = std::move(*patched);
  } else {
    updated = doc;
  }
  updated = StripNulls(std::move(updated));
  if (!updated.is_object() || (updated.contains("metadata") && !updated["metadata"].is_object()))
    return StatusResponse(422, "Invalid", "the result is not an object with metadata");
  // A resourceVersion the client sent (in a PUT body or a patch) is a precondition.
  const std::string sent = ResourceVersionOf(updated);
  const std::string have = ResourceVersionOf(served);
  if (updated.contains("metadata") && updated["metadata"].contains("resourceVersion") &&
      !updated["metadata"]["resourceVersion"].is_string()) {
    return StatusResponse(400, "BadRequest", "metadata.resourceVersion: must be a string");
  }
  if (!sent.empty() && sent != have) return Conflict(r);
  const std::string name =
      updated.contains("metadata") ? updated["metadata"].value("name", r.name) : r.name;
  if (name != r.name) {
    return StatusResponse(400, "BadRequest",
                          "the name of the object (" + name +
                              ") does not match the name on the URL (" + r.name + ")");
  }
  if (scale) {
    Result<std::optional<int>> replicas = DecodeReplicas(updated);
    if (!replicas.ok()) return FromStatus(replicas.status(), Qualified(r), r.name);
    nlohmann::json d = current->object;
    if (replicas->has_value()) d["spec"]["replicas"] = **replicas;
    WriteResponse w = UpdateSimulated(cluster, store, r, *current, std::move(d));
    if (w.code == 200) w.body = ScaleOf(w.body);
    return w;
  }
  if (events_v1) updated = EventsV1ToCoreEvent(updated);
  if (!updated.contains("metadata")) updated["metadata"] = nlohmann::json::object();
  updated["metadata"]["name"] = r.name;
  if (!r.ns.empty()) updated["metadata"]["namespace"] = r.ns;
  // The main resource never writes status and /status never writes anything else; the
  // simulator owns the status of what it simulates.
  if (r.subresource == "status") {
    if (!stored) return Shape(r, 200, current->object);
    nlohmann::json status_only = current->object;
    if (updated.contains("status")) status_only["status"] = updated["status"];
    updated = std::move(status_only);
  } else if (current->object.contains("status")) {
    updated["status"] = current->object["status"];
  } else {
    updated.erase("status");
  }
  RecordManager(updated, r.field_manager, patch_type == PatchType::kApply,
                current->object.value("apiVersion", "v1"), now);
  if (!stored) return UpdateSimulated(cluster, store, r, *current, std::move(updated));
  Result<nlohmann::json> prepared = PrepareUpdate(r.resource, std::move(updated), current->object);
  if (!prepared.ok()) return FromStatus(prepared.status(), Qualified(r), r.name);
  if (r.dry_run) return Shape(r, 200, *prepared);
  Result<StoredObject> written = store.Update(r.resource, std::move(*prepared), sent);
  if (!written.ok()) {
    if (written.status().code() == StatusCode::kAborted) return Conflict(r);
    return FromStatus(written.status(), Qualified(r), r.name);
  }
  return Shape(r, 200, written->object);
}

}  // namespace

Result<NodeChange> DecodeNodeSpec(const nlohmann::json& node) {
  NodeChange change;
  if (!node.is_object() || !node.contains("spec")) return change;
  const nlohmann::json& spec = node["spec"];
  if (!spec.is_object()) return InvalidArgumentError("spec: must be an object");
  if (spec.contains("unschedulable")) {
    if (!spec["unschedulable"].is_boolean())
      return InvalidArgumentError("spec.unschedulable: must be a boolean");
    change.unschedulable = spec["unschedulable"].get<bool>();
  }
  if (spec.contains("taints")) {
    const nlohmann::json& taints = spec["taints"];
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
      change.taints.push_back({t["key"].get<std::string>(), value.get<std::string>(), e});
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

WriteResponse HandleWrite(LiveCluster& cluster, ObjectStore& store, const WriteRequest& r) {
  const Timestamp now = cluster.Read([](const Simulator& sim) { return sim.Now(); });
  const bool stored = IsStoredResource(r.resource);
  if (r.subresource == "eviction") {
    if (r.method != "POST") return NotAllowed("evictions are created with POST");
    return WritePod(cluster, store, r);
  }
  if (r.method == "POST") {
    if (!r.name.empty() || !r.subresource.empty()) {
      return NotAllowed("the server does not allow this method on the requested resource");
    }
    if (r.resource == "deployments") {
      Result<nlohmann::json> body = ParseBody(r);
      if (!body.ok()) return BadBody(body.status());
      if (Status kind = CheckBodyKind(r.resource, *body); !kind.ok()) {
        return StatusResponse(400, "BadRequest", kind.message());
      }
      return CreateDeployment(cluster, store, r, std::move(*body), now);
    }
    if (!stored) {
      return NotAllowed("the simulator creates " + r.resource +
                        " only from its scenario (--scenario); it cannot create them through "
                        "the API");
    }
    Result<nlohmann::json> body = ParseBody(r);
    if (!body.ok()) return BadBody(body.status());
    return CreateStored(store, r, std::move(*body), now);
  }
  if (r.name.empty()) {
    return NotAllowed("the server does not allow this method on the requested resource");
  }
  if (r.method == "GET") {
    std::optional<StoredObject> current = store.Get(r.resource, ObjectKey(r.ns, r.name));
    if (!current) return NotFound(r);
    return Get(cluster, *current, r);
  }
  if (r.method == "DELETE") {
    if (!r.subresource.empty()) return NotAllowed("subresources are not deleted");
    if (stored) return DeleteStored(store, r);
    if (r.resource == "pods") return WritePod(cluster, store, r);
    if (r.resource == "deployments") return DeleteDeployment(cluster, store, r);
    return NotAllowed("the simulator does not delete " + r.resource +
                      " (its scenario declares them); pods can be deleted");
  }
  if (r.method == "PUT" || r.method == "PATCH") {
    if (r.subresource == "log") return NotAllowed("pods/log is read-only");
    return Update(cluster, store, r, now);
  }
  return NotAllowed("the server does not allow this method on the requested resource");
}

}  // namespace prescient::sim::api
