// DashboardServer: the dashboard over HTTP (cpp-httplib): the embedded assets at /, the
// JSON API at /api/v1/ (api.h) and /healthz. Read-only: GET and HEAD, 405 for anything
// else; with a token, every request but /healthz needs "Authorization: Bearer TOKEN"
// (401 otherwise).
// Thread-safe (cpp-httplib's worker pool; the source must be safe to read concurrently and
// outlive the server). Tested by server_test.cc.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "prescient/core/result.h"
#include "prescient/core/status.h"
#include "prescient/web/dashboard_data.h"

namespace httplib {
class Server;
}

namespace prescient::web {

inline constexpr std::string_view kDefaultWebAddress = "127.0.0.1:8080";
inline constexpr int kWebServerThreads = 8;

class DashboardServer {
 public:
  // An empty token: no authentication.
  DashboardServer(const DashboardSource& source, std::string token);
  ~DashboardServer();  // Stops and joins.
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Binds host:port (port 0: any free port); returns the bound port. Unavailable with
  // "FLAG: cannot bind HOST:PORT" on failure (`flag` names the option, e.g. --web).
  Result<int> Bind(const std::string& host, int port, const std::string& flag = "--web");
  // Serves on a background thread until Stop(). Connections are accepted from Bind() on
  // (the socket listens), so a client may connect as soon as Bind() returned.
  void Start();
  void Stop();
  // "http://HOST:PORT/" once bound.
  std::string url() const { return url_; }

 private:
  void Routes();

  const DashboardSource& source_;
  const std::string token_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string url_;
};

// Reads a token file for --web-token-file: its first line, trimmed. InvalidArgument
// naming the file if it cannot be read or is empty.
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace prescient::web
