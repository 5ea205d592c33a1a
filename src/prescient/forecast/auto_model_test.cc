#include "prescient/forecast/auto_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace prescient::forecast {
namespace {

std::vector<double> Signal(int n, uint32_t seed, double noise, double slope = 0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> e(0, noise);
  std::vector<double> y(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) {
    y[static_cast<size_t>(t)] = 200 + slope * t + 40 * std::sin(2 * M_PI * t / 24) +
                                15 * std::cos(2 * M_PI * t / 168) + e(rng);
  }
  return y;
}

TEST(AutoModelTest, PureSeasonalSignalIsForecastExactly) {
  const std::vector<double> y = Signal(24 * 7 * 4 + 48, 1, 0.0);
  const std::vector<double> history(y.begin(), y.end() - 48);
  const int periods[] = {24, 168};
  auto f = AutoModel().Forecast(history, periods, 48);
  ASSERT_TRUE(f.ok());
  for (size_t h = 0; h < 48; ++h) EXPECT_NEAR(f->mean[h], y[history.size() + h], 0.5) << h;
}

TEST(AutoModelTest, IsDeterministicAndExplainsItsChoice) {
  const std::vector<double> y = Signal(24 * 7 * 5, 3, 5.0, 0.05);
  const int periods[] = {24, 168};
  AutoSelection a, b;
  auto fa = AutoModel().ForecastWithSelection(y, periods, 48, &a);
  auto fb = AutoModel().ForecastWithSelection(y, periods, 48, &b);
  ASSERT_TRUE(fa.ok() && fb.ok());
  EXPECT_EQ(fa->mean, fb->mean);
  EXPECT_EQ(a.description, b.description);
  EXPECT_FALSE(a.chosen.empty());
  EXPECT_EQ(a.chosen_backtest.size(), a.backtest.windows.size());
  EXPECT_EQ(fa->description.rfind("auto: ", 0), 0u);
}

TEST(AutoModelTest, ChoosesTheCandidateThatFitsTheStructure) {
  // A straight line: seasonal naive is badly wrong, the trend models are right.
  std::vector<double> y(24 * 7 * 4);
  for (size_t t = 0; t < y.size(); ++t) y[t] = 100 + 2.0 * static_cast<double>(t);
  const int periods[] = {24};
  AutoModel model(AutoOptions{.max_combined = 1, .candidates = {"snaive", "naive", "prophet"}});
  AutoSelection sel;
  auto f = model.ForecastWithSelection(y, periods, 24, &sel);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(model.candidates()[sel.chosen[0]]->name(), "prophet");
  for (size_t h = 0; h < 24; ++h)
    EXPECT_NEAR(f->mean[h], 100 + 2.0 * static_cast<double>(y.size() + h), 2.0);
}

TEST(AutoModelTest, WithoutSeasonsComparesTrendModels) {
  std::vector<double> y(300);
  for (size_t t = 0; t < y.size(); ++t)
    y[t] = 50 + 0.5 * static_cast<double>(t) + (t % 2 ? 1.0 : -1.0);
  AutoSelection sel;
  auto f = AutoModel().ForecastWithSelection(y, {}, 10, &sel);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->description.find("Seasonal"), std::string::npos) << f->description;
  // A trend model won (MSTL without seasons is Theta), not the flat naive.
  EXPECT_TRUE(f->description.find("Theta") != std::string::npos ||
              f->description.find("ETS") != std::string::npos)
      << f->description;
  EXPECT_GT(f->mean[9], y.back());  // Follows the trend up.
}

TEST(AutoModelTest, TooShortToBacktestUsesSeasonalNaive) {
  const std::vector<double> y = {5, 6};
  const int periods[] = {2};
  AutoSelection sel;
  auto f = AutoModel().ForecastWithSelection(y, periods, 10, &sel);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(sel.backtest.empty());
  EXPECT_EQ(f->mean.size(), 10u);
}

}  // namespace
}  // namespace prescient::forecast
