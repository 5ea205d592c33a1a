// The `prescient sim serve` job: a scenario file (sim/scenario.h; by default the bundled
// testdata/demo/scenario.yaml) running live, with its Kubernetes API.
// Blocks until SIGINT or SIGTERM. Tested by sim/api/api_server_test.cc (through the binary).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "prescient/app/web_host.h"
#include "prescient/core/status.h"
#include "prescient/core/time.h"

namespace prescient::app {

struct SimServeOptions {
  std::string listen = "127.0.0.1:6443";  // HOST:PORT; port 0 picks a free one.
  std::string scenario;                   // A SimulationScenario YAML file.
  std::string trace;                      // If set, replaces every service's trace file.
  double speed = 1;                       // Simulated seconds per wall second.
  std::string kubeconfig_out;             // Written once the port is bound.
  bool insecure_http = false;             // Plain HTTP instead of HTTPS with auth.
  std::optional<uint64_t> seed;           // If set, replaces the scenario's seed.
  // If set, the requests of every service over the `history` before the start are
  // written there as OpenMetrics counters, ending now on the wall clock (and compressed
  // by `speed`, as the live counters are), for `promtool tsdb create-blocks-from
  // openmetrics`: a Prometheus backfilled from it has the history a forecast needs.
  std::string history_out;
  Duration history{14 * 86400};
  // The dashboard (docs/api.md); a port already taken is a warning, not an error, since
  // several simulators may run side by side.
  WebOptions web;
};

// Prints "listening on https://HOST:PORT" (http:// with insecure_http) once serving, and
// before it "dashboard: http://HOST:PORT/" unless the dashboard is off.
Status RunSimServe(const SimServeOptions& options, std::ostream& out);

}  // namespace prescient::app
