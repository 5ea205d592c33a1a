// ObjectStore: the API's view of the simulated cluster, with the API server's versioning.
// After each simulation step the live objects are synced in; every object whose content
// changed gets a new resourceVersion from one cluster-wide counter, and an ADDED,
// MODIFIED or DELETED event goes into a bounded log that watches read from. A watch
// from a resourceVersion older than the log's start gets 410 Expired, as from etcd's
// compaction; the client re-lists. A sync that changes nothing bumps nothing.
// Thread-safe. Tested by api_server_test.cc.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
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

class ObjectStore {
 public:
  explicit ObjectStore(size_t log_capacity = kDefaultEventLog) : capacity_(log_capacity) {}

  // Makes `resource`'s objects those of `view` (items keyed by metadata.name).
  void Sync(const std::string& resource, const KindView& view);

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
  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::map<std::string, StoredObject>> objects_;
  std::map<std::string, nlohmann::json> columns_;
  std::deque<WatchEvent> log_;
  uint64_t version_ = 1;
  uint64_t compacted_ = 1;  // Watches from below this are Expired.
};

}  // namespace prescient::sim::api
