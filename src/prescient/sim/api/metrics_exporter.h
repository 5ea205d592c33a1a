// MetricsExporter: the simulated cluster's /metrics in the Prometheus text exposition
// format 0.0.4, namespace "default": kube-state-metrics v2 families for Deployments,
// ReplicaSets, Pods, Nodes and HPAs (names and labels as upstream), the workload's
// http_requests_total and http_request_duration_seconds, cAdvisor's per-container CPU
// and memory, and the simulator's own gauges (prescient_sim_*).
//
// Rate convention: the simulation runs `speed` times faster than wall time, but
// Prometheus stamps samples with the wall time of the scrape. Counters (histogram
// buckets included) therefore advance by the simulated increments divided by the
// speed, so rate() over wall time reads the simulated per-second rate whatever the
// speed: rate(http_requests_total[1m]) is the simulated requests/s and
// rate(container_cpu_usage_seconds_total[1m]) the simulated cores. Gauges carry the
// simulated values as they are (prescient_sim_time_seconds is the simulated clock).
//
// Thread-safe: Observe (called under the cluster's lock after each step) and Text (from
// HTTP threads) take the exporter's own lock; Observe copies what Text needs, so Text
// never reads the simulator. Tested by metrics_exporter_test.cc.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "prescient/sim/simulator.h"

namespace prescient::sim::api {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// What a pod uses now (the model in metrics_exporter.cc's opening comment), for
// /metrics and for metrics.k8s.io (`kubectl top`). `service`: the index of the service
// whose app the pod belongs to, or -1.
struct PodUsage {
  double cpu_cores = 0;
  double memory_bytes = 0;
};
PodUsage UsageOf(const Simulator& sim, const Pod& pod, int service);
// Per deployment id, the index of the service whose app it is, or -1.
std::vector<int> ServiceOfDeployments(const Simulator& sim);

class MetricsExporter {
 public:
  // `speed`: simulated seconds per wall second (> 0).
  explicit MetricsExporter(double speed);
  ~MetricsExporter();
  MetricsExporter(const MetricsExporter&) = delete;
  MetricsExporter& operator=(const MetricsExporter&) = delete;

  // Folds what the simulator did since the previous call into the counters and keeps a
  // snapshot of its objects for Text(). The first call only sets the counters' baseline.
  void Observe(const Simulator& sim);
  // The exposition of the last observed state (empty families before any Observe).
  std::string Text() const;

 private:
  struct State;
  const double speed_;
  mutable std::mutex mu_;
  std::unique_ptr<State> state_;
};

}  // namespace prescient::sim::api
