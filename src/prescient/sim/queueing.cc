// Why M/M/k per pod. A web pod serves a handful of requests at once (worker threads,
// an event loop with a connection pool); below saturation its latency is the work's own
// time, and queueing only appears as utilisation nears 1. M/M/k captures exactly that
// knee: the chance to wait is Erlang C, and the wait given that one waits is exponential
// with rate k*mu - lambda (Kleinrock, Queueing Systems vol. 1, section 3.5; Harchol-
// Balter, Performance Modeling and Design of Computer Systems, ch. 14). With k = pod
// concurrency = saturation throughput x base latency, the model has no free parameter
// beyond what a user knows: how many requests per second a pod sustains within the SLO
// (the saturation throughput is solved from it, workload.h), and how long one takes
// when idle. A single M/M/1 would start queueing at low utilisation (its p99 is
// 4.6x the mean service time even when idle) and would make every pod look slow.
//
// Simplifications, on purpose: the service time is taken as fixed (the base) in the
// latency, while the queue uses the exponential's waiting law; arrivals are Poisson
// within a tick; load balancing is perfect across ready pods. Overload is fluid: the
// excess over capacity joins a backlog drained first-in first-out, so every request
// waits backlog / capacity; requests beyond timeout x capacity fail.
//
// Erlang C is computed from Erlang B by the stable recursion
//   B(0) = 1,  B(j) = a B(j-1) / (j + a B(j-1)),  C = k B / (k - a (1 - B)).
#include "prescient/sim/queueing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prescient::sim {

double ErlangC(int servers, double erlangs) {
  if (erlangs <= 0) return 0;
  const double k = servers;
  if (erlangs >= k) return 1;
  double b = 1;
  for (int j = 1; j <= servers; ++j) b = erlangs * b / (j + erlangs * b);
  return k * b / (k - erlangs * (1 - b));
}

double LatencyTail::Exceeds(double x) const {
  if (x < floor_s) return 1;
  if (wait_probability <= 0 || std::isinf(decay_per_s)) return 0;
  return wait_probability * std::exp(-decay_per_s * (x - floor_s));
}

double MixtureQuantile(std::span<const LatencyTail> tails, std::span<const double> weights,
                       double q) {
  double total = 0;
  double hi = 0;
  for (size_t i = 0; i < tails.size(); ++i) {
    if (weights[i] <= 0) continue;
    total += weights[i];
    const LatencyTail& t = tails[i];
    double reach = t.floor_s;
    if (t.wait_probability > 0 && !std::isinf(t.decay_per_s) && t.decay_per_s > 0) {
      // Where this tail alone falls below 1e-6.
      reach += std::max(0.0, std::log(t.wait_probability / 1e-6) / t.decay_per_s);
    }
    hi = std::max(hi, reach);
  }
  if (total <= 0) return 0;
  const double target = (1 - q) * total;  // Requests allowed above the quantile.
  auto above = [&](double x) {
    double s = 0;
    for (size_t i = 0; i < tails.size(); ++i) {
      if (weights[i] > 0) s += weights[i] * tails[i].Exceeds(x);
    }
    return s;
  };
  double lo = 0;
  hi = std::max(hi, 1e-9);
  for (int it = 0; it < 60 && hi - lo > 1e-6; ++it) {
    const double mid = (lo + hi) / 2;
    if (above(mid) > target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace prescient::sim
