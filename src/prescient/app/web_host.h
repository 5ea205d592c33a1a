// The dashboard's server as the long-running commands (demo, sim serve, run) host it:
// their shared --web flags, starting the server, and waiting for SIGINT/SIGTERM.
// StartDashboard is thread-compatible; InterruptWatch is thread-safe.
// Tested by cli/cli_test.cc (through the binary).
#pragma once

#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "prescient/core/result.h"
#include "prescient/web/dashboard_data.h"
#include "prescient/web/server.h"

namespace prescient::app {

struct WebOptions {
  bool enabled = true;                     // --no-web turns it off.
  std::string address = "127.0.0.1:8080";  // --web HOST:PORT; port 0 picks a free one.
  std::string token;                       // --web-token
  std::string token_file;                  // --web-token-file (first line)
};

// Binds and starts the dashboard over `source` (which must outlive the server) and prints
// "dashboard: http://HOST:PORT/" on `out`. nullptr when disabled. A bind failure is an
// error if `bind_failure_fatal`, otherwise a warning line on stderr and nullptr (for
// commands whose main job is not the dashboard). Bad flags are always errors.
Result<std::unique_ptr<web::DashboardServer>> StartDashboard(const WebOptions& options,
                                                             const web::DashboardSource& source,
                                                             bool bind_failure_fatal,
                                                             std::ostream& out);

// Catches SIGINT and SIGTERM on a thread of its own while it lives. Construct it before
// starting other threads (they inherit the blocked mask); the mask is restored on
// destruction.
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  bool interrupted() const { return interrupted_.load(); }
  // Blocks until a signal came.
  void Wait();

 private:
  sigset_t signals_{}, old_mask_{};
  std::atomic<bool> interrupted_{false}, closing_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace prescient::app
