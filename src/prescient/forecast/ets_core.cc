// The ETS state recursion, its likelihood, and the region the parameters may take.
//
// The recursion is R's etscalc() (forecast/src/etscalc.c) in error-correction form, which
// is the same for additive and multiplicative errors; only the likelihood differs. With
// q = l + phi b (the level the model expects) and s the seasonal state of this phase:
//   yhat = q        (no season) | q + s (additive) | q * s (multiplicative)
//   u    = y - q    (no season) | y - s - q        | y / s - q     (the level's surprise)
//   l'   = q + alpha u
//   b'   = phi b + beta u          (R: phi b + (beta/alpha)(l' - l - phi b), the same)
//   s'   = s + gamma u (additive) | s + gamma (y / q - s) (multiplicative)
//   e    = y - yhat (additive error) | (y - yhat) / yhat (multiplicative error)
// We carry q and phi b from step to step instead of l and b, with p = u + q:
//   q'     = (1 - alpha - phi beta) q + (phi (phi b) + (alpha + phi beta) p)
//   phi b' = (phi (phi b) + phi beta p) - phi beta q
//   (no trend: q' = (1 - alpha) q + alpha p)
// so q enters each update through one multiply and one add, where R's order of operations
// chains nine; a step is 2-3 times cheaper. The price is rounding: each evaluation agrees
// with a transcription of etscalc() to ~1e-12 (ets_test.cc), but Nelder–Mead can amplify
// last-bit differences, so fits are R's up to optimiser noise (on the datasets in
// ets_test.cc they agree to 7+ digits).
// R keeps the m seasonal states in an array it shifts every step; we keep them in a ring
// indexed by the phase, so a step costs O(1) whatever the period.
//
// Likelihood (R's "lik" criterion, -2 log L up to constants, sigma concentrated out):
//   n log(sum e^2)                       (additive error)
//   n log(sum e^2) + 2 sum log|yhat|     (multiplicative error)
// sum log|yhat| is accumulated as a running product rescaled by powers of two, so the
// loop pays one log() per evaluation, not one per step.
//
// Departure from R, on purpose: a model with a multiplicative component whose one-step
// forecast is <= 0 or non-finite gets +inf (R only rejects NaN), since (y - yhat) / yhat
// and y / s mean nothing there and such fits forecast negative load.

#include "prescient/forecast/ets_core.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

namespace prescient::forecast::ets_internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTiny = 1.0e-10;  // R's TOL: divisors below it give kHuge.
constexpr double kHuge = 1.0e10;   // R's HUGEN.

// Accumulates sum log(x) for x > 0 as a product kept in [2^-300, 2^300] by exact scaling
// with powers of two, so the loop pays one log() in all.
class LogSum {
 public:
  void Add(double x) {
    product_ *= x;
    if (product_ > 0x1p300) {
      product_ *= 0x1p-300;
      exponent_ += 300;
    } else if (product_ < 0x1p-300) {
      product_ *= 0x1p300;
      exponent_ -= 300;
    }
  }
  double Total() const { return std::log(product_) + exponent_ * std::numbers::ln2; }

 private:
  double product_ = 1;
  int64_t exponent_ = 0;
};

template <TrendType kTrend, SeasonType kSeason, bool kMultError>
RecursionResult Recurse(std::span<const double> y, const EtsParams& p, int period, double& level,
                        double& trend, double* ring) {
  constexpr bool kHasTrend = kTrend != TrendType::kNone;
  constexpr bool kDamped = kTrend == TrendType::kAdditiveDamped;
  constexpr bool kPositive = kMultError || kSeason == SeasonType::kMultiplicative;
  const double alpha = p.alpha;
  const double one_minus_alpha = 1.0 - alpha;
  const double gamma = p.gamma;
  const double phi = kDamped ? p.phi : 1.0;
  const double beta = kHasTrend ? p.beta : 0.0;
  const double q_gain = alpha + phi * beta;  // q' = (q + phi phib) + q_gain u.
  const double b_gain = phi * beta;          // phib' = phi phib + b_gain u.
  const double one_minus_gain = 1.0 - q_gain;
  double phib = kHasTrend ? phi * trend : 0.0;
  double q = level + phib;
  double sse = 0;
  LogSum log_yhat;
  int phase = 0;
  for (const double yi : y) {
    double s = 0;
    double yhat = q;
    double target = yi;  // What y says the level is: y, y - s or y / s.
    double inv_q = 0;    // Multiplicative season only.
    if constexpr (kSeason == SeasonType::kAdditive) {
      s = ring[phase];
      yhat = q + s;
      target = yi - s;
    } else if constexpr (kSeason == SeasonType::kMultiplicative) {
      // Two divisions, both off the q -> q' path: y / s, and 1 / q for y / q and the
      // relative error (y / s) / q - 1.
      s = ring[phase];
      yhat = q * s;
      target = std::fabs(s) < kTiny ? kHuge : yi / s;
      inv_q = 1.0 / q;
    }
    const double u = target - q;
    if constexpr (kPositive) {
      if (!(yhat > 0.0 && yhat < kInf)) return {.sse = kInf, .sum_log_abs_yhat = 0, .ok = false};
    }
    double e;
    if constexpr (kMultError && kSeason == SeasonType::kMultiplicative) {
      e = target * inv_q - 1.0;
      log_yhat.Add(yhat);
    } else if constexpr (kMultError) {
      e = (yi - yhat) / yhat;
      log_yhat.Add(yhat);
    } else {
      e = kSeason == SeasonType::kMultiplicative ? yi - yhat : u;
    }
    sse += e * e;
    if constexpr (kSeason == SeasonType::kAdditive) {
      ring[phase] = s + gamma * u;
    } else if constexpr (kSeason == SeasonType::kMultiplicative) {
      const double t = std::fabs(q) < kTiny ? kHuge : yi * inv_q;
      ring[phase] = s + gamma * (t - s);
    }
    if constexpr (kSeason != SeasonType::kNone) {
      if (++phase == period) phase = 0;
    }
    if constexpr (kHasTrend) {
      // Written so that q enters each update through one multiply and one add.
      const double q_next = one_minus_gain * q + (phi * phib + q_gain * target);
      phib = (phi * phib + b_gain * target) - b_gain * q;
      q = q_next;
    } else {
      q = one_minus_alpha * q + alpha * target;  // q + alpha u, one multiply-add deep in q.
    }
  }
  // q and phib now look one step past the data: l_n = q - phi b_n.
  level = q - phib;
  trend = kHasTrend ? phib / phi : 0.0;
  RecursionResult r{.sse = sse, .sum_log_abs_yhat = kMultError ? log_yhat.Total() : 0.0};
  r.ok = std::isfinite(sse) && std::isfinite(q) && std::isfinite(phib) &&
         std::isfinite(r.sum_log_abs_yhat);
  return r;
}

template <TrendType kTrend, SeasonType kSeason>
RecursionResult DispatchError(std::span<const double> y, ErrorType error, const EtsParams& p,
                              int period, double& level, double& trend, double* ring) {
  return error == ErrorType::kAdditive
             ? Recurse<kTrend, kSeason, false>(y, p, period, level, trend, ring)
             : Recurse<kTrend, kSeason, true>(y, p, period, level, trend, ring);
}

template <TrendType kTrend>
RecursionResult DispatchSeason(std::span<const double> y, const EtsSpec& spec, const EtsParams& p,
                               int period, double& level, double& trend, double* ring) {
  switch (spec.season) {
    case SeasonType::kNone:
      return DispatchError<kTrend, SeasonType::kNone>(y, spec.error, p, period, level, trend, ring);
    case SeasonType::kAdditive:
      return DispatchError<kTrend, SeasonType::kAdditive>(y, spec.error, p, period, level, trend,
                                                          ring);
    case SeasonType::kMultiplicative:
      break;
  }
  return DispatchError<kTrend, SeasonType::kMultiplicative>(y, spec.error, p, period, level, trend,
                                                            ring);
}

// True if every root of the monic polynomial z^d + a[1] z^(d-1) + ... + a[d] lies strictly
// inside the unit circle (Schur–Cohn step-down: the reflection coefficients |k| < 1).
// Destroys `a`.
bool RootsInsideUnitCircle(std::span<double> a) {
  for (size_t d = a.size() - 1; d >= 1; --d) {
    const double k = a[d];
    if (!(std::fabs(k) < 1.0)) return false;
    const double scale = 1.0 / (1.0 - k * k);
    for (size_t i = 1, j = d - 1; i <= j; ++i, --j) {
      const double ai = a[i];
      const double aj = a[j];
      a[i] = (ai - k * aj) * scale;
      if (i != j) a[j] = (aj - k * ai) * scale;
    }
  }
  return true;
}

// The seasonal test of forecast's admissible(): the roots of
//   z^(m+1) + (a+b-phi) z^m + (a+b-a phi) (z^(m-1) + ... + z^2) + (a+b-a phi+g-1) z
//   + phi (1-a-g)
// must have modulus <= 1 + 1e-10.
bool SeasonalRootsAdmissible(bool has_trend, int m, const EtsParams& p) {
  const double a = p.alpha, b = p.beta, g = p.gamma, phi = p.phi;
  std::array<double, 64> stack;  // Periods up to 62 without touching the heap.
  std::vector<double> heap;
  std::span<double> c;
  if (m + 2 <= static_cast<int>(stack.size())) {
    c = std::span<double>(stack.data(), m + 2);
  } else {
    heap.resize(m + 2);
    c = heap;
  }
  std::fill(c.begin(), c.end(), a + b - a * phi);
  c[0] = 1;
  c[1] = a + b - phi;
  c[m] = a + b - a * phi + g - 1;
  c[m + 1] = phi * (1 - a - g);
  if (!has_trend && phi == 1.0) {
    // Then z = 1 is always a root (the level and the seasonal states are not separately
    // identified); R's tolerance accepts it, the strict Schur–Cohn test would not: divide
    // it out.
    for (int i = 1; i <= m; ++i) c[i] += c[i - 1];
    c = c.first(m + 1);
  }
  // Roots within radius r <=> roots of c(r z) within the unit circle.
  constexpr double kRadius = 1.0 + 1e-10;
  double scale = 1;
  for (double& ci : c) {
    ci *= scale;
    scale /= kRadius;
  }
  return RootsInsideUnitCircle(c);
}

}  // namespace

RecursionResult RunRecursion(std::span<const double> y, const EtsSpec& spec, int period,
                             const EtsParams& params, EtsStates& states, std::span<double> ring) {
  const int m = spec.seasonal() ? period : 1;
  if (spec.seasonal()) {
    for (int k = 0; k < m; ++k) ring[k] = states.season[m - 1 - k];
  }
  double* r_ptr = ring.data();
  RecursionResult r;
  switch (spec.trend) {
    case TrendType::kNone:
      r = DispatchSeason<TrendType::kNone>(y, spec, params, m, states.level, states.trend, r_ptr);
      break;
    case TrendType::kAdditive:
      r = DispatchSeason<TrendType::kAdditive>(y, spec, params, m, states.level, states.trend,
                                               r_ptr);
      break;
    case TrendType::kAdditiveDamped:
      r = DispatchSeason<TrendType::kAdditiveDamped>(y, spec, params, m, states.level, states.trend,
                                                     r_ptr);
      break;
  }
  if (spec.seasonal()) {
    const int n = static_cast<int>(y.size());
    for (int j = 0; j < m; ++j) states.season[j] = ring[((n - 1 - j) % m + m) % m];
  }
  return r;
}

double Likelihood(const RecursionResult& r, int n, ErrorType error) {
  if (!r.ok) return kInf;
  double lik = n * std::log(r.sse);
  if (error == ErrorType::kMultiplicative) lik += 2 * r.sum_log_abs_yhat;
  return std::isnan(lik) ? kInf : lik;
}

bool InUsualRegion(const EtsSpec& spec, const EtsParams& p) {
  if (p.alpha < kParamLower || p.alpha > kParamUpper) return false;
  if (spec.has_trend() && (p.beta < kParamLower || p.beta > p.alpha || p.beta > kParamUpper)) {
    return false;
  }
  if (spec.damped() && (p.phi < kPhiLower || p.phi > kPhiUpper)) return false;
  if (spec.seasonal() &&
      (p.gamma < kParamLower || p.gamma > 1 - p.alpha || p.gamma > kParamUpper)) {
    return false;
  }
  return true;
}

bool Admissible(const EtsSpec& spec, int period, const EtsParams& p) {
  const double alpha = p.alpha, beta = p.beta, gamma = p.gamma, phi = p.phi;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!spec.seasonal()) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    return !spec.has_trend() || (beta >= alpha * (phi - 1) && beta <= (1 + phi) * (2 - alpha));
  }
  if (period <= 1) return true;
  const double m = period;
  if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  return SeasonalRootsAdmissible(spec.has_trend(), period, p);
}

EtsParams StartingParams(const EtsSpec& spec, int period) {
  const int m = spec.seasonal() ? period : 1;
  EtsParams p;
  p.alpha = kParamLower + 0.2 * (kParamUpper - kParamLower) / m;
  if (spec.has_trend()) {
    const double upper = std::min(kParamUpper, p.alpha);
    p.beta = kParamLower + 0.1 * (upper - kParamLower);
    if (p.beta < 0 || p.beta > p.alpha) p.beta = p.alpha - 0.001;
  }
  if (spec.seasonal()) {
    const double upper = std::min(kParamUpper, 1 - p.alpha);
    p.gamma = kParamLower + 0.05 * (upper - kParamLower);
    if (p.gamma < 0 || p.gamma > 1 - p.alpha) p.gamma = 1 - p.alpha - 0.001;
  }
  if (spec.damped()) p.phi = kPhiLower + 0.99 * (kPhiUpper - kPhiLower);
  return p;
}

EtsObjective::EtsObjective(std::span<const double> y, const EtsSpec& spec, int period)
    : y_(y),
      spec_(spec),
      period_(spec.seasonal() ? period : 1),
      num_smoothing_(1 + spec.has_trend() + spec.seasonal() + spec.damped()),
      num_states_(1 + spec.has_trend() + (spec.seasonal() ? period - 1 : 0)),
      ring_(period_) {
  states_.season.resize(spec.seasonal() ? period_ : 0);
}

std::vector<double> EtsObjective::Pack(const EtsParams& params, const EtsStates& states) const {
  std::vector<double> x;
  x.reserve(size());
  x.push_back(params.alpha);
  if (spec_.has_trend()) x.push_back(params.beta);
  if (spec_.seasonal()) x.push_back(params.gamma);
  if (spec_.damped()) x.push_back(params.phi);
  x.push_back(states.level);
  if (spec_.has_trend()) x.push_back(states.trend);
  if (spec_.seasonal()) {
    x.insert(x.end(), states.season.begin(), states.season.begin() + (period_ - 1));
  }
  return x;
}

void EtsObjective::Unpack(std::span<const double> x, EtsParams& params, EtsStates& states) const {
  size_t i = 0;
  params = EtsParams{};
  params.alpha = x[i++];
  if (spec_.has_trend()) params.beta = x[i++];
  if (spec_.seasonal()) params.gamma = x[i++];
  if (spec_.damped()) params.phi = x[i++];
  states.level = x[i++];
  states.trend = spec_.has_trend() ? x[i++] : 0.0;
  if (!spec_.seasonal()) {
    states.season.clear();
    return;
  }
  states.season.resize(period_);
  double sum = 0;
  for (int j = 0; j < period_ - 1; ++j) {
    states.season[j] = x[i++];
    sum += states.season[j];
  }
  const bool multiplicative = spec_.season == SeasonType::kMultiplicative;
  states.season[period_ - 1] = (multiplicative ? period_ : 0) - sum;
}

double EtsObjective::operator()(std::span<const double> x) {
  Unpack(x, params_, states_);
  if (!InUsualRegion(spec_, params_) || !Admissible(spec_, period_, params_)) return kInf;
  if (spec_.season == SeasonType::kMultiplicative &&
      *std::min_element(states_.season.begin(), states_.season.end()) < 0) {
    return kInf;
  }
  const RecursionResult r = RunRecursion(y_, spec_, period_, params_, states_, ring_);
  const double lik = Likelihood(r, static_cast<int>(y_.size()), spec_.error);
  return std::max(lik, -1e10);  // As R: a perfect fit must not win by -inf.
}

}  // namespace prescient::forecast::ets_internal
