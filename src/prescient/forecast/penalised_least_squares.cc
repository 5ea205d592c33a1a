#include "prescient/forecast/penalised_least_squares.h"

#include <cmath>
#include <vector>

namespace prescient::forecast {

class PenalisedLeastSquares::Impl {
 public:
  Impl(int n_ridge, int n_lasso)
      : nr_(n_ridge),
        nl_(n_lasso),
        a_(n_ridge, n_ridge),
        llt_(n_ridge),
        w_(n_ridge, n_lasso),
        u_(n_ridge),
        h_(n_lasso, n_lasso),
        hv_(n_lasso),
        grad_(n_lasso),
        sign_(n_lasso),
        haa_(n_lasso, n_lasso),
        target_(n_lasso),
        start_(n_lasso),
        active_(n_lasso) {}

  // `coef` holds the warm start on entry. False if the ridge block is not positive definite.
  bool Solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs, const Eigen::VectorXd& ridge,
             double l1, Eigen::VectorXd& coef) {
    const auto g_rr = gram.topLeftCorner(nr_, nr_);
    const auto g_rl = gram.topRightCorner(nr_, nl_);
    a_ = g_rr;
    const double jitter = 1e-12 * (1.0 + a_.diagonal().cwiseAbs().maxCoeff());
    a_.diagonal().array() += ridge.array() + jitter;
    llt_.compute(a_);
    if (llt_.info() != Eigen::Success) return false;
    u_ = rhs.head(nr_);
    llt_.solveInPlace(u_);
    if (nl_ == 0) {
      coef = u_;
      return true;
    }
    w_ = g_rl;
    llt_.solveInPlace(w_);
    h_ = gram.bottomRightCorner(nl_, nl_);
    h_.noalias() -= g_rl.transpose() * w_;
    hv_ = rhs.tail(nl_);
    hv_.noalias() -= g_rl.transpose() * u_;
    auto d = coef.tail(nl_);
    FeatureSign(l1, d);
    coef.head(nr_) = u_;
    coef.head(nr_).noalias() -= w_ * d;
    return true;
  }

 private:
  // Minimises 0.5 d'Hd - hv'd + l1 * |d|_1 from the warm start d.
  void FeatureSign(double l1, Eigen::Ref<Eigen::VectorXd> d) {
    const double tiny = 1e-14 * (1.0 + h_.diagonal().cwiseAbs().maxCoeff());
    const double tolerance = 1e-10 * (1.0 + l1 + hv_.cwiseAbs().maxCoeff());
    for (int j = 0; j < nl_; ++j) {
      if (h_(j, j) <= tiny) d(j) = 0;  // A ramp that is zero on the history.
    }
    const int max_steps = 10 * nl_ + 50;  // Finite in theory; a guard against round-off.
    for (int step = 0; step < max_steps; ++step) {
      grad_.noalias() = h_ * d;
      grad_ -= hv_;
      bool nonzero_optimal = true;
      for (int j = 0; j < nl_; ++j) {
        if (d(j) != 0 && std::abs(grad_(j) + l1 * Sign(d(j))) > tolerance) {
          nonzero_optimal = false;
        }
      }
      int add = -1;
      if (nonzero_optimal) {
        double worst = l1 + tolerance;
        for (int j = 0; j < nl_; ++j) {
          if (d(j) == 0 && h_(j, j) > tiny && std::abs(grad_(j)) > worst) {
            worst = std::abs(grad_(j));
            add = j;
          }
        }
        if (add < 0) return;  // KKT conditions hold: optimal.
      }
      int m = 0;
      for (int j = 0; j < nl_; ++j) {
        if (d(j) == 0 && j != add) continue;
        active_[m++] = j;
        sign_(j) = d(j) != 0 ? Sign(d(j)) : -Sign(grad_(j));
      }
      if (!SignedStep(l1, m, d)) return;
    }
  }

  // Solves the quadratic with the active signs fixed, then moves d towards that solution
  // to the best of the endpoint and the points where a coefficient crosses zero.
  bool SignedStep(double l1, int m, Eigen::Ref<Eigen::VectorXd> d) {
    for (int a = 0; a < m; ++a) {
      for (int b = 0; b < m; ++b) haa_(a, b) = h_(active_[a], active_[b]);
      target_(a) = hv_(active_[a]) - l1 * sign_(active_[a]);
      start_(a) = d(active_[a]);
    }
    Eigen::Ref<Eigen::MatrixXd> block = haa_.topLeftCorner(m, m);
    Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(block);  // In place, no allocation.
    if (llt.info() != Eigen::Success) return false;
    llt.solveInPlace(target_.head(m));
    double best_t = 1;
    int best_zero = -1;
    double best = ActiveObjective(l1, m, 1, -1);
    for (int a = 0; a < m; ++a) {
      if (start_(a) != 0 && start_(a) * target_(a) < 0) {
        const double t = start_(a) / (start_(a) - target_(a));
        const double value = ActiveObjective(l1, m, t, a);
        if (value < best) {
          best = value;
          best_t = t;
          best_zero = a;
        }
      }
    }
    for (int a = 0; a < m; ++a) {
      d(active_[a]) = a == best_zero ? 0.0 : start_(a) + best_t * (target_(a) - start_(a));
    }
    return true;
  }

  // The objective on the active set at start + t * (target - start), coefficient `zero`
  // forced to 0 (the crossing point).
  double ActiveObjective(double l1, int m, double t, int zero) {
    auto z = grad_.head(m);  // Free scratch here: grad_ is recomputed before its next use.
    for (int a = 0; a < m; ++a) z(a) = a == zero ? 0.0 : start_(a) + t * (target_(a) - start_(a));
    double value = 0;
    for (int a = 0; a < m; ++a) {
      double row = 0;
      for (int b = 0; b < m; ++b) row += h_(active_[a], active_[b]) * z(b);
      value += z(a) * (0.5 * row - hv_(active_[a])) + l1 * std::abs(z(a));
    }
    return value;
  }

  static double Sign(double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); }

  const int nr_;
  const int nl_;
  Eigen::MatrixXd a_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::MatrixXd w_;
  Eigen::VectorXd u_;
  Eigen::MatrixXd h_;
  Eigen::VectorXd hv_;
  Eigen::VectorXd grad_;
  Eigen::VectorXd sign_;
  Eigen::MatrixXd haa_;
  Eigen::VectorXd target_;
  Eigen::VectorXd start_;
  std::vector<int> active_;
};

PenalisedLeastSquares::PenalisedLeastSquares(int n_ridge, int n_lasso)
    : impl_(std::make_unique<Impl>(n_ridge, n_lasso)) {}

PenalisedLeastSquares::~PenalisedLeastSquares() = default;

bool PenalisedLeastSquares::Solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs,
                                  const Eigen::VectorXd& ridge, double l1, Eigen::VectorXd& coef) {
  return impl_->Solve(gram, rhs, ridge, l1, coef);
}

}  // namespace prescient::forecast
