#include "prescient/forecast/auto_model.h"

#include <algorithm>
#include <numeric>

#include "prescient/forecast/registry.h"

namespace prescient::forecast {
namespace {

// With a season: the lag regression and the two seasonal naives. MSTL and Prophet were in
// this pool and left it: on M4 Hourly they made the choice worse (OWA 0.411 with MSTL,
// 0.406 without) and cost two thirds of the time, and `sar` follows a trend better than
// MSTL's Theta does. Without a season those models are what is left to compare.
const std::vector<std::string>& SeasonalCandidates() {
  static const std::vector<std::string> kNames = {"snaive", "snaive-long", "sar"};
  return kNames;
}

const std::vector<std::string>& NonSeasonalCandidates() {
  static const std::vector<std::string> kNames = {"naive", "mstl", "ets"};
  return kNames;
}

std::vector<std::unique_ptr<Model>> MakeAll(const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<Model>> models;
  for (const std::string& name : names) {
    if (name == "auto") continue;
    std::unique_ptr<Model> m = MakeModel(name);
    if (m != nullptr) models.push_back(std::move(m));
  }
  if (models.empty()) models.push_back(MakeModel("snaive"));
  return models;
}

// Mean of the given models' forecasts, per window.
std::vector<std::vector<double>> MeanOf(const BacktestResult& bt, std::span<const size_t> models) {
  std::vector<std::vector<double>> mix(bt.windows.size());
  for (size_t w = 0; w < bt.windows.size(); ++w) {
    mix[w].assign(static_cast<size_t>(bt.windows[w].length), 0.0);
    for (size_t m : models) {
      for (size_t j = 0; j < mix[w].size(); ++j) mix[w][j] += bt.forecasts[m][w][j];
    }
    for (double& v : mix[w]) v /= static_cast<double>(models.size());
  }
  return mix;
}

}  // namespace

AutoModel::AutoModel(AutoOptions options) : options_(std::move(options)) {
  const bool given = !options_.candidates.empty();
  candidates_ = MakeAll(given ? options_.candidates : SeasonalCandidates());
  nonseasonal_candidates_ = MakeAll(given ? options_.candidates : NonSeasonalCandidates());
}

const std::vector<std::unique_ptr<Model>>& AutoModel::Pool(std::span<const int> periods) const {
  return periods.empty() ? nonseasonal_candidates_ : candidates_;
}

Result<AutoSelection> AutoModel::Select(std::span<const double> history,
                                        std::span<const int> periods, int horizon) const {
  const std::vector<std::unique_ptr<Model>>& pool = Pool(periods);
  std::vector<const Model*> models;
  for (const auto& m : pool) models.push_back(m.get());
  AutoSelection sel;
  PRESCIENT_ASSIGN_OR_RETURN(sel.backtest,
                             Backtest(models, history, periods, horizon, options_.backtest));
  if (sel.backtest.empty()) {
    // Too short to judge: the first candidate (seasonal naive) is the safe choice.
    sel.chosen = {0};
    sel.description = std::string(pool[0]->name());
    sel.chosen_names = {sel.description};
    return sel;
  }
  std::vector<double> scores(models.size());
  for (size_t m = 0; m < models.size(); ++m) {
    scores[m] = sel.backtest.MeanSymmetricError(sel.backtest.forecasts[m]);
  }
  std::vector<size_t> order(models.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] < scores[b]; });

  double best = scores[order[0]];
  size_t best_k = 1;
  std::vector<std::vector<double>> best_mix = sel.backtest.forecasts[order[0]];
  for (size_t k = 2;
       k <= std::min<size_t>(static_cast<size_t>(options_.max_combined), order.size()); ++k) {
    std::vector<std::vector<double>> mix = MeanOf(sel.backtest, std::span(order).first(k));
    const double score = sel.backtest.MeanSymmetricError(mix);
    if (score < best) {
      best = score;
      best_k = k;
      best_mix = std::move(mix);
    }
  }
  sel.chosen.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(best_k));
  for (size_t m : sel.chosen) sel.chosen_names.emplace_back(pool[m]->name());
  sel.score = best;
  sel.chosen_backtest = std::move(best_mix);
  if (best_k == 1) {
    sel.description = std::string(pool[order[0]]->name());
  } else {
    sel.description = "mean(";
    for (size_t i = 0; i < best_k; ++i) {
      sel.description += (i ? ", " : "") + std::string(pool[order[i]]->name());
    }
    sel.description += ")";
  }
  return sel;
}

Result<ModelForecast> AutoModel::ForecastWithSelection(std::span<const double> history,
                                                       std::span<const int> periods, int horizon,
                                                       AutoSelection* selection) const {
  PRESCIENT_ASSIGN_OR_RETURN(AutoSelection sel, Select(history, periods, horizon));
  const std::vector<std::unique_ptr<Model>>& pool = Pool(periods);
  ModelForecast out;
  out.mean.assign(static_cast<size_t>(horizon), 0.0);
  std::vector<std::string> parts;
  for (size_t m : sel.chosen) {
    PRESCIENT_ASSIGN_OR_RETURN(ModelForecast f, pool[m]->Forecast(history, periods, horizon));
    for (size_t h = 0; h < out.mean.size(); ++h) out.mean[h] += f.mean[h];
    if (sel.chosen.size() == 1) out.sd = f.sd;
    parts.push_back(f.description);
    for (std::string& note : f.notes) out.notes.push_back(std::move(note));
  }
  for (double& v : out.mean) v /= static_cast<double>(sel.chosen.size());
  out.description = "auto: ";
  if (parts.size() == 1) {
    out.description += parts[0];
  } else {
    out.description += "mean(";
    for (size_t i = 0; i < parts.size(); ++i) out.description += (i ? ", " : "") + parts[i];
    out.description += ")";
  }
  if (selection != nullptr) *selection = std::move(sel);
  return out;
}

Result<ModelForecast> AutoModel::Forecast(std::span<const double> history,
                                          std::span<const int> periods, int horizon) const {
  return ForecastWithSelection(history, periods, horizon, nullptr);
}

}  // namespace prescient::forecast
