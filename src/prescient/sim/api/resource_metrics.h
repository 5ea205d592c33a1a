// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it, for
// `kubectl top pod|node`: each running pod's CPU and memory now (UsageOf, the model
// /metrics uses), and each node's as the sum of its pods'.
// Pure functions over a Simulator the caller keeps still. Tested by api_server_test.cc.
#pragma once

#include <nlohmann/json.hpp>

#include "prescient/sim/simulator.h"

namespace prescient::sim::api {

inline constexpr std::string_view kMetricsWindow = "15s";  // metrics-server's resolution.

nlohmann::json PodMetricsList(const Simulator& sim);
nlohmann::json NodeMetricsList(const Simulator& sim);

}  // namespace prescient::sim::api
