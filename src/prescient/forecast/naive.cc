#include "prescient/forecast/naive.h"

#include <algorithm>
#include <cmath>

#include "prescient/forecast/decomposition.h"
#include "prescient/forecast/seasonality.h"

namespace prescient::forecast {
namespace {

// The period to use, or 0 when none fits in the history.
int PickPeriod(std::span<const int> periods, size_t n, bool longest) {
  int chosen = 0;
  for (int p : periods) {
    if (p < 2 || static_cast<size_t>(p) > n) continue;
    if (chosen == 0 || longest) chosen = p;
  }
  return chosen;
}

}  // namespace

std::vector<double> RandomWalkSd(std::span<const double> history, int horizon) {
  double sum_sq = 0;
  for (size_t t = 1; t < history.size(); ++t) {
    sum_sq += (history[t] - history[t - 1]) * (history[t] - history[t - 1]);
  }
  const double sigma =
      history.size() > 1 ? std::sqrt(sum_sq / static_cast<double>(history.size() - 1)) : 0.0;
  std::vector<double> sd(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) sd[static_cast<size_t>(h)] = sigma * std::sqrt(h + 1.0);
  return sd;
}

Result<ModelForecast> NaiveModel::Forecast(std::span<const double> history,
                                           std::span<const int> /*periods*/, int horizon) const {
  if (history.empty() || horizon < 1) return InternalError("naive: empty history or horizon");
  ModelForecast out;
  out.mean.assign(static_cast<size_t>(horizon), history.back());
  out.sd = RandomWalkSd(history, horizon);
  out.description = "Naive";
  return out;
}

Result<ModelForecast> SeasonalNaiveModel::Forecast(std::span<const double> history,
                                                   std::span<const int> periods,
                                                   int horizon) const {
  if (history.empty() || horizon < 1) return InternalError("snaive: empty history or horizon");
  const size_t n = history.size();
  const int m = PickPeriod(periods, n, options_.use_longest_period);
  if (m == 0) {
    Result<ModelForecast> naive = NaiveModel().Forecast(history, periods, horizon);
    if (naive.ok() && !periods.empty()) {
      naive->notes.push_back("history shorter than one season: seasonal naive fell back to naive");
    }
    return naive;
  }
  ModelForecast out;
  out.mean.resize(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) {
    // Index n + h - m*k with the smallest k that is < n.
    const size_t back =
        static_cast<size_t>(m) * (static_cast<size_t>(h) / static_cast<size_t>(m) + 1);
    out.mean[static_cast<size_t>(h)] = history[n + static_cast<size_t>(h) - back];
  }
  // Seasonal random walk: sd of lag-m differences times sqrt(seasons ahead).
  double sum_sq = 0;
  for (size_t t = static_cast<size_t>(m); t < n; ++t) {
    const double d = history[t] - history[t - static_cast<size_t>(m)];
    sum_sq += d * d;
  }
  const double sigma = n > static_cast<size_t>(m)
                           ? std::sqrt(sum_sq / static_cast<double>(n - static_cast<size_t>(m)))
                           : 0.0;
  out.sd.resize(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) out.sd[static_cast<size_t>(h)] = sigma * std::sqrt(h / m + 1.0);
  out.description = "SeasonalNaive(" + std::to_string(m) + ")";
  return out;
}

Result<ModelForecast> Naive2Model::Forecast(std::span<const double> history,
                                            std::span<const int> periods, int horizon) const {
  if (history.empty() || horizon < 1) return InternalError("naive2: empty history or horizon");
  const size_t n = history.size();
  const int m = PickPeriod(periods, n, /*longest=*/false);
  const bool positive = std::all_of(history.begin(), history.end(), [](double v) { return v > 0; });
  if (m == 0 || !positive || !IsSeasonal(history, m)) {
    Result<ModelForecast> naive = NaiveModel().Forecast(history, periods, horizon);
    if (naive.ok()) naive->description = "Naive2(not seasonal)";
    return naive;
  }
  Result<ClassicalDecomposition> dec = ClassicalDecompose(history, m, /*multiplicative=*/true);
  if (!dec.ok()) return dec.status().WithContext("naive2");
  const std::vector<double>& index = dec->figure;  // index[phase], mean 1.
  const size_t last = n - 1;
  const double level = history[last] / index[last % static_cast<size_t>(m)];
  ModelForecast out;
  out.mean.resize(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) {
    out.mean[static_cast<size_t>(h)] =
        level * index[(n + static_cast<size_t>(h)) % static_cast<size_t>(m)];
  }
  out.sd = RandomWalkSd(history, horizon);
  out.description = "Naive2(" + std::to_string(m) + ")";
  return out;
}

}  // namespace prescient::forecast
