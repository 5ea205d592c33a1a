// The sizing rule of MISSION.md section 2: pods for a load = floor(rps / capacity_rps)
// + 1, never below the minimum (2). The "+1" is the spare pod that absorbs a pod's
// failure or a rolling update; the input is the forecast's upper bound, not its mean.
// Pure, thread-safe. Tested by policies_test.cc.
#pragma once

namespace prescient::scaling {

inline constexpr int kDefaultMinReplicas = 2;

// capacity_rps > 0. A NaN or negative load counts as 0.
int PodsForLoad(double rps, double capacity_rps, int min_replicas = kDefaultMinReplicas);

// What the HPA settles at for a steady load: ceil(rps / (capacity x target)), at least
// min_replicas. Used to start every replay from the same warm state.
int SteadyHpaReplicas(double rps, double capacity_rps, double target_utilization,
                      int min_replicas = kDefaultMinReplicas);

}  // namespace prescient::scaling
