#include "prescient/controller/lead_time.h"

#include <algorithm>
#include <vector>

namespace prescient::controller {
namespace {

// Ready.lastTransitionTime - creationTimestamp of each object that is Ready.
std::vector<int64_t> ReadyDelays(const nlohmann::json& list) {
  std::vector<int64_t> out;
  if (!list.contains("items") || !list["items"].is_array()) return out;
  for (const nlohmann::json& o : list["items"]) {
    const Result<Timestamp> created = ParseTimestamp(
        o.value("metadata", nlohmann::json::object()).value("creationTimestamp", ""));
    if (!created.ok()) continue;
    const nlohmann::json conditions =
        o.value("status", nlohmann::json::object()).value("conditions", nlohmann::json::array());
    for (const nlohmann::json& c : conditions) {
      if (!c.is_object() || c.value("type", "") != "Ready" || c.value("status", "") != "True") {
        continue;
      }
      const Result<Timestamp> ready = ParseTimestamp(c.value("lastTransitionTime", ""));
      if (ready.ok() && *ready >= *created) out.push_back((*ready - *created).count());
    }
  }
  return out;
}

int64_t Median(std::vector<int64_t> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

Result<std::optional<Duration>> MeasureLeadTime(k8s::RestClient& kube, const std::string& ns,
                                                const std::string& deployment) {
  PRESCIENT_ASSIGN_OR_RETURN(const nlohmann::json d, kube.Get("/apis/apps/v1/namespaces/" + ns +
                                                              "/deployments/" + deployment));
  std::string selector;
  const nlohmann::json match = d.value("spec", nlohmann::json::object())
                                   .value("selector", nlohmann::json::object())
                                   .value("matchLabels", nlohmann::json::object());
  for (const auto& [k, v] : match.items()) {
    if (!v.is_string()) continue;
    selector += (selector.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  }
  if (selector.empty()) return std::optional<Duration>();
  PRESCIENT_ASSIGN_OR_RETURN(const nlohmann::json pods,
                             kube.List("/api/v1/namespaces/" + ns + "/pods", selector));
  const std::vector<int64_t> pod_delays = ReadyDelays(pods);
  if (pod_delays.empty()) return std::optional<Duration>();
  PRESCIENT_ASSIGN_OR_RETURN(const nlohmann::json nodes, kube.List("/api/v1/nodes"));
  const std::vector<int64_t> node_delays = ReadyDelays(nodes);
  const int64_t seconds = Median(pod_delays) + (node_delays.empty() ? 0 : Median(node_delays));
  return std::optional<Duration>(Duration(std::max<int64_t>(60, (seconds + 59) / 60 * 60)));
}

}  // namespace prescient::controller
