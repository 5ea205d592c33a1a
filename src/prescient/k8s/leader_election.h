// STUB: replaced by the wt-lease branch's leader_election.h on merge.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "prescient/core/result.h"
#include "prescient/k8s/rest_client.h"

namespace prescient::k8s {
struct LeaderElectionConfig {
  std::string lease_namespace = "default";
  std::string lease_name = "prescient";
  std::string identity;
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  bool release_on_cancel = true;
};
Status ValidateLeaderElectionConfig(const LeaderElectionConfig& c);
class LeaderElector {
 public:
  using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;
  LeaderElector(RestClient& client, LeaderElectionConfig config, SteadyNow now = {});
  void Run(std::stop_token stop);
  bool IsLeader() const;
  std::string Leader() const;
  void OnStartedLeading(std::function<void()> f);
  void OnStoppedLeading(std::function<void()> f);
  void OnNewLeader(std::function<void(const std::string& identity)> f);
  Result<bool> TryAcquireOrRenew();
  Status Release();
};
}  // namespace prescient::k8s
