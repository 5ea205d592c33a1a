// ETS internals shared by ets.cc and the tests: the state recursion and its likelihood, the
// parameter bounds and admissibility test, R's initial-state heuristic, and the objective
// Nelder–Mead minimises. Not part of the public API; use ets.h.
// EtsObjective is thread-compatible (it owns scratch space); the rest is pure.
// Tested by ets_test.cc.
#pragma once

#include <span>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/forecast/ets.h"

namespace prescient::forecast::ets_internal {

// R's "usual" region: lower < alpha < upper, lower < beta < alpha, lower < gamma < 1 - alpha.
inline constexpr double kParamLower = 1e-4;
inline constexpr double kParamUpper = 0.9999;
inline constexpr double kPhiLower = 0.8;
inline constexpr double kPhiUpper = 0.98;

struct RecursionResult {
  double sse = 0;               // Sum of squared (relative, for multiplicative error) errors.
  double sum_log_abs_yhat = 0;  // Only accumulated for multiplicative error.
  // False: a one-step forecast was non-finite, or <= 0 in a model with a multiplicative
  // component, or the errors overflowed.
  bool ok = true;
};

// Runs x_t = f(x_{t-1}, y_t) over `y` from `states` (updated in place to x_n). Allocates
// nothing. `ring` is scratch of at least `period` doubles (seasonal models only).
RecursionResult RunRecursion(std::span<const double> y, const EtsSpec& spec, int period,
                             const EtsParams& params, EtsStates& states, std::span<double> ring);

// R's objective: n log(sse) (+ 2 sum log|yhat| for multiplicative error).
double Likelihood(const RecursionResult& r, int n, ErrorType error);

// R's `bounds = "both"`: the usual region above and the admissible (forecastable) region
// of Hyndman et al. (2008, ch. 10): for seasonal models all roots of the characteristic
// polynomial inside the unit circle (tested with the Schur–Cohn recursion).
bool InUsualRegion(const EtsSpec& spec, const EtsParams& p);
bool Admissible(const EtsSpec& spec, int period, const EtsParams& p);

// forecast:::initstate: seasonal states from a classical decomposition (a linear trend +
// one Fourier pair when n < 3 periods), level and trend from a least-squares line through
// the first max(10, 2 period) seasonally adjusted points. Needs n >= 4 for seasonal specs.
Result<EtsStates> InitialStates(std::span<const double> y, const EtsSpec& spec, int period);

// forecast:::initparam, for R's default bounds.
EtsParams StartingParams(const EtsSpec& spec, int period);

// The vector Nelder–Mead searches, in R's order:
//   alpha [beta] [gamma] [phi] level [trend] [s_1 .. s_{m-1}]
// The last seasonal state is implied (the states sum to 0, or to m if multiplicative).
class EtsObjective {
 public:
  EtsObjective(std::span<const double> y, const EtsSpec& spec, int period);

  int size() const { return num_smoothing_ + num_states_; }
  int num_smoothing() const { return num_smoothing_; }
  std::vector<double> Pack(const EtsParams& params, const EtsStates& states) const;
  void Unpack(std::span<const double> x, EtsParams& params, EtsStates& states) const;
  // The likelihood, or +inf outside the bounds or for an inadmissible run.
  double operator()(std::span<const double> x);

 private:
  std::span<const double> y_;
  EtsSpec spec_;
  int period_;
  int num_smoothing_;
  int num_states_;
  EtsParams params_;
  EtsStates states_;  // Reused; its season vector is allocated once.
  std::vector<double> ring_;
};

}  // namespace prescient::forecast::ets_internal
