// Decoding PredictiveScalingPolicy documents: the stream is cut into documents first
// (config/yaml_documents.h) so a syntax error costs one document, then each is walked
// with the strict reader. Cross-field rules (maxReplicas >= minReplicas, leadTime +
// refresh <= horizon) are reported on the field written last in the schema's order.
// Duplicates are found across every file of one LoadPolicies call, first one wins.
#include "prescient/controller/policy_spec.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <system_error>

#include "prescient/config/yaml_documents.h"
#include "prescient/config/yaml_reader.h"
#include "prescient/forecast/registry.h"

namespace prescient::controller {
namespace {

using config::Reader;
using Fields = Reader::Fields;

// Policies seen so far: "namespace/name" and "namespace/deployment" -> "FILE:LINE".
struct Seen {
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> targets;
};

bool Has(const Fields& f, const char* name) { return f.contains(name); }

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 1123 label (namespaces, policy names) or subdomain (Deployments, HPAs, classes).
bool IsDnsName(const std::string& s, size_t max_size, bool dots) {
  if (s.empty() || s.size() > max_size || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return IsAlnum(c) || c == '-' || (dots && c == '.'); });
}

Result<std::string> DnsLabel(const Reader& r, const YAML::Node& n, const std::string& path) {
  PRESCIENT_ASSIGN_OR_RETURN(std::string s, r.String(n, path));
  if (!IsDnsName(s, 63, false)) {
    return r.Error(n, path,
                   "'" + s + "' is not a DNS label (a-z, 0-9 and '-', at most 63 characters)");
  }
  return s;
}

Result<std::string> DnsSubdomain(const Reader& r, const YAML::Node& n, const std::string& path) {
  PRESCIENT_ASSIGN_OR_RETURN(std::string s, r.String(n, path));
  if (!IsDnsName(s, 253, true)) {
    return r.Error(n, path,
                   "'" + s + "' is not a DNS subdomain (a-z, 0-9, '-' and '.', at most 253)");
  }
  return s;
}

// A duration in [lo, hi] (hi zero: no upper bound).
Result<Duration> DurIn(const Reader& r, const YAML::Node& n, const std::string& path, Duration lo,
                       Duration hi = Duration(0)) {
  PRESCIENT_ASSIGN_OR_RETURN(const Duration d, r.Dur(n, path, lo.count() == 0));
  if (d < lo) return r.Error(n, path, "must be at least " + FormatDuration(lo));
  if (hi.count() > 0 && d > hi) return r.Error(n, path, "must be at most " + FormatDuration(hi));
  return d;
}

Status DecodeMetadata(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, "metadata", {"name", "namespace", "labels", "annotations"}, {"name"}));
  PRESCIENT_ASSIGN_OR_RETURN(p.name, DnsLabel(r, f["name"], "metadata.name"));
  if (Has(f, "namespace")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.ns, DnsLabel(r, f["namespace"], "metadata.namespace"));
  }
  for (const char* k : {"labels", "annotations"}) {
    if (Has(f, k)) PRESCIENT_RETURN_IF_ERROR(r.StringMap(f[k], std::string("metadata.") + k));
  }
  return OkStatus();
}

Status DecodeTargetRef(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  const std::string path = "spec.targetRef";
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, path, {"apiVersion", "kind", "name"}, {"apiVersion", "kind", "name"}));
  PRESCIENT_ASSIGN_OR_RETURN(const std::string api,
                             r.String(f["apiVersion"], path + ".apiVersion"));
  if (api != "apps/v1") {
    return r.Error(f["apiVersion"], path + ".apiVersion",
                   "'" + api + "' is not apps/v1 (only Deployments are supported)");
  }
  PRESCIENT_ASSIGN_OR_RETURN(const std::string kind, r.String(f["kind"], path + ".kind"));
  if (kind != "Deployment") {
    return r.Error(f["kind"], path + ".kind",
                   "'" + kind + "' is not Deployment (only Deployments are supported)");
  }
  PRESCIENT_ASSIGN_OR_RETURN(p.target, DnsSubdomain(r, f["name"], path + ".name"));
  return OkStatus();
}

Status DecodeMetric(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  const std::string path = "spec.metric";
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"query", "step", "staleAfter"}, {"query"}));
  PRESCIENT_ASSIGN_OR_RETURN(p.query, r.String(f["query"], path + ".query"));
  if (p.query.find_first_not_of(" \t\r\n") == std::string::npos)
    return r.Error(f["query"], path + ".query", "must not be empty");
  if (Has(f, "step")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.step,
                               DurIn(r, f["step"], path + ".step", Duration(1), kMaxHorizon));
  }
  if (Has(f, "staleAfter")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.stale_after, r.Dur(f["staleAfter"], path + ".staleAfter", false));
  }
  if (p.stale_after < p.step) {
    const char* k = Has(f, "staleAfter") ? "staleAfter" : "step";
    return r.Error(f[k], path + "." + k,
                   "staleAfter (" + FormatDuration(p.stale_after) + ") is below step (" +
                       FormatDuration(p.step) + ")");
  }
  return OkStatus();
}

Status DecodeGuardrails(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  const std::string path = "spec.guardrails";
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, path, {"maxScaleUpStep", "maxScaleDownStep", "scaleDownCooldown"}));
  if (Has(f, "maxScaleUpStep")) {
    PRESCIENT_ASSIGN_OR_RETURN(
        p.max_step_up,
        r.Integer(f["maxScaleUpStep"], path + ".maxScaleUpStep", 0, kMaxPolicyReplicas));
  }
  if (Has(f, "maxScaleDownStep")) {
    PRESCIENT_ASSIGN_OR_RETURN(
        p.max_step_down,
        r.Integer(f["maxScaleDownStep"], path + ".maxScaleDownStep", 0, kMaxPolicyReplicas));
  }
  if (Has(f, "scaleDownCooldown")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.scale_down_cooldown,
                               r.Dur(f["scaleDownCooldown"], path + ".scaleDownCooldown", true));
  }
  return OkStatus();
}

Status DecodePlaceholderResources(const Reader& r, const YAML::Node& n, const std::string& path,
                                  PlaceholderSpec& ph) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path, {"requests"}));
  if (!Has(f, "requests")) return OkStatus();
  const std::string rp = path + ".requests";
  PRESCIENT_ASSIGN_OR_RETURN(Fields req, r.Map(f["requests"], rp, {"cpu", "memory"}));
  if (Has(req, "cpu")) {
    PRESCIENT_ASSIGN_OR_RETURN(ph.cpu_millicores, r.Cpu(req["cpu"], rp + ".cpu"));
  }
  if (Has(req, "memory")) {
    PRESCIENT_ASSIGN_OR_RETURN(ph.memory_bytes, r.Memory(req["memory"], rp + ".memory"));
  }
  return OkStatus();
}

Status DecodePlaceholder(const Reader& r, const YAML::Node& n, PlaceholderSpec& ph) {
  const std::string path = "spec.placeholder";
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(n, path,
                                             {"enabled", "priorityClassName", "priority",
                                              "resources", "leadTime", "image"}));
  ph.enabled = true;
  if (Has(f, "enabled")) {
    PRESCIENT_ASSIGN_OR_RETURN(ph.enabled, r.Bool(f["enabled"], path + ".enabled"));
  }
  if (Has(f, "priorityClassName")) {
    const std::string cp = path + ".priorityClassName";
    PRESCIENT_ASSIGN_OR_RETURN(ph.priority_class, DnsSubdomain(r, f["priorityClassName"], cp));
    if (ph.priority_class.starts_with("system-"))
      return r.Error(f["priorityClassName"], cp, "the system- prefix is reserved by Kubernetes");
  }
  if (Has(f, "priority")) {
    // User PriorityClasses may not exceed one billion (higher is reserved for system ones).
    PRESCIENT_ASSIGN_OR_RETURN(ph.priority,
                               r.Integer(f["priority"], path + ".priority",
                                         std::numeric_limits<int32_t>::min(), 1000000000));
  }
  if (Has(f, "resources")) {
    PRESCIENT_RETURN_IF_ERROR(
        DecodePlaceholderResources(r, f["resources"], path + ".resources", ph));
  }
  if (Has(f, "leadTime")) {
    PRESCIENT_ASSIGN_OR_RETURN(ph.lead, r.Dur(f["leadTime"], path + ".leadTime", true));
  }
  if (Has(f, "image")) {
    PRESCIENT_ASSIGN_OR_RETURN(ph.image, r.String(f["image"], path + ".image"));
    if (ph.image.empty() || ph.image.find_first_of(" \t\r\n") != std::string::npos)
      return r.Error(f["image"], path + ".image", "'" + ph.image + "' is not an image reference");
  }
  return OkStatus();
}

Status DecodeModel(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  PRESCIENT_ASSIGN_OR_RETURN(p.model, r.String(n, "spec.model"));
  const std::vector<std::string_view>& names = forecast::ModelNames();
  if (std::find(names.begin(), names.end(), p.model) != names.end()) return OkStatus();
  std::string known;
  for (std::string_view k : names) known += (known.empty() ? "" : ", ") + std::string(k);
  return r.Error(n, "spec.model", "unknown model '" + p.model + "' (known: " + known + ")");
}

// The durations of spec: horizon first, as the others are checked against it.
Status DecodeTiming(const Reader& r, Fields& f, PolicySpec& p) {
  if (Has(f, "horizon")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.horizon,
                               DurIn(r, f["horizon"], "spec.horizon", kMinHorizon, kMaxHorizon));
  }
  if (Has(f, "refresh")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.refresh, DurIn(r, f["refresh"], "spec.refresh", kMinRefresh));
  }
  if (p.refresh > p.horizon) {
    const char* k = Has(f, "refresh") ? "refresh" : "horizon";
    return r.Error(f[k], std::string("spec.") + k,
                   "refresh (" + FormatDuration(p.refresh) + ") exceeds horizon (" +
                       FormatDuration(p.horizon) + ")");
  }
  if (Has(f, "bucket")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.bucket,
                               DurIn(r, f["bucket"], "spec.bucket", Duration(60), kMaxBucket));
    if (p.bucket.count() % 60 != 0 || 86400 % p.bucket.count() != 0) {
      return r.Error(f["bucket"], "spec.bucket",
                     "must be whole minutes that divide a day (1m, 5m, 15m, 1h, ...)");
    }
  }
  if (Has(f, "leadTime")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.lead_time, r.Dur(f["leadTime"], "spec.leadTime", true));
    if (*p.lead_time + p.refresh > p.horizon) {
      return r.Error(f["leadTime"], "spec.leadTime",
                     "leadTime (" + FormatDuration(*p.lead_time) + ") + refresh (" +
                         FormatDuration(p.refresh) + ") exceeds horizon (" +
                         FormatDuration(p.horizon) + "): the forecast must reach that far");
    }
  }
  if (Has(f, "history")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.history, DurIn(r, f["history"], "spec.history", kMinHistory));
  }
  return OkStatus();
}

Status DecodeReplicas(const Reader& r, Fields& f, PolicySpec& p) {
  if (Has(f, "minReplicas")) {
    PRESCIENT_ASSIGN_OR_RETURN(
        p.min_replicas, r.Integer(f["minReplicas"], "spec.minReplicas", 1, kMaxPolicyReplicas));
  }
  PRESCIENT_ASSIGN_OR_RETURN(
      p.max_replicas, r.Integer(f["maxReplicas"], "spec.maxReplicas", 1, kMaxPolicyReplicas));
  if (p.max_replicas < p.min_replicas) {
    return r.Error(f["maxReplicas"], "spec.maxReplicas",
                   "maxReplicas (" + std::to_string(p.max_replicas) + ") is below minReplicas (" +
                       std::to_string(p.min_replicas) + ")");
  }
  return OkStatus();
}

Status DecodeEnums(const Reader& r, Fields& f, PolicySpec& p) {
  if (Has(f, "mode")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string m, r.String(f["mode"], "spec.mode"));
    if (m == "ForecastOnly") {
      p.mode = PolicyMode::kForecastOnly;
    } else if (m != "ForecastAndScale") {
      return r.Error(f["mode"], "spec.mode", "'" + m + "' is not ForecastOnly or ForecastAndScale");
    }
  }
  if (Has(f, "applyTo")) {
    PRESCIENT_ASSIGN_OR_RETURN(const std::string a, r.String(f["applyTo"], "spec.applyTo"));
    if (a == "Replicas") {
      p.apply_to = ApplyTo::kReplicas;
    } else if (a != "HpaMinReplicas") {
      return r.Error(f["applyTo"], "spec.applyTo", "'" + a + "' is not HpaMinReplicas or Replicas");
    }
  }
  return OkStatus();
}

Status DecodeSpec(const Reader& r, const YAML::Node& n, PolicySpec& p) {
  PRESCIENT_ASSIGN_OR_RETURN(
      Fields f, r.Map(n, "spec",
                      {"targetRef", "hpaName", "metric", "capacityPerPod", "horizon", "refresh",
                       "bucket", "leadTime", "history", "minReplicas", "maxReplicas", "level",
                       "mode", "applyTo", "guardrails", "model", "placeholder"},
                      {"targetRef", "metric", "capacityPerPod", "maxReplicas"}));
  PRESCIENT_RETURN_IF_ERROR(DecodeTargetRef(r, f["targetRef"], p));
  p.hpa = p.target;
  if (Has(f, "hpaName")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.hpa, DnsSubdomain(r, f["hpaName"], "spec.hpaName"));
  }
  PRESCIENT_RETURN_IF_ERROR(DecodeMetric(r, f["metric"], p));
  PRESCIENT_ASSIGN_OR_RETURN(p.capacity_per_pod,
                             r.Number(f["capacityPerPod"], "spec.capacityPerPod"));
  if (!(p.capacity_per_pod > 0))
    return r.Error(f["capacityPerPod"], "spec.capacityPerPod", "must be > 0");
  PRESCIENT_RETURN_IF_ERROR(DecodeTiming(r, f, p));
  PRESCIENT_RETURN_IF_ERROR(DecodeReplicas(r, f, p));
  if (Has(f, "level")) {
    PRESCIENT_ASSIGN_OR_RETURN(p.level, r.Number(f["level"], "spec.level"));
    if (!(p.level > 50 && p.level <= 99.9))
      return r.Error(f["level"], "spec.level", "must be a percentage in (50, 99.9]");
  }
  PRESCIENT_RETURN_IF_ERROR(DecodeEnums(r, f, p));
  if (Has(f, "guardrails")) PRESCIENT_RETURN_IF_ERROR(DecodeGuardrails(r, f["guardrails"], p));
  if (Has(f, "model")) PRESCIENT_RETURN_IF_ERROR(DecodeModel(r, f["model"], p));
  if (Has(f, "placeholder")) {
    PRESCIENT_RETURN_IF_ERROR(DecodePlaceholder(r, f["placeholder"], p.placeholder));
    if (p.placeholder.enabled && p.placeholder.lead + p.refresh > p.horizon) {
      return r.Error(f["placeholder"], "spec.placeholder.leadTime",
                     "leadTime (" + FormatDuration(p.placeholder.lead) + ") + refresh (" +
                         FormatDuration(p.refresh) + ") exceeds horizon (" +
                         FormatDuration(p.horizon) + "): the forecast must reach that far");
    }
  }
  return OkStatus();
}

// A second policy of the same name or for the same Deployment; else both are recorded.
Status CheckUnique(const Reader& r, Fields& root, const PolicySpec& p, Seen& seen) {
  const std::string where = p.source + ":" + std::to_string(p.line);
  const std::string name = p.ns + "/" + p.name;
  const std::string target = p.ns + "/" + p.target;
  if (auto it = seen.names.find(name); it != seen.names.end()) {
    return r.Error(root["metadata"]["name"], "metadata.name",
                   "duplicate policy " + name + " (the first is at " + it->second + ")");
  }
  if (auto it = seen.targets.find(target); it != seen.targets.end()) {
    return r.Error(root["spec"]["targetRef"]["name"], "spec.targetRef.name",
                   "Deployment " + target + " already has a policy (at " + it->second + ")");
  }
  seen.names.emplace(name, where);
  seen.targets.emplace(target, where);
  return OkStatus();
}

Result<PolicySpec> DecodePolicy(const Reader& r, const YAML::Node& root, Seen& seen) {
  PRESCIENT_ASSIGN_OR_RETURN(Fields f, r.Map(root, "", {"apiVersion", "kind", "metadata", "spec"},
                                             {"apiVersion", "kind", "metadata", "spec"}));
  PolicySpec p;
  p.source = r.source();
  p.line = r.Line(root);
  PRESCIENT_ASSIGN_OR_RETURN(const std::string api, r.String(f["apiVersion"], "apiVersion"));
  if (api != kPolicyApiVersion) {
    return r.Error(f["apiVersion"], "apiVersion",
                   "'" + api + "' is not " + std::string(kPolicyApiVersion));
  }
  PRESCIENT_ASSIGN_OR_RETURN(const std::string kind, r.String(f["kind"], "kind"));
  if (kind != kPolicyKind)
    return r.Error(f["kind"], "kind", "'" + kind + "' is not " + std::string(kPolicyKind));
  PRESCIENT_RETURN_IF_ERROR(DecodeMetadata(r, f["metadata"], p));
  PRESCIENT_RETURN_IF_ERROR(DecodeSpec(r, f["spec"], p));
  PRESCIENT_RETURN_IF_ERROR(CheckUnique(r, f, p, seen));
  return p;
}

void ParseInto(std::string_view yaml, const std::string& source, Seen& seen,
               std::vector<Result<PolicySpec>>& out) {
  for (const config::YamlDocumentText& doc : config::SplitYamlDocuments(yaml)) {
    const Reader r(source, doc.first_line);
    Result<YAML::Node> node = r.Load(doc.text);
    if (!node.ok()) {
      out.emplace_back(node.status());
    } else if (!node->IsNull()) {
      out.push_back(r.Catch([&] { return DecodePolicy(r, *node, seen); }));
    }
  }
}

Status CannotRead(const std::string& path, const std::error_code& ec) {
  return InvalidArgumentError(config::OneLine(path + ": cannot read: " + ec.message()));
}

void LoadFile(const std::string& path, Seen& seen, std::vector<Result<PolicySpec>>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.emplace_back(CannotRead(path, std::error_code(errno, std::generic_category())));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    out.emplace_back(CannotRead(path, std::error_code(EIO, std::generic_category())));
    return;
  }
  ParseInto(text.str(), path, seen, out);
}

// The directory's *.yaml and *.yml files (following symlinks, as a mounted ConfigMap
// has them), sorted by name.
Result<std::vector<std::string>> PolicyFiles(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    const std::string ext = p.extension().string();
    std::error_code type_ec;
    if ((ext == ".yaml" || ext == ".yml") && std::filesystem::is_regular_file(p, type_ec))
      files.push_back(p.string());
  }
  if (ec) return CannotRead(dir, ec);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string_view PolicyModeName(PolicyMode mode) {
  return mode == PolicyMode::kForecastOnly ? "ForecastOnly" : "ForecastAndScale";
}

std::string_view ApplyToName(ApplyTo apply_to) {
  return apply_to == ApplyTo::kReplicas ? "Replicas" : "HpaMinReplicas";
}

std::vector<Result<PolicySpec>> ParsePolicies(std::string_view yaml,
                                              const std::string& source_name) {
  Seen seen;
  std::vector<Result<PolicySpec>> out;
  ParseInto(yaml, source_name, seen, out);
  return out;
}

std::vector<Result<PolicySpec>> LoadPolicies(const std::vector<std::string>& paths) {
  Seen seen;
  std::vector<Result<PolicySpec>> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      LoadFile(path, seen, out);
      continue;
    }
    Result<std::vector<std::string>> files = PolicyFiles(path);
    if (!files.ok()) {
      out.emplace_back(files.status());
      continue;
    }
    for (const std::string& file : *files) LoadFile(file, seen, out);
  }
  return out;
}

}  // namespace prescient::controller
