// ETS forecasts from the last state: point forecasts and their standard deviations.
//
// Point forecast h steps ahead (Hyndman et al. 2008, Table 2.1):
//   yhat_h = (l + phi_h b) (+ or *) s_{n+h-m(k+1)},  phi_h = phi + ... + phi^h (= h undamped),
//   k = floor((h-1)/m). This is the exact mean for the linear models and for ETS(M,*,N|A);
// for ETS(M,*,M) the mean differs by a term of order sigma2 (R's class3), which we leave out.
// Two R quirks we do not copy (forecast 8.20, damped models only): etsforecast() in
// etscalc.c adds phi instead of phi^2 at h = 2 (phi_h = phi + phi + ... + phi^(h-1)), and
// class3() forecasts the level as l + b rather than l + phi b. R's class1/class2 means,
// which R reports for the other classes, are the formula above, and ours match them.
//
// Variance (Hyndman et al. 2008, ch. 6), with c_j = alpha + beta phi_j + gamma [j mod m = 0]:
//   Class 1, ETS(A,N|A|Ad,N|A):   v_h = sigma2 (1 + sum_{j<h} c_j^2)            (exact)
//   Class 2, ETS(M,N|A|Ad,N|A):   theta_1 = mu_1^2,
//                                 theta_h = mu_h^2 + sigma2 sum_{j<h} c_j^2 theta_{h-j},
//                                 v_h = (1 + sigma2) theta_h - mu_h^2            (exact)
//   Class 3, ETS(M,*,M): approximate. Level and season both move by relative shocks, so on
//     the log scale the model is close to the linear one with the same c_j; we use
//       v_h = mu_h^2 ((1 + sigma2) prod_{j<h} (1 + sigma2 c_j^2) - 1),
//     which is class 2's formula when mu_h is flat and exact for ETS(M,N,N). Against R's
//     class3 on AirPassengers it is within a few per cent (ets_test.cc pins the numbers).
//   ETS(A,*,M) (only with restrict = false): the class 1 formula, a rough approximation.
// Class 2 is O(h^2); fine for the horizons we use (hundreds of steps).

#include <algorithm>
#include <cmath>
#include <vector>

#include "prescient/forecast/ets.h"

namespace prescient::forecast {
namespace {

// c_1 .. c_{h-1} (index 0 unused).
std::vector<double> ImpulseWeights(const EtsFit& fit, int horizon) {
  const EtsParams& p = fit.params;
  std::vector<double> c(std::max(horizon, 1), 0.0);
  double phi_j = 0;
  double phi_power = 1;
  for (int j = 1; j < horizon; ++j) {
    phi_power *= p.phi;
    phi_j += phi_power;
    double cj = p.alpha;
    if (fit.spec.has_trend()) cj += p.beta * phi_j;
    if (fit.spec.seasonal() && j % fit.period == 0) cj += p.gamma;
    c[j] = cj;
  }
  return c;
}

std::vector<double> Class1Variance(const EtsFit& fit, int horizon) {
  const std::vector<double> c = ImpulseWeights(fit, horizon);
  std::vector<double> v(horizon);
  double sum = 1;
  for (int h = 1; h <= horizon; ++h) {
    if (h > 1) sum += c[h - 1] * c[h - 1];
    v[h - 1] = fit.sigma2 * sum;
  }
  return v;
}

std::vector<double> Class2Variance(const EtsFit& fit, const std::vector<double>& mu) {
  const int horizon = static_cast<int>(mu.size());
  const std::vector<double> c = ImpulseWeights(fit, horizon);
  const double s2 = fit.sigma2;
  std::vector<double> theta(horizon);
  std::vector<double> v(horizon);
  for (int h = 1; h <= horizon; ++h) {
    double sum = 0;
    for (int j = 1; j < h; ++j) sum += c[j] * c[j] * theta[h - j - 1];
    theta[h - 1] = mu[h - 1] * mu[h - 1] + s2 * sum;
    v[h - 1] = (1 + s2) * theta[h - 1] - mu[h - 1] * mu[h - 1];
  }
  return v;
}

std::vector<double> Class3Variance(const EtsFit& fit, const std::vector<double>& mu) {
  const int horizon = static_cast<int>(mu.size());
  const std::vector<double> c = ImpulseWeights(fit, horizon);
  const double s2 = fit.sigma2;
  std::vector<double> v(horizon);
  double product = 1 + s2;
  for (int h = 1; h <= horizon; ++h) {
    if (h > 1) product *= 1 + s2 * c[h - 1] * c[h - 1];
    v[h - 1] = mu[h - 1] * mu[h - 1] * (product - 1);
  }
  return v;
}

}  // namespace

std::vector<double> EtsForecastMean(const EtsFit& fit, int horizon) {
  std::vector<double> mean(std::max(horizon, 0));
  const EtsStates& x = fit.last;
  const int m = fit.spec.seasonal() ? fit.period : 1;
  const double phi = fit.params.phi;
  double phi_h = phi;  // phi + ... + phi^h.
  double phi_power = phi;
  for (int h = 0; h < horizon; ++h) {
    double f = x.level;
    if (fit.spec.has_trend()) f += phi_h * x.trend;
    if (fit.spec.seasonal()) {
      const double s = x.season[m - 1 - h % m];
      f = fit.spec.season == SeasonType::kAdditive ? f + s : f * s;
    }
    mean[h] = f;
    phi_power *= phi;
    phi_h += fit.spec.damped() ? phi_power : 1.0;
  }
  return mean;
}

std::vector<double> EtsForecastSd(const EtsFit& fit, int horizon) {
  if (horizon <= 0) return {};
  std::vector<double> v;
  const bool mult_error = fit.spec.error == ErrorType::kMultiplicative;
  const bool mult_season = fit.spec.season == SeasonType::kMultiplicative;
  if (!mult_error) {
    v = Class1Variance(fit, horizon);
  } else if (!mult_season) {
    v = Class2Variance(fit, EtsForecastMean(fit, horizon));
  } else {
    v = Class3Variance(fit, EtsForecastMean(fit, horizon));
  }
  for (double& x : v) x = std::sqrt(std::max(x, 0.0));
  return v;
}

}  // namespace prescient::forecast
