// Rng: the one source of randomness, seeded explicitly so a simulation is reproducible.
// Draws are built from raw 64-bit Mersenne Twister output (whose sequence the C++ standard
// fixes), not from std::*_distribution (whose algorithms differ between libraries), so a
// seed gives the same run on every platform.
// Thread-compatible. Tested by random_test.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace prescient {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1), 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi]; lo when hi <= lo.
  double Uniform(double lo, double hi) { return hi <= lo ? lo : lo + (hi - lo) * Uniform(); }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Exponential with the given mean (> 0).
  double Exponential(double mean) { return -mean * std::log1p(-Uniform()); }
  // A derived seed for an independent stream (one per service, per node pool...).
  uint64_t Fork() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace prescient
