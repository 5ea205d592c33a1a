#include <iostream>
#include <memory>

#include "prescient/app/sim_serve.h"
#include "prescient/cli/commands.h"

namespace prescient::cli {

void AddSimCommand(CLI::App& app, CommandResult& result) {
  CLI::App* sim = app.add_subcommand("sim", "The simulated cluster.");
  sim->require_subcommand(1);
  auto o = std::make_shared<app::SimServeOptions>();
  o->scenario = PRESCIENT_DEMO_SCENARIO;
  auto seed = std::make_shared<int64_t>(1);
  CLI::App* serve = sim->add_subcommand(
      "serve",
      "Run a scenario's cluster live and serve its Kubernetes API (kubectl works against it).");
  serve->add_option("--listen", o->listen, "HOST:PORT (port 0: any free port)")
      ->default_str(o->listen);
  serve
      ->add_option("--scenario", o->scenario,
                   "SimulationScenario YAML file: the cluster and its services (docs/scenario.md)")
      ->default_str(o->scenario);
  serve->add_option("--trace", o->trace, "Replace every service's traffic trace with this CSV");
  serve->add_option("--speed", o->speed, "Simulated seconds per wall-clock second")
      ->default_val(o->speed);
  serve->add_option("--kubeconfig-out", o->kubeconfig_out, "Write a kubeconfig for this server");
  serve->add_flag("--insecure-http", o->insecure_http,
                  "Serve plain HTTP, without authentication (default: HTTPS)");
  serve->add_option("--history-out", o->history_out,
                    "Write the traces' requests before the start as OpenMetrics (for promtool "
                    "tsdb create-blocks-from openmetrics), ending now");
  auto history_days = std::make_shared<int>(14);
  serve->add_option("--history-days", *history_days, "Days of history --history-out writes")
      ->default_val(14);
  CLI::Option* seed_option =
      serve->add_option("--seed", *seed, "Random seed (default: the scenario's)");
  AddWebFlags(serve, o->web);
  serve->callback([o, seed, seed_option, history_days, &result]() {
    o->history = Duration(int64_t{86400} * std::max(1, *history_days));
    if (seed_option->count() > 0) o->seed = static_cast<uint64_t>(std::max<int64_t>(0, *seed));
    const Status s = app::RunSimServe(*o, std::cout);
    result.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace prescient::cli
