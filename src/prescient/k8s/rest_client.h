// RestClient: JSON requests to a Kubernetes API server over cpp-httplib, with the
// server certificate always verified (unless the config says insecure-skip-tls-verify),
// paged lists, line-by-line watches, retries with backoff for 429/5xx/timeouts only, and
// an optimistic-concurrency Update. Errors go through api_error.h.
// Thread-safe: each request opens its own connection. Tested by rest_client_test.cc.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "prescient/core/result.h"
#include "prescient/k8s/backoff.h"
#include "prescient/k8s/rest_config.h"

namespace prescient::k8s {

inline constexpr int kDefaultListPageSize = 500;
inline constexpr int kDefaultMaxUpdateAttempts = 5;
inline constexpr std::chrono::seconds kDefaultRequestTimeout{30};

struct RestClientOptions {
  BackoffOptions backoff;
  int list_page_size = kDefaultListPageSize;
  int max_update_attempts = kDefaultMaxUpdateAttempts;  // GET+PUT rounds on 409.
  std::chrono::seconds request_timeout = kDefaultRequestTimeout;
};

inline constexpr char kMergePatch[] = "application/merge-patch+json";
inline constexpr char kJsonPatch[] = "application/json-patch+json";
inline constexpr char kStrategicMergePatch[] = "application/strategic-merge-patch+json";

class RestClient {
 public:
  // InvalidArgument if a PEM in the config does not parse.
  static Result<std::unique_ptr<RestClient>> Create(RestConfig config,
                                                    RestClientOptions options = {});
  ~RestClient();

  const RestConfig& config() const { return config_; }

  // `path` is absolute ("/api/v1/namespaces/default/pods") and may carry a query.
  Result<nlohmann::json> Get(const std::string& path);
  // All pages (limit=list_page_size, following metadata.continue) in one list object whose
  // metadata is the first page's.
  Result<nlohmann::json> List(const std::string& path, const std::string& label_selector = "",
                              const std::string& field_selector = "");
  Result<nlohmann::json> Patch(const std::string& path, const std::string& content_type,
                               const nlohmann::json& body);
  Result<nlohmann::json> Put(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> Delete(const std::string& path);

  // Called with each watch event ({"type", "object"}); return false to stop watching.
  using WatchCallback = std::function<bool(const nlohmann::json& event)>;
  // Watches `path` (a collection) from `resource_version` ("" = current state as ADDED
  // events) until the server ends the stream after `timeout` (OK), the callback says
  // stop (OK), or an error; an ERROR event becomes its Status (410 Expired: OutOfRange).
  // Not retried: the caller re-watches or relists.
  Status Watch(const std::string& path, const std::string& resource_version,
               const WatchCallback& callback, std::chrono::seconds timeout);

  // Read-modify-write: GET, `mutate`, PUT with the read resourceVersion; on 409 Conflict
  // read again (max_update_attempts rounds). Returns the stored object.
  Result<nlohmann::json> Update(const std::string& path,
                                const std::function<Status(nlohmann::json&)>& mutate);

 private:
  struct Tls;
  struct Response {
    int status = 0;
    std::string body;
    std::chrono::milliseconds retry_after{0};
  };

  RestClient(RestConfig config, RestClientOptions options, std::unique_ptr<Tls> tls);
  Result<nlohmann::json> Call(const std::string& method, const std::string& path,
                              const std::string& content_type, const std::string& body);
  Result<Response> Once(const std::string& method, const std::string& path,
                        const std::string& content_type, const std::string& body);

  const RestConfig config_;
  const RestClientOptions options_;
  const Backoff backoff_;
  std::unique_ptr<Tls> tls_;
};

// Percent-encodes a query parameter value.
std::string QueryEscape(const std::string& value);

}  // namespace prescient::k8s
