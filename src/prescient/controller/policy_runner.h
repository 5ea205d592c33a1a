// PolicyRunner: one PredictiveScalingPolicy at work. Each Tick (a minute):
//   1. KubeTarget::Sync reads the Deployment, HPA and placeholder, and whether the
//      metric is fresh;
//   2. PredictivePolicy::Tick forecasts when due (every `refresh`) from the metric's
//      history and asks for the floor and placeholders its plan needs, which go through
//      the guardrails and the actuator;
//   3. each new forecast scores the finished ones (an evaluation: 100 - MAPE); when the
//      mean of the last 10 evaluations falls under 85% the model is re-selected
//      (MISSION.md section 8);
//   4. the gauges are exported.
// Errors are reported once per distinct message (and counted every time) with the
// policy's file and field; they never stop the other policies.
// Thread-compatible. Tested by controller_test.cc and controller_integration_test.cc.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>

#include "prescient/controller/actuator.h"
#include "prescient/controller/controller_metrics.h"
#include "prescient/controller/kube_target.h"
#include "prescient/controller/policy_spec.h"
#include "prescient/scaling/predictive_policy.h"

namespace prescient::controller {

inline constexpr int kEvaluationsForRetrain = 10;
inline constexpr double kRetrainBelowPercent = 85;
inline constexpr Duration kDefaultLeadTime{1800};    // When none is given or measured.
inline constexpr Duration kLeadMeasureInterval{60};  // Between measurements of it.

// The PredictivePolicy options a spec asks for; `lead` is the lead time in force.
scaling::PredictiveOptions PredictiveOptionsFor(const PolicySpec& spec, Duration lead);

class PolicyRunner {
 public:
  // InvalidArgument (naming the file and field) when the spec cannot run, e.g. a lead
  // time longer than the horizon.
  static Result<std::unique_ptr<PolicyRunner>> Create(PolicySpec spec, k8s::RestClient& kube,
                                                      metrics::MetricSource& metrics,
                                                      const Clock& clock, Actuator& actuator,
                                                      ControllerMetrics& exported, bool dry_run,
                                                      std::ostream& log);

  // One pass. The error (also logged and counted) is the first thing that went wrong.
  Status Tick();

  const PolicySpec& spec() const { return spec_; }
  std::string key() const { return spec_.ns + "/" + spec_.name; }
  const KubeTarget& target() const { return *target_; }
  const scaling::PredictivePolicy& policy() const { return *policy_; }
  // Mean of the last evaluations (NaN before the first).
  double accuracy_percent() const;
  int retrains() const { return retrains_; }

 private:
  PolicyRunner(PolicySpec spec, k8s::RestClient& kube, metrics::MetricSource& metrics,
               const Clock& clock, Actuator& actuator, ControllerMetrics& exported, bool dry_run,
               std::ostream& log);
  std::string Explain() const;
  void Report(std::string_view kind, const Status& s);
  void ForgetCleared();
  void Export();

  PolicySpec spec_;
  const Clock& clock_;
  ControllerMetrics& exported_;
  std::ostream& log_;
  Duration lead_{kDefaultLeadTime};
  Timestamp next_lead_measure_{};  // Measuring again before then is pointless.
  std::unique_ptr<KubeTarget> target_;
  std::unique_ptr<scaling::PredictivePolicy> policy_;
  std::deque<double> evaluations_;
  int retrains_ = 0;
  // The last error of each kind, reported once until it changes or a tick goes without it.
  std::map<std::string, std::string> last_error_;
  std::set<std::string> reported_;  // Kinds reported this tick.
};

}  // namespace prescient::controller
