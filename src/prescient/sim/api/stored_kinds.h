// The resources only the API writes (nothing in the simulator owns them): namespaces,
// coordination.k8s.io/v1 leases, scheduling.k8s.io/v1 priority classes and core/v1
// events, also served as events.k8s.io/v1 (one stored object, converted on read and
// write, as the real server does). Here: their defaulting and validation on create and
// update, the built-in objects a cluster starts with, and their Table rows.
// Pure functions, thread-safe. Tested by stored_kinds_test.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::sim::api {

bool IsStoredResource(const std::string& resource);
// The Kind of a served resource ("pods" -> "Pod"); "" for one not served.
std::string KindOfResource(const std::string& resource);

// What a real cluster has from the start: the four namespaces and the two system
// priority classes. `started`: their creationTimestamp.
std::vector<std::pair<std::string, nlohmann::json>> BuiltInObjects(Timestamp started);

// Defaults metadata (uid, creationTimestamp, generateName) and validates a new object
// of `resource` in `ns` (empty for cluster-scoped). InvalidArgument (422 Invalid) names
// the field. `seq` makes uids and generated names unique.
Result<nlohmann::json> PrepareCreate(const std::string& resource, nlohmann::json object,
                                     const std::string& ns, Timestamp now, uint64_t seq);
// Validates `updated` against `current`: immutable fields (a priority class's value, an
// object's uid and creationTimestamp) and the kind's rules.
Result<nlohmann::json> PrepareUpdate(const std::string& resource, nlohmann::json updated,
                                     const nlohmann::json& current);

nlohmann::json StoredColumns(const std::string& resource);
nlohmann::json StoredRow(const std::string& resource, const nlohmann::json& object, Timestamp now);

// events.k8s.io/v1 <-> core/v1 Event (field mapping in the surface document, 5.6).
nlohmann::json CoreEventToEventsV1(const nlohmann::json& core);
nlohmann::json EventsV1ToCoreEvent(const nlohmann::json& v1);

}  // namespace prescient::sim::api
