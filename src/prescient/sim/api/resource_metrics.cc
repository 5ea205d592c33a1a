// Shapes follow metrics-server's PodMetrics and NodeMetrics (the surface document 2.11):
// quantities as strings, CPU in nanocores ("123456789n") and memory in Ki, a timestamp
// and the window the figure covers.
#include "prescient/sim/api/resource_metrics.h"

#include <cmath>
#include <map>

#include "prescient/sim/api/metrics_exporter.h"
#include "prescient/sim/api/objects_json.h"

namespace prescient::sim::api {
namespace {

std::string NanoCores(double cores) {
  return std::to_string(static_cast<int64_t>(std::llround(cores * 1e9))) + "n";
}

std::string KiB(double bytes) {
  return std::to_string(static_cast<int64_t>(std::llround(bytes / 1024))) + "Ki";
}

}  // namespace

nlohmann::json PodMetricsList(const Simulator& sim) {
  const std::vector<int> service_of = ServiceOfDeployments(sim);
  const std::string at = FormatTimestamp(sim.Now());
  nlohmann::json items = nlohmann::json::array();
  for (const Pod& p : sim.cluster().pods()) {
    if (!p.started_at.has_value()) continue;
    const Deployment& d = sim.cluster().deployments()[static_cast<size_t>(p.deployment)];
    const PodUsage u = UsageOf(sim, p, service_of[static_cast<size_t>(p.deployment)]);
    items.push_back(
        {{"metadata",
          {{"name", p.name},
           {"namespace", kNamespace},
           {"creationTimestamp", at},
           {"labels", SelectorOf(d)}}},
         {"timestamp", at},
         {"window", kMetricsWindow},
         {"containers",
          {{{"name", ContainerName(d)},
            {"usage", {{"cpu", NanoCores(u.cpu_cores)}, {"memory", KiB(u.memory_bytes)}}}}}}});
  }
  return {{"kind", "PodMetricsList"},
          {"apiVersion", "metrics.k8s.io/v1beta1"},
          {"metadata", nlohmann::json::object()},
          {"items", std::move(items)}};
}

nlohmann::json NodeMetricsList(const Simulator& sim) {
  const std::vector<int> service_of = ServiceOfDeployments(sim);
  std::map<NodeId, PodUsage> per_node;
  for (const Pod& p : sim.cluster().pods()) {
    if (p.node == kNoNode || !p.started_at.has_value()) continue;
    const PodUsage u = UsageOf(sim, p, service_of[static_cast<size_t>(p.deployment)]);
    per_node[p.node].cpu_cores += u.cpu_cores;
    per_node[p.node].memory_bytes += u.memory_bytes;
  }
  const std::string at = FormatTimestamp(sim.Now());
  nlohmann::json items = nlohmann::json::array();
  for (const Node& n : sim.cluster().nodes()) {
    if (n.deleted || !n.ready) continue;
    // The kubelet and system daemons: a tenth of a core and 512 MiB on every node.
    const PodUsage u = per_node[n.id];
    items.push_back({{"metadata", {{"name", n.name}, {"creationTimestamp", at}}},
                     {"timestamp", at},
                     {"window", kMetricsWindow},
                     {"usage",
                      {{"cpu", NanoCores(u.cpu_cores + 0.1)},
                       {"memory", KiB(u.memory_bytes + 512.0 * 1024 * 1024)}}}});
  }
  return {{"kind", "NodeMetricsList"},
          {"apiVersion", "metrics.k8s.io/v1beta1"},
          {"metadata", nlohmann::json::object()},
          {"items", std::move(items)}};
}

}  // namespace prescient::sim::api
