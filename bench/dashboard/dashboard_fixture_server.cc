// The dashboard's server over a synthetic source, for the front end's speed bench:
// --services N services x --days D days of 1-minute rows (a daily and weekly pattern with
// noise, a forecast with its band, replicas following the load, scaling events), then
// serves until SIGINT/SIGTERM. Prints "dashboard: http://HOST:PORT/" once bound.
// Deterministic for a given --seed.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <numbers>
#include <random>

#include "prescient/app/host_port.h"
#include "prescient/app/web_host.h"
#include "prescient/web/dashboard_data.h"
#include "prescient/web/server.h"

namespace {

using namespace prescient;

// Minute by minute across all services, so events arrive in time order (appends).
void Fill(web::MemorySource& source, int services, int days, uint64_t seed, Timestamp end) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  const char* policies[] = {"predictive", "hpa"};
  const Timestamp start = end - Duration(int64_t{days} * 86400);
  constexpr double kCapacity = 70;  // rps per pod at the target.
  struct State {
    std::string id;
    double base = 0;
    bool predictive = false;
    int replicas = 0, floor = 2;
  };
  std::vector<State> state(static_cast<size_t>(services));
  for (int s = 0; s < services; ++s) {
    State& st = state[static_cast<size_t>(s)];
    web::ServiceSummary sum;
    sum.name = "svc-" + std::to_string(s / 2);
    sum.policy = policies[s % 2];
    sum.id = sum.name + "-" + sum.policy;
    sum.prediction_accuracy_percent = s % 2 == 0 ? 85 + 10 * (s % 5) / 5.0 : web::kUnknown;
    source.UpsertService(sum);
    st.id = sum.id;
    st.base = 200 + 150 * (s % 7);
    st.predictive = s % 2 == 0;
  }
  for (Timestamp t = start; t < end; t += Duration(60)) {
    const int64_t epoch = t.time_since_epoch().count();
    const double secs = static_cast<double>(epoch);
    const double day = std::sin(2 * std::numbers::pi * (secs / 86400.0 - 0.3));
    const double week = (epoch / 86400 + 4) % 7 >= 5 ? 0.7 : 1.0;
    for (State& st : state) {
      const double expected = st.base * week * (1.4 + day);
      const double actual = std::max(0.0, expected * (1 + 0.05 * noise(rng)));
      web::MinuteRow r;
      r.time = t;
      r.actual_rps = actual;
      r.forecast_rps = expected;
      r.forecast_lower_rps = expected * 0.85;
      r.forecast_upper_rps = expected * 1.15;
      if (st.predictive && epoch % 900 == 0) {
        const int floor = std::max(2, static_cast<int>(std::ceil(expected * 1.15 / kCapacity)));
        if (floor != st.floor) {
          source.AddEvent({0, t, st.id, "action", "set-hpa-min", static_cast<double>(st.floor),
                           static_cast<double>(floor),
                           "forecast upper " + std::to_string(static_cast<int>(expected * 1.15)) +
                               " rps needs " + std::to_string(floor) + " pods",
                           "applied"});
          st.floor = floor;
        }
      }
      // The HPA: up at once, down only when well under (a 10% band), as its
      // stabilization window makes it.
      int want = std::max(2, static_cast<int>(std::ceil(actual / kCapacity)));
      if (want < st.replicas && actual > 0.9 * kCapacity * (st.replicas - 1)) want = st.replicas;
      const int next = std::max(want, st.floor);
      if (st.replicas != 0 && next != st.replicas) {
        source.AddEvent({0, t, st.id, "action", "scale", static_cast<double>(st.replicas),
                         static_cast<double>(next), "HPA: CPU against the 70% target", "applied"});
      }
      st.replicas = next;
      r.replicas_desired = st.replicas;
      r.replicas_ready = st.replicas;
      r.hpa_min_replicas = st.floor;
      r.placeholders = st.predictive ? 1 : 0;
      const double util = actual / (st.replicas * kCapacity / 0.7);
      r.latency_p99_seconds = 0.08 + 0.3 * std::pow(std::min(util, 1.2), 6);
      r.error_rate = util > 1 ? 0.02 : 0;
      r.slo_violation = r.latency_p99_seconds > 0.5 || r.error_rate > 0.01;
      source.AppendMinute(st.id, r);
    }
  }
  std::vector<web::NodeInfo> nodes;
  for (int n = 0; n < 3 * services; ++n) {
    nodes.push_back({"ip-10-0-" + std::to_string(n / 250) + "-" + std::to_string(n % 250),
                     "default", "zone-" + std::string(1, static_cast<char>('a' + n % 3)),
                     "m5.xlarge", n % 4 == 0 ? "spot" : "on-demand", true, 6, 3.2, 4});
  }
  source.SetNodes(std::move(nodes));
  source.SetNow(end);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The dashboard over synthetic data, for the front end's speed bench.");
  int services = 20, days = 14;
  int64_t seed = 1, end_epoch = 1720000000 - 1720000000 % 86400;
  std::string address = "127.0.0.1:0";
  app.add_option("--services", services, "Services")
      ->default_val(services)
      ->check(CLI::Range(1, 1000));
  app.add_option("--days", days, "Days of 1-minute data")
      ->default_val(days)
      ->check(CLI::Range(1, 31));
  app.add_option("--seed", seed, "Random seed")->default_val(seed);
  app.add_option("--end", end_epoch, "End of the data, epoch seconds")->default_val(end_epoch);
  app.add_option("--web", address, "HOST:PORT (port 0: any free port)")->default_str(address);
  CLI11_PARSE(app, argc, argv);

  prescient::app::WebOptions web;
  web.address = address;
  prescient::app::InterruptWatch watch;
  prescient::web::MemorySource source("demo");
  Fill(source, services, days, static_cast<uint64_t>(seed),
       prescient::Timestamp(prescient::Duration(end_epoch)));
  auto server = prescient::app::StartDashboard(web, source, true, std::cout);
  if (!server.ok()) {
    std::cerr << "dashboard_fixture_server: error: " << server.status().message() << "\n";
    return 2;
  }
  watch.Wait();
  (*server)->Stop();
  return 0;
}
