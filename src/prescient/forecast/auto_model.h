// `auto`: picks or combines models per series from rolling-origin backtests on the series'
// own history (backtest.h). Every candidate is scored by its mean symmetric relative error
// over the windows (sMAPE's terms: scale-free, and bounded, so one wild window cannot
// dominate); the best single model and the means of the best two and three are
// compared, and the lowest score wins (ties: the simpler choice). Combining is kept
// because averaging forecasts of different families is the most reliable gain in the M
// competitions (Makridakis et al. 2020); selecting is kept because on strongly regular
// series one model is simply right. Deterministic: no randomness anywhere.
// Thread-safe (stateless after construction). Tested by auto_model_test.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "prescient/forecast/backtest.h"
#include "prescient/forecast/model.h"

namespace prescient::forecast {

inline constexpr int kDefaultMaxCombined = 3;

struct AutoOptions {
  BacktestOptions backtest;
  int max_combined = kDefaultMaxCombined;
  // Candidate model names (registry.h). Empty: snaive, snaive-long and sar when the series
  // has a season; naive, mstl (trend + Theta) and ets when it has none.
  std::vector<std::string> candidates;
};

struct AutoSelection {
  std::vector<size_t> chosen;                        // Indices into the candidate list, best first.
  std::string description;                           // "auto: mean(mstl, sar)".
  std::vector<std::string> chosen_names;             // Registry names of the chosen models.
  BacktestResult backtest;                           // All candidates' backtest forecasts.
  std::vector<std::vector<double>> chosen_backtest;  // The chosen mix, per window.
  double score = 0;  // Mean symmetric relative error of the chosen mix.
};

class AutoModel final : public Model {
 public:
  explicit AutoModel(AutoOptions options = {});
  std::string_view name() const override { return "auto"; }
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;
  // The same, also returning how the choice was made (the forecaster calibrates intervals
  // on `chosen_backtest` instead of backtesting `auto` itself).
  Result<ModelForecast> ForecastWithSelection(std::span<const double> history,
                                              std::span<const int> periods, int horizon,
                                              AutoSelection* selection) const;

  // The pool used for seasonal series (all of them when candidates were given).
  const std::vector<std::unique_ptr<Model>>& candidates() const { return candidates_; }

 private:
  Result<AutoSelection> Select(std::span<const double> history, std::span<const int> periods,
                               int horizon) const;

  const std::vector<std::unique_ptr<Model>>& Pool(std::span<const int> periods) const;

  AutoOptions options_;
  std::vector<std::unique_ptr<Model>> candidates_;
  std::vector<std::unique_ptr<Model>> nonseasonal_candidates_;
};

}  // namespace prescient::forecast
