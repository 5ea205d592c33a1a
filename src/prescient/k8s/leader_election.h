// LeaderElector: leader election on a coordination.k8s.io/v1 Lease with client-go's
// semantics (tools/leaderelection), so Prescient replicas and client-go programs agree on
// who leads. Only the leader may write to the cluster; IsLeader() says so by the local
// clock. Thread-safe; the RestClient must outlive it. Tested by leader_election_test.cc.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "prescient/core/random.h"
#include "prescient/core/result.h"
#include "prescient/k8s/rest_client.h"

namespace prescient::k8s {

// client-go's defaults (leaderelection.go and the controller managers' flags).
inline constexpr std::chrono::milliseconds kDefaultLeaseDuration{15000};
inline constexpr std::chrono::milliseconds kDefaultRenewDeadline{10000};
inline constexpr std::chrono::milliseconds kDefaultRetryPeriod{2000};
// The acquire loop waits retry_period * (1 + uniform(0, kLeaderElectionJitter)).
inline constexpr double kLeaderElectionJitter = 1.2;

struct LeaderElectionConfig {
  std::string lease_namespace = "default";
  std::string lease_name = "prescient";
  std::string identity;  // Required: unique per instance (e.g. hostname + "_" + random).
  std::chrono::milliseconds lease_duration{kDefaultLeaseDuration};
  std::chrono::milliseconds renew_deadline{kDefaultRenewDeadline};
  std::chrono::milliseconds retry_period{kDefaultRetryPeriod};
  bool release_on_cancel = true;
};

// InvalidArgument unless: identity non-empty, lease_duration > renew_deadline >
// retry_period * 1.2 > 0 (client-go's checks), lease_duration at least 1 s (the Lease
// stores whole seconds, and 0 is invalid), namespace a DNS label and name a DNS subdomain.
Status ValidateLeaderElectionConfig(const LeaderElectionConfig& c);

class LeaderElector {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  // `now` null: std::chrono::steady_clock::now. Call ValidateLeaderElectionConfig first.
  // Each attempt blocks for as long as `client` takes (its request timeout and retries);
  // IsLeader() turns false on time regardless, but give Run a client whose requests end
  // well within renew_deadline (e.g. backoff.max_attempts 1) so the callbacks are prompt.
  LeaderElector(RestClient& client, LeaderElectionConfig config, SteadyNow now = {});

  // Campaigns until `stop` is requested: acquire (every retry_period with jitter), then
  // renew every retry_period; if renewals keep failing for renew_deadline, leadership is
  // lost (callback) and it goes back to campaigning. On stop, releases the lease if it
  // holds it and release_on_cancel. Blocks; run it on a thread.
  void Run(std::stop_token stop);
  // True only while this instance holds a lease it renewed less than renew_deadline ago
  // (by the local clock, from before the renewing request was sent), so a partitioned
  // leader stops writing before anyone else can take over.
  bool IsLeader() const;
  // Last observed holderIdentity ("" if none).
  std::string Leader() const;

  // Called from Run's thread on transitions; set them before Run. They should return
  // quickly: renewals wait for them. OnStoppedLeading follows only an OnStartedLeading
  // (client-go also calls it when Run ends without ever leading). OnNewLeader gets ""
  // when the holder released the lease.
  void OnStartedLeading(std::function<void()> f);
  void OnStoppedLeading(std::function<void()> f);
  void OnNewLeader(std::function<void(const std::string& identity)> f);

  // One attempt (what Run does each period). true = we hold the lease now; false = someone
  // else holds a lease that has not expired, or wrote first (409 Conflict). An error is a
  // failed read or write (the attempt failed; nothing is known).
  Result<bool> TryAcquireOrRenew();
  // Gives the lease up now if held: IsLeader() is false from the start of the call; the
  // Lease gets holderIdentity "" and leaseDurationSeconds 1, so others take it at once.
  Status Release();

 private:
  // client-go's LeaderElectionRecord: the Lease spec fields the election uses.
  struct Record {
    std::string holder;
    int lease_duration_seconds = 0;
    std::string acquire_time;  // MicroTime, informational: never compared to our clock.
    std::string renew_time;
    int transitions = 0;
    bool operator==(const Record&) const = default;
  };
  using TimePoint = std::chrono::steady_clock::time_point;

  static Record RecordOf(const nlohmann::json& lease);
  static nlohmann::json SpecOf(const Record& r);
  std::string Path() const;
  Record Desired() const;
  bool LeaseValid(TimePoint now) const;  // Observed record not expired by observed_time_.
  void Observe(const Record& r, bool renewed, TimePoint attempt_start);
  bool Acquire(std::stop_token stop);  // false: stopped.
  void Renew(std::stop_token stop);
  void MaybeReportNewLeader();
  Result<bool> CreateLease(const Record& desired, TimePoint now);
  Status WriteLease(const Record& r);
  void Sleep(std::stop_token stop, std::chrono::milliseconds d);

  RestClient& client_;
  const LeaderElectionConfig config_;
  const SteadyNow now_;

  std::mutex attempt_mu_;  // One TryAcquireOrRenew or Release at a time.
  nlohmann::json lease_;   // The last Lease read or written (its resourceVersion). attempt_mu_.
  Rng rng_;                // attempt_mu_.

  mutable std::mutex mu_;  // Guards what IsLeader/Leader read, and the callbacks.
  Record observed_;
  TimePoint observed_time_{};
  std::optional<TimePoint> renewed_at_;  // Start of our last successful write as holder.
  std::string reported_leader_;
  std::function<void()> on_started_, on_stopped_;
  std::function<void(const std::string&)> on_new_leader_;
};

}  // namespace prescient::k8s
