// Prophet-style regression, fitted as a MAP point estimate.
//
// Model (Taylor & Letham, "Forecasting at scale", The American Statistician 72(1), 2018;
// the prophet package's prophet.stan and forecaster.py). With step index i = 0..n-1,
// scaled time t = i / (n - 1) and y scaled by y_scale = max|y| (1 if all zero):
//
//   additive:        y(t) = g(t) + s(t) + h(t) + e,      e ~ N(0, sigma^2)
//   multiplicative:  y(t) = g(t) * (1 + s(t) + h(t)) + e
//   g(t) = k*t + m + sum_j delta_j * max(0, t - c_j)           piecewise-linear trend
//   s(t) = sum_P sum_k a_Pk cos(2*pi*k*i/P) + b_Pk sin(2*pi*k*i/P)   Fourier seasonality
//   h(t) = sum_events sum_o w_eo * [i - start = o for some start]    event windows
//
// The S changepoints c_j sit at round(j * (H - 1) / S), j = 1..S, H = floor(n *
// changepoint_range), as prophet places them. Priors as in prophet.stan: k, m ~ N(0, 5),
// delta_j ~ Laplace(0, tau = changepoint_prior_scale), a, b ~ N(0, seasonality_prior_scale),
// w ~ N(0, event prior_scale), sigma ~ HalfNormal(0.5). The negative log posterior is
//
//   n*log(sigma) + RSS/(2 sigma^2) + sum|delta|/tau + sum beta^2/(2 s^2) + 2 sigma^2.
//
// For a fixed sigma, minimising over the coefficients is the penalised least squares
//   0.5*RSS + sigma^2 * (sum|delta|/tau + 0.5 * sum beta^2/s^2),
// i.e. ridge on every column but the changepoint ramps and an L1 (lasso) penalty on those;
// for fixed coefficients the best sigma solves 4 sigma^4 + n sigma^2 - RSS = 0 (about
// RSS/n). We alternate the two, a block-coordinate descent on the joint MAP objective, so
// every step lowers it. The coefficient step is exact and deterministic: with the Gram
// matrix G = X'X formed once (accumulated over row chunks), the ridge block is profiled out
// in closed form (Cholesky), leaving a small lasso on the S deltas whose Hessian is the
// Schur complement; that lasso is solved exactly by feature-sign search, an active-set
// method (coordinate descent took hundreds of sweeps on the strongly correlated ramps).
// Prophet itself runs L-BFGS on the same objective, which leaves the Laplace prior's zeros
// as small non-zeros; ours are exact zeros, so fewer changepoints look active.
//
// Multiplicative mode is fitted as prophet defines it, not as an additive model of log(y):
// the trend then stays linear in y (a log fit extrapolates its slope as compound growth,
// which explodes over long horizons), zeros and negative values stay legal, and the noise
// stays additive, as in prophet. Given the factor f = 1 + s + h the model is linear in the
// trend coefficients (rows scaled by f); given the trend g it is linear in the seasonal and
// event coefficients (rows scaled by g, target y - g). Alternating those two exact steps and
// the sigma step descends the (biconvex) objective to a local optimum.
//
// Trend uncertainty: prophet simulates future changepoints as a Poisson process with the
// history's rate (S per unit of scaled time) and Laplace(0, lambda) rate changes, lambda =
// mean|delta|. The added trend at h steps past the end is a compound Poisson integral; by
// Campbell's theorem its mean is 0 and its variance is rate * E[delta^2] * h^3 / 3 =
// (S / (n - 1)) * 2 * lambda^2 * h^3 / 3 (per-step units), which we add to sigma^2 (scaled by
// the seasonal factor in multiplicative mode). That is the exact variance of prophet's
// scheme; only the Gaussian shape of the error is assumed. Parameter uncertainty is
// ignored, as in prophet's MAP intervals.
//
// Fourier orders: prophet's defaults are 4 (daily), 3 (weekly), 10 (yearly). We default
// to 10 for the shortest period and 3 for longer ones. On the first 100 M4 hourly series
// (periods 24 and 168, horizon 48, additive, other options default) mean sMAPE was
// 8.28 / 8.26 / 8.25 / 8.24 / 8.24 for daily orders 4 / 6 / 8 / 10 / 11 with weekly order 3,
// and 8.24 / 8.33 / 8.79 / 9.17 for weekly orders 3 / 5 / 10 / 0 with daily order 10: a
// small gain from the higher daily order, a clear loss from a richer weekly one.
// Seasonal naive (lag 24) scored 6.39 on the same series; multiplicative mode 7.96.
//
// Known failure modes:
// - The trend extrapolates the last segment's slope forever; a shift in the last
//   (1 - changepoint_range) of the history cannot be a changepoint and shows up as bias.
// - On noise-free data sigma -> 0 and with it every penalty: the fit interpolates. Sigma
//   is floored (kMinSigma, relative to max|y|) to keep the problem well posed.
// - Seasonal shapes are fixed over the history (no evolving seasonality), errors are
//   assumed independent (no short-term dynamics): at short horizons on request-rate data
//   seasonal naive or ETS often win.
// - Multiplicative mode with a trend near or below zero makes the factor meaningless, and
//   the alternating fit finds a local optimum only.
// - Periods with fewer than 2 full cycles are dropped; an event that never occurs in the
//   history gets a zero effect.

#include "prescient/forecast/prophet.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "prescient/forecast/penalised_least_squares.h"

namespace prescient::forecast {
namespace {

constexpr double kTrendPriorVariance = 25.0;  // k, m ~ N(0, 5).
constexpr double kMinSigma = 1e-4;            // Scaled units (fraction of max|y|).
constexpr int kMaxSigmaIterations = 12;
constexpr double kSigmaTolerance = 1e-3;  // Relative change of sigma^2 that ends the loop.
constexpr int kMaxMultiplicativeIterations = 40;
constexpr double kMultiplicativeTolerance = 1e-5;  // Max change of fitted values (scaled).
constexpr double kMinLevel = 1e-3;  // Scaled mean below which the factor gets no warm start.
constexpr int kMinFitPoints = 3;
// Bounds the design (and the O(n p^2) Gram) against options from outside.
constexpr int kMaxColumns = 2000;
// The design is built and consumed in chunks of rows: a buffer that stays in cache, and
// memory that does not grow with the history.
constexpr int64_t kChunkRows = 128;
constexpr int kMaxDefaultOrder = 10;
constexpr int kLongerPeriodOrder = 3;

// Where each seasonal / event coefficient lives in the design; see BuildLayout.
struct SeasonTerm {
  int period = 0;
  std::vector<int> harmonics;
  std::vector<char> has_sin;  // 0 where sin(2*pi*k*i/P) is identically 0 (2k == P).
};

struct EventTerm {
  int option_index = 0;
  int first_col = 0;
};

// Design columns: [seasonal + event (q)] [intercept, slope] [changepoint ramps (S)].
// The seasonal block and the trend block are contiguous so that the multiplicative fit can
// take them as views, and the lasso block comes last for the solver.
struct Layout {
  std::vector<SeasonTerm> seasons;
  std::vector<EventTerm> events;
  std::vector<int64_t> changepoints;
  std::vector<double> ridge_weight;  // Per column of the first q + 2; times sigma^2.
  int q = 0;
  int Columns() const { return q + 2 + static_cast<int>(changepoints.size()); }
};

int OrderFor(int period, std::span<const int> periods, const ProphetOptions& options) {
  for (const ProphetFourierOrder& o : options.fourier_orders) {
    if (o.period == period) return std::min(o.order, period / 2);
  }
  return DefaultProphetFourierOrder(period, periods);
}

Status Validate(std::span<const double> y, std::span<const int> periods,
                const ProphetOptions& options) {
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      return InvalidArgumentError("history[" + std::to_string(i) + "] is not finite");
    }
  }
  for (int p : periods) {
    if (p < 2) return InvalidArgumentError("period " + std::to_string(p) + " is below 2");
  }
  if (options.n_changepoints < 0 || options.n_changepoints > kMaxColumns) {
    return InvalidArgumentError("n_changepoints must be in [0, " + std::to_string(kMaxColumns) +
                                "]");
  }
  if (!(options.changepoint_range > 0 && options.changepoint_range <= 1)) {
    return InvalidArgumentError("changepoint_range must be in (0, 1]");
  }
  if (!(options.changepoint_prior_scale > 0) || !std::isfinite(options.changepoint_prior_scale)) {
    return InvalidArgumentError("changepoint_prior_scale must be > 0");
  }
  if (!(options.seasonality_prior_scale > 0) || !std::isfinite(options.seasonality_prior_scale)) {
    return InvalidArgumentError("seasonality_prior_scale must be > 0");
  }
  for (const ProphetFourierOrder& o : options.fourier_orders) {
    if (o.order < 0 || o.order > kMaxColumns) {
      return InvalidArgumentError("Fourier order for period " + std::to_string(o.period) +
                                  " must be in [0, " + std::to_string(kMaxColumns) + "]");
    }
  }
  for (const ProphetEvent& e : options.events) {
    if (e.length_steps < 1 || e.length_steps > kMaxColumns) {
      return InvalidArgumentError("event " + e.name + ": length_steps must be in [1, " +
                                  std::to_string(kMaxColumns) + "]");
    }
    if (!(e.prior_scale > 0) || !std::isfinite(e.prior_scale)) {
      return InvalidArgumentError("event " + e.name + ": prior_scale must be > 0");
    }
  }
  return OkStatus();
}

// Prophet's placement: H = floor(n * range) points, S + 1 evenly spaced indices over
// [0, H - 1] rounded half-to-even as numpy does, the first one dropped.
std::vector<int64_t> Changepoints(int64_t n, const ProphetOptions& options,
                                  std::vector<std::string>& notes) {
  const auto hist =
      static_cast<int64_t>(std::floor(static_cast<double>(n) * options.changepoint_range));
  const int64_t s = std::min<int64_t>(options.n_changepoints, std::max<int64_t>(hist - 1, 0));
  if (s < options.n_changepoints) {
    notes.push_back("prophet: " + std::to_string(s) + " changepoints instead of " +
                    std::to_string(options.n_changepoints) + " (short history)");
  }
  std::vector<int64_t> out;
  for (int64_t j = 1; j <= s; ++j) {
    out.push_back(static_cast<int64_t>(std::nearbyint(
        static_cast<double>(j) * static_cast<double>(hist - 1) / static_cast<double>(s))));
  }
  return out;
}

Layout BuildLayout(int64_t n, std::span<const int> periods, const ProphetOptions& options,
                   std::vector<std::string>& notes) {
  Layout layout;
  std::vector<std::pair<int, int>> frequencies;  // (k, P) already present, as k / P.
  const double seasonal_weight =
      1.0 / (options.seasonality_prior_scale * options.seasonality_prior_scale);
  for (int period : periods) {
    if (n < 2 * static_cast<int64_t>(period)) {
      notes.push_back("prophet: seasonality " + std::to_string(period) +
                      " dropped: " + std::to_string(n) + " points are under 2 full cycles");
      continue;
    }
    SeasonTerm term{.period = period, .harmonics = {}, .has_sin = {}};
    const int order = OrderFor(period, periods, options);
    for (int k = 1; k <= order; ++k) {
      // 168 = 7 * 24: harmonic 7 of the week is harmonic 1 of the day. One copy only.
      const bool duplicate =
          std::any_of(frequencies.begin(), frequencies.end(), [&](const auto& f) {
            return static_cast<int64_t>(k) * f.second == static_cast<int64_t>(f.first) * period;
          });
      if (duplicate) continue;
      frequencies.emplace_back(k, period);
      term.harmonics.push_back(k);
      layout.ridge_weight.push_back(seasonal_weight);  // cos
      ++layout.q;
      term.has_sin.push_back(2 * k != period);
      if (term.has_sin.back()) {
        layout.ridge_weight.push_back(seasonal_weight);
        ++layout.q;
      }
    }
    if (!term.harmonics.empty()) layout.seasons.push_back(std::move(term));
  }
  for (size_t e = 0; e < options.events.size(); ++e) {
    const ProphetEvent& event = options.events[e];
    const bool seen = std::any_of(event.starts.begin(), event.starts.end(),
                                  [&](int64_t s) { return s < n && s > -event.length_steps; });
    if (!seen) {
      notes.push_back("prophet: event " + event.name +
                      " never occurs in the history; its effect is 0");
    }
    layout.events.push_back({.option_index = static_cast<int>(e), .first_col = layout.q});
    const double w = 1.0 / (event.prior_scale * event.prior_scale);
    for (int o = 0; o < event.length_steps; ++o) layout.ridge_weight.push_back(w);
    layout.q += event.length_steps;
  }
  layout.ridge_weight.push_back(1.0 / kTrendPriorVariance);  // m
  layout.ridge_weight.push_back(1.0 / kTrendPriorVariance);  // k
  layout.changepoints = Changepoints(n, options, notes);
  return layout;
}

// Writes rows of the design matrix; the cos/sin tables (one per period, indexed by
// k * i mod P, so no trigonometric call per point) are computed once.
class DesignWriter {
 public:
  DesignWriter(int64_t n, const Layout& layout, const ProphetOptions& options)
      : n_(n), layout_(layout), options_(options) {
    for (const SeasonTerm& term : layout.seasons) {
      const int p = term.period;
      std::vector<double>& c = cos_.emplace_back(p);
      std::vector<double>& s = sin_.emplace_back(p);
      for (int r = 0; r < p; ++r) {
        c[r] = std::cos(2 * std::numbers::pi * r / p);
        s[r] = std::sin(2 * std::numbers::pi * r / p);
      }
    }
  }

  // Rows first .. first + out.rows() - 1; out.cols() == layout.Columns().
  void Fill(int64_t first, Eigen::Ref<Eigen::MatrixXd> out) const {
    out.setZero();
    const int64_t rows = out.rows();
    int col = 0;
    for (size_t s = 0; s < layout_.seasons.size(); ++s) {
      const SeasonTerm& term = layout_.seasons[s];
      const int p = term.period;
      for (size_t h = 0; h < term.harmonics.size(); ++h) {
        const int k = term.harmonics[h];
        const int cos_col = col++;
        const int sin_col = term.has_sin[h] ? col++ : -1;
        int r = static_cast<int>((static_cast<int64_t>(k) * (first % p)) % p);
        for (int64_t i = 0; i < rows; ++i) {
          out(i, cos_col) = cos_[s][r];
          if (sin_col >= 0) out(i, sin_col) = sin_[s][r];
          r += k;  // k * i mod p, without a division per point.
          if (r >= p) r -= p;
        }
      }
    }
    for (const EventTerm& term : layout_.events) {
      const ProphetEvent& event = options_.events[term.option_index];
      for (int64_t start : event.starts) {
        // Compared before any arithmetic: starts come from outside and may be extreme.
        if (start >= first + rows || start <= first - event.length_steps) continue;
        for (int o = 0; o < event.length_steps; ++o) {
          const int64_t i = start - first + o;
          if (i >= 0 && i < rows) out(i, term.first_col + o) = 1.0;
        }
      }
    }
    const double dt = 1.0 / static_cast<double>(n_ - 1);
    for (int64_t i = 0; i < rows; ++i) {
      out(i, layout_.q) = 1.0;
      out(i, layout_.q + 1) = static_cast<double>(first + i) * dt;
    }
    for (size_t j = 0; j < layout_.changepoints.size(); ++j) {
      const int c = layout_.q + 2 + static_cast<int>(j);
      for (int64_t i = std::max<int64_t>(layout_.changepoints[j] + 1 - first, 0); i < rows; ++i) {
        out(i, c) = static_cast<double>(first + i - layout_.changepoints[j]) * dt;
      }
    }
  }

 private:
  const int64_t n_;
  const Layout& layout_;
  const ProphetOptions& options_;
  std::vector<std::vector<double>> cos_;
  std::vector<std::vector<double>> sin_;
};

// MAP sigma^2 for a fixed fit: the positive root of 4 s^4 + n s^2 - RSS = 0 (HalfNormal(0.5)
// prior), written to avoid cancellation, floored at kMinSigma^2.
double MapSigma2(double rss, int64_t n) {
  const double nn = static_cast<double>(n);
  const double s2 = 2 * rss / (nn + std::sqrt(nn * nn + 16 * rss));
  return std::max(s2, kMinSigma * kMinSigma);
}

double InitialSigma2(const Eigen::VectorXd& y) {
  const double var = (y.array() - y.mean()).square().mean();
  return std::max(var, kMinSigma * kMinSigma);
}

// Adds x'x to the lower triangle of `gram`.
void AddGram(const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::MatrixXd& gram) {
  gram.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
}

void Symmetrize(Eigen::MatrixXd& gram) {
  gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
}

struct ScaledFit {
  Eigen::VectorXd coef;  // Layout order, scaled units.
  double sigma2 = 0;
};

// One linear problem; X'X and X'y are accumulated over chunks of rows.
Result<ScaledFit> FitAdditive(const DesignWriter& design, const Eigen::VectorXd& y,
                              const Layout& layout, const ProphetOptions& options) {
  const int p = layout.Columns();
  const int nr = layout.q + 2;
  const auto n = static_cast<int64_t>(y.size());
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(p, p);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd chunk(std::min(n, kChunkRows), p);
  for (int64_t first = 0; first < n; first += kChunkRows) {
    const int64_t rows = std::min(kChunkRows, n - first);
    auto block = chunk.topRows(rows);
    design.Fill(first, block);
    AddGram(block, gram);
    rhs.noalias() += block.transpose() * y.segment(first, rows);
  }
  Symmetrize(gram);
  const double yy = y.squaredNorm();
  const Eigen::Map<const Eigen::VectorXd> weight(layout.ridge_weight.data(), nr);
  PenalisedLeastSquares solver(nr, p - nr);
  Eigen::VectorXd ridge(nr);
  ScaledFit fit{.coef = Eigen::VectorXd::Zero(p), .sigma2 = InitialSigma2(y)};
  for (int it = 0; it < kMaxSigmaIterations; ++it) {
    ridge = weight * fit.sigma2;
    if (!solver.Solve(gram, rhs, ridge, fit.sigma2 / options.changepoint_prior_scale, fit.coef)) {
      return InternalError("ridge block not positive definite");
    }
    const double rss = std::max(0.0, yy - 2 * rhs.dot(fit.coef) + fit.coef.dot(gram * fit.coef));
    const double next = MapSigma2(rss, n);
    const bool done = std::abs(next - fit.sigma2) <= kSigmaTolerance * fit.sigma2;
    fit.sigma2 = next;
    if (done) break;
  }
  return fit;
}

// Alternates: trend given the factor f = 1 + Xs*beta, seasonal given the trend g, sigma.
// Each iteration makes two passes over the design: the first evaluates the current fit
// (RSS for sigma, the change for the stopping rule) and accumulates the trend's Gram matrix
// weighted by f; the second the seasonal Gram weighted by the new trend. The start is the
// additive fit, its seasonal terms divided by the mean level (on the M4 check: 11.8
// iterations on average instead of 14.3 from a zero start).
Result<ScaledFit> FitMultiplicative(const DesignWriter& design, const Eigen::VectorXd& y,
                                    const Layout& layout, const ProphetOptions& options,
                                    const ScaledFit& additive) {
  const int q = layout.q;
  const int nt = layout.Columns() - q;  // intercept, slope, ramps
  const auto n = static_cast<int64_t>(y.size());
  const Eigen::Map<const Eigen::VectorXd> seasonal_weight(layout.ridge_weight.data(), q);
  const Eigen::Map<const Eigen::VectorXd> trend_weight(layout.ridge_weight.data() + q, 2);
  PenalisedLeastSquares trend_solver(2, nt - 2);
  PenalisedLeastSquares seasonal_solver(q, 0);
  const int64_t chunk_rows = std::min(n, kChunkRows);
  Eigen::MatrixXd chunk(chunk_rows, layout.Columns());
  Eigen::MatrixXd weighted_t(chunk_rows, nt);
  Eigen::MatrixXd weighted_s(chunk_rows, q);
  Eigen::VectorXd factor(chunk_rows);
  Eigen::MatrixXd gram_t(nt, nt);
  Eigen::MatrixXd gram_s(q, q);
  Eigen::VectorXd rhs_t(nt);
  Eigen::VectorXd rhs_s(q);
  Eigen::VectorXd ridge_t(2);
  Eigen::VectorXd ridge_s(q);
  Eigen::VectorXd theta = additive.coef.tail(nt);
  const double level = y.mean();
  Eigen::VectorXd beta = std::abs(level) > kMinLevel
                             ? Eigen::VectorXd(additive.coef.head(q) / level)
                             : Eigen::VectorXd::Zero(q);
  Eigen::VectorXd trend = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd fitted = Eigen::VectorXd::Zero(n);
  const auto for_each_chunk = [&](const auto& fn) {
    for (int64_t first = 0; first < n; first += kChunkRows) {
      const int64_t rows = std::min(kChunkRows, n - first);
      auto block = chunk.topRows(rows);
      design.Fill(first, block);
      fn(first, rows, block);
    }
  };
  double sigma2 = additive.sigma2;
  for (int it = 0; it <= kMaxMultiplicativeIterations; ++it) {
    gram_t.setZero();
    rhs_t.setZero();
    double rss = 0;
    double change = 0;
    for_each_chunk([&](int64_t first, int64_t rows, const auto& block) {
      auto f = factor.head(rows);
      f.setOnes();
      f.noalias() += block.leftCols(q) * beta;
      for (int64_t i = 0; i < rows; ++i) {
        const double value = trend(first + i) * f(i);
        rss += (y(first + i) - value) * (y(first + i) - value);
        change = std::max(change, std::abs(value - fitted(first + i)));
        fitted(first + i) = value;
      }
      auto w = weighted_t.topRows(rows);
      w = block.rightCols(nt).array().colwise() * f.array();
      AddGram(w, gram_t);
      rhs_t.noalias() += w.transpose() * y.segment(first, rows);
    });
    if (it > 0) {
      sigma2 = MapSigma2(rss, n);
      if (change < kMultiplicativeTolerance || it == kMaxMultiplicativeIterations) break;
    }
    Symmetrize(gram_t);
    ridge_t = trend_weight * sigma2;
    if (!trend_solver.Solve(gram_t, rhs_t, ridge_t, sigma2 / options.changepoint_prior_scale,
                            theta)) {
      return InternalError("trend block not positive definite");
    }
    gram_s.setZero();
    rhs_s.setZero();
    for_each_chunk([&](int64_t first, int64_t rows, const auto& block) {
      auto g = trend.segment(first, rows);
      g.noalias() = block.rightCols(nt) * theta;
      auto w = weighted_s.topRows(rows);
      w = block.leftCols(q).array().colwise() * g.array();
      AddGram(w, gram_s);
      rhs_s.noalias() += w.transpose() * (y.segment(first, rows) - g);
    });
    Symmetrize(gram_s);
    ridge_s = seasonal_weight * sigma2;
    if (!seasonal_solver.Solve(gram_s, rhs_s, ridge_s, 0, beta)) {
      return InternalError("seasonal block not positive definite");
    }
  }
  ScaledFit fit{.coef = Eigen::VectorXd(layout.Columns()), .sigma2 = sigma2};
  fit.coef << beta, theta;
  return fit;
}

// Scaled coefficients back to y units and per-step rates.
ProphetFit Unpack(const ScaledFit& scaled, const Layout& layout, const ProphetOptions& options,
                  int64_t n, double y_scale) {
  ProphetFit fit;
  fit.mode = options.mode;
  fit.history_size = n;
  const double per_step = y_scale / static_cast<double>(n - 1);
  const double seasonal_unit = options.mode == ProphetMode::kAdditive ? y_scale : 1.0;
  const Eigen::VectorXd& b = scaled.coef;
  int col = 0;
  for (const SeasonTerm& term : layout.seasons) {
    ProphetSeasonalFit season;
    season.period = term.period;
    season.harmonics = term.harmonics;
    for (char has_sin : term.has_sin) {
      season.cos_coef.push_back(b(col++) * seasonal_unit);
      season.sin_coef.push_back(has_sin ? b(col++) * seasonal_unit : 0.0);
    }
    fit.seasonalities.push_back(std::move(season));
  }
  for (const EventTerm& term : layout.events) {
    const ProphetEvent& event = options.events[term.option_index];
    ProphetEventFit e{.name = event.name, .starts = event.starts, .effect = {}};
    for (int o = 0; o < event.length_steps; ++o) {
      e.effect.push_back(b(term.first_col + o) * seasonal_unit);
    }
    fit.events.push_back(std::move(e));
  }
  fit.trend_offset = b(layout.q) * y_scale;
  fit.trend_rate = b(layout.q + 1) * per_step;
  fit.changepoints = layout.changepoints;
  double sum_abs = 0;
  for (size_t j = 0; j < layout.changepoints.size(); ++j) {
    fit.deltas.push_back(b(layout.q + 2 + static_cast<int>(j)) * per_step);
    sum_abs += std::abs(fit.deltas.back());
  }
  fit.sigma = std::sqrt(scaled.sigma2) * y_scale;
  const auto s = static_cast<double>(layout.changepoints.size());
  fit.changepoint_rate = s / static_cast<double>(n - 1);
  // Prophet adds 1e-8 (scaled) so that a fit without changes still has some uncertainty.
  fit.delta_scale = s > 0 ? sum_abs / s + 1e-8 * per_step : 0.0;
  return fit;
}

ProphetFit FlatFit(std::span<const double> y, const ProphetOptions& options) {
  ProphetFit fit;
  fit.mode = options.mode;
  fit.history_size = static_cast<int64_t>(y.size());
  fit.trend_offset = y.empty() ? 0.0 : y.back();
  if (y.size() == 2) fit.sigma = std::abs(y[1] - y[0]);
  fit.notes.push_back("prophet: " + std::to_string(y.size()) +
                      " points are too few to fit; flat forecast at the last value");
  return fit;
}

// s(i) + h(i): the seasonal and event part at step i, in the fit's units.
double SeasonalPart(const ProphetFit& fit, int64_t i) {
  double total = 0;
  for (const ProphetSeasonalFit& season : fit.seasonalities) {
    const int64_t p = season.period;
    const int64_t phase = ((i % p) + p) % p;
    for (size_t h = 0; h < season.harmonics.size(); ++h) {
      const double angle = 2 * std::numbers::pi *
                           static_cast<double>((season.harmonics[h] * phase) % p) /
                           static_cast<double>(p);
      total += season.cos_coef[h] * std::cos(angle) + season.sin_coef[h] * std::sin(angle);
    }
  }
  for (const ProphetEventFit& event : fit.events) {
    const auto length = static_cast<int64_t>(event.effect.size());
    for (int64_t start : event.starts) {
      if (start <= i && i < start + length) total += event.effect[i - start];
    }
  }
  return total;
}

std::string Describe(const ProphetFit& fit) {
  std::string out =
      fit.mode == ProphetMode::kAdditive ? "Prophet(additive" : "Prophet(multiplicative";
  out += ", " + std::to_string(fit.changepoints.size()) + " changepoints";
  for (size_t s = 0; s < fit.seasonalities.size(); ++s) {
    out += (s == 0 ? ", seasonal " : "+") + std::to_string(fit.seasonalities[s].period) + "x" +
           std::to_string(fit.seasonalities[s].harmonics.size());
  }
  if (!fit.events.empty()) out += ", " + std::to_string(fit.events.size()) + " events";
  return out + ")";
}

}  // namespace

int DefaultProphetFourierOrder(int period, std::span<const int> periods) {
  const int shortest = periods.empty() ? period : *std::min_element(periods.begin(), periods.end());
  const int order = period <= shortest ? kMaxDefaultOrder : kLongerPeriodOrder;
  return std::min(order, period / 2);
}

Result<ProphetFit> FitProphet(std::span<const double> y, std::span<const int> periods,
                              const ProphetOptions& options) {
  if (Status status = Validate(y, periods, options); !status.ok()) {
    return status.WithContext("prophet");
  }
  const auto n = static_cast<int64_t>(y.size());
  if (n < kMinFitPoints) return FlatFit(y, options);
  std::vector<std::string> notes;
  const Layout layout = BuildLayout(n, periods, options, notes);
  if (layout.Columns() > kMaxColumns) {
    return InvalidArgumentError("prophet: " + std::to_string(layout.Columns()) +
                                " regression columns (Fourier terms, event steps, changepoints)"
                                " exceed " +
                                std::to_string(kMaxColumns));
  }
  const DesignWriter design(n, layout, options);
  double y_scale = 0;
  for (double v : y) y_scale = std::max(y_scale, std::abs(v));
  if (y_scale == 0) y_scale = 1;
  const Eigen::VectorXd ys = Eigen::Map<const Eigen::VectorXd>(y.data(), n) / y_scale;
  const bool multiplicative = options.mode == ProphetMode::kMultiplicative && layout.q > 0;
  Result<ScaledFit> scaled = FitAdditive(design, ys, layout, options);
  if (scaled.ok() && multiplicative) {
    scaled = FitMultiplicative(design, ys, layout, options, *scaled);
  }
  if (!scaled.ok()) return scaled.status().WithContext("prophet");
  ProphetFit fit = Unpack(*scaled, layout, options, n, y_scale);
  fit.notes = std::move(notes);
  return fit;
}

std::vector<double> ProphetPredict(const ProphetFit& fit, int64_t from_index, int count) {
  std::vector<double> out;
  out.reserve(std::max(count, 0));
  for (int j = 0; j < count; ++j) {
    const int64_t i = from_index + j;
    double trend = fit.trend_offset + fit.trend_rate * static_cast<double>(i);
    for (size_t c = 0; c < fit.changepoints.size(); ++c) {
      if (i > fit.changepoints[c]) {
        trend += fit.deltas[c] * static_cast<double>(i - fit.changepoints[c]);
      }
    }
    const double seasonal = SeasonalPart(fit, i);
    out.push_back(fit.mode == ProphetMode::kAdditive ? trend + seasonal : trend * (1 + seasonal));
  }
  return out;
}

std::vector<double> ProphetForecastSd(const ProphetFit& fit, int horizon) {
  std::vector<double> out;
  out.reserve(std::max(horizon, 0));
  const double jump_variance = 2 * fit.delta_scale * fit.delta_scale;  // Laplace.
  for (int h = 1; h <= horizon; ++h) {
    const double hh = h;
    double trend_variance = fit.changepoint_rate * jump_variance * hh * hh * hh / 3;
    if (fit.mode == ProphetMode::kMultiplicative) {
      const double factor = 1 + SeasonalPart(fit, fit.history_size - 1 + h);
      trend_variance *= factor * factor;
    }
    out.push_back(std::sqrt(fit.sigma * fit.sigma + trend_variance));
  }
  return out;
}

ProphetModel::ProphetModel(ProphetOptions options) : options_(std::move(options)) {}

Result<ModelForecast> ProphetModel::Forecast(std::span<const double> history,
                                             std::span<const int> periods, int horizon) const {
  if (history.empty()) return InvalidArgumentError("prophet: empty history");
  if (horizon < 1) return InvalidArgumentError("prophet: horizon must be >= 1");
  PRESCIENT_ASSIGN_OR_RETURN(ProphetFit fit, FitProphet(history, periods, options_));
  ModelForecast out;
  out.mean = ProphetPredict(fit, fit.history_size, horizon);
  if (fit.history_size > 1) out.sd = ProphetForecastSd(fit, horizon);
  out.description = Describe(fit);
  out.notes = std::move(fit.notes);
  return out;
}

}  // namespace prescient::forecast
