#include "prescient/app/audit_report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "prescient/storage/audit_log.h"

namespace prescient::app {
namespace {

using storage::AuditRecord;

// One record per line whatever the strings hold: control bytes become escapes.
std::string OneLine(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

std::string CompletedAt(const AuditRecord& r) {
  return r.state == storage::AuditState::kIntended ? "" : FormatTimestamp(r.completed_at);
}

void PrintTable(const std::vector<AuditRecord>& records, std::ostream& out) {
  constexpr size_t kColumns = 9;
  using Row = std::array<std::string, kColumns>;
  std::vector<Row> rows = {
      {"ID", "TIME", "POLICY", "TARGET", "FIELD", "FROM", "TO", "STATE", "REASON"}};
  for (const AuditRecord& r : records) {
    // An outcome's error belongs with the why.
    std::string reason = OneLine(r.reason);
    if (!r.error.empty()) {
      reason +=
          reason.empty() ? "error: " + OneLine(r.error) : " (error: " + OneLine(r.error) + ")";
    }
    rows.push_back({std::to_string(r.id), FormatTimestamp(r.at), OneLine(r.policy),
                    OneLine(r.target), OneLine(r.field), std::to_string(r.from),
                    std::to_string(r.to), std::string(storage::AuditStateName(r.state)),
                    std::move(reason)});
  }
  std::array<size_t, kColumns> width{};
  for (const Row& row : rows) {
    for (size_t i = 0; i < kColumns; ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i + 1 < kColumns; ++i) {
      line += row[i] + std::string(width[i] - row[i].size() + 2, ' ');
    }
    line += row[kColumns - 1];  // The last column is not padded.
    out << line << '\n';
  }
}

void PrintJson(const std::vector<AuditRecord>& records, std::ostream& out) {
  nlohmann::json list = nlohmann::json::array();
  for (const AuditRecord& r : records) {
    const std::string completed = CompletedAt(r);
    list.push_back({
        {"id", r.id},
        {"time", FormatTimestamp(r.at)},
        {"identity", r.identity},
        {"policy", r.policy},
        {"target", r.target},
        {"field", r.field},
        {"from", r.from},
        {"to", r.to},
        {"reason", r.reason},
        {"state", storage::AuditStateName(r.state)},
        {"error", r.error},
        {"completed_at", completed.empty() ? nlohmann::json(nullptr) : nlohmann::json(completed)},
    });
  }
  // The log stores bytes as given; invalid UTF-8 is replaced rather than thrown on.
  out << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace

Status PrintAuditReport(const AuditReportOptions& options, std::ostream& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.db, ec)) {
    return NotFoundError("audit log " + options.db + ": no such file");
  }
  PRESCIENT_ASSIGN_OR_RETURN(std::unique_ptr<storage::AuditLog> log,
                             storage::AuditLog::Open(options.db));
  PRESCIENT_ASSIGN_OR_RETURN(const std::vector<AuditRecord> records,
                             log->Recent(options.limit, options.policy));
  if (options.format == AuditFormat::kJson) {
    PrintJson(records, out);
  } else {
    PrintTable(records, out);
  }
  return OkStatus();
}

}  // namespace prescient::app
