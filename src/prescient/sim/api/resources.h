// The API resources the simulator serves, and the discovery documents kubectl reads:
// aggregated discovery (apidiscovery.k8s.io/v2, two requests per command) and the legacy
// APIVersions / APIGroupList / APIResourceList (older clients, and `kubectl drain`,
// which reads /api/v1 directly). shortNames and categories come only from here, so
// they make `get po`, `get deploy` and `get all` work.
// Immutable data and pure functions, thread-safe. Tested by api_server_test.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prescient::sim::api {

struct SubresourceInfo {
  std::string_view name;                  // "scale", "eviction".
  std::string_view group, version, kind;  // Of its request/response object.
  std::vector<std::string_view> verbs;
};

struct ResourceInfo {
  std::string_view group;  // "" for core.
  std::string_view version;
  std::string_view resource;  // Plural, as in the URL.
  std::string_view singular;
  std::string_view kind;
  bool namespaced = true;
  std::vector<std::string_view> short_names;
  std::vector<std::string_view> categories;
  std::vector<std::string_view> verbs;
  std::vector<SubresourceInfo> subresources;
};

std::span<const ResourceInfo> ServedResources();
// nullptr when not served.
const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view resource);

// GET /api (core == true) or /apis, aggregated format.
nlohmann::json AggregatedDiscovery(bool core);
// GET /api, legacy.
nlohmann::json LegacyApiVersions(const std::string& server_address);
// GET /apis, legacy.
nlohmann::json LegacyGroupList();
// GET /api/v1 or /apis/<group>/<version>; null json when not served.
nlohmann::json ResourceList(std::string_view group, std::string_view version);

inline constexpr std::string_view kAggregatedDiscoveryType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

}  // namespace prescient::sim::api
