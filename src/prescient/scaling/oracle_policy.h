// oracle: the predictive rule with the real future in place of a forecast: the pods for
// each minute are PodsForLoad(the load that minute actually brings). No forecast can do
// better, so it marks the physical limit of what forecasting can buy, given start-up
// and provisioning delays. It reads the future, so it exists only in backtests.
// Thread-compatible. Tested by policies_test.cc.
#pragma once

#include "prescient/core/series.h"
#include "prescient/scaling/scheduled_policy.h"

namespace prescient::scaling {

class OraclePolicy final : public ScheduledPolicy {
 public:
  // `truth`: requests per second per minute over the whole replay.
  OraclePolicy(ScheduleOptions options, Series truth)
      : ScheduledPolicy(options), truth_(std::move(truth)) {}
  std::string_view name() const override { return "oracle"; }

 protected:
  Status Refresh(ScalingTarget&) override { return OkStatus(); }
  std::optional<int> PlannedAt(Timestamp t) const override {
    if (t < truth_.start()) return std::nullopt;
    const auto i = static_cast<size_t>((t - truth_.start()).count() / 60);
    // Past the trace the load is unknown even to an oracle: hold the last minute.
    const double rps = truth_[std::min(i, truth_.size() - 1)];
    return PodsForLoad(rps, options().capacity_rps, options().min_replicas);
  }

 private:
  Series truth_;
};

}  // namespace prescient::scaling
