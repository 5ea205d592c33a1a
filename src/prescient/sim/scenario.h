// Scenario: a simulated cluster declared in a YAML file (apiVersion prescient.dev/v1alpha1,
// kind SimulationScenario; the reference is docs/scenario.md): the simulator's options,
// its services with their traces, and each service's scaling policy. Decoding is strict,
// as kubectl's validation is: an unknown field, a wrong type or a value out of range is
// one InvalidArgument line "FILE:LINE: FIELD.PATH: what is wrong".
// Pure functions except LoadScenario (files). Thread-safe.
// Tested by scenario_test.cc and fuzz/scenario_fuzzer.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/quantity.h"  // ParseCpuQuantity etc., used with scenarios.
#include "prescient/core/result.h"
#include "prescient/core/time.h"
#include "prescient/sim/simulator.h"

namespace prescient::sim {

inline constexpr std::string_view kScenarioApiVersion = "prescient.dev/v1alpha1";
inline constexpr std::string_view kScenarioKind = "SimulationScenario";
inline constexpr Duration kDefaultStartAfter{7 * 86400};  // A week of history to forecast.
inline constexpr int kDefaultScenarioMaxReplicas = 100;

// The policy options a scenario may set; unset ones take the policy's defaults.
struct ScenarioPolicy {
  std::string name = "hpa";  // hpa | predictive | static-peak
  std::optional<Duration> horizon;
  std::optional<Duration> refresh;
  std::optional<Duration> lead;  // Default: pod start-up max + node provisioning max.
  std::optional<double> level;   // Percent, (0, 100).
  std::optional<bool> placeholders;
};

struct ScenarioService {
  // Everything Simulator::Create needs; spec.trace is empty until LoadScenarioTraces.
  ServiceSpec spec;
  std::string trace_file;  // As written: relative to the scenario file's directory.
  // Scaling of the trace: to peak_pods x capacity at its 99th percentile, or by `scale`.
  std::optional<double> peak_pods;
  std::optional<double> scale;
  std::optional<int> replicas;             // Unset: what the policy starts with (the HPA's).
  std::optional<int> pdb_max_unavailable;  // minAvailable = max(1, initial - this).
  ScenarioPolicy policy;
};

// spec.faults[]: a zone's gray failure, relative to the scenario's start.
struct ScenarioFault {
  std::string zone;
  Duration from{0};                  // After the start.
  std::optional<Duration> duration;  // Unset: for ever.
  double latency_s = 0;
  double error_rate = 0;
};

struct Scenario {
  std::string name;
  std::string source;  // The file it came from, for messages.
  SimulatorOptions options;
  Duration start_after = kDefaultStartAfter;
  std::vector<ScenarioService> services;
  std::vector<ScenarioFault> faults;
  // Set by LoadScenarioTraces: the latest trace start + start_after; it also turns
  // `faults` into options.zone_faults from it.
  Timestamp start{};
};

// Decodes a scenario; no file is read (traces stay unloaded). `source_name` prefixes
// every error.
Result<Scenario> ParseScenario(std::string_view yaml, const std::string& source_name);

// Reads each service's trace (relative paths from `base_dir`), scales it, and sets
// `start`. InvalidArgument naming the service's trace field for a missing or bad file.
Status LoadScenarioTraces(Scenario& scenario, const std::string& base_dir);

// ParseScenario on the file's text (traces unloaded).
Result<Scenario> ParseScenarioFile(const std::string& path);
// ParseScenarioFile, then LoadScenarioTraces from the file's directory.
Result<Scenario> LoadScenario(const std::string& path);
// The directory relative trace paths of the scenario file `path` start from.
std::string ScenarioDirectory(const std::string& path);

}  // namespace prescient::sim
