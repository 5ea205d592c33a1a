// Seasonal lag regression, one small ridge regression per horizon step ("direct"
// multi-step forecasting, Ben Taieb et al. 2012: no error feeds back through a recursion).
//
// Work on z = log(y) for positive data (seasonal swings of traffic scale with its level),
// else on y / max|y|. With m the shortest period and M the longest one the history
// supports (three cycles), L_t = mean(z[t-m+1 .. t]) the current level, and for step h:
//   z[t+h] - L_t = b0 + b1 (z[t+h-m*k] - L_t) + b2 (z[t+h-m*(k+1)] - L_t)
//                + c1 (z[t+h-M*K] - L_t) [+ c2 (z[t+h-M*(K+1)] - L_t)]
//                + b3 (z[t] - L_t) + b4 (L_t - L_{t-m}) + e
// where k = ceil(h/m), K = ceil(h/M): the same phase in the last two short cycles and the
// last one or two long cycles (two once there are five long cycles of history), the
// present deviation and the recent level change. Weights are fitted by ridge
// least squares over every origin t in the history, separately for each h, so the model
// learns how much the last day, the last week and the present matter at each distance.
// It generalises seasonal naive (b1 = 1 or c1 = 1) and seasonal-random-walk-with-level
// blends. On M4 Hourly it alone scores OWA 0.413 (docs/benchmarks.md); each feature was
// kept only if it improved that score (a third short lag and a long-cycle level did not),
// and so was fitting on every origin rather than only the most recent 400.
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

constexpr int kMaxLongLags = 2;

struct Design {
  int m = 0;          // Short period.
  int big = 0;        // Long period, 0 if none.
  int long_lags = 0;  // Cycles of the long period used as features (0 to kMaxLongLags).
  int features() const { return 5 + long_lags; }
};

// Earliest origin t for which every feature of step h exists.
size_t FirstOrigin(const Design& d, int h) {
  const int k = (h + d.m - 1) / d.m;
  int need = std::max(d.m * (k + 1) - h, 2 * d.m - 1);
  if (d.long_lags > 0) need = std::max(need, d.big * ((h + d.big - 1) / d.big + d.long_lags - 1) - h);
  return static_cast<size_t>(std::max(need, 0));
}

// Fills rows [0, count) of `x` with the features of origins first .. first+count-1 for
// step h; with `target`, column features() gets z[t+h] - L_t.
void FillDesign(const Design& d, const std::vector<double>& z, const std::vector<double>& level,
                size_t first, Eigen::Index count, int h, bool target, Eigen::MatrixXd& x) {
  const int k = (h + d.m - 1) / d.m;
  const double* l = level.data() + first;
  auto lagged = [&](int col, ptrdiff_t offset) {
    const double* src = z.data() + static_cast<ptrdiff_t>(first) + offset;
    double* dst = x.col(col).data();
    for (Eigen::Index i = 0; i < count; ++i) dst[i] = src[i] - l[i];
  };
  int c = 0;
  x.col(c++).head(count).setOnes();
  lagged(c++, h - d.m * k);
  lagged(c++, h - d.m * (k + 1));
  for (int j = 0; j < d.long_lags; ++j) lagged(c++, h - d.big * ((h + d.big - 1) / d.big + j));
  lagged(c++, 0);
  const double* back = level.data() + first - static_cast<size_t>(d.m);
  double* dst = x.col(c++).data();
  for (Eigen::Index i = 0; i < count; ++i) dst[i] = l[i] - back[i];
  if (target) lagged(c, h);
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
    if (d.big > 0) {
      // A second long lag once there are enough long cycles to learn its weight.
      d.long_lags = n >= 5 * static_cast<size_t>(d.big) + static_cast<size_t>(horizon) ? kMaxLongLags : 1;
    }
  }
  // Enough origins for every step? Otherwise seasonal naive does the job.
  if (d.m == 0 || FirstOrigin(d, horizon) + static_cast<size_t>(horizon) + 8 * (5 + kMaxLongLags) > n) {
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
  const size_t last = n - 1;
  const int p = d.features();
  // Column-major design with the target as the last column: one Gram matrix X'X gives
  // the normal equations, X'y and y'y at once.
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), p + 1);
  Eigen::MatrixXd gram(p + 1, p + 1);
  for (int h = 1; h <= horizon; ++h) {
    const size_t first = FirstOrigin(d, h);
    const Eigen::Index count = static_cast<Eigen::Index>(last - static_cast<size_t>(h) + 1 - first);
    FillDesign(d, z, level, first, count, h, /*target=*/true, x);
    // Pairwise dot products: for 6-8 columns this beats a GEMM, whose packing dominates.
    for (int a = 0; a <= p; ++a) {
      for (int b = 0; b <= a; ++b) {
        gram(a, b) = gram(b, a) = x.col(a).head(count).dot(x.col(b).head(count));
      }
    }
    Eigen::MatrixXd xtx = gram.topLeftCorner(p, p);
    // Ridge relative to each feature's own scale, so it shrinks noise, not structure.
    for (int a = 1; a < p; ++a) xtx(a, a) *= 1 + options_.ridge;
    const Eigen::VectorXd xty = gram.col(p).head(p);
    const Eigen::VectorXd beta = xtx.ldlt().solve(xty);
    // Residual variance from the normal equations: (y'y - b'X'y) / (count - p).
    const double rss = std::max(0.0, gram(p, p) - beta.dot(xty));
    const double sigma = std::sqrt(rss / std::max<double>(1.0, static_cast<double>(count) - p));
    // At the forecast origin every lag is at least one period back from last + h, so all
    // features exist.
    FillDesign(d, z, level, last, 1, h, /*target=*/false, x);
    const double pred = level[last] + x.row(0).head(p).dot(beta);
    const size_t hi = static_cast<size_t>(h - 1);
    if (use_log) {
      out.mean[hi] = std::exp(pred);
      out.sd[hi] = out.mean[hi] * sigma;
    } else {
      out.mean[hi] = pred * scale;
      out.sd[hi] = sigma * scale;
    }
  }
  out.description = "SAR(" + std::to_string(d.m) + (d.long_lags > 0 ? "," + std::to_string(d.big) + "x" + std::to_string(d.long_lags) : "") +
                    (use_log ? ",log" : "") + ")";
  return out;
}

}  // namespace prescient::forecast
