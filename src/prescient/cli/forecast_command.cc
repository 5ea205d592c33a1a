#include <charconv>
#include <iostream>
#include <memory>
#include <sstream>

#include "prescient/app/forecast_job.h"
#include "prescient/cli/commands.h"
#include "prescient/forecast/registry.h"

namespace prescient::cli {
namespace {

// "24,168" -> {24, 168}; "none" -> {}.
Result<std::vector<int>> ParseIntList(const std::string& text, const char* flag) {
  std::vector<int> out;
  if (text == "none") return out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || ptr != item.data() + item.size() || v < 2) {
      return InvalidArgumentError(std::string(flag) + ": '" + item +
                                  "' is not a whole number >= 2");
    }
    out.push_back(v);
  }
  if (out.empty()) return InvalidArgumentError(std::string(flag) + ": empty list");
  return out;
}

Result<std::vector<double>> ParseLevels(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || ptr != item.data() + item.size() || !(v > 0 && v < 100)) {
      return InvalidArgumentError("--level: '" + item + "' is not a percentage in (0, 100)");
    }
    out.push_back(v);
  }
  if (out.empty()) return InvalidArgumentError("--level: empty list");
  return out;
}

struct ForecastFlags {
  std::string input, output, model = "auto", season, level = "80,95", format = "csv";
  long long horizon = 0;
  bool verbose = false;
};

}  // namespace

int ReportError(const Status& status) {
  std::cerr << "prescient: error: " << status.message() << '\n';
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound
             ? kExitBadInput
             : kExitFailure;
}

void AddForecastCommand(CLI::App& app, CommandResult& result) {
  auto flags = std::make_shared<ForecastFlags>();
  CLI::App* cmd =
      app.add_subcommand("forecast", "Forecast a series: point forecast and prediction intervals.");
  cmd->add_option("--input,-i", flags->input, "CSV with header timestamp,value ('-' for stdin)")
      ->required();
  cmd->add_option("--horizon,-n", flags->horizon, "Steps to forecast (>= 1)")->required();
  std::string models;
  for (std::string_view m : forecast::ModelNames())
    models += (models.empty() ? "" : "|") + std::string(m);
  cmd->add_option("--model,-m", flags->model, "Model: " + models)->default_str("auto");
  cmd->add_option("--season", flags->season,
                  "Seasonal periods in steps, e.g. 24,168, or 'none' (default: from the step)");
  cmd->add_option("--level", flags->level, "Interval levels in percent")->default_str("80,95");
  cmd->add_option("--format", flags->format, "csv|json")->default_str("csv");
  cmd->add_option("--output,-o", flags->output, "Output file (default stdout)");
  cmd->add_flag("--verbose,-v", flags->verbose, "Also say which model was fitted (stderr)");
  cmd->callback([flags, &result]() {
    app::ForecastJobOptions o;
    o.input = flags->input;
    o.output = flags->output;
    o.verbose = flags->verbose;
    if (flags->horizon < 1) {
      result.exit_code = ReportError(InvalidArgumentError("--horizon must be at least 1, got " +
                                                          std::to_string(flags->horizon)));
      return;
    }
    if (flags->horizon > forecast::kMaxHorizon) {
      result.exit_code = ReportError(InvalidArgumentError(
          "--horizon " + std::to_string(flags->horizon) + " is longer than the limit of " +
          std::to_string(forecast::kMaxHorizon)));
      return;
    }
    o.horizon = static_cast<int>(flags->horizon);
    if (forecast::MakeModel(flags->model) == nullptr) {
      result.exit_code = ReportError(
          InvalidArgumentError("--model: unknown model '" + flags->model + "' (one of " + [] {
            std::string s;
            for (std::string_view m : forecast::ModelNames())
              s += (s.empty() ? "" : ", ") + std::string(m);
            return s;
          }() + ")"));
      return;
    }
    o.model = flags->model;
    if (!flags->season.empty()) {
      Result<std::vector<int>> periods = ParseIntList(flags->season, "--season");
      if (!periods.ok()) {
        result.exit_code = ReportError(periods.status());
        return;
      }
      o.periods = *periods;
    }
    Result<std::vector<double>> levels = ParseLevels(flags->level);
    if (!levels.ok()) {
      result.exit_code = ReportError(levels.status());
      return;
    }
    o.levels = *levels;
    if (flags->format == "csv") {
      o.format = app::OutputFormat::kCsv;
    } else if (flags->format == "json") {
      o.format = app::OutputFormat::kJson;
    } else {
      result.exit_code =
          ReportError(InvalidArgumentError("--format: '" + flags->format + "' is not csv or json"));
      return;
    }
    const Status s = app::RunForecastJob(o, std::cerr);
    result.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace prescient::cli
