#include "prescient/core/random.h"

#include <gtest/gtest.h>

namespace prescient {
namespace {

TEST(RngTest, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    double x = a.Uniform();
    EXPECT_EQ(x, b.Uniform());
    differs |= x != c.Uniform();
  }
  EXPECT_TRUE(differs);
}

TEST(RngTest, UniformStaysInRange) {
  Rng rng(7);
  double lo = 1e9, hi = -1e9, sum = 0;
  for (int i = 0; i < 10000; ++i) {
    double x = rng.Uniform(30, 120);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum += x;
  }
  EXPECT_GE(lo, 30);
  EXPECT_LE(hi, 120);
  EXPECT_NEAR(sum / 10000, 75, 1.5);
  EXPECT_EQ(rng.Uniform(5, 5), 5);
}

TEST(RngTest, FirstDrawIsPinned) {
  // std::mt19937_64's 10000th output is fixed by the standard; our first Uniform() is
  // fixed by it too, so a seed means the same run everywhere.
  std::mt19937_64 reference(5489u);
  Rng rng(5489u);
  EXPECT_EQ(rng.Uniform(), static_cast<double>(reference() >> 11) * 0x1.0p-53);
}

}  // namespace
}  // namespace prescient
