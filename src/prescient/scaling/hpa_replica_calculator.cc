// The HPA replica calculator for a CPU-utilisation target.
//
// Model (upstream kube-controller-manager, pkg/controller/podautoscaler/
// replica_calculator.go ReplicaCalculator.GetResourceReplicas, groupPods, and
// metrics/utilization.go GetResourceUtilizationRatio; the version ported is the
// autoscaling/v2 controller with the Tolerances type and the max(100%, target) fallback
// for missing pods):
//
//   1. Sort the pods (groupPods). Deleting or Failed pods are ignored; Pending pods are
//      unready; pods without a sample are missing; for CPU a pod whose PodReady
//      condition or start time is absent is unready, and so is one inside
//      cpu-initialization-period (5 min) that is not ready or whose sample window began
//      before it last turned ready, and one past that period that is not ready and never
//      was ready (its readiness last changed within initial-readiness-delay, 30 s, of its
//      start). The rest are ready, and only their samples are used.
//   2. utilization% = floor(100 * sum(usage_m) / sum(request_m)) over the ready pods, in
//      integer millicores; usageRatio = utilization% / target%.
//   3. With no missing pods and no unready pod to worry about (unready pods matter only
//      on a scale-up): within tolerance (0.9 <= ratio <= 1.1) keep the current count,
//      else ceil(ratio * readyPods).
//   4. Otherwise fill in the blanks pessimistically: on a scale-down a missing pod uses
//      max(100%, target%) of its request, on a scale-up it uses 0, and on a scale-up an
//      unready pod uses 0. Recompute the ratio; keep the current count if it is now
//      within tolerance or points the other way, else ceil(newRatio * podsCounted),
//      unless that count itself moved the wrong way.
//
// Units follow upstream: Quantity.MilliValue() rounds up, so usages are taken as whole
// nanocores (what metrics-server reports) and rounded up to millicores; the percentage
// is integer division. We keep two differences from Go, both outside any real input:
// sums use 128-bit integers and the percentage and replica counts saturate at the int32
// rails (Go would wrap or convert implementation-defined); and every input is checked for
// finiteness and range first, so no arithmetic here can overflow.
//
// Known failure modes (upstream's, kept on purpose): a pod whose samples lag its
// readiness is invisible for up to one metric window, so a rollout of many new pods can
// hold a scale-up; the 100%-of-request fallback makes scale-downs with missing metrics
// slow; integer percentages make the tolerance band slightly asymmetric.

#include "prescient/scaling/hpa_replica_calculator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace prescient::scaling {
namespace {

__extension__ typedef __int128 Int128;  // sums of many int64 millicore values

// Bounds that keep all arithmetic below far from overflow; real clusters are many orders
// of magnitude inside them (1e12 millicores is a billion cores in one pod).
constexpr double kMaxMillicores = 1e12;
constexpr int64_t kMaxAbsSeconds = int64_t{100'000'000'000};  // ~3000 years either side
constexpr int64_t kMaxDurationSeconds = int64_t{1'000'000'000};

enum class PodClass { kReady, kUnready, kMissing, kIgnored };

// One entry of upstream's PodMetricsInfo joined with the pod's request.
// Usage is 128-bit because the scale-down fallback multiplies a request by the target.
struct Sample {
  Int128 usage_m;
  int64_t request_m;
};

struct Utilization {
  double usage_ratio;
  int percent;
  int64_t raw_average_m;
};

bool TimeInRange(Timestamp t) {
  const int64_t s = t.time_since_epoch().count();
  return s >= -kMaxAbsSeconds && s <= kMaxAbsSeconds;
}
bool DurationInRange(Duration d) {
  return d.count() >= -kMaxDurationSeconds && d.count() <= kMaxDurationSeconds;
}
bool MillicoresInRange(double m) { return std::isfinite(m) && m >= 0 && m <= kMaxMillicores; }

Status ValidateInputs(int current_replicas, int target, std::span<const HpaPod> pods, Timestamp now,
                      const HpaOptions& options) {
  if (target <= 0) {
    return InvalidArgumentError("hpa: target CPU utilization must be > 0, got " +
                                std::to_string(target));
  }
  if (current_replicas < 0) {
    return InvalidArgumentError("hpa: current replicas must be >= 0, got " +
                                std::to_string(current_replicas));
  }
  if (!std::isfinite(options.tolerance) || options.tolerance < 0) {
    return InvalidArgumentError("hpa: tolerance must be a finite number >= 0");
  }
  if (!TimeInRange(now) || !DurationInRange(options.cpu_initialization_period) ||
      !DurationInRange(options.initial_readiness_delay)) {
    return InvalidArgumentError("hpa: now or an option duration is out of range");
  }
  for (const HpaPod& pod : pods) {
    if (!MillicoresInRange(pod.cpu_request_millicores) ||
        !MillicoresInRange(pod.cpu_usage_millicores)) {
      return InvalidArgumentError("hpa: pod " + pod.name +
                                  ": CPU request and usage must be finite, >= 0 and <= 1e12 m");
    }
    if (!TimeInRange(pod.start_time) || !TimeInRange(pod.ready_transition) ||
        !TimeInRange(pod.metric_timestamp) || !DurationInRange(pod.metric_window)) {
      return InvalidArgumentError("hpa: pod " + pod.name + ": a time is out of range");
    }
  }
  return OkStatus();
}

// resource.Quantity.MilliValue(): metrics-server reports whole nanocores and MilliValue
// rounds up. Going through nanocores first also drops float noise (300.00000000000006).
int64_t MilliValue(double millicores) {
  const int64_t nanos = std::llround(millicores * 1e6);
  return nanos / 1'000'000 + (nanos % 1'000'000 != 0 ? 1 : 0);
}

// Tolerances.isWithin (replica_calculator.go): the same tolerance both ways here.
bool IsWithinTolerance(double usage_ratio, double tolerance) {
  return (1.0 - tolerance) <= usage_ratio && usage_ratio <= (1.0 + tolerance);
}

// int32(math.Ceil(x)) for x >= 0, saturating where Go's conversion is undefined.
int CeilToReplicas(double x) {
  if (!(x < static_cast<double>(std::numeric_limits<int32_t>::max()))) {
    return std::numeric_limits<int32_t>::max();
  }
  return static_cast<int>(std::ceil(x));
}

// groupPods (replica_calculator.go), for resource "cpu".
PodClass Classify(const HpaPod& pod, Timestamp now, const HpaOptions& options) {
  if (pod.deleting || pod.phase == HpaPod::Phase::kFailed) return PodClass::kIgnored;
  // "Pending pods are ignored": set aside as unready, counted as 0 on a scale-up.
  if (pod.phase == HpaPod::Phase::kPending) return PodClass::kUnready;
  if (!pod.has_metric) return PodClass::kMissing;
  if (!pod.has_ready_condition || !pod.has_start_time) return PodClass::kUnready;
  // condition.Status == v1.ConditionFalse: Unknown is not False.
  const bool status_false = !pod.ready && !pod.ready_status_unknown;
  if (pod.start_time + options.cpu_initialization_period > now) {
    // Still initialising: CPU is typically high at start-up, so trust the sample only if
    // the pod is ready and a whole metric window has passed since it turned ready.
    const bool stale = pod.metric_timestamp < pod.ready_transition + pod.metric_window;
    return status_false || stale ? PodClass::kUnready : PodClass::kReady;
  }
  // Past initialisation: ignore only a pod that is unready and has never been ready
  // (its readiness last changed within the initial delay after it started).
  const bool never_ready =
      status_false && pod.start_time + options.initial_readiness_delay > pod.ready_transition;
  return never_ready ? PodClass::kUnready : PodClass::kReady;
}

// metrics/utilization.go GetResourceUtilizationRatio.
Result<Utilization> GetResourceUtilizationRatio(std::span<const Sample> samples, int target) {
  Int128 metrics_total = 0;
  Int128 requests_total = 0;
  for (const Sample& s : samples) {
    metrics_total += s.usage_m;
    requests_total += s.request_m;
  }
  // "if the set of requests is completely disjoint from the set of metrics".
  if (requests_total == 0) return UnavailableError("no metrics returned matched known pods");
  const Int128 percent = metrics_total * 100 / requests_total;
  const int percent32 = percent > std::numeric_limits<int32_t>::max()
                            ? std::numeric_limits<int32_t>::max()
                            : static_cast<int>(percent);
  const Int128 raw_average = metrics_total / static_cast<Int128>(samples.size());
  return Utilization{
      .usage_ratio = static_cast<double>(percent32) / static_cast<double>(target),
      .percent = percent32,
      .raw_average_m = raw_average > std::numeric_limits<int64_t>::max()
                           ? std::numeric_limits<int64_t>::max()
                           : static_cast<int64_t>(raw_average),
  };
}

}  // namespace

PodGroups GroupPods(std::span<const HpaPod> pods, Timestamp now, const HpaOptions& options) {
  PodGroups groups;
  for (const HpaPod& pod : pods) {
    switch (Classify(pod, now, options)) {
      case PodClass::kReady:
        ++groups.ready_pod_count;
        break;
      case PodClass::kUnready:
        groups.unready.push_back(pod.name);
        break;
      case PodClass::kMissing:
        groups.missing.push_back(pod.name);
        break;
      case PodClass::kIgnored:
        groups.ignored.push_back(pod.name);
        break;
    }
  }
  return groups;
}

Result<ReplicaCalculation> GetResourceReplicas(int current_replicas, int target_utilization_percent,
                                               std::span<const HpaPod> pods, Timestamp now,
                                               const HpaOptions& options) {
  PRESCIENT_RETURN_IF_ERROR(
      ValidateInputs(current_replicas, target_utilization_percent, pods, now, options));
  const int target = target_utilization_percent;

  // metricsClient.GetResourceMetric fails when metrics-server returns nothing at all.
  if (std::none_of(pods.begin(), pods.end(), [](const HpaPod& p) { return p.has_metric; })) {
    return UnavailableError(
        "unable to get metrics for resource cpu: no metrics returned from resource metrics API");
  }

  // groupPods, then removeMetricsForPods(ignored) and (unready): what remains are the
  // ready pods' samples.
  std::vector<PodClass> classes;
  classes.reserve(pods.size());
  std::vector<Sample> samples;
  int ready_pod_count = 0;
  bool any_unready = false;
  bool any_missing = false;
  for (const HpaPod& pod : pods) {
    classes.push_back(Classify(pod, now, options));
    any_unready |= classes.back() == PodClass::kUnready;
    any_missing |= classes.back() == PodClass::kMissing;
    if (classes.back() == PodClass::kReady) ++ready_pod_count;
  }
  if (ready_pod_count == 0) {
    return UnavailableError("did not receive metrics for targeted pods (pods might be unready)");
  }

  // calculateRequests: every selected pod needs a request, ignored ones included.
  std::vector<int64_t> requests_m;
  requests_m.reserve(pods.size());
  for (const HpaPod& pod : pods) {
    if (pod.cpu_request_millicores <= 0) {
      return FailedPreconditionError("missing request for cpu in container of Pod " + pod.name);
    }
    requests_m.push_back(MilliValue(pod.cpu_request_millicores));
  }
  for (size_t i = 0; i < pods.size(); ++i) {
    if (classes[i] == PodClass::kReady) {
      samples.push_back({MilliValue(pods[i].cpu_usage_millicores), requests_m[i]});
    }
  }

  PRESCIENT_ASSIGN_OR_RETURN(const Utilization first, GetResourceUtilizationRatio(samples, target));
  const double usage_ratio = first.usage_ratio;
  auto result = [&](int replicas) {
    return ReplicaCalculation{replicas, first.percent, static_cast<double>(first.raw_average_m)};
  };

  const bool scale_up_with_unready = any_unready && usage_ratio > 1.0;
  if (!scale_up_with_unready && !any_missing) {
    if (IsWithinTolerance(usage_ratio, options.tolerance)) return result(current_replicas);
    return result(CeilToReplicas(usage_ratio * ready_pod_count));
  }

  // Fill in the pods set aside, pessimistically for the direction of the change.
  for (size_t i = 0; i < pods.size(); ++i) {
    if (classes[i] == PodClass::kMissing) {
      if (usage_ratio < 1.0) {
        // Scale-down: a missing pod uses all of its request, or the target when that is
        // above 100%, so that it never argues for the scale-down.
        const Int128 fallback_percent = std::max(100, target);
        samples.push_back({requests_m[i] * fallback_percent / 100, requests_m[i]});
      } else if (usage_ratio > 1.0) {
        samples.push_back({0, requests_m[i]});  // scale-up: it uses nothing
      }
    } else if (classes[i] == PodClass::kUnready && scale_up_with_unready) {
      samples.push_back({0, requests_m[i]});
    }
  }

  // "re-run the utilization calculation with our new numbers".
  PRESCIENT_ASSIGN_OR_RETURN(const Utilization second,
                             GetResourceUtilizationRatio(samples, target));
  const double new_usage_ratio = second.usage_ratio;
  if (IsWithinTolerance(new_usage_ratio, options.tolerance) ||
      (usage_ratio < 1.0 && new_usage_ratio > 1.0) ||
      (usage_ratio > 1.0 && new_usage_ratio < 1.0)) {
    // Too small a change, or the blanks flipped the direction of scale.
    return result(current_replicas);
  }
  const int new_replicas = CeilToReplicas(new_usage_ratio * static_cast<double>(samples.size()));
  if ((new_usage_ratio < 1.0 && new_replicas > current_replicas) ||
      (new_usage_ratio > 1.0 && new_replicas < current_replicas)) {
    // Counting the extra pods would move replicas against the metric.
    return result(current_replicas);
  }
  return result(new_replicas);
}

}  // namespace prescient::scaling
