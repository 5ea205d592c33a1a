#include "prescient/controller/guardrails.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace prescient::controller {
namespace {

using ::testing::HasSubstr;

const Timestamp kNow = Timestamp(Duration(1'800'000'000));

GuardrailLimits Limits() {
  return {.min_replicas = 2,
          .max_replicas = 50,
          .max_step_up = 10,
          .max_step_down = 2,
          .scale_down_cooldown = Duration(600)};
}

TEST(GuardrailsTest, AProposalInsideEveryLimitPassesUnchanged) {
  const GuardrailDecision d = ApplyGuardrails(Limits(), {.current = 5, .proposed = 9, .now = kNow});
  EXPECT_EQ(d.to, 9);
  EXPECT_FALSE(d.clipped);
  EXPECT_EQ(d.reason, "");
  EXPECT_TRUE(d.changes(5));
  EXPECT_FALSE(ApplyGuardrails(Limits(), {.current = 5, .proposed = 5, .now = kNow}).changes(5));
}

TEST(GuardrailsTest, NeverBelowTheMinimumNorAboveTheMaximum) {
  GuardrailDecision d = ApplyGuardrails(Limits(), {.current = 2, .proposed = 0, .now = kNow});
  EXPECT_EQ(d.to, 2);
  EXPECT_THAT(d.reason, HasSubstr("minReplicas 2"));
  d = ApplyGuardrails(Limits(), {.current = 45, .proposed = 80, .now = kNow});
  EXPECT_EQ(d.to, 50);
  EXPECT_THAT(d.reason, HasSubstr("maxReplicas 50"));
  // A cluster below the policy's minimum is raised to it even with stale metrics.
  d = ApplyGuardrails(Limits(), {.current = 1, .proposed = 1, .metrics_fresh = false, .now = kNow});
  EXPECT_EQ(d.to, 2);
}

TEST(GuardrailsTest, StepsPerChangeAreLimitedBothWays) {
  GuardrailDecision d = ApplyGuardrails(Limits(), {.current = 5, .proposed = 40, .now = kNow});
  EXPECT_EQ(d.to, 15);
  EXPECT_TRUE(d.clipped);
  EXPECT_THAT(d.reason, HasSubstr("maxScaleUpStep 10"));
  d = ApplyGuardrails(Limits(), {.current = 20, .proposed = 3, .now = kNow});
  EXPECT_EQ(d.to, 18);
  EXPECT_THAT(d.reason, HasSubstr("maxScaleDownStep 2"));
  GuardrailLimits unlimited = Limits();
  unlimited.max_step_up = 0;
  EXPECT_EQ(ApplyGuardrails(unlimited, {.current = 5, .proposed = 40, .now = kNow}).to, 40);
  GuardrailLimits never_down = Limits();
  never_down.max_step_down = 0;
  d = ApplyGuardrails(never_down, {.current = 20, .proposed = 3, .now = kNow});
  EXPECT_EQ(d.to, 20);
  EXPECT_THAT(d.reason, HasSubstr("never lowers"));
}

TEST(GuardrailsTest, StaleMetricsNeverLowerButMayRaise) {
  GuardrailDecision d = ApplyGuardrails(
      Limits(), {.current = 12, .proposed = 4, .metrics_fresh = false, .now = kNow});
  EXPECT_EQ(d.to, 12);
  EXPECT_FALSE(d.changes(12));
  EXPECT_THAT(d.reason, HasSubstr("fail static"));
  d = ApplyGuardrails(Limits(),
                      {.current = 12, .proposed = 14, .metrics_fresh = false, .now = kNow});
  EXPECT_EQ(d.to, 14);
}

TEST(GuardrailsTest, NoLoweringWithinTheCooldownOfTheLastChange) {
  GuardrailDecision d = ApplyGuardrails(
      Limits(), {.current = 12, .proposed = 11, .last_change = kNow - Duration(300), .now = kNow});
  EXPECT_EQ(d.to, 12);
  EXPECT_THAT(d.reason, HasSubstr("scaleDownCooldown 10m"));
  d = ApplyGuardrails(
      Limits(), {.current = 12, .proposed = 11, .last_change = kNow - Duration(600), .now = kNow});
  EXPECT_EQ(d.to, 11);
  // Raising is never held back by the cooldown.
  d = ApplyGuardrails(
      Limits(), {.current = 12, .proposed = 13, .last_change = kNow - Duration(10), .now = kNow});
  EXPECT_EQ(d.to, 13);
}

}  // namespace
}  // namespace prescient::controller
