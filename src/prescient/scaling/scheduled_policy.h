// ScheduledPolicy: the part predictive and oracle scaling share. Given a plan — the pods
// needed at each future minute — each tick it
//   * raises the HPA's minReplicas to the most the plan needs over [now, now + lead]
//     (lead = pod start-up + node provisioning: what must be started now to be ready
//     in time), so the HPA still answers surprises above that floor;
//   * sizes the placeholder pause pods to what the plan needs over
//     [now, now + placeholder_lead] beyond the floor, so nodes for a coming peak are
//     launched early and warm, and are given back after it.
// When the plan does not reach far enough (a failed forecast), the floor is not lowered:
// missing data never causes a scale-down (fail static).
// Thread-compatible. Tested by policies_test.cc.
#pragma once

#include <optional>

#include "prescient/core/time.h"
#include "prescient/scaling/policy.h"
#include "prescient/scaling/replica_planner.h"

namespace prescient::scaling {

inline constexpr Duration kDefaultLead{300};              // 120 s start-up + 180 s provisioning.
inline constexpr Duration kDefaultPlaceholderLead{1800};  // MISSION.md: scale 30 min before.

struct ScheduleOptions {
  double capacity_rps = 0;
  int min_replicas = kDefaultMinReplicas;
  double target_utilization = 0.7;  // For the initial HPA-like size.
  Duration lead = kDefaultLead;
  Duration placeholder_lead = kDefaultPlaceholderLead;
  bool placeholders = true;
};

class ScheduledPolicy : public Policy {
 public:
  explicit ScheduledPolicy(ScheduleOptions options) : options_(options) {}
  bool UsesHpa() const override { return true; }
  int InitialReplicas(double rate_rps) const override {
    return SteadyHpaReplicas(rate_rps, options_.capacity_rps, options_.target_utilization,
                             options_.min_replicas);
  }
  Status Tick(ScalingTarget& target) override;
  const ScheduleOptions& options() const { return options_; }

 protected:
  // Brings the plan up to date (a forecast, say). Errors are returned after the
  // floor logic has run on the old plan.
  virtual Status Refresh(ScalingTarget& target) = 0;
  // Pods needed during the minute starting at t; nullopt past the plan's end.
  virtual std::optional<int> PlannedAt(Timestamp t) const = 0;

 private:
  ScheduleOptions options_;
};

}  // namespace prescient::scaling
