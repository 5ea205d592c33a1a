// Strategic merge follows apimachinery's strategicpatch/patch.go for the subset kubectl
// sends: map merge with null deletion, merge-key lists merged element by element,
// `$patch: replace|delete` on maps and list elements, `$deleteFromPrimitiveList/<list>`,
// `$retainKeys`, and `$setElementOrder/<list>` (ordering only: ignored). Lists without a
// merge key (taints, tolerations, args, command) are replaced, as their Go tags say.
#include "prescient/sim/api/patch.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>
#include <set>

namespace prescient::sim::api {
namespace {

// patchMergeKey tags of the built-in types for the list fields kubectl patches.
const std::map<std::string, std::string>& MergeKeys() {
  static const std::map<std::string, std::string> keys = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"env", "name"},
      {"ports", "containerPort"},
      {"volumes", "name"},
      {"volumeMounts", "mountPath"},
      {"volumeDevices", "devicePath"},
      {"imagePullSecrets", "name"},
      {"conditions", "type"},
      {"ownerReferences", "uid"},
      {"resizePolicy", "resourceName"},
      {"topologySpreadConstraints", "topologyKey"},
      {"hostAliases", "ip"},
  };
  return keys;
}

constexpr std::string_view kSetElementOrder = "$setElementOrder/";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

nlohmann::json MergeList(const nlohmann::json& target, const nlohmann::json& patch,
                         const std::string& key) {
  // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
  for (const nlohmann::json& e : patch) {
    if (e.is_object() && e.value("$patch", "") == "replace") {
      nlohmann::json out = nlohmann::json::array();
      for (const nlohmann::json& x : patch) {
        if (!(x.is_object() && x.contains("$patch"))) out.push_back(x);
      }
      return out;
    }
  }
  nlohmann::json out = target.is_array() ? target : nlohmann::json::array();
  for (const nlohmann::json& e : patch) {
    if (!e.is_object() || !e.contains(key)) {
      out.push_back(e);
      continue;
    }
    auto match = std::find_if(out.begin(), out.end(), [&](const nlohmann::json& x) {
      return x.is_object() && x.contains(key) && x[key] == e[key];
    });
    if (e.value("$patch", "") == "delete") {
      if (match != out.end()) out.erase(match);
      continue;
    }
    if (match == out.end()) {
      out.push_back(StrategicMerge(nlohmann::json::object(), e));
    } else {
      *match = StrategicMerge(*match, e);
    }
  }
  return out;
}

}  // namespace

nlohmann::json StrategicMerge(const nlohmann::json& target, const nlohmann::json& patch) {
  if (!patch.is_object()) return patch;
  const std::string directive = patch.contains("$patch") && patch["$patch"].is_string()
                                    ? patch["$patch"].get<std::string>()
                                    : "";
  if (directive == "delete") return nullptr;
  nlohmann::json out =
      target.is_object() && directive != "replace" ? target : nlohmann::json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    if (k == "$patch" || k == "$retainKeys" || k.starts_with(kSetElementOrder)) continue;
    if (k.starts_with(kDeleteFromPrimitiveList)) {
      const std::string list = k.substr(kDeleteFromPrimitiveList.size());
      if (out.contains(list) && out[list].is_array() && v.is_array()) {
        nlohmann::json kept = nlohmann::json::array();
        for (const nlohmann::json& x : out[list]) {
          if (std::find(v.begin(), v.end(), x) == v.end()) kept.push_back(x);
        }
        out[list] = std::move(kept);
      }
      continue;
    }
    if (v.is_null()) {
      out.erase(k);
      continue;
    }
    if (v.is_object()) {
      nlohmann::json merged = StrategicMerge(out.contains(k) ? out[k] : nlohmann::json(), v);
      if (merged.is_null()) {
        out.erase(k);
      } else {
        out[k] = std::move(merged);
      }
      continue;
    }
    auto key = MergeKeys().find(k);
    if (v.is_array() && key != MergeKeys().end()) {
      out[k] = MergeList(out.contains(k) ? out[k] : nlohmann::json(), v, key->second);
      continue;
    }
    out[k] = v;
  }
  if (patch.contains("$retainKeys") && patch["$retainKeys"].is_array()) {
    const nlohmann::json& keep = patch["$retainKeys"];
    for (auto it = out.begin(); it != out.end();) {
      if (std::find(keep.begin(), keep.end(), it.key()) == keep.end()) {
        it = out.erase(it);
      } else {
        ++it;
      }
    }
  }
  return out;
}

nlohmann::json StripNulls(nlohmann::json value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end();) {
      if (it.value().is_null()) {
        it = value.erase(it);
      } else {
        it.value() = StripNulls(std::move(it.value()));
        ++it;
      }
    }
  } else if (value.is_array()) {
    for (nlohmann::json& e : value) e = StripNulls(std::move(e));
  }
  return value;
}

Result<PatchType> PatchTypeOf(std::string_view content_type) {
  const std::string_view base = content_type.substr(0, content_type.find(';'));
  if (base == "application/json-patch+json") return PatchType::kJson;
  if (base == "application/merge-patch+json") return PatchType::kMerge;
  if (base == "application/strategic-merge-patch+json") return PatchType::kStrategic;
  if (base == "application/apply-patch+yaml") return PatchType::kApply;
  return InvalidArgumentError(
      "the body of the request was in an unknown format - accepted "
      "media types include: application/json-patch+json, "
      "application/merge-patch+json, "
      "application/apply-patch+yaml, "
      "application/strategic-merge-patch+json");
}

namespace {

nlohmann::json ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // Quoted: always a string.
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  // Integers and floats only when the whole scalar is one (YAML 1.2 core schema).
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(s.c_str(), &end, 10);
  if (errno == 0 && end == s.c_str() + s.size() && s.find_first_of("+-0123456789") == 0) return i;
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (errno == 0 && end == s.c_str() + s.size() && std::isfinite(d) &&
      s.find_first_not_of("+-.0123456789eE") == std::string::npos) {
    return d;
  }
  return s;
}

Result<nlohmann::json> NodeToJson(const YAML::Node& node, int depth) {
  if (depth > 64) return InvalidArgumentError("yaml: nested too deeply");
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nlohmann::json(nullptr);
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const YAML::Node& e : node) {
        PRESCIENT_ASSIGN_OR_RETURN(nlohmann::json v, NodeToJson(e, depth + 1));
        out.push_back(std::move(v));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) return InvalidArgumentError("yaml: map keys must be scalars");
        PRESCIENT_ASSIGN_OR_RETURN(nlohmann::json v, NodeToJson(kv.second, depth + 1));
        out[kv.first.Scalar()] = std::move(v);
      }
      return out;
    }
  }
  return nlohmann::json(nullptr);
}

}  // namespace

Result<nlohmann::json> YamlToJson(std::string_view text) {
  try {
    return NodeToJson(YAML::Load(std::string(text)), 0);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("yaml: ") + e.what());
  }
}

Result<nlohmann::json> ParsePatchDocument(PatchType type, std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    if (type != PatchType::kApply)
      return InvalidArgumentError("error decoding patch: invalid JSON");
    PRESCIENT_ASSIGN_OR_RETURN(doc, YamlToJson(body));
  }
  if (type == PatchType::kJson) {
    if (!doc.is_array()) return InvalidArgumentError("json patch: the patch must be a JSON array");
    for (const nlohmann::json& op : doc) {
      if (!op.is_object() || !op.contains("op") || !op["op"].is_string() || !op.contains("path") ||
          !op["path"].is_string()) {
        return InvalidArgumentError("json patch: each operation needs a string op and path");
      }
    }
  } else if (!doc.is_object()) {
    return InvalidArgumentError("error decoding patch: the patch must be an object");
  }
  return doc;
}

Result<nlohmann::json> ApplyPatch(PatchType type, const nlohmann::json& target,
                                  const nlohmann::json& patch) {
  switch (type) {
    case PatchType::kJson:
      try {
        return target.patch(patch);
      } catch (const std::exception& e) {
        return InvalidArgumentError(std::string("json patch: ") + e.what());
      }
    case PatchType::kMerge: {
      nlohmann::json out = target;
      out.merge_patch(patch);
      return out;
    }
    case PatchType::kStrategic:
    case PatchType::kApply:
      return StrategicMerge(target, patch);
  }
  return InvalidArgumentError("unknown patch type");
}

}  // namespace prescient::sim::api
