// ScalingTarget: one service as a scaling policy sees it — its observed load and its
// replica settings — and the few things a policy may change. The simulator implements
// it (sim/simulator.h); the Kubernetes-backed controller will too, so a policy runs
// unchanged in a backtest and in production.
// Implementations are thread-compatible.
#pragma once

#include "prescient/core/series.h"
#include "prescient/core/status.h"
#include "prescient/core/time.h"

namespace prescient::scaling {

class ScalingTarget {
 public:
  virtual ~ScalingTarget() = default;

  virtual Timestamp Now() const = 0;
  // Requests per second, one mean per whole minute, covering [Now() - lookback, the last
  // whole minute before Now()). Never the future.
  virtual Series LoadHistory(Duration lookback) const = 0;

  virtual int Replicas() const = 0;  // The Deployment's spec.replicas.
  virtual int ReadyReplicas() const = 0;
  virtual bool HasHpa() const = 0;
  virtual int HpaMinReplicas() const = 0;  // 0 when there is no HPA.

  // FailedPrecondition when there is no HPA.
  virtual Status SetHpaMinReplicas(int replicas) = 0;
  virtual Status SetReplicas(int replicas) = 0;
  // Pause pods at a low PriorityClass that hold warm node capacity.
  virtual Status SetPlaceholderReplicas(int replicas) = 0;
};

}  // namespace prescient::scaling
