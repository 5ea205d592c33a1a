#include "prescient/app/scenario_build.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prescient/metrics/series_csv.h"
#include "prescient/scaling/predictive_policy.h"

namespace prescient::app {
namespace {

constexpr char kDemoScenario[] = PRESCIENT_SOURCE_DIR "/testdata/demo/scenario.yaml";
constexpr char kDemoTrace[] = PRESCIENT_SOURCE_DIR "/testdata/demo/nasa_http_1995_07_1min.csv";

// `prescient sim serve` before scenario files: one hard-coded service "web".
BuiltScenario HardCodedSimServe() {
  constexpr double kCapacityRps = 100;
  constexpr double kPeakPods = 20;
  Result<Series> counts = metrics::ReadSeriesCsv(kDemoTrace);
  PRESCIENT_CHECK(counts.ok());
  Result<sim::LoadTrace> trace = sim::LoadTrace::FromCounts(*counts, kDemoTrace);
  PRESCIENT_CHECK(trace.ok());
  trace->Scale(kPeakPods * kCapacityRps / std::max(1e-9, trace->Quantile(0.99)));
  const Timestamp start = trace->start() + Duration(7 * 86400);
  sim::ServiceSpec spec;
  spec.name = "web";
  spec.trace = std::move(*trace);
  spec.workload.capacity_rps = kCapacityRps;
  spec.hpa_spec.min_replicas = 2;
  spec.hpa_spec.max_replicas = 100;
  spec.initial_replicas = scaling::SteadyHpaReplicas(spec.trace.RateAt(start), kCapacityRps, 0.7);
  spec.pdb_min_available = std::max(1, spec.initial_replicas - 3);
  sim::SimulatorOptions so;
  so.seed = 1;
  so.record_minutes = false;
  Result<std::unique_ptr<sim::Simulator>> sim =
      sim::Simulator::Create(so, {std::move(spec)}, start);
  PRESCIENT_CHECK(sim.ok());
  scaling::PredictiveOptions po;
  po.schedule.capacity_rps = kCapacityRps;
  BuiltScenario b;
  b.sim = std::move(*sim);
  b.policies.push_back(std::make_unique<scaling::PredictivePolicy>(po));
  return b;
}

// What LiveCluster does: each minute the policies tick, then the simulator runs it.
std::vector<std::string> RunMinutes(BuiltScenario& b, int minutes) {
  std::vector<std::string> log;
  for (int m = 0; m < minutes; ++m) {
    for (int i = 0; i < b.sim->service_count(); ++i) {
      EXPECT_TRUE(b.policies[static_cast<size_t>(i)]->Tick(b.sim->target(i)).ok());
    }
    b.sim->RunUntil(b.sim->Now() + Duration(60));
    const sim::ServiceView v = b.sim->view(0);
    const scaling::ScalingTarget& t = b.sim->target(0);
    const auto& c = b.sim->cluster().counters();
    log.push_back(std::to_string(t.Replicas()) + "/" + std::to_string(t.ReadyReplicas()) +
                  " min=" + std::to_string(t.HpaMinReplicas()) +
                  " pdb=" + std::to_string(v.pdb_min_available) +
                  " nodes=" + std::to_string(b.sim->LiveNodes()) + " launched=" +
                  std::to_string(c.nodes_launched) + " pods=" + std::to_string(c.pods_created));
  }
  return log;
}

TEST(ScenarioBuildTest, DefaultScenarioWebAloneIsTheOldHardCodedSimServe) {
  Result<sim::Scenario> s = sim::LoadScenario(kDemoScenario);
  ASSERT_TRUE(s.ok()) << s.status().message();
  s->services.resize(1);  // "web" only, as before.
  Result<BuiltScenario> built = BuildScenario(std::move(*s));
  ASSERT_TRUE(built.ok()) << built.status().message();
  BuiltScenario old = HardCodedSimServe();
  EXPECT_EQ(built->sim->Now(), old.sim->Now());
  EXPECT_EQ(built->policies[0]->name(), "predictive");
  EXPECT_EQ(RunMinutes(*built, 90), RunMinutes(old, 90));
  EXPECT_EQ(built->sim->cluster().nodes().size(), old.sim->cluster().nodes().size());
  for (size_t i = 0; i < old.sim->cluster().nodes().size(); ++i) {
    EXPECT_EQ(built->sim->cluster().nodes()[i].type, old.sim->cluster().nodes()[i].type);
  }
}

TEST(ScenarioBuildTest, DefaultScenarioRunsBothServices) {
  Result<sim::Scenario> s = sim::LoadScenario(kDemoScenario);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Result<BuiltScenario> built = BuildScenario(std::move(*s));
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_EQ(built->sim->service_count(), 2);
  ASSERT_EQ(built->policies.size(), 2u);
  EXPECT_EQ(built->sim->view(1).name, "api");
  EXPECT_EQ(built->policies[1]->name(), "hpa");
  EXPECT_TRUE(built->sim->view(1).hpa);
  EXPECT_EQ(built->sim->view(1).pdb_min_available, 1);
  RunMinutes(*built, 30);
  EXPECT_GE(built->sim->target(1).ReadyReplicas(), 2);
  // api's pods start in 10-40 s (its own start-up), web's in the cluster's 30-120 s.
  for (const sim::Pod& p : built->sim->cluster().pods()) {
    if (!p.started_at.has_value() || *p.started_at < built->sim->Now() - Duration(1800)) continue;
    const auto& d = built->sim->cluster().deployments()[static_cast<size_t>(p.deployment)];
    if (d.name == "api") {
      EXPECT_LE(p.ready_at - *p.started_at, Duration(40));
    }
  }
}

TEST(ScenarioBuildTest, PoliciesReplicasAndBudgets) {
  const std::string yaml = R"(apiVersion: prescient.dev/v1alpha1
kind: SimulationScenario
spec:
  startAfter: 3d  # Predictive needs two days of history.
  cluster:
    nodePools: [{name: small, instanceTypes: [c5.large], spotShare: 0.5}]
  services:
  - name: fixed
    trace: {file: nasa_http_1995_07_1min.csv, peakPods: 6}
    capacityPerPod: 100
    pdb: {maxUnavailable: 2}
    policy: static-peak
  - name: pinned
    trace: {file: nasa_http_1995_07_1min.csv, scale: 0.01}
    capacityPerPod: 100
    replicas: 5
    policy: {name: predictive, lead: 10m, placeholders: false}
)";
  Result<sim::Scenario> s = sim::ParseScenario(yaml, "inline.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(sim::LoadScenarioTraces(*s, PRESCIENT_SOURCE_DIR "/testdata/demo").ok());
  const std::unique_ptr<scaling::Policy> policy = MakeScenarioPolicy(*s, s->services[1]);
  const auto* predictive = dynamic_cast<const scaling::PredictivePolicy*>(policy.get());
  ASSERT_NE(predictive, nullptr);
  EXPECT_EQ(predictive->options().lead, Duration(600));
  EXPECT_FALSE(predictive->options().placeholders);
  Result<BuiltScenario> built = BuildScenario(std::move(*s));
  ASSERT_TRUE(built.ok()) << built.status().message();
  const sim::ServiceView fixed = built->sim->view(0);
  EXPECT_FALSE(fixed.hpa);
  EXPECT_EQ(built->policies[0]->name(), "static-peak");
  const int replicas = built->sim->target(0).Replicas();
  EXPECT_GE(replicas, 6);  // Sized for the peak: 6 pods at the 99th percentile, and more.
  EXPECT_EQ(fixed.pdb_min_available, std::max(1, replicas - 2));
  EXPECT_EQ(built->sim->target(1).Replicas(), 5);
  RunMinutes(*built, 10);
  int spot = 0, live = 0;
  for (const sim::Node& n : built->sim->cluster().nodes()) {
    if (n.deleted) continue;
    ++live;
    spot += n.capacity_type == sim::CapacityType::kSpot ? 1 : 0;
    EXPECT_EQ(n.type->name, "c5.large");
  }
  EXPECT_GT(live, 2);
  EXPECT_NEAR(spot, live / 2.0, 1.0);
}

}  // namespace
}  // namespace prescient::app
