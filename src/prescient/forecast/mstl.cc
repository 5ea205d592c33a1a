// MSTL forecasting (R's forecast::stlf / forecast.mstl; Hyndman & Athanasopoulos,
// "Forecasting: Principles and Practice", 3rd ed., section 3.6 and 13.1).
//
//   y_t = sum_i S_i,t + A_t,            A = trend + remainder (the adjusted series)
//   yhat_{n+h} = sum_i S_i,n-p_i+1+((h-1) mod p_i)  +  Ahat_{n+h}
//
// The seasonal components come from MSTL (decomposition.cc); each is extended by
// repeating its last estimated cycle, which is what stlf does (the STL seasonal already
// evolves slowly, so its last cycle is its best current estimate). The adjusted series is
// forecast by one of:
//   - Theta (Assimakopoulos & Nikolopoulos 2000, in the form of Hyndman & Billah 2003,
//     "Unmasking the Theta method", IJF 19): SES with smoothing alpha plus a drift of
//     b/2, b the least-squares slope of A on time:
//       Ahat_{n+h} = l_n + b/2 * (h - 1 + (1 - (1 - alpha)^n) / alpha).
//     alpha minimises the one-step SSE (golden-section search on [1e-4, 0.9999], l_0 =
//     A_1). Cheap (tens of passes over the data) and the M4 winner among simple methods.
//   - damped Holt, ETS(A,Ad,N) (Gardner & McKenzie 1985):
//       l_t = l_{t-1} + phi b_{t-1} + alpha e_t,  b_t = phi b_{t-1} + alpha beta* e_t,
//     initial state from a regression on the first 10 points, (alpha, beta*, phi) by
//     Nelder-Mead on the one-step SSE, phi in [0.8, 0.98].
//   - ETS chosen by AICc among non-seasonal forms (stlf's default): provided by the ETS
//     module when it is available; until then this falls back to Theta with a note.
// The model standard deviation is that of the adjusted-series method (the seasonal
// components are taken as known, as stlf does), so it is too narrow for long horizons.
//
// Failure modes: a level shift in the last cycle is half absorbed into the seasonal
// component and repeated; with a Box-Cox lambda the back-transformed forecast is the
// median, not the mean (no bias adjustment).

#include "prescient/forecast/mstl.h"
#include <cstdlib>
#include "prescient/forecast/ets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

namespace prescient::forecast {
namespace {

constexpr double kAlphaLow = 1e-4;
constexpr double kAlphaHigh = 0.9999;
constexpr double kPhiLow = 0.8;
constexpr double kPhiHigh = 0.98;

// Least-squares slope of y on 0..n-1 (0 for fewer than 2 points).
double Slope(std::span<const double> y) {
  const size_t n = y.size();
  if (n < 2) return 0;
  const double tbar = (n - 1) / 2.0;
  const double ybar = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0;
  double sxx = 0;
  for (size_t t = 0; t < n; ++t) {
    sxy += (t - tbar) * (y[t] - ybar);
    sxx += (t - tbar) * (t - tbar);
  }
  return sxy / sxx;
}

// One pass of SES with l_0 = y[0]: the one-step SSE and the final level.
std::pair<double, double> SesPass(std::span<const double> y, double alpha) {
  double level = y[0];
  double sse = 0;
  for (size_t t = 1; t < y.size(); ++t) {
    const double e = y[t] - level;
    sse += e * e;
    level += alpha * e;
  }
  return {sse, level};
}

// Golden-section search for the alpha minimising the SES SSE.
double FitSesAlpha(std::span<const double> y) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = kAlphaLow;
  double b = kAlphaHigh;
  double c = b - g * (b - a);
  double d = a + g * (b - a);
  double fc = SesPass(y, c).first;
  double fd = SesPass(y, d).first;
  while (b - a > 1e-5) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = SesPass(y, c).first;
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = SesPass(y, d).first;
    }
  }
  return (a + b) / 2;
}

double Logistic(double u, double lo, double hi) { return lo + (hi - lo) / (1 + std::exp(-u)); }
double Logit(double x, double lo, double hi) {
  const double p = (x - lo) / (hi - lo);
  return std::log(p / (1 - p));
}

// Nelder-Mead (standard coefficients) from x0 with per-coordinate step `step`.
template <size_t D, typename F>
std::array<double, D> NelderMead(F&& f, const std::array<double, D>& x0, double step,
                                 int max_evals, double tol) {
  std::array<std::array<double, D>, D + 1> x;
  std::array<double, D + 1> fx;
  for (size_t i = 0; i <= D; ++i) {
    x[i] = x0;
    if (i > 0) x[i][i - 1] += step;
    fx[i] = f(x[i]);
  }
  int evals = D + 1;
  auto along = [&](const std::array<double, D>& centroid, const std::array<double, D>& worst,
                   double t) {
    std::array<double, D> p;
    for (size_t k = 0; k < D; ++k) p[k] = centroid[k] + t * (worst[k] - centroid[k]);
    return p;
  };
  while (evals < max_evals) {
    std::array<size_t, D + 1> order;
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return fx[i] < fx[j]; });
    const size_t best = order[0];
    const size_t worst = order[D];
    const size_t second = order[D - 1];
    if (std::abs(fx[worst] - fx[best]) <= tol * (std::abs(fx[best]) + 1e-12)) break;
    std::array<double, D> centroid{};
    for (size_t i = 0; i <= D; ++i) {
      if (i == worst) continue;
      for (size_t k = 0; k < D; ++k) centroid[k] += x[i][k] / D;
    }
    const std::array<double, D> r = along(centroid, x[worst], -1);
    const double fr = f(r);
    ++evals;
    if (fr < fx[best]) {
      const std::array<double, D> e = along(centroid, x[worst], -2);
      const double fe = f(e);
      ++evals;
      if (fe < fr) {
        x[worst] = e;
        fx[worst] = fe;
      } else {
        x[worst] = r;
        fx[worst] = fr;
      }
    } else if (fr < fx[second]) {
      x[worst] = r;
      fx[worst] = fr;
    } else {
      const bool outside = fr < fx[worst];
      const std::array<double, D> c = along(centroid, x[worst], outside ? -0.5 : 0.5);
      const double fc = f(c);
      ++evals;
      if (fc < std::min(fr, fx[worst])) {
        x[worst] = c;
        fx[worst] = fc;
      } else {
        for (size_t i = 0; i <= D; ++i) {
          if (i == best) continue;
          for (size_t k = 0; k < D; ++k) x[i][k] = x[best][k] + 0.5 * (x[i][k] - x[best][k]);
          fx[i] = f(x[i]);
          ++evals;
        }
      }
    }
  }
  const size_t best = static_cast<size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
  return x[best];
}

struct DampedParams {
  double alpha, beta, phi;  // beta = alpha * beta*.
};

struct DampedState {
  double sse, level, slope;
};

DampedState DampedPass(std::span<const double> y, double l0, double b0, const DampedParams& p) {
  double level = l0;
  double slope = b0;
  double sse = 0;
  for (double v : y) {
    const double f = level + p.phi * slope;
    const double e = v - f;
    sse += e * e;
    level = f + p.alpha * e;
    slope = p.phi * slope + p.beta * e;
  }
  return {sse, level, slope};
}

DampedParams FromUnconstrained(const std::array<double, 3>& u) {
  const double alpha = Logistic(u[0], kAlphaLow, kAlphaHigh);
  return {alpha, alpha * Logistic(u[1], kAlphaLow, kAlphaHigh), Logistic(u[2], kPhiLow, kPhiHigh)};
}

// Non-seasonal ETS: a fixed spec, or automatic selection by AICc (R's ets(model = "ZZN")).
// Falls back to Theta, with a note, when ETS cannot fit (e.g. too few points).
Result<NonSeasonalForecast> EtsForecast(std::span<const double> y, int horizon,
                                        std::optional<EtsSpec> spec,
                                        std::vector<std::string>& notes) {
  EtsOptions options;
  options.spec = spec;
  options.allow_seasonal = false;
  Result<EtsFit> fit = FitEtsAuto(y, /*period=*/1, options);
  if (!fit.ok()) {
    notes.push_back("mstl: ETS on the adjusted series failed (" + fit.status().message() +
                    "); used Theta");
    return ThetaForecast(y, horizon);
  }
  NonSeasonalForecast out;
  out.mean = EtsForecastMean(*fit, horizon);
  out.sd = EtsForecastSd(*fit, horizon);
  // A fit with as many parameters as points has no residual variance estimate.
  if (!std::all_of(out.sd.begin(), out.sd.end(), [](double v) { return std::isfinite(v); })) {
    out.sd.clear();
  }
  out.description = fit->spec.ToString();
  return out;
}

Result<NonSeasonalForecast> ForecastAdjusted(AdjustedMethod method, std::span<const double> y,
                                             int horizon, std::vector<std::string>& notes) {
  switch (method) {
    case AdjustedMethod::kEts:
      return EtsForecast(y, horizon, std::nullopt, notes);
    case AdjustedMethod::kDampedHolt:
      if (getenv("OWN_DAMPED")) return DampedHoltForecast(y, horizon);
      return EtsForecast(y, horizon, EtsSpec{.trend = TrendType::kAdditiveDamped}, notes);
    case AdjustedMethod::kTheta:
      return ThetaForecast(y, horizon);
  }
  return InternalError("mstl: unknown adjusted-series method");
}

std::string PeriodList(const std::vector<int>& periods) {
  std::string s;
  for (size_t i = 0; i < periods.size(); ++i) {
    if (i > 0) s += ",";
    s += std::to_string(periods[i]);
  }
  return s;
}

}  // namespace

Result<NonSeasonalForecast> ThetaForecast(std::span<const double> y, int horizon) {
  if (y.empty() || horizon < 1) return InvalidArgumentError("theta: empty series or horizon < 1");
  const size_t n = y.size();
  NonSeasonalForecast out;
  out.mean.resize(horizon);
  if (n < 3) {
    std::fill(out.mean.begin(), out.mean.end(), y.back());
    out.description = "Naive";
    return out;
  }
  const double alpha = FitSesAlpha(y);
  const auto [sse, level] = SesPass(y, alpha);
  const double drift = Slope(y) / 2;
  const double start = (1 - std::pow(1 - alpha, static_cast<double>(n))) / alpha;
  const double sigma = std::sqrt(sse / static_cast<double>(n - 2));
  out.sd.resize(horizon);
  for (int h = 0; h < horizon; ++h) {
    out.mean[h] = level + drift * (h + start);
    out.sd[h] = sigma * std::sqrt(1 + h * alpha * alpha);
  }
  out.description = "Theta";
  return out;
}

Result<NonSeasonalForecast> DampedHoltForecast(std::span<const double> y, int horizon) {
  if (y.empty() || horizon < 1) {
    return InvalidArgumentError("damped holt: empty series or horizon < 1");
  }
  const size_t n = y.size();
  NonSeasonalForecast out;
  out.mean.resize(horizon);
  if (n < 4) {
    std::fill(out.mean.begin(), out.mean.end(), y.back());
    out.description = "Naive";
    return out;
  }
  // Initial state as R's ets: a regression on the first (up to) 10 points, at time 0.
  const std::span<const double> head = y.first(std::min<size_t>(n, 10));
  const double b0 = Slope(head);
  const double l0 = std::accumulate(head.begin(), head.end(), 0.0) / head.size() -
                    b0 * (head.size() + 1) / 2.0;
  auto sse = [&](const std::array<double, 3>& u) {
    return DampedPass(y, l0, b0, FromUnconstrained(u)).sse;
  };
  const std::array<double, 3> u0 = {Logit(0.3, kAlphaLow, kAlphaHigh),
                                    Logit(0.1, kAlphaLow, kAlphaHigh),
                                    Logit(0.95, kPhiLow, kPhiHigh)};
  const DampedParams p = FromUnconstrained(NelderMead(sse, u0, 1.0, 300, 1e-8));
  const DampedState s = DampedPass(y, l0, b0, p);
  const double sigma = std::sqrt(s.sse / static_cast<double>(n - 3));
  out.sd.resize(horizon);
  double phi_sum = 0;   // phi + ... + phi^h.
  double var_sum = 1;   // 1 + sum_{j<h} c_j^2, c_j = alpha + beta (phi + ... + phi^j).
  for (int h = 0; h < horizon; ++h) {
    const double c = p.alpha + p.beta * phi_sum;
    if (h > 0) var_sum += c * c;
    phi_sum = p.phi * (1 + phi_sum);
    out.mean[h] = s.level + phi_sum * s.slope;
    out.sd[h] = sigma * std::sqrt(var_sum);
  }
  out.description = "ETS(A,Ad,N)";
  return out;
}

MstlModel::MstlModel(MstlModelOptions options) : options_(std::move(options)) {}

Result<ModelForecast> MstlModel::Forecast(std::span<const double> history,
                                          std::span<const int> periods, int horizon) const {
  if (history.empty() || horizon < 1) {
    return InvalidArgumentError("mstl: empty history or horizon < 1");
  }
  ModelForecast out;
  MstlOptions decomposition = options_.decomposition;
  if (decomposition.box_cox_lambda.has_value() &&
      std::any_of(history.begin(), history.end(), [](double v) { return v <= 0; })) {
    decomposition.box_cox_lambda.reset();
    out.notes.push_back("mstl: Box-Cox skipped: the history has values <= 0");
  }
  Result<MstlResult> dec = Mstl(history, periods, decomposition);
  if (!dec.ok()) return dec.status().WithContext("mstl");
  out.notes.insert(out.notes.end(), dec->notes.begin(), dec->notes.end());
  const size_t n = history.size();
  std::vector<double> adjusted(n);
  for (size_t t = 0; t < n; ++t) adjusted[t] = dec->trend[t] + dec->remainder[t];
  Result<NonSeasonalForecast> adj =
      ForecastAdjusted(options_.adjusted_method, adjusted, horizon, out.notes);
  if (!adj.ok()) return adj.status().WithContext("mstl: adjusted series");
  out.mean = std::move(adj->mean);
  for (size_t i = 0; i < dec->periods.size(); ++i) {
    const size_t p = static_cast<size_t>(dec->periods[i]);
    const std::vector<double>& s = dec->seasonal[i];
    for (size_t h = 0; h < static_cast<size_t>(horizon); ++h) out.mean[h] += s[n - p + h % p];
  }
  if (decomposition.box_cox_lambda.has_value()) {
    for (double& v : out.mean) v = InverseBoxCox(v, *decomposition.box_cox_lambda);
  } else {
    out.sd = std::move(adj->sd);  // No transform: the adjusted model's sd applies.
  }
  out.description = "MSTL(" + PeriodList(dec->periods) + ")+" + adj->description;
  return out;
}

}  // namespace prescient::forecast
