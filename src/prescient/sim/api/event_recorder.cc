// Reasons, messages and components are upstream's (pkg/controller/replicaset,
// deployment/sync.go, podautoscaler/horizontal.go, kubelet, node lifecycle), so what
// `kubectl describe` prints reads as on a real cluster.
#include "prescient/sim/api/event_recorder.h"

#include <cstdio>
#include <set>

#include "prescient/sim/api/stored_kinds.h"

namespace prescient::sim::api {
namespace {

std::string Str(const nlohmann::json& object, std::initializer_list<const char*> path) {
  const nlohmann::json* at = &object;
  for (const char* p : path) {
    if (!at->is_object() || !at->contains(p)) return "";
    at = &(*at)[p];
  }
  return at->is_string() ? at->get<std::string>() : "";
}

int64_t Int(const nlohmann::json& object, const char* a, const char* b) {
  if (!object.contains(a) || !object[a].is_object()) return 0;
  const nlohmann::json& v = object[a].value(b, nlohmann::json());
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

bool PodReady(const nlohmann::json& pod) {
  if (!pod.contains("status") || !pod["status"].contains("conditions")) return false;
  for (const nlohmann::json& c : pod["status"]["conditions"]) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

bool NodeReady(const nlohmann::json& node) { return PodReady(node); }

// The newest ReplicaSet of a deployment (highest revision), for ScalingReplicaSet.
std::string NewestReplicaSet(const std::vector<StoredObject>& sets, const std::string& deploy) {
  std::string best;
  int64_t best_revision = -1;
  for (const StoredObject& rs : sets) {
    const nlohmann::json& m = rs.object["metadata"];
    bool owned = false;
    for (const nlohmann::json& o : m.value("ownerReferences", nlohmann::json::array())) {
      owned |= o.value("kind", "") == "Deployment" && o.value("name", "") == deploy;
    }
    if (!owned) continue;
    const std::string r =
        Str(rs.object, {"metadata", "annotations", "deployment.kubernetes.io/revision"});
    const int64_t revision = r.empty() ? 0 : std::atoll(r.c_str());
    if (revision > best_revision) {
      best_revision = revision;
      best = m.value("name", "");
    }
  }
  return best.empty() ? deploy : best;
}

}  // namespace

void EventRecorder::Emit(ObjectStore& store, Timestamp now, const nlohmann::json& object,
                         const std::string& reason, const std::string& message,
                         const std::string& component, const std::string& type) {
  const nlohmann::json& m = object["metadata"];
  const std::string ns = m.value("namespace", "default");
  char suffix[32];
  std::snprintf(
      suffix, sizeof suffix, ".%llx",
      static_cast<unsigned long long>(now.time_since_epoch().count()) * 1000000000ull + ++seq_);
  const std::string name = m.value("name", "") + suffix;
  const std::string at = FormatTimestamp(now);
  nlohmann::json event = {{"kind", "Event"},
                          {"apiVersion", "v1"},
                          {"metadata",
                           {{"name", name},
                            {"namespace", ns},
                            {"creationTimestamp", at},
                            {"uid", "e0e00000-0000-4000-8000-" + std::string(suffix + 1)}}},
                          {"involvedObject",
                           {{"kind", object.value("kind", "")},
                            {"namespace", m.value("namespace", "")},
                            {"name", m.value("name", "")},
                            {"uid", m.value("uid", "")},
                            {"apiVersion", object.value("apiVersion", "v1")},
                            {"resourceVersion", m.value("resourceVersion", "")}}},
                          {"reason", reason},
                          {"message", message},
                          {"source", {{"component", component}}},
                          {"firstTimestamp", at},
                          {"lastTimestamp", at},
                          {"count", 1},
                          {"type", type},
                          {"eventTime", nullptr},
                          {"reportingComponent", component},
                          {"reportingInstance", ""}};
  if (!m.contains("namespace")) event["involvedObject"].erase("namespace");
  if (object.value("kind", "") == "Node") event["source"]["host"] = m.value("name", "");
  event.erase("eventTime");
  if (store.Create("events", event).ok()) expiry_.emplace_back(now, ObjectKey(ns, name));
}

void EventRecorder::Record(ObjectStore& store, Timestamp now) {
  const bool first = first_;
  first_ = false;
  while (!expiry_.empty() && now - expiry_.front().first > kEventTtl) {
    (void)store.Delete("events", expiry_.front().second);
    expiry_.pop_front();
  }

  std::set<std::string> seen;
  for (const StoredObject& o : store.List("nodes")) {
    const std::string name = Str(o.object, {"metadata", "name"});
    seen.insert(name);
    const bool ready = NodeReady(o.object);
    const bool cordoned =
        o.object.contains("spec") && o.object["spec"].value("unschedulable", false);
    auto it = nodes_.find(name);
    if (!first && it == nodes_.end()) {
      Emit(store, now, o.object, "RegisteredNode",
           "Node " + name + " event: Registered Node " + name + " in Controller",
           "node-controller");
    }
    if (!first && ready && (it == nodes_.end() || !it->second.first)) {
      Emit(store, now, o.object, "NodeReady", "Node " + name + " status is now: NodeReady",
           "kubelet");
    }
    if (!first && it != nodes_.end() && cordoned != it->second.second) {
      Emit(store, now, o.object, cordoned ? "NodeNotSchedulable" : "NodeSchedulable",
           "Node " + name +
               " status is now: " + (cordoned ? "NodeNotSchedulable" : "NodeSchedulable"),
           "kubelet");
    }
    nodes_[name] = {ready, cordoned};
  }
  std::erase_if(nodes_, [&](const auto& kv) { return !seen.contains(kv.first); });

  seen.clear();
  for (const StoredObject& o : store.List("pods")) {
    const std::string key = ObjectKey(o.object);
    seen.insert(key);
    PodSeen now_seen{Str(o.object, {"spec", "nodeName"}), PodReady(o.object),
                     o.object["metadata"].contains("deletionTimestamp")};
    auto it = pods_.find(key);
    const PodSeen before = it == pods_.end() ? PodSeen{} : it->second;
    const std::string name = Str(o.object, {"metadata", "name"});
    if (!first && it == pods_.end()) {
      const nlohmann::json owners =
          o.object["metadata"].value("ownerReferences", nlohmann::json::array());
      if (!owners.empty()) {
        nlohmann::json rs = {{"kind", owners[0].value("kind", "ReplicaSet")},
                             {"apiVersion", owners[0].value("apiVersion", "apps/v1")},
                             {"metadata",
                              {{"name", owners[0].value("name", "")},
                               {"namespace", o.object["metadata"].value("namespace", "default")},
                               {"uid", owners[0].value("uid", "")}}}};
        Emit(store, now, rs, "SuccessfulCreate", "Created pod: " + name, "replicaset-controller");
      }
    }
    if (!first && before.node.empty() && !now_seen.node.empty()) {
      Emit(store, now, o.object, "Scheduled",
           "Successfully assigned " + o.object["metadata"].value("namespace", "default") + "/" +
               name + " to " + now_seen.node,
           "default-scheduler");
    }
    if (!first && now_seen.ready && !before.ready && !now_seen.deleting) {
      Emit(store, now, o.object, "Started", "Started container", "kubelet");
    }
    if (!first && now_seen.deleting && !before.deleting) {
      Emit(store, now, o.object, "Killing", "Stopping container", "kubelet");
    }
    pods_[key] = now_seen;
  }
  std::erase_if(pods_, [&](const auto& kv) { return !seen.contains(kv.first); });

  const std::vector<StoredObject> sets = store.List("replicasets");
  for (const StoredObject& o : store.List("deployments")) {
    const std::string key = ObjectKey(o.object);
    const int64_t replicas = Int(o.object, "spec", "replicas");
    auto it = replicas_.find(key);
    if (!first && it != replicas_.end() && it->second != replicas) {
      const bool up = replicas > it->second;
      Emit(store, now, o.object, "ScalingReplicaSet",
           std::string("Scaled ") + (up ? "up" : "down") + " replica set " +
               NewestReplicaSet(sets, Str(o.object, {"metadata", "name"})) + " from " +
               std::to_string(it->second) + " to " + std::to_string(replicas),
           "deployment-controller");
    }
    replicas_[key] = replicas;
  }
  for (const StoredObject& o : store.List("horizontalpodautoscalers")) {
    const std::string key = ObjectKey(o.object);
    const int64_t desired = Int(o.object, "status", "desiredReplicas");
    auto it = desired_.find(key);
    if (!first && it != desired_.end() && it->second != desired) {
      Emit(store, now, o.object, "SuccessfulRescale",
           "New size: " + std::to_string(desired) +
               "; reason: cpu resource utilization "
               "(percentage of request) " +
               (desired > it->second ? "above" : "below") + " target",
           "horizontal-pod-autoscaler");
    }
    desired_[key] = desired;
  }
}

}  // namespace prescient::sim::api
