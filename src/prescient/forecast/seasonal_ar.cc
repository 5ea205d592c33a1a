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

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

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
  if (d.long_lags > 0)
    need = std::max(need, d.big * ((h + d.big - 1) / d.big + d.long_lags - 1) - h);
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

// The design for a history of n points, or m == 0 when the history is too short for
// the lag regression (seasonal naive does the job then).
Design ChooseDesign(size_t n, std::span<const int> periods, int horizon) {
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
      d.long_lags =
          n >= 5 * static_cast<size_t>(d.big) + static_cast<size_t>(horizon) ? kMaxLongLags : 1;
    }
  }
  if (d.m == 0 ||
      FirstOrigin(d, horizon) + static_cast<size_t>(horizon) + 8 * (5 + kMaxLongLags) > n) {
    return Design{};
  }
  return d;
}

bool SameDesign(const Design& a, const Design& b) {
  return a.m == b.m && a.big == b.big && a.long_lags == b.long_lags;
}

// Fits the regressions for every origin of `group` (indices into `origins`, same design
// and transform) in one pass over the rows, writing out[k] for each.
void FitGroup(std::span<const double> history, const Design& d, bool use_log, double ridge,
              std::span<const size_t> origins, std::vector<size_t> group, int horizon,
              std::vector<ModelForecast>& out) {
  std::sort(group.begin(), group.end(),
            [&](size_t a, size_t b) { return origins[a] < origins[b]; });
  const size_t n = origins[group.back()];  // The longest prefix of the group.
  // Any positive scale gives the same forecast (the fit is scale-equivariant, the ridge
  // relative); the longest prefix's max keeps values near 1.
  double scale = 0;
  for (size_t t = 0; t < n; ++t) scale = std::max(scale, std::abs(history[t]));
  if (scale == 0) scale = 1;
  std::vector<double> z(n);
  for (size_t t = 0; t < n; ++t) z[t] = use_log ? std::log(history[t]) : history[t] / scale;
  // level[t] = mean(z[t-m+1..t]): uses the past only, so it is the same in every prefix.
  std::vector<double> level(n, 0.0);
  double run = 0;
  for (size_t t = 0; t < n; ++t) {
    run += z[t];
    if (t >= static_cast<size_t>(d.m)) run -= z[t - static_cast<size_t>(d.m)];
    level[t] = run / d.m;
  }
  for (size_t k : group) {
    out[k].mean.resize(static_cast<size_t>(horizon));
    out[k].sd.resize(static_cast<size_t>(horizon));
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict, PR105329) on
    // `literal + std::to_string(...)`.
    std::string& desc = out[k].description;
    desc = "SAR(";
    desc += std::to_string(d.m);
    if (d.long_lags > 0) {
      desc += ',';
      desc += std::to_string(d.big);
      desc += 'x';
      desc += std::to_string(d.long_lags);
    }
    if (use_log) desc += ",log";
    desc += ')';
  }
  const int p = d.features();
  // Column-major design with the target as the last column: one Gram matrix X'X gives
  // the normal equations, X'y and y'y at once. Rows are added block by block as the
  // prefixes grow, and the Gram is solved at each origin.
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), p + 1);
  Eigen::MatrixXd gram(p + 1, p + 1);
  for (int h = 1; h <= horizon; ++h) {
    const size_t first = FirstOrigin(d, h);
    gram.setZero();
    size_t rows_end = first;  // Rows [first, rows_end) are in the Gram.
    for (size_t k : group) {
      const size_t origin = origins[k];
      // Training rows: t + h <= origin - 1.
      const size_t end = origin - static_cast<size_t>(h);
      if (end > rows_end) {
        const Eigen::Index block = static_cast<Eigen::Index>(end - rows_end);
        FillDesign(d, z, level, rows_end, block, h, /*target=*/true, x);
        // Pairwise dot products: for 6-8 columns this beats a GEMM, whose packing dominates.
        for (int a = 0; a <= p; ++a) {
          for (int b = 0; b <= a; ++b) {
            gram(a, b) += x.col(a).head(block).dot(x.col(b).head(block));
          }
        }
        rows_end = end;
      }
      const double count = static_cast<double>(rows_end - first);
      Eigen::MatrixXd xtx = gram.topLeftCorner(p, p).selfadjointView<Eigen::Lower>();
      // Ridge relative to each feature's own scale, so it shrinks noise, not structure.
      for (int a = 1; a < p; ++a) xtx(a, a) *= 1 + ridge;
      const Eigen::VectorXd xty = gram.row(p).head(p).transpose();
      const Eigen::VectorXd beta = xtx.ldlt().solve(xty);
      // Residual variance from the normal equations: (y'y - b'X'y) / (count - p).
      const double rss = std::max(0.0, gram(p, p) - beta.dot(xty));
      const double sigma = std::sqrt(rss / std::max(1.0, count - p));
      // At the forecast origin every lag is at least one period back from origin-1+h, so
      // all features exist.
      const size_t last = origin - 1;
      FillDesign(d, z, level, last, 1, h, /*target=*/false, x);
      const double pred = level[last] + x.row(0).head(p).dot(beta);
      const size_t hi = static_cast<size_t>(h - 1);
      if (use_log) {
        out[k].mean[hi] = std::exp(pred);
        out[k].sd[hi] = out[k].mean[hi] * sigma;
      } else {
        out[k].mean[hi] = pred * scale;
        out[k].sd[hi] = sigma * scale;
      }
    }
  }
}

}  // namespace

Result<ModelForecast> SeasonalArModel::Forecast(std::span<const double> history,
                                                std::span<const int> periods, int horizon) const {
  const size_t origins[] = {history.size()};
  PRESCIENT_ASSIGN_OR_RETURN(std::vector<ModelForecast> out,
                             ForecastFromOrigins(history, periods, origins, horizon));
  return std::move(out.front());
}

Result<std::vector<ModelForecast>> SeasonalArModel::ForecastFromOrigins(
    std::span<const double> history, std::span<const int> periods, std::span<const size_t> origins,
    int horizon) const {
  std::vector<ModelForecast> out(origins.size());
  // The log transform needs a positive prefix: every prefix up to the first non-positive
  // value qualifies.
  size_t positive_prefix = 0;
  while (positive_prefix < history.size() && history[positive_prefix] > 0) ++positive_prefix;
  // Group origins that share a design and a transform; each group is one shared pass.
  std::vector<bool> done(origins.size(), false);
  for (size_t k = 0; k < origins.size(); ++k) {
    if (done[k]) continue;
    const Design d = ChooseDesign(origins[k], periods, horizon);
    if (d.m == 0) {
      Result<ModelForecast> f =
          SeasonalNaiveModel().Forecast(history.first(origins[k]), periods, horizon);
      if (!f.ok()) return f.status();
      f->notes.push_back("sar: history too short for the lag regression; used seasonal naive");
      out[k] = std::move(f).value();
      done[k] = true;
      continue;
    }
    const bool use_log = options_.log_transform && origins[k] <= positive_prefix;
    std::vector<size_t> group;
    for (size_t j = k; j < origins.size(); ++j) {
      if (done[j] || !SameDesign(ChooseDesign(origins[j], periods, horizon), d)) continue;
      if ((options_.log_transform && origins[j] <= positive_prefix) != use_log) continue;
      group.push_back(j);
      done[j] = true;
    }
    FitGroup(history, d, use_log, options_.ridge, origins, group, horizon, out);
  }
  return out;
}

}  // namespace prescient::forecast
