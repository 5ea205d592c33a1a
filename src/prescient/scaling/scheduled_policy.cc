#include "prescient/scaling/scheduled_policy.h"

#include <algorithm>
#include <chrono>

namespace prescient::scaling {

Status ScheduledPolicy::Tick(ScalingTarget& target) {
  const Status refreshed = Refresh(target);
  const Timestamp now = std::chrono::floor<std::chrono::minutes>(target.Now());
  // Max of the plan over [from, to], or nullopt if any minute is past its end.
  auto max_over = [&](Timestamp from, Timestamp to) -> std::optional<int> {
    int best = 0;
    for (Timestamp t = from; t <= to; t += Duration(60)) {
      const std::optional<int> p = PlannedAt(t);
      if (!p.has_value()) return std::nullopt;
      best = std::max(best, *p);
    }
    return best;
  };
  const std::optional<int> floor = max_over(now, now + options_.lead);
  if (!floor.has_value()) return refreshed;  // Fail static: keep the floor we have.
  PRESCIENT_RETURN_IF_ERROR(target.SetHpaMinReplicas(std::max(options_.min_replicas, *floor)));
  if (options_.placeholders) {
    const std::optional<int> ahead = max_over(now, now + options_.placeholder_lead);
    // Room for what the coming peak needs beyond the pods already there. Past the
    // plan's end the placeholders stay as they are.
    if (ahead.has_value()) {
      PRESCIENT_RETURN_IF_ERROR(
          target.SetPlaceholderReplicas(std::max(0, *ahead - std::max(*floor, target.Replicas()))));
    }
  }
  return refreshed;
}

}  // namespace prescient::scaling
