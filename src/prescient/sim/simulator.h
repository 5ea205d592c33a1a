// Simulator: the simulated cluster in motion. Services (a Deployment, its optional HPA,
// a placeholder Deployment of pause pods, and a request-rate trace) run on nodes that
// a Karpenter-like provisioner launches; each tick the kubelets, the deployment
// controller, the scheduler, the provisioner, the HPA (every sync period) and the
// traffic advance, in that order. Time is the simulator's own and jumps a tick at a
// time, so two weeks replay in about a second. Deterministic for a given seed.
//
// Each service is also a scaling::ScalingTarget, so scaling policies drive it exactly
// as they would drive a real cluster.
// Thread-compatible. Tested by simulator_test.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/clock.h"
#include "prescient/core/result.h"
#include "prescient/core/series.h"
#include "prescient/core/time.h"
#include "prescient/scaling/hpa_controller.h"
#include "prescient/scaling/scaling_target.h"
#include "prescient/sim/cluster.h"
#include "prescient/sim/provisioner.h"
#include "prescient/sim/trace.h"
#include "prescient/sim/workload.h"

namespace prescient::sim {

inline constexpr Duration kDefaultTick{10};
inline constexpr double kDefaultSloP99Seconds = 0.5;  // MISSION.md section 2.
inline constexpr double kDefaultSloErrorRate = 0.01;
inline constexpr int kPlaceholderPriority = -10;  // MISSION.md section 3.

struct SloOptions {
  double p99_s = kDefaultSloP99Seconds;
  double error_rate = kDefaultSloErrorRate;
};

struct ServiceSpec {
  std::string name;
  LoadTrace trace;  // Requests per second, already scaled.
  WorkloadOptions workload;
  PodTemplate pod;
  bool hpa = true;
  scaling::HpaSpec hpa_spec;
  int initial_replicas = 2;
  int pdb_min_available = -1;     // -1: no PodDisruptionBudget.
  std::optional<SloOptions> slo;  // Unset: SimulatorOptions::slo.
};

struct SimulatorOptions {
  Duration tick = kDefaultTick;
  uint64_t seed = 1;
  ClusterOptions cluster;
  SloOptions slo;
  scaling::HpaOptions hpa;
  bool record_minutes = true;  // Keep per-minute records (for plots and --output).
};

// A service's autoscaling objects, as the API shows them.
struct ServiceView {
  std::string name;
  DeploymentId deployment = 0;
  bool hpa = false;
  scaling::HpaSpec hpa_spec;
  int cpu_utilization_percent = 0;  // What metrics-server reports now (mean of ready pods).
  int pdb_min_available = -1;
};

// One service, one minute.
struct MinuteRecord {
  Timestamp time;
  MinuteStats stats;
  int replicas = 0;  // spec.replicas at the end of the minute.
  int ready = 0;
  int hpa_min = 0;
  int placeholders = 0;
  bool slo_violation = false;
};

// Totals over the scored part of the run.
struct ServiceTotals {
  int64_t minutes = 0;
  int64_t slo_violation_minutes = 0;
  double requests = 0;
  double failed_requests = 0;
  double slow_requests = 0;  // Served slower than the latency SLO.
  double pod_seconds = 0;    // Scheduled pods of the service (start-up included).
  double placeholder_pod_seconds = 0;
  int64_t scale_events = 0;        // Changes of spec.replicas.
  double cpu_utilization_sum = 0;  // Over minutes with traffic.
  int64_t cpu_minutes = 0;
};

// A service's traffic since the run began, warm-up included (ServiceTotals count only
// the scored part), for exporters that turn it into counters.
struct TrafficCounters {
  double arrived = 0;
  double served = 0;
  double failed = 0;
  double over_slo = 0;
};

struct ClusterTotals {
  double node_seconds = 0;
  double cost_usd = 0;
  int peak_nodes = 0;
};

class Simulator {
 public:
  // InvalidArgument for an empty service list, a non-positive capacity or tick, or a
  // tick that does not divide a minute.
  static Result<std::unique_ptr<Simulator>> Create(SimulatorOptions options,
                                                   std::vector<ServiceSpec> services,
                                                   Timestamp start);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Timestamp Now() const { return clock_.Now(); }
  // The simulation's clock, for components that take a Clock (it jumps a tick at a time).
  const Clock& clock() const { return clock_; }
  Duration tick() const { return options_.tick; }
  // Advances tick by tick until Now() >= t.
  void RunUntil(Timestamp t);
  // Totals count from here on (what came before was warm-up).
  void StartScoring();

  int service_count() const { return static_cast<int>(services_.size()); }
  scaling::ScalingTarget& target(int service);
  const scaling::ScalingTarget& target(int service) const;
  const ServiceTotals& totals(int service) const;
  ServiceView view(int service) const;
  // The HPA's spec (InvalidArgument unless 1 <= min <= max) and the PDB's minAvailable
  // (-1: none), as API writes change them.
  Status SetHpaSpec(int service, const scaling::HpaSpec& hpa);
  Status SetPdbMinAvailable(int service, int min_available);
  const std::vector<MinuteRecord>& minutes(int service) const;
  // The last minute closed, scored or not, recorded or not (time 0 before the first).
  const MinuteRecord& last_minute(int service) const;
  const TrafficCounters& traffic(int service) const;
  // The service's last tick (all zero before the first): rate, latency tail, CPU.
  const TickOutcome& last_tick(int service) const;
  const ClusterTotals& cluster_totals() const { return cluster_totals_; }
  const ClusterState& cluster() const { return cluster_; }
  ClusterState& mutable_cluster() { return cluster_; }
  int LiveNodes() const;

 private:
  class Service;
  Simulator(SimulatorOptions options, Timestamp start);
  void Tick();
  void SyncHpas();
  void Account(double dt_s);

  SimulatorOptions options_;
  Timestamp now_;  // Mirrors clock_ (read on every step of the tick).
  ManualClock clock_;
  Timestamp next_hpa_sync_;
  bool scoring_ = false;
  ClusterState cluster_;
  Provisioner provisioner_;
  std::vector<std::unique_ptr<Service>> services_;
  ClusterTotals cluster_totals_;
  std::vector<int> active_, ready_, bound_;  // Per deployment, this tick.
};

}  // namespace prescient::sim
