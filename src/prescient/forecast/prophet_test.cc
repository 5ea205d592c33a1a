#include "prescient/forecast/prophet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace prescient::forecast {
namespace {

using ::testing::HasSubstr;

constexpr double kTwoPi = 2 * std::numbers::pi;

std::vector<double> Make(int n, auto f) {
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) y[i] = f(i);
  return y;
}

double MaxAbsError(const std::vector<double>& forecast, int64_t from, auto truth) {
  double worst = 0;
  for (size_t h = 0; h < forecast.size(); ++h) {
    worst = std::max(worst, std::abs(forecast[h] - truth(from + static_cast<int64_t>(h))));
  }
  return worst;
}

double Daily(int64_t i) {
  return 3 * std::sin(kTwoPi * i / 24) + 1.5 * std::cos(kTwoPi * 3 * i / 24);
}
double Weekly(int64_t i) {
  return 4 * std::sin(kTwoPi * i / 168) - 2 * std::cos(kTwoPi * 2 * i / 168);
}

TEST(ProphetTest, SumOfSinusoidsIsForecastAlmostExactly) {
  const auto truth = [](int64_t i) { return 50 + Daily(i) + Weekly(i); };
  const std::vector<double> y = Make(960, truth);
  const std::vector<int> periods = {24, 168};
  ProphetModel model;
  Result<ModelForecast> f = model.Forecast(y, periods, 48);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->mean.size(), 48u);
  EXPECT_LT(MaxAbsError(f->mean, 960, truth), 1e-3);
  EXPECT_EQ(f->description, "Prophet(additive, 25 changepoints, seasonal 24x10+168x3)");
  EXPECT_TRUE(f->notes.empty());
}

TEST(ProphetTest, LinearTrendExtrapolates) {
  const auto truth = [](int64_t i) { return 5 + 0.3 * static_cast<double>(i); };
  const std::vector<double> y = Make(200, truth);
  Result<ProphetFit> fit = FitProphet(y, {}, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->trend_rate, 0.3, 1e-4);
  EXPECT_NEAR(fit->trend_offset, 5, 1e-2);
  for (double d : fit->deltas) EXPECT_NEAR(d, 0, 1e-4);
  EXPECT_LT(MaxAbsError(ProphetPredict(*fit, 200, 100), 200, truth), 0.05);
}

TEST(ProphetTest, SlopeChangeIsFoundAtTheNearestChangepoint) {
  constexpr int kBreak = 240;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 0.5);
  const auto trend = [](int64_t i) {
    return i < kBreak ? 10 + 0.5 * i : 10 + 0.5 * kBreak - 0.25 * (i - kBreak);
  };
  const std::vector<double> y = Make(500, [&](int i) { return trend(i) + noise(rng); });
  Result<ProphetFit> fit = FitProphet(y, {}, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ASSERT_EQ(fit->changepoints.size(), 25u);

  size_t nearest = 0;
  size_t largest = 0;
  for (size_t j = 0; j < fit->changepoints.size(); ++j) {
    if (std::abs(fit->changepoints[j] - kBreak) < std::abs(fit->changepoints[nearest] - kBreak)) {
      nearest = j;
    }
    if (std::abs(fit->deltas[j]) > std::abs(fit->deltas[largest])) largest = j;
  }
  EXPECT_EQ(largest, nearest) << "changepoint " << fit->changepoints[largest];
  EXPECT_NEAR(fit->deltas[largest], -0.75, 0.1);
  // The forecast follows the new slope.
  const std::vector<double> f = ProphetPredict(*fit, 500, 50);
  EXPECT_NEAR((f.back() - f.front()) / 49, -0.25, 0.01);
  EXPECT_NEAR(f.front(), trend(500), 1.5);
}

TEST(ProphetTest, ChangepointsArePlacedAsProphetPlacesThem) {
  const std::vector<double> y = Make(100, [](int i) { return static_cast<double>(i % 7); });
  Result<ProphetFit> fit = FitProphet(y, {}, {});
  ASSERT_TRUE(fit.ok());
  // numpy: linspace(0, 79, 26).round()[1:]
  const std::vector<int64_t> expected = {3,  6,  9,  13, 16, 19, 22, 25, 28, 32, 35, 38, 41,
                                         44, 47, 51, 54, 57, 60, 63, 66, 70, 73, 76, 79};
  EXPECT_EQ(fit->changepoints, expected);

  ProphetOptions few;
  few.n_changepoints = 25;
  Result<ProphetFit> short_fit = FitProphet(Make(10, [](int i) { return i; }), {}, few);
  ASSERT_TRUE(short_fit.ok());
  EXPECT_EQ(short_fit->changepoints.size(), 7u);  // floor(10 * 0.8) - 1
  EXPECT_THAT(short_fit->notes.at(0), HasSubstr("7 changepoints instead of 25"));
}

TEST(ProphetTest, RecurringEventIsForecastAtItsFutureOccurrence) {
  const std::vector<double> shape = {10, 20, 30, 20, 10};
  ProphetEvent event{.name = "batch", .starts = {}, .length_steps = 5};
  for (int64_t s = 50; s < 800; s += 100) event.starts.push_back(s);  // 750 is in the future.
  const auto truth = [&](int64_t i) {
    double v = 100 + Daily(i);
    for (int64_t s : event.starts) {
      if (i >= s && i < s + 5) v += shape[i - s];
    }
    return v;
  };
  const std::vector<double> y = Make(720, truth);
  const std::vector<int> periods = {24};
  ProphetOptions options;
  options.events = {event};
  Result<ModelForecast> f = ProphetModel(options).Forecast(y, periods, 48);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_LT(MaxAbsError(f->mean, 720, truth), 0.5);
  EXPECT_NEAR(f->mean[750 - 720 + 2], truth(752), 0.5);

  Result<ProphetFit> fit = FitProphet(y, periods, options);
  ASSERT_TRUE(fit.ok());
  ASSERT_EQ(fit->events.size(), 1u);
  for (size_t o = 0; o < shape.size(); ++o) EXPECT_NEAR(fit->events[0].effect[o], shape[o], 0.5);

  // Without the event the peak is not forecast.
  Result<ModelForecast> plain = ProphetModel().Forecast(y, periods, 48);
  ASSERT_TRUE(plain.ok());
  EXPECT_LT(plain->mean[32], truth(752) - 20);
}

TEST(ProphetTest, EventThatNeverOccurredHasNoEffect) {
  ProphetOptions options;
  options.events = {{.name = "launch", .starts = {500}, .length_steps = 3}};
  const std::vector<double> y = Make(300, [](int64_t i) { return 20 + Daily(i); });
  const std::vector<int> periods = {24};
  Result<ProphetFit> fit = FitProphet(y, periods, options);
  ASSERT_TRUE(fit.ok());
  for (double e : fit->events[0].effect) EXPECT_EQ(e, 0);
  EXPECT_THAT(fit->notes.at(0), HasSubstr("launch never occurs"));
}

TEST(ProphetTest, MultiplicativeModeFollowsAmplitudeGrowingWithLevel) {
  const auto truth = [](int64_t i) {
    return (50 + 0.2 * static_cast<double>(i)) * (1 + 0.3 * std::sin(kTwoPi * i / 24));
  };
  const std::vector<double> y = Make(480, truth);
  const std::vector<int> periods = {24};
  ProphetOptions options;
  options.mode = ProphetMode::kMultiplicative;
  Result<ProphetFit> fit = FitProphet(y, periods, options);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ASSERT_EQ(fit->seasonalities.size(), 1u);
  EXPECT_NEAR(fit->seasonalities[0].sin_coef[0], 0.3, 0.01);
  EXPECT_NEAR(fit->trend_rate, 0.2, 0.01);
  const double multiplicative_error = MaxAbsError(ProphetPredict(*fit, 480, 48), 480, truth);
  EXPECT_LT(multiplicative_error, 1.0);  // Amplitude there is ~45.

  Result<ProphetFit> additive = FitProphet(y, periods, {});
  ASSERT_TRUE(additive.ok());
  EXPECT_GT(MaxAbsError(ProphetPredict(*additive, 480, 48), 480, truth), 5 * multiplicative_error);
}

TEST(ProphetTest, BeatsSeasonalNaiveOnTrendPlusSeasonPlusNoise) {
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 2);
  const auto signal = [](int64_t i) {
    return 200 + 0.05 * static_cast<double>(i) + 5 * Daily(i) + 3 * Weekly(i);
  };
  const std::vector<double> y = Make(720, [&](int i) { return signal(i) + noise(rng); });
  const std::vector<int> periods = {24, 168};
  Result<ModelForecast> f = ProphetModel().Forecast(y, periods, 48);
  ASSERT_TRUE(f.ok());
  double prophet_error = 0;
  double naive_error = 0;
  for (int h = 0; h < 48; ++h) {
    const double actual = signal(720 + h);
    prophet_error += std::abs(f->mean[h] - actual);
    naive_error += std::abs(y[720 - 24 + h % 24] - actual);
  }
  EXPECT_LT(prophet_error, 0.5 * naive_error);
}

TEST(ProphetTest, SdStartsAtSigmaAndGrowsWithTheHorizon) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 1);
  const auto trend = [](int64_t i) { return i < 300 ? 0.1 * i : 30 + 0.4 * (i - 300); };
  const std::vector<double> y = Make(600, [&](int i) { return trend(i) + noise(rng); });
  Result<ProphetFit> fit = FitProphet(y, {}, {});
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->sigma, 1.0, 0.1);
  const std::vector<double> sd = ProphetForecastSd(*fit, 200);
  ASSERT_EQ(sd.size(), 200u);
  EXPECT_NEAR(sd.front(), fit->sigma, 0.01);
  EXPECT_GT(sd.back(), 1.5 * fit->sigma);
  EXPECT_TRUE(std::is_sorted(sd.begin(), sd.end()));
}

TEST(ProphetTest, DropsSeasonalityWithUnderTwoCycles) {
  const std::vector<double> y = Make(300, [](int64_t i) { return 10 + Daily(i); });
  const std::vector<int> periods = {24, 168};
  Result<ModelForecast> f = ProphetModel().Forecast(y, periods, 24);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->notes.size(), 1u);
  EXPECT_THAT(f->notes[0], HasSubstr("seasonality 168 dropped"));
  EXPECT_LT(MaxAbsError(f->mean, 300, [](int64_t i) { return 10 + Daily(i); }), 0.02);
}

TEST(ProphetTest, HarmonicsSharedBetweenPeriodsAreFittedOnce) {
  ProphetOptions options;
  options.fourier_orders = {{.period = 168, .order = 10}};
  const std::vector<int> periods = {24, 168};
  Result<ProphetFit> fit =
      FitProphet(Make(400, [](int64_t i) { return Daily(i); }), periods, options);
  ASSERT_TRUE(fit.ok());
  ASSERT_EQ(fit->seasonalities.size(), 2u);
  EXPECT_EQ(fit->seasonalities[0].harmonics.size(), 10u);
  const std::vector<int> weekly = {1, 2, 3, 4, 5, 6, 8, 9, 10};  // 7/168 == 1/24.
  EXPECT_EQ(fit->seasonalities[1].harmonics, weekly);
  EXPECT_EQ(DefaultProphetFourierOrder(24, periods), 10);
  EXPECT_EQ(DefaultProphetFourierOrder(168, periods), 3);
  EXPECT_EQ(DefaultProphetFourierOrder(6, std::vector<int>{6}), 3);
}

TEST(ProphetTest, DegenerateInputsDoNotCrash) {
  const std::vector<int> periods = {24, 168};
  for (ProphetMode mode : {ProphetMode::kAdditive, ProphetMode::kMultiplicative}) {
    ProphetOptions options;
    options.mode = mode;
    const ProphetModel model(options);

    const std::vector<double> constant(500, 7.5);
    Result<ModelForecast> f = model.Forecast(constant, periods, 10);
    ASSERT_TRUE(f.ok());
    for (double v : f->mean) EXPECT_NEAR(v, 7.5, 1e-6);
    for (double s : f->sd) EXPECT_TRUE(std::isfinite(s));

    const std::vector<double> zeros(400, 0.0);
    f = model.Forecast(zeros, periods, 10);
    ASSERT_TRUE(f.ok());
    for (double v : f->mean) EXPECT_EQ(v, 0);

    const std::vector<double> one = {42};
    f = model.Forecast(one, periods, 5);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->mean, std::vector<double>(5, 42));
    EXPECT_TRUE(f->sd.empty());
    EXPECT_THAT(f->notes.at(0), HasSubstr("too few"));

    const std::vector<double> two = {1, 3};
    f = model.Forecast(two, periods, 3);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->mean, std::vector<double>(3, 3));
    EXPECT_EQ(f->sd.size(), 3u);

    const std::vector<double> three = {-1, 0, 1e9};
    f = model.Forecast(three, periods, 3);
    ASSERT_TRUE(f.ok());
    for (double v : f->mean) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(ProphetTest, RejectsBadInputAndOptions) {
  const std::vector<int> periods = {24};
  std::vector<double> y(100, 1.0);
  y[17] = std::nan("");
  Result<ProphetFit> fit = FitProphet(y, periods, {});
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fit.status().message(), HasSubstr("history[17]"));

  const std::vector<double> good(100, 1.0);
  EXPECT_FALSE(FitProphet(good, std::vector<int>{1}, {}).ok());
  ProphetOptions bad;
  bad.changepoint_range = 1.5;
  EXPECT_FALSE(FitProphet(good, periods, bad).ok());
  bad = {};
  bad.changepoint_prior_scale = 0;
  EXPECT_FALSE(FitProphet(good, periods, bad).ok());
  bad = {};
  bad.events = {{.name = "x", .starts = {1}, .length_steps = 0}};
  EXPECT_FALSE(FitProphet(good, periods, bad).ok());
  bad = {};
  bad.events = {{.name = "x", .starts = {1}, .length_steps = 1500},
                {.name = "y", .starts = {1}, .length_steps = 1500}};
  fit = FitProphet(good, periods, bad);
  ASSERT_FALSE(fit.ok());
  EXPECT_THAT(fit.status().message(), HasSubstr("exceed 2000"));
  EXPECT_FALSE(ProphetModel().Forecast(good, periods, 0).ok());
  EXPECT_EQ(ProphetModel().name(), "prophet");
}

}  // namespace
}  // namespace prescient::forecast
