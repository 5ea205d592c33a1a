// Nelder–Mead simplex search, following R's nmmin (src/appl/optim.c, after Nash,
// "Compact Numerical Methods for Computers", 1990, Algorithm 19).
//
// A simplex of n+1 vertices moves through R^n. Each iteration takes the worst vertex H,
// the centroid C of the others, and tries the reflection R = C + a(C - H); if R beats the
// best vertex it tries the expansion C + g(R - C); otherwise it contracts towards C
// (b = 1/2), and if even that fails to beat the worst, shrinks every vertex halfway to
// the best. The search stops when best and worst values are within
// rel_tol * (|f(x0)| + rel_tol) (note: relative to the starting value, as in R), after
// max_evaluations calls, or when a shrink no longer reduces the simplex.
//
// The first simplex steps every coordinate by 10% of the largest |x0_i| (0.1 if x0 is
// all zero), so variables should be of similar scale; ETS mixes smoothing parameters
// (~0.1) with levels (~1000), and that is R's behaviour too, kept for comparability.
//
// Failure modes: no guarantees of convergence (McKinnon's counterexample); in a few dozen
// dimensions it often stops at max_evaluations before the simplex is small, which is why
// callers treat the result as "good enough", never as the exact optimum.

#include "prescient/forecast/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace prescient::forecast {
namespace {

constexpr double kBig = 1.0e35;  // Stands in for non-finite objective values (R's `big`).

class Simplex {
 public:
  Simplex(const NelderMeadObjective& f, std::span<const double> x0, const NelderMeadOptions& o)
      : f_(f), o_(o), n_(x0.size()), p_((n_ + 1) * n_), v_(n_ + 1), c_(n_), trial_(n_) {}

  Result<NelderMeadResult> Run(std::span<const double> x0);

 private:
  double* Vertex(size_t j) { return &p_[j * n_]; }
  double Eval(const double* x) {
    ++evaluations_;
    const double value = f_(std::span<const double>(x, n_));
    return std::isfinite(value) ? value : kBig;
  }
  double Build(std::span<const double> x0);
  void FindBestAndWorst();
  void Centroid();
  // One reflection / expansion / contraction step; false when a shrink stopped helping.
  bool Step();

  const NelderMeadObjective& f_;
  const NelderMeadOptions& o_;
  const size_t n_;
  std::vector<double> p_;  // Vertex j at [j*n, (j+1)*n).
  std::vector<double> v_;  // Value at each vertex.
  std::vector<double> c_;  // Centroid of all vertices but the worst.
  std::vector<double> trial_;
  size_t best_ = 0;
  size_t worst_ = 0;
  int evaluations_ = 0;
  bool evaluate_vertices_ = true;
  double old_size_ = 0;
};

// Places the first simplex; returns its size measure.
double Simplex::Build(std::span<const double> x0) {
  double step = 0;
  for (double x : x0) step = std::max(step, 0.1 * std::fabs(x));
  if (step == 0) step = 0.1;
  double size = 0;
  for (size_t j = 1; j <= n_; ++j) {
    double* vertex = Vertex(j);
    for (size_t i = 0; i < n_; ++i) vertex[i] = x0[i];
    double try_step = step;
    while (vertex[j - 1] == x0[j - 1]) {  // A step lost to rounding is made larger.
      vertex[j - 1] = x0[j - 1] + try_step;
      try_step *= 10;
    }
    size += try_step;
  }
  return size;
}

void Simplex::FindBestAndWorst() {
  double low = v_[best_];
  double high = low;
  worst_ = best_;
  for (size_t j = 0; j <= n_; ++j) {
    if (j == best_) continue;
    if (v_[j] < low) {
      best_ = j;
      low = v_[j];
    }
    if (v_[j] > high) {
      worst_ = j;
      high = v_[j];
    }
  }
}

// Sums in R's order (minus the worst, then every vertex) but vertex by vertex, so the
// inner loop runs over contiguous memory.
void Simplex::Centroid() {
  const double* worst = Vertex(worst_);
  for (size_t i = 0; i < n_; ++i) c_[i] = -worst[i];
  for (size_t j = 0; j <= n_; ++j) {
    const double* vertex = Vertex(j);
    for (size_t i = 0; i < n_; ++i) c_[i] += vertex[i];
  }
  for (size_t i = 0; i < n_; ++i) c_[i] /= static_cast<double>(n_);
}

bool Simplex::Step() {
  Centroid();
  double* worst = Vertex(worst_);
  const double worst_value = v_[worst_];
  for (size_t i = 0; i < n_; ++i) {
    trial_[i] = (1 + o_.reflection) * c_[i] - o_.reflection * worst[i];
  }
  const double reflected = Eval(trial_.data());
  if (reflected < v_[best_]) {
    // Expansion: c_ keeps the reflected point, trial_ the expanded one.
    for (size_t i = 0; i < n_; ++i) {
      const double expanded = o_.expansion * trial_[i] + (1 - o_.expansion) * c_[i];
      c_[i] = trial_[i];
      trial_[i] = expanded;
    }
    const double expanded_value = Eval(trial_.data());
    const bool take_expanded = expanded_value < reflected;
    const std::vector<double>& take = take_expanded ? trial_ : c_;
    for (size_t i = 0; i < n_; ++i) worst[i] = take[i];
    v_[worst_] = take_expanded ? expanded_value : reflected;
    return true;
  }
  if (reflected < worst_value) {
    for (size_t i = 0; i < n_; ++i) worst[i] = trial_[i];
    v_[worst_] = reflected;
  }
  for (size_t i = 0; i < n_; ++i) {
    trial_[i] = (1 - o_.contraction) * worst[i] + o_.contraction * c_[i];
  }
  const double contracted = Eval(trial_.data());
  if (contracted < v_[worst_]) {
    for (size_t i = 0; i < n_; ++i) worst[i] = trial_[i];
    v_[worst_] = contracted;
    return true;
  }
  if (reflected < worst_value) return true;
  // Shrink every vertex halfway towards the best.
  const double* best = Vertex(best_);
  double size = 0;
  for (size_t j = 0; j <= n_; ++j) {
    if (j == best_) continue;
    double* vertex = Vertex(j);
    for (size_t i = 0; i < n_; ++i) {
      vertex[i] = o_.contraction * (vertex[i] - best[i]) + best[i];
      size += std::fabs(vertex[i] - best[i]);
    }
  }
  evaluate_vertices_ = true;
  if (size >= old_size_) return false;
  old_size_ = size;
  return true;
}

Result<NelderMeadResult> Simplex::Run(std::span<const double> x0) {
  for (size_t i = 0; i < n_; ++i) p_[i] = x0[i];
  const double f0 = f_(x0);
  evaluations_ = 1;
  if (!std::isfinite(f0)) {
    return InvalidArgumentError("Nelder-Mead: objective is not finite at the starting point");
  }
  v_[0] = f0;
  const double tolerance = o_.rel_tol * (std::fabs(f0) + o_.rel_tol);
  old_size_ = Build(x0);
  bool converged = false;
  while (evaluations_ <= o_.max_evaluations) {
    if (evaluate_vertices_) {
      for (size_t j = 0; j <= n_; ++j) {
        if (j != best_) v_[j] = Eval(Vertex(j));
      }
      evaluate_vertices_ = false;
    }
    FindBestAndWorst();
    if (v_[worst_] <= v_[best_] + tolerance || v_[best_] <= o_.abs_tol) {
      converged = true;
      break;
    }
    if (!Step()) break;
  }
  NelderMeadResult result;
  result.x.assign(Vertex(best_), Vertex(best_) + n_);
  result.value = v_[best_];
  result.evaluations = evaluations_;
  result.converged = converged;
  return result;
}

}  // namespace

Result<NelderMeadResult> NelderMeadMinimize(const NelderMeadObjective& f,
                                            std::span<const double> x0,
                                            const NelderMeadOptions& options) {
  if (x0.empty()) return InvalidArgumentError("Nelder-Mead: no variables");
  Simplex simplex(f, x0, options);
  return simplex.Run(x0);
}

}  // namespace prescient::forecast
