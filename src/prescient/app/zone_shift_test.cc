// Zone gray failure end to end: three zones under a steady load, a fault in zone-b
// (150 ms more latency, 4% intermittent timeouts) after a day of health; the loop must
// detect it within the 15-minute window rule, shift traffic away, rebuild the capacity
// in zone-a and zone-c, and keep the SLO from then on. Without the shift the fault costs
// SLO minutes, so the test proves the shift is what keeps them.
#include "prescient/app/zone_shift.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "prescient/metrics/series_csv.h"

namespace prescient::app {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'200}};  // A whole hour.
constexpr int kHealthyMinutes = 26 * 60;          // More than the day a baseline needs.
constexpr int kFaultMinutes = 3 * 60;
constexpr int kAfterMinutes = 60;
constexpr double kRps = 1500;

Timestamp Minute(int m) { return kT0 + Duration(60 * int64_t{m}); }

std::unique_ptr<sim::Simulator> MakeSim(bool with_fault, std::optional<Timestamp> until,
                                        const std::string& zone) {
  const int minutes = kHealthyMinutes + kFaultMinutes + kAfterMinutes + 60;
  std::vector<double> counts(static_cast<size_t>(minutes), kRps * 60);
  Result<sim::LoadTrace> trace =
      sim::LoadTrace::FromCounts(Series(kT0, Duration(60), std::move(counts)), "steady");
  EXPECT_TRUE(trace.ok());
  sim::ServiceSpec s;
  s.name = "web";
  s.trace = std::move(trace).value();
  s.initial_replicas = 15;
  s.hpa_spec.max_replicas = 60;
  s.pdb_min_available = 10;
  sim::SimulatorOptions o;
  o.seed = 7;
  if (with_fault) {
    sim::ZoneFault f;
    f.zone = zone;
    f.from = Minute(kHealthyMinutes);
    f.until = until;
    f.extra_latency_s = 0.150;
    f.error_rate = 0.04;
    o.zone_faults.push_back(f);
  }
  std::vector<sim::ServiceSpec> services;
  services.push_back(std::move(s));
  Result<std::unique_ptr<sim::Simulator>> sim = sim::Simulator::Create(o, std::move(services), kT0);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  return std::move(sim).value();
}

struct ZoneRun {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<ZoneShiftEvent> events;
  std::optional<Timestamp> detected;  // First state other than healthy of the zone.
  std::optional<Timestamp> gray;      // First gray failure of the zone.
  std::optional<Timestamp> shifted;
  std::optional<Timestamp> shift_ended;
  bool false_alarm = false;  // Any non-healthy state after warm-up and before the fault.
};

ZoneRun Simulate(bool with_fault, bool shift, std::optional<Timestamp> until = std::nullopt,
                 const std::string& zone = "zone-b") {
  ZoneRun r;
  r.sim = MakeSim(with_fault, until, zone);
  ZoneShiftOptions o;
  o.shift = shift;
  Result<ZoneShiftLoop> loop = ZoneShiftLoop::Create(r.sim.get(), o);
  EXPECT_TRUE(loop.ok());
  EXPECT_TRUE(loop->RunUntil(Minute(30)).ok());
  r.sim->StartScoring();
  EXPECT_TRUE(loop->RunUntil(Minute(kHealthyMinutes + kFaultMinutes + kAfterMinutes)).ok());
  r.events = loop->events();
  for (const ZoneShiftEvent& e : r.events) {
    if (e.time <= Minute(kHealthyMinutes) && e.time > Minute(10) &&
        e.state != anomaly::ZoneState::kHealthy) {
      r.false_alarm = true;
      ADD_FAILURE() << FormatTimestamp(e.time) << " " << e.zone << ": " << e.reason;
    }
    if (e.zone != zone || e.time <= Minute(kHealthyMinutes)) continue;
    if (e.kind == ZoneShiftEvent::Kind::kState && e.state != anomaly::ZoneState::kHealthy &&
        !r.detected) {
      r.detected = e.time;
    }
    if (e.kind == ZoneShiftEvent::Kind::kState && e.state == anomaly::ZoneState::kGrayFailure &&
        !r.gray) {
      r.gray = e.time;
    }
    if (e.kind == ZoneShiftEvent::Kind::kShiftStarted && !r.shifted) r.shifted = e.time;
    if (e.kind == ZoneShiftEvent::Kind::kShiftEnded && !r.shift_ended) r.shift_ended = e.time;
  }
  return r;
}

int64_t MinutesAfter(Timestamp a, Timestamp b) { return (a - b).count() / 60; }

int SloMinutes(const sim::Simulator& sim, Timestamp from, Timestamp to) {
  int n = 0;
  for (const sim::MinuteRecord& m : sim.minutes(0))
    n += m.time >= from && m.time < to && m.slo_violation;
  return n;
}

// `z`: the faulty zone's index.
void ExpectDetectionShiftAndSlo(const std::string& zone, size_t z) {
  ZoneRun r = Simulate(true, true, std::nullopt, zone);
  EXPECT_FALSE(r.false_alarm);
  ASSERT_TRUE(r.detected.has_value());
  ASSERT_TRUE(r.shifted.has_value());
  const Timestamp fault = Minute(kHealthyMinutes);
  const int64_t detect = MinutesAfter(*r.detected, fault);
  ASSERT_TRUE(r.gray.has_value());
  const int64_t gray = MinutesAfter(*r.gray, fault);
  std::printf(
      "%s: detected (first state not healthy) %lld simulated minutes after the fault, "
      "shift at +%lld, gray failure at +%lld\n",
      zone.c_str(), static_cast<long long>(detect),
      static_cast<long long>(MinutesAfter(*r.shifted, fault)), static_cast<long long>(gray));
  // Within the 15-minute window: 4 minutes at 4% errors bring the window's error rate
  // to 1.07%; 5 at 155 ms its average past 50 ms; 8 its median past the baseline's 130%.
  EXPECT_GE(detect, 1);
  EXPECT_LE(gray, 15);
  EXPECT_LE(detect, gray);
  EXPECT_EQ(*r.shifted, *r.detected);
  EXPECT_FALSE(r.shift_ended.has_value());  // The fault lasts.
  // Only that zone shifted, only once.
  int shifts = 0;
  for (const ZoneShiftEvent& e : r.events) shifts += e.kind == ZoneShiftEvent::Kind::kShiftStarted;
  EXPECT_EQ(shifts, 1);

  // Capacity moved: zone-b has no ready pod left, the other zones hold them all.
  const auto& zm = r.sim->zone_minutes();
  auto at = [&](Timestamp t) -> const sim::ZoneMinute& {
    for (const sim::ZoneMinute& m : zm) {
      if (m.time == t) return m;
    }
    ADD_FAILURE() << "no zone minute at " << FormatTimestamp(t);
    return zm.front();
  };
  const sim::ZoneMinute& before = at(fault - Duration(60));
  const sim::ZoneMinute& after = at(*r.shifted + Duration(20 * 60));
  int healthy_before = 0, healthy_after = 0;
  for (size_t i = 0; i < 3; ++i) {
    if (i == z) continue;
    healthy_before += before.zones[i].ready_pods;
    healthy_after += after.zones[i].ready_pods;
  }
  std::printf("ready pods a/b/c before the fault %d/%d/%d, 20 min after the shift %d/%d/%d\n",
              before.zones[0].ready_pods, before.zones[1].ready_pods, before.zones[2].ready_pods,
              after.zones[0].ready_pods, after.zones[1].ready_pods, after.zones[2].ready_pods);
  EXPECT_GT(before.zones[z].ready_pods, 0);
  EXPECT_EQ(after.zones[z].ready_pods, 0);
  EXPECT_EQ(after.zones[z].serving_pods, 0);
  EXPECT_TRUE(after.zones[z].shifted);
  EXPECT_GE(healthy_after, healthy_before + before.zones[z].ready_pods);
  EXPECT_FALSE(after.zones[z].error_rate.has_value());  // No request routed there.

  // The SLO: the fault's minutes before the shift, and the move, may be violations;
  // from shift + provisioning (3 min) + start-up (2 min) + a minute on, none.
  const Timestamp settled = *r.shifted + Duration(6 * 60);
  const Timestamp end = Minute(kHealthyMinutes + kFaultMinutes + kAfterMinutes);
  const int before_fault = SloMinutes(*r.sim, Minute(30), fault);
  const int during_move = SloMinutes(*r.sim, fault, settled);
  const int after_settled = SloMinutes(*r.sim, settled, end);
  std::printf(
      "%s: SLO-violation minutes with the shift: %d before the fault, %d from the fault to "
      "shift+6m, %d after (total %lld)\n",
      zone.c_str(), before_fault, during_move, after_settled,
      static_cast<long long>(r.sim->totals(0).slo_violation_minutes));
  EXPECT_EQ(before_fault, 0);
  EXPECT_EQ(after_settled, 0);
}

TEST(ZoneShiftTest, DetectsShiftsAndKeepsTheSlo) { ExpectDetectionShiftAndSlo("zone-b", 1); }

// zone-a holds most pods (Karpenter packs them there first): the move is larger and the
// PodDisruptionBudget (minAvailable 10 of 20) paces it.
TEST(ZoneShiftTest, ShiftsTheZoneHoldingMostPods) { ExpectDetectionShiftAndSlo("zone-a", 0); }

TEST(ZoneShiftTest, WithoutTheShiftTheFaultCostsSloMinutes) {
  ZoneRun r = Simulate(true, false);
  ASSERT_TRUE(r.detected.has_value());
  EXPECT_FALSE(r.shifted.has_value());
  const Timestamp fault = Minute(kHealthyMinutes);
  const int during = SloMinutes(*r.sim, fault, Minute(kHealthyMinutes + kFaultMinutes));
  std::printf(
      "no shift: detected %lld minutes after the fault; SLO-violation minutes: %d of "
      "the fault's %d (total %lld)\n",
      static_cast<long long>(MinutesAfter(*r.detected, fault)), during, kFaultMinutes,
      static_cast<long long>(r.sim->totals(0).slo_violation_minutes));
  EXPECT_GT(during, kFaultMinutes * 9 / 10);
}

TEST(ZoneShiftTest, NoFaultNoDetection) {
  ZoneRun r = Simulate(false, true);
  EXPECT_FALSE(r.false_alarm);
  EXPECT_FALSE(r.detected.has_value());
  EXPECT_FALSE(r.shifted.has_value());
  EXPECT_EQ(r.sim->totals(0).slo_violation_minutes, 0);
}

TEST(ZoneShiftTest, ShiftEndsWhenTheZoneRecovers) {
  const Timestamp until = Minute(kHealthyMinutes + 60);
  ZoneRun r = Simulate(true, true, until);
  ASSERT_TRUE(r.shifted.has_value());
  ASSERT_TRUE(r.shift_ended.has_value());
  const int64_t after = MinutesAfter(*r.shift_ended, until);
  std::printf("shift ended %lld minutes after the fault ended\n", static_cast<long long>(after));
  // Once the window is healthy: at most 4 of its 15 minutes at 155 ms keep the average
  // <= 50 ms (and the median at 5 ms), so 11 minutes after; within the window anyway.
  EXPECT_GE(after, 10);
  EXPECT_LE(after, 15);
  EXPECT_FALSE(r.sim->ZoneShifted("zone-b"));
  EXPECT_EQ(SloMinutes(*r.sim, *r.shifted + Duration(6 * 60),
                       Minute(kHealthyMinutes + kFaultMinutes + kAfterMinutes)),
            0);
}

TEST(ZoneShiftTest, DeterministicForASeed) {
  ZoneRun a = Simulate(true, true);
  ZoneRun b = Simulate(true, true);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].time, b.events[i].time);
    EXPECT_EQ(a.events[i].reason, b.events[i].reason);
  }
  EXPECT_EQ(a.sim->totals(0).slo_violation_minutes, b.sim->totals(0).slo_violation_minutes);
}

// The real-shaped load: NASA's July 1995 HTTP trace (testdata/demo), scaled so that its
// 99th percentile needs 20 pods, with the HPA alone. Two days of health, then zone-b
// fails for three hours from the second day's busiest hour on. The HPA has SLO minutes
// of its own on this trace, so the comparison is with the same run without the fault.
struct TraceRun {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<ZoneShiftEvent> events;
};

TraceRun RunTrace(std::optional<sim::ZoneFault> fault, Timestamp start, Timestamp end) {
  Result<Series> counts = metrics::ReadSeriesCsv(std::string(PRESCIENT_SOURCE_DIR) +
                                                 "/testdata/demo/nasa_http_1995_07_1min.csv");
  EXPECT_TRUE(counts.ok()) << counts.status().ToString();
  Result<sim::LoadTrace> trace = sim::LoadTrace::FromCounts(*counts, "nasa");
  EXPECT_TRUE(trace.ok());
  sim::ServiceSpec s;
  s.name = "web";
  s.trace = std::move(trace).value();
  s.trace.Scale(20 * s.workload.capacity_rps / s.trace.Quantile(0.99));
  s.initial_replicas = 6;
  s.hpa_spec.max_replicas = 60;
  sim::SimulatorOptions o;
  o.seed = 3;
  if (fault) o.zone_faults.push_back(*fault);
  std::vector<sim::ServiceSpec> services;
  services.push_back(std::move(s));
  Result<std::unique_ptr<sim::Simulator>> sim =
      sim::Simulator::Create(o, std::move(services), start);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  TraceRun r;
  r.sim = std::move(sim).value();
  Result<ZoneShiftLoop> loop = ZoneShiftLoop::Create(r.sim.get());
  EXPECT_TRUE(loop.ok());
  EXPECT_TRUE(loop->RunUntil(start + Duration(1800)).ok());
  r.sim->StartScoring();
  EXPECT_TRUE(loop->RunUntil(end).ok());
  r.events = loop->events();
  return r;
}

TEST(ZoneShiftTest, RealShapedLoad) {
  Result<Series> counts = metrics::ReadSeriesCsv(std::string(PRESCIENT_SOURCE_DIR) +
                                                 "/testdata/demo/nasa_http_1995_07_1min.csv");
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  const Timestamp start = std::chrono::floor<std::chrono::hours>(counts->start());
  // The busiest hour of the third day.
  const Timestamp day3 = start + Duration(2 * 86400);
  Timestamp fault_at = day3;
  double busiest = -1;
  for (int h = 0; h < 24; ++h) {
    const Timestamp t = day3 + Duration(3600 * h);
    double sum = 0;
    for (int m = 0; m < 60; ++m) {
      const auto i = static_cast<size_t>((t - counts->start()).count() / 60 + m);
      if (i < counts->size()) sum += (*counts)[i];
    }
    if (sum > busiest) {
      busiest = sum;
      fault_at = t;
    }
  }
  const Timestamp end = fault_at + Duration(4 * 3600);
  sim::ZoneFault f;
  f.zone = "zone-b";
  f.from = fault_at;
  f.until = fault_at + Duration(3 * 3600);
  f.extra_latency_s = 0.150;
  f.error_rate = 0.04;
  TraceRun healthy = RunTrace(std::nullopt, start, end);
  TraceRun faulty = RunTrace(f, start, end);
  for (const ZoneShiftEvent& e : healthy.events) {
    EXPECT_TRUE(e.time <= start + Duration(600) || e.state == anomaly::ZoneState::kHealthy)
        << FormatTimestamp(e.time) << " " << e.zone << ": " << e.reason;
    EXPECT_NE(e.kind, ZoneShiftEvent::Kind::kShiftStarted);
  }
  std::optional<Timestamp> detected, shifted;
  for (const ZoneShiftEvent& e : faulty.events) {
    if (e.time <= fault_at) {
      EXPECT_TRUE(e.time <= start + Duration(600) || e.state == anomaly::ZoneState::kHealthy)
          << FormatTimestamp(e.time) << " " << e.zone << ": " << e.reason;
      continue;
    }
    if (e.zone == "zone-b" && e.state != anomaly::ZoneState::kHealthy && !detected)
      detected = e.time;
    if (e.kind == ZoneShiftEvent::Kind::kShiftStarted && !shifted) {
      EXPECT_EQ(e.zone, "zone-b");
      shifted = e.time;
    }
  }
  ASSERT_TRUE(detected.has_value());
  ASSERT_TRUE(shifted.has_value());
  const Timestamp settled = *shifted + Duration(6 * 60);
  std::printf(
      "real trace: fault at %s, detected +%lld min, shift +%lld min; SLO-violation "
      "minutes from the fault to the end: %d with the fault and the shift (%d of them "
      "after shift+6m), %d without any fault (%d after shift+6m)\n",
      FormatTimestamp(fault_at).c_str(), static_cast<long long>(MinutesAfter(*detected, fault_at)),
      static_cast<long long>(MinutesAfter(*shifted, fault_at)),
      SloMinutes(*faulty.sim, fault_at, end), SloMinutes(*faulty.sim, settled, end),
      SloMinutes(*healthy.sim, fault_at, end), SloMinutes(*healthy.sim, settled, end));
  EXPECT_LE(MinutesAfter(*detected, fault_at), 15);
  EXPECT_LE(SloMinutes(*faulty.sim, settled, end), SloMinutes(*healthy.sim, settled, end));
}

}  // namespace
}  // namespace prescient::app
