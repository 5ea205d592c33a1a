// The `prescient run` job: the predictive scaling controller against a real cluster
// (or `prescient sim serve`'s) and a real Prometheus. It loads the policies, connects
// (kubeconfig, else in-cluster), opens the audit log (marking records a crash left
// unfinished as interrupted), serves /metrics and /healthz, campaigns for the Lease, and
// then, every `interval`, lets the controller (controller/controller.h) make a pass while
// it leads. `once` makes one pass without leader election and exits (for a CronJob).
// Blocks until SIGINT or SIGTERM (releasing the Lease). Tested by
// controller/controller_integration_test.cc (through the binary) and cli_test.cc.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "prescient/app/web_host.h"
#include "prescient/core/status.h"
#include "prescient/core/time.h"

namespace prescient::app {

struct RunOptions {
  std::vector<std::string> policies;  // Files or directories of PredictiveScalingPolicy YAML.
  std::string kubeconfig;             // Empty: $KUBECONFIG, ~/.kube/config, else in-cluster.
  std::string context;
  std::string prometheus = "http://127.0.0.1:9090";
  std::string audit_db = "prescient-audit.db";  // Empty: no audit log (dry runs only).
  bool dry_run = false;
  bool once = false;
  Duration interval{60};
  std::string metrics_listen = "127.0.0.1:9464";  // Empty: no /metrics server.
  bool leader_elect = true;
  std::string lease_namespace = "default";
  std::string lease_name = "prescient";
  std::string identity;  // Empty: hostname_pid.
  double lease_seconds = 15;
  double renew_seconds = 10;
  double retry_seconds = 2;
  // The dashboard (docs/api.md); not with `once`. A port already taken is a warning.
  WebOptions web;
};

// `out` gets the plan and every change (one line each); errors go there too, per policy.
// Returns InvalidArgument when no policy can run or a flag is wrong.
Status RunController(const RunOptions& options, std::ostream& out);

}  // namespace prescient::app
