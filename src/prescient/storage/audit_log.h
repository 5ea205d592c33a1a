// STUB: replaced by the wt-audit branch's audit_log.h on merge.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::storage {
enum class AuditState { kIntended, kApplied, kFailed, kDryRun, kInterrupted };
std::string_view AuditStateName(AuditState s);
struct AuditRecord {
  int64_t id = 0;
  Timestamp at{};
  std::string identity;
  std::string policy;
  std::string target;
  std::string field;
  int from = 0;
  int to = 0;
  std::string reason;
  AuditState state = AuditState::kIntended;
  std::string error;
  Timestamp completed_at{};
};
class AuditLog {
 public:
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  Result<int64_t> Intend(const AuditRecord& record);
  Status Complete(int64_t id, AuditState state, Timestamp at, const std::string& error = "");
  Result<std::vector<AuditRecord>> Unfinished();
  Result<int> MarkInterrupted(Timestamp at, const std::string& error);
  Result<std::vector<AuditRecord>> Recent(int limit, const std::string& policy = "",
                                          Timestamp since = Timestamp{});
};
}  // namespace prescient::storage
