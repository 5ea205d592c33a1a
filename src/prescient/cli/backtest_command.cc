#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "prescient/app/backtest_job.h"
#include "prescient/app/sim_feed.h"
#include "prescient/app/web_host.h"
#include "prescient/cli/commands.h"

namespace prescient::cli {
namespace {

// "30s-120s" -> {30 s, 120 s}.
Result<std::pair<Duration, Duration>> ParseRange(const std::string& text, const char* flag) {
  const size_t dash = text.find('-');
  if (dash == std::string::npos) {
    return InvalidArgumentError(std::string(flag) + ": '" + text +
                                "' is not a range MIN-MAX such as 30s-120s");
  }
  Result<Duration> lo = ParseDuration(text.substr(0, dash));
  Result<Duration> hi = ParseDuration(text.substr(dash + 1));
  if (!lo.ok() || !hi.ok() || *lo > *hi) {
    return InvalidArgumentError(std::string(flag) + ": '" + text +
                                "' is not a range MIN-MAX such as 30s-120s");
  }
  return std::make_pair(*lo, *hi);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// A progress bar on stderr, only when it is a terminal.
std::function<void(double)> ProgressBar() {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [](double f) {
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(f * kWidth);
    std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(kWidth - filled), ' ').c_str(),
                 static_cast<int>(f * 100));
    if (f >= 1.0) std::fprintf(stderr, "\r%*s\r", kWidth + 8, "");
    std::fflush(stderr);
  };
}

struct BacktestFlags {
  std::string trace, policies = "hpa,predictive,oracle,static-peak", from, to;
  std::string startup = "30s-120s", provision = "60s-180s", format = "table", output, tick = "10s";
  std::string lead, aggregate = "peak";
  double level = 95;
  double capacity_rps = app::kDefaultCapacityRps, peak_pods = app::kDefaultPeakPods, scale = 0;
  double target = 70, slo_p99_ms = 500, slo_errors = 1, spot_rate = 0;
  bool spot = false, no_placeholders = false;
  int64_t seed = 1;
};

Result<app::BacktestOptions> ToOptions(const BacktestFlags& f) {
  app::BacktestOptions o;
  o.trace_path = f.trace;
  o.policies = SplitList(f.policies);
  o.capacity_rps = f.capacity_rps;
  o.peak_pods = f.peak_pods;
  if (f.scale < 0) return InvalidArgumentError("--scale: must be > 0");
  o.scale = f.scale;
  if (!f.from.empty()) {
    Result<Timestamp> t = ParseTimestamp(f.from);
    if (!t.ok()) return InvalidArgumentError("--from: " + t.status().message());
    o.from = *t;
  }
  if (!f.to.empty()) {
    Result<Timestamp> t = ParseTimestamp(f.to);
    if (!t.ok()) return InvalidArgumentError("--to: " + t.status().message());
    o.to = *t;
  }
  PRESCIENT_ASSIGN_OR_RETURN(auto startup, ParseRange(f.startup, "--startup"));
  PRESCIENT_ASSIGN_OR_RETURN(auto provision, ParseRange(f.provision, "--provision"));
  o.cluster.startup_min = startup.first;
  o.cluster.startup_max = startup.second;
  o.cluster.provision_min = provision.first;
  o.cluster.provision_max = provision.second;
  o.cluster.use_spot = f.spot;
  if (f.spot_rate < 0)
    return InvalidArgumentError("--spot-interruptions: must be >= 0 per node-hour");
  o.cluster.spot_interruptions_per_hour = f.spot_rate;
  if (f.seed < 0) return InvalidArgumentError("--seed: must be >= 0");
  o.seed = static_cast<uint64_t>(f.seed);
  Result<Duration> tick = ParseDuration(f.tick);
  if (!tick.ok() || 60 % tick->count() != 0) {
    return InvalidArgumentError("--tick: '" + f.tick +
                                "' must divide a minute (1s, 5s, 10s, 15s, 30s, 60s...)");
  }
  o.tick = *tick;
  if (!f.lead.empty()) {
    Result<Duration> lead = ParseDuration(f.lead);
    if (!lead.ok()) return InvalidArgumentError("--lead: " + lead.status().message());
    o.lead = *lead;
  }
  o.target_utilization = f.target / 100.0;
  if (!(f.slo_p99_ms > 0)) return InvalidArgumentError("--slo-p99: must be > 0 ms");
  if (!(f.slo_errors >= 0 && f.slo_errors <= 100))
    return InvalidArgumentError("--slo-errors: must be a percentage");
  o.slo.p99_s = f.slo_p99_ms / 1000.0;
  o.slo.error_rate = f.slo_errors / 100.0;
  o.placeholders = !f.no_placeholders;
  o.level = f.level;
  if (f.aggregate != "peak" && f.aggregate != "mean") {
    return InvalidArgumentError("--size-to: '" + f.aggregate + "' is not peak or mean");
  }
  o.size_to_peak_minute = f.aggregate == "peak";
  o.record_minutes = !f.output.empty();
  if (f.format != "table" && f.format != "json") {
    return InvalidArgumentError("--format: '" + f.format + "' is not table or json");
  }
  return o;
}

}  // namespace

void AddBacktestCommand(CLI::App& app, CommandResult& result) {
  auto f = std::make_shared<BacktestFlags>();
  CLI::App* cmd = app.add_subcommand("backtest",
                                     "Replay a traffic trace through the simulated cluster under "
                                     "each scaling policy and compare.");
  cmd->add_option("--trace,-t", f->trace, "CSV timestamp,value: requests counted per bucket")
      ->required();
  cmd->add_option("--policies", f->policies,
                  "Comma-separated: hpa, predictive, oracle, static-peak")
      ->default_str(f->policies);
  cmd->add_option("--capacity-rps", f->capacity_rps, "Requests/s one pod serves at 100% CPU")
      ->default_val(f->capacity_rps);
  cmd->add_option("--peak-pods", f->peak_pods,
                  "Scale the trace so its 99th percentile needs this many pods")
      ->default_val(f->peak_pods);
  cmd->add_option("--scale", f->scale, "Multiply the trace by this factor instead of --peak-pods");
  cmd->add_option("--from", f->from,
                  "Start of the scored window (default: after 7 days of history)");
  cmd->add_option("--to", f->to, "End of the scored window (default: end of the trace)");
  cmd->add_option("--startup", f->startup, "Pod start-up delay range")->default_str(f->startup);
  cmd->add_option("--provision", f->provision, "Node provisioning delay range")
      ->default_str(f->provision);
  cmd->add_option("--seed", f->seed, "Random seed (same seed, same run)")->default_val(f->seed);
  cmd->add_option("--format", f->format, "table|json")->default_str(f->format);
  cmd->add_option("--output,-o", f->output, "Directory for per-minute CSVs, one per policy");
  cmd->add_option("--tick", f->tick, "Simulation step")->default_str(f->tick);
  cmd->add_option("--target-utilization", f->target, "HPA CPU target, percent")
      ->default_val(f->target);
  cmd->add_option("--lead", f->lead, "Predictive lead time (default: startup max + provision max)");
  cmd->add_option("--slo-p99", f->slo_p99_ms, "Latency SLO on p99, ms")->default_val(f->slo_p99_ms);
  cmd->add_option("--slo-errors", f->slo_errors, "Error-rate SLO, percent")
      ->default_val(f->slo_errors);
  cmd->add_flag("--spot", f->spot, "Provision spot capacity");
  cmd->add_option("--spot-interruptions", f->spot_rate, "Spot interruptions per node-hour")
      ->default_val(f->spot_rate);
  cmd->add_flag("--no-placeholders", f->no_placeholders, "Predictive/oracle: no placeholder pods");
  cmd->add_option("--level", f->level, "Predictive: the upper bound it sizes to, percent")
      ->default_val(f->level);
  cmd->add_option("--size-to", f->aggregate,
                  "Predictive: forecast each 5-minute bucket's busiest minute (peak) or its mean")
      ->default_str(f->aggregate);
  cmd->callback([f, &result]() {
    Result<app::BacktestOptions> o = ToOptions(*f);
    if (!o.ok()) {
      result.exit_code = ReportError(o.status());
      return;
    }
    Result<app::BacktestReport> report = app::RunBacktest(*o, ProgressBar());
    if (!report.ok()) {
      result.exit_code = ReportError(report.status());
      return;
    }
    if (!f->output.empty()) {
      if (Status s = app::WriteBacktestMinutes(*report, f->output); !s.ok()) {
        result.exit_code = ReportError(s);
        return;
      }
    }
    std::cout << (f->format == "json" ? app::FormatBacktestJson(*report)
                                      : app::FormatBacktestTable(*report));
    result.exit_code = kExitOk;
  });
}

void AddWebFlags(CLI::App* cmd, app::WebOptions& web) {
  cmd->add_option("--web", web.address,
                  "Serve the dashboard and its API on HOST:PORT (port 0: any free port)")
      ->default_str(web.address);
  cmd->add_flag(
      "--no-web", [&web](int64_t) { web.enabled = false; }, "Do not serve the dashboard");
  cmd->add_option("--web-token", web.token,
                  "Require Authorization: Bearer TOKEN on the dashboard (not on /healthz)");
  cmd->add_option("--web-token-file", web.token_file, "Read the dashboard's token from a file");
}

void AddDemoCommand(CLI::App& app, CommandResult& result) {
  auto trace = std::make_shared<std::string>(PRESCIENT_DEMO_TRACE);
  auto output = std::make_shared<std::string>();
  auto seed = std::make_shared<int64_t>(1);
  auto days = std::make_shared<int64_t>(0);
  auto web = std::make_shared<app::WebOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "The main job: replay the bundled NASA trace through hpa and predictive side by side, "
      "and serve the dashboard.");
  cmd->add_option("--trace,-t", *trace, "Trace to replay")->default_str(*trace);
  cmd->add_option("--output,-o", *output, "Directory for per-minute CSVs");
  cmd->add_option("--seed", *seed, "Random seed")->default_val(1);
  cmd->add_option("--days", *days,
                  "Replay only this many days after the first week (default: to the trace's end)");
  AddWebFlags(cmd, *web);
  cmd->callback([trace, output, seed, days, web, &result]() {
    app::BacktestOptions o;
    o.trace_path = *trace;
    o.policies = {"hpa", "predictive"};
    o.seed = static_cast<uint64_t>(std::max<int64_t>(0, *seed));
    o.record_minutes = true;
    if (*days < 0) {
      result.exit_code = ReportError(InvalidArgumentError("--days: must be >= 1"));
      return;
    }
    if (*days > 0) o.length = Duration(*days * 86400);
    // The dashboard serves while the replay runs: services fill in minute by minute.
    std::optional<app::InterruptWatch> watch;
    if (web->enabled) watch.emplace();
    web::MemorySource source("demo");
    Result<std::unique_ptr<web::DashboardServer>> server =
        app::StartDashboard(*web, source, /*bind_failure_fatal=*/true, std::cout);
    if (!server.ok()) {
      result.exit_code = ReportError(server.status());
      return;
    }
    app::SimFeed feed(source);
    const web::SloTarget slo{o.slo.p99_s, o.slo.error_rate, 0.999};
    if (*server != nullptr) {
      o.on_minute = [&](const std::string& policy, const sim::MinuteRecord& m, double expected,
                        double upper, const sim::Simulator& sim) {
        feed.AddMinute("web-" + policy, "web", policy, slo, m, expected, upper);
        // Nodes every 10 simulated minutes: enough for a live view, cheap.
        if (m.time.time_since_epoch().count() % 600 == 0) {
          source.SetClusterNodes(policy, app::ToNodeInfos(sim.cluster(), policy));
        }
        return !watch->interrupted();
      };
    }
    std::cout << "Replaying " << *trace
              << " on the simulated cluster: the HPA alone, then predictive scaling.\n"
              << std::flush;
    Result<app::BacktestReport> report = app::RunBacktest(o, ProgressBar());
    if (!report.ok()) {
      result.exit_code = ReportError(report.status());
      return;
    }
    for (const app::PolicyResult& r : report->results) {
      const std::string id = "web-" + r.policy;
      if (std::isfinite(r.accuracy.mape) && r.accuracy.forecasts > 0) {
        source.SetAccuracy(id, 100 - r.accuracy.mape);
      }
      web::ServiceTotals t;
      t.requests = r.service.requests;
      t.failed_requests = r.service.failed_requests;
      t.slow_requests = r.service.slow_requests;
      t.pod_hours = r.service.pod_seconds / 3600;
      t.placeholder_pod_hours = r.service.placeholder_pod_seconds / 3600;
      t.scale_events = static_cast<double>(r.service.scale_events);
      source.SetTotals(id, t);
    }
    if (!output->empty()) {
      if (Status s = app::WriteBacktestMinutes(*report, *output); !s.ok()) {
        result.exit_code = ReportError(s);
        return;
      }
    }
    std::cout << app::FormatBacktestTable(*report) << '\n'
              << app::FormatWorstDayChart(*report, "hpa", "predictive");
    if (*server != nullptr) {
      std::cout << "dashboard: " << (*server)->url() << " (serving until Ctrl-C)" << std::endl;
      watch->Wait();
      (*server)->Stop();
    }
    result.exit_code = kExitOk;
  });
}

}  // namespace prescient::cli
