#include "prescient/scaling/replica_planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prescient::scaling {
namespace {
// Far above any real deployment; keeps the int conversion defined for absurd loads.
constexpr double kMaxPods = 1e6;
}  // namespace

int PodsForLoad(double rps, double capacity_rps, int min_replicas) {
  if (!(rps > 0)) rps = 0;
  const double pods = std::min(kMaxPods, std::floor(rps / capacity_rps) + 1);
  return std::max(min_replicas, static_cast<int>(pods));
}

int SteadyHpaReplicas(double rps, double capacity_rps, double target_utilization,
                      int min_replicas) {
  if (!(rps > 0)) rps = 0;
  const double pods = std::min(kMaxPods, std::ceil(rps / (capacity_rps * target_utilization)));
  return std::max(min_replicas, static_cast<int>(pods));
}

}  // namespace prescient::scaling
