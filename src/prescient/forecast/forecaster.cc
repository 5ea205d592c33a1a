#include "prescient/forecast/forecaster.h"

#include <algorithm>
#include <cmath>

#include "prescient/forecast/auto_model.h"
#include "prescient/forecast/missing.h"
#include "prescient/forecast/registry.h"

namespace prescient::forecast {
namespace {

Status Validate(const ForecastOptions& o) {
  if (o.horizon < 1)
    return InvalidArgumentError("horizon must be at least 1, got " + std::to_string(o.horizon));
  if (o.horizon > kMaxHorizon) {
    return InvalidArgumentError("horizon " + std::to_string(o.horizon) +
                                " is longer than the limit of " + std::to_string(kMaxHorizon) +
                                " steps");
  }
  for (double level : o.levels) {
    if (!(level > 0 && level < 100))
      return InvalidArgumentError("level must be in (0, 100), got " + std::to_string(level));
  }
  for (int p : o.periods) {
    if (p < 2)
      return InvalidArgumentError("season must be at least 2 steps, got " + std::to_string(p));
  }
  if (MakeModel(o.model) == nullptr) return InvalidArgumentError("unknown model '" + o.model + "'");
  if (o.backtest.windows < 0) return InvalidArgumentError("backtest windows must be >= 0");
  return OkStatus();
}

// Seasons need two full cycles of history; shorter ones are dropped with a note.
std::vector<int> UsablePeriods(std::vector<int> periods, size_t n,
                               std::vector<std::string>& notes) {
  std::sort(periods.begin(), periods.end());
  periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
  std::vector<int> usable;
  for (int p : periods) {
    if (n >= 2 * static_cast<size_t>(p)) {
      usable.push_back(p);
    } else {
      notes.push_back("history of " + std::to_string(n) +
                      " points is shorter than two seasons of " + std::to_string(p) + ": season " +
                      std::to_string(p) + " ignored");
    }
  }
  return usable;
}

Result<Forecast> Finish(ModelForecast point, Forecast out, std::span<const double> y,
                        std::span<const int> periods,
                        const std::vector<std::vector<double>>& scaled_errors,
                        const std::vector<double>& levels) {
  for (std::string& note : point.notes) out.notes.push_back(std::move(note));
  for (double v : point.mean) {
    if (!std::isfinite(v))
      return InternalError("model " + point.description + " produced a non-finite forecast");
  }
  if (!scaled_errors.empty()) {
    out.bands = ConformalBands(scaled_errors, point.mean, LevelScale(y, periods), levels);
    out.interval_method =
        "conformal(" + std::to_string(scaled_errors.size()) + " backtest windows)";
  } else {
    out.bands = GaussianBands(point.mean, point.sd, levels);
    out.interval_method = "gaussian(model sd)";
    out.notes.push_back(
        "history too short to calibrate intervals on backtests: using the model's own error "
        "estimate");
  }
  out.mean = std::move(point.mean);
  out.model = std::move(point.description);
  // Counts and rates cannot go below zero: neither can their forecast.
  if (std::all_of(y.begin(), y.end(), [](double v) { return v >= 0; })) {
    for (double& v : out.mean) v = std::max(v, 0.0);
    for (Band& band : out.bands) {
      for (double& v : band.lower) v = std::max(v, 0.0);
      for (double& v : band.upper) v = std::max(v, 0.0);
    }
  }
  return out;
}

}  // namespace

Result<Forecast> ForecastValues(std::span<const double> values, const ForecastOptions& options,
                                Calibration* calibration) {
  PRESCIENT_RETURN_IF_ERROR(Validate(options));
  std::vector<int> sorted = options.periods;
  std::sort(sorted.begin(), sorted.end());
  PRESCIENT_ASSIGN_OR_RETURN(FilledHistory filled,
                             FillMissing(values, sorted.empty() ? 0 : sorted.front()));
  const std::vector<double>& y = filled.values;
  if (static_cast<int64_t>(options.horizon) >
      static_cast<int64_t>(kMaxHorizonToHistoryRatio) * static_cast<int64_t>(y.size())) {
    return InvalidArgumentError("horizon " + std::to_string(options.horizon) + " is more than " +
                                std::to_string(kMaxHorizonToHistoryRatio) + " times the history (" +
                                std::to_string(y.size()) + " points)");
  }
  Forecast out;
  if (filled.filled > 0)
    out.notes.push_back("filled " + std::to_string(filled.filled) + " missing points");
  const std::vector<int> periods = UsablePeriods(options.periods, y.size(), out.notes);

  ModelForecast point;
  std::vector<std::vector<double>> scaled_errors;
  if (options.model == "auto") {
    AutoModel model(AutoOptions{.backtest = options.backtest});
    AutoSelection selection;
    PRESCIENT_ASSIGN_OR_RETURN(
        point, model.ForecastWithSelection(y, periods, options.horizon, &selection));
    if (!selection.backtest.empty())
      scaled_errors = selection.backtest.ScaledErrors(selection.chosen_backtest);
    if (calibration != nullptr) calibration->models = selection.chosen_names;
  } else {
    std::unique_ptr<Model> model = MakeModel(options.model);
    PRESCIENT_ASSIGN_OR_RETURN(point, model->Forecast(y, periods, options.horizon));
    const Model* models[] = {model.get()};
    PRESCIENT_ASSIGN_OR_RETURN(BacktestResult bt,
                               Backtest(models, y, periods, options.horizon, options.backtest));
    if (!bt.empty()) scaled_errors = bt.ScaledErrors(bt.forecasts[0]);
    if (calibration != nullptr) calibration->models = {options.model};
  }
  if (calibration != nullptr) {
    calibration->periods = periods;
    calibration->scaled_errors = scaled_errors;
  }
  return Finish(std::move(point), std::move(out), y, periods, scaled_errors, options.levels);
}

Result<Forecast> ForecastWithCalibration(std::span<const double> values,
                                         const ForecastOptions& options,
                                         const Calibration& calibration) {
  PRESCIENT_RETURN_IF_ERROR(Validate(options));
  if (calibration.models.empty()) return InvalidArgumentError("calibration: no model");
  if (calibration.scaled_errors.empty() && calibration.models.size() > 1) {
    return InvalidArgumentError("calibration: a mix of models needs backtest errors");
  }
  const std::vector<int>& periods = calibration.periods;
  PRESCIENT_ASSIGN_OR_RETURN(
      FilledHistory filled,
      FillMissing(values, periods.empty() ? 0 : *std::min_element(periods.begin(), periods.end())));
  const std::vector<double>& y = filled.values;
  Forecast out;
  ModelForecast point;
  point.mean.assign(static_cast<size_t>(options.horizon), 0.0);
  for (const std::string& name : calibration.models) {
    std::unique_ptr<Model> model = MakeModel(name);
    if (model == nullptr) return InvalidArgumentError("calibration: unknown model '" + name + "'");
    PRESCIENT_ASSIGN_OR_RETURN(ModelForecast f, model->Forecast(y, periods, options.horizon));
    for (size_t h = 0; h < point.mean.size(); ++h) point.mean[h] += f.mean[h];
    if (calibration.models.size() == 1) point.sd = std::move(f.sd);
    point.description += (point.description.empty() ? "" : " + ") + f.description;
  }
  for (double& v : point.mean) v /= static_cast<double>(calibration.models.size());
  return Finish(std::move(point), std::move(out), y, periods, calibration.scaled_errors,
                options.levels);
}

}  // namespace prescient::forecast
