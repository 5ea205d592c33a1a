// Zones in the Simulator: a zone fault's effect on the service and on the zone's
// minute stats, a zonal shift's routing, placement and PDB-respecting migration, and
// the validation of both.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "prescient/core/series.h"
#include "prescient/sim/simulator.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};

Timestamp Minute(int m) { return kT0 + Duration(60 * int64_t{m}); }

std::unique_ptr<Simulator> Make(double rps, SimulatorOptions o = {}, int pdb = -1,
                                bool hpa = true) {
  std::vector<double> counts(600, rps * 60);
  Result<LoadTrace> trace = LoadTrace::FromCounts(Series(kT0, Duration(60), counts), "test");
  EXPECT_TRUE(trace.ok());
  ServiceSpec s;
  s.name = "web";
  s.trace = std::move(trace).value();
  s.initial_replicas = 12;
  s.hpa_spec.max_replicas = 50;
  s.pdb_min_available = pdb;
  s.hpa = hpa;
  std::vector<ServiceSpec> v;
  v.push_back(std::move(s));
  Result<std::unique_ptr<Simulator>> sim = Simulator::Create(o, std::move(v), kT0);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  (*sim)->StartScoring();
  return std::move(sim).value();
}

// The zone holding the most ready pods at the last minute.
size_t Busiest(const ZoneMinute& m) {
  size_t best = 0;
  for (size_t z = 0; z < m.zones.size(); ++z) {
    if (m.zones[z].ready_pods > m.zones[best].ready_pods) best = z;
  }
  return best;
}

TEST(ZoneTest, HealthyZonesReportTheirProbeLatency) {
  auto sim = Make(800);
  sim->RunUntil(Minute(10));
  const ZoneMinute& m = sim->last_zone_minute();
  EXPECT_EQ(m.time, Minute(9));
  ASSERT_EQ(m.zones.size(), 3u);
  int ready = 0;
  double requests = 0;
  for (const ZoneStats& z : m.zones) {
    EXPECT_GE(z.avg_latency_s, 0.004);
    EXPECT_LE(z.avg_latency_s, 0.006);
    EXPECT_LE(z.max_latency_s, 0.006);
    EXPECT_GE(z.max_latency_s, z.avg_latency_s);
    EXPECT_FALSE(z.shifted || z.fault);
    if (z.ready_pods > 0) {
      EXPECT_NEAR(*z.error_rate, 0, 1e-12);
    }
    ready += z.ready_pods;
    requests += z.requests;
  }
  EXPECT_EQ(ready, sim->minutes(0).back().ready);
  EXPECT_NEAR(requests, 800 * 60, 1e-6);
}

TEST(ZoneTest, AFaultSlowsAndFailsTheZonesShareOfRequests) {
  auto probe = Make(800);
  probe->RunUntil(Minute(2));
  const ZoneMinute first = probe->last_zone_minute();
  const size_t z = Busiest(first);
  const double share =
      static_cast<double>(first.zones[z].ready_pods) / probe->minutes(0).back().ready;
  ASSERT_GT(share, 0.02);

  SimulatorOptions o;
  ZoneFault f;
  f.zone = first.zones[z].zone;
  f.from = Minute(5);
  f.until = Minute(8);
  f.extra_latency_s = 0.6;
  f.error_rate = 0.05;
  o.zone_faults.push_back(f);
  auto sim = Make(800, o);
  sim->RunUntil(Minute(5));
  EXPECT_FALSE(sim->minutes(0).back().slo_violation);
  sim->RunUntil(Minute(6));
  const MinuteRecord& r = sim->minutes(0).back();
  const ZoneMinute& m = sim->last_zone_minute();
  EXPECT_TRUE(m.zones[z].fault);
  EXPECT_NEAR(m.zones[z].avg_latency_s, 0.605, 0.0011);
  EXPECT_NEAR(*m.zones[z].error_rate, 0.05, 1e-9);
  EXPECT_NEAR(r.stats.error_rate, 0.05 * share, 1e-6);
  EXPECT_GT(r.stats.p99_s, 0.65);  // More than 1% of the requests are 600 ms slower.
  EXPECT_TRUE(r.slo_violation);
  for (size_t i = 0; i < 3; ++i) {
    if (i != z) {
      EXPECT_LT(m.zones[i].avg_latency_s, 0.0061);
    }
  }
  sim->RunUntil(Minute(9));  // The fault ended at minute 8.
  EXPECT_FALSE(sim->last_zone_minute().zones[z].fault);
  EXPECT_FALSE(sim->minutes(0).back().slo_violation);
}

TEST(ZoneTest, AShiftRoutesAwayMigratesAndPlacesNothingInTheZone) {
  auto sim = Make(800, {}, -1, /*hpa=*/false);
  sim->RunUntil(Minute(5));
  const size_t z = Busiest(sim->last_zone_minute());
  const std::string zone = sim->last_zone_minute().zones[z].zone;
  const int ready_before = sim->minutes(0).back().ready;
  ASSERT_TRUE(sim->StartZonalShift(zone).ok());
  EXPECT_TRUE(sim->ZoneShifted(zone));
  sim->RunUntil(Minute(6));
  EXPECT_EQ(sim->last_zone_minute().zones[z].serving_pods, 0);
  EXPECT_EQ(sim->last_zone_minute().zones[z].requests, 0);
  EXPECT_FALSE(sim->last_zone_minute().zones[z].error_rate.has_value());
  sim->RunUntil(Minute(20));
  const ZoneMinute& m = sim->last_zone_minute();
  EXPECT_EQ(m.zones[z].ready_pods, 0);
  EXPECT_EQ(m.zones[z].nodes, 0);  // Drained, then consolidated.
  EXPECT_TRUE(m.zones[z].shifted);
  EXPECT_GE(sim->minutes(0).back().serving, ready_before);
  for (const Node& n : sim->cluster().nodes()) {
    if (n.zone == zone) {
      EXPECT_LE(n.launched_at, Minute(5)) << n.name;
    }
  }
  ASSERT_TRUE(sim->EndZonalShift(zone).ok());
  EXPECT_FALSE(sim->ZoneShifted(zone));
}

TEST(ZoneTest, MigrationRespectsThePdb) {
  // 12 replicas, minAvailable 10: two evictions at once, the rest as replacements
  // turn Ready.
  auto sim = Make(800, {}, /*pdb=*/10, /*hpa=*/false);
  sim->RunUntil(Minute(5));
  const size_t z = Busiest(sim->last_zone_minute());
  const int in_zone = sim->last_zone_minute().zones[z].ready_pods;
  ASSERT_GT(in_zone, 2);
  ASSERT_TRUE(sim->StartZonalShift(sim->last_zone_minute().zones[z].zone).ok());
  sim->RunUntil(Minute(6));
  EXPECT_EQ(sim->last_zone_minute().zones[z].ready_pods, in_zone - 2);
  EXPECT_GT(sim->cluster().counters().evictions_refused, 0);
  sim->RunUntil(Minute(40));
  EXPECT_EQ(sim->last_zone_minute().zones[z].ready_pods, 0);
  for (const MinuteRecord& r : sim->minutes(0)) EXPECT_GE(r.ready, 10);
  EXPECT_EQ(sim->minutes(0).back().ready, 12);
}

TEST(ZoneTest, RoutingFailsOpenAndTheHpaSeesTheIdlePods) {
  // With the PDB at the replica count nothing can move: the zone's pods keep serving
  // (there is no other), and the HPA sees them busy, so it does not scale them away.
  auto sim = Make(800, {}, /*pdb=*/12);
  sim->RunUntil(Minute(5));
  const size_t z = Busiest(sim->last_zone_minute());
  if (sim->last_zone_minute().zones[z].ready_pods != sim->minutes(0).back().ready) {
    GTEST_SKIP() << "the pods are spread over zones with this seed";
  }
  auto unshifted = Make(800, {}, /*pdb=*/12);
  unshifted->RunUntil(Minute(15));
  ASSERT_TRUE(sim->StartZonalShift(sim->last_zone_minute().zones[z].zone).ok());
  sim->RunUntil(Minute(15));
  EXPECT_EQ(sim->last_zone_minute().zones[z].serving_pods, sim->minutes(0).back().ready);
  EXPECT_EQ(sim->minutes(0).back().replicas, unshifted->minutes(0).back().replicas);
  for (const MinuteRecord& r : sim->minutes(0)) EXPECT_FALSE(r.slo_violation);
}

TEST(ZoneTest, Validation) {
  auto sim = Make(100);
  ZoneFault f;
  f.zone = "zone-x";
  EXPECT_EQ(sim->AddZoneFault(f).code(), StatusCode::kInvalidArgument);
  f.zone = "zone-a";
  f.error_rate = 1.5;
  EXPECT_EQ(sim->AddZoneFault(f).code(), StatusCode::kInvalidArgument);
  f.error_rate = 0;
  f.extra_latency_s = -1;
  EXPECT_EQ(sim->AddZoneFault(f).code(), StatusCode::kInvalidArgument);
  f.extra_latency_s = 0.1;
  f.until = f.from;
  EXPECT_EQ(sim->AddZoneFault(f).code(), StatusCode::kInvalidArgument);
  f.until.reset();
  EXPECT_TRUE(sim->AddZoneFault(f).ok());
  EXPECT_EQ(sim->StartZonalShift("zone-x").code(), StatusCode::kNotFound);
  EXPECT_TRUE(sim->StartZonalShift("zone-a").ok());
  EXPECT_TRUE(sim->StartZonalShift("zone-b").ok());
  EXPECT_EQ(sim->StartZonalShift("zone-c").code(), StatusCode::kFailedPrecondition);

  SimulatorOptions o;
  o.zone_faults.push_back({"nowhere", kT0, std::nullopt, 0.1, 0});
  std::vector<ServiceSpec> v(1);
  v[0].name = "web";
  v[0].trace = LoadTrace::FromCounts(Series(kT0, Duration(60), {60.0}), "t").value();
  EXPECT_FALSE(Simulator::Create(o, std::move(v), kT0).ok());
}

}  // namespace
}  // namespace prescient::sim
