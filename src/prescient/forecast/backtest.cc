#include "prescient/forecast/backtest.h"

#include <algorithm>
#include <cmath>

namespace prescient::forecast {

double LevelScale(std::span<const double> history, std::span<const int> periods) {
  size_t span = 24;
  for (int p : periods) {
    if (p >= 2 && static_cast<size_t>(p) <= history.size()) span = static_cast<size_t>(p);
  }
  span = std::min(span, history.size());
  double sum = 0, max_abs = 0;
  for (size_t i = history.size() - span; i < history.size(); ++i) sum += std::abs(history[i]);
  for (double v : history) max_abs = std::max(max_abs, std::abs(v));
  const double mean = span > 0 ? sum / static_cast<double>(span) : 0.0;
  return std::max({mean, 1e-3 * max_abs, 1e-12});
}

std::vector<BacktestWindow> PlanWindows(std::span<const double> history,
                                        std::span<const int> periods, int horizon,
                                        const BacktestOptions& options) {
  std::vector<BacktestWindow> windows;
  const size_t n = history.size();
  const int length = std::min<int>(horizon, static_cast<int>(n / 3));
  if (length < 1 || options.windows < 1) return windows;
  const size_t stride = static_cast<size_t>(length);
  for (int k = 0; k < options.windows; ++k) {
    const size_t back = static_cast<size_t>(length) + stride * static_cast<size_t>(k);
    if (back + static_cast<size_t>(length) * 2 > n) break;  // Keep >= 2 lengths of training.
    BacktestWindow w;
    w.origin = n - back;
    w.length = length;
    w.scale = LevelScale(history.first(w.origin), periods);
    windows.push_back(w);
  }
  std::reverse(windows.begin(), windows.end());  // Oldest first.
  return windows;
}

Result<BacktestResult> Backtest(std::span<const Model* const> models,
                                std::span<const double> history, std::span<const int> periods,
                                int horizon, const BacktestOptions& options) {
  BacktestResult result;
  result.windows = PlanWindows(history, periods, horizon, options);
  for (const BacktestWindow& w : result.windows) {
    result.actuals.emplace_back(history.begin() + static_cast<ptrdiff_t>(w.origin),
                                history.begin() + static_cast<ptrdiff_t>(w.origin) + w.length);
  }
  result.forecasts.resize(models.size());
  if (result.windows.empty()) return result;
  std::vector<size_t> origins;
  for (const BacktestWindow& w : result.windows) origins.push_back(w.origin);
  const int length = result.windows.front().length;  // Every window has the same length.
  for (size_t m = 0; m < models.size(); ++m) {
    Result<std::vector<ModelForecast>> f =
        models[m]->ForecastFromOrigins(history, periods, origins, length);
    if (!f.ok()) {
      return f.status().WithContext(std::string("backtest of ") + std::string(models[m]->name()));
    }
    for (ModelForecast& one : *f) result.forecasts[m].push_back(std::move(one.mean));
  }
  return result;
}

std::vector<std::vector<double>> BacktestResult::ScaledErrors(
    const std::vector<std::vector<double>>& forecasts_per_window) const {
  std::vector<std::vector<double>> errors(windows.size());
  for (size_t w = 0; w < windows.size(); ++w) {
    errors[w].resize(actuals[w].size());
    for (size_t j = 0; j < actuals[w].size(); ++j) {
      errors[w][j] = (actuals[w][j] - forecasts_per_window[w][j]) / windows[w].scale;
    }
  }
  return errors;
}

double BacktestResult::MeanSymmetricError(
    const std::vector<std::vector<double>>& forecasts_per_window) const {
  double sum = 0;
  size_t count = 0;
  for (size_t w = 0; w < windows.size(); ++w) {
    for (size_t j = 0; j < actuals[w].size(); ++j) {
      const double y = actuals[w][j], f = forecasts_per_window[w][j];
      const double denom = std::abs(y) + std::abs(f);
      if (!std::isfinite(f)) {
        sum += 2;
      } else if (denom > 0) {
        sum += 2 * std::abs(y - f) / denom;
      }
      ++count;
    }
  }
  return count == 0 ? 0.0 : sum / static_cast<double>(count);
}

}  // namespace prescient::forecast
