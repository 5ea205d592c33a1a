#include "prescient/sim/api/object_store.h"

namespace prescient::sim::api {
namespace {

nlohmann::json Versioned(nlohmann::json object, uint64_t version) {
  object["metadata"]["resourceVersion"] = std::to_string(version);
  return object;
}

}  // namespace

void ObjectStore::Sync(const std::string& resource, const KindView& view) {
  std::lock_guard<std::mutex> lock(mu_);
  columns_[resource] = view.columns;
  auto& stored = objects_[resource];
  std::map<std::string, bool> seen;
  const uint64_t before = version_;
  auto emit = [&](const std::string& type, const StoredObject& o) {
    log_.push_back({o.version, resource, type, o});
    while (log_.size() > capacity_) {
      compacted_ = log_.front().version;
      log_.pop_front();
    }
  };
  for (size_t i = 0; i < view.items.size(); ++i) {
    nlohmann::json object = view.items[i];
    object["metadata"].erase("resourceVersion");
    const std::string name = object["metadata"]["name"];
    seen[name] = true;
    auto it = stored.find(name);
    if (it == stored.end()) {
      StoredObject o{Versioned(object, ++version_), view.rows[i], version_};
      emit("ADDED", o);
      stored.emplace(name, std::move(o));
      continue;
    }
    nlohmann::json previous = it->second.object;
    previous["metadata"].erase("resourceVersion");
    it->second.cells = view.rows[i];
    if (previous == object) continue;  // No-op: no new version, no event.
    it->second.object = Versioned(std::move(object), ++version_);
    it->second.version = version_;
    emit("MODIFIED", it->second);
  }
  for (auto it = stored.begin(); it != stored.end();) {
    if (seen.contains(it->first)) {
      ++it;
      continue;
    }
    StoredObject gone = it->second;
    gone.version = ++version_;
    gone.object = Versioned(gone.object, version_);
    emit("DELETED", gone);
    it = stored.erase(it);
  }
  if (version_ != before) changed_.notify_all();
}

uint64_t ObjectStore::version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return version_;
}

nlohmann::json ObjectStore::columns(const std::string& resource) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = columns_.find(resource);
  return it == columns_.end() ? nlohmann::json::array() : it->second;
}

std::vector<StoredObject> ObjectStore::List(const std::string& resource) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StoredObject> out;
  auto it = objects_.find(resource);
  if (it == objects_.end()) return out;
  for (const auto& [name, o] : it->second) out.push_back(o);
  return out;
}

Result<std::vector<WatchEvent>> ObjectStore::EventsSince(const std::string& resource,
                                                         uint64_t since, uint64_t* current) const {
  std::lock_guard<std::mutex> lock(mu_);
  *current = version_;
  if (since < compacted_) {
    return Status(StatusCode::kOutOfRange, "too old resource version: " + std::to_string(since) +
                                               " (" + std::to_string(compacted_) + ")");
  }
  std::vector<WatchEvent> out;
  for (const WatchEvent& e : log_) {
    if (e.version > since && e.resource == resource) out.push_back(e);
  }
  return out;
}

void ObjectStore::WaitNewer(uint64_t since, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_until(lock, deadline, [&] { return version_ > since; });
}

}  // namespace prescient::sim::api
