#include "prescient/core/status.h"

#include <gtest/gtest.h>

#include "prescient/core/result.h"

namespace prescient {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  PRESCIENT_ASSIGN_OR_RETURN(int h, Half(x));
  PRESCIENT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  PRESCIENT_RETURN_IF_ERROR(Half(x).status());
  return OkStatus();
}

TEST(StatusTest, ContextKeepsCode) {
  Status s = UnavailableError("connection refused").WithContext("query rate");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "query rate: connection refused");
  EXPECT_EQ(s.ToString(), "UNAVAILABLE: query rate: connection refused");
  EXPECT_TRUE(s.IsRetryable());
  EXPECT_FALSE(InvalidArgumentError("x").IsRetryable());
  EXPECT_TRUE(OkStatus().WithContext("ctx").ok());
}

TEST(StatusTest, ResultMacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd: 3");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

}  // namespace
}  // namespace prescient
