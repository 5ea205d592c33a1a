#include "prescient/k8s/backoff.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "prescient/core/random.h"

namespace prescient::k8s {

Backoff::Backoff(BackoffOptions options) : options_(std::move(options)) {
  if (!options_.sleep)
    options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options_.uniform) {
    auto rng = std::make_shared<Rng>(std::random_device{}());
    auto mu = std::make_shared<std::mutex>();
    options_.uniform = [rng, mu] {
      std::lock_guard<std::mutex> lock(*mu);
      return rng->Uniform();
    };
  }
}

std::chrono::milliseconds Backoff::Delay(int retry, std::chrono::milliseconds floor) const {
  const double ceiling = std::min<double>(
      static_cast<double>(options_.max.count()),
      static_cast<double>(options_.initial.count()) * std::pow(2.0, std::min(retry, 40)));
  const auto jittered =
      std::chrono::milliseconds(static_cast<int64_t>(ceiling * options_.uniform()));
  return std::min(std::max(jittered, floor), options_.max);
}

void Backoff::Sleep(std::chrono::milliseconds d) const { options_.sleep(d); }

}  // namespace prescient::k8s
