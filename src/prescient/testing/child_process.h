// ChildProcess: a program the tests start for real (prescient sim serve, prometheus,
// prescient run), its stdout and stderr going to a log file the test can wait on and
// print when something fails. Stop() sends SIGTERM and waits (SIGKILL after a grace
// period); Kill() is SIGKILL, for crash tests. The destructor kills what is still running.
// Test-only; thread-compatible.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::testing {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with `argv`, output to `log` (created or truncated).
  static Result<ChildProcess> Start(std::vector<std::string> argv, std::filesystem::path log);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log() const { return log_; }
  // The log's contents so far.
  std::string Output() const;
  // The first line of the log containing `needle`, waiting up to `timeout`;
  // DeadlineExceeded (with the log) if none appears, Aborted if the process exits first.
  Result<std::string> WaitForLine(const std::string& needle, std::chrono::milliseconds timeout);
  bool Running();
  // SIGTERM, then SIGKILL after `grace`. Returns the wait status (see waitpid(2)),
  // or nullopt if it was not running.
  std::optional<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL and reap.
  void Kill();

 private:
  ChildProcess(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_ = -1;
  std::filesystem::path log_;
  std::optional<int> status_;  // Once reaped.
};

// `prescient sim serve` on a free loopback port with its kubeconfig written to
// `dir`/kubeconfig; `extra` are more flags. Waits until it listens.
struct SimServe {
  ChildProcess process;
  std::string url;         // https://127.0.0.1:PORT (http:// with --insecure-http).
  std::string kubeconfig;  // Path.
};
Result<SimServe> StartSimServe(const std::filesystem::path& dir,
                               const std::vector<std::string>& extra = {});

// The Debian package's Prometheus on a free loopback port, with `dir`/prometheus.yml as
// its configuration and `dir`/data as its storage (kept for 100 years, so backfilled
// history stays); output in `dir`/prometheus.log. Waits until /-/ready answers.
// FailedPrecondition if the package is not installed (run scripts/setup.sh).
struct Prometheus {
  ChildProcess process;
  std::string url;  // http://127.0.0.1:PORT
  int port = 0;
};
inline constexpr char kPrometheusBinary[] = "/usr/bin/prometheus";
inline constexpr char kPromtoolBinary[] = "/usr/bin/promtool";
// `port` 0 picks a free one; a fixed one lets a test restart it where scrapers expect it.
Result<Prometheus> StartPrometheus(const std::filesystem::path& dir, int port = 0);

// The prescient binary of this build.
std::string PrescientBinary();
// A port on 127.0.0.1 nothing listens on right now (0 on failure).
int FreePort();

}  // namespace prescient::testing
