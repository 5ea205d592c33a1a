#include "prescient/sim/workload.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace prescient::sim {

namespace {

int Servers(double saturation_rps, double base_s) {
  return std::max(1, static_cast<int>(std::lround(saturation_rps * base_s)));
}

// p99 latency of one pod serving `rps` when it saturates at `saturation`.
double P99At(double rps, double saturation, double base_s) {
  const int k = Servers(saturation, base_s);
  const double pw = ErlangC(k, rps / (saturation / k));
  if (pw <= 0.01) return base_s;
  return base_s + std::log(pw / 0.01) / (saturation - rps);
}

double SolveSaturation(const WorkloadOptions& o) {
  const double c = o.capacity_rps;
  if (!(o.base_latency_s < o.slo_p99_s)) return 2 * c;
  double lo = c * (1 + 1e-9), hi = 10 * c;
  if (P99At(c, hi, o.base_latency_s) > o.slo_p99_s) return hi;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    if (P99At(c, mid, o.base_latency_s) > o.slo_p99_s) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace

ServiceModel::ServiceModel(WorkloadOptions options)
    : options_(options),
      saturation_rps_(SolveSaturation(options)),
      servers_(Servers(saturation_rps_, options.base_latency_s)) {}

TickOutcome ServiceModel::Step(double rate_rps, int ready_pods, double dt_s, double slo_latency_s) {
  TickOutcome out;
  out.arrived = std::max(0.0, rate_rps) * dt_s;
  if (ready_pods <= 0) {
    // No endpoints: the load balancer answers 503 at once; the backlog is lost too.
    out.failed = out.arrived + backlog_;
    backlog_ = 0;
    return out;
  }
  const double capacity = ready_pods * saturation_rps_;  // requests/s
  const double offered = out.arrived + backlog_;
  const double can_serve = capacity * dt_s;
  const double base = options_.base_latency_s;
  if (backlog_ <= 0 && out.arrived < can_serve) {
    // Stable: M/M/k per pod with even load balancing.
    const double per_pod = rate_rps / ready_pods;
    const double mu = saturation_rps_ / servers_;  // Per-server service rate.
    out.served = out.arrived;
    out.tail.floor_s = base;
    out.tail.wait_probability = ErlangC(servers_, per_pod / mu);
    out.tail.decay_per_s = saturation_rps_ - per_pod;
    out.cpu_utilization = per_pod / saturation_rps_;
  } else {
    // Saturated: serve at capacity, the rest waits; what would wait past the timeout fails.
    out.served = std::min(offered, can_serve);
    double left = offered - out.served;
    const double max_backlog = capacity * options_.request_timeout_s;
    if (left > max_backlog) {
      out.failed = left - max_backlog;
      left = max_backlog;
    }
    // Requests served this tick waited, on average, behind half the old and new backlog;
    // never longer than the timeout (when capacity drops, the old backlog measured
    // against the new capacity would say more, but those requests have failed).
    const double delay = std::min((backlog_ + left) / 2 / capacity, options_.request_timeout_s);
    backlog_ = left;
    out.tail.floor_s = base + delay;
    out.tail.wait_probability = 0;
    out.tail.decay_per_s = std::numeric_limits<double>::infinity();
    out.cpu_utilization = out.served / can_serve;
    out.over_slo = out.served * out.tail.Exceeds(slo_latency_s);
    out.cpu_utilization =
        options_.idle_cpu_fraction + (1 - options_.idle_cpu_fraction) * out.cpu_utilization;
    return out;
  }
  backlog_ = 0;
  out.over_slo = out.served * out.tail.Exceeds(slo_latency_s);
  out.cpu_utilization =
      options_.idle_cpu_fraction + (1 - options_.idle_cpu_fraction) * out.cpu_utilization;
  return out;
}

void MinuteAccumulator::Add(const TickOutcome& tick, double dt_s) {
  seconds_ += dt_s;
  arrived_ += tick.arrived;
  failed_ += tick.failed;
  over_ += tick.over_slo;
  if (tick.served > 0) {
    tails_.push_back(tick.tail);
    weights_.push_back(tick.served);
  }
  if (tick.served > 0 || tick.cpu_utilization > 0) {
    cpu_ += tick.cpu_utilization;
    ++cpu_ticks_;
  }
}

void MinuteAccumulator::Add(const TickOutcome& tick, double dt_s,
                            std::span<const LatencyTail> tails, std::span<const double> served) {
  seconds_ += dt_s;
  arrived_ += tick.arrived;
  failed_ += tick.failed;
  over_ += tick.over_slo;
  if (tick.served > 0 || tick.cpu_utilization > 0) {
    cpu_ += tick.cpu_utilization;
    ++cpu_ticks_;
  }
  for (size_t i = 0; i < tails.size() && i < served.size(); ++i) {
    if (served[i] > 0) {
      tails_.push_back(tails[i]);
      weights_.push_back(served[i]);
    }
  }
}

MinuteStats MinuteAccumulator::Finish() {
  MinuteStats m;
  m.load_rps = seconds_ > 0 ? arrived_ / seconds_ : 0;
  m.arrived = arrived_;
  m.failed = failed_;
  m.over_slo = over_;
  m.error_rate = arrived_ > 0 ? failed_ / arrived_ : 0;
  m.p50_s = MixtureQuantile(tails_, weights_, 0.50);
  m.p99_s = MixtureQuantile(tails_, weights_, 0.99);
  m.cpu_utilization = cpu_ticks_ > 0 ? cpu_ / cpu_ticks_ : 0;
  *this = MinuteAccumulator();
  return m;
}

}  // namespace prescient::sim
