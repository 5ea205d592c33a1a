// Discovery formats follow client-go discovery/aggregated_discovery.go and the captures
// in ../shared/docs/kubernetes-api-surface.md section 1: a resource without a
// responseKind is dropped by clients, versions are listed newest first, and the
// Content-Type (not the body) tells a client which format it got.
#include "prescient/sim/api/resources.h"

#include <array>
#include <map>

namespace prescient::sim::api {
namespace {

const std::vector<std::string_view> kAllVerbs = {"create", "delete", "get",  "list",
                                                 "patch",  "update", "watch"};
const std::vector<std::string_view> kStatusVerbs = {"get", "patch", "update"};

const std::vector<ResourceInfo> kResources = {
    {"", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {}, kAllVerbs, {}},
    {"",
     "v1",
     "nodes",
     "node",
     "Node",
     false,
     {"no"},
     {},
     kAllVerbs,
     {{"status", "", "v1", "Node", kStatusVerbs}}},
    {"",
     "v1",
     "pods",
     "pod",
     "Pod",
     true,
     {"po"},
     {"all"},
     kAllVerbs,
     {{"eviction", "policy", "v1", "Eviction", {"create"}},
      {"log", "", "v1", "Pod", {"get"}},
      {"status", "", "v1", "Pod", kStatusVerbs}}},
    {"", "v1", "events", "event", "Event", true, {"ev"}, {}, kAllVerbs, {}},
    {"apps",
     "v1",
     "deployments",
     "deployment",
     "Deployment",
     true,
     {"deploy"},
     {"all"},
     kAllVerbs,
     {{"scale", "autoscaling", "v1", "Scale", kStatusVerbs},
      {"status", "apps", "v1", "Deployment", kStatusVerbs}}},
    {"apps",
     "v1",
     "replicasets",
     "replicaset",
     "ReplicaSet",
     true,
     {"rs"},
     {"all"},
     kAllVerbs,
     {{"status", "apps", "v1", "ReplicaSet", kStatusVerbs}}},
    {"autoscaling",
     "v2",
     "horizontalpodautoscalers",
     "horizontalpodautoscaler",
     "HorizontalPodAutoscaler",
     true,
     {"hpa"},
     {"all"},
     kAllVerbs,
     {{"status", "autoscaling", "v2", "HorizontalPodAutoscaler", kStatusVerbs}}},
    {"policy",
     "v1",
     "poddisruptionbudgets",
     "poddisruptionbudget",
     "PodDisruptionBudget",
     true,
     {"pdb"},
     {},
     kAllVerbs,
     {{"status", "policy", "v1", "PodDisruptionBudget", kStatusVerbs}}},
    {"coordination.k8s.io", "v1", "leases", "lease", "Lease", true, {}, {}, kAllVerbs, {}},
    {"scheduling.k8s.io",
     "v1",
     "priorityclasses",
     "priorityclass",
     "PriorityClass",
     false,
     {"pc"},
     {},
     kAllVerbs,
     {}},
    // Without the shortName "ev" core/v1 has: kubectl warns about an ambiguous short name.
    {"events.k8s.io", "v1", "events", "event", "Event", true, {}, {}, kAllVerbs, {}},
    // metrics-server's resource metrics, for `kubectl top` (computed, not stored).
    {"metrics.k8s.io", "v1beta1", "pods", "", "PodMetrics", true, {}, {}, {"get", "list"}, {}},
    {"metrics.k8s.io", "v1beta1", "nodes", "", "NodeMetrics", false, {}, {}, {"get", "list"}, {}},
};

nlohmann::json Strings(const std::vector<std::string_view>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (std::string_view s : v) a.push_back(s);
  return a;
}

std::string GroupVersion(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

}  // namespace

std::span<const ResourceInfo> ServedResources() { return kResources; }

const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view resource) {
  for (const ResourceInfo& r : kResources) {
    if (r.group == group && r.version == version && r.resource == resource) return &r;
  }
  return nullptr;
}

nlohmann::json AggregatedDiscovery(bool core) {
  // group -> version -> resources, in the order served.
  std::map<std::string, nlohmann::json> groups;
  std::vector<std::string> order;
  for (const ResourceInfo& r : kResources) {
    if (r.group.empty() != core) continue;
    nlohmann::json res = {
        {"resource", r.resource},
        {"responseKind", {{"group", r.group}, {"version", r.version}, {"kind", r.kind}}},
        {"scope", r.namespaced ? "Namespaced" : "Cluster"},
        {"singularResource", r.singular},
        {"verbs", Strings(r.verbs)}};
    if (!r.short_names.empty()) res["shortNames"] = Strings(r.short_names);
    if (!r.categories.empty()) res["categories"] = Strings(r.categories);
    if (!r.subresources.empty()) {
      nlohmann::json subs = nlohmann::json::array();
      for (const SubresourceInfo& sub : r.subresources) {
        subs.push_back(
            {{"subresource", sub.name},
             {"responseKind", {{"group", sub.group}, {"version", sub.version}, {"kind", sub.kind}}},
             {"verbs", Strings(sub.verbs)}});
      }
      res["subresources"] = std::move(subs);
    }
    const std::string g(r.group);
    if (!groups.contains(g)) {
      order.push_back(g);
      groups[g] = {{"metadata", {{"name", g}}},
                   {"versions", nlohmann::json::array({{{"version", r.version},
                                                        {"freshness", "Current"},
                                                        {"resources", nlohmann::json::array()}}})}};
    }
    groups[g]["versions"][0]["resources"].push_back(std::move(res));
  }
  nlohmann::json items = nlohmann::json::array();
  for (const std::string& g : order) items.push_back(groups[g]);
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", nlohmann::json::object()},
          {"items", std::move(items)}};
}

nlohmann::json LegacyApiVersions(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
}

nlohmann::json LegacyGroupList() {
  nlohmann::json groups = nlohmann::json::array();
  std::vector<std::string> seen;
  for (const ResourceInfo& r : kResources) {
    if (r.group.empty()) continue;
    const std::string g(r.group);
    if (std::find(seen.begin(), seen.end(), g) != seen.end()) continue;
    seen.push_back(g);
    const nlohmann::json v = {{"groupVersion", GroupVersion(r.group, r.version)},
                              {"version", r.version}};
    groups.push_back({{"name", g}, {"versions", {v}}, {"preferredVersion", v}});
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

nlohmann::json ResourceList(std::string_view group, std::string_view version) {
  nlohmann::json resources = nlohmann::json::array();
  for (const ResourceInfo& r : kResources) {
    if (r.group != group || r.version != version) continue;
    nlohmann::json res = {{"name", r.resource},
                          {"singularName", r.singular},
                          {"namespaced", r.namespaced},
                          {"kind", r.kind},
                          {"verbs", Strings(r.verbs)}};
    if (!r.short_names.empty()) res["shortNames"] = Strings(r.short_names);
    if (!r.categories.empty()) res["categories"] = Strings(r.categories);
    resources.push_back(std::move(res));
    // `kubectl drain` looks here for pods/eviction (policy/v1 Eviction) before evicting.
    for (const SubresourceInfo& sub : r.subresources) {
      resources.push_back({{"name", std::string(r.resource) + "/" + std::string(sub.name)},
                           {"singularName", r.singular},
                           {"namespaced", r.namespaced},
                           {"group", sub.group},
                           {"version", sub.version},
                           {"kind", sub.kind},
                           {"verbs", Strings(sub.verbs)}});
    }
  }
  if (resources.empty()) return nullptr;
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", GroupVersion(group, version)},
          {"resources", std::move(resources)}};
}

}  // namespace prescient::sim::api
