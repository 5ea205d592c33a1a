// PrometheusClient against a real Prometheus (the Debian 2.42 binary): three days of a
// minute gauge with a daily shape (and a gap) and a counter are written as OpenMetrics,
// backfilled with `promtool tsdb create-blocks-from openmetrics`, and each test starts
// Prometheus on a free loopback port over that data directory. The history ends an hour
// ago (never in the head block) and the retention is 100y so the backfill is not deleted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "prescient/prom/prometheus_client.h"
#include "prescient/testing/child_process.h"

namespace prescient::prom {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kPoints = 3 * 24 * 60;  // Three days of minutes.
constexpr int64_t kGapFrom = 2000;        // Gauge points [kGapFrom, kGapTo) are not written.
constexpr int64_t kGapTo = 2020;
constexpr double kCounterRate = 10;  // http_requests_total grows 600 a minute.
const Duration kMinute(60);

const char* const kWeb = "app_requests_per_second{service=\"web\"}";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class PrometheusIntegrationTest : public ::testing::Test {
 protected:
  // Written once: the history, its expected values and the backfilled data directory.
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::kPromtoolBinary)) return;
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("prescient_prom_" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_ / "data");
    const auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    const Timestamp last =
        Timestamp(Duration(now.time_since_epoch().count() / 60 * 60)) - Duration(3600);
    start_ = last - kMinute * (kPoints - 1);
    expected_ = new std::vector<double>(kPoints, kMissing);

    std::ostringstream om;
    char value[64];
    om << "# HELP app_requests_per_second Synthetic request rate.\n"
       << "# TYPE app_requests_per_second gauge\n";
    for (int64_t i = 0; i < kPoints; ++i) {
      if (i >= kGapFrom && i < kGapTo) continue;
      const int64_t t = (start_ + kMinute * i).time_since_epoch().count();
      const double day = static_cast<double>(t % 86400) / 86400.0;
      std::snprintf(value, sizeof(value), "%.3f",
                    100 + 50 * std::sin(2 * std::numbers::pi * day) + 3 * std::sin(0.37 * i));
      (*expected_)[i] = std::strtod(value, nullptr);
      om << kWeb << " " << value << " " << t << "\n";
    }
    // A second series of the same metric, every 5 minutes (within the lookback).
    for (int64_t i = 0; i < kPoints; i += 5) {
      om << "app_requests_per_second{service=\"api\"} 1 "
         << (start_ + kMinute * i).time_since_epoch().count() << "\n";
    }
    om << "# TYPE http_requests counter\n";
    for (int64_t i = 0; i < kPoints; ++i) {
      om << "http_requests_total{service=\"web\"} " << 60 * kCounterRate * static_cast<double>(i)
         << " " << (start_ + kMinute * i).time_since_epoch().count() << "\n";
    }
    om << "# EOF\n";
    std::ofstream(*dir_ / "history.om") << om.str();
    std::ofstream(*dir_ / "prometheus.yml") << "global: {scrape_interval: 15s}\n";

    const std::string cmd = std::string(testing::kPromtoolBinary) +
                            " tsdb create-blocks-from openmetrics " +
                            (*dir_ / "history.om").string() + " " + (*dir_ / "data").string() +
                            " >" + (*dir_ / "promtool.log").string() + " 2>&1";
    backfill_ok_ = std::system(cmd.c_str()) == 0;
  }

  static void TearDownTestSuite() {
    if (dir_ != nullptr) std::filesystem::remove_all(*dir_);
    delete dir_;
    delete expected_;
    dir_ = nullptr;
    expected_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(backfill_ok_) << "promtool failed:\n" << ReadFile(*dir_ / "promtool.log");
    Result<testing::Prometheus> p = testing::StartPrometheus(*dir_);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    url_ = p->url;
    prometheus_.emplace(std::move(p).value());
  }

  void Stop() { prometheus_.reset(); }

  static Timestamp TimeOf(int64_t i) { return start_ + kMinute * i; }
  static Timestamp Last() { return TimeOf(kPoints - 1); }
  static const std::vector<double>& Expected() { return *expected_; }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline Timestamp start_{};
  static inline std::vector<double>* expected_ = nullptr;
  static inline bool backfill_ok_ = false;
  std::string url_;
  std::optional<testing::Prometheus> prometheus_;
};

TEST_F(PrometheusIntegrationTest, ThreeDaysAtOneMinuteComeBackExactlyAcrossChunks) {
  PrometheusClient client(url_, {.max_points_per_request = 1000});
  auto series = client.QueryRange(kWeb, TimeOf(0), Last(), kMinute);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), static_cast<size_t>(kPoints));
  EXPECT_EQ(series->start(), TimeOf(0));
  EXPECT_EQ(series->step(), kMinute);
  for (int64_t i = 0; i < kPoints; ++i) {
    const double got = (*series)[static_cast<size_t>(i)];
    if (i >= kGapFrom && i < kGapTo) {
      // The last sample stays visible for the 5-minute lookback, then the gap shows.
      if (i >= kGapFrom + 6) {
        EXPECT_TRUE(IsMissing(got)) << "point " << i << " = " << got;
      }
      continue;
    }
    ASSERT_EQ(got, Expected()[static_cast<size_t>(i)]) << "point " << i;
  }

  // The same range in one request gives the same series.
  PrometheusClient whole(url_);
  auto once = whole.QueryRange(kWeb, TimeOf(0), Last(), kMinute);
  ASSERT_TRUE(once.ok()) << once.status().ToString();
  ASSERT_EQ(once->size(), series->size());
  for (size_t i = 0; i < once->size(); ++i) {
    EXPECT_TRUE((*once)[i] == (*series)[i] || (IsMissing((*once)[i]) && IsMissing((*series)[i])))
        << "point " << i;
  }

  // Past the end of the data: gaps, not an error.
  auto beyond = client.QueryRange(kWeb, Last() - kMinute * 5, Last() + kMinute * 10, kMinute);
  ASSERT_TRUE(beyond.ok()) << beyond.status().ToString();
  ASSERT_EQ(beyond->size(), 16u);
  EXPECT_EQ((*beyond)[5], Expected().back());
  EXPECT_TRUE(IsMissing((*beyond)[15]));

  auto instant = client.QueryInstant(kWeb, TimeOf(100));
  ASSERT_TRUE(instant.ok()) << instant.status().ToString();
  EXPECT_EQ(*instant, Expected()[100]);
}

TEST_F(PrometheusIntegrationTest, RateOfACounter) {
  PrometheusClient client(url_);
  const std::string query = "rate(http_requests_total{service=\"web\"}[5m])";
  auto series = client.QueryRange(query, TimeOf(60), Last(), Duration(300));
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_GT(series->size(), 800u);
  EXPECT_EQ(series->CountMissing(), 0u);
  for (double v : series->values()) ASSERT_NEAR(v, kCounterRate, 1e-9);
  auto instant = client.QueryInstant("sum(" + query + ")", TimeOf(3000));
  ASSERT_TRUE(instant.ok()) << instant.status().ToString();
  EXPECT_NEAR(*instant, kCounterRate, 1e-9);
  auto scalar = client.QueryInstant("scalar(sum(" + query + ")) * 2", TimeOf(3000));
  ASSERT_TRUE(scalar.ok()) << scalar.status().ToString();
  EXPECT_NEAR(*scalar, 2 * kCounterRate, 1e-9);
}

TEST_F(PrometheusIntegrationTest, BadPromQLIsInvalidArgumentNamingTheQuery) {
  PrometheusClient client(url_);
  const std::string bad = "rate(app_requests_per_second[5m]";
  auto range = client.QueryRange(bad, TimeOf(0), Last(), kMinute);
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(range.status().message(), HasSubstr("prometheus: query \"" + bad + "\": bad_data: "));
  EXPECT_THAT(range.status().message(), HasSubstr("parse error"));
  auto instant = client.QueryInstant(bad, TimeOf(0));
  EXPECT_EQ(instant.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(instant.status().message(), HasSubstr(bad));
}

TEST_F(PrometheusIntegrationTest, SeveralSeriesAreRejectedNoSeriesIsAllGaps) {
  PrometheusClient client(url_);
  auto two = client.QueryRange("app_requests_per_second", TimeOf(0), TimeOf(600), kMinute);
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(two.status().message(), HasSubstr("\"app_requests_per_second\""));
  EXPECT_THAT(two.status().message(), HasSubstr("2 series"));
  EXPECT_EQ(client.QueryInstant("app_requests_per_second", TimeOf(10)).status().code(),
            StatusCode::kInvalidArgument);

  auto none = client.QueryRange("no_such_metric", TimeOf(0), TimeOf(10), kMinute);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->size(), 11u);
  EXPECT_EQ(none->CountMissing(), 11u);
  auto nothing = client.QueryInstant("no_such_metric", TimeOf(10));
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_TRUE(IsMissing(*nothing));
}

TEST_F(PrometheusIntegrationTest, LongQueriesArePosted) {
  PrometheusClient client(url_, {.post_above_bytes = 16});
  const std::string query = std::string(kWeb) + std::string(4000, ' ');
  auto series = client.QueryRange(query, TimeOf(10), TimeOf(20), kMinute);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 11u);
  EXPECT_EQ((*series)[0], Expected()[10]);
  auto instant = client.QueryInstant(query, TimeOf(20));
  ASSERT_TRUE(instant.ok()) << instant.status().ToString();
  EXPECT_EQ(*instant, Expected()[20]);
}

TEST_F(PrometheusIntegrationTest, StoppedPrometheusIsUnavailable) {
  PrometheusClient client(url_, {.timeout = Duration(5)});
  ASSERT_TRUE(client.QueryInstant(kWeb, TimeOf(0)).ok());
  Stop();
  auto range = client.QueryRange(kWeb, TimeOf(0), TimeOf(600), kMinute);
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.status().code(), StatusCode::kUnavailable) << range.status().ToString();
  EXPECT_TRUE(range.status().IsRetryable());
  EXPECT_THAT(range.status().message(), HasSubstr(kWeb));
  EXPECT_EQ(client.QueryInstant(kWeb, TimeOf(0)).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace prescient::prom
