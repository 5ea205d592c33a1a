// ControllerMetrics: what `prescient run` exports on its /metrics (Prometheus text
// format 0.0.4), per policy (labels policy="ns/name", target="deployment"):
//   prescient_predicted_rps               forecast mean for the current bucket
//   prescient_predicted_rps_upper         its upper bound at the policy's level
//   prescient_predicted_replicas          pods the plan wants now
//   prescient_prediction_accuracy_percent mean of the last 10 evaluations (100 - MAPE)
//   prescient_floor_replicas              the HPA minReplicas (or replicas) in force
//   prescient_placeholder_replicas        pause pods held
//   prescient_metrics_stale               1 while the metric is missing or stale: the
//                                         controller holds the floor (alert on it)
//   prescient_forecast_duration_seconds   histogram of forecast (re)computations
//   prescient_policy_errors_total{kind}   config | kubernetes | metrics | forecast
//   prescient_scaling_actions_total{field,result}  applied | dry-run | failed
//   prescient_retrains_total              model re-selections after low accuracy
// and prescient_leader (1 on the instance holding the lease).
// Thread-safe: the loop writes, the HTTP server renders.
// Tested by controller_test.cc.
#pragma once

#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace prescient::controller {

struct PolicyGauges {
  std::string target;
  double predicted_rps = std::numeric_limits<double>::quiet_NaN();
  double predicted_rps_upper = std::numeric_limits<double>::quiet_NaN();
  double predicted_replicas = std::numeric_limits<double>::quiet_NaN();
  double accuracy_percent = std::numeric_limits<double>::quiet_NaN();
  double floor_replicas = std::numeric_limits<double>::quiet_NaN();
  double placeholder_replicas = std::numeric_limits<double>::quiet_NaN();
  bool metrics_stale = false;
};

class ControllerMetrics {
 public:
  void SetPolicy(const std::string& policy, const PolicyGauges& gauges);
  void ObserveForecastDuration(const std::string& policy, double seconds);
  void CountError(const std::string& policy, std::string_view kind);
  void CountAction(const std::string& policy, std::string_view field, std::string_view result);
  void CountRetrain(const std::string& policy);
  void SetLeader(bool leader);
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<double> counts;  // Per bucket (not cumulative).
    double sum = 0;
    double count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, PolicyGauges> gauges_;
  std::map<std::string, Histogram> durations_;
  std::map<std::pair<std::string, std::string>, double> errors_;
  std::map<std::tuple<std::string, std::string, std::string>, double> actions_;
  std::map<std::string, double> retrains_;
  bool leader_ = false;
};

}  // namespace prescient::controller
