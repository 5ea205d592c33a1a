// The Kubernetes HorizontalPodAutoscaler's replica calculation for a CPU-utilisation
// target, ported rule for rule from kube-controller-manager
// (pkg/controller/podautoscaler/replica_calculator.go, GetResourceReplicas). Pure: the
// pods and their metrics-server samples come in as values and `now` is a parameter.
// Thread-safe (stateless functions). Tested by hpa_test.cc.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::scaling {

// One pod as the HPA sees it: the pod object (phase, deletion, PodReady condition,
// requests) joined with its metrics-server sample. Names only label messages; Kubernetes
// keeps them unique within a namespace.
struct HpaPod {
  std::string name;
  enum class Phase { kPending, kRunning, kSucceeded, kFailed } phase = Phase::kRunning;
  bool deleting = false;       // metadata.deletionTimestamp set
  bool has_start_time = true;  // status.startTime set
  Timestamp start_time{};
  bool has_ready_condition = true;  // a PodReady condition exists
  bool ready = false;               // its status is True
  // Status Unknown (e.g. the node stopped reporting). Upstream tests for status False
  // only, so an Unknown pod is neither ready nor "False"; ignored when `ready` is set.
  bool ready_status_unknown = false;
  Timestamp ready_transition{};       // its lastTransitionTime
  double cpu_request_millicores = 0;  // sum over containers; 0 = no request
  bool has_metric = false;            // metrics-server returned a sample
  double cpu_usage_millicores = 0;
  Timestamp metric_timestamp{};
  Duration metric_window{30};  // metrics-server window (upstream default: 30 s)
};

// kube-controller-manager flags, with upstream's defaults. The tolerance applies both
// ways (per-HPA tolerances, the HPAConfigurableTolerance gate, are not modelled).
struct HpaOptions {
  // --horizontal-pod-autoscaler-sync-period: how often the caller should Reconcile; the
  // library itself only sees the `now` of each call.
  Duration sync_period{15};
  double tolerance = 0.1;                        // --horizontal-pod-autoscaler-tolerance
  Duration cpu_initialization_period{300};       // ...-cpu-initialization-period
  Duration initial_readiness_delay{30};          // ...-initial-readiness-delay
  Duration downscale_stabilization_window{300};  // ...-downscale-stabilization
};

struct ReplicaCalculation {
  int replicas;                       // the proposal for spec.replicas
  int utilization_percent;            // status.currentMetrics[].averageUtilization
  double raw_utilization_millicores;  // ...averageValue: integer mean over the ready pods
};

// Upstream ReplicaCalculator.GetResourceReplicas for resource "cpu". Errors carry
// upstream's messages: Unavailable when no pod has a metric ("no metrics returned from
// resource metrics API") or none is usable ("did not receive metrics for targeted
// pods"), FailedPrecondition for a pod without a CPU request, InvalidArgument for input
// that the API server would have rejected (target <= 0, negative or non-finite numbers).
Result<ReplicaCalculation> GetResourceReplicas(int current_replicas, int target_utilization_percent,
                                               std::span<const HpaPod> pods, Timestamp now,
                                               const HpaOptions& options);

// Upstream groupPods for resource "cpu", exposed for tests and dashboards: which pods
// count, which are set aside and why. Vectors hold pod names in input order.
struct PodGroups {
  int ready_pod_count = 0;
  std::vector<std::string> unready;  // Pending, or CPU not yet trustworthy
  std::vector<std::string> missing;  // no metric sample
  std::vector<std::string> ignored;  // being deleted, or Failed
};
PodGroups GroupPods(std::span<const HpaPod> pods, Timestamp now, const HpaOptions& options);

}  // namespace prescient::scaling
