// Tests pinned to upstream Kubernetes' own worked examples: the table cases of
// pkg/controller/podautoscaler/replica_calculator_test.go and horizontal_test.go, ported
// one by one (test names follow upstream; the upstream name is in each comment), then a
// few multi-sync scenarios and the failure and overflow paths.
//
// Upstream's fixtures, reproduced here:
//  - replica_calculator_test.go: two containers a pod, each with the listed request and
//    usage (so a pod's request and usage are twice the listed values); no
//    lastTransitionTime; metric timestamp zero with a one-minute window; tolerance 0.1,
//    cpu-initialization-period 2 min, initial-readiness-delay 10 s.
//  - horizontal_test.go: the listed request and level split in halves over two
//    containers (integer halves); lastTransitionTime = start time; metric timestamp now
//    with a one-minute window; downscale window 5 min. Behavior nil unless scale rules
//    are given, so most controller tests run the pre-behavior path.
//  - "hot" pods started now, "cool" ones 3 min ago; Go's zero time is our epoch.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/scaling/hpa_controller.h"
#include "prescient/scaling/hpa_replica_calculator.h"

namespace prescient::scaling {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Phase = HpaPod::Phase;

constexpr Timestamp kNow{seconds{1'700'000'000}};
constexpr Timestamp kZero{};  // Go's time.Time{}
constexpr bool T = true;
constexpr bool F = false;

// prefix followed by i. Appends rather than `"literal" + std::to_string(i)`, which trips GCC 12's
// false -Wrestrict at -O3 (GCC PR105329).
std::string Name(std::string_view prefix, size_t i) {
  std::string name(prefix);
  name += std::to_string(i);
  return name;
}

Timestamp Hot() { return kNow; }                // hotCPUCreationTime
Timestamp Cool() { return kNow - minutes(3); }  // coolCPUCreationTime

// defaultTestingTolerance, defaultTestingCPUInitializationPeriod,
// defaultTestingDelayOfInitialReadinessStatus (replica_calculator.go).
HpaOptions TestingOptions() {
  HpaOptions o;
  o.tolerance = 0.1;
  o.cpu_initialization_period = minutes(2);
  o.initial_readiness_delay = seconds(10);
  o.downscale_stabilization_window = minutes(5);
  return o;
}

// ---------------------------------------------------------------------------------------
// replica_calculator_test.go

struct ReplicaCalcCase {
  std::string name;  // the upstream test
  int current_replicas = 0;
  int expected_replicas = 0;
  std::vector<double> requests_cores;  // per container, both containers
  std::vector<int64_t> levels;         // makePodMetricLevels: per container millicores
  std::vector<bool> readiness;         // podReadiness, default True
  std::vector<Timestamp> start_times;  // podStartTime, default zero
  std::vector<Phase> phases;           // podPhase, default Running
  std::vector<bool> deleting;          // podDeletionTimestamp
  int target = 0;
  int expected_utilization = 0;
  int64_t expected_value = 0;
  std::string expected_error;
};

// replicaCalcTestCase.prepareTestClientSet + prepareTestMetricsClient.
std::vector<HpaPod> BuildPods(const ReplicaCalcCase& tc) {
  const size_t count = std::max(static_cast<size_t>(tc.current_replicas), tc.phases.size());
  std::vector<HpaPod> pods(count);
  for (size_t i = 0; i < count; ++i) {
    HpaPod& p = pods[i];
    p.name = Name("test-pod-", i);
    p.ready = i < tc.readiness.size() ? tc.readiness[i] : true;
    p.start_time = i < tc.start_times.size() ? tc.start_times[i] : kZero;
    p.phase = i < tc.phases.size() ? tc.phases[i] : Phase::kRunning;
    p.deleting = i < tc.deleting.size() && tc.deleting[i];
    p.ready_transition = kZero;
    if (i < tc.requests_cores.size()) p.cpu_request_millicores = 2 * 1000 * tc.requests_cores[i];
    if (i < tc.levels.size()) {
      p.has_metric = true;
      p.cpu_usage_millicores = 2 * static_cast<double>(tc.levels[i]);
      p.metric_timestamp = kZero;
      p.metric_window = minutes(1);
    }
  }
  return pods;
}

void PrintTo(const ReplicaCalcCase& c, std::ostream* os) { *os << c.name; }

class ReplicaCalcTest : public testing::TestWithParam<ReplicaCalcCase> {};

TEST_P(ReplicaCalcTest, MatchesUpstream) {
  const ReplicaCalcCase& tc = GetParam();
  const std::vector<HpaPod> pods = BuildPods(tc);
  Result<ReplicaCalculation> r =
      GetResourceReplicas(tc.current_replicas, tc.target, pods, kNow, TestingOptions());
  if (!tc.expected_error.empty()) {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(tc.expected_error), std::string::npos)
        << r.status().ToString();
    return;
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->replicas, tc.expected_replicas);
  EXPECT_EQ(r->utilization_percent, tc.expected_utilization);
  EXPECT_EQ(r->raw_utilization_millicores, static_cast<double>(tc.expected_value));
}

constexpr int64_t kContainers = 2;  // numContainersPerPod

INSTANTIATE_TEST_SUITE_P(
    Upstream, ReplicaCalcTest,
    testing::Values(
        // TestReplicaCalcScaleUp
        ReplicaCalcCase{.name = "ScaleUp",
                        .current_replicas = 3,
                        .expected_replicas = 5,
                        .requests_cores = {1, 1, 1},
                        .levels = {300, 500, 700},
                        .target = 30,
                        .expected_utilization = 50,
                        .expected_value = kContainers * 500},
        // TestReplicaCalcScaleUpUnreadyLessScale
        ReplicaCalcCase{.name = "ScaleUpUnreadyLessScale",
                        .current_replicas = 3,
                        .expected_replicas = 4,
                        .requests_cores = {1, 1, 1},
                        .levels = {300, 500, 700},
                        .readiness = {F, T, T},
                        .target = 30,
                        .expected_utilization = 60,
                        .expected_value = kContainers * 600},
        // TestReplicaCalcScaleUpHotCpuLessScale
        ReplicaCalcCase{.name = "ScaleUpHotCpuLessScale",
                        .current_replicas = 3,
                        .expected_replicas = 4,
                        .requests_cores = {1, 1, 1},
                        .levels = {300, 500, 700},
                        .start_times = {Hot(), Cool(), Cool()},
                        .target = 30,
                        .expected_utilization = 60,
                        .expected_value = kContainers * 600},
        // TestReplicaCalcScaleUpUnreadyNoScale
        ReplicaCalcCase{.name = "ScaleUpUnreadyNoScale",
                        .current_replicas = 3,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1},
                        .levels = {400, 500, 700},
                        .readiness = {T, F, F},
                        .target = 30,
                        .expected_utilization = 40,
                        .expected_value = kContainers * 400},
        // TestReplicaCalcScaleHotCpuNoScale
        ReplicaCalcCase{.name = "ScaleHotCpuNoScale",
                        .current_replicas = 3,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1},
                        .levels = {400, 500, 700},
                        .readiness = {T, F, F},
                        .start_times = {Cool(), Hot(), Hot()},
                        .target = 30,
                        .expected_utilization = 40,
                        .expected_value = kContainers * 400},
        // TestReplicaCalcScaleUpIgnoresFailedPods
        ReplicaCalcCase{
            .name = "ScaleUpIgnoresFailedPods",
            .current_replicas = 2,
            .expected_replicas = 4,
            .requests_cores = {1, 1, 1, 1},
            .levels = {500, 700},
            .readiness = {T, T, F, F},
            .phases = {Phase::kRunning, Phase::kRunning, Phase::kFailed, Phase::kFailed},
            .target = 30,
            .expected_utilization = 60,
            .expected_value = kContainers * 600},
        // TestReplicaCalcScaleUpIgnoresDeletionPods
        ReplicaCalcCase{
            .name = "ScaleUpIgnoresDeletionPods",
            .current_replicas = 2,
            .expected_replicas = 4,
            .requests_cores = {1, 1, 1, 1},
            .levels = {500, 700},
            .readiness = {T, T, F, F},
            .phases = {Phase::kRunning, Phase::kRunning, Phase::kRunning, Phase::kRunning},
            .deleting = {F, F, T, T},
            .target = 30,
            .expected_utilization = 60,
            .expected_value = kContainers * 600},
        // TestReplicaCalcScaleDown
        ReplicaCalcCase{.name = "ScaleDown",
                        .current_replicas = 5,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1, 1, 1},
                        .levels = {100, 300, 500, 250, 250},
                        .target = 50,
                        .expected_utilization = 28,
                        .expected_value = kContainers * 280},
        // TestReplicaCalcScaleDownExcludeUnreadyPods
        ReplicaCalcCase{.name = "ScaleDownExcludeUnreadyPods",
                        .current_replicas = 5,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1, 1, 1, 1},
                        .levels = {100, 300, 500, 250, 250},
                        .readiness = {T, T, T, F, F},
                        .target = 50,
                        .expected_utilization = 30,
                        .expected_value = kContainers * 300},
        // TestReplicaCalcScaleDownExcludeUnscheduledPods
        ReplicaCalcCase{.name = "ScaleDownExcludeUnscheduledPods",
                        .current_replicas = 5,
                        .expected_replicas = 1,
                        .requests_cores = {1, 1, 1, 1, 1},
                        .levels = {100},
                        .readiness = {T, F, F, F, F},
                        .phases = {Phase::kRunning, Phase::kPending, Phase::kPending,
                                   Phase::kPending, Phase::kPending},
                        .target = 50,
                        .expected_utilization = 10,
                        .expected_value = kContainers * 100},
        // TestReplicaCalcScaleDownIgnoreHotCpuPods
        ReplicaCalcCase{.name = "ScaleDownIgnoreHotCpuPods",
                        .current_replicas = 5,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1, 1, 1, 1},
                        .levels = {100, 300, 500, 250, 250},
                        .start_times = {Cool(), Cool(), Cool(), Hot(), Hot()},
                        .target = 50,
                        .expected_utilization = 30,
                        .expected_value = kContainers * 300},
        // TestReplicaCalcScaleDownIgnoresFailedPods
        ReplicaCalcCase{
            .name = "ScaleDownIgnoresFailedPods",
            .current_replicas = 5,
            .expected_replicas = 3,
            .requests_cores = {1, 1, 1, 1, 1, 1, 1},
            .levels = {100, 300, 500, 250, 250},
            .readiness = {T, T, T, T, T, F, F},
            .phases = {Phase::kRunning, Phase::kRunning, Phase::kRunning, Phase::kRunning,
                       Phase::kRunning, Phase::kFailed, Phase::kFailed},
            .target = 50,
            .expected_utilization = 28,
            .expected_value = kContainers * 280},
        // TestReplicaCalcScaleDownIgnoresDeletionPods
        ReplicaCalcCase{.name = "ScaleDownIgnoresDeletionPods",
                        .current_replicas = 5,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1, 1, 1, 1, 1},
                        .levels = {100, 300, 500, 250, 250},
                        .readiness = {T, T, T, T, T, F, F},
                        .phases = std::vector<Phase>(7, Phase::kRunning),
                        .deleting = {F, F, F, F, F, T, T},
                        .target = 50,
                        .expected_utilization = 28,
                        .expected_value = kContainers * 280},
        // TestReplicaCalcTolerance
        ReplicaCalcCase{.name = "Tolerance",
                        .current_replicas = 3,
                        .expected_replicas = 3,
                        .requests_cores = {0.9, 1.0, 1.1},
                        .levels = {1010, 1030, 1020},
                        .target = 100,
                        .expected_utilization = 102,
                        .expected_value = kContainers * 1020},
        // TestReplicaCalcMissingMetrics
        ReplicaCalcCase{.name = "MissingMetrics",
                        .current_replicas = 4,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1, 1},
                        .levels = {400, 95},
                        .target = 100,
                        .expected_utilization = 24,
                        .expected_value = 495},
        // TestReplicaCalcEmptyMetrics
        ReplicaCalcCase{.name = "EmptyMetrics",
                        .current_replicas = 4,
                        .requests_cores = {1, 1, 1},
                        .target = 100,
                        .expected_error = "unable to get metrics for resource cpu: no metrics "
                                          "returned from resource metrics API"},
        // TestReplicaCalcEmptyCPURequest
        ReplicaCalcCase{.name = "EmptyCPURequest",
                        .current_replicas = 1,
                        .levels = {200},
                        .target = 100,
                        .expected_error = "missing request for"},
        // TestReplicaCalcMissingMetricsNoChangeEq
        ReplicaCalcCase{.name = "MissingMetricsNoChangeEq",
                        .current_replicas = 2,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1},
                        .levels = {1000},
                        .target = 100,
                        .expected_utilization = 100,
                        .expected_value = kContainers * 1000},
        // TestReplicaCalcMissingMetricsNoChangeGt
        ReplicaCalcCase{.name = "MissingMetricsNoChangeGt",
                        .current_replicas = 2,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1},
                        .levels = {1900},
                        .target = 100,
                        .expected_utilization = 190,
                        .expected_value = kContainers * 1900},
        // TestReplicaCalcMissingMetricsNoChangeLt
        ReplicaCalcCase{.name = "MissingMetricsNoChangeLt",
                        .current_replicas = 2,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1},
                        .levels = {600},
                        .target = 100,
                        .expected_utilization = 60,
                        .expected_value = kContainers * 600},
        // TestReplicaCalcMissingMetricsUnreadyChange
        ReplicaCalcCase{.name = "MissingMetricsUnreadyChange",
                        .current_replicas = 3,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1},
                        .levels = {100, 450},
                        .readiness = {F, T, T},
                        .target = 50,
                        .expected_utilization = 45,
                        .expected_value = kContainers * 450},
        // TestReplicaCalcMissingMetricsHotCpuNoChange
        ReplicaCalcCase{.name = "MissingMetricsHotCpuNoChange",
                        .current_replicas = 3,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1},
                        .levels = {100, 450},
                        .start_times = {Hot(), Cool(), Cool()},
                        .target = 50,
                        .expected_utilization = 45,
                        .expected_value = kContainers * 450},
        // TestReplicaCalcMissingMetricsUnreadyScaleUp
        ReplicaCalcCase{.name = "MissingMetricsUnreadyScaleUp",
                        .current_replicas = 3,
                        .expected_replicas = 4,
                        .requests_cores = {1, 1, 1},
                        .levels = {100, 2000},
                        .readiness = {F, T, T},
                        .target = 50,
                        .expected_utilization = 200,
                        .expected_value = kContainers * 2000},
        // TestReplicaCalcMissingMetricsHotCpuScaleUp
        ReplicaCalcCase{.name = "MissingMetricsHotCpuScaleUp",
                        .current_replicas = 3,
                        .expected_replicas = 4,
                        .requests_cores = {1, 1, 1},
                        .levels = {100, 2000},
                        .readiness = {F, T, T},
                        .start_times = {Hot(), Cool(), Cool()},
                        .target = 50,
                        .expected_utilization = 200,
                        .expected_value = kContainers * 2000},
        // TestReplicaCalcMissingMetricsUnreadyScaleDown
        ReplicaCalcCase{.name = "MissingMetricsUnreadyScaleDown",
                        .current_replicas = 4,
                        .expected_replicas = 3,
                        .requests_cores = {1, 1, 1, 1},
                        .levels = {100, 100, 100},
                        .readiness = {F, T, T, T},
                        .target = 50,
                        .expected_utilization = 10,
                        .expected_value = kContainers * 100},
        // TestReplicaCalcMissingMetricsScaleDownTargetOver100
        ReplicaCalcCase{.name = "MissingMetricsScaleDownTargetOver100",
                        .current_replicas = 4,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1, 2, 2},
                        .levels = {200, 100, 100},
                        .readiness = {F, T, T, T},
                        .target = 300,
                        .expected_utilization = 6,
                        .expected_value = kContainers * 100},
        // TestReplicaCalcDuringRollingUpdateWithMaxSurge
        ReplicaCalcCase{.name = "DuringRollingUpdateWithMaxSurge",
                        .current_replicas = 2,
                        .expected_replicas = 2,
                        .requests_cores = {1, 1, 1},
                        .levels = {100, 100},
                        .phases = {Phase::kRunning, Phase::kRunning, Phase::kRunning},
                        .target = 50,
                        .expected_utilization = 10,
                        .expected_value = kContainers * 100}),
    [](const testing::TestParamInfo<ReplicaCalcCase>& p) { return p.param.name; });

// TestReplicaCalcComputedToleranceAlgImplementation: back-calculates the smallest target
// that breaches the tolerance, then one just inside it.
TEST(ReplicaCalcTest, ComputedToleranceAlgImplementation) {
  const int start_pods = 10;
  const int64_t total_used = int64_t{start_pods} * 150;  // 150 mCPU per pod
  const int64_t total_requested = 2 * total_used;        // each pod asks for 2x
  const double requested_to_used = static_cast<double>(total_requested / total_used);
  const int64_t per_pod_requested = total_requested / start_pods;
  double target = std::abs(1 / (requested_to_used * (1 - 0.1))) + .01;
  int final_cpu_percent_target = static_cast<int>(target * 100);
  const double resources_used_ratio =
      static_cast<double>(total_used) / (static_cast<double>(total_requested) * target);
  const int final_pods = static_cast<int>(std::ceil(resources_used_ratio * start_pods));

  ReplicaCalcCase tc{.current_replicas = start_pods,
                     .expected_replicas = final_pods,
                     .levels = std::vector<int64_t>(10, total_used / 10),
                     .target = final_cpu_percent_target,
                     .expected_utilization = static_cast<int>(total_used * 100 / total_requested),
                     .expected_value = kContainers * total_used / 10};
  for (int64_t delta : {100, -100, 10, -10, 2, -2, 1, -1, 0, 0}) {
    tc.requests_cores.push_back(static_cast<double>(per_pod_requested + delta) / 1000);
  }
  std::vector<HpaPod> pods = BuildPods(tc);
  Result<ReplicaCalculation> r =
      GetResourceReplicas(tc.current_replicas, tc.target, pods, kNow, TestingOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->replicas, final_pods);
  EXPECT_EQ(r->utilization_percent, tc.expected_utilization);
  EXPECT_EQ(r->raw_utilization_millicores, static_cast<double>(tc.expected_value));

  // "no scaling happens if we are in a very close margin to the tolerance".
  target = std::abs(1 / (requested_to_used * (1 - 0.1))) + .004;
  final_cpu_percent_target = static_cast<int>(target * 100);
  r = GetResourceReplicas(start_pods, final_cpu_percent_target, pods, kNow, TestingOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->replicas, start_pods);
}

// TestGroupPods (the CPU cases; the memory case has no counterpart here).
TEST(ReplicaCalcTest, GroupPods) {
  struct Case {
    std::string name;
    std::vector<HpaPod> pods;
    int ready;
    std::vector<std::string> unready, missing, ignored;
  };
  auto pod = [](std::string name, Phase phase) {
    HpaPod p;
    p.name = std::move(name);
    p.phase = phase;
    p.has_start_time = false;
    p.has_ready_condition = false;
    return p;
  };
  auto started = [&](std::string name, Timestamp start) {
    HpaPod p = pod(std::move(name), Phase::kSucceeded);
    p.has_start_time = true;
    p.start_time = start;
    return p;
  };
  auto with_ready = [](HpaPod p, bool ready, Timestamp transition) {
    p.has_ready_condition = true;
    p.ready = ready;
    p.ready_transition = transition;
    return p;
  };
  auto with_metric = [](HpaPod p, Timestamp ts = kZero, Duration window = Duration{0}) {
    p.has_metric = true;
    p.cpu_usage_millicores = 1;
    p.metric_timestamp = ts;
    p.metric_window = window;
    return p;
  };
  HpaPod deleted = with_metric(pod("deleted", Phase::kPending));
  deleted.deleting = true;
  const std::vector<Case> cases = {
      {"void", {}, 0, {}, {}, {}},
      {"unready a pod without ready condition - CPU",
       {with_metric(started("lucretius", kNow))},
       0,
       {"lucretius"},
       {},
       {}},
      {"count in a ready pod with fresh metrics during initialization period - CPU",
       {with_metric(with_ready(started("bentham", kNow - minutes(1)), T, kNow - seconds(30)), kNow,
                    seconds(30))},
       1,
       {},
       {},
       {}},
      {"unready a ready pod without fresh metrics during initialization period - CPU",
       {with_metric(with_ready(started("bentham", kNow - minutes(1)), T, kNow - seconds(30)), kNow,
                    seconds(60))},
       0,
       {"bentham"},
       {},
       {}},
      {"unready an unready pod during initialization period - CPU",
       {with_metric(with_ready(started("lucretius", kNow - minutes(10)), F,
                               kNow - minutes(9) - seconds(54)))},
       0,
       {"lucretius"},
       {},
       {}},
      {"count in a ready pod without fresh metrics after initialization period - CPU",
       {with_metric(with_ready(started("bentham", kNow - minutes(3)), T, kNow - minutes(3)),
                    kNow - minutes(2), minutes(1))},
       1,
       {},
       {},
       {}},
      {"count in an unready pod that was ready after initialization period - CPU",
       {with_metric(with_ready(started("lucretius", kNow - minutes(10)), F, kNow - minutes(9)))},
       1,
       {},
       {},
       {}},
      {"unready pod that has never been ready after initialization period - CPU",
       {with_metric(with_ready(started("lucretius", kNow - minutes(10)), F,
                               kNow - minutes(9) - seconds(50)))},
       1,
       {},
       {},
       {}},
      {"a missing pod", {started("epicurus", kNow - minutes(3))}, 0, {}, {"epicurus"}, {}},
      {"several pods",
       {with_metric(started("lucretius", kNow)),
        with_metric(with_ready(started("niccolo", kNow - minutes(3)), T, kNow - minutes(3))),
        started("epicurus", kNow - minutes(3))},
       1,
       {"lucretius"},
       {"epicurus"},
       {}},
      {"pending pods are unreadied",
       {pod("unscheduled", Phase::kPending)},
       0,
       {"unscheduled"},
       {},
       {}},
      {"ignore pods with deletion timestamps", {deleted}, 0, {}, {}, {"deleted"}},
      {"ignore pods in a failed state",
       {with_metric(pod("failed", Phase::kFailed))},
       0,
       {},
       {},
       {"failed"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const PodGroups g = GroupPods(c.pods, kNow, TestingOptions());
    EXPECT_EQ(g.ready_pod_count, c.ready);
    EXPECT_EQ(g.unready, c.unready);
    EXPECT_EQ(g.missing, c.missing);
    EXPECT_EQ(g.ignored, c.ignored);
  }
}

// Not upstream: readiness status Unknown is not False, so past initialisation such a pod
// counts (groupPods compares with v1.ConditionFalse).
TEST(ReplicaCalcTest, ReadyStatusUnknownIsNotFalse) {
  HpaPod p{.name = "lost",
           .start_time = kNow - minutes(10),
           .ready = false,
           .ready_status_unknown = true,
           .ready_transition = kNow - minutes(10) + seconds(5),
           .has_metric = true,
           .metric_timestamp = kNow};
  EXPECT_EQ(GroupPods(std::span(&p, 1), kNow, TestingOptions()).ready_pod_count, 1);
  p.ready_status_unknown = false;
  EXPECT_EQ(GroupPods(std::span(&p, 1), kNow, TestingOptions()).ready_pod_count, 0);
}

TEST(ReplicaCalcTest, RejectsInputTheApiServerWould) {
  HpaPod p{.name = "p",
           .cpu_request_millicores = 1000,
           .has_metric = true,
           .cpu_usage_millicores = std::nan("")};
  Result<ReplicaCalculation> r = GetResourceReplicas(1, 50, std::span(&p, 1), kNow, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("pod p"), std::string::npos);
  p.cpu_usage_millicores = 500;
  EXPECT_EQ(GetResourceReplicas(1, 0, std::span(&p, 1), kNow, {}).status().code(),
            StatusCode::kInvalidArgument);
  p.cpu_request_millicores = -1;
  EXPECT_EQ(GetResourceReplicas(1, 50, std::span(&p, 1), kNow, {}).status().code(),
            StatusCode::kInvalidArgument);
}

// Where Go's int32/int64 arithmetic would wrap we saturate or widen; nothing here may
// overflow (this test is also meant for the ASan+UBSan build).
TEST(ReplicaCalcTest, HugeValuesSaturateInsteadOfOverflowing) {
  // Every pod at 1e12 m on a 1 m request: the percentage saturates, and so does the count.
  std::vector<HpaPod> pods(1000);
  for (size_t i = 0; i < pods.size(); ++i) {
    pods[i] = HpaPod{.name = Name("p", i),
                     .ready = true,
                     .cpu_request_millicores = 1,
                     .has_metric = true,
                     .cpu_usage_millicores = 1e12};
  }
  Result<ReplicaCalculation> r = GetResourceReplicas(1000, 1, pods, kNow, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->utilization_percent, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(r->replicas, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(r->raw_utilization_millicores, 1e12);

  // Idle pods and one missing: its scale-down fallback, request x target / 100 =
  // 1e12 m x 2^30 % / 100, is past int64.
  for (HpaPod& p : pods) {
    p.cpu_request_millicores = 1e12;
    p.cpu_usage_millicores = 0;
  }
  pods[0].has_metric = false;
  r = GetResourceReplicas(1000, 1 << 30, pods, kNow, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->utilization_percent, 0);
  EXPECT_EQ(r->replicas, 1);  // new utilization 1073741 % of a 2^30 % target
}

// ---------------------------------------------------------------------------------------
// horizontal_test.go: whole syncs through HpaController::Reconcile.

// generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow).
HpaScalingRules GenerateScalingRules(int pods, int pods_period, int percent, int percent_period,
                                     int stabilization_window) {
  HpaScalingRules rules{.stabilization_window = seconds(stabilization_window),
                        .select = HpaScalingRules::Select::kMax};
  if (pods != 0) {
    rules.policies.push_back({HpaScalingPolicy::Type::kPods, pods, seconds(pods_period)});
  }
  if (percent != 0) {
    rules.policies.push_back({HpaScalingPolicy::Type::kPercent, percent, seconds(percent_period)});
  }
  return rules;
}

struct ControllerCase {
  std::string name;  // the upstream test
  int min_replicas = 0;
  int max_replicas = 0;
  int spec_replicas = 0;
  int status_replicas = 0;
  int expected_desired_replicas = 0;
  int cpu_target = 0;
  std::vector<uint64_t> reported_levels;
  std::optional<std::vector<double>> reported_cpu_requests;  // cores; nullopt = 1.0 each
  std::vector<bool> readiness;
  std::vector<Timestamp> start_times;
  std::vector<Phase> phases;
  std::vector<bool> deleting;
  std::optional<HpaScalingRules> scale_up_rules;
  std::optional<HpaScalingRules> scale_down_rules;
  // `recommendations: []timestampedRecommendation{}` upstream: a non-nil empty history,
  // so recordInitialRecommendation adds nothing. Here: one long-expired entry, which
  // every stabilization ignores and then reuses.
  bool history_without_initial_recommendation = false;
  // statusOkWithOverrides: the conditions after the sync, by reason.
  std::string able_to_scale = "SucceededRescale";
  std::string scaling_active = "ValidMetricFound";
  std::string scaling_limited = "DesiredWithinRange";
  bool limited = false;
};

// testCase.prepareTestClient: pods and metrics as the fakes build them.
std::vector<HpaPod> BuildControllerPods(const ControllerCase& tc) {
  const size_t count = tc.reported_cpu_requests ? tc.reported_cpu_requests->size()
                                                : static_cast<size_t>(tc.status_replicas);
  std::vector<HpaPod> pods(count);
  for (size_t i = 0; i < count; ++i) {
    HpaPod& p = pods[i];
    p.name = Name("test-pod-", i);
    p.ready = i < tc.readiness.size() ? tc.readiness[i] : true;
    p.start_time = i < tc.start_times.size() ? tc.start_times[i] : kZero;
    p.ready_transition = p.start_time;
    p.phase = i < tc.phases.size() ? tc.phases[i] : Phase::kRunning;
    p.deleting = i < tc.deleting.size() && tc.deleting[i];
    const int64_t request_m =
        tc.reported_cpu_requests ? std::llround((*tc.reported_cpu_requests)[i] * 1000) : 1000;
    p.cpu_request_millicores = static_cast<double>(request_m / 2 * 2);
    if (i < tc.reported_levels.size()) {
      p.has_metric = true;
      p.cpu_usage_millicores = static_cast<double>(tc.reported_levels[i] / 2 * 2);
      p.metric_timestamp = kNow;
      p.metric_window = minutes(1);
    }
  }
  return pods;
}

void PrintTo(const ControllerCase& c, std::ostream* os) { *os << c.name; }

class ControllerTest : public testing::TestWithParam<ControllerCase> {};

TEST_P(ControllerTest, MatchesUpstream) {
  const ControllerCase& tc = GetParam();
  HpaSpec spec{.min_replicas = tc.min_replicas,
               .max_replicas = tc.max_replicas,
               .target_cpu_utilization_percent = tc.cpu_target};
  spec.has_behavior = tc.scale_up_rules.has_value() || tc.scale_down_rules.has_value();
  if (tc.scale_up_rules) spec.behavior.scale_up = *tc.scale_up_rules;
  if (tc.scale_down_rules) spec.behavior.scale_down = *tc.scale_down_rules;
  HpaState state;
  if (tc.history_without_initial_recommendation) {
    state.recommendations.push_back({0, kNow - std::chrono::hours(24)});
  }
  HpaController controller(TestingOptions(), state);
  const std::vector<HpaPod> pods = BuildControllerPods(tc);

  const HpaDecision d = controller.Reconcile(kNow, spec, tc.spec_replicas, pods);
  EXPECT_EQ(d.desired_replicas, tc.expected_desired_replicas);
  EXPECT_EQ(d.rescale, tc.spec_replicas != tc.expected_desired_replicas);
  EXPECT_EQ(d.able_to_scale_reason, tc.able_to_scale);
  EXPECT_EQ(d.scaling_active_reason, tc.scaling_active);
  EXPECT_EQ(d.scaling_limited_reason, tc.scaling_limited);
  EXPECT_EQ(d.scaling_limited, tc.limited);
}

const std::vector<double> kOneCore3 = {1, 1, 1};
const std::vector<double> kOneCore4 = {1, 1, 1, 1};
const std::vector<double> kOneCore5 = {1, 1, 1, 1, 1};
const std::vector<double> kOneCore7 = {1, 1, 1, 1, 1, 1, 1};
const std::vector<double> kMixed3 = {0.9, 1.0, 1.1};

INSTANTIATE_TEST_SUITE_P(
    Upstream, ControllerTest,
    testing::Values(
        // TestScaleUp
        ControllerCase{.name = "ScaleUp",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 5,
                       .cpu_target = 30,
                       .reported_levels = {300, 500, 700},
                       .reported_cpu_requests = kOneCore3},
        // TestScaleUpUnreadyLessScale
        ControllerCase{.name = "ScaleUpUnreadyLessScale",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 4,
                       .cpu_target = 30,
                       .reported_levels = {300, 500, 700},
                       .reported_cpu_requests = kOneCore3,
                       .readiness = {F, T, T}},
        // TestScaleUpHotCpuLessScale
        ControllerCase{.name = "ScaleUpHotCpuLessScale",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 4,
                       .cpu_target = 30,
                       .reported_levels = {300, 500, 700},
                       .reported_cpu_requests = kOneCore3,
                       .start_times = {Hot(), Cool(), Cool()}},
        // TestScaleUpUnreadyNoScale
        ControllerCase{.name = "ScaleUpUnreadyNoScale",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 3,
                       .cpu_target = 30,
                       .reported_levels = {400, 500, 700},
                       .reported_cpu_requests = kOneCore3,
                       .readiness = {T, F, F},
                       .able_to_scale = "ReadyForNewScale"},
        // TestScaleUpHotCpuNoScale
        ControllerCase{.name = "ScaleUpHotCpuNoScale",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 3,
                       .cpu_target = 30,
                       .reported_levels = {400, 500, 700},
                       .reported_cpu_requests = kOneCore3,
                       .readiness = {T, F, F},
                       .start_times = {Cool(), Hot(), Hot()},
                       .able_to_scale = "ReadyForNewScale"},
        // TestScaleUpIgnoresFailedPods
        ControllerCase{
            .name = "ScaleUpIgnoresFailedPods",
            .min_replicas = 2,
            .max_replicas = 6,
            .spec_replicas = 2,
            .status_replicas = 2,
            .expected_desired_replicas = 4,
            .cpu_target = 30,
            .reported_levels = {500, 700},
            .reported_cpu_requests = kOneCore4,
            .readiness = {T, T, F, F},
            .phases = {Phase::kRunning, Phase::kRunning, Phase::kFailed, Phase::kFailed}},
        // TestScaleUpIgnoresDeletionPods
        ControllerCase{.name = "ScaleUpIgnoresDeletionPods",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 2,
                       .status_replicas = 2,
                       .expected_desired_replicas = 4,
                       .cpu_target = 30,
                       .reported_levels = {500, 700},
                       .reported_cpu_requests = kOneCore4,
                       .readiness = {T, T, F, F},
                       .deleting = {F, F, T, T}},
        // TestScaleDown
        ControllerCase{.name = "ScaleDown",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 3,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore5,
                       .history_without_initial_recommendation = true},
        // TestScaleDownWithScalingRules
        ControllerCase{.name = "ScaleDownWithScalingRules",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 3,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore5,
                       .scale_up_rules = GenerateScalingRules(0, 0, 100, 15, 30),
                       .history_without_initial_recommendation = true},
        // TestScaleDownStabilizeInitialSize
        ControllerCase{.name = "ScaleDownStabilizeInitialSize",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 5,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore5,
                       .able_to_scale = "ScaleDownStabilized"},
        // TestScaleDownIncludeUnreadyPods
        ControllerCase{.name = "ScaleDownIncludeUnreadyPods",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 2,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore5,
                       .readiness = {T, T, T, F, F},
                       .history_without_initial_recommendation = true},
        // TestScaleDownIgnoreHotCpuPods
        ControllerCase{.name = "ScaleDownIgnoreHotCpuPods",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 2,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore5,
                       .start_times = {Cool(), Cool(), Cool(), Hot(), Hot()},
                       .history_without_initial_recommendation = true},
        // TestScaleDownIgnoresFailedPods
        ControllerCase{.name = "ScaleDownIgnoresFailedPods",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 3,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore7,
                       .readiness = {T, T, T, T, T, F, F},
                       .phases = {Phase::kRunning, Phase::kRunning, Phase::kRunning,
                                  Phase::kRunning, Phase::kRunning, Phase::kFailed, Phase::kFailed},
                       .history_without_initial_recommendation = true},
        // TestScaleDownIgnoresDeletionPods
        ControllerCase{.name = "ScaleDownIgnoresDeletionPods",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 5,
                       .status_replicas = 5,
                       .expected_desired_replicas = 3,
                       .cpu_target = 50,
                       .reported_levels = {100, 300, 500, 250, 250},
                       .reported_cpu_requests = kOneCore7,
                       .readiness = {T, T, T, T, T, F, F},
                       .deleting = {F, F, F, F, F, T, T},
                       .history_without_initial_recommendation = true},
        // TestTolerance
        ControllerCase{.name = "Tolerance",
                       .min_replicas = 1,
                       .max_replicas = 5,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 3,
                       .cpu_target = 100,
                       .reported_levels = {1010, 1030, 1020},
                       .reported_cpu_requests = kMixed3,
                       .able_to_scale = "ReadyForNewScale"},
        // TestMinReplicas
        ControllerCase{.name = "MinReplicas",
                       .min_replicas = 2,
                       .max_replicas = 5,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 2,
                       .cpu_target = 90,
                       .reported_levels = {10, 95, 10},
                       .reported_cpu_requests = kMixed3,
                       .history_without_initial_recommendation = true,
                       .scaling_limited = "TooFewReplicas",
                       .limited = true},
        // TestZeroMinReplicasDesiredZero
        ControllerCase{.name = "ZeroMinReplicasDesiredZero",
                       .min_replicas = 0,
                       .max_replicas = 5,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 0,
                       .cpu_target = 90,
                       .reported_levels = {0, 0, 0},
                       .reported_cpu_requests = kMixed3,
                       .history_without_initial_recommendation = true},
        // TestMinReplicasDesiredZero
        ControllerCase{.name = "MinReplicasDesiredZero",
                       .min_replicas = 2,
                       .max_replicas = 5,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 2,
                       .cpu_target = 90,
                       .reported_levels = {0, 0, 0},
                       .reported_cpu_requests = kMixed3,
                       .history_without_initial_recommendation = true,
                       .scaling_limited = "TooFewReplicas",
                       .limited = true},
        // TestZeroReplicas
        ControllerCase{.name = "ZeroReplicas",
                       .min_replicas = 3,
                       .max_replicas = 5,
                       .spec_replicas = 0,
                       .status_replicas = 0,
                       .expected_desired_replicas = 0,
                       .cpu_target = 90,
                       .reported_cpu_requests = std::vector<double>{},
                       .able_to_scale = "SucceededGetScale",
                       .scaling_active = "ScalingDisabled",
                       .scaling_limited = ""},
        // TestTooFewReplicas
        ControllerCase{.name = "TooFewReplicas",
                       .min_replicas = 3,
                       .max_replicas = 5,
                       .spec_replicas = 2,
                       .status_replicas = 2,
                       .expected_desired_replicas = 3,
                       .cpu_target = 90,
                       .reported_cpu_requests = std::vector<double>{},
                       .scaling_active = "",
                       .scaling_limited = ""},
        // TestTooManyReplicas
        ControllerCase{.name = "TooManyReplicas",
                       .min_replicas = 3,
                       .max_replicas = 5,
                       .spec_replicas = 10,
                       .status_replicas = 10,
                       .expected_desired_replicas = 5,
                       .cpu_target = 90,
                       .reported_cpu_requests = std::vector<double>{},
                       .scaling_active = "",
                       .scaling_limited = ""},
        // TestMaxReplicas
        ControllerCase{.name = "MaxReplicas",
                       .min_replicas = 2,
                       .max_replicas = 5,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 5,
                       .cpu_target = 90,
                       .reported_levels = {8000, 9500, 1000},
                       .reported_cpu_requests = kMixed3,
                       .scaling_limited = "TooManyReplicas",
                       .limited = true},
        // TestMissingMetrics
        ControllerCase{.name = "MissingMetrics",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 4,
                       .status_replicas = 4,
                       .expected_desired_replicas = 3,
                       .cpu_target = 100,
                       .reported_levels = {400, 95},
                       .reported_cpu_requests = kOneCore4,
                       .history_without_initial_recommendation = true},
        // TestEmptyMetrics
        ControllerCase{.name = "EmptyMetrics",
                       .min_replicas = 2,
                       .max_replicas = 6,
                       .spec_replicas = 4,
                       .status_replicas = 4,
                       .expected_desired_replicas = 4,
                       .cpu_target = 100,
                       .reported_cpu_requests = kOneCore4,
                       .able_to_scale = "SucceededGetScale",
                       .scaling_active = "FailedGetResourceMetric",
                       .scaling_limited = ""},
        // TestEmptyCPURequest. Upstream lists no pod at all (the request slice is empty)
        // and fails with "no pods returned by selector"; a sample without a pod cannot be
        // written here, so the pod exists without a request. Same condition.
        ControllerCase{.name = "EmptyCPURequest",
                       .min_replicas = 1,
                       .max_replicas = 5,
                       .spec_replicas = 1,
                       .status_replicas = 1,
                       .expected_desired_replicas = 1,
                       .cpu_target = 100,
                       .reported_levels = {200},
                       .reported_cpu_requests = std::vector<double>{0},
                       .able_to_scale = "SucceededGetScale",
                       .scaling_active = "FailedGetResourceMetric",
                       .scaling_limited = ""},
        // TestEventCreated
        ControllerCase{.name = "EventCreated",
                       .min_replicas = 1,
                       .max_replicas = 5,
                       .spec_replicas = 1,
                       .status_replicas = 1,
                       .expected_desired_replicas = 2,
                       .cpu_target = 50,
                       .reported_levels = {200},
                       .reported_cpu_requests = std::vector<double>{0.2}},
        // TestEventNotCreated
        ControllerCase{.name = "EventNotCreated",
                       .min_replicas = 1,
                       .max_replicas = 5,
                       .spec_replicas = 2,
                       .status_replicas = 2,
                       .expected_desired_replicas = 2,
                       .cpu_target = 50,
                       .reported_levels = {200, 200},
                       .reported_cpu_requests = std::vector<double>{0.4, 0.4},
                       .able_to_scale = "ReadyForNewScale"},
        // TestMissingReports
        ControllerCase{.name = "MissingReports",
                       .min_replicas = 1,
                       .max_replicas = 5,
                       .spec_replicas = 4,
                       .status_replicas = 4,
                       .expected_desired_replicas = 2,
                       .cpu_target = 50,
                       .reported_levels = {200},
                       .reported_cpu_requests = std::vector<double>{0.2},
                       .history_without_initial_recommendation = true},
        // TestUpscaleCap
        ControllerCase{.name = "UpscaleCap",
                       .min_replicas = 1,
                       .max_replicas = 100,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 24,
                       .cpu_target = 10,
                       .reported_levels = {100, 200, 300},
                       .reported_cpu_requests = std::vector<double>{0.1, 0.1, 0.1},
                       .scale_up_rules = GenerateScalingRules(0, 0, 700, 60, 0),
                       .scaling_limited = "ScaleUpLimit",
                       .limited = true},
        // TestUpscaleCapGreaterThanMaxReplicas
        ControllerCase{.name = "UpscaleCapGreaterThanMaxReplicas",
                       .min_replicas = 1,
                       .max_replicas = 20,
                       .spec_replicas = 3,
                       .status_replicas = 3,
                       .expected_desired_replicas = 20,
                       .cpu_target = 10,
                       .reported_levels = {100, 200, 300},
                       .reported_cpu_requests = std::vector<double>{0.1, 0.1, 0.1},
                       .scale_up_rules = GenerateScalingRules(0, 0, 700, 60, 0),
                       .scaling_limited = "TooManyReplicas",
                       .limited = true},
        // TestMoreReplicasThanSpecNoScale (a Deployment rollout with 25% surge)
        ControllerCase{.name = "MoreReplicasThanSpecNoScale",
                       .min_replicas = 1,
                       .max_replicas = 8,
                       .spec_replicas = 4,
                       .status_replicas = 5,
                       .expected_desired_replicas = 4,
                       .cpu_target = 50,
                       .reported_levels = {500, 500, 500, 500, 500},
                       .reported_cpu_requests = kOneCore5,
                       .able_to_scale = "ReadyForNewScale"}),
    [](const testing::TestParamInfo<ControllerCase>& p) { return p.param.name; });

// ---------------------------------------------------------------------------------------
// horizontal_test.go: the normalisation building blocks.

// TestConvertDesiredReplicasWithRules (scaleUpLimitFactor 2, as in production; upstream's
// test binary raises it to 8, which none of these cases reaches).
TEST(HpaControllerTest, ConvertDesiredReplicasWithRules) {
  struct Case {
    int current, desired, min, max, expected;
    std::string_view condition;
  };
  const Case cases[] = {
      {5, 7, 3, 8, 7, "DesiredWithinRange"},   // prenormalized desired replicas within range
      {3, 1, 2, 8, 2, "TooFewReplicas"},       // prenormalized desired replicas < minReplicas
      {1, 0, 0, 10, 0, "DesiredWithinRange"},  // prenormalized desired zeroed replicas within range
      {20, 1000, 1, 10, 10, "TooManyReplicas"},                      // maxReplicas < scaleUpLimit
      {3, 1000, 1, 2000, CalculateScaleUpLimit(3), "ScaleUpLimit"},  // scaleUpLimit < maxReplicas
  };
  for (const Case& c : cases) {
    const NormalizedReplicas r =
        ConvertDesiredReplicasWithRules(c.current, c.desired, c.min, c.max);
    EXPECT_EQ(r.replicas, c.expected);
    EXPECT_EQ(r.reason, c.condition);
  }
  EXPECT_EQ(CalculateScaleUpLimit(3), 6);
  EXPECT_EQ(CalculateScaleUpLimit(1), 4);
}

// TestCalculateScaleUpLimitWithScalingRules
TEST(HpaControllerTest, CalculateScaleUpLimitWithScalingRules) {
  HpaScalingRules rules{.stabilization_window = seconds(300),
                        .select = HpaScalingRules::Select::kMin,
                        .policies = {{HpaScalingPolicy::Type::kPods, 2, seconds(60)},
                                     {HpaScalingPolicy::Type::kPercent, 50, seconds(60)}}};
  EXPECT_EQ(CalculateScaleUpLimitWithScalingRules(1, {}, {}, rules, kNow), 2);
}

// TestCalculateScaleDownLimitWithBehaviors
TEST(HpaControllerTest, CalculateScaleDownLimitWithBehaviors) {
  HpaScalingRules rules{.stabilization_window = seconds(300),
                        .select = HpaScalingRules::Select::kMin,
                        .policies = {{HpaScalingPolicy::Type::kPods, 2, seconds(60)},
                                     {HpaScalingPolicy::Type::kPercent, 50, seconds(60)}}};
  EXPECT_EQ(CalculateScaleDownLimitWithBehaviors(5, {}, {}, rules, kNow), 3);
}

// generateEventsUniformDistribution: events spread over the last `period` seconds, each in
// the middle of its segment.
std::vector<TimestampedScaleEvent> GenerateEventsUniformDistribution(std::vector<int> raw,
                                                                     int period) {
  std::vector<TimestampedScaleEvent> events;
  const double segment = static_cast<double>(period) / static_cast<double>(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    // time.Duration(float) truncates, then multiplied by time.Second.
    const auto boundary =
        static_cast<int64_t>(period - segment * static_cast<double>(i + 1) + segment / 2);
    events.push_back({raw[i], kNow - seconds(boundary), false});
  }
  return events;
}

// TestNormalizeDesiredReplicas (stabilizeRecommendation, downscale window 5 min).
TEST(HpaControllerTest, NormalizeDesiredReplicas) {
  struct Case {
    std::string name;
    std::vector<TimestampedRecommendation> recommendations;
    int prenormalized, expected_stabilized;
    size_t expected_log_length;
  };
  const std::vector<Case> cases = {
      {"empty log", {}, 5, 5, 1},
      {"stabilize", {{4, kNow - minutes(2)}, {5, kNow - minutes(1)}}, 3, 5, 3},
      {"no stabilize", {{1, kNow - minutes(2)}, {2, kNow - minutes(1)}}, 3, 3, 3},
      {"no stabilize - old recommendations",
       {{10, kNow - minutes(10)}, {9, kNow - minutes(9)}},
       3,
       3,
       2},
      {"stabilize - old recommendations",
       {{10, kNow - minutes(10)},
        {4, kNow - minutes(1)},
        {5, kNow - minutes(2)},
        {9, kNow - minutes(9)}},
       3,
       5,
       4},
  };
  for (Case c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(StabilizeRecommendation(c.recommendations, c.prenormalized, minutes(5), kNow),
              c.expected_stabilized);
    EXPECT_EQ(c.recommendations.size(), c.expected_log_length);
  }
}

// TestScalingWithRules (convertDesiredReplicasWithBehaviorRate).
TEST(HpaControllerTest, ScalingWithRules) {
  struct Case {
    std::string name;
    std::vector<TimestampedScaleEvent> scale_up_events, scale_down_events;
    int min, max;
    std::optional<HpaScalingRules> scale_up_rules, scale_down_rules;
    int current, prenormalized, expected;
    std::string_view condition;
  };
  auto up = [](std::vector<int> raw) { return GenerateEventsUniformDistribution(raw, 120); };
  const std::vector<Case> cases = {
      {"prenormalized desired replicas within range",
       {},
       {},
       3,
       8,
       {},
       {},
       5,
       7,
       7,
       "DesiredWithinRange"},
      {"prenormalized desired replicas < minReplicas",
       {},
       {},
       2,
       8,
       {},
       {},
       3,
       1,
       2,
       "TooFewReplicas"},
      {"prenormalized desired replicas within range when minReplicas is 0",
       {},
       {},
       0,
       10,
       {},
       {},
       1,
       0,
       0,
       "DesiredWithinRange"},
      {"maxReplicas is the limit because maxReplicas < scaleUpLimit",
       {},
       {},
       1,
       10,
       {},
       {},
       20,
       1000,
       10,
       "TooManyReplicas"},
      {"desired replica count is more than the maximum replica count",
       {},
       {},
       100,
       150,
       {},
       {},
       100,
       1000,
       150,
       "TooManyReplicas"},
      {"scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies",
       {},
       {},
       1,
       2000,
       GenerateScalingRules(0, 0, 1, 60, 0),
       {},
       3,
       1000,
       4,
       "ScaleUpLimit"},
      // Upstream skips this one (testThis); it holds all the same.
      {"scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined "
       "policies",
       {},
       {},
       3,
       2000,
       {},
       GenerateScalingRules(20, 60, 0, 0, 0),
       1000,
       3,
       980,
       "ScaleDownLimit"},
      {"scaleUp with default behavior", {}, {}, 1, 1000, {}, {}, 10, 50, 20, "ScaleUpLimit"},
      {"scaleUp with pods policy larger than percent policy",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(100, 60, 100, 60, 0),
       {},
       10,
       500,
       110,
       "ScaleUpLimit"},
      {"scaleUp with percent policy larger than pods policy",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(2, 60, 100, 60, 0),
       {},
       10,
       500,
       20,
       "ScaleUpLimit"},
      {"scaleUp with spec MaxReplicas limitation with large pod policy",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(100, 60, 0, 0, 0),
       {},
       10,
       50,
       50,
       "DesiredWithinRange"},
      {"scaleUp with spec MaxReplicas limitation with large percent policy",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(10000, 60, 0, 0, 0),
       {},
       10,
       50,
       50,
       "DesiredWithinRange"},
      {"scaleUp with pod policy limitation",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(30, 60, 0, 0, 0),
       {},
       10,
       50,
       40,
       "ScaleUpLimit"},
      {"scaleUp with percent policy limitation",
       {},
       {},
       1,
       1000,
       GenerateScalingRules(0, 0, 200, 60, 0),
       {},
       10,
       50,
       30,
       "ScaleUpLimit"},
      {"scaleDown with percent policy larger than pod policy",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(20, 60, 1, 60, 300),
       100,
       2,
       80,
       "ScaleDownLimit"},
      {"scaleDown with pod policy larger than percent policy",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(2, 60, 1, 60, 300),
       100,
       2,
       98,
       "ScaleDownLimit"},
      {"scaleDown with spec MinReplicas=nil limitation with large pod policy",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(100, 60, 0, 0, 300),
       10,
       0,
       1,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large pod policy",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(100, 60, 0, 0, 300),
       10,
       0,
       1,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large percent policy",
       {},
       {},
       5,
       1000,
       {},
       GenerateScalingRules(0, 0, 100, 60, 300),
       10,
       2,
       5,
       "TooFewReplicas"},
      {"scaleDown with pod policy limitation",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(5, 60, 0, 0, 300),
       10,
       2,
       5,
       "ScaleDownLimit"},
      {"scaleDown with percent policy limitation",
       {},
       {},
       1,
       1000,
       {},
       GenerateScalingRules(0, 0, 50, 60, 300),
       10,
       5,
       5,
       "DesiredWithinRange"},
      {"scaleUp with spec MaxReplicas limitation with large pod policy and events",
       up({1, 5, 9}),
       {},
       1,
       200,
       GenerateScalingRules(300, 60, 0, 0, 0),
       {},
       100,
       500,
       200,
       "TooManyReplicas"},
      {"scaleUp with spec MaxReplicas limitation with large percent policy and events",
       up({1, 5, 9}),
       {},
       1,
       200,
       GenerateScalingRules(0, 0, 10000, 60, 0),
       {},
       100,
       500,
       200,
       "TooManyReplicas"},
      {"scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent "
       "scale up events",
       up({1, 5, 9}),
       {},
       1,
       1000,
       GenerateScalingRules(5, 120, 0, 0, 0),
       {},
       100,
       500,
       100,
       "ScaleUpLimit"},
      {"scaleUp with pod policy and previous scale up events",
       up({1, 5, 9}),
       {},
       1,
       1000,
       GenerateScalingRules(150, 120, 0, 0, 0),
       {},
       100,
       500,
       235,
       "ScaleUpLimit"},
      {"scaleUp with percent policy and previous scale up events",
       up({1, 5, 9}),
       {},
       1,
       1000,
       GenerateScalingRules(0, 0, 200, 120, 0),
       {},
       100,
       500,
       255,
       "ScaleUpLimit"},
      {"scaleDown with default policy and previous events",
       {},
       up({1, 5, 9}),
       1,
       1000,
       {},
       {},
       10,
       5,
       5,
       "DesiredWithinRange"},
      {"scaleDown with spec MinReplicas=nil limitation with large pod policy and previous "
       "events",
       {},
       up({1, 5, 9}),
       1,
       1000,
       {},
       GenerateScalingRules(115, 120, 0, 0, 300),
       100,
       0,
       1,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large pod policy and previous events",
       {},
       up({1, 5, 9}),
       5,
       1000,
       {},
       GenerateScalingRules(130, 120, 0, 0, 300),
       100,
       0,
       5,
       "TooFewReplicas"},
      {"scaleDown with spec MinReplicas limitation with large percent policy and previous "
       "events",
       {},
       up({1, 5, 9}),
       5,
       1000,
       {},
       GenerateScalingRules(0, 0, 100, 120, 300),
       100,
       2,
       5,
       "TooFewReplicas"},
      {"scaleDown with pod policy limitation and previous events",
       {},
       up({1, 5, 9}),
       1,
       1000,
       {},
       GenerateScalingRules(5, 120, 0, 0, 300),
       100,
       2,
       100,
       "ScaleDownLimit"},
      {"scaleDown with percent policy limitation and previous events",
       {},
       up({2, 4, 6}),
       1,
       1000,
       {},
       GenerateScalingRules(0, 0, 50, 120, 300),
       100,
       0,
       56,
       "ScaleDownLimit"},
      {"scaleDown with previous events preventing further scale down",
       {},
       up({10, 10, 10}),
       1,
       1000,
       {},
       GenerateScalingRules(0, 0, 10, 120, 300),
       100,
       0,
       100,
       "ScaleDownLimit"},
      {"scaleDown with with previous events still allowing more scale down",
       {},
       up({10, 10, 10}),
       1,
       1000,
       {},
       GenerateScalingRules(0, 0, 1000, 120, 300),
       10,
       5,
       5,
       "DesiredWithinRange"},
      {"check 'outdated' flag for events for one behavior for up",
       up({8, 12, 9, 11}),
       {},
       1,
       1000,
       GenerateScalingRules(1000, 60, 0, 0, 0),
       {},
       100,
       200,
       200,
       "DesiredWithinRange"},
      {"check that events were not marked 'outdated' for two different policies in the "
       "behavior for up",
       up({8, 12, 9, 11}),
       {},
       1,
       1000,
       GenerateScalingRules(1000, 120, 100, 60, 0),
       {},
       100,
       200,
       200,
       "DesiredWithinRange"},
      {"check that events were marked 'outdated' for two different policies in the behavior "
       "for up",
       up({8, 12, 9, 11}),
       {},
       1,
       1000,
       GenerateScalingRules(1000, 30, 100, 60, 0),
       {},
       100,
       200,
       200,
       "DesiredWithinRange"},
      {"check 'outdated' flag for events for one behavior for down",
       {},
       up({8, 12, 9, 11}),
       1,
       1000,
       {},
       GenerateScalingRules(1000, 60, 0, 0, 300),
       100,
       5,
       5,
       "DesiredWithinRange"},
      {"check that events were not marked 'outdated' for two different policies in the "
       "behavior for down",
       {},
       up({8, 12, 9, 11}),
       1,
       1000,
       {},
       GenerateScalingRules(1000, 120, 100, 60, 300),
       100,
       5,
       5,
       "DesiredWithinRange"},
      {"check that events were marked 'outdated' for two different policies in the behavior "
       "for down",
       {},
       up({8, 12, 9, 11}),
       1,
       1000,
       {},
       GenerateScalingRules(1000, 30, 100, 60, 300),
       100,
       5,
       5,
       "DesiredWithinRange"},
  };
  const HpaBehavior defaults = HpaBehavior::Default();  // GenerateHPAScale{Up,Down}Rules(nil)
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const NormalizationArg arg{.scale_up = c.scale_up_rules.value_or(defaults.scale_up),
                               .scale_down = c.scale_down_rules.value_or(defaults.scale_down),
                               .min_replicas = c.min,
                               .max_replicas = c.max,
                               .current_replicas = c.current,
                               .desired_replicas = c.prenormalized};
    const HpaState state{.scale_up_events = c.scale_up_events,
                         .scale_down_events = c.scale_down_events};
    const NormalizedReplicas r = ConvertDesiredReplicasWithBehaviorRate(arg, state, kNow);
    EXPECT_EQ(r.replicas, c.expected);
    EXPECT_EQ(r.reason, c.condition);
  }
}

// TestStoreScaleEvents
TEST(HpaControllerTest, StoreScaleEvents) {
  struct Case {
    std::string name;
    int replica_change;
    std::vector<TimestampedScaleEvent> prev, next;
    std::optional<HpaScalingRules> rules;  // nullopt: behavior nil
    int expected_replicas_change;
  };
  auto ago = [](int s) { return kNow - seconds(s); };
  const std::vector<Case> cases = {
      {"empty entries with default behavior", 5, {}, {}, {}, 0},
      {"empty entries with two-policy-behavior",
       5,
       {},
       {{5, kNow, false}},
       GenerateScalingRules(10, 60, 100, 60, 0),
       0},
      {"one outdated entry to be kept untouched without behavior",
       5,
       {{7, ago(61), false}},
       {{7, kNow, false}},
       {},
       0},
      {"one outdated entry to be replaced with behavior",
       5,
       {{7, ago(61), false}},
       {{5, kNow, false}},
       GenerateScalingRules(10, 60, 100, 60, 0),
       0},
      {"one actual entry to be not touched with behavior",
       5,
       {{7, ago(58), false}},
       {{7, kNow, false}, {5, kNow, false}},
       GenerateScalingRules(10, 60, 100, 60, 0),
       7},
      {"two entries, one of them to be replaced",
       5,
       {{7, ago(61), false}, {6, ago(59), false}},
       {{5, kNow, false}, {6, kNow, false}},
       GenerateScalingRules(10, 60, 0, 0, 0),
       6},
      {"replace one entry, use policies with different periods",
       5,
       {{8, ago(29), false}, {6, ago(59), false}, {7, ago(61), false}, {9, ago(61), false}},
       {{8, kNow, false}, {6, kNow, false}, {7, kNow, true}, {5, kNow, false}},
       GenerateScalingRules(10, 60, 100, 30, 0),
       14},
      {"two entries, both actual",
       5,
       {{7, ago(58), false}, {6, ago(59), false}},
       {{7, kNow, false}, {6, kNow, false}, {5, kNow, false}},
       GenerateScalingRules(10, 120, 100, 30, 0),
       13},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (const bool scale_up : {true, false}) {
      HpaState state;
      (scale_up ? state.scale_up_events : state.scale_down_events) = c.prev;
      const auto& events = scale_up ? state.scale_up_events : state.scale_down_events;
      EXPECT_EQ(GetReplicasChangePerPeriod(seconds(60), events, kNow), c.expected_replicas_change);
      HpaBehavior behavior;
      (scale_up ? behavior.scale_up : behavior.scale_down) = c.rules.value_or(HpaScalingRules{});
      StoreScaleEvent(c.rules ? &behavior : nullptr, state, 10,
                      scale_up ? 10 + c.replica_change : 10 - c.replica_change, kNow);
      ASSERT_EQ(events.size(), c.next.size()) << (scale_up ? "up" : "down");
      for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].replica_change, c.next[i].replica_change) << i;
        EXPECT_EQ(events[i].outdated, c.next[i].outdated) << i;
      }
    }
  }
}

// TestNormalizeDesiredReplicasWithBehavior (stabilizeRecommendationWithBehaviors).
TEST(HpaControllerTest, NormalizeDesiredReplicasWithBehavior) {
  struct Case {
    std::string name;
    std::vector<TimestampedRecommendation> recommendations;
    int current, prenormalized, expected_stabilized;
    std::vector<int> expected_recommendations;
    int up_window = 0;
    int down_window = 0;
  };
  auto ago = [](minutes m) { return kNow - m; };
  const std::vector<Case> cases = {
      {"empty recommendations for scaling down", {}, 100, 5, 5, {5}},
      {"simple scale down stabilization",
       {{4, ago(minutes(2))}, {5, ago(minutes(1))}},
       100,
       3,
       5,
       {4, 5, 3},
       0,
       60 * 3},
      {"simple scale up stabilization",
       {{4, ago(minutes(2))}, {5, ago(minutes(1))}},
       1,
       7,
       4,
       {4, 5, 7},
       60 * 5,
       0},
      {"no scale down stabilization",
       {{1, ago(minutes(2))}, {2, ago(minutes(1))}},
       100,
       3,
       3,
       {1, 2, 3},
       60 * 5,
       0},
      {"no scale up stabilization",
       {{4, ago(minutes(2))}, {5, ago(minutes(1))}},
       1,
       3,
       3,
       {4, 5, 3},
       0,
       60 * 5},
      {"no scale down stabilization, reuse recommendation element",
       {{10, ago(minutes(10))}, {9, ago(minutes(9))}},
       100,
       3,
       3,
       {10, 3}},
      {"no scale up stabilization, reuse recommendation element",
       {{10, ago(minutes(10))}, {9, ago(minutes(9))}},
       1,
       100,
       100,
       {10, 100}},
      {"scale down stabilization, reuse one of obsolete recommendation element",
       {{10, ago(minutes(10))}, {4, ago(minutes(1))}, {5, ago(minutes(2))}, {9, ago(minutes(9))}},
       100,
       3,
       5,
       {10, 4, 5, 3},
       0,
       3 * 60},
      {"scale up stabilization, reuse one of obsolete recommendation element",
       {{10, ago(minutes(100))}, {6, ago(minutes(1))}, {5, ago(minutes(2))}, {9, ago(minutes(3))}},
       1,
       100,
       5,
       {100, 6, 5, 9},
       300,
       0},
  };
  for (Case c : cases) {
    SCOPED_TRACE(c.name);
    NormalizationArg arg{.current_replicas = c.current, .desired_replicas = c.prenormalized};
    arg.scale_up.stabilization_window = seconds(c.up_window);
    arg.scale_down.stabilization_window = seconds(c.down_window);
    const NormalizedReplicas r = StabilizeRecommendationWithBehaviors(arg, c.recommendations, kNow);
    EXPECT_EQ(r.replicas, c.expected_stabilized);
    std::vector<int> stored;
    for (const TimestampedRecommendation& rec : c.recommendations)
      stored.push_back(rec.recommendation);
    EXPECT_EQ(stored, c.expected_recommendations);
  }
}

// ---------------------------------------------------------------------------------------
// Not upstream tables: several syncs in a row, the failure path, flags, and the rails.

// `n` ready pods long past initialisation, each requesting one core and using `usage_m`.
std::vector<HpaPod> SteadyPods(int n, double usage_m) {
  std::vector<HpaPod> pods(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    pods[static_cast<size_t>(i)] = HpaPod{.name = Name("p", static_cast<size_t>(i)),
                                          .ready = true,
                                          .cpu_request_millicores = 1000,
                                          .has_metric = true,
                                          .cpu_usage_millicores = usage_m,
                                          .metric_timestamp = kNow};
  }
  return pods;
}

// The default behavior allows max(+4 pods, +100%) per 15 s, counted from the replicas at
// the start of the period: 1 -> 5 -> (held) -> 10 -> 20.
TEST(HpaControllerTest, DefaultScaleUpIsLimitedByFourPodsOrDoublingPer15s) {
  HpaController hpa;
  const HpaSpec spec{.min_replicas = 1, .max_replicas = 100, .target_cpu_utilization_percent = 50};
  HpaDecision d = hpa.Reconcile(kNow, spec, 1, SteadyPods(1, 10000));  // 1000% of request
  EXPECT_EQ(d.metric_replicas, 20);
  EXPECT_EQ(d.desired_replicas, 5);
  EXPECT_TRUE(d.rescale);
  EXPECT_EQ(d.reason, "ScaleUpLimit");
  EXPECT_EQ(d.message, "cpu resource utilization (percentage of request) above target");

  d = hpa.Reconcile(kNow + seconds(10), spec, 5, SteadyPods(5, 10000));  // same period
  EXPECT_EQ(d.desired_replicas, 5);
  EXPECT_FALSE(d.rescale);
  EXPECT_EQ(d.reason, "ScaleUpLimit");

  d = hpa.Reconcile(kNow + seconds(15), spec, 5, SteadyPods(5, 10000));  // first event expired
  EXPECT_EQ(d.desired_replicas, 10);
  d = hpa.Reconcile(kNow + seconds(30), spec, 10, SteadyPods(10, 10000));
  EXPECT_EQ(d.desired_replicas, 20);
  EXPECT_EQ(hpa.state().scale_up_events.size(), 2u);  // the first slot was reused
}

// The scale-down window (300 s by default) holds the highest recommendation it has seen;
// after it the count drops to the highest recent one, not straight to the lowest.
TEST(HpaControllerTest, ScaleDownStabilizationKeepsTheHighestRecentRecommendation) {
  HpaController hpa;
  const HpaSpec spec{.min_replicas = 1, .max_replicas = 20, .target_cpu_utilization_percent = 50};
  HpaDecision d = hpa.Reconcile(kNow, spec, 10, SteadyPods(10, 500));  // on target
  EXPECT_EQ(d.desired_replicas, 10);
  EXPECT_EQ(d.reason, "ReadyForNewScale");

  d = hpa.Reconcile(kNow + seconds(60), spec, 10, SteadyPods(10, 200));  // wants 4
  EXPECT_EQ(d.metric_replicas, 4);
  EXPECT_EQ(d.desired_replicas, 10);
  EXPECT_FALSE(d.rescale);
  EXPECT_EQ(d.reason, "ScaleDownStabilized");

  d = hpa.Reconcile(kNow + seconds(120), spec, 10, SteadyPods(10, 300));  // wants 6
  EXPECT_EQ(d.desired_replicas, 10);

  d = hpa.Reconcile(kNow + seconds(301), spec, 10, SteadyPods(10, 200));  // the 10s expired
  EXPECT_EQ(d.metric_replicas, 4);
  EXPECT_EQ(d.desired_replicas, 6);
  EXPECT_TRUE(d.rescale);
  EXPECT_EQ(d.reason, "ScaleDownStabilized");
  EXPECT_EQ(d.able_to_scale_reason, "SucceededRescale");
  EXPECT_EQ(d.message, "All metrics below target");
  ASSERT_EQ(hpa.state().scale_down_events.size(), 1u);
  EXPECT_EQ(hpa.state().scale_down_events[0].replica_change, 4);
}

// reconcileAutoscaler returns before normalisation when the metric fails: no rescale and
// no recommendation recorded, only the initial one.
TEST(HpaControllerTest, MetricFailureNeitherRescalesNorFeedsTheHistory) {
  HpaController hpa;
  std::vector<HpaPod> pods = SteadyPods(3, 900);
  for (HpaPod& p : pods) p.has_metric = false;
  const HpaDecision d = hpa.Reconcile(kNow, HpaSpec{}, 3, pods);
  EXPECT_EQ(d.desired_replicas, 3);
  EXPECT_FALSE(d.rescale);
  EXPECT_EQ(d.metric_replicas, 0);
  EXPECT_EQ(d.current_utilization_percent, -1);
  EXPECT_EQ(d.reason, "FailedGetResourceMetric");
  EXPECT_NE(d.message.find("no metrics returned from resource metrics API"), std::string::npos);
  ASSERT_EQ(hpa.state().recommendations.size(), 1u);
  EXPECT_EQ(hpa.state().recommendations[0].recommendation, 3);
}

TEST(HpaControllerTest, ZeroSpecReplicasDisablesAutoscaling) {
  HpaController hpa;
  const HpaDecision d = hpa.Reconcile(kNow, HpaSpec{.min_replicas = 1}, 0, SteadyPods(0, 0));
  EXPECT_EQ(d.desired_replicas, 0);
  EXPECT_FALSE(d.rescale);
  EXPECT_EQ(d.reason, "ScalingDisabled");
}

// maybeInitScaleDownStabilizationWindow: an unset scale-down window follows the
// --horizontal-pod-autoscaler-downscale-stabilization flag; a set one does not.
TEST(HpaControllerTest, UnsetScaleDownWindowFollowsTheFlag) {
  HpaOptions options;
  options.downscale_stabilization_window = seconds(60);
  const HpaSpec spec{.min_replicas = 1, .max_replicas = 20, .target_cpu_utilization_percent = 50};
  ASSERT_EQ(spec.behavior.scale_down.stabilization_window, kStabilizationWindowUnset);

  HpaController from_flag(options);
  EXPECT_EQ(from_flag.Reconcile(kNow, spec, 10, SteadyPods(10, 200)).desired_replicas, 10);
  EXPECT_EQ(from_flag.Reconcile(kNow + seconds(61), spec, 10, SteadyPods(10, 200)).desired_replicas,
            4);

  HpaSpec explicit_window = spec;
  explicit_window.behavior.scale_down.stabilization_window = seconds(300);
  HpaController from_spec(options);
  EXPECT_EQ(from_spec.Reconcile(kNow, explicit_window, 10, SteadyPods(10, 200)).desired_replicas,
            10);
  EXPECT_EQ(from_spec.Reconcile(kNow + seconds(61), explicit_window, 10, SteadyPods(10, 200))
                .desired_replicas,
            10);
}

// Without spec.behavior the pre-1.18 rules apply: scale-up capped at max(2 x current, 4)
// with no memory of earlier steps, and no scale events are kept.
TEST(HpaControllerTest, WithoutBehaviorScaleUpIsCappedAtTwiceCurrent) {
  HpaController hpa;
  HpaSpec spec{.min_replicas = 1, .max_replicas = 100, .target_cpu_utilization_percent = 10};
  spec.has_behavior = false;
  HpaDecision d = hpa.Reconcile(kNow, spec, 3, SteadyPods(3, 2000));  // wants 60
  EXPECT_EQ(d.desired_replicas, 6);
  EXPECT_EQ(d.reason, "ScaleUpLimit");
  d = hpa.Reconcile(kNow + seconds(1), spec, 6, SteadyPods(6, 2000));
  EXPECT_EQ(d.desired_replicas, 12);
  EXPECT_TRUE(hpa.state().scale_up_events.empty());
}

TEST(HpaControllerTest, SelectDisabledForbidsThatDirection) {
  NormalizationArg arg{
      .scale_up = HpaBehavior::Default().scale_up,
      .scale_down = {.select = HpaScalingRules::Select::kDisabled,
                     .policies = {{HpaScalingPolicy::Type::kPercent, 100, seconds(15)}}},
      .min_replicas = 1,
      .max_replicas = 20,
      .current_replicas = 10,
      .desired_replicas = 2};
  NormalizedReplicas r = ConvertDesiredReplicasWithBehaviorRate(arg, {}, kNow);
  EXPECT_EQ(r.replicas, 10);
  EXPECT_EQ(r.reason, "ScaleDownLimit");
  arg.scale_up.select = HpaScalingRules::Select::kDisabled;
  arg.desired_replicas = 15;
  r = ConvertDesiredReplicasWithBehaviorRate(arg, {}, kNow);
  EXPECT_EQ(r.replicas, 10);
  EXPECT_EQ(r.reason, "ScaleUpLimit");
}

// Upstream's MaxInt32/MinInt32 sentinels and int32 sums would wrap in Go; here they
// saturate, and a rules set without policies leaves the sentinel, which the caller turns
// into "no change".
TEST(HpaControllerTest, LimitsSaturateAtTheInt32Rails) {
  constexpr int kMax = std::numeric_limits<int32_t>::max();
  constexpr int kMin = std::numeric_limits<int32_t>::min();
  const HpaScalingRules pods_max{.policies = {{HpaScalingPolicy::Type::kPods, kMax, seconds(15)}}};
  const HpaScalingRules percent_huge{
      .policies = {{HpaScalingPolicy::Type::kPercent, kMax, seconds(15)}}};
  EXPECT_EQ(CalculateScaleUpLimitWithScalingRules(kMax - 1, {}, {}, pods_max, kNow), kMax);
  EXPECT_EQ(CalculateScaleUpLimitWithScalingRules(2'000'000'000, {}, {}, percent_huge, kNow), kMax);
  EXPECT_EQ(CalculateScaleDownLimitWithBehaviors(0, {}, {}, pods_max, kNow), kMin + 1);
  EXPECT_EQ(CalculateScaleDownLimitWithBehaviors(2'000'000'000, {}, {}, percent_huge, kNow), kMin);

  const std::vector<TimestampedScaleEvent> huge = {{kMax, kNow, false}, {kMax, kNow, false}};
  EXPECT_EQ(GetReplicasChangePerPeriod(seconds(60), huge, kNow - seconds(1)), kMax);
  EXPECT_EQ(CalculateScaleDownLimitWithBehaviors(kMax, {}, huge, pods_max, kNow + seconds(1)),
            kMax);

  const HpaScalingRules no_policies{};
  EXPECT_EQ(CalculateScaleUpLimitWithScalingRules(7, {}, {}, no_policies, kNow), kMin);
  EXPECT_EQ(CalculateScaleDownLimitWithBehaviors(7, {}, {}, no_policies, kNow), kMax);
  const NormalizationArg arg{.scale_up = no_policies,
                             .scale_down = no_policies,
                             .min_replicas = 1,
                             .max_replicas = 100,
                             .current_replicas = 7,
                             .desired_replicas = 50};
  EXPECT_EQ(ConvertDesiredReplicasWithBehaviorRate(arg, {}, kNow).replicas, 7);
  EXPECT_EQ(CalculateScaleUpLimit(kMax), kMax);

  // A window that reaches before the start of time.
  std::vector<TimestampedRecommendation> recs = {{5, kNow}};
  EXPECT_EQ(StabilizeRecommendation(recs, 1, Duration::max(), kNow), 5);
}

}  // namespace
}  // namespace prescient::scaling
