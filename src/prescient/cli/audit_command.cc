#include <iostream>
#include <memory>

#include "prescient/app/audit_report.h"
#include "prescient/cli/commands.h"

namespace prescient::cli {
namespace {

struct AuditFlags {
  std::string db, policy, format = "table";
  long long limit = app::kDefaultAuditLimit;
};

}  // namespace

void AddAuditCommand(CLI::App& app, CommandResult& result) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* cmd = app.add_subcommand("audit", "Print the controller's audit log, newest first.");
  cmd->add_option("--db", flags->db, "The audit log (SQLite file)")->required();
  cmd->add_option("--limit,-n", flags->limit, "At most this many records (>= 1)")
      ->default_str(std::to_string(app::kDefaultAuditLimit));
  cmd->add_option("--policy", flags->policy, "Only this policy's records (namespace/name)");
  cmd->add_option("--format", flags->format, "table|json")->default_str("table");
  cmd->callback([flags, &result]() {
    app::AuditReportOptions o;
    o.db = flags->db;
    o.policy = flags->policy;
    if (flags->limit < 1 || flags->limit > 1'000'000'000) {
      result.exit_code = ReportError(InvalidArgumentError(
          "--limit must be a whole number >= 1, got " + std::to_string(flags->limit)));
      return;
    }
    o.limit = static_cast<int>(flags->limit);
    if (flags->format == "table") {
      o.format = app::AuditFormat::kTable;
    } else if (flags->format == "json") {
      o.format = app::AuditFormat::kJson;
    } else {
      result.exit_code = ReportError(
          InvalidArgumentError("--format: '" + flags->format + "' is not table or json"));
      return;
    }
    const Status s = app::PrintAuditReport(o, std::cout);
    result.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace prescient::cli
