// Controller: every policy's PolicyRunner, run once per pass by the leader. A policy
// whose file or fields are wrong is reported (one line naming the file, line and field)
// and left out; the others run. Non-leaders only export prescient_leader 0.
// The loop around it (timing, signals, leader election, the /metrics server) is
// app/run_job.cc; `prescient run --once` is a single Pass.
// Thread-compatible. Tested by controller_test.cc and controller_integration_test.cc.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "prescient/controller/actuator.h"
#include "prescient/controller/controller_metrics.h"
#include "prescient/controller/policy_runner.h"
#include "prescient/controller/policy_spec.h"
#include "prescient/storage/audit_log.h"

namespace prescient::controller {

struct ControllerOptions {
  bool dry_run = false;
  std::string identity = "prescient";  // Recorded in the audit log.
};

class Controller {
 public:
  // `audit` may be null (dry runs without a store). `is_leader` is asked before each
  // pass and again before each write.
  Controller(const std::vector<Result<PolicySpec>>& specs, k8s::RestClient& kube,
             metrics::MetricSource& metrics, const Clock& clock, storage::AuditLog* audit,
             ControllerMetrics& exported, std::function<bool()> is_leader,
             ControllerOptions options, std::ostream& log);

  size_t runnable() const { return runners_.size(); }
  size_t rejected() const { return rejected_; }
  // One pass over every runnable policy; returns how many reported an error.
  int Pass();
  const std::vector<std::unique_ptr<PolicyRunner>>& runners() const { return runners_; }

 private:
  ControllerMetrics& exported_;
  std::function<bool()> is_leader_;
  Actuator actuator_;
  std::vector<std::unique_ptr<PolicyRunner>> runners_;
  size_t rejected_ = 0;
};

}  // namespace prescient::controller
