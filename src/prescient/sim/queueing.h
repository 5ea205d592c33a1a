// The latency model of one service: each ready pod is an M/M/k queue (k = the pod's
// concurrency), load is spread evenly over ready pods, and a request's latency is the
// base service time plus its queueing delay. Past saturation the excess waits in a
// backlog (fluid) and fails once it would wait longer than the request timeout.
// Value types and pure functions, thread-safe. Tested by queueing_test.cc.
#pragma once

#include <span>

namespace prescient::sim {

// Erlang's C formula: the probability that an arrival waits in an M/M/k queue with
// offered load `erlangs` = lambda / mu; 1 when erlangs >= k.
double ErlangC(int servers, double erlangs);

// The latency distribution of the requests served in one tick, as its tail:
//   P(latency > x) = 1                                for x < floor_s
//                  = wait_probability * exp(-decay * (x - floor_s))   otherwise,
// where floor_s = base + backlog delay. decay = +inf means no queueing tail.
struct LatencyTail {
  double floor_s = 0;
  double wait_probability = 0;
  double decay_per_s = 0;
  double Exceeds(double x) const;
};

// Quantile q (e.g. 0.99) of a mixture of tails, each weighted by its request count.
// 0 when all weights are 0.
double MixtureQuantile(std::span<const LatencyTail> tails, std::span<const double> weights,
                       double q);

}  // namespace prescient::sim
