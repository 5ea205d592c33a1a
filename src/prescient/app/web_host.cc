// The watcher thread sleeps in sigwait(); on destruction it is woken by a SIGTERM sent to
// it alone (pthread_kill), which `closing_` tells apart from a real one.
#include "prescient/app/web_host.h"

#include <pthread.h>

#include <iostream>

#include "prescient/app/host_port.h"

namespace prescient::app {

Result<std::unique_ptr<web::DashboardServer>> StartDashboard(const WebOptions& o,
                                                             const web::DashboardSource& source,
                                                             bool bind_failure_fatal,
                                                             std::ostream& out) {
  if (!o.enabled) return std::unique_ptr<web::DashboardServer>();
  PRESCIENT_ASSIGN_OR_RETURN(const HostPort hp, ParseHostPort(o.address, "--web"));
  std::string token = o.token;
  if (!o.token_file.empty()) {
    if (!token.empty()) {
      return InvalidArgumentError(
          "--web-token-file: give --web-token or --web-token-file, not both");
    }
    PRESCIENT_ASSIGN_OR_RETURN(token, web::ReadTokenFile(o.token_file));
  }
  auto server = std::make_unique<web::DashboardServer>(source, token);
  Result<int> port = server->Bind(hp.host, hp.port, "--web");
  if (!port.ok()) {
    if (bind_failure_fatal) return port.status();
    std::cerr << "prescient: warning: " << port.status().message() << "; the dashboard is off\n";
    return std::unique_ptr<web::DashboardServer>();
  }
  server->Start();
  out << "dashboard: " << server->url() << std::endl;
  return server;
}

InterruptWatch::InterruptWatch() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &old_mask_);
  thread_ = std::thread([this] {
    int sig = 0;
    sigwait(&signals_, &sig);
    if (closing_.load()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      interrupted_ = true;
    }
    cv_.notify_all();
  });
}

InterruptWatch::~InterruptWatch() {
  closing_ = true;
  if (!interrupted_.load()) pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void InterruptWatch::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return interrupted_.load(); });
}

}  // namespace prescient::app
