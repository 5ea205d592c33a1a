// NelderMeadMinimize: derivative-free minimisation of a function of a few to a few dozen
// variables, step for step the variant in R's optim() (nmmin), which forecast::ets uses.
// Stateless; the objective is called on the caller's thread. Tested by nelder_mead_test.cc.
#pragma once

#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::forecast {

struct NelderMeadOptions {
  int max_evaluations = 2000;                // R's maxit, counted in function evaluations.
  double rel_tol = 1.490116119384765625e-8;  // sqrt(DBL_EPSILON), R's default reltol.
  double abs_tol = -std::numeric_limits<double>::infinity();
  double reflection = 1.0;
  double contraction = 0.5;
  double expansion = 2.0;
};

struct NelderMeadResult {
  std::vector<double> x;  // The best vertex.
  double value = 0;       // f(x).
  int evaluations = 0;
  bool converged = false;  // False: stopped by max_evaluations or a shrink that did not help.
};

// The objective may return +inf or NaN for infeasible points; they count as a very large
// value (1e35, as in R). InvalidArgument if f(x0) is not finite or x0 is empty.
using NelderMeadObjective = std::function<double(std::span<const double>)>;
Result<NelderMeadResult> NelderMeadMinimize(const NelderMeadObjective& f,
                                            std::span<const double> x0,
                                            const NelderMeadOptions& options = {});

}  // namespace prescient::forecast
