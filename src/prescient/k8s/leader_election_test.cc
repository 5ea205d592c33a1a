// Leader election against the real simulator API (`prescient sim serve`), started once for
// the suite. Single attempts run on a manual steady clock, so expiry is exact; Run is
// exercised on the real clock, waiting for states with generous deadlines, never
// asserting how long anything took.
#include "prescient/k8s/leader_election.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <regex>
#include <thread>
#include <vector>

#include "prescient/k8s/kube_config.h"
#include "prescient/testing/child_process.h"

namespace prescient::k8s {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

const std::regex kMicroTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");

LeaderElectionConfig Fast(const std::string& lease, const std::string& identity) {
  return {.lease_name = lease,
          .identity = identity,
          .lease_duration = milliseconds(2000),
          .renew_deadline = milliseconds(1500),
          .retry_period = milliseconds(250)};
}

// A steady clock that moves only when told to.
class ManualSteady {
 public:
  LeaderElector::SteadyNow Fn() {
    return [this] { return std::chrono::steady_clock::time_point(milliseconds(ms_.load())); };
  }
  void Advance(milliseconds d) { ms_ += d.count(); }

 private:
  std::atomic<int64_t> ms_{1000000};
};

// Polls `pred` every 10 ms for up to `deadline`.
template <typename Pred>
bool WaitFor(Pred pred, milliseconds deadline = milliseconds(15000)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return pred();
}

TEST(LeaderElectionConfigTest, ValidatesLikeClientGo) {
  EXPECT_TRUE(ValidateLeaderElectionConfig({.identity = "a"}).ok());  // Defaults: 15/10/2 s.
  EXPECT_TRUE(ValidateLeaderElectionConfig(Fast("x", "a")).ok());
  struct Case {
    const char* what;
    LeaderElectionConfig config;
  };
  const Case cases[] = {
      {"no identity", {}},
      {"lease <= renew",
       {.identity = "a",
        .lease_duration = milliseconds(10000),
        .renew_deadline = milliseconds(10000)}},
      {"renew <= retry * 1.2",
       {.identity = "a", .renew_deadline = milliseconds(2400), .retry_period = milliseconds(2000)}},
      {"retry 0", {.identity = "a", .retry_period = milliseconds(0)}},
      {"lease under 1 s",
       {.identity = "a",
        .lease_duration = milliseconds(900),
        .renew_deadline = milliseconds(500),
        .retry_period = milliseconds(100)}},
      {"bad name", {.lease_name = "Not_A_Name", .identity = "a"}},
      {"bad namespace", {.lease_namespace = "a.b", .identity = "a"}},
  };
  for (const Case& c : cases) {
    Status s = ValidateLeaderElectionConfig(c.config);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(s.message(), ::testing::HasSubstr("leader election")) << c.what;
  }
}

// The simulator's API server, started once for all LeaderElectionTest tests.
class LeaderElectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("prescient_lease_test_" + std::to_string(::getpid())));
    Result<testing::SimServe> s = testing::StartSimServe(*dir_, {"--speed", "120"});
    if (!s.ok()) {
      error_ = new std::string(s.status().ToString());
      return;
    }
    server_ = new testing::SimServe(std::move(s).value());
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete error_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "prescient sim serve did not start: " << *error_;
    client_ = Client(server_->kubeconfig);
  }

  static std::unique_ptr<RestClient> Client(const std::string& kubeconfig) {
    Result<RestConfig> c = LoadKubeConfig({.files = {kubeconfig}});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    RestClientOptions o;
    o.backoff.max_attempts = 1;  // The election retries on its own schedule.
    o.request_timeout = std::chrono::seconds(5);
    Result<std::unique_ptr<RestClient>> r = RestClient::Create(c.ok() ? *c : RestConfig{}, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }
  json Lease(const std::string& name) {
    Result<json> got =
        client_->Get("/apis/coordination.k8s.io/v1/namespaces/default/leases/" + name);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? (*got)["spec"] : json::object();
  }
  static bool Acquired(LeaderElector& e) {
    Result<bool> r = e.TryAcquireOrRenew();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline testing::SimServe* server_ = nullptr;
  static inline std::string* error_ = nullptr;
  std::unique_ptr<RestClient> client_;
};

TEST_F(LeaderElectionTest, FirstInstanceCreatesTheLease) {
  ManualSteady clock;
  LeaderElector a(*client_, Fast("first", "a"), clock.Fn());
  EXPECT_FALSE(a.IsLeader());
  EXPECT_EQ(a.Leader(), "");
  ASSERT_TRUE(Acquired(a));
  EXPECT_TRUE(a.IsLeader());
  EXPECT_EQ(a.Leader(), "a");
  const json spec = Lease("first");
  EXPECT_EQ(spec["holderIdentity"], "a");
  EXPECT_EQ(spec["leaseDurationSeconds"], 2);
  EXPECT_EQ(spec["leaseTransitions"], 0);
  EXPECT_EQ(spec["acquireTime"], spec["renewTime"]);
  EXPECT_TRUE(std::regex_match(spec["renewTime"].get<std::string>(), kMicroTime)) << spec;

  std::this_thread::sleep_for(milliseconds(2));  // So the wall-clock renewTime moves.
  clock.Advance(milliseconds(250));
  ASSERT_TRUE(Acquired(a));  // A renewal keeps acquireTime and the transition count.
  const json renewed = Lease("first");
  EXPECT_EQ(renewed["acquireTime"], spec["acquireTime"]);
  EXPECT_NE(renewed["renewTime"], spec["renewTime"]);
  EXPECT_EQ(renewed["leaseTransitions"], 0);
}

TEST_F(LeaderElectionTest, SecondInstanceWaitsWhileTheFirstRenews) {
  ManualSteady clock_a, clock_b;
  LeaderElector a(*client_, Fast("renewing", "a"), clock_a.Fn());
  LeaderElector b(*client_, Fast("renewing", "b"), clock_b.Fn());
  ASSERT_TRUE(Acquired(a));
  for (int i = 0; i < 6; ++i) {  // 6 s in all, three lease durations.
    EXPECT_FALSE(Acquired(b)) << i;
    EXPECT_FALSE(b.IsLeader());
    EXPECT_EQ(b.Leader(), "a");
    clock_a.Advance(milliseconds(1000));
    clock_b.Advance(milliseconds(1000));
    ASSERT_TRUE(Acquired(a)) << i;
  }
  EXPECT_EQ(Lease("renewing")["holderIdentity"], "a");
}

TEST_F(LeaderElectionTest, CrashedLeaderIsReplacedAfterTheLeaseDuration) {
  ManualSteady clock_a, clock_b;
  LeaderElector a(*client_, Fast("crash", "a"), clock_a.Fn());
  LeaderElector b(*client_, Fast("crash", "b"), clock_b.Fn());
  ASSERT_TRUE(Acquired(a));
  const json before = Lease("crash");
  EXPECT_FALSE(Acquired(b));
  // `a` stops calling. `b` measures the lease from when it saw it change, by its own clock.
  clock_b.Advance(milliseconds(1999));
  EXPECT_FALSE(Acquired(b));
  clock_b.Advance(milliseconds(1));
  ASSERT_TRUE(Acquired(b));
  EXPECT_TRUE(b.IsLeader());
  const json after = Lease("crash");
  EXPECT_EQ(after["holderIdentity"], "b");
  EXPECT_EQ(after["leaseTransitions"], 1);
  EXPECT_NE(after["acquireTime"], before["acquireTime"]);

  // `a` comes back believing it still leads (its clock did not move): its write is stale.
  EXPECT_TRUE(a.IsLeader());  // By its own clock; the point of renew_deadline < lease.
  EXPECT_FALSE(Acquired(a));
  EXPECT_FALSE(a.IsLeader());
  EXPECT_EQ(a.Leader(), "b");
  EXPECT_EQ(Lease("crash")["holderIdentity"], "b");
}

TEST_F(LeaderElectionTest, IsLeaderEndsRenewDeadlineAfterTheLastRenewal) {
  ManualSteady clock;
  LeaderElector a(*client_, Fast("deadline", "a"), clock.Fn());
  ASSERT_TRUE(Acquired(a));
  clock.Advance(milliseconds(1499));
  EXPECT_TRUE(a.IsLeader());
  clock.Advance(milliseconds(1));
  EXPECT_FALSE(a.IsLeader());  // Lease still 500 ms from expiring for the others.
  ASSERT_TRUE(Acquired(a));    // Renewing restores it.
  EXPECT_TRUE(a.IsLeader());
}

TEST_F(LeaderElectionTest, ReleaseGivesImmediateTakeover) {
  ManualSteady clock_b;  // Never moves: b takes over without waiting for any expiry.
  LeaderElector a(*client_, Fast("release", "a"));
  LeaderElector b(*client_, Fast("release", "b"), clock_b.Fn());
  std::atomic<int> started{0}, stopped{0};
  std::vector<std::string> a_saw;
  a.OnStartedLeading([&] { ++started; });
  a.OnStoppedLeading([&] { ++stopped; });
  a.OnNewLeader([&](const std::string& id) { a_saw.push_back(id); });
  {
    std::jthread run([&](std::stop_token stop) { a.Run(stop); });
    ASSERT_TRUE(WaitFor([&] { return a.IsLeader(); }));
    EXPECT_FALSE(Acquired(b));
    std::this_thread::sleep_for(milliseconds(600));  // A few renewals.
    EXPECT_TRUE(a.IsLeader());
  }  // Stops Run, which releases.
  EXPECT_FALSE(a.IsLeader());
  EXPECT_EQ(started, 1);
  EXPECT_EQ(stopped, 1);
  EXPECT_EQ(a_saw, std::vector<std::string>{"a"});
  const json released = Lease("release");
  EXPECT_EQ(released["holderIdentity"], "");
  EXPECT_EQ(released["leaseDurationSeconds"], 1);
  EXPECT_EQ(released["leaseTransitions"], 0);
  ASSERT_TRUE(Acquired(b));
  EXPECT_EQ(Lease("release")["holderIdentity"], "b");
  EXPECT_EQ(Lease("release")["leaseTransitions"], 1);
  EXPECT_TRUE(a.Release().ok());  // Not held: nothing to do.
  EXPECT_EQ(Lease("release")["holderIdentity"], "b");
}

TEST_F(LeaderElectionTest, StopWithoutReleaseLeavesTheLeaseToExpire) {
  LeaderElectionConfig config = Fast("no-release", "a");
  config.release_on_cancel = false;
  LeaderElector a(*client_, config);
  LeaderElector b(*client_, Fast("no-release", "b"));
  std::vector<std::string> b_saw;
  std::atomic<bool> b_started{false};
  b.OnNewLeader([&](const std::string& id) { b_saw.push_back(id); });
  b.OnStartedLeading([&] { b_started = true; });
  {
    std::jthread run([&](std::stop_token stop) { a.Run(stop); });
    ASSERT_TRUE(WaitFor([&] { return a.IsLeader(); }));
  }
  EXPECT_FALSE(a.IsLeader());  // Stopped: no longer renewing, so no longer leading.
  EXPECT_EQ(Lease("no-release")["holderIdentity"], "a");
  std::jthread run_b([&](std::stop_token stop) { b.Run(stop); });
  ASSERT_TRUE(WaitFor([&] { return b.IsLeader(); }));
  EXPECT_TRUE(b_started);
  const json spec = Lease("no-release");
  EXPECT_EQ(spec["holderIdentity"], "b");
  EXPECT_EQ(spec["leaseTransitions"], 1);
  run_b.request_stop();
  run_b.join();
  ASSERT_FALSE(b_saw.empty());
  EXPECT_EQ(b_saw.front(), "a");
  EXPECT_EQ(b_saw.back(), "b");
}

TEST_F(LeaderElectionTest, LosesLeadershipWhenTheServerGoes) {
  // A server of its own, to stop.
  const std::filesystem::path dir = *dir_ / "stopped";
  Result<testing::SimServe> own = testing::StartSimServe(dir, {"--speed", "120"});
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  auto client = Client(own->kubeconfig);
  LeaderElector a(*client, Fast("partition", "a"));
  std::atomic<int> started{0}, stopped{0};
  a.OnStartedLeading([&] { ++started; });
  a.OnStoppedLeading([&] { ++stopped; });
  std::jthread run([&](std::stop_token stop) { a.Run(stop); });
  ASSERT_TRUE(WaitFor([&] { return a.IsLeader(); }));
  own->process.Stop();
  ASSERT_TRUE(WaitFor([&] { return stopped == 1; }));
  EXPECT_FALSE(a.IsLeader());
  EXPECT_EQ(started, 1);
  EXPECT_FALSE(a.TryAcquireOrRenew().ok());  // Unavailable: Run keeps campaigning.
  run.request_stop();
  run.join();
  EXPECT_EQ(stopped, 1);
}

TEST_F(LeaderElectionTest, RacingElectorsNeverBothLead) {
  constexpr int kElectors = 3;
  std::vector<std::unique_ptr<RestClient>> clients;
  std::vector<std::unique_ptr<LeaderElector>> electors;
  for (int i = 0; i < kElectors; ++i) {
    clients.push_back(Client(server_->kubeconfig));
    electors.push_back(
        std::make_unique<LeaderElector>(*clients.back(), Fast("race", "e" + std::to_string(i))));
  }
  std::vector<std::jthread> runs;
  for (auto& e : electors) runs.emplace_back([&e](std::stop_token stop) { e->Run(stop); });

  // Stops each leader in turn (it releases) so leadership moves through all of them,
  // sampling IsLeader of every elector all along: never two at once.
  std::atomic<int> samples{0}, both{0};
  std::jthread sampler([&](std::stop_token stop) {
    while (!stop.stop_requested()) {
      int leading = 0;
      for (auto& e : electors) leading += e->IsLeader();
      both += leading > 1;
      ++samples;
    }
  });
  std::vector<bool> stopped(kElectors, false);
  for (int round = 0; round < kElectors - 1; ++round) {
    int leader = -1;
    ASSERT_TRUE(WaitFor([&] {
      for (int i = 0; i < kElectors; ++i)
        if (!stopped[i] && electors[i]->IsLeader()) leader = i;
      return leader >= 0;
    }));
    std::this_thread::sleep_for(milliseconds(500));  // Renewals while the others campaign.
    runs[leader].request_stop();
    runs[leader].join();
    stopped[leader] = true;
  }
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kElectors; ++i)
      if (!stopped[i] && electors[i]->IsLeader()) return true;
    return false;
  }));
  sampler.request_stop();
  sampler.join();
  EXPECT_EQ(both, 0) << "of " << samples << " samples";
  EXPECT_GT(samples, 1000);
  runs.clear();
  EXPECT_GE(Lease("race")["leaseTransitions"].get<int>(), kElectors - 1);
}

}  // namespace
}  // namespace prescient::k8s
