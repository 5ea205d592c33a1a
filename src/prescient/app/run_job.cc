#include "prescient/app/run_job.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "prescient/app/controller_feed.h"
#include "prescient/app/host_port.h"
#include "prescient/controller/controller.h"
#include "prescient/core/clock.h"
#include "prescient/k8s/kube_config.h"
#include "prescient/k8s/leader_election.h"
#include "prescient/k8s/rest_client.h"
#include "prescient/prom/prometheus_client.h"
#include "prescient/storage/audit_log.h"

namespace prescient::app {
namespace {

std::string DefaultIdentity() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device rd;
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", rd());
  return std::string(host[0] != '\0' ? host : "prescient") + "_" + suffix;
}

Result<k8s::RestConfig> LoadRestConfig(const RunOptions& o) {
  const bool in_cluster = o.kubeconfig.empty() && std::getenv("KUBECONFIG") == nullptr &&
                          std::getenv("KUBERNETES_SERVICE_HOST") != nullptr;
  if (in_cluster) return k8s::InClusterConfig();
  k8s::KubeConfigOptions k;
  if (!o.kubeconfig.empty()) k.files = {o.kubeconfig};
  k.context = o.context;
  return k8s::LoadKubeConfig(k);
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

}  // namespace

Status RunController(const RunOptions& o, std::ostream& out) {
  if (o.policies.empty()) return InvalidArgumentError("--policy: at least one file or directory");
  if (o.interval < Duration(1)) return InvalidArgumentError("--interval: must be at least 1s");
  std::optional<HostPort> listen;
  if (!o.metrics_listen.empty()) {
    PRESCIENT_ASSIGN_OR_RETURN(listen, ParseHostPort(o.metrics_listen, "--metrics-listen"));
  }
  k8s::LeaderElectionConfig election{
      .lease_namespace = o.lease_namespace,
      .lease_name = o.lease_name,
      .identity = o.identity.empty() ? DefaultIdentity() : o.identity,
      .lease_duration = Millis(o.lease_seconds),
      .renew_deadline = Millis(o.renew_seconds),
      .retry_period = Millis(o.retry_seconds)};
  const bool elect = o.leader_elect && !o.once;
  if (elect) PRESCIENT_RETURN_IF_ERROR(ValidateLeaderElectionConfig(election));

  const std::vector<Result<controller::PolicySpec>> specs = controller::LoadPolicies(o.policies);
  PRESCIENT_ASSIGN_OR_RETURN(k8s::RestConfig rest, LoadRestConfig(o));
  PRESCIENT_ASSIGN_OR_RETURN(std::unique_ptr<k8s::RestClient> kube, k8s::RestClient::Create(rest));
  // The elector's requests must end well within the renew deadline, and are not retried
  // (the elector retries on its own period).
  k8s::RestClientOptions quick;
  quick.backoff.max_attempts = 1;
  quick.request_timeout =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(election.renew_deadline / 2));
  PRESCIENT_ASSIGN_OR_RETURN(std::unique_ptr<k8s::RestClient> lease_client,
                             k8s::RestClient::Create(std::move(rest), quick));
  prom::PrometheusClient prometheus(o.prometheus);
  SystemClock clock;
  std::unique_ptr<storage::AuditLog> audit;
  if (!o.audit_db.empty()) {
    PRESCIENT_ASSIGN_OR_RETURN(audit, storage::AuditLog::Open(o.audit_db));
    // A crash between the record and the change: the next pass re-reads the cluster.
    PRESCIENT_ASSIGN_OR_RETURN(const int interrupted,
                               audit->MarkInterrupted(clock.Now(), "controller restarted"));
    if (interrupted > 0) {
      out << "audit: " << interrupted
          << " change(s) left unfinished by a crash marked interrupted\n";
    }
  }

  // Signals go to one waiting thread, not to whichever thread is running.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  controller::ControllerMetrics exported;
  std::unique_ptr<k8s::LeaderElector> elector;
  if (elect) elector = std::make_unique<k8s::LeaderElector>(*lease_client, election);
  std::function<bool()> is_leader = [&elector] { return !elector || elector->IsLeader(); };
  controller::Controller controller(specs, *kube, prometheus, clock, audit.get(), exported,
                                    is_leader,
                                    {.dry_run = o.dry_run, .identity = election.identity}, out);
  if (controller.runnable() == 0) {
    return InvalidArgumentError("no policy can run (" + std::to_string(controller.rejected()) +
                                " rejected; see the errors above)");
  }
  if (o.once) {
    const int failed = controller.Pass();
    return failed == 0 ? OkStatus()
                       : UnavailableError(std::to_string(failed) + " of " +
                                          std::to_string(controller.runnable()) +
                                          " policies reported errors");
  }

  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  bool kick = false;  // Run a pass now (leadership was just acquired).

  httplib::Server server;
  // Not cpp-httplib's default SO_REUSEPORT: a second instance on the same port must fail
  // to bind, not share the scrapes.
  server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  std::thread serving;
  if (listen.has_value()) {
    server.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(exported.Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    int port = listen->port;
    if (port == 0) {
      port = server.bind_to_any_port(listen->host);
    } else if (!server.bind_to_port(listen->host, port)) {
      port = -1;
    }
    if (port < 0) {
      return UnavailableError("--metrics-listen: cannot listen on " + o.metrics_listen);
    }
    out << "metrics on http://" << listen->host << ":" << port << "/metrics\n";
    serving = std::thread([&] { server.listen_after_bind(); });
  }
  std::jthread campaign;
  if (elector) {
    elector->OnStartedLeading([&] {
      out << FormatTimestamp(clock.Now()) << " leading as " << election.identity << "\n"
          << std::flush;
      std::lock_guard lock(mu);
      kick = true;
      wake.notify_all();
    });
    elector->OnStoppedLeading([&] {
      out << FormatTimestamp(clock.Now()) << " stopped leading\n" << std::flush;
    });
    elector->OnNewLeader([&](const std::string& who) {
      if (who != election.identity) {
        out << FormatTimestamp(clock.Now()) << " leader is " << who << "\n" << std::flush;
      }
    });
    campaign = std::jthread([&](std::stop_token stop) { elector->Run(stop); });
  }
  web::MemorySource dashboard("controller");
  ControllerFeed feed(dashboard, audit.get());
  feed.AfterPass(controller, clock.Now());  // The services and past audit records at once.
  Result<std::unique_ptr<web::DashboardServer>> web_server =
      StartDashboard(o.web, dashboard, /*bind_failure_fatal=*/false, out);
  if (!web_server.ok()) return web_server.status();
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::lock_guard lock(mu);
    stopping = true;
    wake.notify_all();
  });
  out << "running " << controller.runnable() << " policies as " << election.identity
      << (o.dry_run ? " (dry run)" : "") << "\n"
      << std::flush;

  std::unique_lock lock(mu);
  while (!stopping) {
    lock.unlock();
    controller.Pass();
    feed.AfterPass(controller, clock.Now());
    lock.lock();
    // Passes on interval boundaries of the wall clock, so instances and restarts agree.
    const auto now = std::chrono::system_clock::now();
    const auto step = std::chrono::duration_cast<std::chrono::system_clock::duration>(o.interval);
    const auto next = now - (now.time_since_epoch() % step) + step;
    wake.wait_until(lock, next, [&] { return stopping || kick; });
    kick = false;
  }
  lock.unlock();
  waiter.join();
  if (campaign.joinable()) {
    campaign.request_stop();
    campaign.join();  // Releases the lease.
  }
  if (serving.joinable()) {
    server.stop();
    serving.join();
  }
  if (*web_server != nullptr) (*web_server)->Stop();
  out << "stopped\n" << std::flush;
  return OkStatus();
}

}  // namespace prescient::app
