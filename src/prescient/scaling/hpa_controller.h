// HpaController: one HorizontalPodAutoscaler object (autoscaling/v2, CPU-utilisation
// target) as kube-controller-manager reconciles it (pkg/controller/podautoscaler/
// horizontal.go, reconcileAutoscaler): replica calculation, stabilization windows,
// scaling policies and the min/max clamp, with the recommendation and scale-event
// history that upstream keeps per HPA. Pure: `now` is a parameter.
// Thread-compatible (one instance per HPA). Tested by hpa_test.cc.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/time.h"
#include "prescient/scaling/hpa_replica_calculator.h"

namespace prescient::scaling {

struct HpaScalingPolicy {
  enum class Type { kPods, kPercent } type = Type::kPods;
  int value = 0;
  Duration period{0};  // periodSeconds
};

// stabilizationWindowSeconds left nil. For scale-down the controller then uses
// HpaOptions::downscale_stabilization_window (maybeInitScaleDownStabilizationWindow);
// scale-up windows are never nil upstream (API defaulting sets 0), so it reads as 0.
inline constexpr Duration kStabilizationWindowUnset{-1};

struct HpaScalingRules {
  Duration stabilization_window{0};
  enum class Select { kMax, kMin, kDisabled } select = Select::kMax;
  std::vector<HpaScalingPolicy> policies;
};

struct HpaBehavior {
  HpaScalingRules scale_up, scale_down;
  // Upstream's API defaults (pkg/apis/autoscaling/v2/defaults.go): scale-up window 0,
  // Max of {Pods 4 / 15 s, Percent 100 / 15 s}; scale-down window unset (so 300 s from
  // the flag), Max of {Percent 100 / 15 s}.
  static HpaBehavior Default();
};

struct HpaSpec {
  int min_replicas = 1;
  int max_replicas = 10;
  int target_cpu_utilization_percent = 70;
  HpaBehavior behavior = HpaBehavior::Default();
  // false = spec.behavior is nil: upstream then takes the older normalizeDesiredReplicas
  // path (scale-up capped at max(2 x current, 4), downscale window from the flag, no
  // scale events), which is what an HPA created without `behavior` gets.
  bool has_behavior = true;
};

struct HpaDecision {
  int desired_replicas = 0;  // what spec.replicas should become
  bool rescale = false;
  int metric_replicas = 0;               // the replica calculator's proposal (0 if it failed)
  int current_utilization_percent = -1;  // -1 if unknown
  // The condition reason that explains desired_replicas: the ScalingLimited reason when
  // limited ("ScaleUpLimit", "ScaleDownLimit", "TooManyReplicas", "TooFewReplicas"),
  // else the stabilization one ("ReadyForNewScale", "ScaleUpStabilized",
  // "ScaleDownStabilized"); "ScalingDisabled", "FailedGetResourceMetric"; and for a
  // current count outside [min, max] (upstream sets no condition there)
  // "TooManyReplicas" / "TooFewReplicas".
  std::string reason;
  // Upstream's three HPA conditions, by reason ("" = not set this sync).
  std::string able_to_scale_reason;    // SucceededRescale, ReadyForNewScale, ...
  std::string scaling_active_reason;   // ValidMetricFound, ScalingDisabled, FailedGet...
  std::string scaling_limited_reason;  // DesiredWithinRange, ScaleUpLimit, ...
  bool scaling_limited = false;        // the ScalingLimited condition's status
  std::string message;                 // the SuccessfulRescale event's reason, or the failure
};

// The per-HPA history upstream keeps in HorizontalController maps, keyed by HPA.
struct TimestampedRecommendation {
  int recommendation = 0;
  Timestamp timestamp{};
};
struct TimestampedScaleEvent {
  int replica_change = 0;  // absolute value, non-negative
  Timestamp timestamp{};
  bool outdated = false;
};
struct HpaState {
  std::vector<TimestampedRecommendation> recommendations;
  std::vector<TimestampedScaleEvent> scale_up_events;
  std::vector<TimestampedScaleEvent> scale_down_events;
};

class HpaController {
 public:
  explicit HpaController(HpaOptions options = {}, HpaState state = {});
  // One sync of reconcileAutoscaler for this HPA at time `now`; `spec_replicas` is the
  // scale subresource's spec.replicas; `pods` are the pods selected by the target's
  // selector. The caller applies desired_replicas when rescale is set.
  HpaDecision Reconcile(Timestamp now, const HpaSpec& spec, int spec_replicas,
                        std::span<const HpaPod> pods);
  const HpaState& state() const { return state_; }
  const HpaOptions& options() const { return options_; }

 private:
  int NormalizeDesiredReplicas(Timestamp now, const HpaSpec& spec, int current, int desired,
                               HpaDecision& decision);
  int NormalizeDesiredReplicasWithBehaviors(Timestamp now, const HpaSpec& spec, int current,
                                            int desired, HpaDecision& decision);

  const HpaOptions options_;
  HpaState state_;
};

// Building blocks of Reconcile, each upstream's horizontal.go function of the same name,
// exposed so that upstream's table tests can be ported one to one.
struct NormalizationArg {
  HpaScalingRules scale_up, scale_down;  // windows already resolved (>= 0)
  int min_replicas = 1;
  int max_replicas = 1;
  int current_replicas = 0;
  int desired_replicas = 0;
};
struct NormalizedReplicas {
  int replicas = 0;
  std::string_view reason;  // a condition reason (static storage)
};

int StabilizeRecommendation(std::vector<TimestampedRecommendation>& recommendations,
                            int prenormalized_desired_replicas, Duration window, Timestamp now);
NormalizedReplicas ConvertDesiredReplicasWithRules(int current_replicas, int desired_replicas,
                                                   int min_replicas, int max_replicas);
int CalculateScaleUpLimit(int current_replicas);
NormalizedReplicas StabilizeRecommendationWithBehaviors(
    const NormalizationArg& arg, std::vector<TimestampedRecommendation>& recommendations,
    Timestamp now);
NormalizedReplicas ConvertDesiredReplicasWithBehaviorRate(const NormalizationArg& arg,
                                                          const HpaState& state, Timestamp now);
int CalculateScaleUpLimitWithScalingRules(int current_replicas,
                                          std::span<const TimestampedScaleEvent> scale_up_events,
                                          std::span<const TimestampedScaleEvent> scale_down_events,
                                          const HpaScalingRules& rules, Timestamp now);
int CalculateScaleDownLimitWithBehaviors(int current_replicas,
                                         std::span<const TimestampedScaleEvent> scale_up_events,
                                         std::span<const TimestampedScaleEvent> scale_down_events,
                                         const HpaScalingRules& rules, Timestamp now);
int GetReplicasChangePerPeriod(Duration period, std::span<const TimestampedScaleEvent> events,
                               Timestamp now);
// `behavior` null = spec.behavior nil: nothing is stored.
void StoreScaleEvent(const HpaBehavior* behavior, HpaState& state, int prev_replicas,
                     int new_replicas, Timestamp now);

}  // namespace prescient::scaling
