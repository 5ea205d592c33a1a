// Seasonal decompositions.
//
// STL (Cleveland, Cleveland, McRae & Terpenning 1990, "STL: A Seasonal-Trend
// Decomposition Procedure Based on Loess", J. Official Statistics 6(1)) writes
//   y_t = S_t + T_t + R_t
// and alternates two smoothers. Each inner pass:
//   1. detrend: y - T;
//   2. cycle-subseries smoothing: the values of each phase (t = j, j + p, j + 2p, ...) are
//      smoothed by loess with window n_s and degree 0, and extended one cycle at each end,
//      giving C of length n + 2p;
//   3. low-pass filter of C: moving averages of lengths p, p, 3, then a loess of window
//      n_l; L has length n again;
//   4. S = C[p:p+n] - L (the low-pass removes what leaked of the trend into C);
//   5. deseasonalise y - S and smooth it by loess with window n_t, degree 1: T.
// The outer loop (robust STL) computes bisquare weights from R = y - S - T,
// w = B(|R| / (6 median |R|)), and reruns the inner passes with every loess weighted.
// This file is a step-by-step port of the netlib Fortran (stl.f, the code inside R's
// stats::stl), including its speed-up: loess is evaluated only every `jump` points
// (default ceil(window / 10)) and linearly interpolated in between, plus at the last
// point. Windows are made odd and >= 3 as netlib does; the defaults are R's.
// Departures; the first two change only rounding (R's stl is matched to 1e-9):
//   - each loess estimate is one pass over its window (weighted moments of the
//     abscissae instead of netlib's rescaled weights);
//   - away from the ends and without robustness weights loess is a fixed symmetric
//     filter, computed once per smoothing;
//   - robustness weights use the exact median |R|: netlib's partial sort (psort)
//     sometimes returns a wrong order statistic, so robust fits can differ from R's
//     in the 4th decimal (decomposition_test.cc shows a case).
//
// MSTL (Bandara, Hyndman & Bergmeir 2021, "MSTL: A Seasonal-Trend Decomposition
// Algorithm for Time Series with Multiple Seasonal Patterns"; R's forecast::mstl) handles
// several periods p_1 < p_2 < ...: for each period in ascending order STL is run on the
// series with all other seasonal components removed, its seasonal part replacing the old
// estimate; the whole sweep is done twice. The trend is the one of the last STL; the
// remainder is y - sum S_i - T. Periods with fewer than two full cycles (2p >= n) cannot
// be estimated and are dropped, as R does.
//
// Classical decomposition (R's decompose(); Makridakis, Wheelwright & Hyndman 1998,
// ch. 3): trend = centred moving average of order p (2 x p for even p), seasonal index
// of phase k = mean of y / trend (or y - trend) over the points of that phase, normalised
// to mean 1 (0). It is what the M4 Naive2 benchmark deseasonalises with.
//
// Failure modes. Loess at the ends of the series is extrapolation: the last cycle of the
// seasonal and the last few trend points are the least reliable, and they are exactly
// what a forecast extends. Abrupt level shifts bleed into the seasonal unless robust
// iterations are used. A period that is not a whole number of steps (e.g. 365.25) must be
// rounded by the caller. STL assumes additive components; multiplicative seasonality
// needs the Box-Cox (log) option.

#include "prescient/forecast/decomposition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace prescient::forecast {
namespace {

int NextOdd(double x) {
  const int k = static_cast<int>(std::lround(x));
  return k % 2 == 0 ? k + 1 : k;
}

// netlib's window clean-up: at least 3 and odd.
int OddAtLeast3(int w) {
  w = std::max(3, w);
  return w % 2 == 0 ? w + 1 : w;
}

int DefaultJump(int window) { return (window + 9) / 10; }

bool AllFinite(std::span<const double> y) {
  return std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); });
}

double Tricube(double u) {
  const double c = 1 - u * u * u;
  return c * c * c;
}

// stlest: the loess estimate at abscissa xs (0-based, may lie outside [0, n)) from
// y[left..right], tricube weights over the half-width h, times the robustness weights
// rw (if any); degree 1 adds the local-linear correction. False if every weight is 0.
// One pass over the window: netlib normalises the weights, then rescales them by
// 1 + b (j - mean); the same sum is formed here from the weighted moments of d = j - xs,
// which agrees with netlib to rounding.
bool LoessEstimate(const double* y, int n, int len, int degree, double xs, int left, int right,
                   const double* rw, double* ys) {
  const double range = n - 1.0;
  double h = std::max(xs - left, right - xs);
  if (len > n) h += (len - n) / 2;  // Integer division, as in the Fortran.
  const double h9 = 0.999 * h;
  const double h1 = 0.001 * h;
  const double inv_h = h > 0 ? 1 / h : 0;
  double sw = 0, swd = 0, swdd = 0, swy = 0, swdy = 0;
  for (int j = left; j <= right; ++j) {
    const double d = j - xs;
    const double r = std::abs(d);
    if (r > h9) continue;
    double w = r <= h1 ? 1.0 : Tricube(r * inv_h);
    if (rw != nullptr) w *= rw[j];
    const double wy = w * y[j];
    sw += w;
    swd += w * d;
    swdd += w * d * d;
    swy += wy;
    swdy += wy * d;
  }
  if (sw <= 0) return false;
  double estimate = swy / sw;
  if (h > 0 && degree > 0) {
    const double mean_d = swd / sw;
    const double c = swdd / sw - mean_d * mean_d;  // Weighted variance of the abscissae.
    if (std::sqrt(c) > 0.001 * range) {
      estimate += (-mean_d / c) * (swdy / sw - mean_d * estimate);
    }
  }
  *ys = estimate;
  return true;
}

// The normalised tricube weights of an interior window (len odd, centred on the point):
// there, without robustness weights, loess of degree 0 or 1 is this fixed linear filter
// (the local-linear correction vanishes by symmetry).
void InteriorKernel(int len, double* kernel) {
  const int half_width = (len - 1) / 2;
  const double h = half_width;
  double sum = 0;
  for (int m = 0; m < len; ++m) {
    const double r = std::abs(m - h);
    kernel[m] = r > 0.999 * h ? 0.0 : (r <= 0.001 * h ? 1.0 : Tricube(r / h));
    sum += kernel[m];
  }
  for (int m = 0; m < len; ++m) kernel[m] /= sum;
}

// One point of stless: the fixed filter inside the series, stlest elsewhere.
void SmoothAt(const double* y, int n, int len, int degree, int i, int left, int right,
              const double* rw, const double* kernel, double* ys) {
  if (kernel != nullptr && i - left == right - i && right - left + 1 == len) {
    double sum = 0;
    for (int m = 0; m < len; ++m) sum += kernel[m] * y[left + m];
    ys[i] = sum;
    return;
  }
  if (!LoessEstimate(y, n, len, degree, i, left, right, rw, &ys[i])) ys[i] = y[i];
}

// stless: loess smoothing of y[0..n) into ys, evaluated every `jump` points and
// interpolated linearly in between. `work` holds n doubles (the interior kernel).
void LoessSmooth(const double* y, int n, int len, int degree, int jump, const double* rw,
                 double* ys, double* work) {
  if (n < 2) {
    ys[0] = y[0];
    return;
  }
  const int step = std::min(jump, n - 1);
  int left = 0;
  int right = n - 1;
  const double* kernel = nullptr;
  if (rw == nullptr && len < n) {
    InteriorKernel(len, work);
    kernel = work;
  }
  if (len >= n) {
    for (int i = 0; i < n; i += step) SmoothAt(y, n, len, degree, i, left, right, rw, kernel, ys);
  } else if (step == 1) {
    const int half = (len + 1) / 2;
    right = len - 1;
    for (int i = 0; i < n; ++i) {
      if (i + 1 > half && right != n - 1) {
        ++left;
        ++right;
      }
      SmoothAt(y, n, len, degree, i, left, right, rw, kernel, ys);
    }
  } else {
    const int half = (len + 1) / 2;
    for (int i = 0; i < n; i += step) {
      if (i + 1 < half) {
        left = 0;
        right = len - 1;
      } else if (i + 1 >= n - half + 1) {
        left = n - len;
        right = n - 1;
      } else {
        left = i + 1 - half;
        right = left + len - 1;
      }
      SmoothAt(y, n, len, degree, i, left, right, rw, kernel, ys);
    }
  }
  if (step == 1) return;
  for (int i = 0; i < n - step; i += step) {
    const double delta = (ys[i + step] - ys[i]) / step;
    for (int j = i + 1; j < i + step; ++j) ys[j] = ys[i] + delta * (j - i);
  }
  const int last = ((n - 1) / step) * step;
  if (last == n - 1) return;
  SmoothAt(y, n, len, degree, n - 1, left, right, rw, kernel, ys);
  if (last != n - 2) {
    const double delta = (ys[n - 1] - ys[last]) / (n - 1 - last);
    for (int j = last + 1; j < n - 1; ++j) ys[j] = ys[last] + delta * (j - last);
  }
}

// stlma: moving average of length len; out has n - len + 1 values.
void MovingAverage(const double* x, int n, int len, double* out) {
  const int count = n - len + 1;
  double v = 0;
  for (int i = 0; i < len; ++i) v += x[i];
  out[0] = v / len;
  for (int j = 1; j < count; ++j) {
    v += x[j + len - 1] - x[j - 1];
    out[j] = v / len;
  }
}

struct StlParams {
  int np, ns, nt, nl;
  int isdeg, itdeg, ildeg;
  int nsjump, ntjump, nljump;
  int ni, no;
};

Result<StlParams> Resolve(const StlOptions& o, size_t n) {
  if (o.period < 2) return InvalidArgumentError("stl: period must be >= 2");
  if (n <= 2 * static_cast<size_t>(o.period)) {
    return InvalidArgumentError("stl: series of " + std::to_string(n) +
                                " points has less than two periods of " + std::to_string(o.period));
  }
  if (o.seasonal_window < 0 || o.trend_window < 0 || o.low_pass_window < 0 || o.seasonal_jump < 0 ||
      o.trend_jump < 0 || o.low_pass_jump < 0) {
    return InvalidArgumentError("stl: windows and jumps must be >= 0 (0 = default)");
  }
  for (int d : {o.seasonal_degree, o.trend_degree, o.low_pass_degree}) {
    if (d != 0 && d != 1) return InvalidArgumentError("stl: loess degrees must be 0 or 1");
  }
  if (o.inner_iterations < 1 || o.outer_iterations < 0) {
    return InvalidArgumentError("stl: need inner_iterations >= 1 and outer_iterations >= 0");
  }
  StlParams p{};
  p.np = o.period;
  const int s_window = o.seasonal_window > 0 ? o.seasonal_window : 11;
  p.ns = OddAtLeast3(s_window);
  const double ns_for_trend = std::max(3, s_window);
  p.nt =
      OddAtLeast3(o.trend_window > 0 ? o.trend_window
                                     : NextOdd(std::ceil(1.5 * p.np / (1 - 1.5 / ns_for_trend))));
  p.nl = OddAtLeast3(o.low_pass_window > 0 ? o.low_pass_window : NextOdd(p.np));
  p.isdeg = o.seasonal_degree;
  p.itdeg = o.trend_degree;
  p.ildeg = o.low_pass_degree;
  p.nsjump = o.seasonal_jump > 0 ? o.seasonal_jump : DefaultJump(p.ns);
  p.ntjump = o.trend_jump > 0 ? o.trend_jump : DefaultJump(p.nt);
  p.nljump = o.low_pass_jump > 0 ? o.low_pass_jump : DefaultJump(p.nl);
  p.ni = o.inner_iterations;
  p.no = o.outer_iterations;
  return p;
}

// The scratch arrays of stl.f (work(n + 2 np, 5)), kept across the STL runs of one MSTL.
class StlWorkspace {
 public:
  void Reserve(int n, int max_period) {
    const size_t size = static_cast<size_t>(n) + 2 * static_cast<size_t>(max_period);
    for (auto& w : work_) w.resize(std::max(w.size(), size));
  }
  double* operator[](int i) { return work_[i].data(); }

 private:
  std::vector<double> work_[5];
};

// stlss: smooth each cycle-subseries, extended by one cycle at both ends, into season
// (n + 2 np values).
void CycleSubseries(const double* y, int n, const StlParams& p, const double* rw, double* season,
                    double* sub, double* smooth, double* sub_rw, double* work) {
  for (int j = 0; j < p.np; ++j) {
    const int k = (n - 1 - j) / p.np + 1;
    for (int i = 0; i < k; ++i) sub[i] = y[i * p.np + j];
    if (rw != nullptr) {
      for (int i = 0; i < k; ++i) sub_rw[i] = rw[i * p.np + j];
    }
    const double* w = rw != nullptr ? sub_rw : nullptr;
    LoessSmooth(sub, k, p.ns, p.isdeg, p.nsjump, w, smooth + 1, work);
    if (!LoessEstimate(sub, k, p.ns, p.isdeg, -1, 0, std::min(p.ns, k) - 1, w, &smooth[0])) {
      smooth[0] = smooth[1];
    }
    if (!LoessEstimate(sub, k, p.ns, p.isdeg, k, std::max(0, k - p.ns), k - 1, w, &smooth[k + 1])) {
      smooth[k + 1] = smooth[k];
    }
    for (int m = 0; m < k + 2; ++m) season[m * p.np + j] = smooth[m];
  }
}

// stlrwt: bisquare robustness weights from the residuals of fit.
void RobustnessWeights(const double* y, int n, const double* fit, double* rw, double* scratch) {
  for (int i = 0; i < n; ++i) scratch[i] = std::abs(y[i] - fit[i]);
  const int m1 = n / 2;
  const int m2 = n - 1 - n / 2;
  std::nth_element(scratch, scratch + m1, scratch + n);
  const double v1 = scratch[m1];
  std::nth_element(scratch, scratch + m2, scratch + n);
  const double cmad = 3 * (v1 + scratch[m2]);  // 6 * median.
  const double c9 = 0.999 * cmad;
  const double c1 = 0.001 * cmad;
  for (int i = 0; i < n; ++i) {
    const double r = std::abs(y[i] - fit[i]);
    if (r <= c1) {
      rw[i] = 1;
    } else if (r <= c9) {
      const double u = r / cmad;
      rw[i] = (1 - u * u) * (1 - u * u);
    } else {
      rw[i] = 0;
    }
  }
}

// stl + stlstp. Outputs have n values each.
void RunStl(const double* y, int n, const StlParams& p, StlWorkspace& ws, double* season,
            double* trend, double* rw) {
  std::fill(trend, trend + n, 0.0);
  bool use_rw = false;
  for (int outer = 0;; ++outer) {
    for (int inner = 0; inner < p.ni; ++inner) {
      double* w1 = ws[0];
      double* w2 = ws[1];
      double* w3 = ws[2];
      const double* weights = use_rw ? rw : nullptr;
      for (int i = 0; i < n; ++i) w1[i] = y[i] - trend[i];
      CycleSubseries(w1, n, p, weights, w2, w3, ws[3], ws[4], season);
      // Low-pass filter of w2 (n + 2np values) into w3 (n values), w1 as scratch.
      MovingAverage(w2, n + 2 * p.np, p.np, w3);
      MovingAverage(w3, n + p.np + 1, p.np, w1);
      MovingAverage(w1, n + 2, 3, w3);
      LoessSmooth(w3, n, p.nl, p.ildeg, p.nljump, nullptr, w1, ws[4]);
      for (int i = 0; i < n; ++i) season[i] = w2[p.np + i] - w1[i];
      for (int i = 0; i < n; ++i) w1[i] = y[i] - season[i];
      LoessSmooth(w1, n, p.nt, p.itdeg, p.ntjump, weights, trend, w3);
    }
    if (outer >= p.no) break;
    double* fit = ws[0];
    for (int i = 0; i < n; ++i) fit[i] = trend[i] + season[i];
    RobustnessWeights(y, n, fit, rw, ws[1]);
    use_rw = true;
  }
  if (p.no <= 0) std::fill(rw, rw + n, 1.0);
}

}  // namespace

Result<StlResult> Stl(std::span<const double> y, const StlOptions& options) {
  if (!AllFinite(y)) return InvalidArgumentError("stl: series has non-finite values");
  PRESCIENT_ASSIGN_OR_RETURN(const StlParams p, Resolve(options, y.size()));
  const int n = static_cast<int>(y.size());
  StlResult out;
  out.seasonal.resize(n);
  out.trend.resize(n);
  out.weights.resize(n);
  StlWorkspace ws;
  ws.Reserve(n, p.np);
  RunStl(y.data(), n, p, ws, out.seasonal.data(), out.trend.data(), out.weights.data());
  out.remainder.resize(n);
  for (int i = 0; i < n; ++i) out.remainder[i] = y[i] - out.seasonal[i] - out.trend[i];
  return out;
}

double BoxCox(double y, double lambda) {
  if (lambda == 0) return std::log(y);
  return (std::pow(y, lambda) - 1) / lambda;
}

double InverseBoxCox(double z, double lambda) {
  if (lambda == 0) return std::exp(z);
  const double t = lambda * z + 1;
  if (t <= 0) return lambda > 0 ? 0.0 : std::pow(1e-10, 1 / lambda);
  return std::pow(t, 1 / lambda);
}

namespace {

Status CheckMstlInput(std::span<const double> y, std::span<const int> periods,
                      const MstlOptions& options) {
  if (y.empty()) return InvalidArgumentError("mstl: empty series");
  if (!AllFinite(y)) return InvalidArgumentError("mstl: series has non-finite values");
  for (int p : periods) {
    if (p < 2) return InvalidArgumentError("mstl: period " + std::to_string(p) + " < 2");
  }
  if (options.iterations < 1) return InvalidArgumentError("mstl: iterations must be >= 1");
  if (options.trend_window < 0) return InvalidArgumentError("mstl: trend_window < 0");
  for (int w : options.seasonal_windows) {
    if (w < 0) return InvalidArgumentError("mstl: seasonal window < 0");
  }
  if (options.box_cox_lambda.has_value()) {
    if (!std::isfinite(*options.box_cox_lambda)) {
      return InvalidArgumentError("mstl: Box-Cox lambda is not finite");
    }
    if (std::any_of(y.begin(), y.end(), [](double v) { return v <= 0; })) {
      return InvalidArgumentError("mstl: Box-Cox needs a series > 0");
    }
  }
  return OkStatus();
}

// Sorted, deduplicated periods with more than two cycles in n points; notes the rest.
std::vector<int> KeptPeriods(std::span<const int> periods, int n, std::vector<std::string>& notes) {
  std::vector<int> sorted(periods.begin(), periods.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<int> kept;
  for (int p : sorted) {
    if (2 * static_cast<long long>(p) >= n) {
      notes.push_back("mstl: dropped period " + std::to_string(p) + ": needs more than " +
                      std::to_string(2 * static_cast<long long>(p)) + " points, have " +
                      std::to_string(n));
    } else {
      kept.push_back(p);
    }
  }
  return kept;
}

}  // namespace

Result<MstlResult> Mstl(std::span<const double> y, std::span<const int> periods,
                        const MstlOptions& options) {
  PRESCIENT_RETURN_IF_ERROR(CheckMstlInput(y, periods, options));
  const int n = static_cast<int>(y.size());
  MstlResult out;
  out.periods = KeptPeriods(periods, n, out.notes);
  std::vector<double> deseas(y.begin(), y.end());
  if (options.box_cox_lambda.has_value()) {
    for (double& v : deseas) v = BoxCox(v, *options.box_cox_lambda);
  }
  out.trend.assign(n, 0.0);
  if (out.periods.empty()) {
    // Non-seasonal: a local-linear loess trend (R uses Friedman's supsmu here).
    const int window = OddAtLeast3(n / 4);
    std::vector<double> work(n);
    LoessSmooth(deseas.data(), n, window, 1, DefaultJump(window), nullptr, out.trend.data(),
                work.data());
  } else {
    out.seasonal.assign(out.periods.size(), std::vector<double>(n, 0.0));
    std::vector<double> weights(n);
    StlWorkspace ws;
    ws.Reserve(n, out.periods.back());
    std::vector<StlParams> params;
    for (size_t i = 0; i < out.periods.size(); ++i) {
      StlOptions o;
      o.period = out.periods[i];
      o.seasonal_window = i < options.seasonal_windows.size() && options.seasonal_windows[i] > 0
                              ? options.seasonal_windows[i]
                              : 7 + 4 * static_cast<int>(i + 1);
      o.trend_window = options.trend_window;
      if (options.robust) {
        o.inner_iterations = 1;
        o.outer_iterations = kDefaultStlRobustOuterIterations;
      }
      PRESCIENT_ASSIGN_OR_RETURN(StlParams p, Resolve(o, n));
      params.push_back(p);
    }
    // With one period a second sweep refits the same series: skip it.
    const int iterations = out.periods.size() == 1 ? 1 : options.iterations;
    for (int it = 0; it < iterations; ++it) {
      for (size_t i = 0; i < out.periods.size(); ++i) {
        std::vector<double>& s = out.seasonal[i];
        for (int t = 0; t < n; ++t) deseas[t] += s[t];
        RunStl(deseas.data(), n, params[i], ws, s.data(), out.trend.data(), weights.data());
        for (int t = 0; t < n; ++t) deseas[t] -= s[t];
      }
    }
  }
  out.remainder.resize(n);
  for (int t = 0; t < n; ++t) out.remainder[t] = deseas[t] - out.trend[t];
  return out;
}

Result<ClassicalDecomposition> ClassicalDecompose(std::span<const double> y, int period,
                                                  bool multiplicative) {
  if (period < 2) return InvalidArgumentError("decompose: period must be >= 2");
  const size_t n = y.size();
  if (n < 2 * static_cast<size_t>(period)) {
    return InvalidArgumentError("decompose: series of " + std::to_string(n) +
                                " points has less than two periods of " + std::to_string(period));
  }
  if (!AllFinite(y)) return InvalidArgumentError("decompose: series has non-finite values");
  if (multiplicative && std::any_of(y.begin(), y.end(), [](double v) { return v <= 0; })) {
    return InvalidArgumentError("decompose: multiplicative decomposition needs a series > 0");
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const size_t half = static_cast<size_t>(period) / 2;
  const bool even = period % 2 == 0;
  ClassicalDecomposition out;
  out.multiplicative = multiplicative;
  out.trend.assign(n, nan);
  for (size_t i = half; i + half < n; ++i) {
    double sum = 0;
    if (even) {
      sum = 0.5 * (y[i - half] + y[i + half]);
      for (size_t j = i - half + 1; j < i + half; ++j) sum += y[j];
    } else {
      for (size_t j = i - half; j <= i + half; ++j) sum += y[j];
    }
    out.trend[i] = sum / period;
  }
  // Every phase has at least one point with a trend value since n >= 2 * period.
  std::vector<double> sum(period, 0.0);
  std::vector<int> count(period, 0);
  for (size_t i = half; i + half < n; ++i) {
    const double d = multiplicative ? y[i] / out.trend[i] : y[i] - out.trend[i];
    sum[i % period] += d;
    ++count[i % period];
  }
  out.figure.resize(period);
  double mean = 0;
  for (int k = 0; k < period; ++k) {
    out.figure[k] = sum[k] / count[k];
    mean += out.figure[k] / period;
  }
  for (double& f : out.figure) f = multiplicative ? f / mean : f - mean;
  out.seasonal.resize(n);
  out.remainder.assign(n, nan);
  for (size_t i = 0; i < n; ++i) {
    out.seasonal[i] = out.figure[i % period];
    if (std::isnan(out.trend[i])) continue;
    out.remainder[i] = multiplicative ? y[i] / (out.seasonal[i] * out.trend[i])
                                      : y[i] - out.seasonal[i] - out.trend[i];
  }
  return out;
}

}  // namespace prescient::forecast
