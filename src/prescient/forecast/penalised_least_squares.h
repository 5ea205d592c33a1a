// PenalisedLeastSquares: exact minimiser of a quadratic with ridge penalties on some
// coefficients and an L1 (lasso) penalty on the rest, as the Prophet-style model's MAP
// problem needs (Gaussian priors on seasonality, Laplace prior on trend changes).
// Not thread-safe (owns its workspaces; one per fit). Tested by prophet_test.cc.
#pragma once

#include <Eigen/Dense>
#include <memory>

namespace prescient::forecast {

// Minimises 0.5 b'Gb - c'b + 0.5 sum_{j < R} ridge_j b_j^2 + l1 * sum_{j >= R} |b_j| for a
// symmetric positive semi-definite G: the R ridge coefficients in closed form, the L lasso
// ones on their Schur complement by feature-sign search (Lee, Battle, Raina & Ng, "Efficient
// sparse coding algorithms", NIPS 2006), an exact active-set method. Coordinate descent
// needs hundreds of sweeps on the strongly correlated ramps; this needs a few small
// Cholesky solves. Workspaces are sized once; the solves factor in place.
class PenalisedLeastSquares {
 public:
  PenalisedLeastSquares(int n_ridge, int n_lasso);
  ~PenalisedLeastSquares();
  PenalisedLeastSquares(const PenalisedLeastSquares&) = delete;
  PenalisedLeastSquares& operator=(const PenalisedLeastSquares&) = delete;

  // `coef` holds the warm start on entry. False if the ridge block is not positive definite.
  bool Solve(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs, const Eigen::VectorXd& ridge,
             double l1, Eigen::VectorXd& coef);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prescient::forecast
