#include "prescient/forecast/intervals.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "prescient/forecast/backtest.h"
#include "prescient/forecast/naive.h"

namespace prescient::forecast {
namespace {

TEST(IntervalsTest, NormalQuantiles) {
  EXPECT_NEAR(NormalQuantileForLevel(95), 1.959964, 1e-5);
  EXPECT_NEAR(NormalQuantileForLevel(80), 1.281552, 1e-5);
  EXPECT_NEAR(NormalQuantileForLevel(99), 2.575829, 1e-5);
}

TEST(IntervalsTest, GaussianBandsWidenWithSd) {
  const std::vector<double> mean = {10, 10, 10};
  const std::vector<double> sd = {1, 2};
  const double levels[] = {95};
  auto bands = GaussianBands(mean, sd, levels);
  ASSERT_EQ(bands.size(), 1u);
  EXPECT_NEAR(bands[0].upper[0], 10 + 1.959964, 1e-5);
  EXPECT_NEAR(bands[0].lower[1], 10 - 2 * 1.959964, 1e-5);
  EXPECT_GT(bands[0].upper[2], bands[0].upper[1]);  // Extended past the given sd.
}

TEST(IntervalsTest, ConformalBandsAreMonotoneAndNested) {
  std::mt19937 rng(7);
  std::normal_distribution<double> e(0, 1);
  std::vector<std::vector<double>> errors(8, std::vector<double>(12));
  for (auto& w : errors)
    for (size_t j = 0; j < w.size(); ++j) w[j] = e(rng) * std::sqrt(j + 1.0) * 0.01;
  const std::vector<double> mean(20, 100.0);
  const double levels[] = {80, 95};
  auto bands = ConformalBands(errors, mean, 100.0, levels);
  ASSERT_EQ(bands.size(), 2u);
  for (size_t h = 0; h < mean.size(); ++h) {
    EXPECT_LE(bands[1].lower[h], bands[0].lower[h]);
    EXPECT_GE(bands[1].upper[h], bands[0].upper[h]);
    EXPECT_LT(bands[0].lower[h], mean[h]);
    if (h > 0) {
      EXPECT_GE(bands[1].upper[h] - mean[h], bands[1].upper[h - 1] - mean[h - 1] - 1e-12);
    }
  }
}

// Differential: on a random walk, calibrated 80% intervals from backtests cover about 80%
// of many fresh futures.
TEST(IntervalsTest, ConformalCoverageIsCloseToNominalOnRandomWalks) {
  std::mt19937 rng(11);
  std::normal_distribution<double> e(0, 1);
  int inside = 0, total = 0;
  const NaiveModel model;
  const Model* models[] = {&model};
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> y(260);
    double level = 1000;
    for (double& v : y) v = (level += e(rng));
    const std::vector<double> history(y.begin(), y.end() - 10);
    auto bt = Backtest(models, history, {}, 10, BacktestOptions{.windows = 8});
    ASSERT_TRUE(bt.ok());
    auto f = model.Forecast(history, {}, 10);
    const double levels[] = {80};
    auto bands = ConformalBands(bt->ScaledErrors(bt->forecasts[0]), f->mean,
                                LevelScale(history, {}), levels);
    for (size_t h = 0; h < 10; ++h) {
      const double actual = y[history.size() + h];
      inside += actual >= bands[0].lower[h] && actual <= bands[0].upper[h];
      ++total;
    }
  }
  const double coverage = static_cast<double>(inside) / total;
  EXPECT_GT(coverage, 0.70);
  EXPECT_LT(coverage, 0.92);
}

}  // namespace
}  // namespace prescient::forecast
