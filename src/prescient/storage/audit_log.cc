// STUB: replaced by the wt-audit branch on merge.
#include "prescient/storage/audit_log.h"

namespace prescient::storage {
std::string_view AuditStateName(AuditState s) {
  switch (s) {
    case AuditState::kIntended:
      return "intended";
    case AuditState::kApplied:
      return "applied";
    case AuditState::kFailed:
      return "failed";
    case AuditState::kDryRun:
      return "dry-run";
    case AuditState::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}
Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string&) {
  return UnimplementedError("stub");
}
AuditLog::~AuditLog() = default;
Result<int64_t> AuditLog::Intend(const AuditRecord&) { return UnimplementedError("stub"); }
Status AuditLog::Complete(int64_t, AuditState, Timestamp, const std::string&) {
  return UnimplementedError("stub");
}
Result<std::vector<AuditRecord>> AuditLog::Unfinished() { return UnimplementedError("stub"); }
Result<int> AuditLog::MarkInterrupted(Timestamp, const std::string&) {
  return UnimplementedError("stub");
}
Result<std::vector<AuditRecord>> AuditLog::Recent(int, const std::string&, Timestamp) {
  return UnimplementedError("stub");
}
}  // namespace prescient::storage
