// Fuzzes the bodies the simulator's API server decodes from clients: patches of the four
// types (strategic merge, merge, JSON patch, apply YAML) applied to a Deployment-shaped
// object, and what the result carries for nodes (unschedulable, taints) and deployments
// (replicas). Any input must give a value or an InvalidArgument, never a crash or an
// exception.
// The first byte picks the Content-Type; the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "prescient/sim/api/patch.h"
#include "prescient/sim/api/writes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kTypes[] = {
      "application/strategic-merge-patch+json", "application/merge-patch+json",
      "application/json-patch+json", "application/apply-patch+yaml"};
  namespace api = prescient::sim::api;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  prescient::Result<api::PatchType> type = api::PatchTypeOf(kTypes[data[0] % 4]);
  if (!type.ok()) return 0;
  prescient::Result<nlohmann::json> doc = api::ParsePatchDocument(*type, body);
  if (!doc.ok()) return 0;
  static const nlohmann::json kTarget = nlohmann::json::parse(R"({
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 3, "unschedulable": false,
             "taints": [{"key": "k", "effect": "NoSchedule"}],
             "template": {"spec": {"containers": [{"name": "app", "image": "a",
                                                   "env": [{"name": "X", "value": "1"}]}]}}}})");
  prescient::Result<nlohmann::json> patched = api::ApplyPatch(*type, kTarget, *doc);
  if (!patched.ok()) return 0;
  const nlohmann::json result = api::StripNulls(*patched);
  (void)api::DecodeNodeSpec(result);
  (void)api::DecodeReplicas(result);
  return 0;
}
