// ApiServer: the Kubernetes REST API over the live simulated cluster, for kubectl and for
// Prescient's own Kubernetes client. This first slice serves /version, discovery (both
// formats), and get/list of namespaces, nodes, pods and deployments, as JSON objects or
// as the Table kubectl asks for, with the API server's Status errors. HTTPS with bearer
// token or client-certificate auth (or plain HTTP on request); writes and watches come
// next (issue 4).
// Thread-safe (cpp-httplib worker pool; state is read through LiveCluster::Read).
// Tested by api_server_test.cc.
#pragma once

#include <memory>
#include <string>

#include "prescient/core/result.h"
#include "prescient/core/status.h"
#include "prescient/sim/api/live_cluster.h"
#include "prescient/sim/api/object_store.h"
#include "prescient/sim/api/tls.h"

namespace httplib {
class Server;
}

namespace prescient::sim::api {

class MetricsExporter;
class ObjectStore;
class EventRecorder;

inline constexpr std::string_view kServedGitVersion = "v1.32.4";
// Each open request (a watch, later) holds a worker: far more than cpp-httplib's default.
inline constexpr int kServerThreads = 64;
inline constexpr int kKeepAliveSeconds = 90;
inline constexpr int kKeepAliveRequests = 10000;

class ApiServer {
 public:
  // `tls` null: plain HTTP, no authentication (kubectl sends no credentials over HTTP).
  // Otherwise HTTPS with tls->server_cert, and every request but /version, /metrics and
  // the health checks must carry `Authorization: Bearer <tls->token>` or a client
  // certificate signed by tls->ca.
  // `event_log`: how many changes watches can resume from (older ones get 410 Expired).
  ApiServer(LiveCluster& cluster, const TlsMaterial* tls, size_t event_log = kDefaultEventLog);
  ~ApiServer();

  // Binds host:port (port 0: any free port). Returns the bound port.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns when stopped.
  Status Serve();
  void Stop();

 private:
  void Routes();
  bool Authenticated(const void* request) const;
  // httplib::Request / Response (kept out of this header).
  void ServeResourceMetrics(const void* request, void* response, const std::string& resource,
                            const std::string& ns, const std::string& name);

  LiveCluster& cluster_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<MetricsExporter> metrics_;
  std::string address_;
  const TlsMaterial* tls_;
};

}  // namespace prescient::sim::api
