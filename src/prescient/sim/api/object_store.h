// ObjectStore: the API's objects, with the API server's versioning. Two kinds of
// resource live here:
//  - simulated ones (nodes, pods, deployments, ...), synced in from the simulator after
//    each step. What users wrote that the simulator does not model (labels, annotations,
//    a container image) is kept as an overlay and merged over the simulator's view, so
//    it survives every sync, as it would in etcd;
//  - stored ones (leases, priority classes, events, namespaces), which only the API
//    writes: Create, Update and Delete, with AlreadyExists and Conflict as etcd's
//    preconditions give them.
// Every object whose content changed gets a new resourceVersion from one cluster-wide
// counter, and an ADDED, MODIFIED or DELETED event goes into a bounded log that watches
// read from. A watch from a resourceVersion older than the log's start gets 410 Expired,
// as from etcd's compaction; the client re-lists. A write that changes nothing bumps
// nothing. Objects are keyed "namespace/name" ("name" when cluster-scoped).
// Thread-safe. Tested by api_server_test.cc.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/sim/api/objects_json.h"

namespace prescient::sim::api {

inline constexpr size_t kDefaultEventLog = 20000;

struct StoredObject {
  nlohmann::json object;  // With metadata.resourceVersion set.
  nlohmann::json cells;   // Its Table row (refreshed on every sync, never versioned).
  uint64_t version = 0;
};

struct WatchEvent {
  uint64_t version = 0;
  std::string resource;
  std::string type;  // ADDED, MODIFIED, DELETED.
  StoredObject object;
};

// "namespace/name", or "name" for an object without a namespace.
std::string ObjectKey(const nlohmann::json& object);
std::string ObjectKey(const std::string& ns, const std::string& name);

class ObjectStore {
 public:
  explicit ObjectStore(size_t log_capacity = kDefaultEventLog) : capacity_(log_capacity) {}

  // Makes `resource`'s objects those of `view`, each merged with its overlay.
  void Sync(const std::string& resource, const KindView& view);
  // Sets (or with null, clears) the overlay of a simulated object; applied at the next
  // Sync.
  void SetOverlay(const std::string& resource, const std::string& key, nlohmann::json overlay);
  nlohmann::json Overlay(const std::string& resource, const std::string& key) const;

  // Stored resources. `object` must carry metadata.name (and namespace when namespaced).
  // AlreadyExists when the key is taken.
  Result<StoredObject> Create(const std::string& resource, nlohmann::json object);
  // NotFound when absent; Aborted (409 Conflict) when `expected_version` is not empty and
  // is not the stored resourceVersion.
  Result<StoredObject> Update(const std::string& resource, nlohmann::json object,
                              const std::string& expected_version);
  Result<StoredObject> Delete(const std::string& resource, const std::string& key);

  std::optional<StoredObject> Get(const std::string& resource, const std::string& key) const;

  uint64_t version() const;
  nlohmann::json columns(const std::string& resource) const;
  std::vector<StoredObject> List(const std::string& resource) const;

  // Events of `resource` newer than `since`. Expired (as StatusCode::kOutOfRange) when
  // `since` is older than the log.
  // `*current` gets the store's version at that moment: the next call can start there.
  Result<std::vector<WatchEvent>> EventsSince(const std::string& resource, uint64_t since,
                                              uint64_t* current) const;
  // Waits until the store's version passes `since` or `deadline`.
  void WaitNewer(uint64_t since, std::chrono::steady_clock::time_point deadline) const;

 private:
  void Emit(const std::string& resource, const std::string& type, const StoredObject& o);
  StoredObject Stamp(nlohmann::json object, const nlohmann::json& cells);

  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::map<std::string, StoredObject>> objects_;
  std::map<std::string, nlohmann::json> columns_;
  std::map<std::string, std::map<std::string, nlohmann::json>> overlays_;
  std::deque<WatchEvent> log_;
  uint64_t version_ = 1;
  uint64_t compacted_ = 1;  // Watches from below this are Expired.
};

}  // namespace prescient::sim::api
