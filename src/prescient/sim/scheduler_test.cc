// The simulated kube-scheduler: filters (cordon, readiness, taints, resources), scoring
// (zone spread, then MostAllocated bin-packing) and preemption of lower-priority pods.
// Hand-built clusters: nodes launched Ready at once in named zones.

#include "prescient/sim/scheduler.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prescient/sim/cluster.h"
#include "prescient/sim/instance_types.h"
#include "prescient/sim/objects.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};

const InstanceType& XLarge() { return *FindInstanceType("m5.xlarge"); }  // 3920m allocatable.

ClusterOptions Options() {
  ClusterOptions o;
  o.startup_min = Duration(30);
  o.startup_max = Duration(30);
  return o;
}

Deployment App(std::string name, int replicas, int cpu = 1000, int priority = 0) {
  Deployment d;
  d.name = std::move(name);
  d.replicas = replicas;
  d.pod.cpu_request_millicores = cpu;
  d.pod.memory_request_bytes = int64_t{1} << 30;
  d.pod.priority = priority;
  return d;
}

Deployment Pause(int replicas, int cpu = 1000) {
  Deployment d = App("pause", replicas, cpu, /*priority=*/-10);
  d.pod.termination_grace_seconds = 0;
  d.placeholder = true;
  return d;
}

NodeId ReadyNode(ClusterState& c, const std::string& zone, const InstanceType& type = XLarge()) {
  return c.LaunchNode(type, CapacityType::kOnDemand, zone, kT0, Duration(0));
}

std::vector<const Pod*> PodsOf(const ClusterState& c, DeploymentId d) {
  std::vector<const Pod*> out;
  for (const Pod& p : c.pods()) {
    if (p.deployment == d && p.Active()) out.push_back(&p);
  }
  return out;
}

int BoundOn(const ClusterState& c, DeploymentId d, NodeId n) {
  int k = 0;
  for (const Pod* p : PodsOf(c, d)) k += p->node == n ? 1 : 0;
  return k;
}

TEST(SchedulerTest, BinPacksOntoTheFullerNodeInTheSameZone) {
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId empty = ReadyNode(c, "zone-a");
  const NodeId busy = ReadyNode(c, "zone-a");
  // Another owner's pod makes `busy` fuller without touching the zone-spread count.
  const DeploymentId other = c.AddDeployment(App("other", 1));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], busy, kT0);

  const DeploymentId web = c.AddDeployment(App("web", 2));
  c.Reconcile(kT0);
  const ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 2);
  EXPECT_EQ(stats.unschedulable, 0);
  EXPECT_EQ(BoundOn(c, web, busy), 2);
  EXPECT_EQ(BoundOn(c, web, empty), 0);
  EXPECT_EQ(BoundOn(c, other, busy), 1);
  EXPECT_EQ(c.node(busy).requested_millicores, 3000);
  EXPECT_EQ(c.node(busy).pod_count, 3);

  // The fuller node is full now (3000 + 1000 > 3920): the next pod goes to the other.
  c.deployment(web).replicas = 3;
  c.Reconcile(kT0 + Duration(10));
  Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(BoundOn(c, web, empty), 1);
}

TEST(SchedulerTest, BinPackingComparesFractionsNotAbsoluteRoom) {
  // A small node holding 1 core of 2 is fuller than a large one holding 1 core of 16.
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId large = ReadyNode(c, "zone-a", *FindInstanceType("m5.4xlarge"));
  const NodeId small = ReadyNode(c, "zone-a", *FindInstanceType("m5.large"));
  c.AddDeployment(App("other", 2, /*cpu=*/500));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], large, kT0);
  c.Bind(c.pods()[1], small, kT0);
  const DeploymentId web = c.AddDeployment(App("web", 1, /*cpu=*/500));
  c.Reconcile(kT0);
  Schedule(c, kT0);
  EXPECT_EQ(BoundOn(c, web, small), 1);
}

TEST(SchedulerTest, SpreadsADeploymentAcrossZones) {
  ClusterState c(Options(), 1);
  const NodeId a = ReadyNode(c, "zone-a", *FindInstanceType("m5.4xlarge"));
  const NodeId b = ReadyNode(c, "zone-b", *FindInstanceType("m5.4xlarge"));
  const NodeId z = ReadyNode(c, "zone-c", *FindInstanceType("m5.4xlarge"));
  // zone-a's node is the fullest, so bin-packing alone would stack everything there.
  c.AddDeployment(App("other", 4));
  c.Reconcile(kT0);
  for (Pod& p : c.pods()) c.Bind(p, a, kT0);

  const DeploymentId web = c.AddDeployment(App("web", 6));
  c.Reconcile(kT0);
  const ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 6);
  EXPECT_EQ(BoundOn(c, web, a), 2);
  EXPECT_EQ(BoundOn(c, web, b), 2);
  EXPECT_EQ(BoundOn(c, web, z), 2);
}

TEST(SchedulerTest, ZoneSpreadCountsPodsAlreadyBound) {
  ClusterState c(Options(), 1);
  const NodeId a = ReadyNode(c, "zone-a", *FindInstanceType("m5.4xlarge"));
  const NodeId b = ReadyNode(c, "zone-b", *FindInstanceType("m5.4xlarge"));
  const DeploymentId web = c.AddDeployment(App("web", 2));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], a, kT0);
  c.Bind(c.pods()[1], a, kT0);
  c.deployment(web).replicas = 3;
  c.Reconcile(kT0 + Duration(10));
  Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(BoundOn(c, web, b), 1);
}

TEST(SchedulerTest, SkipsCordonedAndNotReadyNodes) {
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId cordoned = ReadyNode(c, "zone-a");
  c.node(cordoned).unschedulable = true;
  const NodeId booting =
      c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(120));
  ASSERT_FALSE(c.node(booting).ready);
  const NodeId gone = ReadyNode(c, "zone-a");
  c.node(gone).deleted = true;
  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);

  ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 0);
  EXPECT_EQ(stats.unschedulable, 1);
  EXPECT_EQ(c.PendingPods(), 1);

  const NodeId ok = ReadyNode(c, "zone-a");
  stats = Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(stats.bound, 1);
  EXPECT_EQ(BoundOn(c, web, ok), 1);
}

TEST(SchedulerTest, BindsToANodeOnceItTurnsReady) {
  ClusterState c(Options(), 1);
  const NodeId booting =
      c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(120));
  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0 + Duration(110));
  EXPECT_EQ(Schedule(c, kT0 + Duration(110)).bound, 0);
  c.Reconcile(kT0 + Duration(120));
  EXPECT_TRUE(c.node(booting).ready);
  EXPECT_EQ(Schedule(c, kT0 + Duration(120)).bound, 1);
  EXPECT_EQ(BoundOn(c, web, booting), 1);
}

TEST(SchedulerTest, NoScheduleTaintNeedsAToleration) {
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a");
  c.node(n).taints.push_back({"dedicated", "batch", TaintEffect::kNoSchedule});
  const DeploymentId plain = c.AddDeployment(App("plain", 1));
  Deployment tolerant = App("tolerant", 1);
  tolerant.pod.tolerations.push_back({"dedicated", false, "batch", TaintEffect::kNoSchedule});
  const DeploymentId tol = c.AddDeployment(tolerant);
  Deployment wrong = App("wrong", 1);
  wrong.pod.tolerations.push_back({"dedicated", false, "web", std::nullopt});
  const DeploymentId wrong_id = c.AddDeployment(wrong);
  c.Reconcile(kT0);

  const ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 1);
  EXPECT_EQ(stats.unschedulable, 2);
  EXPECT_EQ(BoundOn(c, tol, n), 1);
  EXPECT_EQ(BoundOn(c, plain, n), 0);
  EXPECT_EQ(BoundOn(c, wrong_id, n), 0);
}

TEST(SchedulerTest, NoExecuteTaintBlocksAndPreferNoScheduleDoesNot) {
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId no_exec = ReadyNode(c, "zone-a");
  c.node(no_exec).taints.push_back({"k", "v", TaintEffect::kNoExecute});
  const NodeId prefer = ReadyNode(c, "zone-a");
  c.node(prefer).taints.push_back({"k", "v", TaintEffect::kPreferNoSchedule});
  const DeploymentId web = c.AddDeployment(App("web", 2));
  c.Reconcile(kT0);
  const ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 2);
  EXPECT_EQ(BoundOn(c, web, prefer), 2);
  EXPECT_EQ(BoundOn(c, web, no_exec), 0);
}

TEST(SchedulerTest, ToleratesNodeChecksEveryBlockingTaint) {
  Node n;
  n.taints = {{"a", "1", TaintEffect::kNoSchedule},
              {"b", "2", TaintEffect::kNoExecute},
              {"c", "3", TaintEffect::kPreferNoSchedule}};
  PodTemplate pod;
  EXPECT_FALSE(ToleratesNode(pod, n));
  pod.tolerations.push_back({"a", true, "", std::nullopt});
  EXPECT_FALSE(ToleratesNode(pod, n));  // b is still untolerated.
  pod.tolerations.push_back({"b", false, "2", TaintEffect::kNoExecute});
  EXPECT_TRUE(ToleratesNode(pod, n));  // c is only a preference.
  EXPECT_TRUE(ToleratesNode(PodTemplate{}, Node{}));
  PodTemplate all;
  all.tolerations.push_back({"", true, "", std::nullopt});
  EXPECT_TRUE(ToleratesNode(all, n));
}

// --- Preemption ---

TEST(SchedulerTest, PreemptsPausePodsAndBindsInTheSamePass) {
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a");
  const DeploymentId pause = c.AddDeployment(Pause(3));
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).bound, 3);  // 3 x 1000m of 3920m.
  ASSERT_EQ(c.node(n).requested_millicores, 3000);

  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0 + Duration(10));
  const ScheduleStats stats = Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(stats.preempted, 1);  // One victim frees enough.
  EXPECT_EQ(stats.bound, 1);
  EXPECT_EQ(stats.unschedulable, 0);
  EXPECT_EQ(BoundOn(c, web, n), 1);
  EXPECT_EQ(BoundOn(c, pause, n), 2);
  EXPECT_EQ(c.node(n).requested_millicores, 3000);
  EXPECT_EQ(c.node(n).pod_count, 3);
  EXPECT_EQ(c.counters().pods_preempted, 1);
  // The victim is the newest pause pod... all were created together, so any one; it is
  // deleted and released at once (grace 0).
  int victims = 0;
  for (const Pod& p : c.pods()) {
    if (p.deployment == pause && p.deletion_at.has_value()) {
      ++victims;
      EXPECT_EQ(p.node, kNoNode);
      EXPECT_EQ(p.gone_at, kT0 + Duration(10));
    }
  }
  EXPECT_EQ(victims, 1);

  // The ReplicaSet recreates the pause pod, which now fits nowhere and preempts nothing.
  c.Reconcile(kT0 + Duration(20));
  const ScheduleStats again = Schedule(c, kT0 + Duration(20));
  EXPECT_EQ(again.preempted, 0);
  EXPECT_EQ(again.unschedulable, 1);
  EXPECT_EQ(BoundOn(c, web, n), 1);
}

TEST(SchedulerTest, PreemptsAsFewVictimsAsNeeded) {
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a");
  const DeploymentId pause = c.AddDeployment(Pause(7, /*cpu=*/500));  // 3500m of 3920m.
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).bound, 7);
  const DeploymentId web = c.AddDeployment(App("web", 1, /*cpu=*/1400));
  c.Reconcile(kT0 + Duration(10));
  const ScheduleStats stats = Schedule(c, kT0 + Duration(10));
  // 420m free; 1400m needs two 500m victims (420 + 1000 >= 1400).
  EXPECT_EQ(stats.preempted, 2);
  EXPECT_EQ(BoundOn(c, web, n), 1);
  EXPECT_EQ(BoundOn(c, pause, n), 5);
}

TEST(SchedulerTest, PreemptionPrefersTheNodeWithLowerPriorityVictims) {
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId n1 = ReadyNode(c, "zone-a");
  const NodeId n2 = ReadyNode(c, "zone-a");
  const DeploymentId batch = c.AddDeployment(App("batch", 3, 1000, /*priority=*/-5));
  const DeploymentId pause = c.AddDeployment(Pause(3));
  c.Reconcile(kT0);
  for (Pod& p : c.pods()) c.Bind(p, p.deployment == batch ? n1 : n2, kT0);
  const DeploymentId web = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0 + Duration(10));
  const ScheduleStats stats = Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(stats.preempted, 1);
  EXPECT_EQ(BoundOn(c, web, n2), 1);
  EXPECT_EQ(BoundOn(c, batch, n1), 3);
  EXPECT_EQ(BoundOn(c, pause, n2), 2);
}

TEST(SchedulerTest, NeverPreemptsEqualOrHigherPriority) {
  for (const int victim_priority : {0, 5}) {
    ClusterState c(Options(), 1);
    const NodeId n = ReadyNode(c, "zone-a");
    Deployment full = App("full", 3, 1000, victim_priority);
    full.pod.termination_grace_seconds = 0;
    const DeploymentId full_id = c.AddDeployment(full);
    c.Reconcile(kT0);
    ASSERT_EQ(Schedule(c, kT0).bound, 3);
    const DeploymentId web = c.AddDeployment(App("web", 1, 1000, /*priority=*/0));
    c.Reconcile(kT0 + Duration(10));
    const ScheduleStats stats = Schedule(c, kT0 + Duration(10));
    EXPECT_EQ(stats.preempted, 0) << victim_priority;
    EXPECT_EQ(stats.unschedulable, 1) << victim_priority;
    EXPECT_EQ(BoundOn(c, web, n), 0);
    EXPECT_EQ(BoundOn(c, full_id, n), 3);
    EXPECT_EQ(c.counters().pods_preempted, 0);
  }
}

TEST(SchedulerTest, PreemptionWithAGracePeriodNominatesThenBinds) {
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a");
  Deployment low = App("low", 3, 1000, /*priority=*/-5);  // Grace 30 s.
  const DeploymentId low_id = c.AddDeployment(low);
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).bound, 3);
  const DeploymentId web = c.AddDeployment(App("web", 1));
  const Timestamp t = kT0 + Duration(10);
  c.Reconcile(t);
  const ScheduleStats stats = Schedule(c, t);
  EXPECT_EQ(stats.preempted, 1);
  EXPECT_EQ(stats.bound, 0);
  const Pod* w = PodsOf(c, web).at(0);
  EXPECT_EQ(w->node, kNoNode);
  EXPECT_EQ(w->nominated_node, n);

  // While the victim drains the preemptor waits for it: no second victim
  // (upstream's PodEligibleToPreemptOthers: a terminating lower-priority pod on the
  // nominated node means the room is on its way).
  c.Reconcile(t + Duration(20));
  const ScheduleStats waiting = Schedule(c, t + Duration(20));
  EXPECT_EQ(waiting.preempted, 0);
  EXPECT_EQ(PodsOf(c, web).at(0)->node, kNoNode);
  EXPECT_EQ(PodsOf(c, web).at(0)->nominated_node, n);
  EXPECT_EQ(BoundOn(c, low_id, n), 2);
  c.Reconcile(t + Duration(30));  // Grace over: the victim's room is free.
  Schedule(c, t + Duration(30));
  EXPECT_EQ(BoundOn(c, web, n), 1);
  EXPECT_EQ(BoundOn(c, low_id, n), 2);
}

// Bug: a preemptor nominated to a node kept preempting on every pass while its first
// victim drained (the victim's requests still count until its grace period ends), so a
// pod with a 30 s grace victim evicted one more pod per 10 s tick.
TEST(SchedulerTest, PreemptorWaitsForItsTerminatingVictimInsteadOfPreemptingAgain) {
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a");
  const DeploymentId low = c.AddDeployment(App("low", 3, 1000, /*priority=*/-5));
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).bound, 3);
  const DeploymentId web = c.AddDeployment(App("web", 1, 1000, /*priority=*/100));
  int preempted = 0;
  for (int s = 0; s < 30; s += 10) {
    c.Reconcile(kT0 + Duration(s));
    preempted += Schedule(c, kT0 + Duration(s)).preempted;
  }
  EXPECT_EQ(preempted, 1);
  EXPECT_EQ(c.counters().pods_preempted, 1);
  EXPECT_EQ(BoundOn(c, low, n), 2);
  c.Reconcile(kT0 + Duration(30));
  Schedule(c, kT0 + Duration(30));
  EXPECT_EQ(BoundOn(c, web, n), 1);
  EXPECT_EQ(BoundOn(c, low, n), 2);
}

TEST(SchedulerTest, PreemptorNominatedToACordonedNodePreemptsElsewhere) {
  ClusterOptions o = Options();
  o.zones = {"zone-a"};
  ClusterState c(o, 1);
  const NodeId n1 = ReadyNode(c, "zone-a");
  const NodeId n2 = ReadyNode(c, "zone-a");
  const DeploymentId low = c.AddDeployment(App("low", 6, 1000, /*priority=*/-5));
  c.Reconcile(kT0);
  ASSERT_EQ(Schedule(c, kT0).bound, 6);
  const DeploymentId web = c.AddDeployment(App("web", 1, 1000, /*priority=*/100));
  c.Reconcile(kT0 + Duration(10));
  ASSERT_EQ(Schedule(c, kT0 + Duration(10)).preempted, 1);
  Pod* w = nullptr;
  for (Pod& p : c.pods()) {
    if (p.deployment == web) w = &p;
  }
  ASSERT_NE(w, nullptr);
  const NodeId first = w->nominated_node;
  ASSERT_NE(first, kNoNode);
  const NodeId other = first == n1 ? n2 : n1;
  c.node(first).unschedulable = true;  // Cordoned while the victim drains.
  c.Reconcile(kT0 + Duration(20));
  const ScheduleStats stats = Schedule(c, kT0 + Duration(20));
  EXPECT_EQ(stats.preempted, 1);
  EXPECT_EQ(BoundOn(c, low, other), 2);
  EXPECT_EQ(w->nominated_node, other);
}

TEST(SchedulerTest, PodLargerThanAnyNodeStaysPending) {
  ClusterState c(Options(), 1);
  ReadyNode(c, "zone-a", *FindInstanceType("m5.4xlarge"));
  c.AddDeployment(Pause(2));
  Deployment huge = App("huge", 1, /*cpu=*/64000);
  c.AddDeployment(huge);
  Deployment fat = App("fat", 1, /*cpu=*/100);
  fat.pod.memory_request_bytes = int64_t{512} << 30;
  c.AddDeployment(fat);
  c.Reconcile(kT0);
  const ScheduleStats stats = Schedule(c, kT0);
  EXPECT_EQ(stats.bound, 2);  // The pause pods.
  EXPECT_EQ(stats.preempted, 0);
  EXPECT_EQ(stats.unschedulable, 2);
  EXPECT_EQ(c.PendingPods(), 2);
}

TEST(SchedulerTest, SchedulesHigherPriorityFirst) {
  // One slot left: the higher-priority pod gets it even though it is newer.
  ClusterState c(Options(), 1);
  const NodeId n = ReadyNode(c, "zone-a", *FindInstanceType("m5.large"));  // 1930m.
  const DeploymentId low = c.AddDeployment(App("low", 1, 1000, /*priority=*/0));
  c.Reconcile(kT0);
  const DeploymentId high = c.AddDeployment(App("high", 1, 1000, /*priority=*/100));
  c.Reconcile(kT0 + Duration(10));
  const ScheduleStats stats = Schedule(c, kT0 + Duration(10));
  EXPECT_EQ(stats.bound, 1);
  EXPECT_EQ(BoundOn(c, high, n), 1);
  EXPECT_EQ(BoundOn(c, low, n), 0);
}

}  // namespace
}  // namespace prescient::sim
