// The HPA controller's per-object state machine.
//
// Model (upstream kube-controller-manager, pkg/controller/podautoscaler/horizontal.go,
// the autoscaling/v2 controller; API defaults from pkg/apis/autoscaling/v2/defaults.go).
// One sync of one HPA (reconcileAutoscaler):
//
//   0. recordInitialRecommendation: the first sync seeds the recommendation history with
//      the current count, so a freshly started controller cannot scale down before a
//      whole downscale window has passed.
//   1. spec.replicas == 0 with minReplicas != 0: autoscaling is disabled (ScalingDisabled).
//      current > max: go to max. current < min: go to min. Neither is rate-limited.
//   2. Otherwise ask the replica calculator (hpa_replica_calculator.cc). If it fails the
//      sync ends there: no rescale, and the history is not fed (FailedGetResourceMetric).
//   3. Normalise the proposal. With spec.behavior (normalizeDesiredReplicasWithBehaviors):
//        stabilise: recommendation = clamp(current, min of proposals younger than the
//          scale-up window, max of proposals younger than the scale-down window), and
//          record the raw proposal (reusing a slot older than both windows);
//        rate-limit: for each policy, periodStart = current - added + removed within its
//          period; scale-up limit = select(periodStart + pods, ceil(periodStart * (1 +
//          percent/100))), scale-down limit = select(periodStart - pods,
//          trunc(periodStart * (1 - percent/100))), select = Max (most change), Min
//          (least) or Disabled (none); never past current in the wrong direction; then
//          clamp to [min, max].
//      Without spec.behavior (normalizeDesiredReplicas, the pre-1.18 rules): max of the
//      proposals within the downscale window, scale-up capped at max(2 x current, 4),
//      then [min, max].
//   4. On a rescale, storeScaleEvent remembers |change| with its time (reusing a slot
//      older than the longest policy period) for the next syncs' rate limits.
//
// Time is upstream's time.Now(); here it is `now`, in whole seconds. Comparisons keep
// upstream's strictness (After/Before), so an event exactly one period old no longer
// counts, as upstream's always-slightly-older events would not.
//
// Differences from Go, outside any real input: int32 arithmetic that Go would wrap (or
// convert implementation-defined) saturates at the int32 rails, so the MaxInt32/MinInt32
// sentinels of the policy selection can never overflow; time arithmetic saturates.
//
// Known failure modes (upstream's, kept on purpose): the 300 s scale-down window makes
// the HPA slow to give capacity back; rate limits count scale events, not pods actually
// started, so a stuck rollout still consumes the budget; the controller's history is
// in memory, so a restart (a new HpaController) forgets it and re-seeds it.

#include "prescient/scaling/hpa_controller.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace prescient::scaling {
namespace {

constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
constexpr int64_t kMinInt32 = std::numeric_limits<int32_t>::min();

// The upstream names of the metric and of the rescale reasons.
constexpr std::string_view kMetricName = "cpu resource utilization (percentage of request)";

int Clamp32(int64_t v) { return static_cast<int>(std::clamp(v, kMinInt32, kMaxInt32)); }
int Clamp32(double v) {  // v finite
  if (!(v < static_cast<double>(kMaxInt32))) return static_cast<int>(kMaxInt32);
  if (!(v > static_cast<double>(kMinInt32))) return static_cast<int>(kMinInt32);
  return static_cast<int>(v);
}

// now.Add(-d), saturating instead of overflowing.
Timestamp Cutoff(Timestamp now, Duration d) {
  Duration::rep out;
  if (__builtin_sub_overflow(now.time_since_epoch().count(), d.count(), &out)) {
    out = d.count() > 0 ? std::numeric_limits<Duration::rep>::min()
                        : std::numeric_limits<Duration::rep>::max();
  }
  return Timestamp{Duration{out}};
}

// horizontal.go getReplicasChangePerPeriod, in 64 bits for the callers' arithmetic.
int64_t ReplicasChangePerPeriod(Duration period, std::span<const TimestampedScaleEvent> events,
                                Timestamp now) {
  const Timestamp cutoff = Cutoff(now, period);
  int64_t replicas = 0;
  for (const TimestampedScaleEvent& e : events) {
    if (e.timestamp > cutoff) replicas += e.replica_change;
  }
  return replicas;
}

// horizontal.go getLongestPolicyPeriod.
Duration LongestPolicyPeriod(const HpaScalingRules& rules) {
  Duration longest{0};
  for (const HpaScalingPolicy& p : rules.policies) longest = std::max(longest, p.period);
  return longest;
}

// horizontal.go markScaleEventsOutdated: events no policy can see any more are marked for reuse.
void MarkScaleEventsOutdated(std::vector<TimestampedScaleEvent>& events, Duration longest,
                             Timestamp now) {
  const Timestamp cutoff = Cutoff(now, longest);
  for (TimestampedScaleEvent& e : events) {
    if (e.timestamp < cutoff) e.outdated = true;
  }
}

// periodStartReplicas (horizontal.go calculateScaleUpLimitWithScalingRules and ...DownLimit...):
// the count at the start of the policy's period, undoing the changes made within it.
int64_t PeriodStartReplicas(int current, const HpaScalingPolicy& policy,
                            std::span<const TimestampedScaleEvent> up,
                            std::span<const TimestampedScaleEvent> down, Timestamp now) {
  return int64_t{current} - ReplicasChangePerPeriod(policy.period, up, now) +
         ReplicasChangePerPeriod(policy.period, down, now);
}

}  // namespace

HpaBehavior HpaBehavior::Default() {
  using Type = HpaScalingPolicy::Type;
  HpaBehavior b;
  // defaults.go defaultHPAScaleUpRules: "these constants repeat previous HPA behavior".
  b.scale_up = {.stabilization_window = Duration{0},
                .select = HpaScalingRules::Select::kMax,
                .policies = {{Type::kPods, 4, Duration{15}}, {Type::kPercent, 100, Duration{15}}}};
  // defaults.go defaultHPAScaleDownRules: the window stays nil so that the command-line flag
  // applies.
  b.scale_down = {.stabilization_window = kStabilizationWindowUnset,
                  .select = HpaScalingRules::Select::kMax,
                  .policies = {{Type::kPercent, 100, Duration{15}}}};
  return b;
}

// horizontal.go stabilizeRecommendation: max of the recommendations within the window; the oldest
// expired slot is reused.
int StabilizeRecommendation(std::vector<TimestampedRecommendation>& recommendations,
                            int prenormalized_desired_replicas, Duration window, Timestamp now) {
  int max_recommendation = prenormalized_desired_replicas;
  bool found_old_sample = false;
  size_t old_sample_index = 0;
  const Timestamp cutoff = Cutoff(now, window);
  for (size_t i = 0; i < recommendations.size(); ++i) {
    if (recommendations[i].timestamp < cutoff) {
      found_old_sample = true;
      old_sample_index = i;
    } else {
      max_recommendation = std::max(max_recommendation, recommendations[i].recommendation);
    }
  }
  const TimestampedRecommendation fresh{prenormalized_desired_replicas, now};
  if (found_old_sample) {
    recommendations[old_sample_index] = fresh;
  } else {
    recommendations.push_back(fresh);
  }
  return max_recommendation;
}

// horizontal.go calculateScaleUpLimit: int32(math.Max(scaleUpLimitFactor*current,
// scaleUpLimitMinimum)) with factor 2 and minimum 4.
int CalculateScaleUpLimit(int current_replicas) {
  return Clamp32(std::max(2.0 * current_replicas, 4.0));
}

// horizontal.go convertDesiredReplicasWithRules.
NormalizedReplicas ConvertDesiredReplicasWithRules(int current_replicas, int desired_replicas,
                                                   int min_replicas, int max_replicas) {
  // "Do not scaleup too much to prevent incorrect rapid increase of the number of master
  // replicas caused by bogus CPU usage report from heapster/kubelet (like in issue
  // #32304)."
  const int scale_up_limit = CalculateScaleUpLimit(current_replicas);
  int maximum_allowed = max_replicas;
  std::string_view limiting = "TooManyReplicas";
  if (max_replicas > scale_up_limit) {
    maximum_allowed = scale_up_limit;
    limiting = "ScaleUpLimit";
  }
  if (desired_replicas < min_replicas) return {min_replicas, "TooFewReplicas"};
  if (desired_replicas > maximum_allowed) return {maximum_allowed, limiting};
  return {desired_replicas, "DesiredWithinRange"};
}

// horizontal.go stabilizeRecommendationWithBehaviors.
NormalizedReplicas StabilizeRecommendationWithBehaviors(
    const NormalizationArg& arg, std::vector<TimestampedRecommendation>& recommendations,
    Timestamp now) {
  const Timestamp up_cutoff = Cutoff(now, arg.scale_up.stabilization_window);
  const Timestamp down_cutoff = Cutoff(now, arg.scale_down.stabilization_window);
  int up_recommendation = arg.desired_replicas;    // lowest recent: bounds a scale-up
  int down_recommendation = arg.desired_replicas;  // highest recent: bounds a scale-down
  bool found_old_sample = false;
  size_t old_sample_index = 0;
  for (size_t i = 0; i < recommendations.size(); ++i) {
    const TimestampedRecommendation& rec = recommendations[i];
    if (rec.timestamp > up_cutoff)
      up_recommendation = std::min(rec.recommendation, up_recommendation);
    if (rec.timestamp > down_cutoff) {
      down_recommendation = std::max(rec.recommendation, down_recommendation);
    }
    if (rec.timestamp < up_cutoff && rec.timestamp < down_cutoff) {
      found_old_sample = true;
      old_sample_index = i;
    }
  }

  // Bring the current count within [upRecommendation, downRecommendation].
  int recommendation = arg.current_replicas;
  if (recommendation < up_recommendation) recommendation = up_recommendation;
  if (recommendation > down_recommendation) recommendation = down_recommendation;

  // Record the unstabilised recommendation.
  const TimestampedRecommendation fresh{arg.desired_replicas, now};
  if (found_old_sample) {
    recommendations[old_sample_index] = fresh;
  } else {
    recommendations.push_back(fresh);
  }
  return {recommendation, arg.desired_replicas >= arg.current_replicas ? "ScaleUpStabilized"
                                                                       : "ScaleDownStabilized"};
}

// horizontal.go calculateScaleUpLimitWithScalingRules: the highest count the policies allow.
int CalculateScaleUpLimitWithScalingRules(int current_replicas,
                                          std::span<const TimestampedScaleEvent> scale_up_events,
                                          std::span<const TimestampedScaleEvent> scale_down_events,
                                          const HpaScalingRules& rules, Timestamp now) {
  if (rules.select == HpaScalingRules::Select::kDisabled) return current_replicas;
  // For scaling up the lowest change ('Min') is the minimum value; 'Max' (the default)
  // the maximum. The sentinels are int64 here, so select never overflows.
  const bool select_min = rules.select == HpaScalingRules::Select::kMin;
  int64_t result = select_min ? kMaxInt32 : kMinInt32;
  for (const HpaScalingPolicy& policy : rules.policies) {
    const int64_t period_start =
        PeriodStartReplicas(current_replicas, policy, scale_up_events, scale_down_events, now);
    int64_t proposed = 0;
    if (policy.type == HpaScalingPolicy::Type::kPods) {
      proposed = Clamp32(period_start + policy.value);
    } else {
      // Rounded up: "the proposed change might not increase the replica count causing the
      // target to never scale up".
      proposed = Clamp32(std::ceil(static_cast<double>(period_start) *
                                   (1 + static_cast<double>(policy.value) / 100)));
    }
    result = select_min ? std::min(result, proposed) : std::max(result, proposed);
  }
  return static_cast<int>(result);
}

// horizontal.go calculateScaleDownLimitWithBehaviors: the lowest count the policies allow.
int CalculateScaleDownLimitWithBehaviors(int current_replicas,
                                         std::span<const TimestampedScaleEvent> scale_up_events,
                                         std::span<const TimestampedScaleEvent> scale_down_events,
                                         const HpaScalingRules& rules, Timestamp now) {
  if (rules.select == HpaScalingRules::Select::kDisabled) return current_replicas;
  // For scaling down the lowest change ('Min') is the maximum value.
  const bool select_min = rules.select == HpaScalingRules::Select::kMin;
  int64_t result = select_min ? kMinInt32 : kMaxInt32;
  for (const HpaScalingPolicy& policy : rules.policies) {
    const int64_t period_start =
        PeriodStartReplicas(current_replicas, policy, scale_up_events, scale_down_events, now);
    int64_t proposed = 0;
    if (policy.type == HpaScalingPolicy::Type::kPods) {
      proposed = Clamp32(period_start - policy.value);
    } else {
      // Go's int32(float64) truncates toward zero.
      proposed = Clamp32(std::trunc(static_cast<double>(period_start) *
                                    (1 - static_cast<double>(policy.value) / 100)));
    }
    result = select_min ? std::max(result, proposed) : std::min(result, proposed);
  }
  return static_cast<int>(result);
}

// horizontal.go convertDesiredReplicasWithBehaviorRate: the rate limits, then [min, max]. The
// stabilization window is applied separately, before.
NormalizedReplicas ConvertDesiredReplicasWithBehaviorRate(const NormalizationArg& arg,
                                                          const HpaState& state, Timestamp now) {
  if (arg.desired_replicas > arg.current_replicas) {
    int scale_up_limit = CalculateScaleUpLimitWithScalingRules(
        arg.current_replicas, state.scale_up_events, state.scale_down_events, arg.scale_up, now);
    // "We shouldn't scale up further until the scaleUpEvents will be cleaned up".
    scale_up_limit = std::max(scale_up_limit, arg.current_replicas);
    int maximum_allowed = arg.max_replicas;
    std::string_view reason = "TooManyReplicas";
    if (maximum_allowed > scale_up_limit) {
      maximum_allowed = scale_up_limit;
      reason = "ScaleUpLimit";
    }
    if (arg.desired_replicas > maximum_allowed) return {maximum_allowed, reason};
  } else if (arg.desired_replicas < arg.current_replicas) {
    int scale_down_limit = CalculateScaleDownLimitWithBehaviors(
        arg.current_replicas, state.scale_up_events, state.scale_down_events, arg.scale_down, now);
    // "We shouldn't scale down further until the scaleDownEvents will be cleaned up".
    scale_down_limit = std::min(scale_down_limit, arg.current_replicas);
    int minimum_allowed = arg.min_replicas;
    std::string_view reason = "TooFewReplicas";
    if (minimum_allowed < scale_down_limit) {
      minimum_allowed = scale_down_limit;
      reason = "ScaleDownLimit";
    }
    if (arg.desired_replicas < minimum_allowed) return {minimum_allowed, reason};
  }
  return {arg.desired_replicas, "DesiredWithinRange"};
}

int GetReplicasChangePerPeriod(Duration period, std::span<const TimestampedScaleEvent> events,
                               Timestamp now) {
  return Clamp32(ReplicasChangePerPeriod(period, events, now));
}

// horizontal.go storeScaleEvent: adds the event, or overwrites the last one that no policy period
// can see any more.
void StoreScaleEvent(const HpaBehavior* behavior, HpaState& state, int prev_replicas,
                     int new_replicas, Timestamp now) {
  if (behavior == nullptr) return;  // "we should not store any event as they will not be used"
  const bool up = new_replicas > prev_replicas;
  std::vector<TimestampedScaleEvent>& events = up ? state.scale_up_events : state.scale_down_events;
  MarkScaleEventsOutdated(events,
                          LongestPolicyPeriod(up ? behavior->scale_up : behavior->scale_down), now);
  const int change =
      Clamp32(up ? int64_t{new_replicas} - prev_replicas : int64_t{prev_replicas} - new_replicas);
  const TimestampedScaleEvent fresh{change, now, false};
  for (size_t i = events.size(); i-- > 0;) {
    if (events[i].outdated) {
      events[i] = fresh;
      return;
    }
  }
  events.push_back(fresh);
}

HpaController::HpaController(HpaOptions options, HpaState state)
    : options_(options), state_(std::move(state)) {}

// horizontal.go normalizeDesiredReplicas (spec.behavior nil).
int HpaController::NormalizeDesiredReplicas(Timestamp now, const HpaSpec& spec, int current,
                                            int desired, HpaDecision& decision) {
  const int stabilized = StabilizeRecommendation(state_.recommendations, desired,
                                                 options_.downscale_stabilization_window, now);
  decision.able_to_scale_reason =
      stabilized != desired ? "ScaleDownStabilized" : "ReadyForNewScale";
  const NormalizedReplicas converted =
      ConvertDesiredReplicasWithRules(current, stabilized, spec.min_replicas, spec.max_replicas);
  decision.scaling_limited = converted.replicas != stabilized;
  decision.scaling_limited_reason = converted.reason;
  return converted.replicas;
}

// horizontal.go normalizeDesiredReplicasWithBehaviors, after
// maybeInitScaleDownStabilizationWindow.
int HpaController::NormalizeDesiredReplicasWithBehaviors(Timestamp now, const HpaSpec& spec,
                                                         int current, int desired,
                                                         HpaDecision& decision) {
  NormalizationArg arg{.scale_up = spec.behavior.scale_up,
                       .scale_down = spec.behavior.scale_down,
                       .min_replicas = spec.min_replicas,
                       .max_replicas = spec.max_replicas,
                       .current_replicas = current,
                       .desired_replicas = desired};
  if (arg.scale_down.stabilization_window < Duration{0}) {
    arg.scale_down.stabilization_window = options_.downscale_stabilization_window;
  }
  if (arg.scale_up.stabilization_window < Duration{0}) {
    arg.scale_up.stabilization_window = Duration{0};  // the API default; never nil upstream
  }
  const NormalizedReplicas stabilized =
      StabilizeRecommendationWithBehaviors(arg, state_.recommendations, now);
  arg.desired_replicas = stabilized.replicas;
  decision.able_to_scale_reason =
      stabilized.replicas != desired ? std::string(stabilized.reason) : "ReadyForNewScale";
  const NormalizedReplicas converted = ConvertDesiredReplicasWithBehaviorRate(arg, state_, now);
  decision.scaling_limited = converted.replicas != stabilized.replicas;
  decision.scaling_limited_reason = converted.reason;
  return converted.replicas;
}

// horizontal.go reconcileAutoscaler, from the point where the scale subresource has been read.
HpaDecision HpaController::Reconcile(Timestamp now, const HpaSpec& spec, int spec_replicas,
                                     std::span<const HpaPod> pods) {
  const int current = spec_replicas;
  HpaDecision decision;
  decision.able_to_scale_reason = "SucceededGetScale";
  // horizontal.go recordInitialRecommendation: only for an HPA without history (Go tests for a
  // nil slice; the history never shrinks, so empty is the same test).
  if (state_.recommendations.empty()) state_.recommendations.push_back({current, now});

  int desired = 0;
  bool rescale = true;
  if (current == 0 && spec.min_replicas != 0) {
    desired = 0;
    rescale = false;
    decision.scaling_active_reason = decision.reason = "ScalingDisabled";
    decision.message = "scaling is disabled since the replica count of the target is zero";
  } else if (current > spec.max_replicas) {
    desired = spec.max_replicas;
    decision.reason = "TooManyReplicas";
    decision.message = "Current number of replicas above Spec.MaxReplicas";
  } else if (current < spec.min_replicas) {
    desired = spec.min_replicas;
    decision.reason = "TooFewReplicas";
    decision.message = "Current number of replicas below Spec.MinReplicas";
  } else {
    // horizontal.go computeReplicasForMetrics with the one Resource metric (cpu, Utilization
    // target).
    Result<ReplicaCalculation> calc =
        GetResourceReplicas(current, spec.target_cpu_utilization_percent, pods, now, options_);
    if (!calc.ok()) {
      // The sync ends: status keeps the current count, nothing is rescaled or recorded.
      decision.desired_replicas = current;
      decision.scaling_active_reason = decision.reason = "FailedGetResourceMetric";
      decision.message =
          "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource "
          "metric value: failed to get cpu utilization: " +
          calc.status().message();
      return decision;
    }
    decision.scaling_active_reason = "ValidMetricFound";
    decision.metric_replicas = calc->replicas;
    decision.current_utilization_percent = calc->utilization_percent;
    desired = std::max(desired, calc->replicas);
    if (desired > current) decision.message = std::string(kMetricName) + " above target";
    if (desired < current) decision.message = "All metrics below target";
    desired = spec.has_behavior
                  ? NormalizeDesiredReplicasWithBehaviors(now, spec, current, desired, decision)
                  : NormalizeDesiredReplicas(now, spec, current, desired, decision);
    decision.reason =
        decision.scaling_limited ? decision.scaling_limited_reason : decision.able_to_scale_reason;
    rescale = desired != current;
    if (!rescale) decision.message.clear();  // upstream emits its rescale reason only on a rescale
  }

  if (rescale) {
    decision.able_to_scale_reason = "SucceededRescale";
    StoreScaleEvent(spec.has_behavior ? &spec.behavior : nullptr, state_, current, desired, now);
  } else {
    desired = current;
  }
  decision.desired_replicas = desired;
  decision.rescale = rescale;
  return decision;
}

}  // namespace prescient::scaling
