// Fuzzes what the simulator's API server does with a create or update body of a stored
// kind (namespace, lease, priority class, event, also in its events.k8s.io shape): the
// defaulting and validation, and the event conversions. Any input must give an object
// or an InvalidArgument, never a crash or an exception.
// The first byte picks the resource; the rest is the JSON body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "prescient/sim/api/patch.h"
#include "prescient/sim/api/stored_kinds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  namespace api = prescient::sim::api;
  static const char* const kResources[] = {"namespaces", "leases", "priorityclasses", "events"};
  const std::string resource = kResources[data[0] % 4];
  const bool events_v1 = (data[0] / 4) % 2 == 1;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return 0;
  if (events_v1) body = api::EventsV1ToCoreEvent(body);
  const prescient::Timestamp now{std::chrono::seconds(1800000000)};
  const std::string ns = resource == "namespaces" || resource == "priorityclasses" ? "" : "default";
  prescient::Result<nlohmann::json> made =
      api::PrepareCreate(resource, api::StripNulls(body), ns, now, 1);
  if (!made.ok()) return 0;
  (void)api::StoredRow(resource, *made, now);
  (void)api::CoreEventToEventsV1(*made);
  nlohmann::json changed = *made;
  if (body.contains("spec")) changed["spec"] = body["spec"];
  (void)api::PrepareUpdate(resource, changed, *made);
  return 0;
}
