// Decoding a SimulationScenario: a walk over the yaml-cpp tree with the strict reader of
// config/yaml_reader.h (unknown or repeated fields are errors, scalars converted without
// exceptions, every error one line with the file, the node's line and the field's path,
// "spec.services[1].hpa.maxReplicas"). This file holds only the scenario's schema.
#include "prescient/sim/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "prescient/config/yaml_reader.h"
#include "prescient/metrics/series_csv.h"
#include "prescient/scaling/replica_planner.h"
#include "prescient/sim/instance_types.h"

namespace prescient::sim {
namespace {

constexpr size_t kMaxServiceName = 50;  // Pod names add "-placeholder-xxxxx".
constexpr int kMaxReplicas = 100000;

using config::OneLine;
using config::Reader;
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
    if (Has(f, k)) PRESCIENT_RETURN_IF_ERROR(r.StringMap(f[k], std::string("metadata.") + k));
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
    PRESCIENT_ASSIGN_OR_RETURN(pod.cpu_request_millicores, r.Cpu(f["cpu"], path + ".cpu"));
  }
  if (Has(f, "memory")) {
    PRESCIENT_ASSIGN_OR_RETURN(pod.memory_request_bytes, r.Memory(f["memory"], path + ".memory"));
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

Status DecodeFault(const Reader& r, const YAML::Node& n, const std::string& path,
                   const ClusterOptions& cluster, ScenarioFault& fault) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, path, {"zone", "from", "duration", "latency", "errorRate"}, {"zone"}));
  PRESCIENT_ASSIGN_OR_RETURN(fault.zone, r.String(f["zone"], path + ".zone"));
  if (std::find(cluster.zones.begin(), cluster.zones.end(), fault.zone) == cluster.zones.end()) {
    std::string known;
    for (const std::string& z : cluster.zones) known += (known.empty() ? "" : ", ") + z;
    return r.Error(f["zone"], path + ".zone",
                   "unknown zone '" + fault.zone + "' (spec.cluster.zones: " + known + ")");
  }
  if (Has(f, "from")) {
    PRESCIENT_ASSIGN_OR_RETURN(fault.from, r.Dur(f["from"], path + ".from", true));
  }
  if (Has(f, "duration")) {
    PRESCIENT_ASSIGN_OR_RETURN(fault.duration, r.Dur(f["duration"], path + ".duration", false));
  }
  if (!Has(f, "latency") && !Has(f, "errorRate"))
    return r.Error(n, path, "give latency, errorRate or both");
  if (Has(f, "latency")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string l, r.String(f["latency"], path + ".latency"));
    PRESCIENT_ASSIGN_OR_RETURN(fault.latency_s,
                               r.Wrap(f["latency"], path + ".latency", ParseSecondsQuantity(l)));
    if (!(fault.latency_s >= 0)) return r.Error(f["latency"], path + ".latency", "must be >= 0");
  }
  if (Has(f, "errorRate")) {
    PRESCIENT_ASSIGN_OR_RETURN(fault.error_rate, r.Number(f["errorRate"], path + ".errorRate"));
    if (fault.error_rate < 0 || fault.error_rate > 1)
      return r.Error(f["errorRate"], path + ".errorRate", "must be in [0, 1]");
  }
  return OkStatus();
}

Status DecodeSpec(const Reader& r, const YAML::Node& n, Scenario& s) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, "spec", {"seed", "tick", "startAfter", "cluster", "services", "faults"},
                      {"services"}));
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
  if (Has(f, "faults")) {
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<YAML::Node> faults,
                               r.Sequence(f["faults"], "spec.faults"));
    for (size_t i = 0; i < faults.size(); ++i) {
      ScenarioFault fault;
      PRESCIENT_RETURN_IF_ERROR(
          DecodeFault(r, faults[i], Reader::Index("spec.faults", i), s.options.cluster, fault));
      s.faults.push_back(std::move(fault));
    }
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

}  // namespace

Result<Scenario> ParseScenario(std::string_view yaml, const std::string& source_name) {
  const Reader r(source_name);
  Scenario s;
  s.source = source_name;
  PRESCIENT_ASSIGN_OR_RETURN(const YAML::Node root, r.Load(yaml));
  PRESCIENT_RETURN_IF_ERROR(r.Catch([&] { return DecodeScenario(r, root, s); }));
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
  scenario.options.zone_faults.clear();
  for (const ScenarioFault& f : scenario.faults) {
    ZoneFault z;
    z.zone = f.zone;
    z.from = scenario.start + f.from;
    if (f.duration.has_value()) z.until = z.from + *f.duration;
    z.extra_latency_s = f.latency_s;
    z.error_rate = f.error_rate;
    scenario.options.zone_faults.push_back(std::move(z));
  }
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
