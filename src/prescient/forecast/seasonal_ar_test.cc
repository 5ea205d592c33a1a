#include "prescient/forecast/seasonal_ar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "prescient/forecast/accuracy.h"
#include "prescient/forecast/naive.h"

namespace prescient::forecast {
namespace {

// Hourly-like traffic: daily and weekly cycles, multiplicative noise.
std::vector<double> Traffic(int n, uint32_t seed, double noise) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> e(0, noise);
  std::vector<double> y(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) {
    const double day = 1 + 0.5 * std::sin(2 * M_PI * t / 24);
    const double week = (t / 24) % 7 >= 5 ? 0.7 : 1.0;
    y[static_cast<size_t>(t)] = 100 * day * week * std::exp(e(rng));
  }
  return y;
}

TEST(SeasonalArTest, PureSeasonalSignalIsForecastExactly) {
  const std::vector<double> y = Traffic(24 * 7 * 5 + 48, 1, 0.0);
  const std::vector<double> history(y.begin(), y.end() - 48);
  const int periods[] = {24, 168};
  auto f = SeasonalArModel().Forecast(history, periods, 48);
  ASSERT_TRUE(f.ok());
  for (size_t h = 0; h < 48; ++h)
    EXPECT_NEAR(f->mean[h], y[history.size() + h], 1e-3 * y[history.size() + h]);
}

TEST(SeasonalArTest, BeatsSeasonalNaiveOnNoisyWeeklyTraffic) {
  double sar = 0, snaive = 0;
  const int periods[] = {24, 168};
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    const std::vector<double> y = Traffic(24 * 7 * 6 + 48, seed, 0.1);
    const std::vector<double> history(y.begin(), y.end() - 48);
    const std::vector<double> actual(y.end() - 48, y.end());
    sar += Smape(actual, SeasonalArModel().Forecast(history, periods, 48)->mean);
    snaive += Smape(actual, SeasonalNaiveModel().Forecast(history, periods, 48)->mean);
  }
  EXPECT_LT(sar, snaive);
}

// The shared multi-origin pass must give what separate fits on each prefix give, across
// design changes (a second long lag appears only on the longer prefixes) and a prefix too
// short for the regression.
TEST(SeasonalArTest, MultiOriginPassMatchesSeparateFits) {
  const std::vector<double> y = Traffic(24 * 7 * 6 + 48, 9, 0.1);
  const int periods[] = {24, 168};
  const size_t origins[] = {100, 24 * 7 * 4, 24 * 7 * 5, 24 * 7 * 5 + 24, 24 * 7 * 6};
  const SeasonalArModel model;
  auto all = model.ForecastFromOrigins(y, periods, origins, 48);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  for (size_t k = 0; k < 5; ++k) {
    auto one = model.Forecast(std::span(y).first(origins[k]), periods, 48);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*all)[k].description, one->description) << k;
    for (size_t h = 0; h < 48; ++h) {
      EXPECT_NEAR((*all)[k].mean[h], one->mean[h], 1e-9 * std::abs(one->mean[h])) << k << " " << h;
    }
  }
}

TEST(SeasonalArTest, ShortOrNonPositiveHistoryStillForecasts) {
  const int periods[] = {24};
  const std::vector<double> tiny = {1, 2, 3};
  auto f = SeasonalArModel().Forecast(tiny, periods, 4);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->mean.size(), 4u);
  EXPECT_FALSE(f->notes.empty());

  std::vector<double> signed_data(500);
  for (size_t t = 0; t < signed_data.size(); ++t)
    signed_data[t] = std::sin(2 * M_PI * static_cast<double>(t) / 24);
  auto g = SeasonalArModel().Forecast(signed_data, periods, 24);
  ASSERT_TRUE(g.ok());
  for (size_t h = 0; h < 24; ++h)
    EXPECT_NEAR(g->mean[h], std::sin(2 * M_PI * static_cast<double>(500 + h) / 24), 1e-3);
}

}  // namespace
}  // namespace prescient::forecast
