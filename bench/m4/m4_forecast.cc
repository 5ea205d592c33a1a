// Forecasts every M4 Hourly series with one of our models, timing fit + forecast +
// interval calibration per series on one core, and writes id,ms,F1..F48,L1..L48,U1..U48
// (95% interval), the same format the peers' scripts write.
// Usage: m4_forecast MODEL TRAIN.csv OUT.csv [STRIDE]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "m4_data.h"
#include "prescient/forecast/forecaster.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: m4_forecast MODEL TRAIN.csv OUT.csv [STRIDE]\n");
    return 2;
  }
  const std::string model = argv[1];
  const int stride = argc > 4 ? std::atoi(argv[4]) : 1;
  auto train = prescient::bench::ReadM4(argv[2]);
  if (!train.ok()) {
    std::fprintf(stderr, "m4_forecast: %s\n", train.status().message().c_str());
    return 2;
  }
  std::ofstream out(argv[3]);
  constexpr int kHorizon = 48;
  out << "id,ms";
  for (const char* p : {"F", "L", "U"})
    for (int h = 1; h <= kHorizon; ++h) out << ',' << p << h;
  out << '\n';
  prescient::forecast::ForecastOptions options;
  options.model = model;
  options.periods = {24, 168};
  options.horizon = kHorizon;
  options.levels = {95};
  std::map<std::string, int> chosen;  // How often each fitted form was used.
  std::vector<double> cpu_ms;         // Thread CPU time per series: immune to other load.
  auto cpu_now = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  };
  for (size_t i = 0; i < train->size(); i += static_cast<size_t>(stride)) {
    const auto& s = (*train)[i];
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_now();
    auto f = prescient::forecast::ForecastValues(s.values, options);
    cpu_ms.push_back(cpu_now() - cpu_start);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!f.ok()) {
      std::fprintf(stderr, "m4_forecast: %s: %s\n", s.id.c_str(), f.status().ToString().c_str());
      return 1;
    }
    std::string form = f->model;
    for (char& c : form)
      if (c >= '0' && c <= '9') c = '#';
    ++chosen[form];
    char buf[64];
    out << s.id << ',' << ms;
    for (double v : f->mean) {
      std::snprintf(buf, sizeof buf, ",%.10g", v);
      out << buf;
    }
    for (double v : f->bands[0].lower) {
      std::snprintf(buf, sizeof buf, ",%.10g", v);
      out << buf;
    }
    for (double v : f->bands[0].upper) {
      std::snprintf(buf, sizeof buf, ",%.10g", v);
      out << buf;
    }
    out << '\n';
  }
  for (const auto& [form, count] : chosen) std::fprintf(stderr, "%5d  %s\n", count, form.c_str());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  if (!cpu_ms.empty()) {
    std::fprintf(stderr, "cpu: median %.3g ms, p99 %.3g ms per series (%s)\n",
                 cpu_ms[cpu_ms.size() / 2],
                 cpu_ms[std::min(cpu_ms.size() - 1, cpu_ms.size() * 99 / 100)], model.c_str());
  }
  return 0;
}
