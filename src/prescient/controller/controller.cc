#include "prescient/controller/controller.h"

namespace prescient::controller {

Controller::Controller(const std::vector<Result<PolicySpec>>& specs, k8s::RestClient& kube,
                       metrics::MetricSource& metrics, const Clock& clock, storage::AuditLog* audit,
                       ControllerMetrics& exported, std::function<bool()> is_leader,
                       ControllerOptions options, std::ostream& log)
    : exported_(exported),
      is_leader_(std::move(is_leader)),
      actuator_(audit, options.identity, clock, is_leader_, log, &exported) {
  for (const Result<PolicySpec>& spec : specs) {
    if (!spec.ok()) {
      log << "error " << spec.status().message() << "\n";
      ++rejected_;
      continue;
    }
    Result<std::unique_ptr<PolicyRunner>> r = PolicyRunner::Create(
        *spec, kube, metrics, clock, actuator_, exported, options.dry_run, log);
    if (!r.ok()) {
      log << "error " << r.status().message() << "\n";
      exported.CountError(spec->ns + "/" + spec->name, "config");
      ++rejected_;
      continue;
    }
    runners_.push_back(std::move(r).value());
  }
  log << std::flush;
}

int Controller::Pass() {
  const bool leader = is_leader_();
  exported_.SetLeader(leader);
  if (!leader) return 0;
  int failed = 0;
  for (const std::unique_ptr<PolicyRunner>& r : runners_) failed += r->Tick().ok() ? 0 : 1;
  return failed;
}

}  // namespace prescient::controller
