#include "prescient/controller/policy_runner.h"

#include <chrono>
#include <cmath>
#include <numeric>

#include "prescient/controller/lead_time.h"

namespace prescient::controller {

scaling::PredictiveOptions PredictiveOptionsFor(const PolicySpec& spec, Duration lead) {
  scaling::PredictiveOptions o;
  o.schedule.capacity_rps = spec.capacity_per_pod;
  o.schedule.min_replicas = spec.min_replicas;
  o.schedule.lead = lead;
  o.schedule.placeholder_lead = spec.placeholder.lead;
  o.schedule.placeholders = spec.placeholder.enabled;
  o.refresh = spec.refresh;
  o.bucket = spec.bucket;
  o.horizon = spec.horizon;
  o.history = spec.history;
  o.level = spec.level;
  o.model = spec.model;
  return o;
}

Result<std::unique_ptr<PolicyRunner>> PolicyRunner::Create(PolicySpec spec, k8s::RestClient& kube,
                                                           metrics::MetricSource& metrics,
                                                           const Clock& clock, Actuator& actuator,
                                                           ControllerMetrics& exported,
                                                           bool dry_run, std::ostream& log) {
  const std::string where = spec.source + ":" + std::to_string(spec.line) + ": ";
  const Duration lead = spec.lead_time.value_or(kDefaultLeadTime);
  if (lead > spec.horizon) {
    return InvalidArgumentError(where + (spec.lead_time ? "spec.leadTime" : "spec.horizon") +
                                ": the lead time (" + FormatDuration(lead) +
                                ") must not exceed the horizon (" + FormatDuration(spec.horizon) +
                                "): the plan must reach that far ahead");
  }
  if (spec.placeholder.enabled && spec.placeholder.lead > spec.horizon) {
    return InvalidArgumentError(where +
                                "spec.placeholder.leadTime: must not exceed spec.horizon (" +
                                FormatDuration(spec.horizon) + ")");
  }
  std::unique_ptr<PolicyRunner> r(
      new PolicyRunner(std::move(spec), kube, metrics, clock, actuator, exported, dry_run, log));
  r->lead_ = lead;
  r->policy_ = std::make_unique<scaling::PredictivePolicy>(PredictiveOptionsFor(r->spec_, lead));
  return r;
}

PolicyRunner::PolicyRunner(PolicySpec spec, k8s::RestClient& kube, metrics::MetricSource& metrics,
                           const Clock& clock, Actuator& actuator, ControllerMetrics& exported,
                           bool dry_run, std::ostream& log)
    : spec_(std::move(spec)), clock_(clock), exported_(exported), log_(log) {
  target_ = std::make_unique<KubeTarget>(spec_, kube, metrics, clock, actuator, dry_run);
  target_->set_explain([this] { return Explain(); });
}

double PolicyRunner::accuracy_percent() const {
  if (evaluations_.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(evaluations_.begin(), evaluations_.end(), 0.0) /
         static_cast<double>(evaluations_.size());
}

// "forecast peak 812 rps (95% upper 950) at 12:40Z within the 30m lead: 10 pods at 100 rps/pod"
std::string PolicyRunner::Explain() const {
  const scaling::PredictivePolicy::ForecastView f = policy_->Latest();
  if (f.pods.empty()) return "no forecast yet";
  const Timestamp now = clock_.Now();
  size_t best = f.pods.size();
  for (size_t i = 0; i < f.pods.size(); ++i) {
    const Timestamp t = f.start + f.bucket * static_cast<int64_t>(i);
    if (t + f.bucket <= std::chrono::floor<std::chrono::minutes>(now) || t > now + lead_) continue;
    if (best == f.pods.size() || f.pods[i] > f.pods[best]) best = i;
  }
  if (best == f.pods.size()) return "plan ends before now";
  const Timestamp at = f.start + f.bucket * static_cast<int64_t>(best);
  char text[256];
  std::snprintf(text, sizeof(text),
                "forecast %.0f rps (%g%% upper %.0f) at %s within the %s lead: %d pods at %g "
                "rps/pod",
                f.mean[best], spec_.level, f.upper[best], FormatTimestamp(at).c_str(),
                FormatDuration(lead_).c_str(), f.pods[best], spec_.capacity_per_pod);
  return text;
}

void PolicyRunner::Report(std::string_view kind, const Status& s) {
  exported_.CountError(key(), kind);
  reported_.insert(std::string(kind));
  std::string& last = last_error_[std::string(kind)];
  if (s.message() == last) return;
  last = s.message();
  log_ << FormatTimestamp(clock_.Now()) << " error policy " << key() << ": " << s.message() << "\n"
       << std::flush;
}

Status PolicyRunner::Tick() {
  reported_.clear();
  const Status synced = target_->Sync();
  if (!synced.ok()) {
    Report("kubernetes", synced);
    ForgetCleared();
    Export();
    return synced;
  }
  if (!spec_.lead_time.has_value() && policy_->forecasts_made() == 0 &&
      clock_.Now() >= next_lead_measure_) {
    // Until the first forecast, the default lead time is measured on the cluster: two
    // LISTs, so at most once a minute however short the pass interval.
    next_lead_measure_ = clock_.Now() + kLeadMeasureInterval;
    Result<std::optional<Duration>> measured =
        MeasureLeadTime(target_->kube(), spec_.ns, spec_.target);
    if (measured.ok() && measured->has_value() && **measured != lead_) {
      lead_ = std::min(**measured, spec_.horizon);
      policy_ = std::make_unique<scaling::PredictivePolicy>(PredictiveOptionsFor(spec_, lead_));
      log_ << FormatTimestamp(clock_.Now()) << " policy " << key() << ": lead time "
           << FormatDuration(lead_) << " (measured pod start-up + node provisioning)\n"
           << std::flush;
    }
  }
  Status first = OkStatus();
  if (!target_->metrics_fresh()) {
    const Status stale = UnavailableError(spec_.source + ":" + std::to_string(spec_.line) +
                                          ": spec.metric.query: metrics missing "
                                          "or stale, holding the floor (fail static): " +
                                          target_->metrics_problem());
    Report("metrics", stale);
    first = stale;
  }
  const size_t before = policy_->forecasts_made();
  const auto started = std::chrono::steady_clock::now();
  const Status ticked = policy_->Tick(*target_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (policy_->forecasts_made() > before) {
    exported_.ObserveForecastDuration(key(), seconds);
    for (double score : policy_->ScoreFinished(target_->last_history())) {
      evaluations_.push_back(score);
      if (evaluations_.size() > static_cast<size_t>(kEvaluationsForRetrain)) {
        evaluations_.pop_front();
      }
    }
    if (evaluations_.size() == static_cast<size_t>(kEvaluationsForRetrain) &&
        accuracy_percent() < kRetrainBelowPercent) {
      log_ << FormatTimestamp(clock_.Now()) << " retrain policy " << key() << ": accuracy "
           << accuracy_percent() << "% over the last " << kEvaluationsForRetrain
           << " evaluations is under " << kRetrainBelowPercent << "%\n"
           << std::flush;
      policy_->Reselect();
      evaluations_.clear();
      ++retrains_;
      exported_.CountRetrain(key());
    }
  }
  if (!ticked.ok()) {
    const bool history = !target_->history_status().ok();
    const Status s = history ? target_->history_status()
                             : ticked.WithContext(spec_.source + ":" + std::to_string(spec_.line));
    Report(history                                            ? "metrics"
           : ticked.code() == StatusCode::kFailedPrecondition ? "forecast"
                                                              : "kubernetes",
           s);
    if (first.ok()) first = s;
  }
  ForgetCleared();
  Export();
  return first;
}

// An error that did not recur this tick is reported again if it comes back.
void PolicyRunner::ForgetCleared() {
  std::erase_if(last_error_, [&](const auto& e) { return !reported_.contains(e.first); });
}

void PolicyRunner::Export() {
  PolicyGauges g;
  g.target = spec_.target;
  g.predicted_rps = policy_->ExpectedLoad();
  g.predicted_rps_upper = policy_->ExpectedUpper();
  if (std::optional<int> p = policy_->Planned(clock_.Now())) g.predicted_replicas = *p;
  g.accuracy_percent = accuracy_percent();
  g.floor_replicas =
      spec_.apply_to == ApplyTo::kHpaMinReplicas ? target_->HpaMinReplicas() : target_->Replicas();
  g.placeholder_replicas = target_->placeholder_replicas();
  g.metrics_stale = !target_->metrics_fresh();
  exported_.SetPolicy(key(), g);
}

}  // namespace prescient::controller
