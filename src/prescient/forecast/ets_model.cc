// EtsModel: the "ets" Model. Picks one season from the periods it is given, fits ETS
// (automatic selection, or the fixed spec of its options) and steps down to simpler models
// when the history cannot carry the one asked for, saying so in the notes:
//   - periods above max_period (24) are left to MSTL; a period needs 2 full seasons plus
//     kSeasonalExtraPoints of history; ETS models only the first usable period;
//   - a fixed spec loses its multiplicative parts on data <= 0 (and ETS(A,*,M) becomes
//     ETS(M,*,M) under `restrict`), its season when no period is usable, then its season,
//     damping and trend while the history is too short;
//   - below kMinFitPoints points, or when nothing fits, the forecast is flat at the last
//     value (the naive forecast), without sd.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "prescient/forecast/ets.h"

namespace prescient::forecast {
namespace {

constexpr int kMinFitPoints = 4;         // ETS(A,N,N) has 2 parameters and needs n >= 4.
constexpr int kSeasonalExtraPoints = 4;  // Beyond two full seasons.

ModelForecast Flat(std::span<const double> history, int horizon, std::string why,
                   std::vector<std::string> notes) {
  ModelForecast out;
  out.mean.assign(horizon, history.back());
  out.description = "naive (last value)";
  out.notes = std::move(notes);
  out.notes.push_back("ets: " + why + "; flat forecast at the last value");
  return out;
}

int ChoosePeriod(int n, std::span<const int> periods, const EtsOptions& options,
                 std::vector<std::string>& notes) {
  if (!options.allow_seasonal) return 1;
  int chosen = 1;
  for (int p : periods) {
    if (p < 2) continue;
    const std::string name = "ets: period " + std::to_string(p);
    if (chosen > 1) {
      notes.push_back(name + " ignored: ETS models one season (using " + std::to_string(chosen) +
                      ")");
    } else if (p > options.max_period) {
      notes.push_back(name + " ignored: longer than " + std::to_string(options.max_period) +
                      " (use mstl)");
    } else if (n < 2 * p + kSeasonalExtraPoints) {
      notes.push_back(name + " ignored: needs " + std::to_string(2 * p + kSeasonalExtraPoints) +
                      " points, have " + std::to_string(n));
    } else {
      chosen = p;
    }
  }
  return chosen;
}

// A fixed spec made to fit the data: no multiplicative parts on data <= 0, no additive
// error with a multiplicative season under `restrict`, no season without a period.
EtsSpec AdaptSpec(EtsSpec spec, bool positive, int period, const EtsOptions& options,
                  std::vector<std::string>& notes) {
  const std::string asked = spec.ToString();
  if (spec.multiplicative() && !positive) {
    spec.error = ErrorType::kAdditive;
    if (spec.season == SeasonType::kMultiplicative) spec.season = SeasonType::kAdditive;
  }
  if (options.restrict && spec.error == ErrorType::kAdditive &&
      spec.season == SeasonType::kMultiplicative) {
    spec.error = ErrorType::kMultiplicative;
  }
  if (spec.seasonal() && period < 2) spec.season = SeasonType::kNone;
  if (spec.ToString() != asked) {
    notes.push_back("ets: " + asked + " does not suit this history; using " + spec.ToString());
  }
  return spec;
}

// Season, then damping, then trend go while the history is too short for the model.
Result<EtsFit> FitFixed(std::span<const double> y, int period, EtsSpec spec,
                        std::vector<std::string>& notes) {
  while (true) {
    Result<EtsFit> fit = FitEts(y, period, spec);
    if (fit.ok()) return fit;
    const std::string failed = spec.ToString();
    if (spec.seasonal()) {
      spec.season = SeasonType::kNone;
    } else if (spec.damped()) {
      spec.trend = TrendType::kAdditive;
    } else if (spec.has_trend()) {
      spec.trend = TrendType::kNone;
    } else {
      return fit;
    }
    notes.push_back("ets: " + failed + " failed (" + fit.status().message() + "); trying " +
                    spec.ToString());
  }
}

}  // namespace

EtsModel::EtsModel(EtsOptions options) : options_(std::move(options)) {}

Result<ModelForecast> EtsModel::Forecast(std::span<const double> history,
                                         std::span<const int> periods, int horizon) const {
  if (horizon < 1) return InvalidArgumentError("ets: horizon must be >= 1");
  if (history.empty()) return InvalidArgumentError("ets: empty history");
  for (size_t i = 0; i < history.size(); ++i) {
    if (!std::isfinite(history[i])) {
      return InvalidArgumentError("ets: history value " + std::to_string(i) + " is not finite");
    }
  }
  const int n = static_cast<int>(history.size());
  std::vector<std::string> notes;
  if (n < kMinFitPoints) {
    return Flat(history, horizon, "only " + std::to_string(n) + " points", std::move(notes));
  }
  const int period = ChoosePeriod(n, periods, options_, notes);
  Result<EtsFit> fit = Status(StatusCode::kUnknown, "unset");
  if (options_.spec.has_value()) {
    const bool positive =
        std::all_of(history.begin(), history.end(), [](double v) { return v > 0; });
    const EtsSpec spec = AdaptSpec(*options_.spec, positive, period, options_, notes);
    fit = FitFixed(history, period, spec, notes);
  } else {
    fit = FitEtsAuto(history, period, options_);
  }
  if (!fit.ok()) return Flat(history, horizon, fit.status().message(), std::move(notes));
  ModelForecast out;
  out.mean = EtsForecastMean(*fit, horizon);
  out.sd = EtsForecastSd(*fit, horizon);
  out.notes = std::move(notes);
  const auto finite = [](double v) { return std::isfinite(v); };
  if (!std::all_of(out.mean.begin(), out.mean.end(), finite)) {
    return Flat(history, horizon, fit->spec.ToString() + " forecast is not finite",
                std::move(out.notes));
  }
  if (!std::all_of(out.sd.begin(), out.sd.end(), finite)) out.sd.clear();
  out.description = fit->spec.ToString();
  return out;
}

}  // namespace prescient::forecast
