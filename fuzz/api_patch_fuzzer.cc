// Fuzzes the bodies the simulator's API server decodes from clients: patches of the
// three types kubectl sends (strategic merge, merge, JSON patch), and what they carry
// for nodes (unschedulable, taints) and deployments (replicas). Any input must give a
// value or an InvalidArgument, never a crash or an exception.
// The first byte picks the Content-Type; the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "prescient/sim/api/writes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kTypes[] = {
      "application/strategic-merge-patch+json", "application/merge-patch+json",
      "application/json-patch+json", "application/apply-patch+yaml"};
  const std::string type = kTypes[data[0] % 4];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  prescient::Result<nlohmann::json> patch = prescient::sim::api::ParsePatchBody(type, body);
  if (!patch.ok()) return 0;
  (void)prescient::sim::api::DecodeNodePatch(*patch);
  (void)prescient::sim::api::DecodeReplicas(*patch);
  return 0;
}
