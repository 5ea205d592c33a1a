#include <charconv>
#include <iostream>
#include <memory>

#include "prescient/app/detect_job.h"
#include "prescient/cli/commands.h"

namespace prescient::cli {
namespace {

struct DetectFlags {
  std::string input, output, train = "14d", format = "csv", kind = "other";
  double sigma = 0;
  std::vector<std::string> exclude;
};

Result<anomaly::MetricKind> ParseKind(const std::string& kind) {
  if (kind == "cpu") return anomaly::MetricKind::kCpu;
  if (kind == "memory") return anomaly::MetricKind::kMemory;
  if (kind == "network") return anomaly::MetricKind::kNetwork;
  if (kind == "api-requests") return anomaly::MetricKind::kApiRequests;
  if (kind == "restarts") return anomaly::MetricKind::kRestarts;
  if (kind == "other") return anomaly::MetricKind::kOther;
  return InvalidArgumentError("--kind: '" + kind +
                              "' is not cpu, memory, network, api-requests, restarts or other");
}

// "2026-01-10T00:00:00Z/2026-01-11T06:00:00Z".
Result<anomaly::ExclusionWindow> ParseExclusion(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) {
    return InvalidArgumentError("--exclude: '" + text + "' is not FROM/TO");
  }
  Result<Timestamp> from = ParseTimestamp(text.substr(0, slash));
  Result<Timestamp> to = ParseTimestamp(text.substr(slash + 1));
  if (!from.ok()) return from.status().WithContext("--exclude: FROM");
  if (!to.ok()) return to.status().WithContext("--exclude: TO");
  if (*to <= *from) return InvalidArgumentError("--exclude: '" + text + "' ends before it starts");
  return anomaly::ExclusionWindow{*from, *to};
}

Result<app::DetectJobOptions> ToOptions(const DetectFlags& flags) {
  app::DetectJobOptions o;
  o.input = flags.input;
  o.output = flags.output;
  PRESCIENT_ASSIGN_OR_RETURN(o.kind, ParseKind(flags.kind));
  if (flags.sigma < 0 || !std::isfinite(flags.sigma)) {
    return InvalidArgumentError("--sigma: must be a positive number of spreads");
  }
  o.sigma = flags.sigma;
  Result<Duration> train = ParseDuration(flags.train);
  if (!train.ok()) return train.status().WithContext("--train");
  o.training = *train;
  for (const std::string& text : flags.exclude) {
    PRESCIENT_ASSIGN_OR_RETURN(anomaly::ExclusionWindow window, ParseExclusion(text));
    o.exclusions.push_back(window);
  }
  if (flags.format == "csv") {
    o.format = app::OutputFormat::kCsv;
  } else if (flags.format == "json") {
    o.format = app::OutputFormat::kJson;
  } else {
    return InvalidArgumentError("--format: '" + flags.format + "' is not csv or json");
  }
  return o;
}

}  // namespace

void AddDetectCommand(CLI::App& app, CommandResult& result) {
  auto flags = std::make_shared<DetectFlags>();
  CLI::App* cmd = app.add_subcommand(
      "detect", "Flag the points of a series outside its learned seasonal band (causal).");
  cmd->add_option("--input,-i", flags->input, "CSV with header timestamp,value ('-' for stdin)")
      ->required();
  cmd->add_option("--sigma,-k", flags->sigma,
                  "Band half-width in spreads (default: 2 for cpu, memory, api-requests; 3 else)");
  cmd->add_option("--kind", flags->kind, "cpu|memory|network|api-requests|restarts|other")
      ->default_str("other");
  cmd->add_option("--train", flags->train, "History before anything is flagged")
      ->default_str("14d");
  cmd->add_option("--exclude", flags->exclude,
                  "Known incident FROM/TO (ISO-8601), not learned from; repeatable");
  cmd->add_option("--format", flags->format, "csv|json")->default_str("csv");
  cmd->add_option("--output,-o", flags->output, "Output file (default stdout)");
  cmd->callback([flags, &result]() {
    Result<app::DetectJobOptions> options = ToOptions(*flags);
    if (!options.ok()) {
      result.exit_code = ReportError(options.status());
      return;
    }
    const Status s = app::RunDetectJob(*options, std::cerr);
    result.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace prescient::cli
