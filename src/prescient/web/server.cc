// One catch-all GET route dispatches: /healthz, /api/v1/... (api.cc), then the embedded
// assets. The pre-routing handler refuses other methods and checks the token first, so
// nothing is served unauthenticated by accident.
#include "prescient/web/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "prescient/web/api.h"
#include "prescient/web/assets.h"

namespace prescient::web {
namespace {

void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, status, nlohmann::json{{"error", message}}.dump());
}

// cpp-httplib prefers Brotli when a client accepts it (browsers do), at a quality that
// takes ~0.8 s for a 14-day series; gzip takes ~50 ms for a ~5x smaller answer. So the
// server offers gzip only. The Request is the server's own mutable object, handed out as
// const: editing its header here is defined and happens before any compression.
void OfferGzipOnly(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  auto [lo, hi] = headers.equal_range("Accept-Encoding");
  for (auto it = lo; it != hi; ++it) {
    it->second = it->second.find("gzip") != std::string::npos ? "gzip" : "identity";
  }
}

}  // namespace

DashboardServer::DashboardServer(const DashboardSource& source, std::string token)
    : source_(source), token_(std::move(token)), server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWebServerThreads); };
  // cpp-httplib's default sets SO_REUSEPORT: a second process would bind the same port
  // and the kernel would share the connections between the two. SO_REUSEADDR alone
  // still allows a restart while old connections linger in TIME_WAIT.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  Routes();
}

DashboardServer::~DashboardServer() { Stop(); }

Result<int> DashboardServer::Bind(const std::string& host, int port, const std::string& flag) {
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return UnavailableError(flag + ": cannot bind " + host + ":" + std::to_string(port) +
                            " (in use? pick another port, or 0 for any free one)");
  }
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  url_ = "http://" + shown + ":" + std::to_string(bound) + "/";
  return bound;
}

void DashboardServer::Start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the loop runs: wait for it so a quick Stop() cannot be lost.
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void DashboardServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void DashboardServer::Routes() {
  httplib::Server& s = *server_;
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    OfferGzipOnly(req);
    if (req.method != "GET" && req.method != "HEAD") {
      res.set_header("Allow", "GET, HEAD");
      SendError(res, 405, "method " + req.method + " not allowed: the dashboard is read-only");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!token_.empty() && req.path != "/healthz" &&
        req.get_header_value("Authorization") != "Bearer " + token_) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401, "token: missing or wrong Authorization: Bearer header");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/healthz") {
      res.set_header("Cache-Control", "no-store");
      res.set_content("ok", "text/plain");
      return;
    }
    if (req.path.starts_with("/api/")) {
      const ApiResponse r = HandleApiRequest(source_, req.path, req.params);
      SendJson(res, r.status, r.body);
      return;
    }
    if (const Asset* a = FindAsset(req.path); a != nullptr) {
      // Small files, embedded: revalidating every load is cheap and never stale.
      res.set_header("Cache-Control", "no-cache");
      res.set_content(std::string(a->body), std::string(a->content_type));
      return;
    }
    SendError(res, 404, "no such path: " + req.path);
  });
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgumentError("--web-token-file: cannot read " + path);
  std::string line;
  std::getline(in, line);
  const size_t b = line.find_first_not_of(" \t\r");
  const size_t e = line.find_last_not_of(" \t\r");
  if (b == std::string::npos)
    return InvalidArgumentError("--web-token-file: " + path + " is empty");
  return line.substr(b, e - b + 1);
}

}  // namespace prescient::web
