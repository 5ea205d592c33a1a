// ClusterState: the kubelet (start-up delay, readiness, graceful termination), the
// deployment controller's ReplicaSets and rolling updates, the ReplicaSet controller (pod
// creation and upstream's scale-down order) and the eviction API with
// PodDisruptionBudgets; Toleration matching; generated names (names.h) and the rollout
// arithmetic (rollout.h).
// Hand-built scenarios: every pod and node is placed explicitly, times are fixed.

#include "prescient/sim/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "prescient/sim/instance_types.h"
#include "prescient/sim/names.h"
#include "prescient/sim/objects.h"
#include "prescient/sim/rollout.h"

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

// --- Names (names.h) ---

TEST(NamesTest, PodTemplateHashIsFnv32aPrintedInDecimalAndSafeEncoded) {
  // fnv32a("a") = 0xe40c292c = 3826002220 (the FNV test vector); digit d maps to
  // kNameAlphabet[(d + '0') % 27]: 0->4 1->5 2->6 3->7 4->8 5->9 6->b 7->c 8->d 9->f.
  EXPECT_EQ(PodTemplateHash("a"), "7d6b446664");
  // The empty key hashes to the offset basis 2166136261.
  EXPECT_EQ(PodTemplateHash(""), "65bb57b6b5");
  EXPECT_EQ(PodTemplateHash("web"), "6b9f6cd69");  // fnv32a("web") = 265927825.
  // A collision count appends 8 little-endian bytes, as ComputeHash does.
  EXPECT_EQ(PodTemplateHash("web", 0u), "85b48f9469");  // 4160495025.
  EXPECT_EQ(PodTemplateHash("web", 1u), "69f7d769f6");  // 2593832592.
  EXPECT_EQ(SafeEncodeString("0123456789"), "456789bcdf");
}

TEST(NamesTest, PodNameSuffixIsFiveAlphabetCharactersDistinctPerUid) {
  EXPECT_EQ(PodNameSuffix(1), "db7m6");
  EXPECT_EQ(PodNameSuffix(2), "fdkjn");
  std::set<std::string> seen;
  for (int64_t uid = 1; uid <= 100'000; ++uid) {
    const std::string s = PodNameSuffix(uid);
    ASSERT_EQ(s.size(), 5u);
    ASSERT_EQ(s.find_first_not_of(kNameAlphabet), std::string::npos) << s;
    ASSERT_TRUE(seen.insert(s).second) << "uid " << uid << " repeats " << s;
  }
}

TEST(ClusterTest, ReplicaSetAndPodNames) {
  ClusterState c(FixedStartup(Duration(30)), 1);
  const DeploymentId web = c.AddDeployment(App("web", 2), kT0);
  const Deployment& d = c.deployments()[static_cast<size_t>(web)];
  ASSERT_EQ(d.replica_sets.size(), 1u);
  const ReplicaSet& rs = d.current();
  EXPECT_EQ(rs.template_key, "web");  // The initial template's key: the name.
  EXPECT_EQ(rs.hash, "6b9f6cd69");
  EXPECT_EQ(rs.name, "web-6b9f6cd69");
  EXPECT_EQ(rs.revision, 1);
  EXPECT_EQ(rs.created_at, kT0);
  c.Reconcile(kT0);
  EXPECT_EQ(d.current().replicas, 2);
  ASSERT_EQ(c.pods().size(), 2u);
  EXPECT_EQ(c.pods()[0].name, "web-6b9f6cd69-db7m6");  // uid 1
  EXPECT_EQ(c.pods()[1].name, "web-6b9f6cd69-fdkjn");  // uid 2
  EXPECT_EQ(c.pods()[0].replica_set, 0);
}

// --- Rollout arithmetic (rollout.h) ---

TEST(RolloutTest, ResolveFencepostsRoundsSurgeUpAndUnavailableDown) {
  struct Case {
    IntOrPercent surge, unavailable;
    int replicas;
    int want_surge, want_unavailable;
  };
  const IntOrPercent p25 = IntOrPercent::Percent(25);
  const Case cases[] = {
      {p25, p25, 8, 2, 2},
      {p25, p25, 10, 3, 2},
      {p25, p25, 1, 1, 0},
      {p25, p25, 0, 0, 1},  // Both 0: unavailable 1.
      {IntOrPercent::Count(0), IntOrPercent::Count(0), 5, 0, 1},
      {IntOrPercent::Count(0), IntOrPercent::Count(1), 4, 0, 1},
      {IntOrPercent::Count(3), IntOrPercent::Percent(50), 5, 3, 2},
      {IntOrPercent::Percent(100), IntOrPercent::Percent(0), 3, 3, 0},
  };
  for (const Case& tc : cases) {
    const Fenceposts f = ResolveFenceposts({tc.surge, tc.unavailable}, tc.replicas);
    EXPECT_EQ(f.max_surge, tc.want_surge) << tc.replicas;
    EXPECT_EQ(f.max_unavailable, tc.want_unavailable) << tc.replicas;
  }
}

TEST(RolloutTest, OneSyncSurgesThenCutsOldWithinUnavailable) {
  // 8 ready old pods, new RS empty, 25%/25%: new 2, old 6, new 4, then stuck until the
  // new pods are ready (rolling.go's concrete steps).
  std::vector<ReplicaSetCounts> sets = {{8, 8}, {0, 0}};
  EXPECT_TRUE(RollReplicaSets(8, {2, 2}, 1, sets));
  EXPECT_EQ(sets[0].replicas, 6);
  EXPECT_EQ(sets[1].replicas, 4);
  EXPECT_FALSE(RollReplicaSets(8, {2, 2}, 1, sets));
  sets[1].available = 4;  // The new pods turn Ready.
  EXPECT_TRUE(RollReplicaSets(8, {2, 2}, 1, sets));
  EXPECT_EQ(sets[0].replicas, 2);
  EXPECT_EQ(sets[1].replicas, 8);
}

TEST(RolloutTest, UnhealthyOldReplicasGoFirst) {
  // An old RS with 3 unready pods of 8: they are cleaned up without touching availability.
  std::vector<ReplicaSetCounts> sets = {{8, 5}, {2, 0}};
  EXPECT_TRUE(RollReplicaSets(8, {2, 2}, 1, sets));
  // budget = 10 - 6 - 2 = 2 unready cleaned; available 5 <= 6: no further cut.
  EXPECT_EQ(sets[0].replicas, 6);
  EXPECT_EQ(sets[1].replicas, 4);
}

TEST(RolloutTest, SingleReplicaSetFollowsSpecReplicas) {
  std::vector<ReplicaSetCounts> sets = {{3, 3}};
  EXPECT_TRUE(RollReplicaSets(20, ResolveFenceposts({}, 20), 0, sets));
  EXPECT_EQ(sets[0].replicas, 20);
  EXPECT_TRUE(RollReplicaSets(1, ResolveFenceposts({}, 1), 0, sets));
  EXPECT_EQ(sets[0].replicas, 1);
  EXPECT_FALSE(RollReplicaSets(1, ResolveFenceposts({}, 1), 0, sets));
}

// --- Rollouts in the cluster ---

// A cluster with one roomy node; every new pod is bound at once, so a rollout's pace is
// set by start-up delays alone.
class RolloutScenario {
 public:
  explicit RolloutScenario(ClusterOptions options = FixedStartup(Duration(30)), uint64_t seed = 1)
      : c_(std::move(options), seed) {
    node_ = c_.LaunchNode(*FindInstanceType("m5.4xlarge"), CapacityType::kOnDemand, "zone-a", kT0,
                          Duration(0));
  }

  DeploymentId Add(int replicas, RollingUpdateStrategy strategy = {}) {
    Deployment d = App("web", replicas);
    d.pod.cpu_request_millicores = 100;
    d.pod.memory_request_bytes = int64_t{64} << 20;
    d.rolling_update = strategy;
    id_ = c_.AddDeployment(std::move(d), now_);
    return id_;
  }

  // One 10 s tick: the controllers, then the scheduler's part.
  void Step() {
    now_ += Duration(10);
    c_.Reconcile(now_);
    for (Pod& p : c_.pods()) {
      if (p.Active() && p.node == kNoNode) c_.Bind(p, node_, now_);
    }
    const DeploymentStatus s = c_.StatusOf(id_);
    max_active_ = std::max(max_active_, s.replicas);
    min_ready_ = std::min(min_ready_, s.ready_replicas);
  }
  void Run(Duration d) {
    for (const Timestamp end = now_ + d; now_ < end;) Step();
  }
  // Runs until every pod is of the current RS and ready (false after an hour).
  bool Settle() {
    for (int i = 0; i < 360; ++i) {
      Step();
      const Deployment& d = deployment();
      const DeploymentStatus s = c_.StatusOf(id_);
      if (s.updated_replicas == d.replicas && s.replicas == d.replicas &&
          s.available_replicas == d.replicas) {
        return true;
      }
    }
    return false;
  }
  void ResetWatermarks() {
    max_active_ = 0;
    min_ready_ = 1 << 30;
  }

  ClusterState& cluster() { return c_; }
  const Deployment& deployment() const { return c_.deployments()[static_cast<size_t>(id_)]; }
  Timestamp now() const { return now_; }
  int max_active() const { return max_active_; }
  int min_ready() const { return min_ready_; }

 private:
  ClusterState c_;
  NodeId node_ = kNoNode;
  DeploymentId id_ = 0;
  Timestamp now_ = kT0;
  int max_active_ = 0;
  int min_ready_ = 1 << 30;
};

PodTemplate Template(int cpu) {
  PodTemplate t;
  t.cpu_request_millicores = cpu;
  t.memory_request_bytes = int64_t{64} << 20;
  return t;
}

// Every live pod of the deployment belongs to the current RS and carries its name.
void ExpectAllPodsCurrent(ClusterState& c, DeploymentId id) {
  const Deployment& d = c.deployments()[static_cast<size_t>(id)];
  for (const Pod& p : c.pods()) {
    if (p.deployment != id || !p.Active()) continue;
    EXPECT_EQ(p.replica_set, d.current_replica_set) << p.name;
    EXPECT_EQ(p.name.rfind(d.current().name + "-", 0), 0u) << p.name;
    EXPECT_EQ(p.spec.cpu_request_millicores, d.current().pod.cpu_request_millicores) << p.name;
  }
}

TEST(ClusterTest, RollingUpdateStaysWithinSurgeAndUnavailable) {
  RolloutScenario s;
  const DeploymentId web = s.Add(8);
  ASSERT_TRUE(s.Settle());
  ASSERT_EQ(s.cluster().ReadyPods(web), 8);

  s.ResetWatermarks();
  EXPECT_EQ(s.cluster().UpdateTemplate(web, "web v2", Template(200), s.now()), 2);
  const Deployment& d = s.deployment();
  ASSERT_EQ(d.replica_sets.size(), 2u);
  EXPECT_EQ(d.current_replica_set, 1);
  EXPECT_EQ(d.current().replicas, 0);  // The controller scales it, not UpdateTemplate.
  EXPECT_EQ(d.current().name, "web-" + PodTemplateHash("web v2"));
  EXPECT_EQ(d.pod.cpu_request_millicores, 200);

  s.Step();  // Surge 2 new, cut 2 old, then 2 more new: 10 pods, 6 ready.
  EXPECT_EQ(d.replica_sets[0].replicas, 6);
  EXPECT_EQ(d.replica_sets[1].replicas, 4);
  const DeploymentStatus mid = s.cluster().StatusOf(web);
  EXPECT_EQ(mid.replicas, 10);
  EXPECT_EQ(mid.updated_replicas, 4);
  EXPECT_EQ(mid.ready_replicas, 6);
  EXPECT_EQ(mid.available_replicas, 6);
  EXPECT_EQ(mid.unavailable_replicas, 4);
  const ReplicaSetStatus new_rs = s.cluster().StatusOf(web, 1);
  EXPECT_EQ(new_rs.replicas, 4);
  EXPECT_EQ(new_rs.fully_labeled_replicas, 4);
  EXPECT_EQ(new_rs.ready_replicas, 0);

  ASSERT_TRUE(s.Settle());
  EXPECT_LE(s.max_active(), 10);
  EXPECT_EQ(s.max_active(), 10);  // The surge is used...
  EXPECT_GE(s.min_ready(), 6);    // ...and so is the unavailability budget.
  EXPECT_EQ(s.min_ready(), 6);
  EXPECT_EQ(d.replica_sets[0].replicas, 0);  // Kept for the history.
  EXPECT_EQ(d.replica_sets[1].replicas, 8);
  EXPECT_EQ(s.cluster().StatusOf(web, 0).replicas, 0);
  EXPECT_EQ(s.cluster().StatusOf(web, 1).available_replicas, 8);
  const DeploymentStatus done = s.cluster().StatusOf(web);
  EXPECT_EQ(done.updated_replicas, 8);
  EXPECT_EQ(done.ready_replicas, 8);
  EXPECT_EQ(done.unavailable_replicas, 0);
  ExpectAllPodsCurrent(s.cluster(), web);
}

TEST(ClusterTest, RollingUpdateWithoutSurgeReplacesOneAtATime) {
  RolloutScenario s;
  const DeploymentId web = s.Add(4, {IntOrPercent::Count(0), IntOrPercent::Count(1)});
  ASSERT_TRUE(s.Settle());
  s.ResetWatermarks();
  s.cluster().UpdateTemplate(web, "web v2", Template(200), s.now());
  s.Step();
  EXPECT_EQ(s.deployment().replica_sets[0].replicas, 3);
  EXPECT_EQ(s.deployment().replica_sets[1].replicas, 1);
  ASSERT_TRUE(s.Settle());
  EXPECT_EQ(s.max_active(), 4);
  EXPECT_EQ(s.min_ready(), 3);
  EXPECT_EQ(s.cluster().ReadyPods(web), 4);
  ExpectAllPodsCurrent(s.cluster(), web);
}

TEST(ClusterTest, RollbackReusesTheOldReplicaSet) {
  RolloutScenario s;
  const DeploymentId web = s.Add(3);
  ASSERT_TRUE(s.Settle());
  ClusterState& c = s.cluster();
  EXPECT_EQ(c.UpdateTemplate(web, "v2", Template(200), s.now()), 2);
  ASSERT_TRUE(s.Settle());
  EXPECT_EQ(c.UpdateTemplate(web, "v3", Template(300), s.now()), 3);
  ASSERT_TRUE(s.Settle());
  const std::string v2_name = s.deployment().replica_sets[1].name;

  // kubectl rollout undo: back from revision 3 to revision 2's template.
  const int64_t created = c.counters().pods_created;
  EXPECT_EQ(c.UpdateTemplate(web, "v2", Template(200), s.now()), 4);
  const Deployment& d = s.deployment();
  ASSERT_EQ(d.replica_sets.size(), 3u);  // No new ReplicaSet.
  EXPECT_EQ(d.current_replica_set, 1);
  EXPECT_EQ(d.current().name, v2_name);
  EXPECT_EQ(d.revision(), 4);
  EXPECT_EQ(d.current().revision_history, std::vector<int>{2});
  std::vector<int> revisions;  // What kubectl rollout history lists.
  for (const ReplicaSet& rs : d.replica_sets) revisions.push_back(rs.revision);
  std::sort(revisions.begin(), revisions.end());
  EXPECT_EQ(revisions, (std::vector<int>{1, 3, 4}));

  // The current template again: nothing changes.
  EXPECT_EQ(c.UpdateTemplate(web, "v2", Template(200), s.now()), 4);
  EXPECT_EQ(d.replica_sets.size(), 3u);
  EXPECT_EQ(d.current().revision_history, std::vector<int>{2});

  ASSERT_TRUE(s.Settle());
  EXPECT_EQ(c.counters().pods_created, created + 3);
  EXPECT_EQ(d.replica_sets[0].replicas, 0);
  EXPECT_EQ(d.replica_sets[1].replicas, 3);
  EXPECT_EQ(d.replica_sets[2].replicas, 0);
  ExpectAllPodsCurrent(c, web);
}

TEST(ClusterTest, HashCollisionBumpsCollisionCount) {
  // fnv32a("t439599") == fnv32a("t622382") == 2481609986: same hash, different templates.
  ASSERT_EQ(PodTemplateHash("t439599"), PodTemplateHash("t622382"));
  ClusterState c(FixedStartup(Duration(30)), 1);
  const DeploymentId web = c.AddDeployment(App("web", 1), kT0, "t439599");
  EXPECT_EQ(c.UpdateTemplate(web, "t622382", PodTemplate{}, kT0), 2);
  const Deployment& d = c.deployments()[static_cast<size_t>(web)];
  ASSERT_EQ(d.replica_sets.size(), 2u);
  EXPECT_EQ(d.collision_count, std::optional<uint32_t>(1));
  EXPECT_EQ(d.replica_sets[0].hash, PodTemplateHash("t439599"));
  EXPECT_EQ(d.replica_sets[1].hash, PodTemplateHash("t622382", 1u));
  EXPECT_NE(d.replica_sets[0].name, d.replica_sets[1].name);
}

TEST(ClusterTest, NoOpTemplateUpdateChangesNothing) {
  RolloutScenario s;
  const DeploymentId web = s.Add(3);
  ASSERT_TRUE(s.Settle());
  const int64_t created = s.cluster().counters().pods_created;
  EXPECT_EQ(s.cluster().UpdateTemplate(web, "web", s.deployment().pod, s.now()), 1);
  s.Run(Duration(300));
  EXPECT_EQ(s.deployment().replica_sets.size(), 1u);
  EXPECT_EQ(s.cluster().counters().pods_created, created);
}

TEST(ClusterTest, RestartRollsToANewReplicaSetWithTheSameSpec) {
  // kubectl rollout restart changes only an annotation: a new key, the same PodTemplate.
  RolloutScenario s;
  const DeploymentId web = s.Add(4);
  ASSERT_TRUE(s.Settle());
  const PodTemplate same = s.deployment().pod;
  EXPECT_EQ(s.cluster().UpdateTemplate(web, "web restartedAt=2023-11-14T22:13:00Z", same, s.now()),
            2);
  ASSERT_EQ(s.deployment().replica_sets.size(), 2u);
  EXPECT_NE(s.deployment().replica_sets[1].hash, s.deployment().replica_sets[0].hash);
  ASSERT_TRUE(s.Settle());
  EXPECT_EQ(s.cluster().StatusOf(web, 1).ready_replicas, 4);
  EXPECT_EQ(s.cluster().StatusOf(web, 0).replicas, 0);
  ExpectAllPodsCurrent(s.cluster(), web);
}

TEST(ClusterTest, ScalingMidRolloutEndsOnTheNewReplicaSet) {
  for (const int to : {14, 3}) {
    RolloutScenario s;
    const DeploymentId web = s.Add(8);
    ASSERT_TRUE(s.Settle());
    s.cluster().UpdateTemplate(web, "web v2", Template(200), s.now());
    s.Run(Duration(40));  // In the middle: both RSs have pods.
    ASSERT_GT(s.cluster().StatusOf(web, 0).replicas, 0);
    ASSERT_GT(s.cluster().StatusOf(web, 1).replicas, 0);
    s.ResetWatermarks();
    s.cluster().deployment(web).replicas = to;  // The HPA.
    ASSERT_TRUE(s.Settle()) << to;
    const Fenceposts f = ResolveFenceposts({}, to);
    EXPECT_LE(s.max_active(), std::max(10, to + f.max_surge)) << to;
    EXPECT_EQ(s.cluster().StatusOf(web, 1).available_replicas, to);
    EXPECT_EQ(s.deployment().replica_sets[0].replicas, 0);
    ExpectAllPodsCurrent(s.cluster(), web);
  }
}

TEST(ClusterTest, PodsDeletedDuringARolloutAreReplaced) {
  RolloutScenario s;
  const DeploymentId web = s.Add(8);
  ASSERT_TRUE(s.Settle());
  s.ResetWatermarks();
  ClusterState& c = s.cluster();
  c.UpdateTemplate(web, "web v2", Template(200), s.now());
  s.Run(Duration(40));
  // One ready pod of each ReplicaSet is deleted (kubectl delete pod, a node drain).
  for (ReplicaSetIndex rs : {0, 1}) {
    for (Pod& p : c.pods()) {
      if (p.deployment == web && p.replica_set == rs && p.Serving()) {
        c.DeletePod(p, s.now());
        break;
      }
    }
  }
  ASSERT_TRUE(s.Settle());
  EXPECT_LE(s.max_active(), 10);
  EXPECT_EQ(c.StatusOf(web, 1).available_replicas, 8);
  EXPECT_EQ(c.StatusOf(web, 0).replicas, 0);
  ExpectAllPodsCurrent(c, web);
}

TEST(ClusterTest, OldReplicaSetsBeyondTheHistoryLimitAreDropped) {
  RolloutScenario s;
  const DeploymentId web = s.Add(2);
  s.cluster().deployment(web).revision_history_limit = 2;
  ASSERT_TRUE(s.Settle());
  for (int v = 2; v <= 6; ++v) {
    s.cluster().UpdateTemplate(web, "v" + std::to_string(v), Template(100 + v), s.now());
    ASSERT_TRUE(s.Settle()) << v;
    s.Run(Duration(60));  // The old pods' grace period ends.
  }
  const Deployment& d = s.deployment();
  ASSERT_EQ(d.replica_sets.size(), 3u);  // The current one and 2 old ones.
  EXPECT_EQ(d.replica_sets[0].revision, 4);
  EXPECT_EQ(d.replica_sets[1].revision, 5);
  EXPECT_EQ(d.revision(), 6);
  EXPECT_EQ(d.current_replica_set, 2);
  EXPECT_EQ(s.cluster().StatusOf(web, 2).ready_replicas, 2);
  ExpectAllPodsCurrent(s.cluster(), web);
}

TEST(ClusterTest, RolloutIsDeterministicForASeed) {
  auto run = [](uint64_t seed) {
    ClusterOptions o;  // Start-ups drawn from 30-120 s.
    RolloutScenario r(o, seed);
    const DeploymentId web = r.Add(8);
    EXPECT_TRUE(r.Settle());
    r.cluster().UpdateTemplate(web, "web v2", Template(200), r.now());
    std::vector<std::string> trace;
    for (int i = 0; i < 40; ++i) {
      r.Step();
      for (const Pod& p : r.cluster().pods()) {
        trace.push_back(p.name + " " + std::to_string(p.ready_at.time_since_epoch().count()) +
                        (p.ready ? " ready" : "") + (p.deletion_at ? " deleting" : ""));
      }
    }
    return trace;
  };
  const std::vector<std::string> a = run(3);
  EXPECT_EQ(a, run(3));
  EXPECT_NE(a, run(4));
}

}  // namespace
}  // namespace prescient::sim
