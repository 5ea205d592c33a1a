// Speed of a replay (bench, not a test): the two targets.
//   Replay14Days      one service, 14 days at 10 s steps, the predictive policy
//                     (forecasts every 15 minutes) on the bundled NASA trace;
//   Services100Days7  100 services, 7 days, each under its own predictive policy.
// The 100 services replay the same trace at 100 different scales (peaks of 5 to 30
// pods), so every service has its own load, forecasts and pods. Their controllers tick
// on all cores, as a controller fleet would (each policy touches only its own service's
// state); the simulator itself runs on one. Wall and CPU time are both reported.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "prescient/metrics/series_csv.h"
#include "prescient/scaling/predictive_policy.h"
#include "prescient/sim/simulator.h"

namespace prescient {
namespace {

const sim::LoadTrace& NasaTrace() {
  static const sim::LoadTrace trace = [] {
    const std::string path =
        std::string(PRESCIENT_SOURCE_DIR) + "/testdata/demo/nasa_http_1995_07_1min.csv";
    Result<Series> counts = metrics::ReadSeriesCsv(path);
    if (!counts.ok()) std::abort();
    Result<sim::LoadTrace> t = sim::LoadTrace::FromCounts(*counts, path);
    if (!t.ok()) std::abort();
    return *t;
  }();
  return trace;
}

// Replays `services` copies of the trace, scaled to peaks of 5..30 pods, for `days`.
void Replay(int services, int days, benchmark::State& state) {
  constexpr double kCapacity = 100;
  const Timestamp from = NasaTrace().start() + Duration(7 * 86400);
  const Timestamp to = from + Duration(int64_t{days} * 86400);
  for (auto _ : state) {
    std::vector<sim::ServiceSpec> specs;
    std::vector<std::unique_ptr<scaling::PredictivePolicy>> policies;
    const double p99 = NasaTrace().Quantile(0.99);
    for (int i = 0; i < services; ++i) {
      sim::ServiceSpec spec;
      spec.name = "svc-" + std::to_string(i);
      spec.trace = NasaTrace();
      const double peak_pods = 5 + 25.0 * i / std::max(1, services - 1);
      spec.trace.Scale(peak_pods * kCapacity / p99);
      spec.workload.capacity_rps = kCapacity;
      spec.hpa_spec.max_replicas = 200;
      spec.initial_replicas = 4;
      specs.push_back(std::move(spec));
      scaling::PredictiveOptions po;
      po.schedule.capacity_rps = kCapacity;
      policies.push_back(std::make_unique<scaling::PredictivePolicy>(po));
    }
    sim::SimulatorOptions so;
    so.record_minutes = false;
    auto sim = sim::Simulator::Create(so, std::move(specs), from);
    if (!sim.ok()) {
      state.SkipWithError(sim.status().message().c_str());
      return;
    }
    sim::Simulator& s = **sim;
    s.StartScoring();
    const int threads =
        std::max(1, std::min<int>(services, static_cast<int>(std::thread::hardware_concurrency())));
    for (Timestamp t = from; t < to; t += Duration(60)) {
      auto tick_range = [&](int begin, int end) {
        for (int i = begin; i < end; ++i) (void)policies[static_cast<size_t>(i)]->Tick(s.target(i));
      };
      if (threads == 1) {
        tick_range(0, services);
      } else {
        std::vector<std::jthread> workers;
        for (int w = 0; w < threads; ++w) {
          workers.emplace_back(tick_range, services * w / threads, services * (w + 1) / threads);
        }
      }
      s.RunUntil(t + Duration(60));
    }
    benchmark::DoNotOptimize(s.totals(0).slo_violation_minutes);
  }
  state.counters["simulated_days"] = days;
  state.counters["services"] = services;
}

void BM_Replay14Days(benchmark::State& state) { Replay(1, 14, state); }
void BM_Services100Days7(benchmark::State& state) { Replay(100, 7, state); }

BENCHMARK(BM_Replay14Days)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_Services100Days7)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace prescient

BENCHMARK_MAIN();
