#include "prescient/sim/api/object_store.h"

namespace prescient::sim::api {
namespace {

nlohmann::json Versioned(nlohmann::json object, uint64_t version) {
  object["metadata"]["resourceVersion"] = std::to_string(version);
  return object;
}

// Controllers publish the generation they acted on; the simulator acts on a spec the
// moment it is written, so every synced object has observed its own generation.
void Observe(nlohmann::json& object) {
  if (object.contains("status") && object["status"].is_object() &&
      object["metadata"].contains("generation")) {
    object["status"]["observedGeneration"] = object["metadata"]["generation"];
  }
}

std::string Field(const nlohmann::json& object, const char* field) {
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object())
    return "";
  const nlohmann::json& m = object["metadata"];
  return m.contains(field) && m[field].is_string() ? m[field].get<std::string>() : "";
}

}  // namespace

std::string ObjectKey(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::string ObjectKey(const nlohmann::json& object) {
  return ObjectKey(Field(object, "namespace"), Field(object, "name"));
}

void ObjectStore::Emit(const std::string& resource, const std::string& type,
                       const StoredObject& o) {
  log_.push_back({o.version, resource, type, o});
  while (log_.size() > capacity_) {
    compacted_ = log_.front().version;
    log_.pop_front();
  }
}

StoredObject ObjectStore::Stamp(nlohmann::json object, const nlohmann::json& cells) {
  ++version_;
  return {Versioned(std::move(object), version_), cells, version_};
}

void ObjectStore::Sync(const std::string& resource, const KindView& view) {
  std::lock_guard<std::mutex> lock(mu_);
  columns_[resource] = view.columns;
  auto& stored = objects_[resource];
  const auto& overlays = overlays_[resource];
  std::map<std::string, bool> seen;
  const uint64_t before = version_;
  for (size_t i = 0; i < view.items.size(); ++i) {
    nlohmann::json object = view.items[i];
    object["metadata"].erase("resourceVersion");
    const std::string key = ObjectKey(object);
    if (auto overlay = overlays.find(key); overlay != overlays.end()) {
      object.merge_patch(overlay->second);
    }
    Observe(object);
    seen[key] = true;
    auto it = stored.find(key);
    if (it == stored.end()) {
      StoredObject o = Stamp(std::move(object), view.rows[i]);
      Emit(resource, "ADDED", o);
      stored.emplace(key, std::move(o));
      continue;
    }
    nlohmann::json previous = it->second.object;
    previous["metadata"].erase("resourceVersion");
    it->second.cells = view.rows[i];
    if (previous == object) continue;  // No-op: no new version, no event.
    it->second = Stamp(std::move(object), view.rows[i]);
    Emit(resource, "MODIFIED", it->second);
  }
  for (auto it = stored.begin(); it != stored.end();) {
    if (seen.contains(it->first)) {
      ++it;
      continue;
    }
    StoredObject gone = Stamp(it->second.object, it->second.cells);
    Emit(resource, "DELETED", gone);
    it = stored.erase(it);
  }
  // An overlay outlives its object only until the object is gone.
  for (auto it = overlays_[resource].begin(); it != overlays_[resource].end();) {
    it = seen.contains(it->first) ? std::next(it) : overlays_[resource].erase(it);
  }
  if (version_ != before) changed_.notify_all();
}

void ObjectStore::SetOverlay(const std::string& resource, const std::string& key,
                             nlohmann::json overlay) {
  std::lock_guard<std::mutex> lock(mu_);
  if (overlay.is_null()) {
    overlays_[resource].erase(key);
  } else {
    overlays_[resource][key] = std::move(overlay);
  }
}

nlohmann::json ObjectStore::Overlay(const std::string& resource, const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto r = overlays_.find(resource);
  if (r == overlays_.end()) return nullptr;
  auto it = r->second.find(key);
  return it == r->second.end() ? nlohmann::json(nullptr) : it->second;
}

Result<StoredObject> ObjectStore::Create(const std::string& resource, nlohmann::json object) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string key = ObjectKey(object);
  auto& stored = objects_[resource];
  if (stored.contains(key)) {
    return Status(StatusCode::kAlreadyExists,
                  resource + " \"" + Field(object, "name") + "\" already exists");
  }
  object["metadata"].erase("resourceVersion");
  StoredObject o = Stamp(std::move(object), nullptr);
  Emit(resource, "ADDED", o);
  stored.emplace(key, o);
  changed_.notify_all();
  return o;
}

Result<StoredObject> ObjectStore::Update(const std::string& resource, nlohmann::json object,
                                         const std::string& expected_version) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string key = ObjectKey(object);
  auto& stored = objects_[resource];
  auto it = stored.find(key);
  if (it == stored.end()) {
    return NotFoundError(resource + " \"" + Field(object, "name") + "\" not found");
  }
  if (!expected_version.empty() && expected_version != std::to_string(it->second.version)) {
    return Status(StatusCode::kAborted,
                  "Operation cannot be fulfilled on " + resource + " \"" + Field(object, "name") +
                      "\": the object has been modified; please apply your changes to the "
                      "latest version and try again");
  }
  object["metadata"].erase("resourceVersion");
  nlohmann::json previous = it->second.object;
  previous["metadata"].erase("resourceVersion");
  if (previous == object) return it->second;
  it->second = Stamp(std::move(object), it->second.cells);
  Emit(resource, "MODIFIED", it->second);
  changed_.notify_all();
  return it->second;
}

Result<StoredObject> ObjectStore::Delete(const std::string& resource, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& stored = objects_[resource];
  auto it = stored.find(key);
  if (it == stored.end()) return NotFoundError(resource + " \"" + key + "\" not found");
  StoredObject gone = Stamp(it->second.object, it->second.cells);
  Emit(resource, "DELETED", gone);
  stored.erase(it);
  changed_.notify_all();
  return gone;
}

std::optional<StoredObject> ObjectStore::Get(const std::string& resource,
                                             const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto r = objects_.find(resource);
  if (r == objects_.end()) return std::nullopt;
  auto it = r->second.find(key);
  if (it == r->second.end()) return std::nullopt;
  return it->second;
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
