// Prediction intervals. Calibrated ones come from out-of-sample errors (split conformal
// prediction, Vovk et al. 2005; Stankeviciute et al. 2021 for multi-step series): the
// backtest's scaled absolute errors at horizon steps near h are pooled, their
// ceil((n+1) * level)-th smallest is the half-width at h (times the current level scale),
// and half-widths are made non-decreasing in h. Where the backtest does not reach a step,
// the last half-width grows with sqrt(h). When there is no backtest at all (very short
// history), Gaussian intervals from the model's own standard deviations are the fallback.
// Pure functions, thread-safe. Tested by intervals_test.cc.
#pragma once

#include <span>
#include <vector>

namespace prescient::forecast {

struct Band {
  double level = 95;  // Percent, in (0, 100).
  std::vector<double> lower;
  std::vector<double> upper;
};

// `scaled_errors[w][j]`: window w's error at step j, divided by that window's scale.
std::vector<Band> ConformalBands(const std::vector<std::vector<double>>& scaled_errors,
                                 std::span<const double> mean, double scale,
                                 std::span<const double> levels);

// mean +- z(level) * sd; sd shorter than mean is extended with sqrt(h) growth.
std::vector<Band> GaussianBands(std::span<const double> mean, std::span<const double> sd,
                                std::span<const double> levels);

// Two-sided standard normal quantile for a central level in percent (95 -> 1.95996).
double NormalQuantileForLevel(double level_percent);

}  // namespace prescient::forecast
