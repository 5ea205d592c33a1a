// The `prescient sim serve` job: the default scenario (the bundled NASA trace on one
// service with the HPA and predictive scaling) running live, with its Kubernetes API.
// Blocks until SIGINT or SIGTERM. Tested by sim/api/api_server_test.cc (through the binary).
#pragma once

#include <ostream>
#include <string>

#include "prescient/core/status.h"

namespace prescient::app {

struct SimServeOptions {
  std::string listen = "127.0.0.1:6443";  // HOST:PORT; port 0 picks a free one.
  std::string trace;                      // Default: the bundled demo trace.
  double speed = 1;                       // Simulated seconds per wall second.
  std::string kubeconfig_out;             // Written once the port is bound.
  bool insecure_http = false;             // Plain HTTP instead of HTTPS with auth.
  uint64_t seed = 1;
};

// Prints "listening on https://HOST:PORT" (http:// with insecure_http) once serving.
Status RunSimServe(const SimServeOptions& options, std::ostream& out);

}  // namespace prescient::app
