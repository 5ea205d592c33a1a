// The four patch types the API server accepts, applied to a whole object as the real
// server does (apiserver's patch handler):
//   application/json-patch+json            RFC 6902 (add, remove, replace, move, copy, test)
//   application/merge-patch+json           RFC 7386 (null deletes, objects merge, lists replace)
//   application/strategic-merge-patch+json merge patch, plus lists with a merge key merged
//                                          element by element and the $patch directives
//   application/apply-patch+yaml           server-side apply: the applied configuration
//                                          (YAML or JSON) merged with strategic semantics
// The merge keys are the built-in types' patchMergeKey tags for the fields kubectl sends
// (../shared/docs/kubernetes-api-surface.md section 2.9).
// Pure functions, thread-safe; fuzzed by fuzz/api_patch_fuzzer.cc. Tested by patch_test.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "prescient/core/result.h"

namespace prescient::sim::api {

enum class PatchType { kJson, kMerge, kStrategic, kApply };

// From a Content-Type; InvalidArgument (415 for the caller) for anything else.
Result<PatchType> PatchTypeOf(std::string_view content_type);

// Parses the body: JSON for the first three, YAML (of which JSON is a subset) for apply.
// InvalidArgument names what is wrong.
Result<nlohmann::json> ParsePatchDocument(PatchType type, std::string_view body);

// `target` patched by `patch`. JSON patch errors (a missing path, a failed test) are
// InvalidArgument, which the server answers with 422 as the real one does.
Result<nlohmann::json> ApplyPatch(PatchType type, const nlohmann::json& target,
                                  const nlohmann::json& patch);

// The strategic merge patch of one value onto another (exposed for apply and tests).
nlohmann::json StrategicMerge(const nlohmann::json& target, const nlohmann::json& patch);

// Drops JSON nulls at every depth, as a real server's decoding into Go structs does
// (`rollout undo` sends "creationTimestamp": null inside the template).
nlohmann::json StripNulls(nlohmann::json value);

// YAML text to JSON (maps, sequences, scalars typed as YAML 1.2's core schema would:
// true/false, null/~, integers, floats, else strings; quoted scalars stay strings).
Result<nlohmann::json> YamlToJson(std::string_view text);

}  // namespace prescient::sim::api
