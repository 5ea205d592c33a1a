#include "prescient/controller/kube_target.h"

#include <chrono>
#include <cmath>

namespace prescient::controller {
namespace {

constexpr Duration kMinute(60);

Timestamp FloorToMinute(Timestamp t) { return std::chrono::floor<std::chrono::minutes>(t); }

int IntAt(const nlohmann::json& j, const nlohmann::json::json_pointer& p, int fallback) {
  if (!j.contains(p) || !j.at(p).is_number_integer()) return fallback;
  return j.at(p).get<int>();
}

// Per-minute means of a series on any step that divides or is a multiple of a minute.
Series ToMinutes(const Series& s, Timestamp start, size_t minutes) {
  std::vector<double> out(minutes, kMissing);
  std::vector<int> n(minutes, 0);
  for (size_t i = 0; i < s.size(); ++i) {
    const double v = s[i];
    if (IsMissing(v)) continue;
    const Timestamp t = s.TimeAt(i);
    // A point at t covers [t, t + step): spread over the minutes it covers.
    for (Timestamp m = FloorToMinute(t); m < t + std::max(s.step(), Duration(1)); m += kMinute) {
      if (m < start) continue;
      const auto k = static_cast<size_t>((m - start) / kMinute);
      if (k >= minutes) break;
      out[k] = n[k] == 0 ? v : out[k] + v;
      ++n[k];
    }
  }
  for (size_t k = 0; k < minutes; ++k) {
    if (n[k] > 1) out[k] /= n[k];
  }
  return Series(start, kMinute, std::move(out));
}

}  // namespace

std::string PlaceholderName(const PolicySpec& spec) {
  return spec.target + "-prescient-placeholder";
}

KubeTarget::KubeTarget(const PolicySpec& spec, k8s::RestClient& kube,
                       metrics::MetricSource& metrics, const Clock& clock, Actuator& actuator,
                       bool dry_run)
    : spec_(spec),
      kube_(kube),
      metrics_(metrics),
      clock_(clock),
      actuator_(actuator),
      dry_run_(dry_run) {}

std::string KubeTarget::Path(const std::string& resource, const std::string& name) const {
  const std::string group =
      resource == "horizontalpodautoscalers" ? "/apis/autoscaling/v2" : "/apis/apps/v1";
  return group + "/namespaces/" + spec_.ns + "/" + resource + "/" + name;
}

Status KubeTarget::FieldError(const std::string& field, const Status& s) const {
  return s.WithContext(spec_.source + ":" + std::to_string(spec_.line) + ": " + field);
}

Status KubeTarget::Sync() {
  Result<nlohmann::json> d = kube_.Get(Path("deployments", spec_.target));
  if (!d.ok()) return FieldError("spec.targetRef.name", d.status());
  replicas_ = IntAt(*d, "/spec/replicas"_json_pointer, 1);
  ready_replicas_ = IntAt(*d, "/status/readyReplicas"_json_pointer, 0);
  const nlohmann::json::json_pointer requests(
      "/spec/template/spec/containers/0/resources/requests");
  pod_requests_ = d->contains(requests) ? d->at(requests) : nlohmann::json::object();

  hpa_exists_ = false;
  if (spec_.apply_to == ApplyTo::kHpaMinReplicas) {
    Result<nlohmann::json> h = kube_.Get(Path("horizontalpodautoscalers", spec_.hpa));
    if (!h.ok()) return FieldError("spec.hpaName", h.status());
    const nlohmann::json ref = h->value("spec", nlohmann::json::object())
                                   .value("scaleTargetRef", nlohmann::json::object());
    if (ref.value("kind", "") != "Deployment" || ref.value("name", "") != spec_.target) {
      return FieldError(
          "spec.hpaName",
          FailedPreconditionError("horizontalpodautoscaler \"" + spec_.hpa +
                                  "\" does not scale deployment \"" + spec_.target + "\""));
    }
    hpa_exists_ = true;
    hpa_min_ = IntAt(*h, "/spec/minReplicas"_json_pointer, 1);
    hpa_max_ = IntAt(*h, "/spec/maxReplicas"_json_pointer, 0);
  }

  placeholder_replicas_ = 0;
  if (spec_.placeholder.enabled) {
    Result<nlohmann::json> p = kube_.Get(Path("deployments", PlaceholderName(spec_)));
    if (p.ok()) {
      placeholder_replicas_ = IntAt(*p, "/spec/replicas"_json_pointer, 1);
    } else if (p.status().code() != StatusCode::kNotFound) {
      return FieldError("spec.placeholder", p.status());
    }
  }

  // Fresh: the metric has a value within staleAfter (fail static otherwise).
  const Timestamp now = clock_.Now();
  Result<Series> recent =
      metrics_.QueryRange(spec_.query, now - spec_.stale_after, now, std::min(spec_.step, kMinute));
  if (!recent.ok()) {  // Reported by the caller; the cluster reads are fine.
    metrics_fresh_ = false;
    metrics_problem_ = recent.status().message();
    return OkStatus();
  }
  metrics_fresh_ = false;
  for (size_t i = 0; i < recent->size(); ++i) metrics_fresh_ |= !IsMissing((*recent)[i]);
  metrics_problem_ =
      metrics_fresh_ ? "" : "no value in the last " + FormatDuration(spec_.stale_after);
  return OkStatus();
}

Series KubeTarget::LoadHistory(Duration lookback) const {
  const Timestamp end = FloorToMinute(clock_.Now());  // Exclusive: whole minutes only.
  const Timestamp start = end - lookback;
  const auto minutes = static_cast<size_t>(lookback / kMinute);
  // A point at t is the rate over the window ending at t: the minute before it.
  Result<Series> s = metrics_.QueryRange(spec_.query, start + spec_.step, end, spec_.step);
  if (!s.ok()) {
    history_status_ = s.status().WithContext(spec_.source + ":" + std::to_string(spec_.line) +
                                             ": spec.metric.query");
    history_ = Series(end, kMinute, {});
    return history_;
  }
  history_status_ = OkStatus();
  Series shifted(s->start() - spec_.step, s->step(), std::vector<double>(s->values()));
  history_ = ToMinutes(shifted, start, minutes);
  return history_;
}

Status KubeTarget::Write(const std::string& target, const std::string& field, int current,
                         int proposed, const GuardrailLimits& limits,
                         const std::function<Status(int to)>& apply) {
  const Timestamp now = clock_.Now();
  const std::string key = target + "#" + field;
  std::optional<Timestamp> last;
  if (auto it = last_change_.find(key); it != last_change_.end()) last = it->second;
  const GuardrailDecision d = ApplyGuardrails(limits, {.current = current,
                                                       .proposed = proposed,
                                                       .metrics_fresh = metrics_fresh_,
                                                       .last_change = last,
                                                       .now = now});
  if (!d.changes(current)) return OkStatus();
  std::string reason = explain_ ? explain_() : "";
  if (d.clipped) reason += (reason.empty() ? "" : "; ") + std::string("guardrail: ") + d.reason;
  const Change c{.policy = spec_.ns + "/" + spec_.name,
                 .target = target,
                 .field = field,
                 .from = current,
                 .to = d.to,
                 .reason = reason,
                 .dry_run = dry_run_ || spec_.mode == PolicyMode::kForecastOnly};
  PRESCIENT_RETURN_IF_ERROR(actuator_.Apply(c, [&] { return apply(d.to); }));
  last_change_[key] = now;
  return OkStatus();
}

GuardrailLimits KubeTarget::Limits() const {
  return {.min_replicas = spec_.min_replicas,
          .max_replicas = spec_.max_replicas,
          .max_step_up = spec_.max_step_up,
          .max_step_down = spec_.max_step_down,
          .scale_down_cooldown = spec_.scale_down_cooldown};
}

Status KubeTarget::SetHpaMinReplicas(int replicas) {
  if (spec_.apply_to == ApplyTo::kReplicas) return SetReplicas(replicas);
  if (!hpa_exists_) {
    return FieldError("spec.hpaName", FailedPreconditionError("no HorizontalPodAutoscaler"));
  }
  GuardrailLimits limits = Limits();
  // The API refuses a minReplicas above maxReplicas.
  if (hpa_max_ > 0 && (limits.max_replicas == 0 || hpa_max_ < limits.max_replicas)) {
    limits.max_replicas = hpa_max_;
  }
  const std::string path = Path("horizontalpodautoscalers", spec_.hpa);
  const Status s = Write(spec_.ns + "/horizontalpodautoscalers/" + spec_.hpa, "spec.minReplicas",
                         hpa_min_, replicas, limits, [&](int to) -> Status {
                           Result<nlohmann::json> r = kube_.Patch(
                               path, k8s::kMergePatch, {{"spec", {{"minReplicas", to}}}});
                           if (r.ok()) hpa_min_ = to;
                           return r.status();
                         });
  return s.ok() ? s : FieldError("spec.hpaName", s);
}

Status KubeTarget::SetReplicas(int replicas) {
  const std::string path = Path("deployments", spec_.target) + "/scale";
  const Status s = Write(spec_.ns + "/deployments/" + spec_.target, "spec.replicas", replicas_,
                         replicas, Limits(), [&](int to) -> Status {
                           Result<nlohmann::json> r =
                               kube_.Patch(path, k8s::kMergePatch, {{"spec", {{"replicas", to}}}});
                           if (r.ok()) replicas_ = to;
                           return r.status();
                         });
  return s.ok() ? s : FieldError("spec.targetRef.name", s);
}

Status KubeTarget::SetPlaceholderReplicas(int replicas) {
  if (!spec_.placeholder.enabled) return OkStatus();
  // Pause pods only hold room; lowering them is a scale-down like any other (fail static),
  // without steps or cooldown: the plan already spreads them over the lead time.
  const GuardrailLimits limits{.min_replicas = 0,
                               .max_replicas = spec_.max_replicas,
                               .max_step_up = 0,
                               .max_step_down = std::max(1, spec_.max_replicas),
                               .scale_down_cooldown = Duration(0)};
  const Status s =
      Write(spec_.ns + "/deployments/" + PlaceholderName(spec_), "spec.replicas",
            placeholder_replicas_, replicas, limits, [&](int to) { return EnsurePlaceholder(to); });
  return s.ok() ? s : FieldError("spec.placeholder", s);
}

Status KubeTarget::EnsurePlaceholder(int replicas) {
  const PlaceholderSpec& p = spec_.placeholder;
  if (!priority_class_ready_) {
    const std::string pc = "/apis/scheduling.k8s.io/v1/priorityclasses/" + p.priority_class;
    Result<nlohmann::json> got = kube_.Get(pc);
    if (!got.ok() && got.status().code() == StatusCode::kNotFound) {
      got = kube_.Post("/apis/scheduling.k8s.io/v1/priorityclasses",
                       {{"apiVersion", "scheduling.k8s.io/v1"},
                        {"kind", "PriorityClass"},
                        {"metadata",
                         {{"name", p.priority_class},
                          {"labels", {{"app.kubernetes.io/managed-by", "prescient"}}}}},
                        {"value", p.priority},
                        {"globalDefault", false},
                        {"preemptionPolicy", "Never"},
                        {"description",
                         "Prescient's placeholder pause pods: preempted by any real pod, they "
                         "keep nodes warm ahead of a forecast peak."}});
      if (!got.ok() && got.status().code() == StatusCode::kAlreadyExists) got = kube_.Get(pc);
    }
    if (!got.ok()) return got.status();
    priority_class_ready_ = true;
  }
  nlohmann::json requests = pod_requests_;
  if (p.cpu_millicores > 0) requests["cpu"] = std::to_string(p.cpu_millicores) + "m";
  if (p.memory_bytes > 0) requests["memory"] = std::to_string(p.memory_bytes);
  const nlohmann::json labels = {{"prescient.dev/placeholder", spec_.target}};
  const nlohmann::json body = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata",
       {{"name", PlaceholderName(spec_)},
        {"namespace", spec_.ns},
        {"labels",
         {{"app.kubernetes.io/managed-by", "prescient"}, {"prescient.dev/policy", spec_.name}}}}},
      {"spec",
       {{"replicas", replicas},
        {"selector", {{"matchLabels", labels}}},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"priorityClassName", p.priority_class},
            {"terminationGracePeriodSeconds", 0},
            {"containers",
             {{{"name", "pause"},
               {"image", p.image},
               {"resources", {{"requests", requests}}}}}}}}}}}}};
  Result<nlohmann::json> r = kube_.Patch(
      Path("deployments", PlaceholderName(spec_)) + "?fieldManager=prescient&force=true",
      "application/apply-patch+yaml", body);
  if (r.ok()) placeholder_replicas_ = replicas;
  return r.status();
}

}  // namespace prescient::controller
