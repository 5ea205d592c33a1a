// ServiceModel: what a service's users see, tick by tick, given its request rate and how
// many pods are ready: requests served, failed and slower than the SLO, the latency
// distribution (queueing.h), and the CPU utilisation the pods report (what the HPA
// reads). MinuteAccumulator folds ticks into the per-minute figures SLOs are judged on.
// Thread-compatible. Tested by workload_test.cc.
#pragma once

#include <span>
#include <vector>

#include "prescient/sim/queueing.h"

namespace prescient::sim {

inline constexpr double kDefaultBaseLatencySeconds = 0.05;
inline constexpr double kDefaultRequestTimeoutSeconds = 10;
inline constexpr double kDefaultIdleCpuFraction = 0.05;
struct WorkloadOptions {
  // Requests/s one pod serves with its p99 latency at the SLO (MISSION.md's
  // pod_capacity_rps: the rate past which p99 exceeds the SLO). The pod's saturation
  // throughput (100% of its CPU request) is derived from it: see ServiceModel.
  double capacity_rps = 100;
  double slo_p99_s = 0.5;
  double base_latency_s = kDefaultBaseLatencySeconds;        // Latency of an idle pod.
  double request_timeout_s = kDefaultRequestTimeoutSeconds;  // Longer waits fail.
  double idle_cpu_fraction = kDefaultIdleCpuFraction;        // CPU used with no traffic.
};

struct TickOutcome {
  double arrived = 0;
  double served = 0;
  double failed = 0;
  double over_slo = 0;         // Served, but slower than the latency SLO.
  LatencyTail tail;            // Of the served requests.
  double cpu_utilization = 0;  // Per ready pod, as a fraction of its CPU request.
};

class ServiceModel {
 public:
  // Solves for the saturation throughput at which the M/M/k model's p99 at capacity_rps
  // equals slo_p99_s (base_latency_s < slo_p99_s; otherwise the pod is taken to saturate
  // at twice its capacity).
  explicit ServiceModel(WorkloadOptions options);
  const WorkloadOptions& options() const { return options_; }
  // The pod's concurrency k = saturation throughput x base latency, at least 1.
  int servers_per_pod() const { return servers_; }
  double saturation_rps() const { return saturation_rps_; }

  TickOutcome Step(double rate_rps, int ready_pods, double dt_s, double slo_latency_s);
  double backlog() const { return backlog_; }

 private:
  WorkloadOptions options_;
  double saturation_rps_ = 0;
  int servers_ = 1;
  double backlog_ = 0;  // Requests waiting beyond capacity.
};

struct MinuteStats {
  double load_rps = 0;
  double p50_s = 0;
  double p99_s = 0;
  double arrived = 0;
  double failed = 0;
  double over_slo = 0;
  double error_rate = 0;
  double cpu_utilization = 0;  // Mean over the minute's ticks with a ready pod.
};

class MinuteAccumulator {
 public:
  void Add(const TickOutcome& tick, double dt_s);
  // A tick whose served requests had different latencies by part (some served in a
  // degraded zone): served[i] requests with tails[i]; tick.tail is not used.
  void Add(const TickOutcome& tick, double dt_s, std::span<const LatencyTail> tails,
           std::span<const double> served);
  // The minute's figures; resets for the next one.
  MinuteStats Finish();

 private:
  std::vector<LatencyTail> tails_;
  std::vector<double> weights_;
  double seconds_ = 0, arrived_ = 0, failed_ = 0, over_ = 0, cpu_ = 0;
  int cpu_ticks_ = 0;
};

}  // namespace prescient::sim
