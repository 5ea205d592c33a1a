#include "prescient/forecast/seasonality.h"

#include <cmath>

namespace prescient::forecast {

std::vector<double> Autocorrelation(std::span<const double> y, int max_lag) {
  const size_t n = y.size();
  std::vector<double> r;
  if (n < 2 || max_lag < 1) return r;
  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(n);
  double c0 = 0;
  for (double v : y) c0 += (v - mean) * (v - mean);
  r.assign(static_cast<size_t>(max_lag), 0.0);
  if (c0 <= 0) return r;
  for (int k = 1; k <= max_lag && static_cast<size_t>(k) < n; ++k) {
    double ck = 0;
    for (size_t t = static_cast<size_t>(k); t < n; ++t) ck += (y[t] - mean) * (y[t - k] - mean);
    r[static_cast<size_t>(k - 1)] = ck / c0;
  }
  return r;
}

bool IsSeasonal(std::span<const double> y, int period) {
  if (period < 2 || y.size() < 3 * static_cast<size_t>(period)) return false;
  const std::vector<double> r = Autocorrelation(y, period);
  double sum_sq = 0;
  for (int k = 1; k < period; ++k)
    sum_sq += r[static_cast<size_t>(k - 1)] * r[static_cast<size_t>(k - 1)];
  const double limit = 1.645 / std::sqrt(static_cast<double>(y.size())) * std::sqrt(1 + 2 * sum_sq);
  return std::abs(r[static_cast<size_t>(period - 1)]) > limit;
}

std::vector<int> DefaultPeriods(Duration step) {
  const int64_t s = step.count();
  if (s <= 0) return {};
  if (s == 86400) return {7};
  std::vector<int> periods;
  if (86400 % s == 0 && 86400 / s >= 2) periods.push_back(static_cast<int>(86400 / s));
  if (604800 % s == 0 && 604800 / s >= 2) periods.push_back(static_cast<int>(604800 / s));
  return periods;
}

}  // namespace prescient::forecast
