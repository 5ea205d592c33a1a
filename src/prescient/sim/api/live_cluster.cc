#include "prescient/sim/api/live_cluster.h"

namespace prescient::sim::api {

LiveCluster::LiveCluster(std::unique_ptr<Simulator> sim,
                         std::vector<std::unique_ptr<scaling::Policy>> policies, double speed)
    : sim_(std::move(sim)), policies_(std::move(policies)), speed_(speed), started_(sim_->Now()) {}

LiveCluster::~LiveCluster() { Stop(); }

void LiveCluster::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void LiveCluster::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void LiveCluster::Loop() {
  const auto wall_start = std::chrono::steady_clock::now();
  while (!stop_) {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const Timestamp target = started_ + Duration(static_cast<int64_t>(wall * speed_));
    // At most one simulated minute per lock hold, so readers never wait long. Policies
    // act on minute boundaries, as the controller's tick does.
    while (!stop_) {
      std::lock_guard<std::mutex> lock(mu_);
      const Timestamp now = sim_->Now();
      const Timestamp next_minute = std::chrono::floor<std::chrono::minutes>(now) + Duration(60);
      Timestamp until = std::min(next_minute, target);
      until -= Duration((until - now).count() % sim_->tick().count());
      if (until <= now) break;
      if (now.time_since_epoch().count() % 60 == 0) {
        for (int i = 0; i < sim_->service_count() && i < static_cast<int>(policies_.size()); ++i) {
          (void)policies_[static_cast<size_t>(i)]->Tick(sim_->target(i));
        }
      }
      sim_->RunUntil(until);
      Notify();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void LiveCluster::Notify() {
  if (observer_) observer_(*sim_);
  for (const auto& o : more_observers_) o(*sim_);
}

}  // namespace prescient::sim::api
