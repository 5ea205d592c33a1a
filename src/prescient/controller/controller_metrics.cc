#include "prescient/controller/controller_metrics.h"

#include <cmath>
#include <sstream>

namespace prescient::controller {
namespace {

// Forecasts take from well under a millisecond (a refit) to seconds (a re-selection).
constexpr double kDurationBuckets[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30};

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void ControllerMetrics::SetPolicy(const std::string& policy, const PolicyGauges& gauges) {
  std::lock_guard lock(mu_);
  gauges_[policy] = gauges;
}

void ControllerMetrics::ObserveForecastDuration(const std::string& policy, double seconds) {
  std::lock_guard lock(mu_);
  Histogram& h = durations_[policy];
  h.counts.resize(std::size(kDurationBuckets) + 1);
  size_t i = 0;
  while (i < std::size(kDurationBuckets) && seconds > kDurationBuckets[i]) ++i;
  h.counts[i] += 1;
  h.sum += seconds;
  h.count += 1;
}

void ControllerMetrics::CountError(const std::string& policy, std::string_view kind) {
  std::lock_guard lock(mu_);
  errors_[{policy, std::string(kind)}] += 1;
}

void ControllerMetrics::CountAction(const std::string& policy, std::string_view field,
                                    std::string_view result) {
  std::lock_guard lock(mu_);
  actions_[{policy, std::string(field), std::string(result)}] += 1;
}

void ControllerMetrics::CountRetrain(const std::string& policy) {
  std::lock_guard lock(mu_);
  retrains_[policy] += 1;
}

void ControllerMetrics::SetLeader(bool leader) {
  std::lock_guard lock(mu_);
  leader_ = leader;
}

std::string ControllerMetrics::Render() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  auto labels = [](const std::string& policy, const std::string& target) {
    return "policy=\"" + EscapeLabel(policy) + "\",target=\"" + EscapeLabel(target) + "\"";
  };
  auto gauge = [&](const char* name, const char* help, double PolicyGauges::*field) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
    for (const auto& [policy, g] : gauges_) {
      out << name << "{" << labels(policy, g.target) << "} " << Number(g.*field) << "\n";
    }
  };
  gauge("prescient_predicted_rps", "Forecast mean load for the current bucket (requests/s).",
        &PolicyGauges::predicted_rps);
  gauge("prescient_predicted_rps_upper",
        "Upper bound of the forecast at the policy's level, what sizing uses (requests/s).",
        &PolicyGauges::predicted_rps_upper);
  gauge("prescient_predicted_replicas", "Pods the latest plan wants for the current minute.",
        &PolicyGauges::predicted_replicas);
  gauge("prescient_prediction_accuracy_percent",
        "100 - MAPE of finished forecasts against what happened, mean of the last 10.",
        &PolicyGauges::accuracy_percent);
  gauge("prescient_floor_replicas",
        "The HPA minReplicas (or the Deployment's replicas) currently in force.",
        &PolicyGauges::floor_replicas);
  gauge("prescient_placeholder_replicas", "Placeholder pause pods held for warm nodes.",
        &PolicyGauges::placeholder_replicas);
  out << "# HELP prescient_metrics_stale 1 while the policy's metric is missing or stale: "
         "the floor is held, never lowered.\n# TYPE prescient_metrics_stale gauge\n";
  for (const auto& [policy, g] : gauges_) {
    out << "prescient_metrics_stale{" << labels(policy, g.target) << "} "
        << (g.metrics_stale ? 1 : 0) << "\n";
  }
  out << "# HELP prescient_forecast_duration_seconds Time to make one forecast.\n"
         "# TYPE prescient_forecast_duration_seconds histogram\n";
  for (const auto& [policy, h] : durations_) {
    const std::string l = "policy=\"" + EscapeLabel(policy) + "\"";
    double cumulative = 0;
    for (size_t i = 0; i < std::size(kDurationBuckets); ++i) {
      cumulative += h.counts[i];
      out << "prescient_forecast_duration_seconds_bucket{" << l << ",le=\""
          << Number(kDurationBuckets[i]) << "\"} " << Number(cumulative) << "\n";
    }
    out << "prescient_forecast_duration_seconds_bucket{" << l << ",le=\"+Inf\"} "
        << Number(h.count) << "\n";
    out << "prescient_forecast_duration_seconds_sum{" << l << "} " << Number(h.sum) << "\n";
    out << "prescient_forecast_duration_seconds_count{" << l << "} " << Number(h.count) << "\n";
  }
  out << "# HELP prescient_policy_errors_total Errors per policy by kind (config, kubernetes, "
         "metrics, forecast).\n# TYPE prescient_policy_errors_total counter\n";
  for (const auto& [key, n] : errors_) {
    out << "prescient_policy_errors_total{policy=\"" << EscapeLabel(key.first) << "\",kind=\""
        << EscapeLabel(key.second) << "\"} " << Number(n) << "\n";
  }
  out << "# HELP prescient_scaling_actions_total Changes decided, by field and result.\n"
         "# TYPE prescient_scaling_actions_total counter\n";
  for (const auto& [key, n] : actions_) {
    out << "prescient_scaling_actions_total{policy=\"" << EscapeLabel(std::get<0>(key))
        << "\",field=\"" << EscapeLabel(std::get<1>(key)) << "\",result=\""
        << EscapeLabel(std::get<2>(key)) << "\"} " << Number(n) << "\n";
  }
  out << "# HELP prescient_retrains_total Model re-selections after the accuracy fell under "
         "85%.\n# TYPE prescient_retrains_total counter\n";
  for (const auto& [policy, n] : retrains_) {
    out << "prescient_retrains_total{policy=\"" << EscapeLabel(policy) << "\"} " << Number(n)
        << "\n";
  }
  out << "# HELP prescient_leader 1 on the instance that holds the leader lease.\n"
         "# TYPE prescient_leader gauge\nprescient_leader "
      << (leader_ ? 1 : 0) << "\n";
  return out.str();
}

}  // namespace prescient::controller
