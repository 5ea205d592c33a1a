#include "prescient/forecast/accuracy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace prescient::forecast {
namespace {

TEST(AccuracyTest, HandComputedValues) {
  const std::vector<double> y = {100, 200, 100, 50};
  const std::vector<double> f = {110, 180, 100, 100};
  // |e|/y: 0.1, 0.1, 0, 1 -> MAPE 30.
  EXPECT_NEAR(Mape(y, f), 30.0, 1e-12);
  EXPECT_NEAR(AccuracyPercent(y, f), 70.0, 1e-12);
  // sMAPE terms: 200*10/210, 200*20/380, 0, 200*50/150.
  EXPECT_NEAR(Smape(y, f), (2000.0 / 210 + 4000.0 / 380 + 10000.0 / 150) / 4, 1e-12);
  EXPECT_DOUBLE_EQ(OverPredictionRate(y, f), 0.5);
  EXPECT_DOUBLE_EQ(UnderPredictionRate(y, f), 0.25);
}

TEST(AccuracyTest, MaseAndMsisUseSeasonalScale) {
  const std::vector<double> insample = {1, 2, 3, 5, 6, 7};  // lag-3 diffs: 4, 4, 4.
  EXPECT_DOUBLE_EQ(SeasonalScale(insample, 3), 4.0);
  const std::vector<double> y = {10, 10};
  const std::vector<double> f = {12, 6};
  EXPECT_DOUBLE_EQ(Mase(y, f, insample, 3), 3.0 / 4.0);
  const std::vector<double> lo = {9, 11};
  const std::vector<double> hi = {11, 13};
  // Widths 2+2; second point below by 1: penalty 2/0.05*1 = 40. Mean (2 + 42)/2 = 22.
  EXPECT_DOUBLE_EQ(Msis(y, lo, hi, insample, 3, 0.05), 22.0 / 4.0);
  EXPECT_DOUBLE_EQ(Coverage(y, lo, hi), 0.5);
  EXPECT_DOUBLE_EQ(Owa(10, 1, 20, 2), 0.5);
}

TEST(AccuracyTest, DegenerateInputsGiveNaN) {
  const std::vector<double> empty;
  const std::vector<double> zeros = {0, 0};
  EXPECT_TRUE(std::isnan(Mape(zeros, zeros)));
  EXPECT_TRUE(std::isnan(Smape(empty, empty)));
  EXPECT_EQ(Smape(zeros, zeros), 0.0);
  EXPECT_TRUE(std::isnan(SeasonalScale(zeros, 5)));
}

}  // namespace
}  // namespace prescient::forecast
