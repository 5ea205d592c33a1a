#include "prescient/app/sim_serve.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "prescient/app/host_port.h"
#include "prescient/app/scenario_build.h"
#include "prescient/app/sim_feed.h"
#include "prescient/sim/api/api_server.h"
#include "prescient/sim/api/live_cluster.h"
#include "prescient/sim/scenario.h"

namespace prescient::app {
namespace {

// Two users: a bearer token (the current context) and a client certificate
// (context prescient-sim-cert), both trusted by the server; the CA pins the server.
Status WriteKubeconfig(const std::string& path, const std::string& server,
                       const sim::api::TlsMaterial* tls) {
  std::ofstream out(path);
  if (!out) return InvalidArgumentError("--kubeconfig-out: cannot write " + path);
  out << "apiVersion: v1\nkind: Config\nclusters:\n- name: prescient-sim\n  cluster:\n    server: "
      << server << "\n";
  if (tls != nullptr) {
    out << "    certificate-authority-data: " << sim::api::Base64(tls->ca_pem) << "\n";
  }
  out << "contexts:\n- name: prescient-sim\n  context:\n    cluster: prescient-sim\n"
         "    user: prescient\n    namespace: default\n";
  if (tls != nullptr) {
    out << "- name: prescient-sim-cert\n  context:\n    cluster: prescient-sim\n"
           "    user: prescient-cert\n    namespace: default\n";
  }
  out << "current-context: prescient-sim\nusers:\n";
  if (tls != nullptr) {
    out << "- name: prescient\n  user:\n    token: " << tls->token << "\n"
        << "- name: prescient-cert\n  user:\n    client-certificate-data: "
        << sim::api::Base64(tls->client_cert_pem)
        << "\n    client-key-data: " << sim::api::Base64(tls->client_key_pem) << "\n";
  } else {
    out << "- name: prescient\n  user: {}\n";
  }
  if (!out) return InternalError("--kubeconfig-out: write failed for " + path);
  return OkStatus();
}

// The http_requests_total each service would have exported over [start - history,
// start): a sample every 15 simulated seconds, at wall times ending `end`.
Status WriteHistory(const sim::Scenario& scenario, const std::string& path, Duration history,
                    double speed, std::chrono::system_clock::time_point end) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return InvalidArgumentError("--history-out: cannot write " + path);
  out << "# HELP http_requests_total Requests served (the scenario's traces before its start).\n"
         "# TYPE http_requests_total counter\n";
  const double end_s = std::chrono::duration<double>(end.time_since_epoch()).count();
  char line[512];
  for (const sim::ScenarioService& svc : scenario.services) {
    const Timestamp from = std::max(scenario.start - history, svc.spec.trace.start());
    const Series minutes = svc.spec.trace.MinuteRates(from, scenario.start);
    double total = 0;
    for (size_t i = 0; i < minutes.size(); ++i) {
      const double rate = minutes[i];
      // Four samples a minute, as a 15 s scrape would take: rate() over 1m works on them.
      for (int k = 0; k < 4; ++k) {
        const double before_start =
            static_cast<double>((scenario.start - minutes.TimeAt(i)).count()) - 15.0 * k;
        std::snprintf(line, sizeof(line),
                      "http_requests_total{namespace=\"default\",service=\"%s\",code=\"200\"} "
                      "%.17g %.3f\n",
                      svc.spec.name.c_str(), total, end_s - before_start / speed);
        out << line;
        if (!IsMissing(rate)) total += rate * 15 / speed;
      }
    }
  }
  out << "# EOF\n";
  out.close();
  if (!out) return InvalidArgumentError("--history-out: write failed for " + path);
  return OkStatus();
}

}  // namespace

Status RunSimServe(const SimServeOptions& o, std::ostream& out) {
  if (!(o.speed > 0) || !std::isfinite(o.speed))
    return InvalidArgumentError("--speed: must be a number > 0");
  PRESCIENT_ASSIGN_OR_RETURN(const HostPort listen, ParseHostPort(o.listen, "--listen"));
  const std::string& host = listen.host;
  const int port = listen.port;

  PRESCIENT_ASSIGN_OR_RETURN(sim::Scenario scenario, sim::ParseScenarioFile(o.scenario));
  if (!o.trace.empty()) {
    for (sim::ScenarioService& s : scenario.services) {
      s.trace_file = std::filesystem::absolute(o.trace).string();
    }
  }
  if (o.seed.has_value()) scenario.options.seed = *o.seed;
  PRESCIENT_RETURN_IF_ERROR(sim::LoadScenarioTraces(scenario, sim::ScenarioDirectory(o.scenario)));
  if (!o.history_out.empty()) {
    PRESCIENT_RETURN_IF_ERROR(WriteHistory(scenario, o.history_out, o.history, o.speed,
                                           std::chrono::system_clock::now()));
  }
  PRESCIENT_ASSIGN_OR_RETURN(BuiltScenario built, BuildScenario(std::move(scenario)));

  // Signals go to one waiting thread, not to whichever thread is running.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sim::api::LiveCluster cluster(std::move(built.sim), std::move(built.policies), o.speed);
  std::optional<sim::api::TlsMaterial> tls;
  if (!o.insecure_http) {
    PRESCIENT_ASSIGN_OR_RETURN(tls, sim::api::GenerateTls(host));
  }
  sim::api::ApiServer server(cluster, tls.has_value() ? &*tls : nullptr);
  PRESCIENT_ASSIGN_OR_RETURN(const int bound, server.Bind(host, port));
  const std::string url =
      std::string(tls.has_value() ? "https://" : "http://") + host + ":" + std::to_string(bound);
  if (!o.kubeconfig_out.empty()) {
    PRESCIENT_RETURN_IF_ERROR(
        WriteKubeconfig(o.kubeconfig_out, url, tls.has_value() ? &*tls : nullptr));
  }
  // The dashboard: a minute's row per service as each simulated minute closes.
  web::MemorySource dashboard("sim");
  SimFeed feed(dashboard);
  std::vector<Timestamp> fed;
  cluster.AddObserver([&dashboard, &feed, &fed, &cluster](const sim::Simulator& sim) {
    dashboard.SetNow(sim.Now());
    fed.resize(static_cast<size_t>(sim.service_count()));
    const auto& policies = cluster.policies_locked();
    for (int i = 0; i < sim.service_count(); ++i) {
      const sim::MinuteRecord& m = sim.last_minute(i);
      if (m.time == Timestamp{} || m.time <= fed[static_cast<size_t>(i)]) continue;
      fed[static_cast<size_t>(i)] = m.time;
      const auto* policy = static_cast<size_t>(i) < policies.size()
                               ? policies[static_cast<size_t>(i)].get()
                               : nullptr;
      const std::string name = sim.view(i).name;
      web::SloTarget slo;
      feed.AddMinute(name, name, policy != nullptr ? std::string(policy->name()) : "hpa", slo, m,
                     policy != nullptr ? policy->ExpectedLoad() : NAN,
                     policy != nullptr ? policy->ExpectedUpper() : NAN);
      if (i == 0 && m.time.time_since_epoch().count() % 600 == 0) {
        dashboard.SetNodes(ToNodeInfos(sim.cluster(), "default"));
      }
    }
  });
  cluster.Read([&dashboard](const sim::Simulator& sim) {
    dashboard.SetNow(sim.Now());
    dashboard.SetNodes(ToNodeInfos(sim.cluster(), "default"));
    return 0;
  });
  PRESCIENT_ASSIGN_OR_RETURN(std::unique_ptr<web::DashboardServer> web_server,
                             StartDashboard(o.web, dashboard, /*bind_failure_fatal=*/false, out));
  cluster.Start();
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  });
  out << "listening on " << url << std::endl;
  const Status served = server.Serve();
  // Serve() returned on its own (a listen error): wake the waiter.
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  if (web_server != nullptr) web_server->Stop();
  cluster.Stop();
  return served;
}

}  // namespace prescient::app
