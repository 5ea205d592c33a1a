#include "prescient/cli/main.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "prescient/cli/commands.h"

namespace prescient::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Prescient: forecast load and scale Kubernetes workloads ahead of time."};
  app.name("prescient");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kVersion));
  CommandResult result;
  AddForecastCommand(app, result);
  AddBacktestCommand(app, result);
  AddDemoCommand(app, result);
  AddSimCommand(app, result);
  AddRunCommand(app, result);
  AddAuditCommand(app, result);
  AddDetectCommand(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, naming the flag, exit 2 as for any bad input.
    std::cerr << "prescient: error: " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
  return result.exit_code;
}

}  // namespace prescient::cli
