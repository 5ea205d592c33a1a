// Initial ETS states: R's forecast:::initstate(), which gives Nelder–Mead its starting
// point (the states are then optimised with the smoothing parameters).
//
// Seasonal models, n >= 3m: classical decomposition (R's decompose()): a centred moving
// average of order m (2 x m for even m) as the trend, the mean detrended value of each
// phase as the seasonal figure, normalised to sum 0 (additive) or to mean 1
// (multiplicative). With m <= n < 3m the decomposition is too noisy, and R regresses y on a
// line plus one Fourier pair instead, using the detrended series itself as the "seasonal"
// part. Either way the first m values of the seasonal series become the states, newest
// first, and y is seasonally adjusted.
//
// Level and trend: the mean (no trend) or a least-squares line (with trend) through the
// first max(10, 2m) adjusted points; the line's intercept is the level at time 0.
//
// Failure modes (all R's): a short noisy start gives a poor starting point, which is only
// a starting point; multiplicative figures are floored at 0.01; if the first m-1
// multiplicative states sum to more than m, R rescales them (oddly, by their sum plus
// 0.01 each) and so do we, to start where R starts.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "prescient/forecast/ets_core.h"

namespace prescient::forecast::ets_internal {
namespace {

// decompose(y, type)$seasonal: the seasonal figure repeated over the n points.
std::vector<double> DecomposeSeasonal(std::span<const double> y, int m, bool multiplicative) {
  const int n = static_cast<int>(y.size());
  const bool even = m % 2 == 0;
  const int half = m / 2;  // Filter taps: m + 1 for even m, m for odd m.
  std::vector<double> sum(m, 0.0);
  std::vector<int> count(m, 0);
  for (int t = half; t + half < n; ++t) {
    double trend = 0;
    for (int j = -half; j <= half; ++j) {
      const bool end_tap = even && (j == -half || j == half);
      trend += (end_tap ? 0.5 : 1.0) * y[t + j];
    }
    trend /= m;
    sum[t % m] += multiplicative ? y[t] / trend : y[t] - trend;
    ++count[t % m];
  }
  std::vector<double> figure(m);
  double mean = 0;
  for (int i = 0; i < m; ++i) {
    figure[i] = sum[i] / count[i];
    mean += figure[i] / m;
  }
  for (double& f : figure) f = multiplicative ? f / mean : f - mean;
  std::vector<double> seasonal(n);
  for (int t = 0; t < n; ++t) seasonal[t] = figure[t % m];
  return seasonal;
}

// R's fallback for short series: y minus (or over) the trend line of the regression
// y ~ 1 + t + sin(2 pi t / m) + cos(2 pi t / m), t = 1..n (no sine for m = 2).
std::vector<double> RegressionSeasonal(std::span<const double> y, int m, bool multiplicative) {
  const int n = static_cast<int>(y.size());
  const int columns = m == 2 ? 3 : 4;
  Eigen::MatrixXd x(n, columns);
  Eigen::VectorXd target(n);
  for (int t = 0; t < n; ++t) {
    const double angle = 2 * std::numbers::pi * (t + 1) / m;
    x(t, 0) = 1;
    x(t, 1) = t + 1;
    x(t, 2) = std::cos(angle);
    if (columns == 4) x(t, 3) = std::sin(angle);
    target(t) = y[t];
  }
  const Eigen::VectorXd coef = x.colPivHouseholderQr().solve(target);
  std::vector<double> seasonal(n);
  for (int t = 0; t < n; ++t) {
    const double line = coef(0) + coef(1) * (t + 1);
    seasonal[t] = multiplicative ? y[t] / line : y[t] - line;
  }
  return seasonal;
}

// Sets states.season (newest first) and returns the seasonally adjusted series.
std::vector<double> InitialSeason(std::span<const double> y, int m, bool multiplicative,
                                  EtsStates& states) {
  const int n = static_cast<int>(y.size());
  const std::vector<double> seasonal = n < 3 * m ? RegressionSeasonal(y, m, multiplicative)
                                                 : DecomposeSeasonal(y, m, multiplicative);
  states.season.assign(m, 0.0);
  for (int j = 0; j + 1 < m; ++j) states.season[j] = seasonal[m - 1 - j];
  std::vector<double> adjusted(n);
  double sum = 0;
  if (!multiplicative) {
    for (int t = 0; t < n; ++t) adjusted[t] = y[t] - seasonal[t];
    for (int j = 0; j + 1 < m; ++j) sum += states.season[j];
  } else {
    for (int j = 0; j + 1 < m; ++j) {
      states.season[j] = std::max(states.season[j], 0.01);
      sum += states.season[j];
    }
    if (sum > m) {
      const double divisor = sum + 0.01 * (m - 1);
      sum = 0;
      for (int j = 0; j + 1 < m; ++j) {
        states.season[j] /= divisor;
        sum += states.season[j];
      }
    }
    for (int t = 0; t < n; ++t) adjusted[t] = y[t] / std::max(seasonal[t], 0.01);
  }
  states.season[m - 1] = (multiplicative ? m : 0) - sum;
  return adjusted;
}

}  // namespace

Result<EtsStates> InitialStates(std::span<const double> y, const EtsSpec& spec, int period) {
  const int n = static_cast<int>(y.size());
  EtsStates states;
  std::vector<double> adjusted(y.begin(), y.end());
  int m = 1;
  if (spec.seasonal()) {
    m = period;
    if (n < 4 || n < m || m < 2) {
      return InvalidArgumentError("ETS initial states: " + std::to_string(n) +
                                  " points are too few for period " + std::to_string(m));
    }
    adjusted = InitialSeason(y, m, spec.season == SeasonType::kMultiplicative, states);
  }
  if (n < 1) return InvalidArgumentError("ETS initial states: empty series");
  const int maxn = std::min(std::max(10, 2 * m), n);
  if (!spec.has_trend() || maxn < 2) {
    double sum = 0;
    for (int t = 0; t < maxn; ++t) sum += adjusted[t];
    states.level = sum / maxn;
    return states;
  }
  // lsfit(1:maxn, adjusted[1:maxn]).
  const double mean_x = (maxn + 1) / 2.0;
  double mean_y = 0;
  for (int t = 0; t < maxn; ++t) mean_y += adjusted[t] / maxn;
  double sxy = 0, sxx = 0;
  for (int t = 0; t < maxn; ++t) {
    const double dx = (t + 1) - mean_x;
    sxy += dx * (adjusted[t] - mean_y);
    sxx += dx * dx;
  }
  states.trend = sxy / sxx;
  states.level = mean_y - states.trend * mean_x;
  if (std::fabs(states.level + states.trend) < 1e-8) {
    states.level *= 1 + 1e-3;
    states.trend *= 1 - 1e-3;
  }
  return states;
}

}  // namespace prescient::forecast::ets_internal
