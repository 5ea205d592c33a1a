#include "prescient/core/quantity.h"

#include <gtest/gtest.h>

#include <string>

namespace prescient {
namespace {

TEST(QuantityTest, CpuMillicores) {
  EXPECT_EQ(*ParseCpuQuantity("1000m"), 1000);
  EXPECT_EQ(*ParseCpuQuantity("0.5"), 500);
  EXPECT_EQ(*ParseCpuQuantity("2"), 2000);
  EXPECT_EQ(ParseCpuQuantity("2Gi").status().message(),
            "'2Gi' is not a CPU quantity (e.g. 500m, 1, 1.5)");
  EXPECT_EQ(ParseCpuQuantity("0.1m").status().message(), "'0.1m' must be between 1m and 1000");
}

TEST(QuantityTest, MemoryBytes) {
  EXPECT_EQ(*ParseMemoryQuantity("512Mi"), int64_t{512} << 20);
  EXPECT_EQ(*ParseMemoryQuantity("1e9"), 1000000000);
  EXPECT_EQ(*ParseMemoryQuantity("1.5Gi"), int64_t{3} << 29);
  EXPECT_EQ(ParseMemoryQuantity("2GB").status().message(),
            "'2GB' is not a memory quantity (e.g. 512Mi, 2Gi, 1G)");
  EXPECT_EQ(ParseMemoryQuantity("9e20").status().message(), "'9e20' is out of range");
}

TEST(QuantityTest, Seconds) {
  EXPECT_DOUBLE_EQ(*ParseSecondsQuantity("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseSecondsQuantity("1m"), 60);
  EXPECT_FALSE(ParseSecondsQuantity("-5ms").ok());
}

}  // namespace
}  // namespace prescient
