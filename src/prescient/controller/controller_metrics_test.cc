#include "prescient/controller/controller_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace prescient::controller {
namespace {

using ::testing::HasSubstr;

std::string Filled() {
  ControllerMetrics m;
  m.SetPolicy("default/web", {.target = "web",
                              .predicted_rps = 812.5,
                              .predicted_rps_upper = 950,
                              .predicted_replicas = 10,
                              .floor_replicas = 10,
                              .placeholder_replicas = 3,
                              .metrics_stale = true});
  m.SetPolicy("shop/\"odd\"\\name\n", {.target = "checkout"});
  m.ObserveForecastDuration("default/web", 0.003);
  m.ObserveForecastDuration("default/web", 2);
  m.CountError("default/web", "metrics");
  m.CountAction("default/web", "spec.minReplicas", "applied");
  m.CountRetrain("default/web");
  m.SetLeader(true);
  return m.Render();
}

TEST(ControllerMetricsTest, RendersEveryFamilyWithItsValues) {
  const std::string text = Filled();
  EXPECT_THAT(text,
              HasSubstr("prescient_predicted_rps{policy=\"default/web\",target=\"web\"} 812.5\n"));
  EXPECT_THAT(
      text, HasSubstr("prescient_predicted_replicas{policy=\"default/web\",target=\"web\"} 10\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "prescient_prediction_accuracy_percent{policy=\"default/web\",target=\"web\"} NaN\n"));
  EXPECT_THAT(text,
              HasSubstr("prescient_metrics_stale{policy=\"default/web\",target=\"web\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "prescient_forecast_duration_seconds_bucket{policy=\"default/web\",le=\"0.005\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "prescient_forecast_duration_seconds_bucket{policy=\"default/web\",le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("prescient_forecast_duration_seconds_sum{policy=\"default/web\"} 2.003\n"));
  EXPECT_THAT(
      text,
      HasSubstr("prescient_policy_errors_total{policy=\"default/web\",kind=\"metrics\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("prescient_scaling_actions_total{policy=\"default/"
                              "web\",field=\"spec.minReplicas\",result=\"applied\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("prescient_retrains_total{policy=\"default/web\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("prescient_leader 1\n"));
  EXPECT_THAT(text, HasSubstr("policy=\"shop/\\\"odd\\\"\\\\name\\n\""));
}

// Prometheus' own linter accepts the exposition (promtool from the Debian package).
TEST(ControllerMetricsTest, PromtoolAcceptsIt) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "no promtool";
  const auto file = std::filesystem::temp_directory_path() /
                    ("prescient_controller_metrics_" + std::to_string(::getpid()));
  std::ofstream(file) << Filled();
  const std::string out = file.string() + ".out";
  const int rc = std::system(
      ("/usr/bin/promtool check metrics <" + file.string() + " >" + out + " 2>&1").c_str());
  std::ifstream in(out);
  const std::string lint((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << lint;
  EXPECT_EQ(lint, "") << lint;
  std::filesystem::remove(file);
  std::filesystem::remove(out);
}

}  // namespace
}  // namespace prescient::controller
