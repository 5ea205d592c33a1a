#include "prescient/forecast/naive.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "prescient/forecast/seasonality.h"

namespace prescient::forecast {
namespace {

std::vector<double> Seasonal(int n, int period, double level = 100) {
  std::vector<double> y(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t)
    y[static_cast<size_t>(t)] =
        level + 10 * std::sin(2 * M_PI * t / period) + (t % period == 0 ? 5 : 0);
  return y;
}

TEST(NaiveTest, SeasonalNaiveRepeatsLastSeasonExactly) {
  const std::vector<double> y = Seasonal(100, 12);
  const int periods[] = {12};
  auto f = SeasonalNaiveModel().Forecast(y, periods, 30);
  ASSERT_TRUE(f.ok());
  for (int h = 0; h < 30; ++h)
    EXPECT_NEAR(f->mean[static_cast<size_t>(h)], Seasonal(130, 12)[static_cast<size_t>(100 + h)],
                1e-9);
}

TEST(NaiveTest, SeasonalNaiveLongUsesTheLongestPeriod) {
  std::vector<double> y(400);
  for (size_t t = 0; t < y.size(); ++t)
    y[t] = static_cast<double>(t % 7) + 10 * static_cast<double>((t / 7) % 3 == 0);
  const int periods[] = {7, 21};
  auto f = SeasonalNaiveModel({.use_longest_period = true}).Forecast(y, periods, 21);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->description, "SeasonalNaive(21)");
  for (size_t h = 0; h < 21; ++h) EXPECT_DOUBLE_EQ(f->mean[h], y[400 + h - 21]);
}

TEST(NaiveTest, ShortHistoryFallsBackToNaiveWithNote) {
  const std::vector<double> y = {1, 2, 3};
  const int periods[] = {24};
  auto f = SeasonalNaiveModel().Forecast(y, periods, 5);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->mean, std::vector<double>(5, 3.0));
  ASSERT_EQ(f->notes.size(), 1u);
}

TEST(NaiveTest, Naive2AdjustsSeasonalDataAndIgnoresNonSeasonal) {
  const std::vector<double> y = Seasonal(24 * 10, 24);
  const int periods[] = {24};
  ASSERT_TRUE(IsSeasonal(y, 24));
  auto f = Naive2Model().Forecast(y, periods, 24);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->description, "Naive2(24)");
  // A pure seasonal signal with a constant level: Naive2 reproduces the season closely.
  for (size_t h = 0; h < 24; ++h) EXPECT_NEAR(f->mean[h], y[y.size() - 24 + h], 1.0);

  std::vector<double> flat(200);
  for (size_t t = 0; t < flat.size(); ++t)
    flat[t] = 50 + static_cast<double>((t * 7919) % 13) / 13.0;
  auto g = Naive2Model().Forecast(flat, periods, 5);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->description, "Naive2(not seasonal)");
  EXPECT_EQ(g->mean, std::vector<double>(5, flat.back()));
}

TEST(NaiveTest, DefaultPeriodsFromStep) {
  EXPECT_EQ(DefaultPeriods(Duration(3600)), (std::vector<int>{24, 168}));
  EXPECT_EQ(DefaultPeriods(Duration(300)), (std::vector<int>{288, 2016}));
  EXPECT_EQ(DefaultPeriods(Duration(60)), (std::vector<int>{1440, 10080}));
  EXPECT_EQ(DefaultPeriods(Duration(86400)), (std::vector<int>{7}));
  EXPECT_TRUE(DefaultPeriods(Duration(7 * 86400)).empty());
}

}  // namespace
}  // namespace prescient::forecast
