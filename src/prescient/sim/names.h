// Generated object names as Kubernetes makes them: the pod-template-hash that names a
// Deployment's ReplicaSets and the 5-character suffix of the pods a ReplicaSet creates.
// Pure functions. Tested by cluster_test.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prescient::sim {

// The alphabet of upstream's rand.String and rand.SafeEncodeString (no vowels, no
// look-alikes: no bad words, nothing to misread).
inline constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

// apimachinery's rand.SafeEncodeString: each byte c becomes kNameAlphabet[c % 27].
std::string SafeEncodeString(std::string_view s);

// controller.ComputeHash over an opaque key standing for the pod template (the API passes
// a canonical JSON of it): fnv32a of the key, then of the collision count's 8 little-endian
// bytes if there is one, printed in decimal and safe-encoded.
std::string PodTemplateHash(std::string_view template_key,
                            std::optional<uint32_t> collision_count = std::nullopt);

// The random-looking 5 characters after "<replicaset>-" in a pod's name, a function of
// the pod's uid (no draw from the cluster's Rng): distinct for uids below 27^5.
std::string PodNameSuffix(int64_t uid);

}  // namespace prescient::sim
