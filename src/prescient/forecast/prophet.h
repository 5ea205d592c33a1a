// ProphetModel: a Prophet-style decomposable regression (Taylor & Letham 2018): a
// piecewise-linear trend with sparse rate changes, Fourier seasonalities and event windows,
// fitted as one MAP point estimate (penalised least squares, no sampling). The model, its
// equations and its failure modes are in prophet.cc.
// FitProphet / ProphetPredict are pure functions; ProphetModel is immutable, thread-safe.
// Tested by prophet_test.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/model.h"

namespace prescient::forecast {

enum class ProphetMode {
  kAdditive,        // y = g + s + h + e
  kMultiplicative,  // y = g * (1 + s + h) + e, as prophet fits it (not a log transform).
};

// A recurring event (a release, a sale, a batch job): an effect of its own at each step of
// a window that opens at every start.
struct ProphetEvent {
  static constexpr double kDefaultPriorScale = 10.0;
  std::string name;
  // Step indices relative to the first history point: may be negative or in the future.
  std::vector<int64_t> starts;
  int length_steps = 1;                     // 1..2000: one coefficient per window step.
  double prior_scale = kDefaultPriorScale;  // > 0; smaller shrinks the effect harder.
};

struct ProphetFourierOrder {
  int period = 0;  // Steps.
  int order = 0;   // Harmonics k = 1..order; 0 disables that period.
};

struct ProphetOptions {
  static constexpr int kDefaultChangepoints = 25;
  static constexpr double kDefaultChangepointRange = 0.8;
  static constexpr double kDefaultChangepointPriorScale = 0.05;
  static constexpr double kDefaultSeasonalityPriorScale = 10.0;

  int n_changepoints = kDefaultChangepoints;                       // 0..2000.
  double changepoint_range = kDefaultChangepointRange;             // In (0, 1].
  double changepoint_prior_scale = kDefaultChangepointPriorScale;  // > 0 (Laplace scale).
  double seasonality_prior_scale = kDefaultSeasonalityPriorScale;  // > 0 (Gaussian sd).
  ProphetMode mode = ProphetMode::kAdditive;
  // Per-period overrides; a period not listed gets DefaultProphetFourierOrder().
  std::vector<ProphetFourierOrder> fourier_orders;
  std::vector<ProphetEvent> events;
};

// Harmonics used for `period` when the options do not say: 10 for the shortest period
// (the M4 hourly check in prophet.cc), 3 for the longer ones (prophet's weekly default);
// never more than period / 2.
int DefaultProphetFourierOrder(int period, std::span<const int> periods);

struct ProphetSeasonalFit {
  int period = 0;
  std::vector<int> harmonics;  // k of each pair: cos/sin(2*pi*k*i/period), i = step index.
  // Additive mode: y units. Multiplicative mode: a fraction of the trend.
  std::vector<double> cos_coef;
  std::vector<double> sin_coef;
};

struct ProphetEventFit {
  std::string name;
  std::vector<int64_t> starts;
  std::vector<double> effect;  // Per step of the window; units as for seasonalities.
};

// A fitted model in the units of the history; step index 0 is the first history point.
struct ProphetFit {
  ProphetMode mode = ProphetMode::kAdditive;
  int64_t history_size = 0;
  double trend_rate = 0;              // k: y units per step before the first changepoint.
  double trend_offset = 0;            // m: the trend at index 0.
  std::vector<int64_t> changepoints;  // Step indices, ascending.
  std::vector<double> deltas;         // Rate change at each changepoint, y units per step.
  std::vector<ProphetSeasonalFit> seasonalities;
  std::vector<ProphetEventFit> events;
  double sigma = 0;  // MAP noise sd, y units.
  // Prophet's trend-uncertainty process in closed form (prophet.cc): future changepoints
  // arrive at `changepoint_rate` per step with Laplace(0, delta_scale) rate changes.
  double changepoint_rate = 0;
  double delta_scale = 0;
  std::vector<std::string> notes;  // Seasonalities dropped, short-history fallback, ...
};

// InvalidArgument for non-finite history values, periods < 2, bad options or a design of
// more than 2000 columns. Histories under 3 points give a flat fit (a note says so).
// `periods` need not be sorted.
Result<ProphetFit> FitProphet(std::span<const double> y, std::span<const int> periods,
                              const ProphetOptions& options);

// Fitted values at step indices from_index .. from_index + count - 1 (in-sample or future).
std::vector<double> ProphetPredict(const ProphetFit& fit, int64_t from_index, int count);

// Forecast-error sd for the `horizon` steps after the history: noise plus the trend
// uncertainty of future changepoints.
std::vector<double> ProphetForecastSd(const ProphetFit& fit, int horizon);

class ProphetModel final : public Model {
 public:
  explicit ProphetModel(ProphetOptions options = {});
  std::string_view name() const override { return "prophet"; }
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;

 private:
  const ProphetOptions options_;
};

}  // namespace prescient::forecast
