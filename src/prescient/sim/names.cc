// Ports pkg/controller/controller_utils.go ComputeHash and
// staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go SafeEncodeString. The API
// server's generateName suffix is a random rand.String(5); here it is an affine
// bijection of the uid modulo 27^5 written in base 27, so names look random, never
// collide in a run of fewer than 14 million pods, and cost no random draw (a draw would
// shift every later start-up delay and change the simulation).
#include "prescient/sim/names.h"

#include <string>

namespace prescient::sim {
namespace {

constexpr uint32_t kFnvOffset = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

uint32_t Fnv32a(uint32_t h, std::string_view bytes) {
  for (char c : bytes) h = (h ^ static_cast<uint8_t>(c)) * kFnvPrime;
  return h;
}

constexpr int64_t kSuffixSpace = 27 * 27 * 27 * 27 * 27;  // 14,348,907
constexpr int64_t kSuffixMultiplier = 7'368'787;          // Coprime with 27: a bijection.
constexpr int64_t kSuffixOffset = 5'049'001;

}  // namespace

std::string SafeEncodeString(std::string_view s) {
  std::string out(s.size(), ' ');
  for (size_t i = 0; i < s.size(); ++i) {
    out[i] = kNameAlphabet[static_cast<uint8_t>(s[i]) % kNameAlphabet.size()];
  }
  return out;
}

std::string PodTemplateHash(std::string_view template_key,
                            std::optional<uint32_t> collision_count) {
  uint32_t h = Fnv32a(kFnvOffset, template_key);
  if (collision_count.has_value()) {
    char bytes[8] = {};  // binary.LittleEndian.PutUint32 into make([]byte, 8).
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((*collision_count >> (8 * i)) & 0xff);
    h = Fnv32a(h, std::string_view(bytes, sizeof bytes));
  }
  return SafeEncodeString(std::to_string(h));
}

std::string PodNameSuffix(int64_t uid) {
  int64_t x =
      ((uid % kSuffixSpace + kSuffixSpace) % kSuffixSpace * kSuffixMultiplier + kSuffixOffset) %
      kSuffixSpace;
  std::string s(5, ' ');
  for (char& c : s) {
    c = kNameAlphabet[static_cast<size_t>(x % 27)];
    x /= 27;
  }
  return s;
}

}  // namespace prescient::sim
