#include "prescient/forecast/accuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prescient::forecast {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

size_t Common(std::span<const double> a, std::span<const double> b) {
  return std::min(a.size(), b.size());
}

}  // namespace

double Mape(std::span<const double> actual, std::span<const double> forecast) {
  double sum = 0;
  size_t count = 0;
  for (size_t i = 0; i < Common(actual, forecast); ++i) {
    if (actual[i] == 0 || std::isnan(actual[i]) || std::isnan(forecast[i])) continue;
    sum += 100 * std::abs(actual[i] - forecast[i]) / std::abs(actual[i]);
    ++count;
  }
  return count == 0 ? kNaN : sum / static_cast<double>(count);
}

double AccuracyPercent(std::span<const double> actual, std::span<const double> forecast) {
  const double mape = Mape(actual, forecast);
  return std::isnan(mape) ? kNaN : std::max(0.0, 100 - mape);
}

double Smape(std::span<const double> actual, std::span<const double> forecast) {
  const size_t n = Common(actual, forecast);
  if (n == 0) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double denom = std::abs(actual[i]) + std::abs(forecast[i]);
    if (denom > 0) sum += 200 * std::abs(actual[i] - forecast[i]) / denom;
  }
  return sum / static_cast<double>(n);
}

double SeasonalScale(std::span<const double> insample, int lag) {
  if (lag < 1 || insample.size() <= static_cast<size_t>(lag)) return kNaN;
  double sum = 0;
  for (size_t t = static_cast<size_t>(lag); t < insample.size(); ++t) {
    sum += std::abs(insample[t] - insample[t - static_cast<size_t>(lag)]);
  }
  return sum / static_cast<double>(insample.size() - static_cast<size_t>(lag));
}

double Mase(std::span<const double> actual, std::span<const double> forecast,
            std::span<const double> insample, int lag) {
  const size_t n = Common(actual, forecast);
  const double scale = SeasonalScale(insample, lag);
  if (n == 0 || std::isnan(scale)) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += std::abs(actual[i] - forecast[i]);
  return sum / static_cast<double>(n) / scale;
}

double Msis(std::span<const double> actual, std::span<const double> lower,
            std::span<const double> upper, std::span<const double> insample, int lag,
            double alpha) {
  const size_t n = std::min(Common(actual, lower), upper.size());
  const double scale = SeasonalScale(insample, lag);
  if (n == 0 || std::isnan(scale) || alpha <= 0) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += upper[i] - lower[i];
    if (actual[i] < lower[i]) sum += 2 / alpha * (lower[i] - actual[i]);
    if (actual[i] > upper[i]) sum += 2 / alpha * (actual[i] - upper[i]);
  }
  return sum / static_cast<double>(n) / scale;
}

double Coverage(std::span<const double> actual, std::span<const double> lower,
                std::span<const double> upper) {
  const size_t n = std::min(Common(actual, lower), upper.size());
  if (n == 0) return kNaN;
  size_t inside = 0;
  for (size_t i = 0; i < n; ++i) inside += (actual[i] >= lower[i] && actual[i] <= upper[i]);
  return static_cast<double>(inside) / static_cast<double>(n);
}

double OverPredictionRate(std::span<const double> actual, std::span<const double> forecast) {
  const size_t n = Common(actual, forecast);
  if (n == 0) return kNaN;
  size_t over = 0;
  for (size_t i = 0; i < n; ++i) over += forecast[i] > actual[i];
  return static_cast<double>(over) / static_cast<double>(n);
}

double UnderPredictionRate(std::span<const double> actual, std::span<const double> forecast) {
  const size_t n = Common(actual, forecast);
  if (n == 0) return kNaN;
  size_t under = 0;
  for (size_t i = 0; i < n; ++i) under += forecast[i] < actual[i];
  return static_cast<double>(under) / static_cast<double>(n);
}

double Owa(double smape, double mase, double smape_naive2, double mase_naive2) {
  return 0.5 * (smape / smape_naive2 + mase / mase_naive2);
}

}  // namespace prescient::forecast
