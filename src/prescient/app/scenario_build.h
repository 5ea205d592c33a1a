// BuildScenario: a loaded sim::Scenario made into what runs it: the Simulator and one
// scaling policy per service (in the services' order, as LiveCluster expects). The
// policy decides whether the service runs an HPA and, unless the scenario sets
// `replicas`, how many pods it starts with (what the HPA settles at for the load at the
// start). Thread-compatible. Tested by scenario_build_test.cc.
#pragma once

#include <memory>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/scaling/policy.h"
#include "prescient/sim/scenario.h"
#include "prescient/sim/simulator.h"

namespace prescient::app {

struct BuiltScenario {
  std::unique_ptr<sim::Simulator> sim;
  std::vector<std::unique_ptr<scaling::Policy>> policies;  // policies[i] drives service i.
};

// `scenario` must have its traces loaded (sim::LoadScenario / LoadScenarioTraces).
Result<BuiltScenario> BuildScenario(sim::Scenario scenario);

// The policy a scenario names for one service, with its options.
std::unique_ptr<scaling::Policy> MakeScenarioPolicy(const sim::Scenario& scenario,
                                                    const sim::ScenarioService& service);

}  // namespace prescient::app
