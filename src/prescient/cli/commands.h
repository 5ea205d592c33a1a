// Subcommand registration: each Add*Command declares its flags on the CLI11 app and, when
// chosen, runs its job and stores the exit code in `result`.
// Not thread-safe (CLI parsing). Tested by cli_test.cc.
#pragma once

#include <CLI/CLI.hpp>
#include <string_view>

#include "prescient/app/web_host.h"
#include "prescient/core/status.h"

namespace prescient::cli {

inline constexpr std::string_view kVersion = "0.1.0";
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

struct CommandResult {
  int exit_code = kExitOk;
};

// Prints "prescient: error: <message>" and maps the code: bad input -> 2, else 1.
int ReportError(const Status& status);

// --web, --no-web, --web-token, --web-token-file (docs/api.md), shared by demo, sim serve
// and run.
void AddWebFlags(CLI::App* cmd, app::WebOptions& web);

void AddForecastCommand(CLI::App& app, CommandResult& result);
void AddBacktestCommand(CLI::App& app, CommandResult& result);
void AddDemoCommand(CLI::App& app, CommandResult& result);
void AddSimCommand(CLI::App& app, CommandResult& result);
void AddRunCommand(CLI::App& app, CommandResult& result);
void AddAuditCommand(CLI::App& app, CommandResult& result);
void AddDetectCommand(CLI::App& app, CommandResult& result);

}  // namespace prescient::cli
