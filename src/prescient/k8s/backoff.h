// Backoff: exponential delays with full jitter (AWS architecture blog, "Exponential
// Backoff And Jitter"): attempt n waits uniform(0, min(cap, base * 2^n)). Sleep and
// randomness are injected so tests run instantly and deterministically.
// Thread-compatible. Tested by rest_client_test.cc.
#pragma once

#include <chrono>
#include <functional>

namespace prescient::k8s {

inline constexpr int kDefaultMaxAttempts = 5;
inline constexpr std::chrono::milliseconds kDefaultInitialBackoff{200};
inline constexpr std::chrono::milliseconds kDefaultMaxBackoff{10000};

struct BackoffOptions {
  int max_attempts = kDefaultMaxAttempts;  // Including the first try.
  std::chrono::milliseconds initial = kDefaultInitialBackoff;
  std::chrono::milliseconds max = kDefaultMaxBackoff;
  std::function<void(std::chrono::milliseconds)> sleep;  // Null: std::this_thread::sleep_for.
  std::function<double()> uniform;                       // [0, 1). Null: a seeded Rng.
};

class Backoff {
 public:
  explicit Backoff(BackoffOptions options);
  // The delay before retry number `retry` (0 for the first retry); at least `floor`
  // (a server's Retry-After), never more than max.
  std::chrono::milliseconds Delay(int retry, std::chrono::milliseconds floor = {}) const;
  void Sleep(std::chrono::milliseconds d) const;
  int max_attempts() const { return options_.max_attempts; }

 private:
  BackoffOptions options_;
};

}  // namespace prescient::k8s
