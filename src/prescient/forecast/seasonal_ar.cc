// Seasonal lag regression, one small ridge regression per horizon step ("direct"
// multi-step forecasting, Ben Taieb et al. 2012: no error feeds back through a recursion).
//
// Work on z = log(y) for positive data (seasonal swings of traffic scale with its level),
// else on y / level. With m the shortest period and M the longest one the history
// supports, L_t = mean(z[t-m+1 .. t]) the current level, and for step h:
//   z[t+h] - L_t = b0 + b1 (z[t+h-m*k] - L_t) + b2 (z[t+h-m*(k+1)] - L_t)
//                + b3 (z[t+h-M*K] - L_t) + b4 (z[t] - L_t) + b5 (L_t - L_{t-m}) + e
// where k = ceil(h/m), K = ceil(h/M): the same phase in the last two cycles and last long
// cycle, the present deviation and the recent level change. Weights are fitted by ridge
// least squares over every origin t in the history, separately for each h, so the model
// learns how much the last day, the last week and the present matter at each distance.
// It generalises seasonal naive (b1 = 1) and seasonal-random-walk-with-level blends.
//
// Failure modes: needs about three long cycles to learn b3 well (else the long period is
// dropped); a level shift just before the origin is only partly captured through b4/b5;
// back-transforming log forecasts gives the median, not the mean.
#include "prescient/forecast/seasonal_ar.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "prescient/forecast/naive.h"

namespace prescient::forecast {
namespace {

constexpr int kMaxFeatures = 6;

struct Design {
  int m = 0;   // Short period.
  int big = 0; // Long period, 0 if none.
};

// Earliest origin t for which every feature of step h exists.
size_t FirstOrigin(const Design& d, int h) {
  const int k = (h + d.m - 1) / d.m;
  int need = std::max(d.m * (k + 1) - h, 2 * d.m - 1);
  if (d.big > 0) need = std::max(need, d.big * ((h + d.big - 1) / d.big) - h);
  return static_cast<size_t>(std::max(need, 0));
}

int Features(const Design& d, const std::vector<double>& z, const std::vector<double>& level,
             size_t t, int h, double* x) {
  const int k = (h + d.m - 1) / d.m;
  const double l = level[t];
  int i = 0;
  x[i++] = 1;
  x[i++] = z[t + static_cast<size_t>(h) - static_cast<size_t>(d.m * k)] - l;
  x[i++] = z[t + static_cast<size_t>(h) - static_cast<size_t>(d.m * (k + 1))] - l;
  if (d.big > 0) {
    const int kk = (h + d.big - 1) / d.big;
    x[i++] = z[t + static_cast<size_t>(h) - static_cast<size_t>(d.big * kk)] - l;
  }
  x[i++] = z[t] - l;
  x[i++] = l - level[t - static_cast<size_t>(d.m)];
  return i;
}

}  // namespace

Result<ModelForecast> SeasonalArModel::Forecast(std::span<const double> history,
                                                std::span<const int> periods, int horizon) const {
  const size_t n = history.size();
  Design d;
  for (int p : periods) {
    if (p >= 2 && d.m == 0) d.m = p;
  }
  if (d.m > 0) {
    for (int p : periods) {
      if (p > d.m && n >= 3 * static_cast<size_t>(p) + static_cast<size_t>(horizon)) d.big = p;
    }
  }
  // Enough origins for every step? Otherwise seasonal naive does the job.
  if (d.m == 0 || FirstOrigin(d, horizon) + static_cast<size_t>(horizon) + 8 * kMaxFeatures > n) {
    Result<ModelForecast> f = SeasonalNaiveModel().Forecast(history, periods, horizon);
    if (f.ok()) f->notes.push_back("sar: history too short for the lag regression; used seasonal naive");
    return f;
  }
  const bool use_log = options_.log_transform &&
                       std::all_of(history.begin(), history.end(), [](double v) { return v > 0; });
  double scale = 0;
  for (double v : history) scale = std::max(scale, std::abs(v));
  if (scale == 0) scale = 1;
  std::vector<double> z(n);
  for (size_t t = 0; t < n; ++t) z[t] = use_log ? std::log(history[t]) : history[t] / scale;
  // level[t] = mean(z[t-m+1..t]), defined from t = m-1.
  std::vector<double> level(n, 0.0);
  double run = 0;
  for (size_t t = 0; t < n; ++t) {
    run += z[t];
    if (t >= static_cast<size_t>(d.m)) run -= z[t - static_cast<size_t>(d.m)];
    level[t] = run / d.m;
  }

  ModelForecast out;
  out.mean.resize(static_cast<size_t>(horizon));
  out.sd.resize(static_cast<size_t>(horizon));
  Eigen::Matrix<double, kMaxFeatures, kMaxFeatures> xtx;
  Eigen::Matrix<double, kMaxFeatures, 1> xty;
  double x[kMaxFeatures];
  const size_t last = n - 1;
  for (int h = 1; h <= horizon; ++h) {
    const size_t first = FirstOrigin(d, h);
    const int p = d.big > 0 ? 6 : 5;
    xtx.setZero();
    xty.setZero();
    size_t count = 0;
    double sum_sq = 0;
    for (size_t t = first; t + static_cast<size_t>(h) <= last; ++t) {
      Features(d, z, level, t, h, x);
      const double target = z[t + static_cast<size_t>(h)] - level[t];
      for (int a = 0; a < p; ++a) {
        xty(a) += x[a] * target;
        for (int b = 0; b <= a; ++b) xtx(a, b) += x[a] * x[b];
      }
      sum_sq += target * target;
      ++count;
    }
    for (int a = 0; a < p; ++a)
      for (int b = a + 1; b < p; ++b) xtx(a, b) = xtx(b, a);
    // Ridge relative to each feature's own scale, so it shrinks noise, not structure.
    for (int a = 1; a < p; ++a) xtx(a, a) *= 1 + options_.ridge;
    const auto xtx_p = xtx.topLeftCorner(p, p);
    const Eigen::VectorXd beta = xtx_p.ldlt().solve(xty.head(p));
    // Residual variance from the normal equations: (y'y - b'X'y) / (count - p).
    const double rss = std::max(0.0, sum_sq - beta.dot(xty.head(p)));
    const double sigma = std::sqrt(rss / std::max<double>(1.0, static_cast<double>(count) - p));
    // At the forecast origin every lag is at least one period back from last + h, so all
    // features exist.
    double xs[kMaxFeatures];
    Features(d, z, level, last, h, xs);
    const double l = level[last];
    double pred = l;
    for (int a = 0; a < p; ++a) pred += beta(a) * xs[a];
    const size_t hi = static_cast<size_t>(h - 1);
    if (use_log) {
      out.mean[hi] = std::exp(pred);
      out.sd[hi] = out.mean[hi] * sigma;
    } else {
      out.mean[hi] = pred * scale;
      out.sd[hi] = sigma * scale;
    }
  }
  out.description = "SAR(" + std::to_string(d.m) + (d.big > 0 ? "," + std::to_string(d.big) : "") +
                    (use_log ? ",log" : "") + ")";
  return out;
}

}  // namespace prescient::forecast
