// Each request builds its own cpp-httplib client: certificates that an exec plugin
// rotates take effect at once, and concurrent calls share nothing but the parsed PEMs.
// The cost is a TLS handshake per request, fine for a controller's request rate.
// cpp-httplib's SSLClient takes ownership of the X509_STORE given to set_ca_cert_store,
// so each client gets a fresh store; SSL_CTX_use_certificate/PrivateKey take their own
// references, so the parsed client certificate and key stay ours.
#include "prescient/k8s/rest_client.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "prescient/k8s/api_error.h"

namespace prescient::k8s {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using StorePtr = std::unique_ptr<X509_STORE, StoreFree>;

Result<X509Ptr> ParseCert(const std::string& pem, const std::string& what) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (!cert) return InvalidArgumentError(what + ": not a PEM certificate");
  return cert;
}

Result<PkeyPtr> ParseKey(const std::string& pem, const std::string& what) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (!key) return InvalidArgumentError(what + ": not a PEM private key");
  return key;
}

// Every certificate in the PEM bundle.
Result<StorePtr> ParseCaStore(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  StorePtr store(X509_STORE_new());
  int n = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), cert);
    X509_free(cert);
    ++n;
  }
  BIO_free(bio);
  if (n == 0) return InvalidArgumentError("certificate authority: no PEM certificate");
  return store;
}

std::string Join(const std::string& path, const std::string& query) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + query;
}

std::chrono::milliseconds RetryAfter(const httplib::Response& r) {
  const std::string v = r.get_header_value("Retry-After");
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
    return {};
  return std::chrono::seconds(std::stoi(v));
}

}  // namespace

struct RestClient::Tls {
  X509Ptr cert;
  PkeyPtr key;
};

std::string QueryEscape(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<std::unique_ptr<RestClient>> RestClient::Create(RestConfig config,
                                                       RestClientOptions options) {
  auto tls = std::make_unique<Tls>();
  if (!config.ca_pem.empty()) PRESCIENT_RETURN_IF_ERROR(ParseCaStore(config.ca_pem).status());
  if (!config.client_cert_pem.empty() || !config.client_key_pem.empty()) {
    PRESCIENT_ASSIGN_OR_RETURN(tls->cert, ParseCert(config.client_cert_pem, "client certificate"));
    PRESCIENT_ASSIGN_OR_RETURN(tls->key, ParseKey(config.client_key_pem, "client key"));
  }
  if (config.host.empty()) return InvalidArgumentError("rest client: no server host");
  return std::unique_ptr<RestClient>(
      new RestClient(std::move(config), std::move(options), std::move(tls)));
}

RestClient::RestClient(RestConfig config, RestClientOptions options, std::unique_ptr<Tls> tls)
    : config_(std::move(config)),
      options_(std::move(options)),
      backoff_(options_.backoff),
      tls_(std::move(tls)) {}

RestClient::~RestClient() = default;

namespace {

struct Connection {
  std::unique_ptr<httplib::ClientImpl> client;
  httplib::SSLClient* ssl = nullptr;  // Same object when HTTPS.
  httplib::Headers headers;
};

}  // namespace

// Builds the client for one request with the current credentials.
static Result<Connection> Connect(const RestConfig& config, X509* static_cert, EVP_PKEY* static_key,
                                  std::chrono::seconds read_timeout) {
  Credentials creds{.token = config.token};
  if (config.credentials) {
    PRESCIENT_ASSIGN_OR_RETURN(Credentials fresh, config.credentials->Get());
    if (!fresh.token.empty()) creds.token = fresh.token;
    creds.client_cert_pem = std::move(fresh.client_cert_pem);
    creds.client_key_pem = std::move(fresh.client_key_pem);
  }
  Connection c;
  if (config.scheme == "http") {
    c.client = std::make_unique<httplib::ClientImpl>(config.host, config.port);
  } else {
    X509Ptr cert;
    PkeyPtr key;
    if (!creds.client_cert_pem.empty()) {
      PRESCIENT_ASSIGN_OR_RETURN(cert, ParseCert(creds.client_cert_pem, "exec plugin certificate"));
      PRESCIENT_ASSIGN_OR_RETURN(key, ParseKey(creds.client_key_pem, "exec plugin key"));
      static_cert = cert.get();
      static_key = key.get();
    }
    const std::string name = config.tls_server_name.empty() ? config.host : config.tls_server_name;
    auto ssl = std::make_unique<httplib::SSLClient>(name, config.port, static_cert, static_key);
    if (!ssl->is_valid()) return InternalError("rest client: TLS context setup failed");
    if (!config.tls_server_name.empty()) ssl->set_hostname_addr_map({{name, config.host}});
    if (config.insecure) {
      ssl->enable_server_certificate_verification(false);
    } else if (!config.ca_pem.empty()) {
      PRESCIENT_ASSIGN_OR_RETURN(StorePtr store, ParseCaStore(config.ca_pem));
      ssl->set_ca_cert_store(store.release());  // Takes ownership.
    }
    c.ssl = ssl.get();
    c.client = std::move(ssl);
  }
  c.client->set_connection_timeout(std::chrono::seconds(10));
  c.client->set_read_timeout(read_timeout);
  c.client->set_write_timeout(std::chrono::seconds(30));
  c.headers = {{"Accept", "application/json"}, {"User-Agent", "prescient"}};
  if (!creds.token.empty()) c.headers.emplace("Authorization", "Bearer " + creds.token);
  return c;
}

static Status TransportError(const httplib::Result& r, const Connection& c,
                             const std::string& method, const std::string& path) {
  if (r.error() == httplib::Error::SSLServerVerification && c.ssl != nullptr) {
    // Not worth retrying: the server is not who the config says it is.
    const long v = c.ssl->get_openssl_verify_result();
    return FailedPreconditionError(
        method + " " + path + ": server certificate verification failed" +
        (v != X509_V_OK ? std::string(": ") + X509_verify_cert_error_string(v)
                        : std::string(" (host name mismatch)")));
  }
  return StatusFromTransport(r.error(), method, path);
}

Result<RestClient::Response> RestClient::Once(const std::string& method, const std::string& path,
                                              const std::string& content_type,
                                              const std::string& body) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Connection c, Connect(config_, tls_->cert.get(), tls_->key.get(), options_.request_timeout));
  const std::string full = config_.base_path + path;
  httplib::Result r = method == "GET"     ? c.client->Get(full, c.headers)
                      : method == "POST"  ? c.client->Post(full, c.headers, body, content_type)
                      : method == "PUT"   ? c.client->Put(full, c.headers, body, content_type)
                      : method == "PATCH" ? c.client->Patch(full, c.headers, body, content_type)
                                          : c.client->Delete(full, c.headers);
  if (!r) return TransportError(r, c, method, path);
  return Response{r->status, r->body, RetryAfter(*r)};
}

Result<nlohmann::json> RestClient::Call(const std::string& method, const std::string& path,
                                        const std::string& content_type, const std::string& body) {
  bool reauthenticated = false;
  for (int attempt = 0;; ++attempt) {
    Result<Response> r = Once(method, path, content_type, body);
    Status s = r.ok() ? StatusFromResponse(r->status, r->body, method, path) : r.status();
    if (s.ok()) {
      if (r->body.empty()) return nlohmann::json::object();
      try {
        return nlohmann::json::parse(r->body);
      } catch (const std::exception& e) {
        return InvalidArgumentError(method + " " + path + ": response is not JSON: " + e.what());
      }
    }
    if (s.code() == StatusCode::kUnauthenticated && config_.credentials && !reauthenticated) {
      config_.credentials->Invalidate();  // An expired token: fetch a new one, once.
      reauthenticated = true;
      --attempt;
      continue;
    }
    if (!s.IsRetryable() || attempt + 1 >= backoff_.max_attempts()) {
      if (attempt > 0) return s.WithContext("after " + std::to_string(attempt + 1) + " attempts");
      return s;
    }
    backoff_.Sleep(backoff_.Delay(attempt, r.ok() ? r->retry_after : std::chrono::milliseconds{}));
  }
}

Result<nlohmann::json> RestClient::Get(const std::string& path) {
  return Call("GET", path, "", "");
}

Result<nlohmann::json> RestClient::Patch(const std::string& path, const std::string& content_type,
                                         const nlohmann::json& body) {
  return Call("PATCH", path, content_type, body.dump());
}

Result<nlohmann::json> RestClient::Put(const std::string& path, const nlohmann::json& body) {
  return Call("PUT", path, "application/json", body.dump());
}

Result<nlohmann::json> RestClient::Post(const std::string& path, const nlohmann::json& body) {
  return Call("POST", path, "application/json", body.dump());
}

Result<nlohmann::json> RestClient::Delete(const std::string& path) {
  return Call("DELETE", path, "", "");
}

Result<nlohmann::json> RestClient::List(const std::string& path, const std::string& label_selector,
                                        const std::string& field_selector) {
  constexpr int kMaxPages = 100000;  // Guards against a server that never ends the list.
  std::string query = "limit=" + std::to_string(options_.list_page_size);
  if (!label_selector.empty()) query += "&labelSelector=" + QueryEscape(label_selector);
  if (!field_selector.empty()) query += "&fieldSelector=" + QueryEscape(field_selector);
  nlohmann::json all;
  std::string next;
  for (int page = 0; page < kMaxPages; ++page) {
    const std::string p =
        Join(path, next.empty() ? query : query + "&continue=" + QueryEscape(next));
    PRESCIENT_ASSIGN_OR_RETURN(nlohmann::json got, Get(p));
    if (!got.is_object() || (got.contains("items") && !got["items"].is_array()))
      return InvalidArgumentError("GET " + p + ": not a list");
    next.clear();  // Read before `got` moves into `all`.
    if (got.contains("metadata") && got["metadata"].is_object())
      next = got["metadata"].value("continue", "");
    nlohmann::json items =
        got.contains("items") ? std::move(got["items"]) : nlohmann::json::array();
    if (page == 0) {
      all = std::move(got);
      all["items"] = std::move(items);
    } else {
      for (auto& item : items) all["items"].push_back(std::move(item));
    }
    if (next.empty()) {
      if (all.contains("metadata") && all["metadata"].is_object()) {
        all["metadata"].erase("continue");
        all["metadata"].erase("remainingItemCount");
      }
      return all;
    }
  }
  return OutOfRangeError("GET " + path + ": more than " + std::to_string(kMaxPages) + " pages");
}

Status RestClient::Watch(const std::string& path, const std::string& resource_version,
                         const WatchCallback& callback, std::chrono::seconds timeout) {
  std::string query =
      "watch=true&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout.count());
  if (!resource_version.empty()) query += "&resourceVersion=" + QueryEscape(resource_version);
  const std::string p = Join(path, query);
  // The read timeout covers the quiet time between events, so it must outlast the stream.
  PRESCIENT_ASSIGN_OR_RETURN(Connection c, Connect(config_, tls_->cert.get(), tls_->key.get(),
                                                   timeout + std::chrono::seconds(30)));
  int http_status = 0;
  std::string buffer, error_body;
  Status event_error;
  bool stopped = false;
  auto on_line = [&](const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return true;
    nlohmann::json event;
    try {
      event = nlohmann::json::parse(line);
    } catch (const std::exception& e) {
      event_error = InvalidArgumentError("WATCH " + path + ": event is not JSON: " + e.what());
      return false;
    }
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string()) {
      event_error = InvalidArgumentError("WATCH " + path + ": event has no type");
      return false;
    }
    if (event["type"] == "ERROR") {
      const nlohmann::json& o =
          event.contains("object") ? event["object"] : nlohmann::json::object();
      event_error = StatusFromApiStatus(o.is_object() ? o.value("code", 500) : 500,
                                        o.is_object() ? o.value("reason", "") : "",
                                        o.is_object() ? o.value("message", "") : "", "WATCH", path);
      return false;
    }
    if (!callback(event)) {
      stopped = true;
      return false;
    }
    return true;
  };
  httplib::Result r = c.client->Get(
      config_.base_path + p, c.headers,
      [&](const httplib::Response& res) {
        http_status = res.status;
        return true;
      },
      [&](const char* data, size_t n) {
        if (http_status != 200) {
          error_body.append(data, n);
          return true;
        }
        buffer.append(data, n);
        size_t start = 0;
        for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
          if (!on_line(buffer.substr(start, nl - start))) return false;
        }
        buffer.erase(0, start);
        return true;
      });
  if (stopped) return OkStatus();
  if (!event_error.ok()) return event_error;
  if (!r) return TransportError(r, c, "WATCH", path);
  if (r->status != 200) return StatusFromResponse(r->status, error_body, "WATCH", path);
  if (!buffer.empty() && !on_line(buffer) && !stopped) return event_error;
  return OkStatus();
}

Result<nlohmann::json> RestClient::Update(const std::string& path,
                                          const std::function<Status(nlohmann::json&)>& mutate) {
  Status last;
  for (int i = 0; i < options_.max_update_attempts; ++i) {
    PRESCIENT_ASSIGN_OR_RETURN(nlohmann::json object, Get(path));
    const nlohmann::json rv = object["metadata"].value("resourceVersion", "");
    PRESCIENT_RETURN_IF_ERROR(mutate(object));
    object["metadata"]["resourceVersion"] = rv;  // The version we read, whatever mutate did.
    Result<nlohmann::json> put = Put(path, object);
    if (put.ok() || put.status().code() != StatusCode::kAborted) return put;
    last = put.status();
  }
  return last.WithContext("update gave up after " + std::to_string(options_.max_update_attempts) +
                          " conflicts");
}

}  // namespace prescient::k8s
