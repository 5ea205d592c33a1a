// Decoding a SimulationScenario. yaml-cpp builds the node tree (every exception it can
// throw is caught here, at the codec boundary, and becomes InvalidArgument with its
// line); the rest walks the tree with a small strict reader: every mapping's keys are
// checked against the fields the schema names (unknown or repeated fields are errors,
// as with `kubectl apply --validate=strict`), every scalar is converted without
// exceptions, and every error carries the file, the node's line and the field's path
// ("spec.services[1].hpa.maxReplicas").
#include "prescient/sim/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "prescient/metrics/series_csv.h"
#include "prescient/scaling/replica_planner.h"
#include "prescient/sim/instance_types.h"

namespace prescient::sim {
namespace {

constexpr size_t kMaxServiceName = 50;  // Pod names add "-placeholder-xxxxx".
constexpr int kMaxReplicas = 100000;

// Errors are one line: values echoed from the file (a quoted scalar may hold a newline or
// a NUL) have their control characters escaped.
std::string OneLine(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The reader: a file name for messages, and helpers that decode one node each.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  Status Error(const YAML::Node& n, const std::string& path, const std::string& what) const {
    std::string where = source_;
    const YAML::Mark mark = n.Mark();
    if (!mark.is_null()) where += ":" + std::to_string(mark.line + 1);
    return InvalidArgumentError(
        OneLine(where + ": " + (path.empty() ? "(document)" : path) + ": " + what));
  }

  using Fields = std::map<std::string, YAML::Node>;

  // A mapping whose keys are all in `allowed`; `required` ones must be present.
  Result<Fields> Map(const YAML::Node& n, const std::string& path,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required = {}) const {
    if (!n.IsMap()) return Error(n, path, "must be a mapping (got " + Kind(n) + ")");
    Fields fields;
    for (YAML::const_iterator it = n.begin(); it != n.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) return Error(key, path, "field names must be strings");
      const std::string& name = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string known;
        for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
        return Error(key, Join(path, name), "unknown field (known: " + known + ")");
      }
      if (!fields.emplace(name, it->second).second)
        return Error(key, Join(path, name), "duplicate field");
    }
    for (std::string_view r : required) {
      if (!fields.contains(std::string(r)))
        return Error(n, Join(path, std::string(r)), "required field missing");
    }
    return fields;
  }

  Result<std::vector<YAML::Node>> Sequence(const YAML::Node& n, const std::string& path) const {
    if (!n.IsSequence()) return Error(n, path, "must be a list (got " + Kind(n) + ")");
    std::vector<YAML::Node> items;
    for (YAML::const_iterator it = n.begin(); it != n.end(); ++it) items.push_back(*it);
    return items;
  }

  Result<std::string> String(const YAML::Node& n, const std::string& path) const {
    if (!n.IsScalar()) return Error(n, path, "must be a string (got " + Kind(n) + ")");
    return n.Scalar();
  }

  Result<double> Number(const YAML::Node& n, const std::string& path) const {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
      return Error(n, path, "'" + s + "' is not a number");
    return v;
  }

  Result<int64_t> Integer(const YAML::Node& n, const std::string& path, int64_t lo,
                          int64_t hi) const {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
      return Error(n, path, "'" + s + "' is not an integer");
    if (v < lo || v > hi) {
      return Error(n, path, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return v;
  }

  Result<bool> Bool(const YAML::Node& n, const std::string& path) const {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
    if (s == "true") return true;
    if (s == "false") return false;
    return Error(n, path, "'" + s + "' is not true or false");
  }

  Result<Duration> Dur(const YAML::Node& n, const std::string& path, bool allow_zero) const {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
    if (allow_zero && (s == "0" || s == "0s")) return Duration(0);
    Result<Duration> d = ParseDuration(s);
    if (!d.ok()) return Error(n, path, d.status().message());
    return *d;
  }

  template <typename T>
  Result<T> Wrap(const YAML::Node& n, const std::string& path, Result<T> r) const {
    if (!r.ok()) return Error(n, path, r.status().message());
    return r;
  }

  static std::string Join(const std::string& path, const std::string& field) {
    return path.empty() ? field : path + "." + field;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  static std::string Kind(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return "nothing";
      case YAML::NodeType::Scalar:
        return "'" + n.Scalar() + "'";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Map:
        return "a mapping";
      default:
        return "an undefined node";
    }
  }

  const std::string& source_;
};

using Fields = Reader::Fields;

bool Has(const Fields& f, const char* name) { return f.contains(name); }

// A {min, max} duration range, min <= max.
Status DecodeRange(const Reader& r, const YAML::Node& n, const std::string& path, Duration* lo,
                   Duration* hi) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"min", "max"}));
  if (Has(f, "min")) {
    PRESCIENT_ASSIGN_OR_RETURN(*lo, r.Dur(f["min"], Reader::Join(path, "min"), true));
  }
  if (Has(f, "max")) {
    PRESCIENT_ASSIGN_OR_RETURN(*hi, r.Dur(f["max"], Reader::Join(path, "max"), true));
  }
  if (*lo > *hi) {
    return r.Error(n, Reader::Join(path, Has(f, "max") ? "max" : "min"),
                   "max (" + FormatDuration(*hi) + ") is below min (" + FormatDuration(*lo) + ")");
  }
  return OkStatus();
}

Status DecodeMetadata(const Reader& r, const YAML::Node& n, Scenario& s) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, "metadata", {"name", "labels", "annotations"}));
  if (Has(f, "name")) {
    PRESCIENT_ASSIGN_OR_RETURN(s.name, r.String(f["name"], "metadata.name"));
  }
  for (const char* k : {"labels", "annotations"}) {
    if (!Has(f, k)) continue;
    const std::string path = std::string("metadata.") + k;
    if (!f[k].IsMap()) return r.Error(f[k], path, "must be a mapping of strings");
    for (YAML::const_iterator it = f[k].begin(); it != f[k].end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsScalar())
        return r.Error(it->first, path, "must be a mapping of strings");
    }
  }
  return OkStatus();
}

Status DecodeNodePool(const Reader& r, const YAML::Node& n, const std::string& path,
                      ClusterOptions& c) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, path, {"name", "instanceTypes", "spotShare", "spotInterruptionsPerHour"}));
  if (Has(f, "name")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string name,
                               r.String(f["name"], Reader::Join(path, "name")));
    (void)name;
  }
  if (Has(f, "instanceTypes")) {
    const std::string tp = Reader::Join(path, "instanceTypes");
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, r.Sequence(f["instanceTypes"], tp));
    if (items.empty()) return r.Error(f["instanceTypes"], tp, "must name at least one type");
    for (size_t i = 0; i < items.size(); ++i) {
      PRESCIENT_ASSIGN_OR_RETURN(std::string t, r.String(items[i], Reader::Index(tp, i)));
      if (FindInstanceType(t) == nullptr) {
        std::string known;
        for (const InstanceType& k : DefaultInstanceTypes())
          known += (known.empty() ? "" : ", ") + std::string(k.name);
        return r.Error(items[i], Reader::Index(tp, i),
                       "unknown instance type '" + t + "' (known: " + known + ")");
      }
      c.instance_types.push_back(std::move(t));
    }
  }
  if (Has(f, "spotShare")) {
    const std::string sp = Reader::Join(path, "spotShare");
    PRESCIENT_ASSIGN_OR_RETURN(const double share, r.Number(f["spotShare"], sp));
    if (share < 0 || share > 1) return r.Error(f["spotShare"], sp, "must be in [0, 1]");
    // 0 and 1 are the simulator's all-or-nothing use_spot; in between, a share.
    c.use_spot = share >= 1;
    if (share > 0 && share < 1) c.spot_share = share;
  }
  if (Has(f, "spotInterruptionsPerHour")) {
    const std::string ip = Reader::Join(path, "spotInterruptionsPerHour");
    PRESCIENT_ASSIGN_OR_RETURN(c.spot_interruptions_per_hour,
                               r.Number(f["spotInterruptionsPerHour"], ip));
    if (c.spot_interruptions_per_hour < 0)
      return r.Error(f["spotInterruptionsPerHour"], ip, "must be >= 0");
  }
  return OkStatus();
}

Status DecodeCluster(const Reader& r, const YAML::Node& n, ClusterOptions& c) {
  const std::string path = "spec.cluster";
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f,
      r.Map(n, path, {"zones", "nodePools", "provisioning", "podStartup", "consolidateAfter"}));
  if (Has(f, "zones")) {
    const std::string zp = path + ".zones";
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, r.Sequence(f["zones"], zp));
    if (items.empty()) return r.Error(f["zones"], zp, "must name at least one zone");
    c.zones.clear();
    for (size_t i = 0; i < items.size(); ++i) {
      PRESCIENT_ASSIGN_OR_RETURN(std::string z, r.String(items[i], Reader::Index(zp, i)));
      if (z.empty()) return r.Error(items[i], Reader::Index(zp, i), "must not be empty");
      if (std::find(c.zones.begin(), c.zones.end(), z) != c.zones.end())
        return r.Error(items[i], Reader::Index(zp, i), "duplicate zone '" + z + "'");
      c.zones.push_back(std::move(z));
    }
  }
  if (Has(f, "nodePools")) {
    const std::string pp = path + ".nodePools";
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<YAML::Node> pools, r.Sequence(f["nodePools"], pp));
    // One Karpenter NodePool is what the simulated provisioner models.
    if (pools.size() != 1) return r.Error(f["nodePools"], pp, "exactly one node pool is supported");
    PRESCIENT_RETURN_IF_ERROR(DecodeNodePool(r, pools[0], Reader::Index(pp, 0), c));
  }
  if (Has(f, "provisioning")) {
    PRESCIENT_RETURN_IF_ERROR(DecodeRange(r, f["provisioning"], path + ".provisioning",
                                          &c.provision_min, &c.provision_max));
  }
  if (Has(f, "podStartup")) {
    PRESCIENT_RETURN_IF_ERROR(
        DecodeRange(r, f["podStartup"], path + ".podStartup", &c.startup_min, &c.startup_max));
  }
  if (Has(f, "consolidateAfter")) {
    PRESCIENT_ASSIGN_OR_RETURN(c.consolidate_after,
                               r.Dur(f["consolidateAfter"], path + ".consolidateAfter", true));
  }
  return OkStatus();
}

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > kMaxServiceName) return false;
  for (char ch : s) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

Status DecodeTrace(const Reader& r, const YAML::Node& n, const std::string& path,
                   ScenarioService& svc) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"file", "peakPods", "scale"}, {"file"}));
  PRESCIENT_ASSIGN_OR_RETURN(svc.trace_file, r.String(f["file"], path + ".file"));
  if (svc.trace_file.empty()) return r.Error(f["file"], path + ".file", "must not be empty");
  if (Has(f, "peakPods") && Has(f, "scale"))
    return r.Error(f["scale"], path + ".scale", "give peakPods or scale, not both");
  for (const char* k : {"peakPods", "scale"}) {
    if (!Has(f, k)) continue;
    PRESCIENT_ASSIGN_OR_RETURN(const double v, r.Number(f[k], path + "." + k));
    if (!(v > 0)) return r.Error(f[k], path + "." + k, "must be > 0");
    (std::string_view(k) == "scale" ? svc.scale : svc.peak_pods) = v;
  }
  return OkStatus();
}

Status DecodeSlo(const Reader& r, const YAML::Node& n, const std::string& path, SloOptions& slo,
                 double base_latency_s) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"p99", "errorRate"}));
  if (Has(f, "p99")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string p99, r.String(f["p99"], path + ".p99"));
    PRESCIENT_ASSIGN_OR_RETURN(slo.p99_s,
                               r.Wrap(f["p99"], path + ".p99", ParseSecondsQuantity(p99)));
    if (!(slo.p99_s > base_latency_s)) {
      return r.Error(f["p99"], path + ".p99",
                     "must be above an idle pod's latency (" +
                         std::to_string(static_cast<int>(base_latency_s * 1000)) + "ms)");
    }
  }
  if (Has(f, "errorRate")) {
    PRESCIENT_ASSIGN_OR_RETURN(slo.error_rate, r.Number(f["errorRate"], path + ".errorRate"));
    if (slo.error_rate < 0 || slo.error_rate > 1)
      return r.Error(f["errorRate"], path + ".errorRate", "must be in [0, 1]");
  }
  return OkStatus();
}

Status DecodeResources(const Reader& r, const YAML::Node& n, const std::string& path,
                       PodTemplate& pod) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"cpu", "memory"}));
  if (Has(f, "cpu")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, r.String(f["cpu"], path + ".cpu"));
    PRESCIENT_ASSIGN_OR_RETURN(pod.cpu_request_millicores,
                               r.Wrap(f["cpu"], path + ".cpu", ParseCpuQuantity(s)));
  }
  if (Has(f, "memory")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string s, r.String(f["memory"], path + ".memory"));
    PRESCIENT_ASSIGN_OR_RETURN(pod.memory_request_bytes,
                               r.Wrap(f["memory"], path + ".memory", ParseMemoryQuantity(s)));
  }
  return OkStatus();
}

Status DecodeHpa(const Reader& r, const YAML::Node& n, const std::string& path,
                 scaling::HpaSpec& hpa) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, path, {"minReplicas", "maxReplicas", "targetCPUUtilization"}));
  if (Has(f, "minReplicas")) {
    PRESCIENT_ASSIGN_OR_RETURN(hpa.min_replicas,
                               r.Integer(f["minReplicas"], path + ".minReplicas", 1, kMaxReplicas));
  }
  if (Has(f, "maxReplicas")) {
    PRESCIENT_ASSIGN_OR_RETURN(hpa.max_replicas,
                               r.Integer(f["maxReplicas"], path + ".maxReplicas", 1, kMaxReplicas));
  }
  if (hpa.max_replicas < hpa.min_replicas) {
    const char* k = Has(f, "maxReplicas") ? "maxReplicas" : "minReplicas";
    return r.Error(f[k], path + "." + k,
                   "maxReplicas (" + std::to_string(hpa.max_replicas) + ") is below minReplicas (" +
                       std::to_string(hpa.min_replicas) + ")");
  }
  if (Has(f, "targetCPUUtilization")) {
    PRESCIENT_ASSIGN_OR_RETURN(
        hpa.target_cpu_utilization_percent,
        r.Integer(f["targetCPUUtilization"], path + ".targetCPUUtilization", 1, 1000));
  }
  return OkStatus();
}

Status DecodePdb(const Reader& r, const YAML::Node& n, const std::string& path,
                 ScenarioService& svc) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"minAvailable", "maxUnavailable"}));
  if (Has(f, "minAvailable") == Has(f, "maxUnavailable"))
    return r.Error(n, path, "give one of minAvailable or maxUnavailable");
  if (Has(f, "minAvailable")) {
    PRESCIENT_ASSIGN_OR_RETURN(
        svc.spec.pdb_min_available,
        r.Integer(f["minAvailable"], path + ".minAvailable", 0, kMaxReplicas));
  } else {
    PRESCIENT_ASSIGN_OR_RETURN(
        svc.pdb_max_unavailable,
        r.Integer(f["maxUnavailable"], path + ".maxUnavailable", 0, kMaxReplicas));
  }
  return OkStatus();
}

Status DecodePolicy(const Reader& r, const YAML::Node& n, const std::string& path,
                    ScenarioPolicy& p) {
  const YAML::Node* name_node = &n;
  Fields f;
  if (n.IsMap()) {
    PRESCIENT_ASSIGN_OR_RETURN(
        f,
        r.Map(n, path, {"name", "horizon", "refresh", "lead", "level", "placeholders"}, {"name"}));
    name_node = &f["name"];
  }
  const std::string np = n.IsMap() ? path + ".name" : path;
  PRESCIENT_ASSIGN_OR_RETURN(p.name, r.String(*name_node, np));
  if (p.name != "hpa" && p.name != "predictive" && p.name != "static-peak") {
    return r.Error(*name_node, np,
                   "unknown policy '" + p.name + "' (known: hpa, predictive, static-peak)");
  }
  if (!n.IsMap()) return OkStatus();
  if (p.name != "predictive" && f.size() > 1)
    return r.Error(n, path, "only the predictive policy takes options");
  if (Has(f, "horizon")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.horizon, r.Dur(f["horizon"], path + ".horizon", false));
  }
  if (Has(f, "refresh")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.refresh, r.Dur(f["refresh"], path + ".refresh", false));
  }
  if (Has(f, "lead")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.lead, r.Dur(f["lead"], path + ".lead", true));
  }
  if (Has(f, "level")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.level, r.Number(f["level"], path + ".level"));
    if (!(*p.level > 0 && *p.level < 100))
      return r.Error(f["level"], path + ".level", "must be a percentage in (0, 100)");
  }
  if (Has(f, "placeholders")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.placeholders, r.Bool(f["placeholders"], path + ".placeholders"));
  }
  return OkStatus();
}

Result<ScenarioService> DecodeService(const Reader& r, const YAML::Node& n,
                                      const std::string& path) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path,
                                             {"name", "trace", "capacityPerPod", "slo", "resources",
                                              "startup", "replicas", "hpa", "pdb", "policy"},
                                             {"name", "trace", "capacityPerPod"}));
  ScenarioService svc;
  ServiceSpec& spec = svc.spec;
  PRESCIENT_ASSIGN_OR_RETURN(spec.name, r.String(f["name"], path + ".name"));
  if (!IsDnsLabel(spec.name)) {
    return r.Error(f["name"], path + ".name",
                   "'" + spec.name + "' is not a DNS label (a-z, 0-9, '-'; at most " +
                       std::to_string(kMaxServiceName) + " characters)");
  }
  PRESCIENT_RETURN_IF_ERROR(DecodeTrace(r, f["trace"], path + ".trace", svc));
  PRESCIENT_ASSIGN_OR_RETURN(spec.workload.capacity_rps,
                             r.Number(f["capacityPerPod"], path + ".capacityPerPod"));
  if (!(spec.workload.capacity_rps > 0))
    return r.Error(f["capacityPerPod"], path + ".capacityPerPod", "must be > 0");
  if (Has(f, "slo")) {
    SloOptions slo;
    PRESCIENT_RETURN_IF_ERROR(
        DecodeSlo(r, f["slo"], path + ".slo", slo, spec.workload.base_latency_s));
    spec.slo = slo;
  }
  if (Has(f, "resources")) {
    PRESCIENT_RETURN_IF_ERROR(DecodeResources(r, f["resources"], path + ".resources", spec.pod));
  }
  if (Has(f, "startup")) {
    Duration lo = kDefaultStartupMin, hi = kDefaultStartupMax;
    PRESCIENT_RETURN_IF_ERROR(DecodeRange(r, f["startup"], path + ".startup", &lo, &hi));
    spec.pod.startup_min = lo;
    spec.pod.startup_max = hi;
  }
  if (Has(f, "replicas")) {
    PRESCIENT_ASSIGN_OR_RETURN(svc.replicas,
                               r.Integer(f["replicas"], path + ".replicas", 0, kMaxReplicas));
  }
  spec.hpa_spec.min_replicas = scaling::kDefaultMinReplicas;
  spec.hpa_spec.max_replicas = kDefaultScenarioMaxReplicas;
  if (Has(f, "hpa"))
    PRESCIENT_RETURN_IF_ERROR(DecodeHpa(r, f["hpa"], path + ".hpa", spec.hpa_spec));
  if (Has(f, "pdb")) PRESCIENT_RETURN_IF_ERROR(DecodePdb(r, f["pdb"], path + ".pdb", svc));
  if (Has(f, "policy")) {
    PRESCIENT_RETURN_IF_ERROR(DecodePolicy(r, f["policy"], path + ".policy", svc.policy));
  }
  spec.hpa = svc.policy.name != "static-peak";
  return svc;
}

Status DecodeSpec(const Reader& r, const YAML::Node& n, Scenario& s) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f,
      r.Map(n, "spec", {"seed", "tick", "startAfter", "cluster", "services"}, {"services"}));
  if (Has(f, "seed")) {
    PRESCIENT_ASSIGN_OR_RETURN(const int64_t seed, r.Integer(f["seed"], "spec.seed", 0,
                                                             std::numeric_limits<int64_t>::max()));
    s.options.seed = static_cast<uint64_t>(seed);
  }
  if (Has(f, "tick")) {
    PRESCIENT_ASSIGN_OR_RETURN(s.options.tick, r.Dur(f["tick"], "spec.tick", false));
    if (60 % s.options.tick.count() != 0)
      return r.Error(f["tick"], "spec.tick", "must divide a minute (1s to 60s)");
  }
  if (Has(f, "startAfter")) {
    PRESCIENT_ASSIGN_OR_RETURN(s.start_after, r.Dur(f["startAfter"], "spec.startAfter", true));
  }
  if (Has(f, "cluster"))
    PRESCIENT_RETURN_IF_ERROR(DecodeCluster(r, f["cluster"], s.options.cluster));
  PRESCIENT_ASSIGN_OR_RETURN(std::vector<YAML::Node> items,
                             r.Sequence(f["services"], "spec.services"));
  if (items.empty()) return r.Error(f["services"], "spec.services", "must list a service");
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Reader::Index("spec.services", i);
    PRESCIENT_ASSIGN_OR_RETURN(ScenarioService svc, DecodeService(r, items[i], path));
    if (!names.insert(svc.spec.name).second) {
      const YAML::Node& item = items[i];
      return r.Error(item["name"], path + ".name",
                     "duplicate service name '" + svc.spec.name + "'");
    }
    s.services.push_back(std::move(svc));
  }
  return OkStatus();
}

Status DecodeScenario(const Reader& r, const YAML::Node& root, Scenario& s) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(root, "", {"apiVersion", "kind", "metadata", "spec"},
                                             {"apiVersion", "kind", "spec"}));
  PRESCIENT_ASSIGN_OR_RETURN(const std::string api, r.String(f["apiVersion"], "apiVersion"));
  if (api != kScenarioApiVersion) {
    return r.Error(f["apiVersion"], "apiVersion",
                   "'" + api + "' is not " + std::string(kScenarioApiVersion));
  }
  PRESCIENT_ASSIGN_OR_RETURN(const std::string kind, r.String(f["kind"], "kind"));
  if (kind != kScenarioKind)
    return r.Error(f["kind"], "kind", "'" + kind + "' is not " + std::string(kScenarioKind));
  if (Has(f, "metadata")) PRESCIENT_RETURN_IF_ERROR(DecodeMetadata(r, f["metadata"], s));
  s.options.record_minutes = false;  // A live cluster: nobody plots its minutes.
  return DecodeSpec(r, f["spec"], s);
}

// "1.5" -> 1.5 with the unit suffix split off.
bool SplitNumber(std::string_view text, double* value, std::string_view* suffix) {
  size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  // An exponent belongs to the number ("1e9"), not to a suffix (there is no "e" unit).
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E') && i + 1 < text.size() &&
      text[i + 1] >= '0' && text[i + 1] <= '9') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  }
  if (i == 0) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + i, *value);
  if (ec != std::errc() || end != text.data() + i || !std::isfinite(*value)) return false;
  *suffix = text.substr(i);
  return true;
}

}  // namespace

Result<int> ParseCpuQuantity(std::string_view text) {
  double v = 0;
  std::string_view suffix;
  const std::string quoted = "'" + std::string(text) + "'";
  if (!SplitNumber(text, &v, &suffix) || (suffix != "" && suffix != "m"))
    return InvalidArgumentError(quoted + " is not a CPU quantity (e.g. 500m, 1, 1.5)");
  const double millicores = suffix == "m" ? v : v * 1000;
  if (!(millicores >= 1) || millicores > 1e6)
    return InvalidArgumentError(quoted + " must be between 1m and 1000");
  return static_cast<int>(std::llround(millicores));
}

Result<int64_t> ParseMemoryQuantity(std::string_view text) {
  static const std::map<std::string_view, double> kUnits = {
      {"", 1},           {"k", 1e3},           {"M", 1e6},
      {"G", 1e9},        {"T", 1e12},          {"Ki", 1024.0},
      {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0}};
  double v = 0;
  std::string_view suffix;
  const std::string quoted = "'" + std::string(text) + "'";
  if (!SplitNumber(text, &v, &suffix) || !kUnits.contains(suffix))
    return InvalidArgumentError(quoted + " is not a memory quantity (e.g. 512Mi, 2Gi, 1G)");
  const double bytes = v * kUnits.at(suffix);
  if (!(bytes >= 1) || bytes > 1e15) return InvalidArgumentError(quoted + " is out of range");
  return static_cast<int64_t>(std::llround(bytes));
}

Result<double> ParseSecondsQuantity(std::string_view text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    double v = 0;
    std::string_view suffix;
    if (SplitNumber(text.substr(0, text.size() - 2), &v, &suffix) && suffix.empty() && v > 0)
      return v / 1000;
    return InvalidArgumentError("'" + std::string(text) + "' is not a duration (e.g. 500ms, 2s)");
  }
  PRESCIENT_ASSIGN_OR_RETURN(const Duration d, ParseDuration(text));
  return static_cast<double>(d.count());
}

Result<Scenario> ParseScenario(std::string_view yaml, const std::string& source_name) {
  const Reader r(source_name);
  Scenario s;
  s.source = source_name;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    PRESCIENT_RETURN_IF_ERROR(DecodeScenario(r, root, s));
  } catch (const YAML::Exception& e) {
    std::string where = source_name;
    if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1);
    return InvalidArgumentError(OneLine(where + ": " + e.msg));
  } catch (const std::exception& e) {
    return InvalidArgumentError(OneLine(source_name + ": " + e.what()));
  }
  return s;
}

Status LoadScenarioTraces(Scenario& scenario, const std::string& base_dir) {
  std::optional<Timestamp> latest;
  for (size_t i = 0; i < scenario.services.size(); ++i) {
    ScenarioService& svc = scenario.services[i];
    const std::string field = "spec.services[" + std::to_string(i) + "].trace.file";
    std::filesystem::path file(svc.trace_file);
    if (file.is_relative()) file = std::filesystem::path(base_dir) / file;
    auto fail = [&](const Status& s) {
      return InvalidArgumentError(OneLine(scenario.source + ": " + field + ": " + s.message()));
    };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
      return fail(NotFoundError("no trace file " + file.string()));
    Result<Series> counts = metrics::ReadSeriesCsv(file.string());
    if (!counts.ok()) return fail(counts.status());
    Result<LoadTrace> trace = LoadTrace::FromCounts(*counts, file.string());
    if (!trace.ok()) return fail(trace.status());
    if (svc.peak_pods.has_value()) {
      trace->Scale(*svc.peak_pods * svc.spec.workload.capacity_rps /
                   std::max(1e-9, trace->Quantile(0.99)));
    } else if (svc.scale.has_value()) {
      trace->Scale(*svc.scale);
    }
    latest = std::max(latest.value_or(trace->start()), trace->start());
    svc.spec.trace = std::move(*trace);
  }
  if (latest.has_value()) scenario.start = *latest + scenario.start_after;
  return OkStatus();
}

Result<Scenario> ParseScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError(path + ": cannot read the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return InvalidArgumentError(path + ": read failed");
  return ParseScenario(text.str(), path);
}

std::string ScenarioDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

Result<Scenario> LoadScenario(const std::string& path) {
  PRESCIENT_ASSIGN_OR_RETURN(Scenario s, ParseScenarioFile(path));
  PRESCIENT_RETURN_IF_ERROR(LoadScenarioTraces(s, ScenarioDirectory(path)));
  return s;
}

}  // namespace prescient::sim
