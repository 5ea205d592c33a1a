// The backtest job behind `prescient backtest` and `prescient demo`: replays one traffic
// trace through the simulated cluster once per scaling policy (same seed, same trace,
// same cluster), and reports what each policy cost and what users got.
// Thread-compatible. Tested by backtest_job_test.cc and cli/cli_test.cc.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/status.h"
#include "prescient/core/time.h"
#include "prescient/scaling/policy.h"
#include "prescient/sim/simulator.h"

namespace prescient::app {

inline constexpr double kDefaultCapacityRps = 100;
inline constexpr double kDefaultPeakPods = 20;
inline constexpr double kDefaultTargetUtilization = 0.70;
inline constexpr Duration kDefaultWarmup{3600};
inline const std::vector<std::string> kAllPolicies = {"hpa", "predictive", "oracle", "static-peak"};

struct BacktestOptions {
  std::string trace_path;
  std::vector<std::string> policies = kAllPolicies;
  double capacity_rps = kDefaultCapacityRps;  // Requests/s one pod serves at 100% CPU.
  // Scaling of the trace: `scale` multiplies it if > 0; otherwise it is scaled so that its
  // 99th-percentile rate equals peak_pods pods at capacity.
  double peak_pods = kDefaultPeakPods;
  double scale = 0;
  std::optional<Timestamp> from, to;  // Scored window; default: after 7 days of history.
  sim::ClusterOptions cluster;
  uint64_t seed = 1;
  Duration tick = sim::kDefaultTick;
  Duration warmup = kDefaultWarmup;  // Simulated before `from`, not scored.
  double target_utilization = kDefaultTargetUtilization;
  sim::SloOptions slo;
  Duration refresh{900};
  Duration horizon{7200};
  double level = 95;                // Predictive sizes to this upper bound.
  bool size_to_peak_minute = true;  // Predictive forecasts each bucket's busiest minute.
  std::optional<Duration> lead;     // Default: startup max + provision max.
  bool placeholders = true;
  bool record_minutes = false;  // Keep per-minute series (for --output and charts).
  // If set, the scored window ends this long after its start (clipped to the trace).
  std::optional<Duration> length;
  // If set (with record_minutes), called after each scored minute of each policy's replay
  // with the minute, the forecast made before it (NaN if the policy does not forecast) and
  // the simulator, on the replay's thread; returning false stops the replay (Aborted).
  std::function<bool(const std::string& policy, const sim::MinuteRecord& minute, double expected,
                     double upper, const sim::Simulator& sim)>
      on_minute;
};

struct PolicyResult {
  std::string policy;
  sim::ServiceTotals service;
  sim::ClusterTotals cluster;
  scaling::ForecastAccuracy accuracy;
  int64_t policy_errors = 0;
  std::string first_error;
  std::vector<sim::MinuteRecord> minutes;  // When recorded.
  std::vector<double> expected, upper;     // Per recorded minute; NaN if not forecasting.
  int live_nodes_at_end = 0;
};

struct BacktestReport {
  std::string trace;
  Timestamp trace_start{}, trace_end{}, from{}, to{};
  double scale = 1;
  double capacity_rps = 0;
  double p99_rps = 0;   // Of the scaled trace.
  double peak_rps = 0;  // Highest minute in the scored window.
  uint64_t seed = 0;
  std::vector<PolicyResult> results;
};

// `progress` (may be empty) gets the fraction done, 0..1, now and then.
// InvalidArgument for bad input (file, trace too short, unknown policy...).
Result<BacktestReport> RunBacktest(const BacktestOptions& options,
                                   const std::function<void(double)>& progress = {});

// The comparison table, then how predictive compares with hpa and oracle.
std::string FormatBacktestTable(const BacktestReport& report);
// Stable JSON (docs/backtest-json.md).
std::string FormatBacktestJson(const BacktestReport& report);
// One CSV per policy in `dir`: <policy>.csv with the per-minute series.
Status WriteBacktestMinutes(const BacktestReport& report, const std::string& dir);
// A plain-text chart of the day with the most SLO-violation minutes under `policy`,
// comparing it with `other` (load, replicas, violations per hour).
std::string FormatWorstDayChart(const BacktestReport& report, const std::string& policy,
                                const std::string& other);

}  // namespace prescient::app
