// ETS: exponential smoothing as innovations state-space models.
//
// The model. A state x_t = (level l, trend b, seasonal states s) and one error e_t per
// step drive both the observation and the state update (single source of error):
//   ETS(A,Ad,A):  y_t = l + phi b + s_{t-m} + e_t
//                 l_t = l + phi b + alpha e_t
//                 b_t = phi b + beta e_t
//                 s_t = s_{t-m} + gamma e_t
//   ETS(M,Ad,M):  y_t = (l + phi b) s_{t-m} (1 + e_t)
//                 l_t = (l + phi b)(1 + alpha e_t)
//                 b_t = phi b + beta (l + phi b) e_t
//                 s_t = s_{t-m} (1 + gamma e_t)
// and the other combinations of error {A, M} x trend {N, A, Ad} x season {N, A, M}
// (l, b, s mean their t-1 values on the right). Additive and multiplicative error share
// point forecasts and state updates; they differ in the likelihood and the intervals.
// e_t ~ N(0, sigma^2) (relative for M error). Multiplicative trends are left out, as R
// leaves them out by default.
//
// Source: Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing: The
// State Space Approach" (Springer, 2008); Hyndman & Athanasopoulos, "Forecasting:
// Principles and Practice", ch. 8; R's forecast::ets (etsmodel, initstate, initparam,
// etscalc.c, etsTargetFunction.cpp), whose fitting we follow step for step:
//   1. starting states from a classical decomposition (ets_init.cc), starting smoothing
//      parameters from initparam (alpha = 0.2/m of its range, ...);
//   2. Nelder–Mead (R's nmmin, nelder_mead.cc, 2000 evaluations) on alpha, beta, gamma,
//      phi and the initial states jointly, minimising n log(sum e^2) (+ 2 sum log|yhat|
//      for M error) inside R's "usual" bounds (1e-4 <= alpha <= 0.9999, beta <= alpha,
//      gamma <= 1 - alpha, 0.8 <= phi <= 0.98) and the admissible region (ets_core.cc);
//   3. AIC = lik + 2k, AICc = AIC + 2k(k+1)/(n-k-1), BIC = lik + k log n, with k = the
//      smoothing parameters + the free initial states (m-1 seasonal) + 1 for sigma;
//   4. automatic selection ("ZZZ"): every candidate not excluded (M error or season on
//      data <= 0; A error with M season under `restrict`; seasons with m > 24 or m >= n;
//      models with k >= n - 1), lowest AICc wins, ties to the first in R's order.
// Recursion, likelihood and admissibility live in ets_core.cc, forecasts and their
// variances in ets_forecast.cc.
//
// Known failure modes.
//   - Nelder–Mead in 15-30 dimensions (seasonal models) usually stops at its evaluation
//     cap, not at a minimum: fits are good, not optimal, and differ slightly from R's
//     whenever the arithmetic differs in the last bit (R's would differ between
//     platforms too). Selection agrees with R on the datasets in ets_test.cc.
//   - The log-likelihood has a 1/0 at perfect fits; as R, we floor it at -1e10, and a
//     constant series gets ETS(A,N,N) with alpha 0.99999 and sigma 0 without a search.
//   - Short series: below ~2 seasons + a few points seasonal models are not tried
//     (EtsModel), and below parameters + 2 points a model is not fitted at all.
//   - Multiplicative models on data near zero are fragile; values <= 0 rule them out.
//   - Intervals from sd assume Gaussian errors; for ETS(M,*,M) sd is an approximation.

#include "prescient/forecast/ets.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "prescient/forecast/ets_core.h"
#include "prescient/forecast/nelder_mead.h"

namespace prescient::forecast {
namespace {

using ets_internal::EtsObjective;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPerfectFitLik = -1e10;  // R's floor for n log(sse).

Status CheckFinite(std::span<const double> y) {
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      return InvalidArgumentError("value " + std::to_string(i) + " is not finite");
    }
  }
  return OkStatus();
}

bool AllPositive(std::span<const double> y) {
  return std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
}

// R's is.constant(): all.equal(y, rep(y[1], n)), a mean relative difference below 1.5e-8.
bool IsConstant(std::span<const double> y) {
  double diff = 0, scale = 0;
  for (double v : y) {
    diff += std::fabs(v - y[0]);
    scale += std::fabs(v);
  }
  return scale > 0 ? diff / scale < 1.5e-8 : diff < 1.5e-8;
}

// Runs the model from `fit.initial` and fills the last state, sigma2, likelihood and
// information criteria.
void Evaluate(std::span<const double> y, int num_free, EtsFit& fit) {
  fit.last = fit.initial;
  std::vector<double> ring(fit.spec.seasonal() ? fit.period : 1);
  const ets_internal::RecursionResult r =
      ets_internal::RunRecursion(y, fit.spec, fit.period, fit.params, fit.last, ring);
  const int n = static_cast<int>(y.size());
  const double lik = std::max(ets_internal::Likelihood(r, n, fit.spec.error), kPerfectFitLik);
  const int k = num_free + 1;
  fit.n = n;
  fit.num_params = k;
  // n <= num_free only for a constant series of one or two points, where sse = 0.
  fit.sigma2 = r.sse / (n > num_free ? n - num_free : n);
  fit.loglik = -0.5 * lik;
  fit.aic = lik + 2.0 * k;
  fit.bic = lik + std::log(static_cast<double>(n)) * k;
  fit.aicc = n - k - 1 > 0 ? fit.aic + 2.0 * k * (k + 1) / (n - k - 1) : kInf;
}

// R: ses(y, alpha = 0.99999, initial = "simple").
EtsFit ConstantFit(std::span<const double> y) {
  EtsFit fit;
  fit.params.alpha = 0.99999;
  fit.initial.level = y[0];
  Evaluate(y, 2, fit);
  return fit;
}

double Criterion(const EtsFit& fit, InformationCriterion ic) {
  switch (ic) {
    case InformationCriterion::kAic:
      return fit.aic;
    case InformationCriterion::kBic:
      return fit.bic;
    case InformationCriterion::kAicc:
      break;
  }
  return fit.aicc;
}

int NumFreeParams(const EtsSpec& spec, int period) {
  return 1 + spec.has_trend() + spec.seasonal() + spec.damped()        // alpha beta gamma phi
         + 1 + spec.has_trend() + (spec.seasonal() ? period - 1 : 0);  // l b s_1..s_{m-1}
}

// The candidates of R's ets(model = "ZZZ"), in R's order (ties go to the first).
std::vector<EtsSpec> Candidates(int n, int period, bool positive, const EtsOptions& o) {
  const bool seasonal = o.allow_seasonal && period >= 2 && period <= o.max_period && n > period;
  std::vector<EtsSpec> out;
  for (ErrorType e : {ErrorType::kAdditive, ErrorType::kMultiplicative}) {
    if (e == ErrorType::kMultiplicative && !(o.allow_multiplicative_error && positive)) continue;
    for (bool trend : {false, true}) {
      for (SeasonType s : {SeasonType::kNone, SeasonType::kAdditive, SeasonType::kMultiplicative}) {
        if (s != SeasonType::kNone && !seasonal) continue;
        if (s == SeasonType::kMultiplicative && !positive) continue;
        if (o.restrict && e == ErrorType::kAdditive && s == SeasonType::kMultiplicative) continue;
        for (bool damped : {true, false}) {
          if (damped && (!trend || !o.allow_damped)) continue;
          const TrendType t = !trend   ? TrendType::kNone
                              : damped ? TrendType::kAdditiveDamped
                                       : TrendType::kAdditive;
          out.push_back(EtsSpec{e, t, s});
        }
      }
    }
  }
  return out;
}

}  // namespace

std::string EtsSpec::ToString() const {
  std::string s = "ETS(";
  s += error == ErrorType::kAdditive ? "A," : "M,";
  s += trend == TrendType::kNone ? "N," : trend == TrendType::kAdditive ? "A," : "Ad,";
  s += season == SeasonType::kNone ? "N)" : season == SeasonType::kAdditive ? "A)" : "M)";
  return s;
}

Result<EtsSpec> ParseEtsSpec(std::string_view text) {
  std::string t;
  std::string_view body = text;
  if (body.starts_with("ETS(") && body.ends_with(")")) body = body.substr(4, body.size() - 5);
  for (char c : body) {
    if (c != ',') t += c;
  }
  EtsSpec spec;
  const auto bad = [&] {
    return InvalidArgumentError("bad ETS model \"" + std::string(text) +
                                "\": want e.g. MAdM or ETS(M,Ad,M)");
  };
  if (t.size() < 3 || t.size() > 4) return bad();
  if (t[0] != 'A' && t[0] != 'M') return bad();
  spec.error = t[0] == 'A' ? ErrorType::kAdditive : ErrorType::kMultiplicative;
  const std::string trend = t.substr(1, t.size() - 2);
  if (trend == "N") {
    spec.trend = TrendType::kNone;
  } else if (trend == "A") {
    spec.trend = TrendType::kAdditive;
  } else if (trend == "Ad") {
    spec.trend = TrendType::kAdditiveDamped;
  } else {
    return bad();
  }
  const char season = t.back();
  if (season != 'N' && season != 'A' && season != 'M') return bad();
  spec.season = season == 'N'   ? SeasonType::kNone
                : season == 'A' ? SeasonType::kAdditive
                                : SeasonType::kMultiplicative;
  return spec;
}

Result<EtsFit> FitEts(std::span<const double> y, int period, const EtsSpec& spec) {
  const std::string name = spec.ToString();
  PRESCIENT_RETURN_IF_ERROR(CheckFinite(y).WithContext(name));
  const int n = static_cast<int>(y.size());
  const int m = spec.seasonal() ? period : 1;
  if (spec.seasonal() && (m < 2 || m >= n)) {
    return InvalidArgumentError(name + ": period " + std::to_string(period) +
                                " needs 2 <= period < " + std::to_string(n) + " (points)");
  }
  if (spec.multiplicative() && !AllPositive(y)) {
    return InvalidArgumentError(name + ": multiplicative components need data > 0");
  }
  const int num_free = NumFreeParams(spec, m);
  if (num_free >= n - 1) {
    return InvalidArgumentError(name + ": " + std::to_string(n) + " points are too few for " +
                                std::to_string(num_free) + " parameters");
  }
  PRESCIENT_ASSIGN_OR_RETURN(EtsStates start, ets_internal::InitialStates(y, spec, m));
  EtsObjective objective(y, spec, m);
  const std::vector<double> x0 = objective.Pack(ets_internal::StartingParams(spec, m), start);
  Result<NelderMeadResult> best =
      NelderMeadMinimize([&objective](std::span<const double> x) { return objective(x); }, x0);
  if (!best.ok()) {
    return Status(StatusCode::kFailedPrecondition,
                  name + ": no admissible starting point: " + best.status().message());
  }
  EtsFit fit;
  fit.spec = spec;
  fit.period = m;
  objective.Unpack(best->x, fit.params, fit.initial);
  Evaluate(y, num_free, fit);
  return fit;
}

Result<EtsFit> FitEtsAuto(std::span<const double> y, int period, const EtsOptions& options) {
  PRESCIENT_RETURN_IF_ERROR(CheckFinite(y).WithContext("ETS"));
  if (y.empty()) return InvalidArgumentError("ETS: empty series");
  const bool positive = AllPositive(y);
  if (options.spec.has_value()) {
    const EtsSpec& spec = *options.spec;
    if (options.restrict && spec.error == ErrorType::kAdditive &&
        spec.season == SeasonType::kMultiplicative) {
      return InvalidArgumentError(spec.ToString() + " is excluded by `restrict` (unstable)");
    }
    if (spec.seasonal() && period > options.max_period) {
      return InvalidArgumentError(spec.ToString() + ": period " + std::to_string(period) + " > " +
                                  std::to_string(options.max_period));
    }
    return FitEts(y, period, spec);
  }
  if (IsConstant(y)) return ConstantFit(y);
  const int n = static_cast<int>(y.size());
  Result<EtsFit> best = Status(StatusCode::kFailedPrecondition,
                               "ETS: no model can be fitted to " + std::to_string(n) + " points");
  // Lowest criterion; where it is infinite for all (AICc at n = parameters + 2), lowest AIC.
  std::pair<double, double> best_key = {kInf, kInf};
  for (const EtsSpec& spec : Candidates(n, period, positive, options)) {
    if (NumFreeParams(spec, spec.seasonal() ? period : 1) >= n - 1) continue;
    Result<EtsFit> fit = FitEts(y, period, spec);
    if (!fit.ok()) continue;
    const double ic = Criterion(*fit, options.criterion);
    const std::pair<double, double> key = {std::isfinite(ic) ? ic : kInf, fit->aic};
    if (std::isnan(key.second) || !(key < best_key)) continue;
    best_key = key;
    best = std::move(fit);
  }
  return best;
}

}  // namespace prescient::forecast
