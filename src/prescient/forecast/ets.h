// ETS exponential smoothing: the innovations state-space models ETS(error, trend, season)
// of Hyndman, Koehler, Ord & Snyder (2008), fitted by maximum likelihood and chosen by
// AICc as R's forecast::ets(model = "ZZZ") does. FitEts/FitEtsAuto are the low-level API
// (MSTL fits a non-seasonal ETS to its seasonally adjusted series); EtsModel is the Model.
// Pure functions and a stateless model: thread-safe. Tested by ets_test.cc.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/model.h"

namespace prescient::forecast {

// R's ets refuses seasonal periods above 24; longer seasons are MSTL's job.
inline constexpr int kDefaultEtsMaxPeriod = 24;

enum class ErrorType { kAdditive, kMultiplicative };
enum class TrendType { kNone, kAdditive, kAdditiveDamped };  // No multiplicative trend.
enum class SeasonType { kNone, kAdditive, kMultiplicative };

struct EtsSpec {
  ErrorType error = ErrorType::kAdditive;
  TrendType trend = TrendType::kNone;
  SeasonType season = SeasonType::kNone;

  bool operator==(const EtsSpec&) const = default;
  bool has_trend() const { return trend != TrendType::kNone; }
  bool damped() const { return trend == TrendType::kAdditiveDamped; }
  bool seasonal() const { return season != SeasonType::kNone; }
  bool multiplicative() const {
    return error == ErrorType::kMultiplicative || season == SeasonType::kMultiplicative;
  }
  std::string ToString() const;  // "ETS(M,Ad,M)".
};

// Accepts "MAdM" or "ETS(M,Ad,M)"; InvalidArgument otherwise.
Result<EtsSpec> ParseEtsSpec(std::string_view text);

enum class InformationCriterion { kAicc, kAic, kBic };

struct EtsOptions {
  std::optional<EtsSpec> spec;  // A fixed model; empty: automatic selection.
  bool allow_multiplicative_error = true;
  bool allow_seasonal = true;
  bool allow_damped = true;
  int max_period = kDefaultEtsMaxPeriod;  // Seasonal models only for 2 <= period <= this.
  // R's `restrict`: no additive error with a multiplicative season (numerically unstable).
  bool restrict = true;
  InformationCriterion criterion = InformationCriterion::kAicc;
};

// beta is 0 without a trend, gamma 0 without a season, phi 1 unless damped.
struct EtsParams {
  double alpha = 0;
  double beta = 0;
  double gamma = 0;
  double phi = 1;
};

struct EtsStates {
  double level = 0;
  double trend = 0;  // 0 without a trend.
  // The `period` seasonal states, newest first as in R (s1..sm): season.back() belongs to
  // the next step. Empty for non-seasonal models.
  std::vector<double> season;
};

struct EtsFit {
  EtsSpec spec;
  int period = 1;  // 1 for non-seasonal models.
  int n = 0;       // Points fitted.
  EtsParams params;
  EtsStates initial;  // x0, estimated with the parameters.
  EtsStates last;     // x_n: the state the forecasts start from.
  // Residual variance sum(e^2) / (n - free parameters); e is relative for multiplicative
  // error, so sigma2 is then a relative variance.
  double sigma2 = 0;
  double loglik = 0;  // R's: -0.5 * (n log(sum e^2) [+ 2 sum log|yhat|]).
  double aic = 0;
  double aicc = 0;
  double bic = 0;
  int num_params = 0;  // Smoothing parameters + free initial states + 1 (sigma), as in R.
};

// Fits one model by maximum likelihood. `period` is ignored for non-seasonal specs. No
// period cap here (EtsOptions::max_period applies to FitEtsAuto and EtsModel). InvalidArgument
// for non-finite data, a seasonal spec without 2 <= period < n, multiplicative components on
// data <= 0, or fewer than parameters + 2 points; FailedPrecondition if the starting point
// is not admissible (e.g. ETS(M,*,A) whose initial fitted values go negative).
Result<EtsFit> FitEts(std::span<const double> y, int period, const EtsSpec& spec);

// options.spec set: fits it (InvalidArgument if `restrict` forbids it). Otherwise fits
// every admissible candidate (error A/M x trend N/A/Ad x season N/A/M) and returns the one
// with the lowest criterion. A period outside [2, max_period] or >= n means no seasonal
// candidates. A constant series gets ETS(A,N,N) with alpha 0.9999, as in R.
Result<EtsFit> FitEtsAuto(std::span<const double> y, int period, const EtsOptions& options);

// Point forecasts 1..horizon steps ahead: the state recursion with the errors set to zero.
// For ETS(M,*,M) R's mean adds an O(sigma2) term; we return the point forecast.
std::vector<double> EtsForecastMean(const EtsFit& fit, int horizon);
// Forecast standard deviation per step: exact for linear models (A,N|A|Ad,N|A) and for
// (M,N|A|Ad,N|A); a first-order approximation otherwise (see ets_forecast.cc).
std::vector<double> EtsForecastSd(const EtsFit& fit, int horizon);

class EtsModel final : public Model {
 public:
  explicit EtsModel(EtsOptions options = {});
  std::string_view name() const override { return "ets"; }
  // Uses the first period <= max_period with at least two full seasons (plus a few points)
  // of history; falls back to simpler models on short or awkward histories, with a note.
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;

 private:
  const EtsOptions options_;
};

}  // namespace prescient::forecast
