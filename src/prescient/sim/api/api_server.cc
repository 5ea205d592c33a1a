// Request handling follows the captures in ../shared/docs/kubernetes-api-surface.md:
// the discovery format is chosen from the Accept header's g/v/as parameters and told
// back in the Content-Type; `get` asks for a Table (as=Table;g=meta.k8s.io), -o json/yaml
// for the object; every error is a Status with reason and code; unknown query
// parameters are ignored.
#include "prescient/sim/api/api_server.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <regex>

#include "prescient/sim/api/objects_json.h"
#include "prescient/sim/api/resources.h"

namespace prescient::sim::api {
namespace {

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

// Equality-based label selectors (k=v, k==v, k!=v, comma-joined). Returns false on a
// selector it cannot parse.
bool MatchesLabels(const nlohmann::json& labels, const std::string& selector, bool* ok) {
  *ok = true;
  if (selector.empty()) return true;
  size_t start = 0;
  while (start <= selector.size()) {
    size_t end = selector.find(',', start);
    if (end == std::string::npos) end = selector.size();
    const std::string term = selector.substr(start, end - start);
    start = end + 1;
    if (term.empty()) continue;
    const size_t ne = term.find("!=");
    const size_t eq = term.find('=');
    if (ne != std::string::npos) {
      const std::string k = term.substr(0, ne), v = term.substr(ne + 2);
      if (labels.contains(k) && labels[k] == v) return false;
    } else if (eq != std::string::npos) {
      const std::string k = term.substr(0, eq);
      std::string v = term.substr(eq + 1);
      if (!v.empty() && v[0] == '=') v = v.substr(1);
      if (!labels.contains(k) || labels[k] != v) return false;
    } else if (term.find_first_of("()! ") == std::string::npos) {
      if (!labels.contains(term)) return false;  // Existence: `k`.
    } else {
      *ok = false;
      return false;
    }
  }
  return true;
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

}  // namespace

ApiServer::ApiServer(LiveCluster& cluster, const TlsMaterial* tls) : cluster_(cluster), tls_(tls) {
  if (tls != nullptr) {
    server_ =
        std::make_unique<httplib::SSLServer>([tls](SSL_CTX& ctx) { return SetupTls(ctx, *tls); });
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  Routes();
}

bool ApiServer::Authenticated(const void* request) const {
  if (tls_ == nullptr) return true;
  const auto& req = *static_cast<const httplib::Request*>(request);
  if (req.path == "/version" || req.path == "/healthz" || req.path == "/livez" ||
      req.path == "/readyz") {
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

void ApiServer::Routes() {
  httplib::Server& s = *server_;
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (Authenticated(&req)) return httplib::Server::HandlerResponse::Unhandled;
    SendStatus(res, 401, "Unauthorized", "Unauthorized");
    return httplib::Server::HandlerResponse::Handled;
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

  // /api/v1[/namespaces/NS]/RESOURCE[/NAME] and
  // /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME].
  auto handle = [this](const httplib::Request& req, httplib::Response& res, std::string group,
                       std::string version, std::string ns, std::string resource,
                       std::string name) {
    if (resource.empty()) {
      const nlohmann::json list = ResourceList(group, version);
      if (list.is_null())
        return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
      return Send(res, 200, list);
    }
    // /api/v1/namespaces/NS is the namespace itself.
    if (resource == "namespaces" && name.empty() && !ns.empty()) {
      name = ns;
      ns.clear();
    }
    const ResourceInfo* info = FindResource(group, version, resource);
    if (info == nullptr) {
      return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    }
    if (req.method != "GET") {
      return SendStatus(res, 405, "MethodNotAllowed",
                        "the server does not allow this method on the requested resource");
    }
    KindView view = cluster_.Read([&](const Simulator& sim) {
      const Timestamp now = sim.Now();
      if (info->resource == "namespaces") return Namespaces(cluster_.started(), now);
      if (info->resource == "nodes") return Nodes(sim.cluster(), now);
      if (info->resource == "pods") return Pods(sim.cluster(), now);
      return Deployments(sim.cluster(), cluster_.started(), now);
    });
    const bool in_namespace = ns.empty() || ns == kNamespace;
    const std::string kind_name =
        std::string(info->resource) + (info->group.empty() ? "" : "." + std::string(info->group));
    if (!name.empty()) {
      if (in_namespace) {
        for (size_t i = 0; i < view.items.size(); ++i) {
          if (view.items[i]["metadata"]["name"] != name) continue;
          if (!WantsTable(req)) return Send(res, 200, view.items[i]);
          nlohmann::json row = {{"cells", view.rows[i]},
                                {"object",
                                 {{"kind", "PartialObjectMetadata"},
                                  {"apiVersion", "meta.k8s.io/v1"},
                                  {"metadata", view.items[i]["metadata"]}}}};
          return Send(res, 200,
                      {{"kind", "Table"},
                       {"apiVersion", "meta.k8s.io/v1"},
                       {"metadata", {{"resourceVersion", "1"}}},
                       {"columnDefinitions", view.columns},
                       {"rows", {row}}});
        }
      }
      return SendStatus(res, 404, "NotFound", kind_name + " \"" + name + "\" not found",
                        {{"name", name}, {"kind", resource}});
    }
    bool selector_ok = true;
    nlohmann::json items = nlohmann::json::array(), rows = nlohmann::json::array();
    const std::string selector = req.get_param_value("labelSelector");
    for (size_t i = 0; i < view.items.size() && in_namespace; ++i) {
      const nlohmann::json& labels =
          view.items[i]["metadata"].value("labels", nlohmann::json::object());
      if (!MatchesLabels(labels, selector, &selector_ok)) {
        if (!selector_ok) {
          return SendStatus(res, 400, "BadRequest", "unable to parse requirement: " + selector);
        }
        continue;
      }
      items.push_back(view.items[i]);
      rows.push_back({{"cells", view.rows[i]},
                      {"object",
                       {{"kind", "PartialObjectMetadata"},
                        {"apiVersion", "meta.k8s.io/v1"},
                        {"metadata", view.items[i]["metadata"]}}}});
    }
    if (WantsTable(req)) {
      return Send(res, 200,
                  {{"kind", "Table"},
                   {"apiVersion", "meta.k8s.io/v1"},
                   {"metadata", {{"resourceVersion", "1"}}},
                   {"columnDefinitions", view.columns},
                   {"rows", rows}});
    }
    Send(res, 200,
         {{"kind", std::string(info->kind) + "List"},
          {"apiVersion", info->group.empty()
                             ? std::string(info->version)
                             : std::string(info->group) + "/" + std::string(info->version)},
          {"metadata", {{"resourceVersion", "1"}}},
          {"items", items}});
  };
  static const std::regex kCore(R"(^/api/v1(?:/namespaces/([^/]+))?(?:/([a-z]+)(?:/([^/]+))?)?$)");
  static const std::regex kGroup(
      R"(^/apis/([^/]+)/([^/]+)(?:/namespaces/([^/]+))?(?:/([a-z]+)(?:/([^/]+))?)?$)");
  auto route = [handle](const httplib::Request& req, httplib::Response& res) {
    std::smatch m;
    if (std::regex_match(req.path, m, kCore)) {
      // "/api/v1/namespaces/NS" parses as ns=NS with no resource: the namespace itself.
      std::string resource = m[2], ns = m[1];
      if (resource.empty() && !ns.empty()) resource = "namespaces";
      return handle(req, res, "", "v1", ns, resource, m[3]);
    }
    if (std::regex_match(req.path, m, kGroup)) {
      std::string resource = m[4], ns = m[3];
      if (resource.empty() && !ns.empty()) {
        return SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
      }
      return handle(req, res, m[1], m[2], ns, resource, m[5]);
    }
    SendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  };
  s.Get(R"(/api/v1.*)", route);
  s.Get(R"(/apis/.*)", route);
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    SendStatus(res, 405, "MethodNotAllowed",
               "the server does not allow this method on the requested resource");
  };
  s.Post(R"(/.*)", not_allowed);
  s.Put(R"(/.*)", not_allowed);
  s.Patch(R"(/.*)", not_allowed);
  s.Delete(R"(/.*)", not_allowed);
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
