// The latency model: Erlang C against textbook values, the latency tail and its mixture
// quantile against the closed form, and ServiceModel's behaviour below, at and above a
// pod's capacity, folded into minutes by MinuteAccumulator.

#include "prescient/sim/workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "prescient/sim/queueing.h"

namespace prescient::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Erlang C from its textbook closed form: (a^k/k! * k/(k-a)) / (sum_{i<k} a^i/i! + that).
double ErlangCClosedForm(int k, double a) {
  double term = 1, sum = 0;
  for (int i = 0; i < k; ++i) {
    sum += term;
    term *= a / (i + 1);
  }
  const double top = term * k / (k - a);
  return top / (sum + top);
}

TEST(WorkloadTest, ErlangCOfOneServerIsTheUtilisation) {
  for (const double a : {0.01, 0.1, 0.5, 0.9, 0.999}) EXPECT_NEAR(ErlangC(1, a), a, 1e-12) << a;
}

TEST(WorkloadTest, ErlangCTextbookValues) {
  EXPECT_NEAR(ErlangC(2, 1.0), 1.0 / 3, 1e-12);
  EXPECT_NEAR(ErlangC(3, 2.0), 4.0 / 9, 1e-12);
  // Call-centre example: 10 agents, 8 erlangs -> about 0.409.
  EXPECT_NEAR(ErlangC(10, 8.0), 0.40918, 1e-4);
  for (const int k : {1, 2, 5, 10, 50}) {
    for (const double rho : {0.1, 0.5, 0.8, 0.95}) {
      const double a = rho * k;
      EXPECT_NEAR(ErlangC(k, a), ErlangCClosedForm(k, a), 1e-9) << k << " " << a;
    }
  }
}

TEST(WorkloadTest, ErlangCEdges) {
  EXPECT_EQ(ErlangC(4, 0.0), 0.0);
  EXPECT_EQ(ErlangC(4, -1.0), 0.0);
  EXPECT_EQ(ErlangC(4, 4.0), 1.0);
  EXPECT_EQ(ErlangC(4, 7.5), 1.0);
  // More servers at the same utilisation: less waiting.
  EXPECT_LT(ErlangC(20, 16.0), ErlangC(10, 8.0));
  // Stable for many servers (the recursion, not factorials).
  const double big = ErlangC(2000, 1900.0);
  EXPECT_TRUE(std::isfinite(big));
  EXPECT_GT(big, 0.0);
  EXPECT_LT(big, 1.0);
}

TEST(WorkloadTest, LatencyTailExceeds) {
  const LatencyTail t{0.05, 0.4, 20};
  EXPECT_EQ(t.Exceeds(0.0), 1.0);
  EXPECT_EQ(t.Exceeds(0.049), 1.0);
  EXPECT_DOUBLE_EQ(t.Exceeds(0.05), 0.4);
  EXPECT_DOUBLE_EQ(t.Exceeds(0.15), 0.4 * std::exp(-2.0));
  const LatencyTail flat{0.05, 0, kInf};
  EXPECT_EQ(flat.Exceeds(0.04), 1.0);
  EXPECT_EQ(flat.Exceeds(0.05), 0.0);
  const LatencyTail no_decay{0.05, 0.3, kInf};
  EXPECT_EQ(no_decay.Exceeds(0.06), 0.0);
}

TEST(WorkloadTest, SingleTailQuantileMatchesTheClosedForm) {
  // P(L > x) = p exp(-d (x - f)) = 1 - q  =>  x = f + ln(p / (1 - q)) / d.
  struct Case {
    LatencyTail tail;
    double q;
  };
  const Case cases[] = {
      {{0.05, 0.5, 20}, 0.99}, {{0.05, 0.9, 5}, 0.99},  {{0.2, 0.05, 100}, 0.99},
      {{0.05, 0.5, 20}, 0.50}, {{0.01, 1.0, 1}, 0.999}, {{0.3, 0.6, 0.5}, 0.9},
  };
  for (const Case& c : cases) {
    const double expected =
        c.tail.floor_s + std::log(c.tail.wait_probability / (1 - c.q)) / c.tail.decay_per_s;
    const std::vector<LatencyTail> tails = {c.tail};
    for (const double w : {1.0, 1234.0}) {
      const std::vector<double> weights = {w};
      EXPECT_NEAR(MixtureQuantile(tails, weights, c.q), expected, 1e-5)
          << c.tail.floor_s << " " << c.tail.wait_probability << " " << c.q;
    }
  }
}

TEST(WorkloadTest, QuantileBelowTheWaitProbabilityIsTheFloor) {
  // Only 0.5% wait: the p99 is the floor itself.
  const std::vector<LatencyTail> tails = {{0.05, 0.005, 20}};
  const std::vector<double> weights = {100};
  EXPECT_NEAR(MixtureQuantile(tails, weights, 0.99), 0.05, 1e-5);
  const std::vector<LatencyTail> flat = {{0.3, 0, kInf}};
  EXPECT_NEAR(MixtureQuantile(flat, weights, 0.99), 0.3, 1e-5);
}

TEST(WorkloadTest, MixtureQuantileSolvesTheWeightedExceedance) {
  const std::vector<LatencyTail> tails = {{0.05, 0.2, 10}, {0.1, 0.5, 5}};
  const std::vector<double> weights = {900, 100};
  for (const double q : {0.9, 0.99, 0.999}) {
    const double x = MixtureQuantile(tails, weights, q);
    const double above = 900 * tails[0].Exceeds(x) + 100 * tails[1].Exceeds(x);
    EXPECT_NEAR(above, (1 - q) * 1000, 1e-3 * (1 - q) * 1000) << q;
  }
}

TEST(WorkloadTest, MixtureQuantileWeighsTails) {
  // 10% of requests take exactly 0.4 s (a saturated tick), 90% follow an exponential tail
  // from 0.05 s with 20% waiting.
  const std::vector<LatencyTail> tails = {{0.05, 0.2, 10}, {0.4, 0, kInf}};
  const std::vector<double> weights = {900, 100};
  // The p99 and p95 fall on the 0.4 s mass: above it only 900 x 0.2 x exp(-3.5) = 5.4
  // requests remain, fewer than the 10 (50) allowed.
  EXPECT_NEAR(MixtureQuantile(tails, weights, 0.99), 0.4, 1e-5);
  EXPECT_NEAR(MixtureQuantile(tails, weights, 0.95), 0.4, 1e-5);
  // The p80: 200 requests above x, 100 of them the 0.4 s mass, so 900 x 0.2 x
  // exp(-10 (x - 0.05)) = 100.
  EXPECT_NEAR(MixtureQuantile(tails, weights, 0.80), 0.05 + std::log(1.8) / 10, 1e-5);
  // Zero weights are ignored; all zero gives 0.
  const std::vector<double> zero_second = {900, 0};
  EXPECT_NEAR(MixtureQuantile(tails, zero_second, 0.99), 0.05 + std::log(0.2 / 0.01) / 10, 1e-5);
  const std::vector<double> none = {0, 0};
  EXPECT_EQ(MixtureQuantile(tails, none, 0.99), 0.0);
}

// --- ServiceModel ---

MinuteStats RunMinute(ServiceModel& model, double rps, int pods, double dt_s = 10,
                      double slo = 0.5) {
  MinuteAccumulator acc;
  for (double t = 0; t < 60; t += dt_s) acc.Add(model.Step(rps, pods, dt_s, slo), dt_s);
  return acc.Finish();
}

TEST(WorkloadTest, SaturationIsSolvedAboveCapacity) {
  const ServiceModel m(WorkloadOptions{});
  EXPECT_GT(m.saturation_rps(), 100);
  EXPECT_LT(m.saturation_rps(), 1000);
  EXPECT_GE(m.servers_per_pod(), 1);
  EXPECT_EQ(m.servers_per_pod(),
            std::max(1, static_cast<int>(std::lround(m.saturation_rps() * 0.05))));
  // Base latency at or above the SLO: taken to saturate at twice the capacity.
  WorkloadOptions slow;
  slow.base_latency_s = 0.6;
  EXPECT_DOUBLE_EQ(ServiceModel(slow).saturation_rps(), 200);
}

TEST(WorkloadTest, LowLoadServesAtBaseLatencyWithoutFailures) {
  ServiceModel m(WorkloadOptions{});
  const MinuteStats s = RunMinute(m, /*rps=*/50, /*pods=*/10);  // 5 rps a pod.
  EXPECT_NEAR(s.load_rps, 50, 1e-9);
  EXPECT_NEAR(s.arrived, 3000, 1e-9);
  EXPECT_EQ(s.failed, 0);
  EXPECT_EQ(s.error_rate, 0);
  EXPECT_NEAR(s.p99_s, 0.05, 1e-4);
  EXPECT_NEAR(s.p50_s, 0.05, 1e-4);
  EXPECT_NEAR(s.over_slo, 0, 1e-9);
  EXPECT_EQ(m.backlog(), 0);
}

TEST(WorkloadTest, P99AtCapacityIsTheSlo) {
  struct Case {
    double capacity_rps, slo_p99_s, base_latency_s;
  };
  const Case cases[] = {
      {100, 0.5, 0.05}, {10, 0.5, 0.05}, {1000, 0.5, 0.05}, {37, 0.3, 0.1},
      {250, 0.2, 0.02}, {5, 1.0, 0.2},   {100, 0.5, 0.3},
  };
  for (const Case& c : cases) {
    WorkloadOptions o;
    o.capacity_rps = c.capacity_rps;
    o.slo_p99_s = c.slo_p99_s;
    o.base_latency_s = c.base_latency_s;
    for (const int pods : {1, 7}) {
      ServiceModel m(o);
      const MinuteStats s = RunMinute(m, c.capacity_rps * pods, pods, 10, c.slo_p99_s);
      EXPECT_NEAR(s.p99_s, c.slo_p99_s, 0.01 * c.slo_p99_s)
          << "capacity " << c.capacity_rps << " slo " << c.slo_p99_s << " base " << c.base_latency_s
          << " pods " << pods << " saturation " << m.saturation_rps() << " servers "
          << m.servers_per_pod();
      EXPECT_EQ(s.failed, 0);
      // Just over 1% of requests are slower than the SLO, by construction.
      EXPECT_NEAR(s.over_slo / s.arrived, 0.01, 0.002);
      // Below capacity the p99 is inside the SLO; above, outside.
      ServiceModel below(o), above(o);
      EXPECT_LT(RunMinute(below, 0.9 * c.capacity_rps * pods, pods, 10, c.slo_p99_s).p99_s,
                c.slo_p99_s);
      EXPECT_GT(RunMinute(above, 1.05 * c.capacity_rps * pods, pods, 10, c.slo_p99_s).p99_s,
                c.slo_p99_s);
    }
  }
}

TEST(WorkloadTest, OverloadBuildsABacklogThenFailsPastTheTimeout) {
  WorkloadOptions o;  // Timeout 10 s.
  ServiceModel m(o);
  const int pods = 2;
  const double capacity = pods * m.saturation_rps();
  const double dt = 1;
  double last_backlog = 0, last_floor = 0;
  // Twice the capacity: the backlog grows by `capacity` each second.
  for (int i = 1; i <= 10; ++i) {
    const TickOutcome out = m.Step(2 * capacity, pods, dt, 0.5);
    EXPECT_NEAR(out.arrived, 2 * capacity, 1e-6);
    EXPECT_NEAR(out.served, capacity, 1e-6) << i;
    EXPECT_EQ(out.failed, 0) << i;  // Backlog i x capacity <= 10 s x capacity.
    EXPECT_NEAR(m.backlog(), i * capacity, 1e-6) << i;
    EXPECT_GT(m.backlog(), last_backlog);
    EXPECT_GT(out.tail.floor_s, last_floor);
    EXPECT_NEAR(out.tail.floor_s, o.base_latency_s + (2 * i - 1) / 2.0, 1e-9) << i;
    EXPECT_NEAR(out.cpu_utilization, 1.0, 1e-12);
    last_backlog = m.backlog();
    last_floor = out.tail.floor_s;
  }
  // Past timeout x capacity the excess fails.
  const TickOutcome out = m.Step(2 * capacity, pods, dt, 0.5);
  EXPECT_NEAR(out.failed, capacity, 1e-6);
  EXPECT_NEAR(m.backlog(), o.request_timeout_s * capacity, 1e-6);
  EXPECT_NEAR(out.over_slo, out.served, 1e-6);  // Everything waited ~10 s.

  // The load drops to zero: the backlog drains at capacity, then latency recovers.
  for (int i = 0; i < 10; ++i) {
    const TickOutcome drain = m.Step(0, pods, dt, 0.5);
    EXPECT_NEAR(drain.served, capacity, 1e-6) << i;
    EXPECT_EQ(drain.failed, 0);
  }
  EXPECT_NEAR(m.backlog(), 0, 1e-6);
  const TickOutcome calm = m.Step(0.1 * capacity, pods, dt, 0.5);
  EXPECT_EQ(m.backlog(), 0);
  EXPECT_NEAR(calm.tail.floor_s, o.base_latency_s, 1e-12);
}

// Bug: when ready pods drop while a backlog is queued, the served requests' delay was
// computed against the smaller capacity and could exceed the request timeout (a p99 of
// 25 s with a 10 s timeout), though a request waiting that long has failed.
TEST(WorkloadTest, CapacityDropNeverReportsWaitsBeyondTheTimeout) {
  WorkloadOptions o;
  ServiceModel m(o);
  const double sat = m.saturation_rps();
  for (int i = 0; i < 20; ++i) m.Step(3 * 4 * sat, 4, 1, 0.5);  // Backlog at its cap.
  ASSERT_NEAR(m.backlog(), o.request_timeout_s * 4 * sat, 1e-6);
  const TickOutcome out = m.Step(3 * sat, 1, 1, 0.5);  // Three of four pods gone.
  EXPECT_LE(out.tail.floor_s, o.base_latency_s + o.request_timeout_s + 1e-9);
  EXPECT_NEAR(m.backlog(), o.request_timeout_s * sat, 1e-6);
  // Offered 40 + 3, served 1, kept 10 (in units of one pod's saturation for a second).
  EXPECT_NEAR(out.failed, 32 * sat, 1e-6);
  MinuteAccumulator acc;
  acc.Add(out, 1);
  EXPECT_LE(acc.Finish().p99_s, o.base_latency_s + o.request_timeout_s + 1e-5);
}

TEST(WorkloadTest, OverloadMinuteViolatesTheSlo) {
  ServiceModel m(WorkloadOptions{});
  const MinuteStats s = RunMinute(m, 3 * m.saturation_rps(), 1);
  EXPECT_GT(s.p99_s, 0.5);
  EXPECT_GT(s.failed, 0);
  EXPECT_GT(s.error_rate, 0.01);
  EXPECT_LE(s.error_rate, 1.0);
}

TEST(WorkloadTest, NoReadyPodsFailsEverything) {
  ServiceModel m(WorkloadOptions{});
  const TickOutcome out = m.Step(100, 0, 10, 0.5);
  EXPECT_EQ(out.arrived, 1000);
  EXPECT_EQ(out.failed, 1000);
  EXPECT_EQ(out.served, 0);
  EXPECT_EQ(out.cpu_utilization, 0);
  const MinuteStats s = RunMinute(m, 100, 0);
  EXPECT_EQ(s.error_rate, 1.0);
  EXPECT_EQ(s.failed, 6000);
  EXPECT_EQ(s.cpu_utilization, 0);

  // A backlog is lost too when the last pod goes.
  ServiceModel b(WorkloadOptions{});
  b.Step(3 * b.saturation_rps(), 1, 1, 0.5);
  const double backlog = b.backlog();
  ASSERT_GT(backlog, 0);
  const TickOutcome lost = b.Step(0, 0, 1, 0.5);
  EXPECT_NEAR(lost.failed, backlog, 1e-9);
  EXPECT_EQ(b.backlog(), 0);
}

TEST(WorkloadTest, CpuUtilisationRisesWithLoad) {
  WorkloadOptions o;
  ServiceModel probe(o);
  const double sat = probe.saturation_rps();
  double last = -1;
  for (const double frac : {0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.5}) {
    ServiceModel m(o);
    const TickOutcome out = m.Step(frac * sat * 3, 3, 10, 0.5);
    EXPECT_GT(out.cpu_utilization, last) << frac;
    last = out.cpu_utilization;
    if (frac < 1) {
      EXPECT_NEAR(out.cpu_utilization, o.idle_cpu_fraction + (1 - o.idle_cpu_fraction) * frac, 1e-9)
          << frac;
    }
  }
  EXPECT_NEAR(last, 1.0, 1e-12);  // Saturated.
  ServiceModel idle(o);
  EXPECT_NEAR(idle.Step(0, 2, 10, 0.5).cpu_utilization, o.idle_cpu_fraction, 1e-12);
}

TEST(WorkloadTest, MinuteAccumulatorAggregatesAndResets) {
  ServiceModel m(WorkloadOptions{});
  MinuteAccumulator acc;
  acc.Add(m.Step(60, 2, 30, 0.5), 30);
  acc.Add(m.Step(0, 0, 30, 0.5), 30);  // No pods: everything fails, no CPU sample.
  const MinuteStats s = acc.Finish();
  EXPECT_NEAR(s.load_rps, 30, 1e-9);
  EXPECT_NEAR(s.arrived, 1800, 1e-9);
  EXPECT_NEAR(s.failed, 0, 1e-9);  // The second tick had no arrivals.
  EXPECT_NEAR(s.cpu_utilization, 0.05 + 0.95 * 30 / m.saturation_rps(), 1e-9);
  const MinuteStats empty = acc.Finish();
  EXPECT_EQ(empty.arrived, 0);
  EXPECT_EQ(empty.load_rps, 0);
  EXPECT_EQ(empty.p99_s, 0);
  EXPECT_EQ(empty.error_rate, 0);
}

}  // namespace
}  // namespace prescient::sim
