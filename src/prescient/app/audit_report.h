// The `prescient audit` job: the newest records of a controller's audit log
// (storage/audit_log.h) as an aligned table or as JSON.
// Thread-compatible. Tested by cli/cli_test.cc (through the binary).
#pragma once

#include <ostream>
#include <string>

#include "prescient/core/status.h"

namespace prescient::app {

inline constexpr int kDefaultAuditLimit = 50;

enum class AuditFormat { kTable, kJson };

struct AuditReportOptions {
  std::string db;  // Path of an existing log: the report never creates one.
  int limit = kDefaultAuditLimit;
  std::string policy;  // "namespace/name"; empty for all.
  AuditFormat format = AuditFormat::kTable;
};

// Newest first. NotFound if the file does not exist; the log's own errors otherwise.
Status PrintAuditReport(const AuditReportOptions& options, std::ostream& out);

}  // namespace prescient::app
