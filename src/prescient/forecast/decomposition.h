// Seasonal decompositions of a gap-free series: STL (one period), MSTL (several periods,
// STL applied in turn) and classical moving-average decomposition (R's decompose(), used
// by the M4 Naive2 benchmark). Pure functions; thread-safe. The essay is in
// decomposition.cc. Tested by decomposition_test.cc.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::forecast {

inline constexpr int kDefaultStlInnerIterations = 2;
// With robustness weights R's stl(robust = TRUE) uses 15 outer and 1 inner iteration.
inline constexpr int kDefaultStlRobustOuterIterations = 15;
inline constexpr int kDefaultMstlIterations = 2;

// Window lengths are counted in observations (seasonal_window in cycles of the
// subseries). 0 means "the default": the values of R's stl() / netlib's stl.f. Windows are
// made odd and at least 3 as netlib does; negative values are InvalidArgument.
struct StlOptions {
  int period = 0;           // Required, >= 2; the series needs more than 2 periods.
  int seasonal_window = 0;  // s.window, odd, >= 7 advised; 0 = 11 (R's mstl, 1st period).
  int trend_window = 0;     // 0 = nextodd(ceil(1.5 * period / (1 - 1.5 / seasonal_window))).
  int low_pass_window = 0;  // 0 = nextodd(period).
  int seasonal_degree = 0;  // Local polynomial degrees, 0 or 1.
  int trend_degree = 1;
  int low_pass_degree = 1;
  int seasonal_jump = 0;  // Loess evaluated every `jump` points, linear in between;
  int trend_jump = 0;     // 0 = ceil(window / 10) as in netlib.
  int low_pass_jump = 0;
  int inner_iterations = kDefaultStlInnerIterations;
  int outer_iterations = 0;  // > 0: robust fitting with bisquare weights.
};

struct StlResult {
  std::vector<double> seasonal;
  std::vector<double> trend;
  std::vector<double> remainder;  // y - seasonal - trend.
  std::vector<double> weights;    // Robustness weights (all 1 without outer iterations).
};

// InvalidArgument if y is not finite, the period < 2, y has <= 2 * period points, or an
// option is out of range.
Result<StlResult> Stl(std::span<const double> y, const StlOptions& options);

struct MstlOptions {
  int iterations = kDefaultMstlIterations;
  // s.window per kept period in ascending order; missing entries = 7 + 4 * i (i = 1, ...).
  std::vector<int> seasonal_windows = {};
  int trend_window = 0;  // 0 = the STL default for each period.
  bool robust = false;   // STL with 1 inner and 15 outer iterations.
  // Box-Cox transform applied before decomposing (components are on the transformed
  // scale); y must then be > 0. Automatic choice of lambda (Guerrero) is not implemented.
  std::optional<double> box_cox_lambda = {};
};

struct MstlResult {
  std::vector<int> periods;                   // Kept periods, ascending.
  std::vector<std::vector<double>> seasonal;  // One component per kept period.
  std::vector<double> trend;
  std::vector<double> remainder;
  std::vector<std::string> notes;  // Periods dropped, and why.
};

// Periods are sorted and deduplicated; those with 2 * period >= y.size() are dropped with
// a note. With no period left the trend is a local-linear loess over ~1/4 of the series
// (R uses supsmu there). InvalidArgument for a period < 2, a non-finite y, an empty y, or
// y <= 0 with a Box-Cox lambda.
Result<MstlResult> Mstl(std::span<const double> y, std::span<const int> periods,
                        const MstlOptions& options = {});

struct ClassicalDecomposition {
  bool multiplicative = false;
  std::vector<double> figure;     // Seasonal index per phase (i % period), mean 1 or 0.
  std::vector<double> seasonal;   // figure repeated over the series.
  std::vector<double> trend;      // Centred moving average; NaN in the first/last period/2.
  std::vector<double> remainder;  // y / (seasonal * trend) or y - seasonal - trend; NaN ends.
};

// R's decompose(): trend by a centred moving average (2 x period MA for an even period),
// seasonal index per phase = mean ratio (or difference) to the trend, normalised.
// InvalidArgument if period < 2, y has fewer than 2 * period points or is not finite, or,
// when multiplicative, y is not > 0.
Result<ClassicalDecomposition> ClassicalDecompose(std::span<const double> y, int period,
                                                  bool multiplicative);

// Box-Cox: log(y) for lambda 0, else (y^lambda - 1) / lambda; and its inverse (which
// clamps to the transform's range instead of returning NaN).
double BoxCox(double y, double lambda);
double InverseBoxCox(double z, double lambda);

}  // namespace prescient::forecast
