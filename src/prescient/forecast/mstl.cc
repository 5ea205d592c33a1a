// MSTL forecasting (R's forecast::stlf / forecast.mstl; Hyndman & Athanasopoulos,
// "Forecasting: Principles and Practice", 3rd ed., sections 3.6 and 12.1).
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
//     A_1; R's ses also optimises l_0, which matters little on long series).
//   - ETS chosen by AICc among the non-seasonal forms (ets.h; stlf's default,
//     ets(model = "ZZN")), or the damped-trend ETS(A,Ad,N) alone. If ETS cannot fit
//     (fewer points than parameters), Theta stands in, with a note.
// The model standard deviation is that of the adjusted-series method (the seasonal
// components are taken as known, as stlf does), so it is too narrow for long horizons.
//
// Why Theta is the default. On M4 hourly (414 series, horizon 48, periods 24 and 168):
//   Theta        sMAPE 13.76  MASE 1.152  OWA 0.615  ~0.5 ms CPU per 960-point series
//   ETS (auto)   sMAPE 13.84  MASE 1.125  OWA 0.611  ~3 ms (= R's stlf: 13.84 / 1.125)
//   ETS(A,Ad,N)  sMAPE 13.84  MASE 1.191  OWA 0.625
//   (seasonal naive 13.91 / 1.193). Theta and automatic ETS are a tie on accuracy (each
// wins one measure; OWA 0.5% apart), and only Theta keeps a forecast under 1 ms.
//
// Failure modes: STL's degree-0 cycle-subseries smoothing lets part of a steep trend into
// the last cycle of a long period with few cycles (4-6 weeks of hourly data), which the
// forecast then repeats; R's mstl does the same. A level shift in the last cycle is half
// absorbed into the seasonal component. With a Box-Cox lambda the back-transformed
// forecast is the median, not the mean (no bias adjustment).

#include "prescient/forecast/mstl.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "prescient/forecast/ets.h"

namespace prescient::forecast {
namespace {

constexpr double kAlphaLow = 1e-4;
constexpr double kAlphaHigh = 0.9999;

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
  if (!dec.ok()) return dec.status();  // Its message starts with "mstl:".
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
