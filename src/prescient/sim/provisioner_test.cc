// The Karpenter-like provisioner: instance-type choice, launches for pending pods with a
// provisioning delay, empty-node consolidation, spot pricing and interruptions. Driven by
// hand: ClusterState::Reconcile + Schedule + the provisioner call under test.

#include "prescient/sim/provisioner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "prescient/sim/cluster.h"
#include "prescient/sim/instance_types.h"
#include "prescient/sim/objects.h"
#include "prescient/sim/scheduler.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};
constexpr int64_t kGiB = int64_t{1} << 30;

using Sizes = std::vector<std::pair<int, int64_t>>;

Deployment App(std::string name, int replicas, int cpu = 1000, int64_t memory = 2 * kGiB) {
  Deployment d;
  d.name = std::move(name);
  d.replicas = replicas;
  d.pod.cpu_request_millicores = cpu;
  d.pod.memory_request_bytes = memory;
  return d;
}

int Live(const ClusterState& c) {
  int n = 0;
  for (const Node& node : c.nodes()) n += node.deleted ? 0 : 1;
  return n;
}

// --- ChooseType ---

TEST(ProvisionerTest, InstanceTypeAllocatableFollowsTheEksReservation) {
  const InstanceType& m5 = *FindInstanceType("m5.xlarge");
  EXPECT_EQ(m5.AllocatableMillicores(), 4000 - 80);
  EXPECT_EQ(m5.AllocatableMemoryBytes(), (16384 - 255 - 11 * 58 - 100) * (int64_t{1} << 20));
  EXPECT_EQ(FindInstanceType("c5.large")->AllocatableMillicores(), 2000 - 70);
  EXPECT_EQ(FindInstanceType("c5.4xlarge")->AllocatableMillicores(), 16000 - 110);
  EXPECT_EQ(FindInstanceType("no.such"), nullptr);
}

TEST(ProvisionerTest, ChooseTypePicksTheCheapestTypeThatHoldsAll) {
  const Provisioner prov;
  struct Case {
    const char* name;
    Sizes pods;
    const char* type;
    int count;
  };
  const Case cases[] = {
      {"two small pods", {{500, kGiB}, {500, kGiB}}, "c5.large", 2},
      {"memory-heavy", {{500, 6 * kGiB}}, "m5.large", 1},
      {"more memory still", {{500, 12 * kGiB}}, "r5.large", 1},
      {"three cores", {{1000, 2 * kGiB}, {1000, 2 * kGiB}, {1000, 2 * kGiB}}, "c5.xlarge", 3},
      {"four cores", Sizes(4, {1000, kGiB}), "c5.2xlarge", 4},
  };
  for (const Case& tc : cases) {
    int count = -1;
    const InstanceType* t = prov.ChooseType(tc.pods, CapacityType::kOnDemand, &count);
    ASSERT_NE(t, nullptr) << tc.name;
    EXPECT_EQ(t->name, tc.type) << tc.name;
    EXPECT_EQ(count, tc.count) << tc.name;
    // Spot scales every price alike: the same choice.
    int spot_count = -1;
    EXPECT_EQ(prov.ChooseType(tc.pods, CapacityType::kSpot, &spot_count), t) << tc.name;
    EXPECT_EQ(spot_count, tc.count) << tc.name;
  }
}

TEST(ProvisionerTest, ChooseTypeFallsBackToLowestPricePerPod) {
  // 40 one-core pods fit no single type. Pods held: c5.4xlarge 15 (15890m) at $0.68 is
  // $0.0453 a pod, cheaper per pod than c5.2xlarge's 7 at $0.34 ($0.0486).
  const Provisioner prov;
  const Sizes pods(40, {1000, kGiB});
  int count = 0;
  const InstanceType* t = prov.ChooseType(pods, CapacityType::kOnDemand, &count);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "c5.4xlarge");
  EXPECT_EQ(count, 15);
}

TEST(ProvisionerTest, ChooseTypeWithACustomCatalogue) {
  static constexpr std::array kTypes = {
      InstanceType{"small", 2, 8, 29, 0.10},
      InstanceType{"mid", 4, 16, 58, 0.25},
      InstanceType{"big", 8, 32, 58, 0.30},
  };
  const Provisioner prov(kTypes);
  int count = 0;
  // All three fit on mid and big: mid is cheaper.
  EXPECT_EQ(prov.ChooseType(Sizes(3, {1000, kGiB}), CapacityType::kOnDemand, &count)->name, "mid");
  EXPECT_EQ(count, 3);
  // Ten fit nowhere: per pod small $0.10, mid $0.083, big $0.043 (7 pods).
  EXPECT_EQ(prov.ChooseType(Sizes(10, {1000, kGiB}), CapacityType::kOnDemand, &count)->name, "big");
  EXPECT_EQ(count, 7);
  // Larger than everything.
  count = -1;
  EXPECT_EQ(prov.ChooseType(Sizes{{9000, kGiB}}, CapacityType::kOnDemand, &count), nullptr);
  EXPECT_EQ(count, -1);  // Untouched.
}

// --- Provision ---

TEST(ProvisionerTest, LaunchesANodeForPendingPodsOnceAndTheyBindWhenReady) {
  for (const uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    SCOPED_TRACE(seed);
    ClusterState c(ClusterOptions{}, seed);
    Provisioner prov;
    const DeploymentId web = c.AddDeployment(App("web", 3));
    c.Reconcile(kT0);
    ASSERT_EQ(Schedule(c, kT0).unschedulable, 3);

    EXPECT_EQ(prov.Provision(c, kT0), 1);
    ASSERT_EQ(c.nodes().size(), 1u);
    const Node& n = c.node(0);
    EXPECT_EQ(n.type->name, "c5.xlarge");  // The cheapest that holds 3 x (1 core, 2 GiB).
    EXPECT_EQ(n.capacity_type, CapacityType::kOnDemand);
    EXPECT_EQ(n.zone, "zone-a");
    EXPECT_EQ(n.launched_at, kT0);
    EXPECT_FALSE(n.ready);
    EXPECT_GE(n.ready_at, kT0 + kDefaultProvisionMin);
    EXPECT_LE(n.ready_at, kT0 + kDefaultProvisionMax);
    EXPECT_DOUBLE_EQ(n.usd_per_hour, n.type->on_demand_usd_per_hour);
    for (const Pod& p : c.pods()) EXPECT_EQ(p.nominated_node, n.id) << p.name;
    EXPECT_EQ(c.counters().nodes_launched, 1);

    // The in-flight node already covers these pods: no second launch.
    for (Timestamp t = kT0 + Duration(10); t < n.ready_at; t += Duration(10)) {
      c.Reconcile(t);
      EXPECT_EQ(Schedule(c, t).bound, 0);
      EXPECT_EQ(prov.Provision(c, t), 0);
      EXPECT_EQ(prov.Consolidate(c, t), 0);
    }
    EXPECT_EQ(c.counters().nodes_launched, 1);
    EXPECT_EQ(c.PendingPods(), 3);

    const Timestamp ready = c.node(0).ready_at;
    c.Reconcile(ready);
    EXPECT_TRUE(c.node(0).ready);
    EXPECT_EQ(Schedule(c, ready).bound, 3);
    EXPECT_EQ(c.PendingPods(), 0);
    for (const Pod& p : c.pods()) {
      EXPECT_EQ(p.node, 0);
      EXPECT_EQ(p.nominated_node, kNoNode);
    }
    EXPECT_EQ(prov.Provision(c, ready), 0);
    EXPECT_EQ(c.ActivePods(web), 3);
  }
}

TEST(ProvisionerTest, ProvisioningDelayCoversTheConfiguredRange) {
  ClusterOptions o;
  o.provision_min = Duration(60);
  o.provision_max = Duration(180);
  int64_t lo = 1 << 30, hi = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    ClusterState c(o, seed);
    Provisioner prov;
    c.AddDeployment(App("web", 1));
    c.Reconcile(kT0);
    ASSERT_EQ(prov.Provision(c, kT0), 1);
    const int64_t delay = (c.node(0).ready_at - kT0).count();
    EXPECT_GE(delay, 60);
    EXPECT_LE(delay, 180);
    lo = std::min(lo, delay);
    hi = std::max(hi, delay);
  }
  EXPECT_LT(lo, 90);  // Spread over the range, not pinned to one end.
  EXPECT_GT(hi, 150);
}

TEST(ProvisionerTest, NewPodsFillAnInFlightNodeBeforeLaunchingAnother) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  ASSERT_EQ(prov.Provision(c, kT0), 1);
  ASSERT_EQ(c.node(0).type->name, "c5.large");  // 1930m: room for one core only.
  // A second pod does not fit on the in-flight c5.large: a second launch.
  c.deployment(web).replicas = 2;
  c.Reconcile(kT0 + Duration(10));
  EXPECT_EQ(prov.Provision(c, kT0 + Duration(10)), 1);
  EXPECT_EQ(c.nodes().size(), 2u);
  EXPECT_EQ(c.node(1).zone, "zone-b");  // Spread over the zones.
  // A small pod fits in the in-flight room left on the first node.
  const DeploymentId side = c.AddDeployment(App("side", 1, /*cpu=*/500, kGiB));
  c.Reconcile(kT0 + Duration(20));
  EXPECT_EQ(prov.Provision(c, kT0 + Duration(20)), 0);
  for (const Pod& p : c.pods()) {
    if (p.deployment == side) {
      EXPECT_NE(p.nominated_node, kNoNode);
    }
  }
}

TEST(ProvisionerTest, SplitsAcrossNodesWhenNoTypeHoldsAll) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  c.AddDeployment(App("web", 40, 1000, kGiB));
  c.Reconcile(kT0);
  const int launched = prov.Provision(c, kT0);
  EXPECT_GE(launched, 3);
  EXPECT_EQ(static_cast<int>(c.nodes().size()), launched);
  for (const Pod& p : c.pods()) EXPECT_NE(p.nominated_node, kNoNode) << p.name;
  // Zones alternate.
  EXPECT_EQ(c.node(0).zone, "zone-a");
  EXPECT_EQ(c.node(1).zone, "zone-b");
  EXPECT_EQ(c.node(2).zone, "zone-c");
  EXPECT_EQ(prov.Provision(c, kT0 + Duration(10)), 0);
}

TEST(ProvisionerTest, PodLargerThanAnyTypeStaysPendingWithoutALaunch) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  c.AddDeployment(App("huge", 1, /*cpu=*/64000));
  c.Reconcile(kT0);
  EXPECT_EQ(prov.Provision(c, kT0), 0);
  EXPECT_TRUE(c.nodes().empty());
  EXPECT_EQ(c.PendingPods(), 1);
}

// --- Consolidate ---

TEST(ProvisionerTest, ConsolidatesANodeEmptyForConsolidateAfter) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  const NodeId n = c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kOnDemand, "zone-a",
                                kT0, Duration(0));
  EXPECT_EQ(prov.Consolidate(c, kT0), 0);
  ASSERT_TRUE(c.node(n).empty_since.has_value());
  EXPECT_EQ(*c.node(n).empty_since, kT0);
  EXPECT_EQ(prov.Consolidate(c, kT0 + Duration(29)), 0);
  EXPECT_FALSE(c.node(n).deleted);
  EXPECT_EQ(prov.Consolidate(c, kT0 + kDefaultConsolidateAfter), 1);
  EXPECT_TRUE(c.node(n).deleted);
  EXPECT_EQ(c.node(n).deleted_at, kT0 + kDefaultConsolidateAfter);
  EXPECT_EQ(c.counters().nodes_consolidated, 1);
  EXPECT_EQ(prov.Consolidate(c, kT0 + Duration(60)), 0);
  EXPECT_EQ(c.counters().nodes_consolidated, 1);
}

TEST(ProvisionerTest, ConsolidationWaitsForTheLastPodToGo) {
  ClusterOptions o;
  o.startup_min = o.startup_max = Duration(30);
  ClusterState c(o, 1);
  Provisioner prov;
  const NodeId n = c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kOnDemand, "zone-a",
                                kT0, Duration(0));
  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  Schedule(c, kT0);
  ASSERT_EQ(c.node(n).pod_count, 1);
  for (int s = 0; s <= 300; s += 10) EXPECT_EQ(prov.Consolidate(c, kT0 + Duration(s)), 0);

  // Scaled to zero: the pod drains for 30 s, then the node is empty; 30 s later it goes.
  const Timestamp del = kT0 + Duration(310);
  c.deployment(web).replicas = 0;
  c.Reconcile(del);
  EXPECT_EQ(prov.Consolidate(c, del), 0);
  c.Reconcile(del + Duration(30));
  ASSERT_EQ(c.node(n).pod_count, 0);
  EXPECT_EQ(prov.Consolidate(c, del + Duration(30)), 0);
  EXPECT_EQ(prov.Consolidate(c, del + Duration(59)), 0);
  EXPECT_EQ(prov.Consolidate(c, del + Duration(60)), 1);
}

TEST(ProvisionerTest, DoesNotConsolidateNodesStillBooting) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  const NodeId n = c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kOnDemand, "zone-a",
                                kT0, Duration(120));
  for (int s = 0; s < 120; s += 10) EXPECT_EQ(prov.Consolidate(c, kT0 + Duration(s)), 0);
  EXPECT_FALSE(c.node(n).deleted);
}

TEST(ProvisionerTest, DoesNotConsolidateANodeAPodIsNominatedTo) {
  ClusterState c(ClusterOptions{}, 1);
  Provisioner prov;
  const NodeId n = c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kOnDemand, "zone-a",
                                kT0, Duration(0));
  c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  c.pods()[0].nominated_node = n;
  for (int s = 0; s <= 120; s += 10) EXPECT_EQ(prov.Consolidate(c, kT0 + Duration(s)), 0);
  EXPECT_FALSE(c.node(n).deleted);
}

// --- Spot ---

TEST(ProvisionerTest, SpotPriceIsThirtyPercentOfOnDemand) {
  EXPECT_DOUBLE_EQ(kSpotPriceFraction, 0.30);
  ClusterState c(ClusterOptions{}, 1);
  for (const InstanceType& t : DefaultInstanceTypes()) {
    const NodeId spot = c.LaunchNode(t, CapacityType::kSpot, "zone-a", kT0, Duration(0));
    const NodeId od = c.LaunchNode(t, CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
    EXPECT_DOUBLE_EQ(c.node(spot).usd_per_hour, 0.30 * t.on_demand_usd_per_hour) << t.name;
    EXPECT_DOUBLE_EQ(c.node(od).usd_per_hour, t.on_demand_usd_per_hour) << t.name;
  }
}

// A spot cluster whose `replicas` web pods run Ready on one spot node.
struct SpotFixture {
  ClusterState cluster;
  Provisioner prov;
  DeploymentId web = 0;
  Timestamp now = kT0;

  SpotFixture(int replicas, int pdb_min_available) : cluster(Options(), 11) {
    Deployment d = App("web", replicas);
    d.pdb_min_available = pdb_min_available;
    web = cluster.AddDeployment(d);
    cluster.Reconcile(now);
    EXPECT_EQ(prov.Provision(cluster, now), 1);
    now = cluster.node(0).ready_at;
    cluster.Reconcile(now);
    EXPECT_EQ(Schedule(cluster, now).bound, replicas);
    now += Duration(600);
    cluster.Reconcile(now);
    EXPECT_EQ(cluster.ReadyPods(web), replicas);
  }

  static ClusterOptions Options() {
    ClusterOptions o;
    o.use_spot = true;
    o.spot_interruptions_per_hour = 1e9;  // Every spot node, every call.
    return o;
  }
};

TEST(ProvisionerTest, SpotInterruptionCordonsDrainsAndReclaimsAfterTheNotice) {
  SpotFixture f(/*replicas=*/2, /*pdb_min_available=*/-1);
  ClusterState& c = f.cluster;
  const Node& n = c.node(0);
  EXPECT_EQ(n.capacity_type, CapacityType::kSpot);
  EXPECT_DOUBLE_EQ(n.usd_per_hour, kSpotPriceFraction * n.type->on_demand_usd_per_hour);

  const Timestamp t = f.now;
  EXPECT_EQ(f.prov.Interrupt(c, t, Duration(10)), 1);
  EXPECT_EQ(c.counters().spot_interruptions, 1);
  EXPECT_TRUE(n.unschedulable);
  ASSERT_TRUE(n.interruption_at.has_value());
  EXPECT_EQ(*n.interruption_at, t + kSpotNotice);
  ASSERT_EQ(n.taints.size(), 1u);
  EXPECT_EQ(n.taints[0].key, kTaintSpotInterruption);
  EXPECT_EQ(n.taints[0].effect, TaintEffect::kNoSchedule);
  for (const Pod& p : c.pods()) {
    EXPECT_TRUE(p.deletion_at.has_value()) << p.name;  // Evicted: draining.
    EXPECT_FALSE(p.Serving());
  }
  EXPECT_EQ(c.ReadyPods(f.web), 0);
  // Already noticed: not interrupted twice.
  EXPECT_EQ(f.prov.Interrupt(c, t + Duration(10), Duration(10)), 0);

  // The ReplicaSet recreates the pods; they cannot land on the cordoned node, so the
  // provisioner launches a replacement (not counting the doomed node as in flight).
  c.Reconcile(t + Duration(10));
  EXPECT_EQ(Schedule(c, t + Duration(10)).bound, 0);
  EXPECT_EQ(f.prov.Provision(c, t + Duration(10)), 1);
  EXPECT_EQ(c.node(1).capacity_type, CapacityType::kSpot);

  c.Reconcile(t + kSpotNotice - Duration(1));
  EXPECT_FALSE(c.node(0).deleted);
  c.Reconcile(t + kSpotNotice);
  EXPECT_TRUE(c.node(0).deleted);
  EXPECT_EQ(c.node(0).deleted_at, t + kSpotNotice);
  EXPECT_EQ(c.node(0).pod_count, 0);
  EXPECT_EQ(c.node(0).requested_millicores, 0);
}

TEST(ProvisionerTest, SpotDrainRespectsPdbButReclaimTakesEverything) {
  SpotFixture f(/*replicas=*/3, /*pdb_min_available=*/2);
  ClusterState& c = f.cluster;
  const Timestamp t = f.now;
  EXPECT_EQ(f.prov.Interrupt(c, t, Duration(10)), 1);
  EXPECT_EQ(c.ReadyPods(f.web), 2);  // One eviction allowed, two refused.
  EXPECT_EQ(c.counters().evictions_refused, 2);
  c.Reconcile(t + kSpotNotice);
  EXPECT_TRUE(c.node(0).deleted);
  EXPECT_EQ(c.ReadyPods(f.web), 0);
  for (const Pod& p : c.pods()) EXPECT_EQ(p.node, kNoNode) << p.name;
  EXPECT_EQ(c.ActivePods(f.web), 3);  // Recreated, pending.
}

TEST(ProvisionerTest, OnDemandNodesAreNeverInterrupted) {
  ClusterOptions o = SpotFixture::Options();
  o.use_spot = false;
  ClusterState c(o, 1);
  Provisioner prov;
  c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  EXPECT_EQ(prov.Interrupt(c, kT0, Duration(3600)), 0);
  EXPECT_FALSE(c.node(0).interruption_at.has_value());
  EXPECT_EQ(Live(c), 1);
}

TEST(ProvisionerTest, NoInterruptionsAtRateZero) {
  ClusterOptions o;
  o.use_spot = true;
  ClusterState c(o, 1);
  Provisioner prov;
  c.LaunchNode(*FindInstanceType("m5.large"), CapacityType::kSpot, "zone-a", kT0, Duration(0));
  EXPECT_EQ(prov.Interrupt(c, kT0, Duration(3600)), 0);
  EXPECT_EQ(c.counters().spot_interruptions, 0);
}

TEST(ProvisionerTest, ChooseTypeOnlyFromTheAllowedTypes) {
  const Provisioner prov;
  const Sizes three(3, {1000, 2 * kGiB});
  int count = 0;
  EXPECT_EQ(prov.ChooseType(three, CapacityType::kOnDemand, &count)->name, "c5.xlarge");
  const std::vector<std::string> allowed = {"m5.large", "m5.2xlarge"};
  const InstanceType* t = prov.ChooseType(three, CapacityType::kOnDemand, &count, allowed);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "m5.2xlarge");
  EXPECT_EQ(count, 3);
  const std::vector<std::string> small = {"c5.large"};
  const Sizes big(1, {4000, 2 * kGiB});
  EXPECT_EQ(prov.ChooseType(big, CapacityType::kOnDemand, &count, small), nullptr);
}

TEST(ProvisionerTest, LaunchesOnlyTheClustersInstanceTypesAndItsSpotShare) {
  ClusterOptions o;
  o.instance_types = {"c5.large"};  // One 1-core pod per node.
  o.spot_share = 0.25;
  ClusterState c(o, 1);
  Provisioner prov;
  c.AddDeployment(App("web", 8, 1500));
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).unschedulable, 8);
  EXPECT_EQ(prov.Provision(c, kT0), 8);
  int spot = 0;
  for (const Node& n : c.nodes()) {
    EXPECT_EQ(n.type->name, "c5.large");
    spot += n.capacity_type == CapacityType::kSpot ? 1 : 0;
  }
  EXPECT_EQ(spot, 2);
  EXPECT_EQ(c.node(0).capacity_type, CapacityType::kSpot);  // 0 < 0.25 x 1.
  EXPECT_EQ(c.node(1).capacity_type, CapacityType::kOnDemand);
}

}  // namespace
}  // namespace prescient::sim
