// The two baselines a backtest compares predictive scaling with:
//   hpa          the HorizontalPodAutoscaler alone (CPU target, 70% by default);
//   static-peak  a fixed replica count sized for the trace's peak, no autoscaler: the
//                over-provisioning that "just in case" buys (MISSION.md section 1).
// Thread-compatible. Tested by policies_test.cc.
#pragma once

#include "prescient/scaling/policy.h"
#include "prescient/scaling/replica_planner.h"

namespace prescient::scaling {

class HpaPolicy final : public Policy {
 public:
  HpaPolicy(double capacity_rps, double target_utilization)
      : capacity_rps_(capacity_rps), target_(target_utilization) {}
  std::string_view name() const override { return "hpa"; }
  bool UsesHpa() const override { return true; }
  int InitialReplicas(double rate_rps) const override {
    return SteadyHpaReplicas(rate_rps, capacity_rps_, target_);
  }
  Status Tick(ScalingTarget&) override { return OkStatus(); }

 private:
  double capacity_rps_;
  double target_;
};

class StaticPeakPolicy final : public Policy {
 public:
  // `peak_rps`: the highest per-minute load of the replayed window.
  StaticPeakPolicy(double peak_rps, double capacity_rps)
      : replicas_(PodsForLoad(peak_rps, capacity_rps)) {}
  std::string_view name() const override { return "static-peak"; }
  bool UsesHpa() const override { return false; }
  int InitialReplicas(double) const override { return replicas_; }
  Status Tick(ScalingTarget& target) override {
    return target.Replicas() == replicas_ ? OkStatus() : target.SetReplicas(replicas_);
  }
  int replicas() const { return replicas_; }

 private:
  int replicas_;
};

}  // namespace prescient::scaling
