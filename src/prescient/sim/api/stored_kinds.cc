// Validation follows the real server's rules for these kinds (apis/*/validation): a name
// is a DNS subdomain (a namespace's a DNS label); labels and annotations map strings to
// strings; a Lease's times are MicroTime, which the real server parses with Go's
// time.Parse("2006-01-02T15:04:05.000000Z07:00"): exactly six fractional digits after a
// '.' or (Go 1.17+) a ',', real dates and times (no February 30), an offset or Z; and
// which it serves back in UTC, so a stored time is normalized to "...T..:..:...ffffffZ".
// A PriorityClass's value is an int32, at most one billion outside the system- classes,
// and immutable.
#include "prescient/sim/api/stored_kinds.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>

#include "prescient/sim/api/objects_json.h"

namespace prescient::sim::api {
namespace {

bool IsDnsSubdomain(const std::string& s) {
  static const std::regex re(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)");
  return s.size() <= 253 && std::regex_match(s, re);
}

bool IsDnsLabel(const std::string& s) {
  static const std::regex re(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?)");
  return s.size() <= 63 && std::regex_match(s, re);
}

// A MicroTime in UTC's canonical form, or nullopt where Go's time.Parse fails.
std::optional<std::string> CanonicalMicroTime(const nlohmann::json& v) {
  static const std::regex re(
      R"((\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)[.,](\d{6})(Z|([+-])(\d\d):(\d\d)))");
  std::smatch m;
  if (!v.is_string()) return std::nullopt;
  const std::string text = v.get<std::string>();
  if (!std::regex_match(text, m, re)) return std::nullopt;
  auto num = [&](int i) { return std::stoi(m[i].str()); };
  using namespace std::chrono;
  const year_month_day date{year(num(1)), month(static_cast<unsigned>(num(2))),
                            day(static_cast<unsigned>(num(3)))};
  // Go's ranges; offsets of 24 h or 60 min pass, as there.
  if (!date.ok() || num(4) > 23 || num(5) > 59 || num(6) > 59) return std::nullopt;
  seconds offset{0};
  if (m[8] != "Z") {
    if (num(10) > 24 || num(11) > 60) return std::nullopt;
    offset = hours(num(10)) + minutes(num(11));
    if (m[9] == "-") offset = -offset;
  }
  const sys_seconds utc =
      sys_days(date) + hours(num(4)) + minutes(num(5)) + seconds(num(6)) - offset;
  const year_month_day d{floor<days>(utc)};
  const hh_mm_ss hms{utc - floor<days>(utc)};
  char buf[128];  // Room for any int the compiler cannot bound.
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%sZ",
                static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), m[7].str().c_str());
  return std::string(buf);
}

bool IsInt32(const nlohmann::json& v) {
  return v.is_number_integer() && v.get<int64_t>() >= INT32_MIN && v.get<int64_t>() <= INT32_MAX;
}

std::string Uid(uint64_t seq) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "5a1d0000-0000-4000-9000-%012llx",
                static_cast<unsigned long long>(seq));
  return buf;
}

// generateName's suffix: five characters of upstream's alphabet.
std::string Suffix(uint64_t seq) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  uint64_t h = seq * 0x9E3779B97F4A7C15ull;
  std::string s;
  for (int i = 0; i < 5; ++i) {
    s += kAlphabet[h % 27];
    h /= 27;
  }
  return s;
}

Status ValidateStringMap(const nlohmann::json& m, const std::string& field) {
  if (m.is_null()) return OkStatus();
  if (!m.is_object()) return InvalidArgumentError(field + ": Invalid value: must be a map");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!it.value().is_string()) {
      return InvalidArgumentError(field + "[" + it.key() + "]: Invalid value: must be a string");
    }
  }
  return OkStatus();
}

Status ValidateMetadata(const std::string& resource, const nlohmann::json& object) {
  if (!object.is_object()) return InvalidArgumentError("body: must be an object");
  if (!object.contains("metadata") || !object["metadata"].is_object())
    return InvalidArgumentError("metadata: Required value");
  const nlohmann::json& m = object["metadata"];
  if (!m.contains("name") || !m["name"].is_string() || m["name"].get<std::string>().empty())
    return InvalidArgumentError("metadata.name: Required value: name or generateName is required");
  const std::string name = m["name"];
  if (resource == "namespaces" ? !IsDnsLabel(name) : !IsDnsSubdomain(name)) {
    return InvalidArgumentError("metadata.name: Invalid value: \"" + name +
                                "\": a lowercase RFC 1123 " +
                                (resource == "namespaces" ? "label" : "subdomain") +
                                " must consist of lower case alphanumeric characters, '-' or '.'");
  }
  if (m.contains("labels"))
    PRESCIENT_RETURN_IF_ERROR(ValidateStringMap(m["labels"], "metadata.labels"));
  if (m.contains("annotations"))
    PRESCIENT_RETURN_IF_ERROR(ValidateStringMap(m["annotations"], "metadata.annotations"));
  return OkStatus();
}

Status ValidateLease(const nlohmann::json& o) {
  if (!o.contains("spec")) return OkStatus();
  const nlohmann::json& s = o["spec"];
  if (!s.is_object()) return InvalidArgumentError("spec: must be an object");
  if (s.contains("holderIdentity") && !s["holderIdentity"].is_string())
    return InvalidArgumentError("spec.holderIdentity: must be a string");
  if (s.contains("leaseDurationSeconds") &&
      (!IsInt32(s["leaseDurationSeconds"]) || s["leaseDurationSeconds"].get<int64_t>() <= 0))
    return InvalidArgumentError("spec.leaseDurationSeconds: Invalid value: must be greater than 0");
  if (s.contains("leaseTransitions") &&
      (!IsInt32(s["leaseTransitions"]) || s["leaseTransitions"].get<int64_t>() < 0))
    return InvalidArgumentError("spec.leaseTransitions: Invalid value: must be non-negative");
  for (const char* t : {"acquireTime", "renewTime"}) {
    if (s.contains(t) && !CanonicalMicroTime(s[t])) {
      return InvalidArgumentError(std::string("spec.") + t +
                                  ": Invalid value: must be RFC 3339 with microseconds");
    }
  }
  return OkStatus();
}

// After ValidateLease: its times as the real server serves them.
void NormalizeLease(nlohmann::json& o) {
  if (!o.contains("spec") || !o["spec"].is_object()) return;
  for (const char* t : {"acquireTime", "renewTime"}) {
    if (!o["spec"].contains(t)) continue;
    if (std::optional<std::string> utc = CanonicalMicroTime(o["spec"][t])) o["spec"][t] = *utc;
  }
}

Status ValidatePriorityClass(const nlohmann::json& o) {
  if (!o.contains("value") || !IsInt32(o["value"]))
    return InvalidArgumentError("value: Required value: an int32");
  const std::string name = o["metadata"]["name"];
  if (!name.starts_with("system-") && o["value"].get<int64_t>() > 1000000000)
    return InvalidArgumentError("value: Invalid value: must not be greater than 1000000000");
  if (o.contains("globalDefault") && !o["globalDefault"].is_boolean())
    return InvalidArgumentError("globalDefault: must be a boolean");
  const std::string policy = o.value("preemptionPolicy", "PreemptLowerPriority");
  if (policy != "PreemptLowerPriority" && policy != "Never")
    return InvalidArgumentError("preemptionPolicy: Unsupported value: \"" + policy +
                                "\": supported values: \"Never\", \"PreemptLowerPriority\"");
  return OkStatus();
}

Status ValidateEvent(const nlohmann::json& o) {
  if (!o.contains("involvedObject") || !o["involvedObject"].is_object())
    return InvalidArgumentError("involvedObject: Required value");
  for (const char* f : {"reason", "message", "type", "action", "reportingComponent"}) {
    if (o.contains(f) && !o[f].is_string())
      return InvalidArgumentError(std::string(f) + ": must be a string");
  }
  const std::string type = o.value("type", "Normal");
  if (type != "Normal" && type != "Warning")
    return InvalidArgumentError("type: Unsupported value: \"" + type +
                                "\": supported values: \"Normal\", \"Warning\"");
  return OkStatus();
}

Status Validate(const std::string& resource, const nlohmann::json& o) {
  PRESCIENT_RETURN_IF_ERROR(ValidateMetadata(resource, o));
  if (resource == "leases") return ValidateLease(o);
  if (resource == "priorityclasses") return ValidatePriorityClass(o);
  if (resource == "events") return ValidateEvent(o);
  return OkStatus();
}

const char* KindOf(const std::string& resource) {
  if (resource == "namespaces") return "Namespace";
  if (resource == "leases") return "Lease";
  if (resource == "priorityclasses") return "PriorityClass";
  return "Event";
}

const char* ApiVersionOf(const std::string& resource) {
  if (resource == "leases") return "coordination.k8s.io/v1";
  if (resource == "priorityclasses") return "scheduling.k8s.io/v1";
  return "v1";
}

Duration Since(const nlohmann::json& t, Timestamp now) {
  if (!t.is_string()) return Duration(0);
  std::string text = t.get<std::string>();
  // MicroTime: drop the fraction, FormatTimestamp's inverse takes whole seconds.
  if (const size_t dot = text.find('.'); dot != std::string::npos) {
    const size_t end = text.find_first_not_of("0123456789", dot + 1);
    text.erase(dot, end == std::string::npos ? std::string::npos : end - dot);
  }
  Result<Timestamp> at = ParseTimestamp(text);
  return at.ok() ? now - *at : Duration(0);
}

}  // namespace

std::string KindOfResource(const std::string& resource) {
  static const std::map<std::string, std::string> kinds = {
      {"namespaces", "Namespace"},
      {"nodes", "Node"},
      {"pods", "Pod"},
      {"events", "Event"},
      {"deployments", "Deployment"},
      {"replicasets", "ReplicaSet"},
      {"leases", "Lease"},
      {"priorityclasses", "PriorityClass"},
      {"horizontalpodautoscalers", "HorizontalPodAutoscaler"},
      {"poddisruptionbudgets", "PodDisruptionBudget"}};
  auto it = kinds.find(resource);
  return it == kinds.end() ? "" : it->second;
}

bool IsStoredResource(const std::string& resource) {
  return resource == "namespaces" || resource == "leases" || resource == "priorityclasses" ||
         resource == "events";
}

std::vector<std::pair<std::string, nlohmann::json>> BuiltInObjects(Timestamp started) {
  std::vector<std::pair<std::string, nlohmann::json>> out;
  const std::string created = FormatTimestamp(started);
  int seq = 0;
  for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    out.emplace_back("namespaces",
                     nlohmann::json{{"kind", "Namespace"},
                                    {"apiVersion", "v1"},
                                    {"metadata",
                                     {{"name", ns},
                                      {"uid", Uid(++seq)},
                                      {"creationTimestamp", created},
                                      {"labels", {{"kubernetes.io/metadata.name", ns}}}}},
                                    {"spec", {{"finalizers", {"kubernetes"}}}},
                                    {"status", {{"phase", "Active"}}}});
  }
  for (const auto& [name, value] :
       {std::pair<const char*, int64_t>{"system-cluster-critical", 2000000000},
        {"system-node-critical", 2000001000}}) {
    out.emplace_back(
        "priorityclasses",
        nlohmann::json{
            {"kind", "PriorityClass"},
            {"apiVersion", "scheduling.k8s.io/v1"},
            {"metadata", {{"name", name}, {"uid", Uid(++seq)}, {"creationTimestamp", created}}},
            {"value", value},
            {"globalDefault", false},
            {"preemptionPolicy", "PreemptLowerPriority"},
            {"description",
             "Used for system critical pods that must "
             "run in the cluster, but can be moved to "
             "another node if necessary."}});
  }
  return out;
}

Result<nlohmann::json> PrepareCreate(const std::string& resource, nlohmann::json object,
                                     const std::string& ns, Timestamp now, uint64_t seq) {
  if (!object.is_object()) return InvalidArgumentError("body: must be an object");
  nlohmann::json& m = object["metadata"];
  if (!m.is_object()) m = nlohmann::json::object();
  if ((!m.contains("name") || m["name"] == "") && m.contains("generateName") &&
      m["generateName"].is_string()) {
    m["name"] = m["generateName"].get<std::string>() + Suffix(seq);
  }
  if (!ns.empty()) {
    if (m.contains("namespace") && m["namespace"] != ns) {
      return InvalidArgumentError(
          "metadata.namespace: Invalid value: the namespace of the provided object does not "
          "match the namespace sent on the request");
    }
    m["namespace"] = ns;
  }
  m["uid"] = Uid(1000 + seq);
  m["creationTimestamp"] = FormatTimestamp(now);
  m.erase("resourceVersion");
  m.erase("deletionTimestamp");
  object["kind"] = KindOf(resource);
  object["apiVersion"] = ApiVersionOf(resource);
  if (resource == "namespaces") {
    if (m.contains("name") && m["name"].is_string()) {
      m["labels"]["kubernetes.io/metadata.name"] = m["name"];
    }
    object["spec"] = {{"finalizers", {"kubernetes"}}};
    object["status"] = {{"phase", "Active"}};
  } else if (resource == "priorityclasses") {
    if (!object.contains("preemptionPolicy")) object["preemptionPolicy"] = "PreemptLowerPriority";
  } else if (resource == "events") {
    if (!object.contains("count")) object["count"] = 1;
    if (!object.contains("type")) object["type"] = "Normal";
  }
  PRESCIENT_RETURN_IF_ERROR(Validate(resource, object));
  if (resource == "leases") NormalizeLease(object);
  return object;
}

Result<nlohmann::json> PrepareUpdate(const std::string& resource, nlohmann::json updated,
                                     const nlohmann::json& current) {
  if (!updated.is_object()) return InvalidArgumentError("body: must be an object");
  nlohmann::json& m = updated["metadata"];
  if (!m.is_object()) m = nlohmann::json::object();
  for (const char* f : {"name", "namespace", "uid", "creationTimestamp"}) {
    if (current["metadata"].contains(f)) m[f] = current["metadata"][f];
  }
  updated["kind"] = current["kind"];
  updated["apiVersion"] = current["apiVersion"];
  if (resource == "priorityclasses" && updated.value("value", nlohmann::json()) != current["value"])
    return InvalidArgumentError("value: Forbidden: may not be changed in an update.");
  if (resource == "namespaces") updated["status"] = current["status"];
  PRESCIENT_RETURN_IF_ERROR(Validate(resource, updated));
  if (resource == "leases") NormalizeLease(updated);
  return updated;
}

nlohmann::json StoredColumns(const std::string& resource) {
  if (resource == "namespaces") return {Column("Name", 0, "name"), Column("Status"), Column("Age")};
  if (resource == "leases") return {Column("Name", 0, "name"), Column("Holder"), Column("Age")};
  if (resource == "priorityclasses") {
    return {Column("Name", 0, "name"), Column("Value"), Column("Global-Default"), Column("Age"),
            Column("PreemptionPolicy")};
  }
  return {Column("Last Seen"),      Column("Type"),          Column("Reason"),
          Column("Object"),         Column("Subobject", 1),  Column("Source", 1),
          Column("Message"),        Column("First Seen", 1), Column("Count", 1),
          Column("Name", 1, "name")};
}

nlohmann::json StoredRow(const std::string& resource, const nlohmann::json& o, Timestamp now) {
  const nlohmann::json& m = o["metadata"];
  const std::string name = m.value("name", "");
  const std::string age = HumanAge(Since(m.value("creationTimestamp", nlohmann::json()), now));
  if (resource == "namespaces") {
    return {name, o.contains("status") ? o["status"].value("phase", "Active") : "Active", age};
  }
  if (resource == "leases") {
    const nlohmann::json spec = o.value("spec", nlohmann::json::object());
    return {name, spec.value("holderIdentity", ""), age};
  }
  if (resource == "priorityclasses") {
    return {name, o.value("value", int64_t{0}), o.value("globalDefault", false), age,
            o.value("preemptionPolicy", "PreemptLowerPriority")};
  }
  const nlohmann::json inv = o.value("involvedObject", nlohmann::json::object());
  std::string kind = inv.value("kind", "");
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  nlohmann::json last = o.value("lastTimestamp", nlohmann::json());
  if (!last.is_string()) last = o.value("eventTime", nlohmann::json());
  const nlohmann::json source = o.value("source", nlohmann::json::object());
  std::string from = source.value("component", o.value("reportingComponent", ""));
  if (source.contains("host")) from += ", " + source.value("host", "");
  return {HumanAge(Since(last, now)), o.value("type", "Normal"),
          o.value("reason", ""),      kind + "/" + inv.value("name", ""),
          inv.value("fieldPath", ""), from,
          o.value("message", ""),     HumanAge(Since(o.value("firstTimestamp", last), now)),
          o.value("count", 1),        name};
}

nlohmann::json CoreEventToEventsV1(const nlohmann::json& core) {
  nlohmann::json v1 = {{"kind", "Event"},
                       {"apiVersion", "events.k8s.io/v1"},
                       {"metadata", core["metadata"]},
                       {"regarding", core.value("involvedObject", nlohmann::json::object())},
                       {"reason", core.value("reason", "")},
                       {"note", core.value("message", "")},
                       {"type", core.value("type", "Normal")},
                       {"reportingController", core.value("reportingComponent", "")},
                       {"reportingInstance", core.value("reportingInstance", "")},
                       {"action", core.value("action", "")},
                       {"eventTime", core.value("eventTime", nlohmann::json())}};
  if (core.contains("related")) v1["related"] = core["related"];
  if (core.contains("series")) v1["series"] = core["series"];
  if (core.contains("source")) v1["deprecatedSource"] = core["source"];
  if (core.contains("firstTimestamp")) v1["deprecatedFirstTimestamp"] = core["firstTimestamp"];
  if (core.contains("lastTimestamp")) v1["deprecatedLastTimestamp"] = core["lastTimestamp"];
  if (core.contains("count")) v1["deprecatedCount"] = core["count"];
  return v1;
}

nlohmann::json EventsV1ToCoreEvent(const nlohmann::json& v1) {
  nlohmann::json core = {{"kind", "Event"},
                         {"apiVersion", "v1"},
                         {"metadata", v1.value("metadata", nlohmann::json::object())},
                         {"involvedObject", v1.value("regarding", nlohmann::json())},
                         {"reason", v1.value("reason", nlohmann::json())},
                         {"message", v1.value("note", nlohmann::json())},
                         {"type", v1.value("type", nlohmann::json())},
                         {"reportingComponent", v1.value("reportingController", nlohmann::json())},
                         {"reportingInstance", v1.value("reportingInstance", nlohmann::json())},
                         {"action", v1.value("action", nlohmann::json())},
                         {"eventTime", v1.value("eventTime", nlohmann::json())},
                         {"related", v1.value("related", nlohmann::json())},
                         {"series", v1.value("series", nlohmann::json())},
                         {"source", v1.value("deprecatedSource", nlohmann::json())},
                         {"firstTimestamp", v1.value("deprecatedFirstTimestamp", nlohmann::json())},
                         {"lastTimestamp", v1.value("deprecatedLastTimestamp", nlohmann::json())},
                         {"count", v1.value("deprecatedCount", nlohmann::json())}};
  for (auto it = core.begin(); it != core.end();) {
    it = it.value().is_null() ? core.erase(it) : std::next(it);
  }
  return core;
}

}  // namespace prescient::sim::api
