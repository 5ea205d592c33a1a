#include <iostream>
#include <memory>

#include "prescient/app/run_job.h"
#include "prescient/cli/commands.h"

namespace prescient::cli {

void AddRunCommand(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<app::RunOptions>();
  auto interval = std::make_shared<int>(60);
  CLI::App* run = app.add_subcommand(
      "run",
      "The predictive scaling controller: forecast each policy's load from Prometheus and "
      "raise capacity ahead of it through the Kubernetes API (README: prescient run).");
  run->add_option("--policy,-f", o->policies,
                  "PredictiveScalingPolicy YAML file or directory (repeatable; docs/policy.md)")
      ->required();
  run->add_option("--kubeconfig", o->kubeconfig,
                  "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else in-cluster)");
  run->add_option("--context", o->context, "kubeconfig context (default: the current one)");
  run->add_option("--prometheus", o->prometheus, "Prometheus base URL")->default_str(o->prometheus);
  run->add_option("--audit-db", o->audit_db,
                  "SQLite audit log of every change (\"\" for none; `prescient audit` reads it)")
      ->default_str(o->audit_db);
  run->add_flag("--dry-run", o->dry_run, "Print the plan and every change; change nothing");
  run->add_flag("--once", o->once,
                "One pass over the policies, without leader election, then exit (a CronJob)");
  run->add_option("--interval", *interval, "Seconds between passes")->default_val(60);
  run->add_option("--metrics-listen", o->metrics_listen,
                  "HOST:PORT for /metrics and /healthz (\"\" for none)")
      ->default_str(o->metrics_listen);
  run->add_flag("!--no-leader-elect", o->leader_elect,
                "Do not campaign for the Lease: only for a single instance");
  run->add_option("--lease-namespace", o->lease_namespace, "Namespace of the leader Lease")
      ->default_str(o->lease_namespace);
  run->add_option("--lease-name", o->lease_name, "Name of the leader Lease")
      ->default_str(o->lease_name);
  run->add_option("--identity", o->identity,
                  "This instance's name in the Lease and the audit log "
                  "(default: hostname_random)");
  run->add_option("--lease-duration", o->lease_seconds, "Seconds a Lease is held without renewal")
      ->default_val(o->lease_seconds);
  run->add_option("--renew-deadline", o->renew_seconds,
                  "Seconds the leader keeps trying to renew before it stops writing")
      ->default_val(o->renew_seconds);
  run->add_option("--retry-period", o->retry_seconds, "Seconds between Lease attempts")
      ->default_val(o->retry_seconds);
  AddWebFlags(run, o->web);
  run->callback([o, interval, &result]() {
    o->interval = Duration(*interval);
    const Status s = app::RunController(*o, std::cout);
    result.exit_code = s.ok() ? kExitOk : ReportError(s);
  });
}

}  // namespace prescient::cli
