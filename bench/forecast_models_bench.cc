// Speed of every model, fit + forecast, on a real 14-day 5-minute series (the demo trace:
// 4,032 points, seasons 288 and 2016), horizon 24 (2 hours), and of the full forecaster
// (auto selection and interval calibration included).
#include <benchmark/benchmark.h>

#include <string>

#include "prescient/forecast/forecaster.h"
#include "prescient/forecast/registry.h"
#include "prescient/metrics/series_csv.h"

namespace {

const prescient::Series& DemoSeries() {
  static const prescient::Series series = [] {
    auto s = prescient::metrics::ReadSeriesCsv(std::string(PRESCIENT_SOURCE_DIR) +
                                               "/testdata/demo/nasa_http_5min.csv");
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
      std::abort();
    }
    return *s;
  }();
  return series;
}

constexpr int kPeriods[] = {288, 2016};
constexpr int kHorizon = 24;

void BM_Model(benchmark::State& state, const char* name) {
  const auto model = prescient::forecast::MakeModel(name);
  const auto& y = DemoSeries().values();
  for (auto _ : state) {
    auto f = model->Forecast(y, kPeriods, kHorizon);
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(y.size()));
}

void BM_Forecaster(benchmark::State& state, const char* name) {
  prescient::forecast::ForecastOptions options;
  options.model = name;
  options.periods = {288, 2016};
  options.horizon = kHorizon;
  const auto& y = DemoSeries().values();
  for (auto _ : state) {
    auto f = prescient::forecast::ForecastValues(y, options);
    benchmark::DoNotOptimize(f);
  }
}

BENCHMARK_CAPTURE(BM_Model, snaive, "snaive")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, naive2, "naive2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, ets, "ets")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, mstl, "mstl")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, prophet, "prophet")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, sar, "sar")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Model, auto, "auto") -> Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Forecaster, auto_with_intervals, "auto")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
