#include "prescient/controller/actuator.h"

namespace prescient::controller {

Status Actuator::Apply(const Change& change, const std::function<Status()>& apply) {
  const Timestamp now = clock_.Now();
  int64_t id = 0;
  if (audit_ != nullptr) {
    storage::AuditRecord r;
    r.at = now;
    r.identity = identity_;
    r.policy = change.policy;
    r.target = change.target;
    r.field = change.field;
    r.from = change.from;
    r.to = change.to;
    r.reason = change.reason;
    Result<int64_t> intended = audit_->Intend(r);
    if (!intended.ok()) return intended.status().WithContext("audit log");
    id = *intended;
  }
  const std::string what = change.policy + ": " + change.target + " " + change.field + " " +
                           std::to_string(change.from) + " -> " + std::to_string(change.to);
  auto complete = [&](storage::AuditState state, const std::string& error) {
    if (metrics_ != nullptr) {
      metrics_->CountAction(change.policy, change.field, storage::AuditStateName(state));
    }
    if (audit_ == nullptr) return OkStatus();
    return audit_->Complete(id, state, clock_.Now(), error).WithContext("audit log");
  };
  if (change.dry_run) {
    out_ << FormatTimestamp(now) << " dry-run " << what << " (" << change.reason << ")\n"
         << std::flush;
    return complete(storage::AuditState::kDryRun, "");
  }
  if (!is_leader_()) {
    const Status s = FailedPreconditionError("not the leader");
    complete(storage::AuditState::kFailed, s.message()).IgnoreError();
    return s;
  }
  const Status applied = apply();
  // Recorded before it is printed: a printed change is always in the log.
  const Status recorded = applied.ok() ? complete(storage::AuditState::kApplied, "")
                                       : complete(storage::AuditState::kFailed, applied.message());
  out_ << FormatTimestamp(now) << (applied.ok() ? " applied " : " failed ") << what << " ("
       << change.reason << ")" << (applied.ok() ? "" : ": " + applied.message()) << "\n"
       << std::flush;
  return applied.ok() ? recorded : applied;
}

}  // namespace prescient::controller
