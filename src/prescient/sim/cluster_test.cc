// ClusterState: the kubelet (start-up delay, readiness, graceful termination), the
// ReplicaSet side of the deployment controller (pod creation and upstream's scale-down
// order) and the eviction API with PodDisruptionBudgets; Toleration matching.
// Hand-built scenarios: every pod and node is placed explicitly, times are fixed.

#include "prescient/sim/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prescient/sim/instance_types.h"
#include "prescient/sim/objects.h"

namespace prescient::sim {
namespace {

using std::chrono::seconds;

constexpr Timestamp kT0{seconds{1'699'999'980}};  // A whole minute.

const InstanceType& XLarge() { return *FindInstanceType("m5.xlarge"); }

// Start-up delays pinned to `startup` so readiness times are known exactly.
ClusterOptions FixedStartup(Duration startup) {
  ClusterOptions o;
  o.startup_min = startup;
  o.startup_max = startup;
  return o;
}

Deployment App(std::string name, int replicas) {
  Deployment d;
  d.name = std::move(name);
  d.replicas = replicas;
  return d;
}

// The live pod with this uid (nullptr once erased).
Pod* FindPod(ClusterState& c, int64_t uid) {
  for (Pod& p : c.pods()) {
    if (p.uid == uid) return &p;
  }
  return nullptr;
}

std::vector<int64_t> Uids(const ClusterState& c, DeploymentId d) {
  std::vector<int64_t> uids;
  for (const Pod& p : c.pods()) {
    if (p.deployment == d) uids.push_back(p.uid);
  }
  return uids;
}

bool Deleted(ClusterState& c, int64_t uid) {
  const Pod* p = FindPod(c, uid);
  return p == nullptr || p->deletion_at.has_value();
}

TEST(ClusterTest, PodTurnsReadyAfterStartupDelayWithinBounds) {
  ClusterOptions o;
  o.startup_min = Duration(30);
  o.startup_max = Duration(120);
  ClusterState c(o, /*seed=*/7);
  const NodeId n = c.LaunchNode(*FindInstanceType("m5.4xlarge"), CapacityType::kOnDemand, "zone-a",
                                kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 12));
  c.Reconcile(kT0);
  ASSERT_EQ(c.pods().size(), 12u);
  for (Pod& p : c.pods()) c.Bind(p, n, kT0);

  std::vector<int64_t> delays;
  for (const Pod& p : c.pods()) {
    ASSERT_TRUE(p.started_at.has_value());
    EXPECT_EQ(*p.started_at, kT0);
    EXPECT_FALSE(p.ready);
    const int64_t delay = (p.ready_at - kT0).count();
    EXPECT_GE(delay, 30) << p.name;
    EXPECT_LE(delay, 120) << p.name;
    delays.push_back(delay);
  }
  // Drawn, not constant.
  EXPECT_NE(*std::min_element(delays.begin(), delays.end()),
            *std::max_element(delays.begin(), delays.end()));

  // Each pod turns Ready exactly at its ready_at, and records it as the transition time.
  for (Timestamp t = kT0; t <= kT0 + Duration(120); t += Duration(1)) {
    c.Reconcile(t);
    for (const Pod& p : c.pods()) {
      EXPECT_EQ(p.ready, t >= p.ready_at) << p.name << " at +" << (t - kT0).count();
      if (p.ready) {
        EXPECT_EQ(p.ready_transition, p.ready_at);
      }
    }
  }
  EXPECT_EQ(c.ReadyPods(d), 12);
}

// A pod template's own start-up range replaces the cluster's; unset, the draws are the
// cluster's, in the same order.
TEST(ClusterTest, PodTemplateStartupOverridesTheClusters) {
  ClusterOptions o;
  o.startup_min = Duration(30);
  o.startup_max = Duration(120);
  ClusterState fast(o, /*seed=*/7), plain(o, /*seed=*/7), reference(o, /*seed=*/7);
  for (ClusterState* c : {&fast, &plain, &reference}) {
    c->LaunchNode(*FindInstanceType("m5.4xlarge"), CapacityType::kOnDemand, "zone-a", kT0,
                  Duration(0));
  }
  Deployment quick = App("quick", 10);
  quick.pod.startup_min = Duration(2);
  quick.pod.startup_max = Duration(5);
  fast.AddDeployment(quick);
  Deployment unset = App("web", 10);
  unset.pod.startup_min.reset();
  plain.AddDeployment(unset);
  reference.AddDeployment(App("web", 10));
  for (ClusterState* c : {&fast, &plain, &reference}) {
    c->Reconcile(kT0);
    for (Pod& p : c->pods()) c->Bind(p, 0, kT0);
  }
  for (const Pod& p : fast.pods()) {
    EXPECT_GE(p.ready_at - kT0, Duration(2));
    EXPECT_LE(p.ready_at - kT0, Duration(5));
  }
  for (size_t i = 0; i < plain.pods().size(); ++i)
    EXPECT_EQ(plain.pods()[i].ready_at, reference.pods()[i].ready_at);
}

TEST(ClusterTest, UnboundPodNeverTurnsReady) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  c.Reconcile(kT0 + Duration(3600));
  EXPECT_EQ(c.ReadyPods(d), 0);
  EXPECT_EQ(c.PendingPods(), 1);
}

TEST(ClusterTest, GracefulDeletionHoldsNodeButLeavesEndpointsAtOnce) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], n, kT0);
  c.Reconcile(kT0 + Duration(30));
  ASSERT_EQ(c.ReadyPods(d), 1);
  const int64_t uid = c.pods()[0].uid;
  const int cpu = c.pods()[0].spec.cpu_request_millicores;
  ASSERT_EQ(c.pods()[0].spec.termination_grace_seconds, 30);

  const Timestamp del = kT0 + Duration(100);
  c.deployment(d).replicas = 0;  // No replacement to confuse the node's accounting.
  c.DeletePod(c.pods()[0], del);
  Pod* p = FindPod(c, uid);
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->Serving());
  EXPECT_FALSE(p->ready);
  EXPECT_EQ(p->ready_transition, del);
  EXPECT_EQ(c.ReadyPods(d), 0);
  EXPECT_EQ(c.ActivePods(d), 0);
  EXPECT_EQ(p->gone_at, del + Duration(30));
  // The node still holds the pod's requests through the grace period.
  EXPECT_EQ(c.node(n).requested_millicores, cpu);
  EXPECT_EQ(c.node(n).pod_count, 1);

  c.Reconcile(del + Duration(29));
  EXPECT_NE(FindPod(c, uid), nullptr);
  EXPECT_EQ(c.node(n).requested_millicores, cpu);
  EXPECT_EQ(c.node(n).pod_count, 1);

  c.Reconcile(del + Duration(30));
  EXPECT_EQ(FindPod(c, uid), nullptr);
  EXPECT_EQ(c.node(n).requested_millicores, 0);
  EXPECT_EQ(c.node(n).requested_memory_bytes, 0);
  EXPECT_EQ(c.node(n).pod_count, 0);
}

TEST(ClusterTest, ZeroGraceReleasesAtOnce) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  Deployment pause = App("pause", 1);
  pause.pod.termination_grace_seconds = 0;
  pause.pod.priority = -10;
  const DeploymentId d = c.AddDeployment(pause);
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], n, kT0);
  ASSERT_EQ(c.node(n).pod_count, 1);
  c.deployment(d).replicas = 0;
  c.DeletePod(c.pods()[0], kT0 + Duration(5));
  EXPECT_EQ(c.pods()[0].node, kNoNode);
  EXPECT_EQ(c.pods()[0].gone_at, kT0 + Duration(5));
  EXPECT_EQ(c.node(n).requested_millicores, 0);
  EXPECT_EQ(c.node(n).pod_count, 0);
  c.Reconcile(kT0 + Duration(5));
  EXPECT_TRUE(c.pods().empty());
}

TEST(ClusterTest, DeletingAPodThatNeverStartedIsImmediate) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  ASSERT_EQ(c.pods()[0].spec.termination_grace_seconds, 30);
  c.deployment(d).replicas = 0;
  c.DeletePod(c.pods()[0], kT0 + Duration(1));
  EXPECT_EQ(c.pods()[0].gone_at, kT0 + Duration(1));
  c.Reconcile(kT0 + Duration(1));
  EXPECT_TRUE(c.pods().empty());
}

TEST(ClusterTest, DeletePodTwiceKeepsTheFirstDeletion) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], n, kT0);
  c.DeletePod(c.pods()[0], kT0 + Duration(10));
  c.DeletePod(c.pods()[0], kT0 + Duration(20));
  EXPECT_EQ(*c.pods()[0].deletion_at, kT0 + Duration(10));
  EXPECT_EQ(c.pods()[0].gone_at, kT0 + Duration(40));
  EXPECT_EQ(c.node(n).pod_count, 1);  // Released once, not twice.
  c.Reconcile(kT0 + Duration(40));
  EXPECT_EQ(c.node(n).pod_count, 0);
  EXPECT_EQ(c.node(n).requested_millicores, 0);
}

TEST(ClusterTest, DeploymentControllerCreatesAndDeletesToMatchReplicas) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const DeploymentId web = c.AddDeployment(App("web", 3));
  const DeploymentId api = c.AddDeployment(App("api", 1));
  c.Reconcile(kT0);
  EXPECT_EQ(c.ActivePods(web), 3);
  EXPECT_EQ(c.ActivePods(api), 1);
  EXPECT_EQ(c.counters().pods_created, 4);
  for (const Pod& p : c.pods()) {
    EXPECT_EQ(p.created_at, kT0);
    EXPECT_EQ(p.node, kNoNode);
    EXPECT_EQ(p.name.rfind(c.deployments()[static_cast<size_t>(p.deployment)].name + "-", 0), 0u)
        << p.name;
  }
  // Unique uids and names.
  std::vector<std::string> names;
  for (const Pod& p : c.pods()) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());

  c.Reconcile(kT0 + Duration(10));  // Idempotent at a fixed spec.
  EXPECT_EQ(c.ActivePods(web), 3);
  EXPECT_EQ(c.counters().pods_created, 4);

  c.deployment(web).replicas = 5;
  c.Reconcile(kT0 + Duration(20));
  EXPECT_EQ(c.ActivePods(web), 5);
  EXPECT_EQ(c.counters().pods_created, 6);

  c.deployment(web).replicas = 1;
  c.Reconcile(kT0 + Duration(30));
  EXPECT_EQ(c.ActivePods(web), 1);
  EXPECT_EQ(c.ActivePods(api), 1);
  c.Reconcile(kT0 + Duration(40));  // The unstarted pods are gone at once.
  EXPECT_EQ(Uids(c, web).size(), 1u);

  c.deployment(web).replicas = 0;
  c.Reconcile(kT0 + Duration(50));
  c.Reconcile(kT0 + Duration(60));
  EXPECT_TRUE(Uids(c, web).empty());
  EXPECT_EQ(c.ActivePods(api), 1);
}

TEST(ClusterTest, ReplacesATerminatingPodAtOnce) {
  // A pod being deleted does not count towards replicas: the ReplicaSet replaces it
  // while it drains.
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  c.Bind(c.pods()[0], n, kT0);
  c.DeletePod(c.pods()[0], kT0 + Duration(60));
  c.Reconcile(kT0 + Duration(60));
  EXPECT_EQ(c.ActivePods(d), 1);
  EXPECT_EQ(c.pods().size(), 2u);
  EXPECT_EQ(c.PendingPods(), 1);
}

// --- Scale-down order (ActivePodsWithRanks.Less) ---

TEST(ClusterTest, ScaleDownDeletesUnassignedBeforeAssigned) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  const int64_t old_pending = c.pods()[0].uid;  // Older, but never scheduled.
  c.deployment(d).replicas = 2;
  c.Reconcile(kT0 + Duration(10));
  const int64_t young_bound = c.pods()[1].uid;
  c.Bind(*FindPod(c, young_bound), n, kT0 + Duration(10));

  c.deployment(d).replicas = 1;
  c.Reconcile(kT0 + Duration(20));
  EXPECT_TRUE(Deleted(c, old_pending));
  EXPECT_FALSE(Deleted(c, young_bound));
}

TEST(ClusterTest, ScaleDownDeletesNotReadyBeforeReady) {
  ClusterState c(FixedStartup(Duration(60)), 1);
  const NodeId n1 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const NodeId n2 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-b", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  const int64_t older = c.pods()[0].uid;
  c.deployment(d).replicas = 2;
  c.Reconcile(kT0 + Duration(10));
  const int64_t newer = c.pods()[1].uid;
  c.Bind(*FindPod(c, newer), n1, kT0 + Duration(10));  // Ready at +70.
  c.Bind(*FindPod(c, older), n2, kT0 + Duration(50));  // Ready at +110.
  c.Reconcile(kT0 + Duration(80));
  ASSERT_TRUE(FindPod(c, newer)->ready);
  ASSERT_FALSE(FindPod(c, older)->ready);

  c.deployment(d).replicas = 1;
  c.Reconcile(kT0 + Duration(90));
  EXPECT_TRUE(Deleted(c, older));  // Older, but not ready.
  EXPECT_FALSE(Deleted(c, newer));
}

TEST(ClusterTest, ScaleDownDeletesDoubledUpPodsFirst) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n1 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const NodeId n2 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-b", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 2));
  c.Reconcile(kT0);
  const int64_t a = c.pods()[0].uid, b = c.pods()[1].uid;
  c.deployment(d).replicas = 3;
  c.Reconcile(kT0 + Duration(10));
  const int64_t lonely = c.pods()[2].uid;  // The newest: deleted first without ranks.
  const Timestamp bind = kT0 + Duration(10);
  c.Bind(*FindPod(c, a), n1, bind);
  c.Bind(*FindPod(c, b), n1, bind);
  c.Bind(*FindPod(c, lonely), n2, bind);
  c.Reconcile(bind + Duration(30));
  ASSERT_EQ(c.ReadyPods(d), 3);

  c.deployment(d).replicas = 2;
  c.Reconcile(bind + Duration(60));
  EXPECT_FALSE(Deleted(c, lonely));
  // One of the doubled-up pair goes; same age and readiness, so the higher uid.
  EXPECT_FALSE(Deleted(c, a));
  EXPECT_TRUE(Deleted(c, b));
}

TEST(ClusterTest, ScaleDownDeletesNewerFirst) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n1 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const NodeId n2 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-b", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  const int64_t older = c.pods()[0].uid;
  c.deployment(d).replicas = 2;
  c.Reconcile(kT0 + Duration(10));
  const int64_t newer = c.pods()[1].uid;
  // Bound together: ready at the same instant, so only the creation time differs.
  c.Bind(*FindPod(c, newer), n1, kT0 + Duration(10));
  c.Bind(*FindPod(c, older), n2, kT0 + Duration(10));
  c.Reconcile(kT0 + Duration(60));
  ASSERT_EQ(c.ReadyPods(d), 2);

  c.deployment(d).replicas = 1;
  c.Reconcile(kT0 + Duration(70));
  EXPECT_TRUE(Deleted(c, newer));
  EXPECT_FALSE(Deleted(c, older));
}

TEST(ClusterTest, ScaleDownDeletesReadyForLessTimeFirst) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const NodeId n1 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-a", kT0, Duration(0));
  const NodeId n2 = c.LaunchNode(XLarge(), CapacityType::kOnDemand, "zone-b", kT0, Duration(0));
  const DeploymentId d = c.AddDeployment(App("web", 1));
  c.Reconcile(kT0);
  const int64_t older = c.pods()[0].uid;
  c.deployment(d).replicas = 2;
  c.Reconcile(kT0 + Duration(10));
  const int64_t newer = c.pods()[1].uid;
  c.Bind(*FindPod(c, newer), n1, kT0 + Duration(10));  // Ready at +40.
  c.Bind(*FindPod(c, older), n2, kT0 + Duration(20));  // Ready at +50: less time ready.
  c.Reconcile(kT0 + Duration(60));
  ASSERT_EQ(c.ReadyPods(d), 2);

  c.deployment(d).replicas = 1;
  c.Reconcile(kT0 + Duration(70));
  EXPECT_TRUE(Deleted(c, older));
  EXPECT_FALSE(Deleted(c, newer));
}

// --- Eviction API and PodDisruptionBudgets ---

struct PdbFixture {
  ClusterState cluster{FixedStartup(Duration(30)), 1};
  DeploymentId d = 0;

  explicit PdbFixture(int replicas, int min_available) {
    const NodeId n = cluster.LaunchNode(*FindInstanceType("m5.4xlarge"), CapacityType::kOnDemand,
                                        "zone-a", kT0, Duration(0));
    Deployment dep = App("web", replicas);
    dep.pdb_min_available = min_available;
    d = cluster.AddDeployment(dep);
    cluster.Reconcile(kT0);
    for (Pod& p : cluster.pods()) cluster.Bind(p, n, kT0);
    cluster.Reconcile(kT0 + Duration(30));
  }
};

TEST(ClusterTest, EvictionRefusedWhenPdbMinAvailableWouldBreak) {
  PdbFixture f(/*replicas=*/3, /*min_available=*/2);
  ClusterState& c = f.cluster;
  ASSERT_EQ(c.ReadyPods(f.d), 3);
  const Timestamp t = kT0 + Duration(60);
  EXPECT_TRUE(c.EvictPod(c.pods()[0], t));  // 3 ready -> 2: allowed.
  EXPECT_TRUE(c.pods()[0].deletion_at.has_value());
  EXPECT_EQ(c.ReadyPods(f.d), 2);
  EXPECT_EQ(c.counters().evictions_refused, 0);

  EXPECT_FALSE(c.EvictPod(c.pods()[1], t));  // 2 ready -> 1 < 2: refused.
  EXPECT_FALSE(c.pods()[1].deletion_at.has_value());
  EXPECT_TRUE(c.pods()[1].Serving());
  EXPECT_FALSE(c.EvictPod(c.pods()[2], t));
  EXPECT_EQ(c.ReadyPods(f.d), 2);
  EXPECT_EQ(c.counters().evictions_refused, 2);
}

TEST(ClusterTest, EvictionOfUnreadyPodIgnoresPdb) {
  PdbFixture f(/*replicas=*/2, /*min_available=*/2);
  ClusterState& c = f.cluster;
  // A third pod, bound but not ready yet: the budget is at its floor, still evictable.
  c.deployment(f.d).replicas = 3;
  c.Reconcile(kT0 + Duration(40));
  Pod* starting = nullptr;
  for (Pod& p : c.pods()) {
    if (p.node == kNoNode) starting = &p;
  }
  ASSERT_NE(starting, nullptr);
  c.Bind(*starting, 0, kT0 + Duration(40));
  ASSERT_FALSE(starting->ready);
  EXPECT_TRUE(c.EvictPod(*starting, kT0 + Duration(50)));
  EXPECT_FALSE(c.EvictPod(c.pods()[0], kT0 + Duration(50)));
  EXPECT_EQ(c.counters().evictions_refused, 1);
}

TEST(ClusterTest, EvictionAllowedWithoutPdbOrWithSlack) {
  {
    PdbFixture f(/*replicas=*/2, /*min_available=*/-1);
    ClusterState& c = f.cluster;
    EXPECT_TRUE(c.EvictPod(c.pods()[0], kT0 + Duration(60)));
    EXPECT_TRUE(c.EvictPod(c.pods()[1], kT0 + Duration(60)));
    EXPECT_EQ(c.ReadyPods(f.d), 0);
  }
  {
    PdbFixture f(/*replicas=*/2, /*min_available=*/0);
    ClusterState& c = f.cluster;
    EXPECT_TRUE(c.EvictPod(c.pods()[0], kT0 + Duration(60)));
    EXPECT_TRUE(c.EvictPod(c.pods()[1], kT0 + Duration(60)));
    EXPECT_EQ(c.counters().evictions_refused, 0);
  }
}

// --- Toleration::Tolerates (core/v1 semantics) ---

struct TolerationCase {
  const char* name;
  Toleration toleration;
  Taint taint;
  bool tolerates;
};

TEST(ClusterTest, TolerationMatchesTaints) {
  using E = TaintEffect;
  const Taint gpu{"dedicated", "gpu", E::kNoSchedule};
  const TolerationCase cases[] = {
      {"equal key and value", {"dedicated", false, "gpu", std::nullopt}, gpu, true},
      {"equal, value differs", {"dedicated", false, "db", std::nullopt}, gpu, false},
      {"equal, empty value vs set", {"dedicated", false, "", std::nullopt}, gpu, false},
      {"exists ignores value", {"dedicated", true, "", std::nullopt}, gpu, true},
      {"key differs", {"other", true, "", std::nullopt}, gpu, false},
      {"effect matches", {"dedicated", false, "gpu", E::kNoSchedule}, gpu, true},
      {"effect differs", {"dedicated", false, "gpu", E::kNoExecute}, gpu, false},
      {"unset effect matches NoExecute",
       {"dedicated", true, "", std::nullopt},
       {"dedicated", "", E::kNoExecute},
       true},
      {"empty key + exists tolerates all", {"", true, "", std::nullopt}, gpu, true},
      {"empty key + exists + effect",
       {"", true, "", E::kNoExecute},
       {"anything", "x", E::kNoExecute},
       true},
      {"empty key + exists, other effect", {"", true, "", E::kNoExecute}, gpu, false},
      {"empty key + equal tolerates nothing", {"", false, "", std::nullopt}, gpu, false},
      {"unschedulable taint",
       {std::string(kTaintUnschedulable), true, "", E::kNoSchedule},
       {std::string(kTaintUnschedulable), "", E::kNoSchedule},
       true},
  };
  for (const TolerationCase& tc : cases) {
    EXPECT_EQ(tc.toleration.Tolerates(tc.taint), tc.tolerates) << tc.name;
  }
}

}  // namespace
}  // namespace prescient::sim
