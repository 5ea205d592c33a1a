// The Simulator end to end: validation in Create, the HPA holding a steady load inside
// the SLO, scale-up with node provisioning, the ScalingTarget controls (HPA minimum,
// placeholder pause pods and their preemption), determinism per seed, spot interruptions.
// Every run is hours of simulated time and milliseconds of real time.

#include "prescient/sim/simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "prescient/core/series.h"
#include "prescient/core/status.h"
#include "prescient/sim/workload.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};  // A whole minute.

Timestamp Minute(int m) { return kT0 + Duration(60 * int64_t{m}); }

// A trace of `rps` per one-minute bucket.
LoadTrace RateTrace(const std::vector<double>& rps) {
  std::vector<double> counts;
  counts.reserve(rps.size());
  for (double r : rps) counts.push_back(r * 60);
  Result<LoadTrace> t = LoadTrace::FromCounts(Series(kT0, Duration(60), std::move(counts)), "test");
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::move(t).value();
}

LoadTrace Constant(double rps, int minutes) {
  return RateTrace(std::vector<double>(static_cast<size_t>(minutes), rps));
}

// `before` rps for `step_minute` minutes, then `after`.
LoadTrace Step(double before, double after, int step_minute, int minutes) {
  std::vector<double> rps(static_cast<size_t>(minutes), after);
  std::fill(rps.begin(), rps.begin() + step_minute, before);
  return RateTrace(rps);
}

ServiceSpec Service(LoadTrace trace, int initial_replicas = 2) {
  ServiceSpec s;
  s.name = "web";
  s.trace = std::move(trace);
  s.initial_replicas = initial_replicas;
  s.hpa_spec.max_replicas = 50;
  return s;
}

std::unique_ptr<Simulator> Make(std::vector<ServiceSpec> services, SimulatorOptions o = {}) {
  Result<std::unique_ptr<Simulator>> sim = Simulator::Create(o, std::move(services), kT0);
  EXPECT_TRUE(sim.ok()) << sim.status().message();
  return std::move(sim).value();
}

std::unique_ptr<Simulator> Make(ServiceSpec service, SimulatorOptions o = {}) {
  std::vector<ServiceSpec> v;
  v.push_back(std::move(service));
  return Make(std::move(v), std::move(o));
}

double SaturationRps() {
  WorkloadOptions w;
  w.slo_p99_s = kDefaultSloP99Seconds;
  return ServiceModel(w).saturation_rps();
}

// The HPA's steady state for `rps`: ceil(load / (saturation x 70%)).
int ExpectedReplicas(double rps) {
  return static_cast<int>(std::ceil(rps / (SaturationRps() * 0.7)));
}

DeploymentId PlaceholderOf(const Simulator& sim) {
  const auto& d = sim.cluster().deployments();
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i].placeholder) return static_cast<DeploymentId>(i);
  }
  ADD_FAILURE() << "no placeholder deployment";
  return 0;
}

DeploymentId AppOf(const Simulator& sim) {
  const auto& d = sim.cluster().deployments();
  for (size_t i = 0; i < d.size(); ++i) {
    if (!d[i].placeholder) return static_cast<DeploymentId>(i);
  }
  ADD_FAILURE() << "no app deployment";
  return 0;
}

int Bound(const Simulator& sim, DeploymentId d) {
  int n = 0;
  for (const Pod& p : sim.cluster().pods())
    n += (p.deployment == d && p.Active() && p.node != kNoNode) ? 1 : 0;
  return n;
}

// --- Create ---

TEST(SimulatorTest, CreateRejectsBadInput) {
  auto code = [](SimulatorOptions o, std::vector<ServiceSpec> services) {
    return Simulator::Create(std::move(o), std::move(services), kT0).status().code();
  };
  auto one = [](ServiceSpec s) {
    std::vector<ServiceSpec> v;
    v.push_back(std::move(s));
    return v;
  };
  EXPECT_EQ(code({}, {}), StatusCode::kInvalidArgument);
  for (const int tick : {0, -10, 7, 25, 45, 120}) {
    SimulatorOptions o;
    o.tick = Duration(tick);
    EXPECT_EQ(code(o, one(Service(Constant(10, 10)))), StatusCode::kInvalidArgument) << tick;
  }
  for (const int tick : {1, 5, 15, 30, 60}) {
    SimulatorOptions o;
    o.tick = Duration(tick);
    EXPECT_TRUE(Simulator::Create(o, one(Service(Constant(10, 10))), kT0).ok()) << tick;
  }
  for (const double capacity : {0.0, -5.0, std::nan("")}) {
    ServiceSpec s = Service(Constant(10, 10));
    s.workload.capacity_rps = capacity;
    const Result<std::unique_ptr<Simulator>> r = Simulator::Create({}, one(std::move(s)), kT0);
    ASSERT_FALSE(r.ok()) << capacity;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("web"), std::string::npos) << r.status().message();
  }
  ServiceSpec slow = Service(Constant(10, 10));
  slow.workload.base_latency_s = 0.5;  // Not below the 0.5 s SLO.
  EXPECT_EQ(code({}, one(std::move(slow))), StatusCode::kInvalidArgument);
  SimulatorOptions no_zone;
  no_zone.cluster.zones.clear();
  EXPECT_EQ(code(no_zone, one(Service(Constant(10, 10)))), StatusCode::kInvalidArgument);
}

TEST(SimulatorTest, CreateStartsWarmOnAWholeMinute) {
  ServiceSpec s = Service(Constant(100, 30), /*initial_replicas=*/3);
  Result<std::unique_ptr<Simulator>> r = Simulator::Create(
      {},
      [&] {
        std::vector<ServiceSpec> v;
        v.push_back(std::move(s));
        return v;
      }(),
      kT0 + Duration(42));
  ASSERT_TRUE(r.ok());
  Simulator& sim = **r;
  EXPECT_EQ(sim.Now(), kT0);
  EXPECT_EQ(sim.service_count(), 1);
  EXPECT_EQ(sim.target(0).Replicas(), 3);
  EXPECT_EQ(sim.target(0).ReadyReplicas(), 3);
  EXPECT_GE(sim.LiveNodes(), 1);
  for (const Node& n : sim.cluster().nodes()) EXPECT_TRUE(n.ready);
  EXPECT_EQ(Bound(sim, PlaceholderOf(sim)), 0);
}

// --- The HPA at work ---

TEST(SimulatorTest, SteadyLoadStaysWithinSloNearTheHpaTarget) {
  const double rps = 600;
  const int expected = ExpectedReplicas(rps);
  ASSERT_GE(expected, 3);
  auto sim = Make(Service(Constant(rps, 90), /*initial_replicas=*/2));
  sim->RunUntil(Minute(15));  // Warm-up: the HPA climbs from 2.
  sim->StartScoring();
  sim->RunUntil(Minute(75));
  const ServiceTotals& t = sim->totals(0);
  EXPECT_EQ(t.minutes, 60);
  EXPECT_EQ(t.slo_violation_minutes, 0);
  EXPECT_EQ(t.failed_requests, 0);
  EXPECT_NEAR(t.requests, rps * 3600, 1e-6 * rps * 3600);
  EXPECT_LT(t.slow_requests, 0.01 * t.requests);
  ASSERT_EQ(sim->minutes(0).size(), 60u);
  for (const MinuteRecord& r : sim->minutes(0)) {
    EXPECT_GE(r.replicas, expected - 1) << FormatTimestamp(r.time);
    EXPECT_LE(r.replicas, expected + 1) << FormatTimestamp(r.time);
    EXPECT_EQ(r.ready, r.replicas) << FormatTimestamp(r.time);
    EXPECT_FALSE(r.slo_violation);
    EXPECT_NEAR(r.stats.load_rps, rps, 1e-6);
    EXPECT_LE(r.stats.p99_s, kDefaultSloP99Seconds);
    // The HPA aims at 70% CPU, within its 10% tolerance.
    EXPECT_GT(r.stats.cpu_utilization, 0.5);
    EXPECT_LT(r.stats.cpu_utilization, 0.7 * 1.1 + 1e-9);
  }
  EXPECT_LE(t.scale_events, 2);  // Steady: the replica count settles.
  EXPECT_GT(t.pod_seconds, 0);
  EXPECT_NEAR(t.pod_seconds, 3600.0 * sim->minutes(0).back().replicas, 3600.0 * 2);
  EXPECT_GT(sim->cluster_totals().cost_usd, 0);
  EXPECT_GE(sim->cluster_totals().node_seconds, 3600.0);
}

TEST(SimulatorTest, StepUpScalesReplicasThenNodesAfterTheProvisioningDelay) {
  // The rate is interpolated between bucket centres, so it starts rising at step - 30 s.
  const int step = 30;
  auto sim = Make(Service(Step(200, 800, step, 60), /*initial_replicas=*/ExpectedReplicas(200)));
  sim->StartScoring();
  sim->RunUntil(Minute(step - 1));
  const int before = sim->target(0).Replicas();
  const int nodes_before = sim->LiveNodes();
  const int64_t launched_before = sim->cluster().counters().nodes_launched;
  EXPECT_EQ(sim->totals(0).slo_violation_minutes, 0);

  // The HPA reacts within a few minutes (upstream's HPA then waits for the new pods to
  // turn Ready before it adds more: unready pods count as idle on a scale-up).
  sim->RunUntil(Minute(step + 3));
  EXPECT_GT(sim->target(0).Replicas(), before);
  EXPECT_GT(sim->cluster().counters().nodes_launched, launched_before);

  sim->RunUntil(Minute(step + 25));
  EXPECT_GE(sim->target(0).Replicas(), ExpectedReplicas(800) - 1);
  EXPECT_EQ(sim->target(0).ReadyReplicas(), sim->target(0).Replicas());
  EXPECT_GT(sim->LiveNodes(), nodes_before);

  // Every node launched for the step was billed from launch and turned Ready only after
  // the provisioning delay; pods ran on it only after it was Ready.
  int new_nodes = 0;
  for (const Node& n : sim->cluster().nodes()) {
    if (n.launched_at < Minute(step)) continue;
    ++new_nodes;
    const Duration delay = n.ready_at - n.launched_at;
    EXPECT_GE(delay, kDefaultProvisionMin) << n.name;
    EXPECT_LE(delay, kDefaultProvisionMax) << n.name;
  }
  EXPECT_GT(new_nodes, 0);
  for (const Pod& p : sim->cluster().pods()) {
    // Pods of the warm start are back-dated; the others started on a Ready node.
    if (p.node == kNoNode || !p.started_at.has_value() || *p.started_at < kT0) continue;
    EXPECT_GE(*p.started_at, sim->cluster().node(p.node).ready_at) << p.name;
  }

  // The transition costs some minutes, then the SLO holds again.
  const auto& records = sim->minutes(0);
  ASSERT_EQ(records.size(), static_cast<size_t>(step + 25));
  for (size_t i = 0; i + 1 < static_cast<size_t>(step); ++i)
    EXPECT_FALSE(records[i].slo_violation) << i;
  EXPECT_TRUE(records[static_cast<size_t>(step)].slo_violation);
  for (size_t i = static_cast<size_t>(step + 18); i < records.size(); ++i) {
    EXPECT_FALSE(records[i].slo_violation) << i;
  }
  // The records show the climb.
  EXPECT_EQ(records[static_cast<size_t>(step - 2)].replicas, before);
  EXPECT_GT(records[static_cast<size_t>(step + 2)].replicas, before);
  EXPECT_GT(sim->totals(0).scale_events, 1);
}

TEST(SimulatorTest, ReplicasFollowTheLoadDownAndEmptyNodesGo) {
  // Up at minute 10 (new nodes join), down at minute 40 (they empty and are removed).
  std::vector<double> rps(80, 100);
  std::fill(rps.begin() + 10, rps.begin() + 40, 800);
  auto sim = Make(Service(RateTrace(rps), /*initial_replicas=*/ExpectedReplicas(100)));
  sim->RunUntil(Minute(40));
  const int high = sim->target(0).Replicas();
  const int high_nodes = sim->LiveNodes();
  ASSERT_GE(high, ExpectedReplicas(800) - 1);
  ASSERT_GT(high_nodes, 1);
  sim->RunUntil(Minute(44));
  EXPECT_EQ(sim->target(0).Replicas(), high);  // Held by the 5-minute window.
  sim->RunUntil(Minute(60));
  EXPECT_LT(sim->target(0).Replicas(), high);
  EXPECT_LE(sim->target(0).Replicas(), ExpectedReplicas(100) + 1);
  sim->RunUntil(Minute(70));
  EXPECT_GT(sim->cluster().counters().nodes_consolidated, 0);
  EXPECT_LT(sim->LiveNodes(), high_nodes);
  // No empty node is kept.
  for (const Node& n : sim->cluster().nodes()) {
    if (!n.deleted) {
      EXPECT_GT(n.pod_count, 0) << n.name;
    }
  }
}

// --- ScalingTarget controls ---

TEST(SimulatorTest, SetHpaMinReplicasRaisesReplicasAtTheNextSync) {
  auto sim = Make(Service(Constant(50, 60), /*initial_replicas=*/2));
  sim->RunUntil(Minute(10));
  scaling::ScalingTarget& target = sim->target(0);
  const int low = target.Replicas();
  EXPECT_LE(low, 2);
  EXPECT_EQ(target.HpaMinReplicas(), 1);
  ASSERT_TRUE(target.SetHpaMinReplicas(6).ok());
  EXPECT_EQ(target.HpaMinReplicas(), 6);
  EXPECT_EQ(target.Replicas(), low);  // Only the HPA's next sync acts on it.
  sim->RunUntil(sim->Now() + scaling::HpaOptions{}.sync_period + Duration(10));
  EXPECT_EQ(target.Replicas(), 6);
  sim->RunUntil(sim->Now() + Duration(600));
  EXPECT_EQ(target.ReadyReplicas(), 6);
  EXPECT_EQ(target.Replicas(), 6);  // Held at the minimum despite the low load.

  // Clamped to maxReplicas (50 here), and a minimum of 1.
  ASSERT_TRUE(target.SetHpaMinReplicas(1000).ok());
  EXPECT_EQ(target.HpaMinReplicas(), 50);
  ASSERT_TRUE(target.SetHpaMinReplicas(0).ok());
  EXPECT_EQ(target.HpaMinReplicas(), 1);
}

TEST(SimulatorTest, ScalingTargetWithoutHpa) {
  ServiceSpec s = Service(Constant(50, 60), /*initial_replicas=*/3);
  s.hpa = false;
  auto sim = Make(std::move(s));
  scaling::ScalingTarget& target = sim->target(0);
  EXPECT_FALSE(target.HasHpa());
  EXPECT_EQ(target.HpaMinReplicas(), 0);
  EXPECT_EQ(target.SetHpaMinReplicas(5).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(target.SetReplicas(-1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(target.SetPlaceholderReplicas(-1).code(), StatusCode::kInvalidArgument);
  sim->RunUntil(Minute(20));
  EXPECT_EQ(target.Replicas(), 3);  // Nothing scales it.
  ASSERT_TRUE(target.SetReplicas(5).ok());
  sim->RunUntil(Minute(30));
  EXPECT_EQ(target.Replicas(), 5);
  EXPECT_EQ(target.ReadyReplicas(), 5);
}

TEST(SimulatorTest, LoadHistoryIsPerMinuteAndNeverTheFuture) {
  auto sim = Make(Service(Step(100, 300, 20, 60)));
  sim->RunUntil(Minute(25) + Duration(30));
  const Series h = sim->target(0).LoadHistory(Duration(600));
  EXPECT_EQ(h.step(), Duration(60));
  EXPECT_EQ(h.start(), Minute(15));
  ASSERT_EQ(h.size(), 10u);
  EXPECT_EQ(h.end(), Minute(25));
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(h[i], 100, 1e-9) << i;
  // Minutes 19 and 20 hold the ramp between the 100 and 300 buckets' centres.
  EXPECT_GT(h[4], 100);
  EXPECT_LT(h[4], 200);
  EXPECT_GT(h[5], 200);
  EXPECT_LT(h[5], 300);
  for (size_t i = 6; i < 10; ++i) EXPECT_NEAR(h[i], 300, 1e-9) << i;
}

TEST(SimulatorTest, PlaceholdersHoldNodesAndArePreemptedByRealPods) {
  const int step = 15;
  auto sim = Make(Service(Step(100, 400, step, 45), /*initial_replicas=*/2));
  ASSERT_TRUE(sim->target(0).SetPlaceholderReplicas(4).ok());
  sim->StartScoring();
  sim->RunUntil(Minute(step));
  const DeploymentId pause = PlaceholderOf(*sim);
  const DeploymentId app = AppOf(*sim);
  ASSERT_EQ(sim->target(0).Replicas(), 2);
  EXPECT_EQ(Bound(*sim, pause), 4);  // Holding warm nodes.
  EXPECT_GT(sim->totals(0).placeholder_pod_seconds, 0);
  EXPECT_EQ(sim->cluster().counters().pods_preempted, 0);
  for (const Pod& p : sim->cluster().pods()) {
    if (p.deployment == pause) {
      EXPECT_EQ(p.spec.priority, kPlaceholderPriority);
      EXPECT_EQ(p.spec.termination_grace_seconds, 0);
    }
  }
  EXPECT_EQ(sim->minutes(0).back().placeholders, 4);

  // Tick by tick until the HPA raises replicas; the new pods bind on the next tick by
  // preempting pause pods, long before any node launched now could be Ready.
  const Timestamp limit = Minute(step + 5);
  while (sim->target(0).Replicas() == 2 && sim->Now() < limit)
    sim->RunUntil(sim->Now() + Duration(10));
  const int replicas = sim->target(0).Replicas();
  ASSERT_GT(replicas, 2);
  ASSERT_LE(replicas - 2, 4);
  const Timestamp scaled = sim->Now();
  sim->RunUntil(scaled + Duration(10));
  EXPECT_EQ(Bound(*sim, app), replicas);
  EXPECT_GE(sim->cluster().counters().pods_preempted, replicas - 2);
  for (const Pod& p : sim->cluster().pods()) {
    if (p.deployment != app || p.node == kNoNode) continue;
    EXPECT_LT(sim->cluster().node(p.node).launched_at, Minute(step)) << p.name;
  }
  // The evicted pause pods come back and get a node of their own.
  sim->RunUntil(scaled + Duration(600));
  EXPECT_EQ(Bound(*sim, pause), 4);
}

TEST(SimulatorTest, PlaceholdersShortenTheScaleUp) {
  // The same step with and without warm capacity: with it, the added pods start at once
  // instead of waiting for a node.
  auto run = [](int placeholders) {
    auto sim = Make(Service(Step(100, 400, 15, 45), /*initial_replicas=*/2));
    EXPECT_TRUE(sim->target(0).SetPlaceholderReplicas(placeholders).ok());
    sim->RunUntil(Minute(15));
    Timestamp t = sim->Now();
    while (sim->target(0).ReadyReplicas() < 4 && t < Minute(30)) {
      sim->RunUntil(t + Duration(10));
      t = sim->Now();
    }
    return t - Minute(15);
  };
  const Duration warm = run(6), cold = run(0);
  EXPECT_LT(warm + Duration(60), cold) << warm.count() << " s vs " << cold.count() << " s";
}

// --- Determinism ---

struct Fingerprint {
  std::vector<double> numbers;
  bool operator==(const Fingerprint&) const = default;
};

Fingerprint RunScenario(uint64_t seed) {
  SimulatorOptions o;
  o.seed = seed;
  o.cluster.use_spot = true;
  o.cluster.spot_interruptions_per_hour = 0.5;
  std::vector<double> rps;
  for (int m = 0; m < 240; ++m) rps.push_back(300 + 250 * std::sin(m / 20.0));
  auto sim = Make(Service(RateTrace(rps), 4), o);
  EXPECT_TRUE(sim->target(0).SetPlaceholderReplicas(2).ok());
  sim->RunUntil(Minute(10));
  sim->StartScoring();
  sim->RunUntil(Minute(240));
  Fingerprint f;
  const ServiceTotals& t = sim->totals(0);
  f.numbers = {static_cast<double>(t.minutes),
               static_cast<double>(t.slo_violation_minutes),
               t.requests,
               t.failed_requests,
               t.slow_requests,
               t.pod_seconds,
               t.placeholder_pod_seconds,
               static_cast<double>(t.scale_events),
               t.cpu_utilization_sum,
               static_cast<double>(t.cpu_minutes),
               sim->cluster_totals().node_seconds,
               sim->cluster_totals().cost_usd,
               static_cast<double>(sim->cluster_totals().peak_nodes)};
  const ClusterCounters& c = sim->cluster().counters();
  for (int64_t v : {c.nodes_launched, c.nodes_consolidated, c.spot_interruptions, c.pods_created,
                    c.pods_preempted, c.evictions_refused}) {
    f.numbers.push_back(static_cast<double>(v));
  }
  for (const MinuteRecord& r : sim->minutes(0)) {
    const MinuteStats& s = r.stats;
    f.numbers.insert(f.numbers.end(),
                     {static_cast<double>(r.time.time_since_epoch().count()), s.load_rps, s.p50_s,
                      s.p99_s, s.arrived, s.failed, s.over_slo, s.error_rate, s.cpu_utilization,
                      static_cast<double>(r.replicas), static_cast<double>(r.ready),
                      static_cast<double>(r.hpa_min), static_cast<double>(r.placeholders),
                      r.slo_violation ? 1.0 : 0.0});
  }
  return f;
}

TEST(SimulatorTest, SameSeedSameRunDifferentSeedDifferentRun) {
  const Fingerprint a = RunScenario(42), b = RunScenario(42), c = RunScenario(43);
  ASSERT_EQ(a.numbers.size(), b.numbers.size());
  for (size_t i = 0; i < a.numbers.size(); ++i) {
    // Bit for bit, NaN-free: EXPECT_EQ on doubles on purpose.
    EXPECT_EQ(a.numbers[i], b.numbers[i]) << i;
  }
  EXPECT_FALSE(a == c);
}

// --- Spot ---

TEST(SimulatorTest, SpotInterruptionsAreCountedAndReclaimNodes) {
  SimulatorOptions o;
  o.seed = 3;
  o.cluster.use_spot = true;
  o.cluster.spot_interruptions_per_hour = 2;
  auto sim = Make(Service(Constant(800, 180), ExpectedReplicas(800)), o);
  sim->StartScoring();
  sim->RunUntil(Minute(180));
  const ClusterState& c = sim->cluster();
  EXPECT_GT(c.counters().spot_interruptions, 0);
  int noticed = 0;
  for (const Node& n : c.nodes()) {
    EXPECT_EQ(n.capacity_type, CapacityType::kSpot) << n.name;
    EXPECT_NEAR(n.usd_per_hour, kSpotPriceFraction * n.type->on_demand_usd_per_hour, 1e-12);
    if (!n.interruption_at.has_value()) continue;
    ++noticed;
    EXPECT_TRUE(n.unschedulable) << n.name;
    if (*n.interruption_at <= sim->Now() - Duration(10)) {
      // Reclaimed at the end of the notice (or consolidated earlier, once drained).
      EXPECT_TRUE(n.deleted) << n.name;
      EXPECT_LE(n.deleted_at, *n.interruption_at) << n.name;
    }
  }
  EXPECT_EQ(noticed, c.counters().spot_interruptions);
  // The service survives: the ReplicaSet and the provisioner replace what was lost,
  // though an interruption costs minutes (notice -> new node -> pod start-up).
  int serving = 0;
  for (const MinuteRecord& r : sim->minutes(0)) serving += r.ready > 0 ? 1 : 0;
  EXPECT_GT(serving, 135);
  EXPECT_GT(sim->totals(0).failed_requests, 0);
  EXPECT_LT(sim->totals(0).failed_requests, 0.5 * sim->totals(0).requests);

  // Without spot, no interruption whatever the rate, no failure, and a higher bill.
  SimulatorOptions od = o;
  od.cluster.use_spot = false;
  auto on_demand = Make(Service(Constant(800, 180), ExpectedReplicas(800)), od);
  on_demand->StartScoring();
  on_demand->RunUntil(Minute(180));
  EXPECT_EQ(on_demand->cluster().counters().spot_interruptions, 0);
  EXPECT_EQ(on_demand->totals(0).failed_requests, 0);
  EXPECT_GT(on_demand->cluster_totals().cost_usd, sim->cluster_totals().cost_usd);
}

TEST(SimulatorTest, RunsSeveralServicesOnOneCluster) {
  std::vector<ServiceSpec> services;
  services.push_back(Service(Constant(300, 60), 3));
  ServiceSpec api = Service(Constant(100, 60), 1);
  api.name = "api";
  services.push_back(std::move(api));
  auto sim = Make(std::move(services));
  EXPECT_EQ(sim->service_count(), 2);
  sim->StartScoring();
  sim->RunUntil(Minute(30));
  EXPECT_EQ(sim->totals(0).minutes, 30);
  EXPECT_EQ(sim->totals(1).minutes, 30);
  EXPECT_NEAR(sim->totals(0).requests, 300 * 1800.0, 1e-6 * 300 * 1800);
  EXPECT_NEAR(sim->totals(1).requests, 100 * 1800.0, 1e-6 * 100 * 1800);
  EXPECT_EQ(sim->cluster().deployments().size(), 4u);  // An app and a placeholder each.
}

}  // namespace
}  // namespace prescient::sim
