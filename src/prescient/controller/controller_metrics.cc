#include "prescient/controller/controller_metrics.h"

#include <iterator>

#include "prescient/metrics/exposition_writer.h"

namespace prescient::controller {
namespace {

// Forecasts take from well under a millisecond (a refit) to seconds (a re-selection).
constexpr double kDurationBuckets[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30};

}  // namespace

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
  metrics::ExpositionWriter w;
  auto gauge = [&](const char* name, const char* help, auto value) {
    w.Family(name, "gauge", help);
    for (const auto& [policy, g] : gauges_) {
      w.Sample(name, {{"policy", policy}, {"target", g.target}}, value(g));
    }
  };
  gauge("prescient_predicted_rps", "Forecast mean load for the current bucket (requests/s).",
        [](const PolicyGauges& g) { return g.predicted_rps; });
  gauge("prescient_predicted_rps_upper",
        "Upper bound of the forecast at the policy's level, what sizing uses (requests/s).",
        [](const PolicyGauges& g) { return g.predicted_rps_upper; });
  gauge("prescient_predicted_replicas", "Pods the latest plan wants for the current minute.",
        [](const PolicyGauges& g) { return g.predicted_replicas; });
  gauge("prescient_prediction_accuracy_percent",
        "100 - MAPE of finished forecasts against what happened, mean of the last 10.",
        [](const PolicyGauges& g) { return g.accuracy_percent; });
  gauge("prescient_floor_replicas",
        "The HPA minReplicas (or the Deployment's replicas) currently in force.",
        [](const PolicyGauges& g) { return g.floor_replicas; });
  gauge("prescient_placeholder_replicas", "Placeholder pause pods held for warm nodes.",
        [](const PolicyGauges& g) { return g.placeholder_replicas; });
  gauge("prescient_metrics_stale",
        "1 while the policy's metric is missing or stale: the floor is held, never lowered.",
        [](const PolicyGauges& g) { return g.metrics_stale ? 1.0 : 0.0; });

  w.Family("prescient_forecast_duration_seconds", "histogram", "Time to make one forecast.");
  for (const auto& [policy, h] : durations_) {
    double cumulative = 0;
    for (size_t i = 0; i < std::size(kDurationBuckets); ++i) {
      cumulative += h.counts[i];
      const std::string le = metrics::ExpositionWriter::Number(kDurationBuckets[i]);
      w.Sample("prescient_forecast_duration_seconds_bucket", {{"policy", policy}, {"le", le}},
               cumulative);
    }
    w.Sample("prescient_forecast_duration_seconds_bucket", {{"policy", policy}, {"le", "+Inf"}},
             h.count);
    w.Sample("prescient_forecast_duration_seconds_sum", {{"policy", policy}}, h.sum);
    w.Sample("prescient_forecast_duration_seconds_count", {{"policy", policy}}, h.count);
  }
  w.Family("prescient_policy_errors_total", "counter",
           "Errors per policy by kind (config, kubernetes, metrics, forecast).");
  for (const auto& [key, n] : errors_) {
    w.Sample("prescient_policy_errors_total", {{"policy", key.first}, {"kind", key.second}}, n);
  }
  w.Family("prescient_scaling_actions_total", "counter", "Changes decided, by field and result.");
  for (const auto& [key, n] : actions_) {
    w.Sample(
        "prescient_scaling_actions_total",
        {{"policy", std::get<0>(key)}, {"field", std::get<1>(key)}, {"result", std::get<2>(key)}},
        n);
  }
  w.Family("prescient_retrains_total", "counter",
           "Model re-selections after the accuracy fell under 85%.");
  for (const auto& [policy, n] : retrains_) {
    w.Sample("prescient_retrains_total", {{"policy", policy}}, n);
  }
  w.Family("prescient_leader", "gauge", "1 on the instance that holds the leader lease.");
  w.Sample("prescient_leader", {}, leader_ ? 1 : 0);
  return w.Take();
}

}  // namespace prescient::controller
