#include "prescient/forecast/intervals.h"

#include <algorithm>
#include <cmath>

namespace prescient::forecast {
namespace {

// Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9).
double NormalQuantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The conformal quantile: the ceil((n+1) * q)-th smallest value, or the largest.
double ConformalQuantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  size_t k = static_cast<size_t>(std::ceil((static_cast<double>(values.size()) + 1) * q));
  k = std::clamp<size_t>(k, 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(k - 1), values.end());
  return values[k - 1];
}

}  // namespace

double NormalQuantileForLevel(double level_percent) {
  return NormalQuantile(0.5 + level_percent / 200.0);
}

std::vector<Band> ConformalBands(const std::vector<std::vector<double>>& scaled_errors,
                                 std::span<const double> mean, double scale,
                                 std::span<const double> levels) {
  const size_t horizon = mean.size();
  size_t reach = 0;  // Steps the backtest covers.
  for (const auto& e : scaled_errors) reach = std::max(reach, e.size());
  // Pool steps within +-radius of h: a few windows alone give too few errors per step.
  const size_t radius = std::max<size_t>(1, reach / 12);
  std::vector<Band> bands;
  std::vector<double> pool;
  for (double level : levels) {
    Band band;
    band.level = level;
    band.lower.resize(horizon);
    band.upper.resize(horizon);
    double width = 0;
    for (size_t h = 0; h < horizon; ++h) {
      if (h < reach) {
        pool.clear();
        const size_t from = h >= radius ? h - radius : 0;
        const size_t to = std::min(reach, h + radius + 1);
        for (const auto& e : scaled_errors) {
          for (size_t j = from; j < std::min(to, e.size()); ++j) {
            if (std::isfinite(e[j])) pool.push_back(std::abs(e[j]));
          }
        }
        width = std::max(width, ConformalQuantile(pool, level / 100.0) * scale);
        band.upper[h] = mean[h] + width;
        band.lower[h] = mean[h] - width;
      } else {
        const double grown =
            width * std::sqrt(static_cast<double>(h + 1) / static_cast<double>(reach));
        band.upper[h] = mean[h] + grown;
        band.lower[h] = mean[h] - grown;
      }
    }
    bands.push_back(std::move(band));
  }
  return bands;
}

std::vector<Band> GaussianBands(std::span<const double> mean, std::span<const double> sd,
                                std::span<const double> levels) {
  std::vector<Band> bands;
  for (double level : levels) {
    const double z = NormalQuantileForLevel(level);
    Band band;
    band.level = level;
    band.lower.resize(mean.size());
    band.upper.resize(mean.size());
    for (size_t h = 0; h < mean.size(); ++h) {
      double s = 0;
      if (h < sd.size()) {
        s = sd[h];
      } else if (!sd.empty()) {
        s = sd.back() * std::sqrt(static_cast<double>(h + 1) / static_cast<double>(sd.size()));
      }
      if (!std::isfinite(s) || s < 0) s = 0;
      band.lower[h] = mean[h] - z * s;
      band.upper[h] = mean[h] + z * s;
    }
    bands.push_back(std::move(band));
  }
  return bands;
}

}  // namespace prescient::forecast
