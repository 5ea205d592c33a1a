#include "prescient/forecast/forecaster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "prescient/forecast/missing.h"
#include "prescient/forecast/registry.h"

namespace prescient::forecast {
namespace {

using ::testing::HasSubstr;

std::vector<double> Seasonal(int n) {
  std::vector<double> y(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t)
    y[static_cast<size_t>(t)] =
        100 + 30 * std::sin(2 * M_PI * t / 24) + 10 * std::sin(2 * M_PI * t / 168);
  return y;
}

TEST(ForecasterTest, EveryModelForecastsAPureSeasonalSignalWithOrderedBands) {
  const std::vector<double> y = Seasonal(24 * 7 * 4 + 48);
  const std::vector<double> history(y.begin(), y.end() - 48);
  for (std::string_view name : ModelNames()) {
    ForecastOptions o;
    o.model = std::string(name);
    o.periods = {24, 168};
    o.horizon = 48;
    auto f = ForecastValues(history, o);
    ASSERT_TRUE(f.ok()) << name << ": " << f.status().ToString();
    ASSERT_EQ(f->mean.size(), 48u);
    ASSERT_EQ(f->bands.size(), 2u);
    EXPECT_EQ(f->bands[0].level, 80);
    for (size_t h = 0; h < 48; ++h) {
      EXPECT_LE(f->bands[1].lower[h], f->bands[0].lower[h] + 1e-9) << name;
      EXPECT_LE(f->bands[0].lower[h], f->mean[h] + 1e-9) << name;
      EXPECT_LE(f->mean[h], f->bands[0].upper[h] + 1e-9) << name;
      EXPECT_LE(f->bands[0].upper[h], f->bands[1].upper[h] + 1e-9) << name;
    }
  }
}

TEST(ForecasterTest, MissingValuesAreFilledAndSaid) {
  std::vector<double> y = Seasonal(24 * 7 * 3 + 24);
  const std::vector<double> future(y.end() - 24, y.end());
  y.resize(y.size() - 24);
  for (size_t i = 100; i < 110; ++i) y[i] = NAN;  // A gap at...
  y[0] = NAN;                                     // ...the start,
  y[y.size() - 1] = NAN;                          // ...and the end.
  ForecastOptions o;
  o.model = "snaive-long";
  o.periods = {24, 168};
  o.horizon = 24;
  auto f = ForecastValues(y, o);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_THAT(f->notes.front(), HasSubstr("filled 11 missing points"));
  for (size_t h = 0; h < 23; ++h) EXPECT_NEAR(f->mean[h], future[h], 1.0);
}

TEST(ForecasterTest, SeasonalInterpolationKeepsThePeakInAGap) {
  std::vector<double> y = Seasonal(24 * 5);
  const double peak = y[24 * 3 + 6];
  for (size_t i = 24 * 3 + 2; i < 24 * 3 + 10; ++i) y[i] = NAN;
  auto filled = FillMissing(y, 24);
  ASSERT_TRUE(filled.ok());
  EXPECT_NEAR(filled->values[24 * 3 + 6], peak, 1.0);
  EXPECT_EQ(filled->filled, 8u);
}

TEST(ForecasterTest, ShortHistoryDropsSeasonsAndSaysSo) {
  const std::vector<double> y = Seasonal(100);
  ForecastOptions o;
  o.periods = {24, 168};
  o.horizon = 12;
  auto f = ForecastValues(y, o);
  ASSERT_TRUE(f.ok());
  bool said = false;
  for (const std::string& n : f->notes) said |= n.find("season 168 ignored") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(ForecasterTest, BadOptionsAreNamed) {
  const std::vector<double> y = Seasonal(100);
  struct Case {
    ForecastOptions options;
    const char* message;
  };
  std::vector<Case> cases;
  cases.push_back({ForecastOptions{.horizon = 0}, "horizon must be at least 1"});
  cases.push_back({ForecastOptions{.horizon = 1001}, "more than 10 times the history"});
  cases.push_back({ForecastOptions{.model = "lstm", .horizon = 5}, "unknown model 'lstm'"});
  cases.push_back({ForecastOptions{.periods = {1}, .horizon = 5}, "season must be at least 2"});
  cases.push_back({ForecastOptions{.horizon = 5, .levels = {100}}, "level must be in (0, 100)"});
  for (const Case& c : cases) {
    auto f = ForecastValues(y, c.options);
    ASSERT_FALSE(f.ok()) << c.message;
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(f.status().message(), HasSubstr(c.message));
  }
  const std::vector<double> missing(10, NAN);
  EXPECT_THAT(ForecastValues(missing, ForecastOptions{.horizon = 2}).status().message(),
              HasSubstr("all values are missing"));
}

TEST(ForecasterTest, TinyHistoryUsesModelErrorsForIntervals) {
  const std::vector<double> y = {10, 12};
  auto f = ForecastValues(y, ForecastOptions{.model = "naive", .horizon = 3});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->interval_method, "gaussian(model sd)");
  EXPECT_GT(f->bands[1].upper[2], f->bands[1].upper[0]);
}

}  // namespace
}  // namespace prescient::forecast

namespace prescient::forecast {
namespace {

// Degenerate histories that broke forecasters elsewhere: every model must give finite
// forecasts and bands, never a crash (found by a sweep over the CLI; kept as a table).
TEST(ForecasterTest, EveryModelSurvivesDegenerateHistories) {
  std::vector<std::pair<const char*, std::vector<double>>> cases;
  cases.push_back({"constant", std::vector<double>(500, 5.0)});
  cases.push_back({"zeros", std::vector<double>(400, 0.0)});
  cases.push_back({"three points", {1, 2, 3}});
  std::vector<double> huge(400), tiny(400), alternating(400), negative(400), spike(401, 1.0);
  for (size_t i = 0; i < 400; ++i) {
    huge[i] = 1e300 * (1 + 0.1 * std::sin(static_cast<double>(i)));
    tiny[i] = 1e-300 * (1 + 0.1 * std::sin(static_cast<double>(i)));
    alternating[i] = static_cast<double>(i % 2) * 1000;
    negative[i] = -100 + 10 * std::sin(static_cast<double>(i) / 3);
  }
  spike[200] = 1e9;
  cases.push_back({"huge", huge});
  cases.push_back({"tiny", tiny});
  cases.push_back({"alternating", alternating});
  cases.push_back({"negative", negative});
  cases.push_back({"spike", spike});
  for (const auto& [label, y] : cases) {
    for (std::string_view name : ModelNames()) {
      auto f = ForecastValues(
          y, ForecastOptions{.model = std::string(name), .periods = {24, 168}, .horizon = 30});
      ASSERT_TRUE(f.ok()) << label << " " << name << ": " << f.status().ToString();
      for (size_t h = 0; h < f->mean.size(); ++h) {
        ASSERT_TRUE(std::isfinite(f->mean[h])) << label << " " << name;
        for (const Band& b : f->bands) {
          ASSERT_TRUE(std::isfinite(b.lower[h]) && std::isfinite(b.upper[h]))
              << label << " " << name;
          ASSERT_LE(b.lower[h], b.upper[h]) << label << " " << name;
        }
      }
    }
  }
}

}  // namespace
}  // namespace prescient::forecast
