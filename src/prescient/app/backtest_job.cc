// Each policy gets a fresh simulator built from the same options and seed, so the only
// difference between two runs is the policy. The replay starts `warmup` before the
// scored window (from a warm state sized as the HPA would size it) so that start-up
// transients are not scored. The controller tick is a minute: at each minute the policy
// acts, then the cluster runs for a minute.
#include "prescient/app/backtest_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "prescient/metrics/series_csv.h"
#include "prescient/scaling/oracle_policy.h"
#include "prescient/scaling/predictive_policy.h"
#include "prescient/scaling/simple_policies.h"

namespace prescient::app {
namespace {

struct Prepared {
  sim::LoadTrace trace;
  Series truth;  // Per-minute rps over the whole trace.
  Timestamp from, to;
};

Status Validate(const BacktestOptions& o) {
  if (!(o.capacity_rps > 0) || !std::isfinite(o.capacity_rps)) {
    return InvalidArgumentError("--capacity-rps: must be a number > 0");
  }
  if (o.scale <= 0 && !(o.peak_pods > 0 && std::isfinite(o.peak_pods))) {
    return InvalidArgumentError("--peak-pods: must be a number > 0");
  }
  if (o.policies.empty()) return InvalidArgumentError("--policies: empty list");
  for (const std::string& p : o.policies) {
    if (std::find(kAllPolicies.begin(), kAllPolicies.end(), p) == kAllPolicies.end()) {
      return InvalidArgumentError("--policies: unknown policy '" + p +
                                  "' (expected hpa, predictive, oracle or static-peak)");
    }
  }
  if (o.cluster.startup_min > o.cluster.startup_max || o.cluster.startup_min.count() < 0) {
    return InvalidArgumentError("--startup: the range must be MIN-MAX with 0 <= MIN <= MAX");
  }
  if (o.cluster.provision_min > o.cluster.provision_max || o.cluster.provision_min.count() < 0) {
    return InvalidArgumentError("--provision: the range must be MIN-MAX with 0 <= MIN <= MAX");
  }
  if (!(o.level > 0 && o.level < 100))
    return InvalidArgumentError("--level: must be a percentage in (0, 100)");
  if (!(o.target_utilization > 0 && o.target_utilization <= 1)) {
    return InvalidArgumentError("--target-utilization: must be in (0, 100] percent");
  }
  return OkStatus();
}

Result<Prepared> Prepare(const BacktestOptions& o, BacktestReport& report) {
  PRESCIENT_ASSIGN_OR_RETURN(Series counts, metrics::ReadSeriesCsv(o.trace_path));
  PRESCIENT_ASSIGN_OR_RETURN(sim::LoadTrace trace,
                             sim::LoadTrace::FromCounts(counts, o.trace_path));
  Prepared p{std::move(trace), {}, {}, {}};
  const Timestamp start = std::chrono::ceil<std::chrono::minutes>(p.trace.start());
  const Timestamp end = std::chrono::floor<std::chrono::minutes>(p.trace.end());
  const Duration span = end - start;
  const Duration history = scaling::kMinimumHistory;
  if (o.from.has_value()) {
    p.from = std::chrono::floor<std::chrono::minutes>(*o.from);
  } else {
    p.from = start + (span >= Duration(8 * 86400) ? Duration(7 * 86400) : history + o.warmup);
  }
  p.to = o.to.has_value() ? std::chrono::floor<std::chrono::minutes>(*o.to) : end;
  if (o.length.has_value()) {
    p.to = std::min(end, p.from + std::chrono::floor<std::chrono::minutes>(*o.length));
  }
  if (p.from < start || p.from >= end) {
    return InvalidArgumentError("--from: " + FormatTimestamp(p.from) + " is outside the trace (" +
                                FormatTimestamp(start) + " to " + FormatTimestamp(end) + ")");
  }
  if (p.to > end || p.to <= p.from) {
    return InvalidArgumentError("--to: must be after --from and within the trace (ends " +
                                FormatTimestamp(end) + ")");
  }
  if (p.to - p.from < Duration(3600)) {
    return InvalidArgumentError(o.trace_path + ": less than an hour to replay between " +
                                FormatTimestamp(p.from) + " and " + FormatTimestamp(p.to));
  }
  const bool forecasts =
      std::find(o.policies.begin(), o.policies.end(), "predictive") != o.policies.end();
  // The forecaster needs its history before the warm-up starts.
  if (forecasts && p.from - o.warmup - start < history) {
    return InvalidArgumentError(o.trace_path + ": trace too short for the forecast: " +
                                FormatDuration(std::max(Duration(0), p.from - o.warmup - start)) +
                                " of history before the replay starts at " +
                                FormatTimestamp(p.from - o.warmup) +
                                " (--from minus a 1h warm-up), need " + FormatDuration(history));
  }
  const double p99 = p.trace.Quantile(0.99);
  if (o.scale > 0) {
    report.scale = o.scale;
  } else {
    if (!(p99 > 0))
      return InvalidArgumentError(o.trace_path +
                                  ": the trace carries no load (99th percentile is 0)");
    report.scale = o.peak_pods * o.capacity_rps / p99;
  }
  p.trace.Scale(report.scale);
  p.truth = p.trace.MinuteRates(start, end);
  report.p99_rps = p99 * report.scale;
  report.trace_start = p.trace.start();
  report.trace_end = p.trace.end();
  report.from = p.from;
  report.to = p.to;
  const auto i0 = static_cast<size_t>((p.from - start).count() / 60);
  const auto i1 = static_cast<size_t>((p.to - start).count() / 60);
  for (size_t i = i0; i < i1 && i < p.truth.size(); ++i)
    report.peak_rps = std::max(report.peak_rps, p.truth[i]);
  return p;
}

std::unique_ptr<scaling::Policy> MakePolicy(const std::string& name, const BacktestOptions& o,
                                            const Prepared& p, double peak_rps) {
  scaling::ScheduleOptions schedule;
  schedule.capacity_rps = o.capacity_rps;
  schedule.target_utilization = o.target_utilization;
  schedule.lead = o.lead.value_or(o.cluster.startup_max + o.cluster.provision_max);
  schedule.placeholders = o.placeholders;
  if (name == "hpa")
    return std::make_unique<scaling::HpaPolicy>(o.capacity_rps, o.target_utilization);
  if (name == "static-peak")
    return std::make_unique<scaling::StaticPeakPolicy>(peak_rps, o.capacity_rps);
  if (name == "oracle") return std::make_unique<scaling::OraclePolicy>(schedule, p.truth);
  scaling::PredictiveOptions po;
  po.schedule = schedule;
  po.refresh = o.refresh;
  po.horizon = o.horizon;
  po.level = o.level;
  po.peak = o.size_to_peak_minute;
  return std::make_unique<scaling::PredictivePolicy>(po);
}

Result<PolicyResult> RunOne(const std::string& name, const BacktestOptions& o, const Prepared& p,
                            const BacktestReport& report,
                            const std::function<void(double)>& progress, double done,
                            double share) {
  std::unique_ptr<scaling::Policy> policy = MakePolicy(name, o, p, report.peak_rps);
  const Timestamp start = p.from - o.warmup;
  sim::ServiceSpec spec;
  spec.name = "web";
  spec.trace = p.trace;
  spec.workload.capacity_rps = o.capacity_rps;
  spec.hpa = policy->UsesHpa();
  spec.hpa_spec.min_replicas = scaling::kDefaultMinReplicas;
  spec.hpa_spec.target_cpu_utilization_percent =
      static_cast<int>(std::lround(o.target_utilization * 100));
  spec.hpa_spec.max_replicas =
      std::max(100, 4 * scaling::PodsForLoad(report.peak_rps, o.capacity_rps));
  spec.initial_replicas = policy->InitialReplicas(p.trace.RateAt(start));
  sim::SimulatorOptions so;
  so.tick = o.tick;
  so.seed = o.seed;
  so.cluster = o.cluster;
  so.slo = o.slo;
  so.record_minutes = o.record_minutes;
  PRESCIENT_ASSIGN_OR_RETURN(std::unique_ptr<sim::Simulator> sim,
                             sim::Simulator::Create(so, {std::move(spec)}, start));
  PolicyResult r;
  r.policy = name;
  const double total = static_cast<double>((p.to - start).count());
  int64_t minute = 0;
  for (Timestamp t = start; t < p.to; t += Duration(60), ++minute) {
    if (t == p.from) sim->StartScoring();
    if (Status s = policy->Tick(sim->target(0)); !s.ok()) {
      if (r.policy_errors++ == 0) r.first_error = s.message();
    }
    if (o.record_minutes && t >= p.from) {
      r.expected.push_back(policy->ExpectedLoad());
      r.upper.push_back(policy->ExpectedUpper());
    }
    sim->RunUntil(t + Duration(60));
    if (o.on_minute && o.record_minutes && t >= p.from && !sim->minutes(0).empty() &&
        !o.on_minute(name, sim->minutes(0).back(), r.expected.back(), r.upper.back(), *sim)) {
      return AbortedError("interrupted during the " + name + " replay");
    }
    if (progress && minute % 1440 == 0) {
      progress(done + share * static_cast<double>((t - start).count()) / total);
    }
  }
  r.service = sim->totals(0);
  r.cluster = sim->cluster_totals();
  r.accuracy = policy->Accuracy(p.truth);
  r.minutes = sim->minutes(0);
  r.live_nodes_at_end = sim->LiveNodes();
  return r;
}

}  // namespace

Result<BacktestReport> RunBacktest(const BacktestOptions& options,
                                   const std::function<void(double)>& progress) {
  PRESCIENT_RETURN_IF_ERROR(Validate(options));
  BacktestReport report;
  report.trace = options.trace_path;
  report.capacity_rps = options.capacity_rps;
  report.seed = options.seed;
  PRESCIENT_ASSIGN_OR_RETURN(Prepared p, Prepare(options, report));
  const double share = 1.0 / static_cast<double>(options.policies.size());
  for (size_t i = 0; i < options.policies.size(); ++i) {
    PRESCIENT_ASSIGN_OR_RETURN(PolicyResult r,
                               RunOne(options.policies[i], options, p, report, progress,
                                      share * static_cast<double>(i), share));
    report.results.push_back(std::move(r));
  }
  if (progress) progress(1.0);
  return report;
}

}  // namespace prescient::app
