// Speed of the band model on one core: training (Update: judge and learn) and evaluation
// (Evaluate on a trained model), on a 5-minute series with daily and weekly seasonality.
// Targets (issue 6): evaluation >= 5 M points/s, training >= 1 M points/s. BM_DetectorUpdate:
// the scored detector (anomaly/detector.h), which judges and learns in one call.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "prescient/anomaly/band_model.h"
#include "prescient/anomaly/detector.h"
#include "prescient/core/random.h"

namespace prescient::anomaly {
namespace {

constexpr int kPoints = 28 * 288;  // Four weeks of 5-minute points.
const Timestamp kStart = Timestamp(std::chrono::seconds(1767571200));

std::vector<double> Values() {
  Rng rng(1);
  std::vector<double> v(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    v[i] = 100 + 20 * std::sin(2 * std::numbers::pi * (i % 288) / 288.0) +
           ((i / 288) % 7 >= 5 ? -30 : 0) + rng.Uniform(-3, 3);
  }
  return v;
}

BandModel Model() {
  auto model =
      BandModel::Create({.step = std::chrono::minutes(5), .training = std::chrono::days(0)});
  return std::move(*model);
}

void BM_BandTrain(benchmark::State& state) {
  const std::vector<double> values = Values();
  for (auto _ : state) {
    BandModel model = Model();
    for (int i = 0; i < kPoints; ++i) {
      benchmark::DoNotOptimize(model.Update(kStart + std::chrono::minutes(5) * i, values[i]));
    }
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
}
BENCHMARK(BM_BandTrain);

void BM_BandEvaluate(benchmark::State& state) {
  const std::vector<double> values = Values();
  BandModel model = Model();
  for (int i = 0; i < kPoints; ++i) model.Update(kStart + std::chrono::minutes(5) * i, values[i]);
  for (auto _ : state) {
    for (int i = 0; i < kPoints; ++i) {
      benchmark::DoNotOptimize(model.Evaluate(kStart + std::chrono::minutes(5) * i, values[i]));
    }
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
}
BENCHMARK(BM_BandEvaluate);

// The whole detector (band + likelihood + spatial test + suppression), as NAB runs it.
void BM_DetectorUpdate(benchmark::State& state) {
  const std::vector<double> values = Values();
  for (auto _ : state) {
    DetectorOptions options;
    options.band.step = std::chrono::minutes(5);
    options.band.training = Duration(0);
    auto detector = Detector::Create(options);
    for (int i = 0; i < kPoints; ++i) {
      benchmark::DoNotOptimize(detector->Update(kStart + std::chrono::minutes(5) * i, values[i]));
    }
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
}
BENCHMARK(BM_DetectorUpdate);

}  // namespace
}  // namespace prescient::anomaly

BENCHMARK_MAIN();
