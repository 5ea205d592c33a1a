// LiveCluster: the simulator running in (accelerated) wall-clock time, with its scaling
// policies ticking each simulated minute, for servers that look at it while it runs.
// Thread-safe: one background thread advances the simulation; readers take the same lock
// through Read().
// Tested by api_server_test.cc.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "prescient/scaling/policy.h"
#include "prescient/sim/simulator.h"

namespace prescient::sim::api {

class LiveCluster {
 public:
  // `policies[i]` drives service i. `speed`: simulated seconds per wall second (> 0).
  LiveCluster(std::unique_ptr<Simulator> sim,
              std::vector<std::unique_ptr<scaling::Policy>> policies, double speed);
  ~LiveCluster();
  LiveCluster(const LiveCluster&) = delete;
  LiveCluster& operator=(const LiveCluster&) = delete;

  // Called with the simulator after every step, under the lock (set before Start()).
  void SetObserver(std::function<void(const Simulator&)> observer) {
    observer_ = std::move(observer);
  }
  // Another observer, called after the one above (added before Start()).
  void AddObserver(std::function<void(const Simulator&)> observer) {
    more_observers_.push_back(std::move(observer));
  }
  // The policies, policies[i] driving service i. Only from inside an observer, which runs
  // under the lock.
  const std::vector<std::unique_ptr<scaling::Policy>>& policies_locked() const { return policies_; }
  void Start();
  void Stop();

  // Runs f(const Simulator&) under the lock; keep it short.
  template <typename F>
  auto Read(F&& f) const {
    std::lock_guard<std::mutex> lock(mu_);
    return f(static_cast<const Simulator&>(*sim_));
  }
  // Runs f(Simulator&) under the lock, then the observer, so readers see the change at
  // once.
  template <typename F>
  auto Write(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    auto result = f(*sim_);
    Notify();
    return result;
  }
  Timestamp started() const { return started_; }
  double speed() const { return speed_; }

 private:
  void Loop();
  void Notify();  // Under the lock.

  mutable std::mutex mu_;
  std::unique_ptr<Simulator> sim_;
  std::vector<std::unique_ptr<scaling::Policy>> policies_;
  const double speed_;
  const Timestamp started_;
  std::function<void(const Simulator&)> observer_;
  std::vector<std::function<void(const Simulator&)>> more_observers_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace prescient::sim::api
