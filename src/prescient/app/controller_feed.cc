#include "prescient/app/controller_feed.h"

#include <algorithm>

namespace prescient::app {
namespace {

std::string ServiceId(const std::string& ns, const std::string& name) { return ns + "." + name; }

std::string ServiceIdOfKey(const std::string& key) {
  std::string id = key;
  std::replace(id.begin(), id.end(), '/', '.');
  return id;
}

}  // namespace

void ControllerFeed::AfterPass(const controller::Controller& controller, Timestamp now) {
  source_.SetNow(now);
  const Timestamp minute = std::chrono::floor<std::chrono::minutes>(now);
  for (const auto& runner : controller.runners()) {
    const controller::PolicySpec& spec = runner->spec();
    const std::string id = ServiceId(spec.ns, spec.name);
    web::ServiceSummary s;
    s.id = id;
    s.name = spec.ns + "/" + spec.name;
    s.policy = "predictive";
    s.prediction_accuracy_percent = runner->accuracy_percent();
    source_.UpsertService(s);
    const controller::KubeTarget& t = runner->target();
    web::MinuteRow r;
    r.time = minute;
    const Series& history = t.last_history();
    if (history.size() > 0) r.actual_rps = history[history.size() - 1];
    r.forecast_rps = runner->policy().ExpectedLoad();
    r.forecast_upper_rps = runner->policy().ExpectedUpper();
    r.replicas_desired = t.Replicas();
    r.replicas_ready = t.ReadyReplicas();
    r.hpa_min_replicas = t.HasHpa() ? t.HpaMinReplicas() : web::kUnknown;
    r.placeholders = t.placeholder_replicas();
    source_.AppendMinute(id, r);
  }
  if (audit_ == nullptr) return;
  Result<std::vector<storage::AuditRecord>> recent = audit_->Recent(1000);
  if (!recent.ok()) return;  // The controller reports audit errors itself.
  for (auto it = recent->rbegin(); it != recent->rend(); ++it) {
    if (it->id <= last_audit_id_) continue;
    last_audit_id_ = it->id;
    web::Event e;
    e.time = it->at;
    e.service = ServiceIdOfKey(it->policy);
    e.kind = "action";
    e.action = it->field == "spec.minReplicas"                       ? "set-hpa-min"
               : it->target.find("placeholder") != std::string::npos ? "placeholder"
                                                                     : "scale";
    e.from = it->from;
    e.to = it->to;
    e.reason = it->reason + (it->error.empty() ? "" : " (" + it->error + ")");
    e.result = std::string(storage::AuditStateName(it->state));
    source_.AddEvent(std::move(e));
  }
}

}  // namespace prescient::app
