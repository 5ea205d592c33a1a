#include "prescient/app/scenario_build.h"

#include <algorithm>
#include <cmath>

#include "prescient/scaling/predictive_policy.h"
#include "prescient/scaling/simple_policies.h"

namespace prescient::app {
namespace {

// The highest per-minute load from the start to the end of the trace: what static-peak
// provisions for.
double PeakRps(const sim::LoadTrace& trace, Timestamp start) {
  const Series minutes = trace.MinuteRates(std::chrono::floor<std::chrono::minutes>(start),
                                           std::max(start, trace.end()));
  double peak = trace.RateAt(start);
  for (size_t i = 0; i < minutes.size(); ++i) {
    if (std::isfinite(minutes[i])) peak = std::max(peak, minutes[i]);
  }
  return peak;
}

}  // namespace

std::unique_ptr<scaling::Policy> MakeScenarioPolicy(const sim::Scenario& scenario,
                                                    const sim::ScenarioService& service) {
  const sim::ServiceSpec& spec = service.spec;
  const double capacity = spec.workload.capacity_rps;
  const double target = spec.hpa_spec.target_cpu_utilization_percent / 100.0;
  const sim::ScenarioPolicy& p = service.policy;
  if (p.name == "static-peak") {
    return std::make_unique<scaling::StaticPeakPolicy>(PeakRps(spec.trace, scenario.start),
                                                       capacity);
  }
  if (p.name == "predictive") {
    const sim::ClusterOptions& cluster = scenario.options.cluster;
    scaling::PredictiveOptions po;
    po.schedule.capacity_rps = capacity;
    po.schedule.min_replicas = spec.hpa_spec.min_replicas;
    po.schedule.target_utilization = target;
    // What must start now to be ready in time: a pod's start-up on a new node.
    po.schedule.lead =
        p.lead.value_or(spec.pod.startup_max.value_or(cluster.startup_max) + cluster.provision_max);
    po.schedule.placeholders = p.placeholders.value_or(po.schedule.placeholders);
    po.horizon = p.horizon.value_or(po.horizon);
    po.refresh = p.refresh.value_or(po.refresh);
    po.level = p.level.value_or(po.level);
    return std::make_unique<scaling::PredictivePolicy>(po);
  }
  return std::make_unique<scaling::HpaPolicy>(capacity, target);
}

Result<BuiltScenario> BuildScenario(sim::Scenario scenario) {
  BuiltScenario built;
  std::vector<sim::ServiceSpec> specs;
  for (sim::ScenarioService& service : scenario.services) {
    std::unique_ptr<scaling::Policy> policy = MakeScenarioPolicy(scenario, service);
    sim::ServiceSpec& spec = service.spec;
    spec.hpa = policy->UsesHpa();
    if (service.replicas.has_value()) {
      spec.initial_replicas = *service.replicas;
    } else {
      spec.initial_replicas = policy->InitialReplicas(spec.trace.RateAt(scenario.start));
      if (spec.hpa) {
        spec.initial_replicas = std::clamp(spec.initial_replicas, spec.hpa_spec.min_replicas,
                                           spec.hpa_spec.max_replicas);
      }
    }
    if (service.pdb_max_unavailable.has_value()) {
      // The simulator's budget is a fixed minAvailable: maxUnavailable of the pods it starts with.
      spec.pdb_min_available = std::max(1, spec.initial_replicas - *service.pdb_max_unavailable);
    }
    specs.push_back(std::move(spec));
    built.policies.push_back(std::move(policy));
  }
  PRESCIENT_ASSIGN_OR_RETURN(
      built.sim, sim::Simulator::Create(scenario.options, std::move(specs), scenario.start));
  return built;
}

}  // namespace prescient::app
