// How a backtest is shown: the table for people, JSON for tools, CSV for plots, and the
// worst day as a text chart for a terminal.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prescient/app/backtest_job.h"

namespace prescient::app {
namespace {

double Hours(double seconds) { return seconds / 3600.0; }

double MeanCpu(const sim::ServiceTotals& t) {
  return t.cpu_minutes > 0 ? 100.0 * t.cpu_utilization_sum / static_cast<double>(t.cpu_minutes) : 0;
}

std::string Fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Pad(const std::string& s, size_t width, bool left = false) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

const PolicyResult* Find(const BacktestReport& r, const std::string& name) {
  for (const PolicyResult& p : r.results) {
    if (p.policy == name) return &p;
  }
  return nullptr;
}

std::string Change(double now, double before) {
  if (before == 0) return now == 0 ? "same" : "n/a";
  const double pct = 100.0 * (now - before) / before;
  return (pct >= 0 ? "+" : "") + Fixed(pct, 1) + "%";
}

nlohmann::json NumberOrNull(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

}  // namespace

std::string FormatBacktestTable(const BacktestReport& r) {
  std::ostringstream out;
  out << "trace " << r.trace << ": replayed " << FormatTimestamp(r.from) << " to "
      << FormatTimestamp(r.to) << " ("
      << Fixed(static_cast<double>((r.to - r.from).count()) / 86400.0, 1) << " days), scaled x"
      << Fixed(r.scale, 4) << " (p99 " << Fixed(r.p99_rps, 0) << " rps, peak "
      << Fixed(r.peak_rps, 0) << " rps; " << Fixed(r.capacity_rps, 0) << " rps per pod), seed "
      << r.seed << "\n\n";
  const std::vector<std::pair<std::string, size_t>> cols = {
      {"policy", 12},    {"SLO-viol min", 13}, {"failed req", 12}, {"slow req", 11},
      {"pod-hours", 10}, {"node-hours", 11},   {"cost $", 9},      {"scale events", 13},
      {"CPU %", 7},      {"MAPE %", 7}};
  for (size_t i = 0; i < cols.size(); ++i) out << Pad(cols[i].first, cols[i].second, i == 0);
  out << '\n';
  for (const PolicyResult& p : r.results) {
    const std::vector<std::string> cells = {p.policy,
                                            std::to_string(p.service.slo_violation_minutes),
                                            Fixed(p.service.failed_requests, 0),
                                            Fixed(p.service.slow_requests, 0),
                                            Fixed(Hours(p.service.pod_seconds), 1),
                                            Fixed(Hours(p.cluster.node_seconds), 1),
                                            Fixed(p.cluster.cost_usd, 2),
                                            std::to_string(p.service.scale_events),
                                            Fixed(MeanCpu(p.service), 1),
                                            Fixed(p.accuracy.mape, 1)};
    for (size_t i = 0; i < cols.size(); ++i) out << Pad(cells[i], cols[i].second, i == 0);
    out << '\n';
  }
  const PolicyResult* pred = Find(r, "predictive");
  const PolicyResult* hpa = Find(r, "hpa");
  const PolicyResult* oracle = Find(r, "oracle");
  if (pred != nullptr && hpa != nullptr) {
    out << "\npredictive vs hpa: SLO-violation minutes "
        << Change(static_cast<double>(pred->service.slo_violation_minutes),
                  static_cast<double>(hpa->service.slo_violation_minutes))
        << " (" << hpa->service.slo_violation_minutes << " -> "
        << pred->service.slo_violation_minutes << "), pod-hours "
        << Change(pred->service.pod_seconds, hpa->service.pod_seconds) << ", cost "
        << Change(pred->cluster.cost_usd, hpa->cluster.cost_usd) << '\n';
  }
  if (pred != nullptr && oracle != nullptr) {
    out << "predictive vs oracle: pod-hours "
        << Change(pred->service.pod_seconds, oracle->service.pod_seconds)
        << ", SLO-violation minutes " << pred->service.slo_violation_minutes << " vs "
        << oracle->service.slo_violation_minutes << '\n';
  }
  for (const PolicyResult& p : r.results) {
    if (p.policy_errors > 0) {
      out << p.policy << ": " << p.policy_errors
          << " controller ticks failed; first: " << p.first_error << '\n';
    }
  }
  return out.str();
}

std::string FormatBacktestJson(const BacktestReport& r) {
  nlohmann::json j;
  j["trace"] = r.trace;
  j["trace_start"] = FormatTimestamp(r.trace_start);
  j["trace_end"] = FormatTimestamp(r.trace_end);
  j["from"] = FormatTimestamp(r.from);
  j["to"] = FormatTimestamp(r.to);
  j["scale"] = r.scale;
  j["capacity_rps"] = r.capacity_rps;
  j["p99_rps"] = r.p99_rps;
  j["peak_rps"] = r.peak_rps;
  j["seed"] = r.seed;
  nlohmann::json policies = nlohmann::json::array();
  for (const PolicyResult& p : r.results) {
    nlohmann::json q;
    q["policy"] = p.policy;
    q["minutes"] = p.service.minutes;
    q["slo_violation_minutes"] = p.service.slo_violation_minutes;
    q["requests"] = p.service.requests;
    q["failed_requests"] = p.service.failed_requests;
    q["slow_requests"] = p.service.slow_requests;
    q["pod_hours"] = Hours(p.service.pod_seconds);
    q["placeholder_pod_hours"] = Hours(p.service.placeholder_pod_seconds);
    q["node_hours"] = Hours(p.cluster.node_seconds);
    q["cost_usd"] = p.cluster.cost_usd;
    q["peak_nodes"] = p.cluster.peak_nodes;
    q["scale_events"] = p.service.scale_events;
    q["mean_cpu_utilization_percent"] = MeanCpu(p.service);
    if (p.accuracy.forecasts > 0) {
      q["forecast"] = {{"forecasts", p.accuracy.forecasts},
                       {"points", p.accuracy.points},
                       {"mape_percent", NumberOrNull(p.accuracy.mape)},
                       {"accuracy_percent", NumberOrNull(100 - p.accuracy.mape)},
                       {"over_prediction_rate", NumberOrNull(p.accuracy.over_prediction_rate)},
                       {"under_prediction_rate", NumberOrNull(p.accuracy.under_prediction_rate)},
                       {"upper_bound_coverage", NumberOrNull(p.accuracy.upper_coverage)}};
    } else {
      q["forecast"] = nullptr;
    }
    q["controller_errors"] = p.policy_errors;
    policies.push_back(std::move(q));
  }
  j["policies"] = std::move(policies);
  return j.dump(2) + "\n";
}

Status WriteBacktestMinutes(const BacktestReport& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return InvalidArgumentError("--output: cannot create directory " + dir + ": " + ec.message());
  for (const PolicyResult& p : r.results) {
    const std::string path = dir + "/" + p.policy + ".csv";
    std::ofstream out(path);
    if (!out) return InvalidArgumentError("--output: cannot write " + path);
    out << "timestamp,load_rps,forecast_rps,forecast_upper_rps,replicas,ready_pods,hpa_min_"
           "replicas,"
           "placeholder_pods,p50_ms,p99_ms,error_rate,cpu_utilization,slo_violation\n";
    for (size_t i = 0; i < p.minutes.size(); ++i) {
      const sim::MinuteRecord& m = p.minutes[i];
      const double e = i < p.expected.size() ? p.expected[i] : NAN;
      const double u = i < p.upper.size() ? p.upper[i] : NAN;
      out << FormatTimestamp(m.time) << ',' << Fixed(m.stats.load_rps, 3) << ','
          << (std::isnan(e) ? "" : Fixed(e, 3)) << ',' << (std::isnan(u) ? "" : Fixed(u, 3)) << ','
          << m.replicas << ',' << m.ready << ',' << m.hpa_min << ',' << m.placeholders << ','
          << Fixed(m.stats.p50_s * 1000, 1) << ',' << Fixed(m.stats.p99_s * 1000, 1) << ','
          << Fixed(m.stats.error_rate, 5) << ',' << Fixed(m.stats.cpu_utilization, 3) << ','
          << (m.slo_violation ? 1 : 0) << '\n';
    }
    if (!out) return InternalError("--output: write failed for " + path);
  }
  return OkStatus();
}

std::string FormatWorstDayChart(const BacktestReport& r, const std::string& policy,
                                const std::string& other) {
  const PolicyResult* a = Find(r, policy);
  const PolicyResult* b = Find(r, other);
  if (a == nullptr || b == nullptr || a->minutes.empty()) return "";
  std::map<int64_t, int> per_day;
  for (const sim::MinuteRecord& m : a->minutes) {
    per_day[m.time.time_since_epoch().count() / 86400] += m.slo_violation ? 1 : 0;
  }
  int64_t day = per_day.begin()->first;
  for (const auto& [d, n] : per_day) {
    if (n > per_day[day]) day = d;
  }
  struct Hour {
    double load = 0, a_ready = 0, b_ready = 0;
    int a_viol = 0, b_viol = 0, n = 0;
  };
  std::vector<Hour> hours(24);
  auto fold = [&](const PolicyResult& p, bool first) {
    for (const sim::MinuteRecord& m : p.minutes) {
      const int64_t s = m.time.time_since_epoch().count();
      if (s / 86400 != day) continue;
      Hour& h = hours[static_cast<size_t>((s % 86400) / 3600)];
      if (first) {
        h.load += m.stats.load_rps;
        ++h.n;
        h.a_ready += m.ready;
        h.a_viol += m.slo_violation ? 1 : 0;
      } else {
        h.b_ready += m.ready;
        h.b_viol += m.slo_violation ? 1 : 0;
      }
    }
  };
  fold(*a, true);
  fold(*b, false);
  double max_load = 0;
  int a_total = 0, b_total = 0;
  for (const Hour& h : hours) {
    if (h.n > 0) max_load = std::max(max_load, h.load / h.n);
    a_total += h.a_viol;
    b_total += h.b_viol;
  }
  std::ostringstream out;
  out << "Worst day for " << policy << ": "
      << FormatTimestamp(Timestamp(Duration(day * 86400))).substr(0, 10) << " UTC (" << policy
      << " " << a_total << " SLO-violation minutes, " << other << " " << b_total << ")\n";
  out << "hour  mean load (rps)                        " << Pad(policy + " pods", 10)
      << Pad(other + " pods", 17) << Pad(policy + " bad min", 13) << Pad(other + " bad min", 20)
      << '\n';
  constexpr int kBar = 30;
  for (int hr = 0; hr < 24; ++hr) {
    const Hour& h = hours[static_cast<size_t>(hr)];
    if (h.n == 0) continue;
    const double load = h.load / h.n;
    const int len = max_load > 0 ? static_cast<int>(std::lround(kBar * load / max_load)) : 0;
    out << (hr < 10 ? "0" : "") << hr << "    " << std::string(static_cast<size_t>(len), '#')
        << std::string(static_cast<size_t>(kBar - len), ' ') << Pad(Fixed(load, 0), 7)
        << Pad(Fixed(h.a_ready / h.n, 1), 12) << Pad(Fixed(h.b_ready / h.n, 1), 17)
        << Pad(std::to_string(h.a_viol), 13) << Pad(std::to_string(h.b_viol), 20) << '\n';
  }
  return out.str();
}

}  // namespace prescient::app
