// Request handling follows the captures in ../shared/docs/kubernetes-api-surface.md:
// the discovery format is chosen from the Accept header's g/v/as parameters and told
// back in the Content-Type; `get` asks for a Table (as=Table;g=meta.k8s.io), -o json/yaml
// for the object; every error is a Status with reason and code; unknown query
// parameters are ignored.
#include "prescient/sim/api/api_server.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <regex>

#include "prescient/sim/api/event_recorder.h"
#include "prescient/sim/api/metrics_exporter.h"
#include "prescient/sim/api/object_store.h"
#include "prescient/sim/api/objects_json.h"
#include "prescient/sim/api/resource_metrics.h"
#include "prescient/sim/api/resources.h"
#include "prescient/sim/api/stored_kinds.h"
#include "prescient/sim/api/writes.h"

namespace prescient::sim::api {
namespace {

// Changes whenever the served resources do (kubectl caches per-group documents by it).
constexpr const char* kOpenApiHash = "5e11a7ed0000000b";

void Send(httplib::Response& res, int code, const nlohmann::json& body,
          std::string_view type = "application/json") {
  res.status = code;
  res.set_content(body.dump(), std::string(type).c_str());
}

void SendStatus(httplib::Response& res, int code, std::string_view reason,
                const std::string& message, nlohmann::json details = nullptr) {
  nlohmann::json s = {
      {"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
      {"status", "Failure"}, {"message", message}, {"reason", reason},
      {"code", code}};
  if (!details.is_null()) s["details"] = std::move(details);
  Send(res, code, s);
}

bool WantsTable(const httplib::Request& req) {
  const std::string accept = req.get_header_value("Accept");
  return accept.find("as=Table") != std::string::npos;
}

bool WantsAggregated(const httplib::Request& req) {
  const std::string accept = req.get_header_value("Accept");
  return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         accept.find("v=v2") != std::string::npos;
}

// Label selectors as labels.Parse reads them: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
// `k notin (a,b)`, `k`, `!k`, comma-joined (commas inside parentheses belong to the set).
// `*ok` is false on a selector it cannot parse.
bool MatchesLabels(const nlohmann::json& labels, const std::string& selector, bool* ok) {
  *ok = true;
  std::vector<std::string> terms;
  int depth = 0;
  std::string term;
  for (char c : selector) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(term);
      term.clear();
    } else {
      term += c;
    }
  }
  terms.push_back(term);
  auto trim = [](std::string s) {
    const size_t b = s.find_first_not_of(' ');
    const size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  auto value_of = [&](const std::string& k) -> std::optional<std::string> {
    if (!labels.contains(k) || !labels[k].is_string()) return std::nullopt;
    return labels[k].get<std::string>();
  };
  bool match = true;
  for (std::string t : terms) {
    t = trim(t);
    if (t.empty()) continue;
    const size_t open = t.find('(');
    if (open != std::string::npos) {
      const size_t close = t.find(')', open);
      if (close == std::string::npos || close + 1 != t.size()) {
        *ok = false;
        return false;
      }
      const std::string head = trim(t.substr(0, open));
      const size_t space = head.find(' ');
      if (space == std::string::npos) {
        *ok = false;
        return false;
      }
      const std::string key = trim(head.substr(0, space)), op = trim(head.substr(space));
      if (op != "in" && op != "notin") {
        *ok = false;
        return false;
      }
      std::vector<std::string> values;
      std::string list = t.substr(open + 1, close - open - 1);
      size_t start = 0;
      while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        values.push_back(trim(list.substr(start, end - start)));
        start = end + 1;
      }
      const std::optional<std::string> v = value_of(key);
      const bool in = v && std::find(values.begin(), values.end(), *v) != values.end();
      match &= op == "in" ? in : !in;
      continue;
    }
    const size_t ne = t.find("!=");
    const size_t eq = t.find('=');
    if (ne != std::string::npos) {
      const std::optional<std::string> v = value_of(trim(t.substr(0, ne)));
      match &= !(v && *v == trim(t.substr(ne + 2)));
    } else if (eq != std::string::npos) {
      std::string v = t.substr(eq + 1);
      if (!v.empty() && v[0] == '=') v = v.substr(1);
      const std::optional<std::string> have = value_of(trim(t.substr(0, eq)));
      match &= have && *have == trim(v);
    } else if (t[0] == '!') {
      match &= !labels.contains(trim(t.substr(1)));
    } else if (t.find_first_of("() ") == std::string::npos) {
      match &= labels.contains(t);
    } else {
      *ok = false;
      return false;
    }
  }
  return match;
}

}  // namespace

namespace {

// Loads our certificate and key and asks clients for a certificate without requiring one
// (cpp-httplib's own client-CA constructor would reject token-only clients); whether a
// presented certificate verified is checked per request.
bool SetupTls(SSL_CTX& ctx, const TlsMaterial& tls) {
  auto load_cert = [](const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return cert;
  };
  X509* cert = load_cert(tls.server_cert_pem);
  X509* ca = load_cert(tls.ca_pem);
  BIO* bio =
      BIO_new_mem_buf(tls.server_key_pem.data(), static_cast<int>(tls.server_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  const bool ok = cert != nullptr && ca != nullptr && key != nullptr &&
                  SSL_CTX_use_certificate(&ctx, cert) == 1 &&
                  SSL_CTX_use_PrivateKey(&ctx, key) == 1 &&
                  X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca) == 1 &&
                  SSL_CTX_add_client_CA(&ctx, ca) == 1;
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  X509_free(cert);
  X509_free(ca);
  EVP_PKEY_free(key);
  return ok;
}

nlohmann::json Row(const StoredObject& o, bool full_object) {
  return {{"cells", o.cells},
          {"object", full_object ? o.object
                                 : nlohmann::json{{"kind", "PartialObjectMetadata"},
                                                  {"apiVersion", "meta.k8s.io/v1"},
                                                  {"metadata", o.object["metadata"]}}}};
}

nlohmann::json Table(const nlohmann::json& columns, nlohmann::json rows, uint64_t version) {
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", {{"resourceVersion", std::to_string(version)}}},
          {"columnDefinitions", columns},
          {"rows", std::move(rows)}};
}

// metadata.name=/!= and metadata.namespace=/!= (what every resource supports); anything
// else is a 400 as from the real server ("field label not supported").
bool MatchesFields(const nlohmann::json& object, const std::string& selector, std::string* error) {
  size_t start = 0;
  while (start < selector.size()) {
    size_t end = selector.find(',', start);
    if (end == std::string::npos) end = selector.size();
    const std::string term = selector.substr(start, end - start);
    start = end + 1;
    if (term.empty()) continue;
    const bool negate = term.find("!=") != std::string::npos;
    const size_t op = negate ? term.find("!=") : term.find('=');
    if (op == std::string::npos) {
      *error = "invalid field selector: " + term;
      return false;
    }
    const std::string field = term.substr(0, op);
    std::string value = term.substr(op + (negate ? 2 : 1));
    if (!negate && !value.empty() && value[0] == '=') value = value.substr(1);
    static const std::vector<std::string> kSupported = {"metadata.name",
                                                        "metadata.namespace",
                                                        "spec.nodeName",
                                                        "status.phase",
                                                        "spec.unschedulable",
                                                        "involvedObject.kind",
                                                        "involvedObject.name",
                                                        "involvedObject.namespace",
                                                        "involvedObject.uid",
                                                        "involvedObject.apiVersion",
                                                        "involvedObject.resourceVersion",
                                                        "involvedObject.fieldPath",
                                                        "reason",
                                                        "type",
                                                        "source",
                                                        "reportingComponent",
                                                        "spec.schedulerName",
                                                        "spec.restartPolicy",
                                                        "status.podIP",
                                                        "status.nominatedNodeName"};
    if (std::find(kSupported.begin(), kSupported.end(), field) == kSupported.end()) {
      *error = "field label not supported: " + field;
      return false;
    }
    // Walk the dotted path; a missing field reads as "" (a bool as "true"/"false").
    const nlohmann::json* at = &object;
    const std::string path = field == "source" ? "source.component" : field;
    size_t from = 0;
    while (at != nullptr && from <= path.size()) {
      size_t dot = path.find('.', from);
      if (dot == std::string::npos) dot = path.size();
      const std::string part = path.substr(from, dot - from);
      at = at->is_object() && at->contains(part) ? &(*at)[part] : nullptr;
      from = dot + 1;
    }
    std::string actual;
    if (at != nullptr && at->is_string()) actual = at->get<std::string>();
    if (at != nullptr && at->is_boolean()) actual = at->get<bool>() ? "true" : "false";
    if (at == nullptr && field == "spec.unschedulable") actual = "false";
    if ((actual == value) == negate) return false;
  }
  return true;
}

// How stored objects are served: stored kinds get their Table row computed at read
// time (their AGE moves), and events.k8s.io shows core events in its own shape.
struct Presenter {
  std::string resource;
  bool events_v1 = false;
  bool stored = false;
  Timestamp now;
  std::string kind, api_version;  // Of the watched objects (a BOOKMARK carries them).
  StoredObject operator()(const StoredObject& o) const {
    StoredObject out = o;
    if (stored) out.cells = StoredRow(resource, o.object, now);
    if (events_v1) {
      out.object = CoreEventToEventsV1(o.object);
      out.object["metadata"]["resourceVersion"] = std::to_string(o.version);
    }
    return out;
  }
  nlohmann::json columns(const ObjectStore& store) const {
    return stored ? StoredColumns(resource) : store.columns(resource);
  }
};

// A watch: chunked JSON lines {"type": ..., "object": ...} as the API server streams them
// (handlers/watch.go). From resourceVersion 0 (or none) the current objects come first as
// ADDED. A resourceVersion older than the event log gets an ERROR event carrying a 410
// Expired Status, and the stream ends. BOOKMARK events (when asked for) carry the
// current resourceVersion while nothing changes. The stream ends at timeoutSeconds.
void ServeWatch(const ObjectStore& store, const std::string& resource, const std::string& ns,
                const Presenter& present, bool table, const httplib::Request& req,
                httplib::Response& res, std::string labels, std::string fields) {
  struct State {
    bool started = false;
    uint64_t since = 0;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::steady_clock::time_point last_write;
  };
  auto state = std::make_shared<State>();
  const std::string rv = req.get_param_value("resourceVersion");
  int64_t timeout = 1800;
  try {
    if (req.has_param("timeoutSeconds"))
      timeout = std::stoll(req.get_param_value("timeoutSeconds"));
    if (!rv.empty()) state->since = std::stoull(rv);
  } catch (...) {
    return SendStatus(res, 400, "BadRequest", "invalid resourceVersion or timeoutSeconds");
  }
  const bool bookmarks = req.get_param_value("allowWatchBookmarks") == "true";
  state->deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(std::max<int64_t>(1, timeout));
  const nlohmann::json columns = present.columns(store);
  auto matches = [labels, fields, ns](const nlohmann::json& object) {
    if (!ns.empty() && object["metadata"].value("namespace", "") != ns) return false;
    bool ok = true;
    std::string error;
    const nlohmann::json no_labels = nlohmann::json::object();
    const nlohmann::json& l =
        object["metadata"].contains("labels") ? object["metadata"]["labels"] : no_labels;
    return MatchesLabels(l, labels, &ok) && MatchesFields(object, fields, &error);
  };
  auto shape = [table, columns, present](const StoredObject& stored) {
    const StoredObject o = present(stored);
    return table ? Table(columns, {Row(o, false)}, o.version) : o.object;
  };
  // Not plain "application/json": cpp-httplib would gzip the stream for a client that
  // accepts gzip (Go's do), and its compressor holds small events back until 16 KiB
  // pile up. The parameter is the one the API server's streaming serializers use; Go
  // clients pick the decoder by the media type alone.
  res.set_chunked_content_provider(
      "application/json;stream=watch", [&store, resource, state, bookmarks, matches, present,
                                        shape](size_t, httplib::DataSink& sink) {
        auto write = [&](const nlohmann::json& event) {
          const std::string line = event.dump() + "\n";
          state->last_write = std::chrono::steady_clock::now();
          return sink.write(line.data(), line.size());
        };
        if (!state->started) {
          state->started = true;
          if (state->since == 0) {
            state->since = store.version();
            for (const StoredObject& o : store.List(resource)) {
              if (matches(o.object)) write({{"type", "ADDED"}, {"object", shape(o)}});
            }
          }
        }
        uint64_t current = 0;
        Result<std::vector<WatchEvent>> events =
            store.EventsSince(resource, state->since, &current);
        if (!events.ok()) {
          write({{"type", "ERROR"},
                 {"object",
                  {{"kind", "Status"},
                   {"apiVersion", "v1"},
                   {"metadata", nlohmann::json::object()},
                   {"status", "Failure"},
                   {"message", events.status().message()},
                   {"reason", "Expired"},
                   {"code", 410}}}});
          sink.done();
          return true;
        }
        for (const WatchEvent& e : *events) {
          if (matches(e.object.object)) {
            write({{"type", e.type}, {"object", shape(e.object)}});
          }
        }
        state->since = std::max(state->since, current);
        const auto now = std::chrono::steady_clock::now();
        if (now >= state->deadline) {
          sink.done();
          return true;
        }
        if (bookmarks && now - state->last_write > std::chrono::seconds(10)) {
          write({{"type", "BOOKMARK"},
                 {"object",
                  {{"kind", present.kind},
                   {"apiVersion", present.api_version},
                   {"metadata", {{"resourceVersion", std::to_string(state->since)}}}}}});
        }
        store.WaitNewer(state->since, std::min(state->deadline, now + std::chrono::seconds(1)));
        return sink.is_writable();
      });
}

// Lists resume after the last key served: the continue token is that key, hex-encoded
// (opaque to clients, as the real server's base64 JSON is).
std::string ContinueToken(const std::string& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : key) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::optional<std::string> ContinueKey(const std::string& token) {
  if (token.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < token.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(token[i]), lo = nibble(token[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// GET of one object, a list, or a watch, from the store.
void ServeResource(const ObjectStore& store, const ResourceInfo& info, const httplib::Request& req,
                   httplib::Response& res, std::string ns, std::string name, Timestamp now) {
  const std::string resource(info.resource);
  if (resource == "namespaces" && name.empty() && !ns.empty()) std::swap(name, ns);
  if (!info.namespaced) ns.clear();
  const Presenter present{resource,
                          info.group == "events.k8s.io",
                          IsStoredResource(resource),
                          now,
                          std::string(info.kind),
                          info.group.empty()
                              ? std::string(info.version)
                              : std::string(info.group) + "/" + std::string(info.version)};
  const bool table = WantsTable(req);
  const bool full_object = req.get_param_value("includeObject") == "Object";
  const std::string qualified =
      resource + (info.group.empty() ? "" : "." + std::string(info.group));
  if (!name.empty() && req.get_param_value("watch") != "true" &&
      req.get_param_value("watch") != "1") {
    std::optional<StoredObject> found = store.Get(resource, ObjectKey(ns, name));
    if (!found) {
      return SendStatus(res, 404, "NotFound", qualified + " \"" + name + "\" not found",
                        {{"name", name}, {"kind", resource}});
    }
    const StoredObject o = present(*found);
    if (!table) return Send(res, 200, o.object);
    return Send(res, 200, Table(present.columns(store), {Row(o, full_object)}, o.version));
  }
  const std::string labels = req.get_param_value("labelSelector");
  std::string fields = req.get_param_value("fieldSelector");
  if (!name.empty()) fields = "metadata.name=" + name + (fields.empty() ? "" : "," + fields);
  auto selected = [&](const nlohmann::json& object, std::string* error) {
    if (!ns.empty() && object["metadata"].value("namespace", "") != ns) return false;
    bool ok = true;
    const nlohmann::json no_labels = nlohmann::json::object();
    const nlohmann::json& l =
        object["metadata"].contains("labels") ? object["metadata"]["labels"] : no_labels;
    if (!MatchesLabels(l, labels, &ok)) {
      if (!ok) *error = "unable to parse requirement: " + labels;
      return false;
    }
    return MatchesFields(object, fields, error);
  };
  const std::string watch = req.get_param_value("watch");
  if (watch == "true" || watch == "1") {
    return ServeWatch(store, resource, ns, present, table, req, res, labels, fields);
  }
  size_t limit = 0;
  std::string after;
  try {
    if (req.has_param("limit"))
      limit = static_cast<size_t>(std::stoull(req.get_param_value("limit")));
  } catch (...) {
    return SendStatus(res, 400, "BadRequest", "limit: must be a non-negative integer");
  }
  if (req.has_param("continue") && !req.get_param_value("continue").empty()) {
    std::optional<std::string> key = ContinueKey(req.get_param_value("continue"));
    if (!key) return SendStatus(res, 400, "BadRequest", "continue key is not valid");
    after = *key;
  }
  const uint64_t version = store.version();
  nlohmann::json items = nlohmann::json::array(), rows = nlohmann::json::array();
  std::string last;
  int64_t remaining = 0;
  for (const StoredObject& stored : store.List(resource)) {
    const std::string key = ObjectKey(stored.object);
    if (!after.empty() && key <= after) continue;
    std::string error;
    if (!selected(stored.object, &error)) {
      if (!error.empty()) return SendStatus(res, 400, "BadRequest", error);
      continue;
    }
    if (limit > 0 && items.size() >= limit) {
      ++remaining;
      continue;
    }
    const StoredObject o = present(stored);
    items.push_back(o.object);
    rows.push_back(Row(o, full_object));
    last = key;
  }
  nlohmann::json meta = {{"resourceVersion", std::to_string(version)}};
  if (remaining > 0) {
    meta["continue"] = ContinueToken(last);
    meta["remainingItemCount"] = remaining;
  }
  if (table) {
    nlohmann::json t = Table(present.columns(store), std::move(rows), version);
    t["metadata"] = meta;
    return Send(res, 200, t);
  }
  Send(res, 200,
       {{"kind", std::string(info.kind) + "List"},
        {"apiVersion", info.group.empty()
                           ? std::string(info.version)
                           : std::string(info.group) + "/" + std::string(info.version)},
        {"metadata", std::move(meta)},
        {"items", std::move(items)}});
}
}  // namespace

namespace {

void SyncStore(ObjectStore& store, const Simulator& sim, Timestamp started) {
  const Timestamp now = sim.Now();
  store.Sync("nodes", Nodes(sim.cluster(), now));
  store.Sync("pods", Pods(sim.cluster(), now));
  store.Sync("deployments", Deployments(sim.cluster(), started, now));
  store.Sync("replicasets", ReplicaSets(sim.cluster(), started, now));
  store.Sync("horizontalpodautoscalers", Hpas(sim, started, now));
  store.Sync("poddisruptionbudgets", Pdbs(sim, started, now));
}

}  // namespace

ApiServer::ApiServer(LiveCluster& cluster, const TlsMaterial* tls, size_t event_log)
    : cluster_(cluster),
      store_(std::make_unique<ObjectStore>(event_log)),
      events_(std::make_unique<EventRecorder>()),
      metrics_(std::make_unique<MetricsExporter>(cluster.speed())),
      tls_(tls) {
  for (auto& [resource, object] : BuiltInObjects(cluster_.started())) {
    (void)store_->Create(resource, std::move(object));  // A fresh store: no clash.
  }
  cluster_.Read([this](const Simulator& sim) {
    SyncStore(*store_, sim, cluster_.started());
    events_->Record(*store_, sim.Now());
    metrics_->Observe(sim);
    return 0;
  });
  ObjectStore* store = store_.get();
  EventRecorder* events = events_.get();
  MetricsExporter* metrics = metrics_.get();
  const Timestamp started = cluster_.started();
  cluster_.SetObserver([store, events, metrics, started](const Simulator& sim) {
    SyncStore(*store, sim, started);
    events->Record(*store, sim.Now());
    metrics->Observe(sim);
  });
  if (tls != nullptr) {
    server_ =
        std::make_unique<httplib::SSLServer>([tls](SSL_CTX& ctx) { return SetupTls(ctx, *tls); });
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  // cpp-httplib's default also sets SO_REUSEPORT, with which a second server binds the
  // same port and the kernel splits the connections between the two.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Idle keep-alive connections live as long as Go's default (90 s): with cpp-httplib's
  // 5 s, a client reusing a connection just as the server closes it sees EOF, and Go does
  // not retry a POST (kubectl drain retries evictions every 5 s and hit exactly that).
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  server_->set_keep_alive_max_count(kKeepAliveRequests);
  Routes();
}

bool ApiServer::Authenticated(const void* request) const {
  if (tls_ == nullptr) return true;
  const auto& req = *static_cast<const httplib::Request*>(request);
  // /metrics too: the simulator's figures are not secret, and Prometheus scrape configs
  // stay simple without a bearer token.
  if (req.path == "/version" || req.path == "/healthz" || req.path == "/livez" ||
      req.path == "/readyz" || req.path == "/metrics") {
    return true;
  }
  if (req.get_header_value("Authorization") == "Bearer " + tls_->token) return true;
  if (req.ssl != nullptr) {
    X509* peer = SSL_get1_peer_certificate(req.ssl);
    const bool verified = peer != nullptr && SSL_get_verify_result(req.ssl) == X509_V_OK;
    X509_free(peer);
    return verified;
  }
  return false;
}

ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind(const std::string& host, int port) {
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host.c_str());
  } else if (!server_->bind_to_port(host.c_str(), port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return UnavailableError("--listen: cannot bind " + host + ":" + std::to_string(port));
  }
  address_ = host + ":" + std::to_string(bound);
  return bound;
}

Status ApiServer::Serve() {
  if (!server_->listen_after_bind())
    return UnavailableError("api server: listen failed on " + address_);
  return OkStatus();
}

void ApiServer::Stop() {
  if (server_) server_->stop();
}

// GET of metrics.k8s.io: the list, filtered to a namespace, a name or labels.
void ApiServer::ServeResourceMetrics(const void* request, void* response,
                                     const std::string& resource, const std::string& ns,
                                     const std::string& name) {
  const auto& req = *static_cast<const httplib::Request*>(request);
  auto& res = *static_cast<httplib::Response*>(response);
  if (req.method != "GET") {
    return SendStatus(res, 405, "MethodNotAllowed", "metrics are read-only");
  }
  nlohmann::json list = cluster_.Read([&](const Simulator& sim) {
    return resource == "pods" ? PodMetricsList(sim) : NodeMetricsList(sim);
  });
  const std::string labels = req.get_param_value("labelSelector");
  nlohmann::json items = nlohmann::json::array();
  for (nlohmann::json& item : list["items"]) {
    const nlohmann::json& m = item["metadata"];
    if (!ns.empty() && m.value("namespace", "") != ns) continue;
    if (!name.empty() && m.value("name", "") != name) continue;
    bool ok = true;
    if (!MatchesLabels(m.value("labels", nlohmann::json::object()), labels, &ok)) {
      if (!ok) return SendStatus(res, 400, "BadRequest", "unable to parse requirement: " + labels);
      continue;
    }
    items.push_back(std::move(item));
  }
  if (!name.empty()) {
    if (items.empty()) {
      return SendStatus(res, 404, "NotFound",
                        resource + ".metrics.k8s.io \"" + name + "\" not found",
                        {{"name", name}, {"kind", resource}});
    }
    nlohmann::json one = items[0];
    one["kind"] = resource == "pods" ? "PodMetrics" : "NodeMetrics";
    one["apiVersion"] = "metrics.k8s.io/v1beta1";
    return Send(res, 200, one);
  }
  list["items"] = std::move(items);
  Send(res, 200, list);
}

void ApiServer::Routes() {
  httplib::Server& s = *server_;
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (Authenticated(&req)) return httplib::Server::HandlerResponse::Unhandled;
    SendStatus(res, 401, "Unauthorized", "Unauthorized");
    return httplib::Server::HandlerResponse::Handled;
  });
  for (const char* health : {"/healthz", "/livez", "/readyz"}) {
    s.Get(health, [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
  }
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_->Text(), std::string(kMetricsContentType).c_str());
  });
  s.Get("/version", [](const httplib::Request&, httplib::Response& res) {
    Send(res, 200,
         {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", kServedGitVersion},
          {"gitCommit", "prescient-simulator"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-01-01T00:00:00Z"},
          {"goVersion", "go1.23"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}});
  });
  s.Get("/api", [this](const httplib::Request& req, httplib::Response& res) {
    if (WantsAggregated(req))
      return Send(res, 200, AggregatedDiscovery(true), kAggregatedDiscoveryType);
    Send(res, 200, LegacyApiVersions(address_));
  });
  s.Get("/apis", [](const httplib::Request& req, httplib::Response& res) {
    if (WantsAggregated(req))
      return Send(res, 200, AggregatedDiscovery(false), kAggregatedDiscoveryType);
    Send(res, 200, LegacyGroupList());
  });

  // A minimal OpenAPI v3 (surface document 1.5): kubectl apply only checks that each
  // kind's PATCH declares the fieldValidation parameter, then lets the server validate.
  s.Get("/openapi/v3", [](const httplib::Request&, httplib::Response& res) {
    nlohmann::json paths = nlohmann::json::object();
    for (const ResourceInfo& r : ServedResources()) {
      const std::string gv = r.group.empty()
                                 ? "api/v1"
                                 : "apis/" + std::string(r.group) + "/" + std::string(r.version);
      paths[gv] = {{"serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + kOpenApiHash}};
    }
    Send(res, 200, {{"paths", paths}});
  });
  // Older kubectl (Debian's 1.20) validates against OpenAPI v2, always protobuf. An empty
  // document parses as one with no definitions, and an unknown kind is not an error to
  // its validator: apply works, validation is left to this server, as with the v3 stub.
  s.Get("/openapi/v2", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content("", "application/octet-stream");
  });
  s.Get(R"(/openapi/v3/(.+))", [](const httplib::Request& req, httplib::Response& res) {
    const std::string gv = req.matches[1];
    nlohmann::json paths = nlohmann::json::object();
    for (const ResourceInfo& r : ServedResources()) {
      const std::string prefix =
          r.group.empty() ? "api/v1"
                          : "apis/" + std::string(r.group) + "/" + std::string(r.version);
      if (prefix != gv) continue;
      const nlohmann::json op = {
          {"x-kubernetes-action", "patch"},
          {"x-kubernetes-group-version-kind",
           {{"group", r.group}, {"version", r.version}, {"kind", r.kind}}},
          {"parameters",
           {{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
            {{"name", "fieldManager"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
            {{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}}}},
          {"responses", {{"200", {{"description", "OK"}}}}}};
      const std::string base = "/" + prefix + (r.namespaced ? "/namespaces/{namespace}/" : "/") +
                               std::string(r.resource);
      paths[base + "/{name}"] = {{"patch", op}};
    }
    if (paths.empty()) return SendStatus(res, 404, "NotFound", "no OpenAPI document for " + gv);
    res.set_header("Cache-Control", "public, immutable");
    res.set_header("Etag", std::string("\"") + kOpenApiHash + "\"");
    Send(res, 200,
         {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", kServedGitVersion}}},
          {"components", {{"schemas", nlohmann::json::object()}}},
          {"paths", paths}});
  });

  // /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]] and
  // /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]].
  auto handle = [this](const httplib::Request& req, httplib::Response& res, std::string group,
                       std::string version, std::string ns, std::string resource, std::string name,
                       std::string subresource) {
    if (resource.empty()) {
      const nlohmann::json list = ResourceList(group, version);
      if (list.is_null() || req.method != "GET") {
        return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
      }
      return Send(res, 200, list);
    }
    const ResourceInfo* info = FindResource(group, version, resource);
    if (info == nullptr) {
      return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    }
    if (!subresource.empty()) {
      bool served = false;
      for (const SubresourceInfo& sub : info->subresources) served |= sub.name == subresource;
      if (!served) {
        return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
      }
    }
    if (group == "metrics.k8s.io") return ServeResourceMetrics(&req, &res, resource, ns, name);
    const Timestamp now = cluster_.Read([](const Simulator& sim) { return sim.Now(); });
    if (req.method == "GET" && subresource.empty())
      return ServeResource(*store_, *info, req, res, ns, name, now);
    if (resource == "namespaces" && name.empty()) std::swap(name, ns);
    WriteRequest w{req.method,
                   group,
                   resource,
                   subresource,
                   info->namespaced ? ns : "",
                   name,
                   req.get_header_value("Content-Type"),
                   req.method == "DELETE" ? "" : req.body};
    w.dry_run = req.get_param_value("dryRun") == "All";
    w.field_manager = req.get_param_value("fieldManager");
    if (req.has_param("tailLines")) {
      try {
        w.tail_lines = std::stoi(req.get_param_value("tailLines"));
      } catch (...) {
        return SendStatus(res, 400, "BadRequest", "tailLines: must be an integer");
      }
    }
    const WriteResponse out = HandleWrite(cluster_, *store_, w);
    if (!out.text.empty()) {
      res.status = out.code;
      return res.set_content(out.text, "text/plain");
    }
    Send(res, out.code, out.body);
  };
  static const std::regex kCore(
      R"(^/api/v1(?:/namespaces/([^/]+))?(?:/([a-z]+)(?:/([^/]+)(?:/([a-z]+))?)?)?$)");
  static const std::regex kGroup(
      R"(^/apis/([^/]+)/([^/]+)(?:/namespaces/([^/]+))?(?:/([a-z]+)(?:/([^/]+)(?:/([a-z]+))?)?)?$)");
  auto route = [handle](const httplib::Request& req, httplib::Response& res) {
    std::smatch m;
    if (std::regex_match(req.path, m, kCore)) {
      // "/api/v1/namespaces/NS" parses as ns=NS with no resource: the namespace itself.
      std::string resource = m[2], ns = m[1];
      if (resource.empty() && !ns.empty()) resource = "namespaces";
      return handle(req, res, "", "v1", ns, resource, m[3], m[4]);
    }
    if (std::regex_match(req.path, m, kGroup)) {
      std::string resource = m[4], ns = m[3];
      if (resource.empty() && !ns.empty()) {
        return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
      }
      return handle(req, res, m[1], m[2], ns, resource, m[5], m[6]);
    }
    SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  };
  for (const char* pattern : {R"(/api/v1.*)", R"(/apis/.*)"}) {
    s.Get(pattern, route);
    s.Post(pattern, route);
    s.Put(pattern, route);
    s.Patch(pattern, route);
    s.Delete(pattern, route);
  }
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      SendStatus(res, res.status == 404 ? 404 : res.status,
                 res.status == 404 ? "NotFound" : "InternalError",
                 res.status == 404 ? "the server could not find the requested resource"
                                   : "request failed");
    }
  });
}

}  // namespace prescient::sim::api
