// Actuator: the one door through which the controller changes a cluster. Each change,
// already through the guardrails, is
//   1. written to the audit log as `intended` (durable before anything is sent),
//   2. skipped if this is a dry run (the record says dry-run) or this instance is not
//      the leader (the record says failed: not the leader),
//   3. applied, and its outcome recorded (applied, or failed with the API's error).
// Every change is also printed as one line, so `--dry-run` prints the plan.
// Thread-compatible (one controller loop). Tested by controller_test.cc.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "prescient/controller/controller_metrics.h"
#include "prescient/core/clock.h"
#include "prescient/core/status.h"
#include "prescient/storage/audit_log.h"

namespace prescient::controller {

struct Change {
  std::string policy;  // namespace/name
  std::string target;  // "namespace/resource/name", e.g. "default/horizontalpodautoscalers/web".
  std::string field;   // "spec.minReplicas", "spec.replicas".
  int from = 0;
  int to = 0;
  std::string reason;
  bool dry_run = false;  // Record it, do not apply it (--dry-run, mode ForecastOnly).
};

class Actuator {
 public:
  // `audit` may be null (no audit store configured: --dry-run --once from a laptop);
  // so may `metrics`.
  Actuator(storage::AuditLog* audit, std::string identity, const Clock& clock,
           std::function<bool()> is_leader, std::ostream& out, ControllerMetrics* metrics = nullptr)
      : audit_(audit),
        metrics_(metrics),
        identity_(std::move(identity)),
        clock_(clock),
        is_leader_(std::move(is_leader)),
        out_(out) {}

  // OK when applied or recorded as a dry run. FailedPrecondition when not the leader.
  // An audit write that fails stops the change (no record, no change).
  Status Apply(const Change& change, const std::function<Status()>& apply);

 private:
  storage::AuditLog* audit_;
  ControllerMetrics* metrics_;
  std::string identity_;
  const Clock& clock_;
  std::function<bool()> is_leader_;
  std::ostream& out_;
};

}  // namespace prescient::controller
