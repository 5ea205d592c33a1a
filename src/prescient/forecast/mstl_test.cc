#include "prescient/forecast/mstl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace prescient::forecast {
namespace {

using ::testing::HasSubstr;

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr AdjustedMethod kAllMethods[] = {AdjustedMethod::kEts, AdjustedMethod::kDampedHolt,
                                          AdjustedMethod::kTheta};
const std::vector<int> kHourly = {24, 168};

double Daily(int t) { return 4 * std::sin(kTwoPi * t / 24); }
double Weekly(int t) { return 6 * std::cos(kTwoPi * t / 168) + 2 * std::sin(kTwoPi * t / 84); }

MstlModel ModelWith(AdjustedMethod method) { return MstlModel({.adjusted_method = method}); }

TEST(MstlModelTest, ForecastsPureTwoSeasonSignalNearlyExactly) {
  const int n = 168 * 5;
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) y[t] = 100 + Daily(t) + Weekly(t);
  for (AdjustedMethod method : kAllMethods) {
    Result<ModelForecast> f = ModelWith(method).Forecast(y, kHourly, 168);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_EQ(f->mean.size(), 168u);
    for (int h = 0; h < 168; ++h) {
      EXPECT_NEAR(f->mean[h], 100 + Daily(n + h) + Weekly(n + h), 0.1)
          << "method " << static_cast<int>(method) << " h " << h;
    }
    EXPECT_THAT(f->description, HasSubstr("MSTL(24,168)+"));
  }
}

TEST(MstlModelTest, ExtrapolatesLinearTrendPlusSeason) {
  // STL's degree-0 subseries smoothing lets a little of a steep trend into the last weekly
  // cycle (R's mstl does the same), so the slope is modest and the history six weeks long.
  const int n = 168 * 6;
  const double slope = 0.05;
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) y[t] = 20 + slope * t + Daily(t) + Weekly(t);
  for (AdjustedMethod method : kAllMethods) {
    Result<ModelForecast> f = ModelWith(method).Forecast(y, kHourly, 48);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    auto level = [&](int h) { return f->mean[h - 1] - Daily(n + h - 1) - Weekly(n + h - 1); };
    EXPECT_NEAR(level(1), 20 + slope * n, 1.0) << static_cast<int>(method);
    // Theta extrapolates half the slope, damped Holt damps it, ETS(A,A,N) keeps it (plus
    // the small bias of the last weekly cycle).
    const double rise = level(48) - level(1);
    EXPECT_GT(rise, 0.4 * slope * 47) << static_cast<int>(method);
    EXPECT_LT(rise, 1.2 * slope * 47) << static_cast<int>(method);
  }
}

TEST(MstlModelTest, ShortHistoryDropsLongestPeriodWithNote) {
  const int n = 200;  // Fewer than two weeks.
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) y[t] = 10 + Daily(t);
  Result<ModelForecast> f = MstlModel().Forecast(y, kHourly, 24);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->notes.size(), 1u);
  EXPECT_THAT(f->notes[0], HasSubstr("dropped period 168"));
  EXPECT_THAT(f->description, HasSubstr("MSTL(24)+"));
  for (int h = 0; h < 24; ++h) EXPECT_NEAR(f->mean[h], 10 + Daily(n + h), 0.05);
}

TEST(MstlModelTest, ConstantAndTinySeriesDoNotFail) {
  for (AdjustedMethod method : kAllMethods) {
    for (size_t n : {1u, 2u, 3u, 4u, 30u, 400u}) {
      for (double level : {0.0, 5.0}) {
        const std::vector<double> y(n, level);
        Result<ModelForecast> f = ModelWith(method).Forecast(y, kHourly, 10);
        ASSERT_TRUE(f.ok()) << n << ": " << f.status().ToString();
        ASSERT_EQ(f->mean.size(), 10u);
        for (double v : f->mean) EXPECT_NEAR(v, level, 1e-6) << n;
        for (double s : f->sd) EXPECT_TRUE(std::isfinite(s)) << n;
      }
    }
  }
}

TEST(MstlModelTest, RejectsBrokenInvariants) {
  const std::vector<double> y(100, 1.0);
  EXPECT_FALSE(MstlModel().Forecast(y, kHourly, 0).ok());
  EXPECT_FALSE(MstlModel().Forecast({}, kHourly, 5).ok());
  const std::vector<int> bad = {1};
  EXPECT_EQ(MstlModel().Forecast(y, bad, 5).status().code(), StatusCode::kInvalidArgument);
}

TEST(MstlModelTest, BoxCoxHandlesMultiplicativeSeason) {
  const int n = 24 * 10;
  std::vector<double> y(n);
  auto truth = [](int t) {
    return 100 * std::exp(0.002 * t) * (1 + 0.5 * std::sin(kTwoPi * t / 24));
  };
  for (int t = 0; t < n; ++t) y[t] = truth(t);
  const std::vector<int> daily = {24};
  MstlModel model({.decomposition = {.box_cox_lambda = 0.0}});
  Result<ModelForecast> f = model.Forecast(y, daily, 24);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_TRUE(f->sd.empty());  // Not defined on the original scale.
  for (int h = 0; h < 24; ++h) EXPECT_NEAR(f->mean[h] / truth(n + h), 1, 0.03) << h;

  y[3] = -1;  // Box-Cox impossible: skipped with a note.
  f = model.Forecast(y, daily, 24);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_THAT(f->notes[0], HasSubstr("Box-Cox skipped"));
}

// Differential: on trending two-season data with noise MSTL beats seasonal naive.
TEST(MstlModelTest, BeatsSeasonalNaiveOnTrendingTwoSeasonData) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 1.0);
  const int n = 168 * 4;
  const int horizon = 48;
  std::vector<double> y(n + horizon);
  for (int t = 0; t < n + horizon; ++t) y[t] = 50 + 0.05 * t + Daily(t) + Weekly(t) + noise(rng);
  const std::span<const double> history(y.data(), n);
  for (AdjustedMethod method : kAllMethods) {
    Result<ModelForecast> f = ModelWith(method).Forecast(history, kHourly, horizon);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    double mstl_mae = 0, snaive_mae = 0;
    for (int h = 0; h < horizon; ++h) {
      mstl_mae += std::abs(y[n + h] - f->mean[h]) / horizon;
      snaive_mae += std::abs(y[n + h] - y[n + h - 168]) / horizon;
    }
    EXPECT_LT(mstl_mae, 0.8 * snaive_mae) << static_cast<int>(method);
    ASSERT_EQ(f->sd.size(), static_cast<size_t>(horizon));
    EXPECT_GT(f->sd[0], 0.5);
    EXPECT_LT(f->sd[0], 2.0);
    EXPECT_GE(f->sd[horizon - 1], f->sd[0]);
  }
}

TEST(MstlThetaTest, LinearTrendGetsHalfTheSlope) {
  std::vector<double> y(100);
  for (int t = 0; t < 100; ++t) y[t] = 3 + 2.0 * t;
  Result<NonSeasonalForecast> f = ThetaForecast(y, 5);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // alpha -> 1, so yhat_{n+h} ~ y_n + (b / 2) (h - 1 + 1) = y_n + h.
  for (int h = 1; h <= 5; ++h) EXPECT_NEAR(f->mean[h - 1], y.back() + h, 0.01) << h;
  EXPECT_FALSE(ThetaForecast({}, 5).ok());
}

TEST(MstlDampedHoltTest, FollowsTrendWithDampingWithoutPeriods) {
  std::vector<double> y(200);
  for (int t = 0; t < 200; ++t) y[t] = 3 + 2.0 * t + ((t * 37) % 11) / 10.0;
  Result<ModelForecast> f = ModelWith(AdjustedMethod::kDampedHolt).Forecast(y, {}, 20);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->description, "MSTL()+ETS(A,Ad,N)");
  EXPECT_NEAR(f->mean[0], 3 + 2.0 * 200 + 0.5, 1.0);
  for (int h = 1; h < 20; ++h) {
    const double step = f->mean[h] - f->mean[h - 1];
    EXPECT_GT(step, 0) << h;
    EXPECT_LE(step, 2.05) << h;
  }
}

TEST(MstlModelTest, EtsFallsBackToThetaOnTooFewPoints) {
  const std::vector<double> y = {1.0, 2.0, 3.0};
  Result<ModelForecast> f = ModelWith(AdjustedMethod::kDampedHolt).Forecast(y, kHourly, 2);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_THAT(f->notes.back(), HasSubstr("used Theta"));
  EXPECT_EQ(f->description, "MSTL()+Theta");
}

}  // namespace
}  // namespace prescient::forecast
