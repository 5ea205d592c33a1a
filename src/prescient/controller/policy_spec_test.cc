#include "prescient/controller/policy_spec.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace prescient::controller {
namespace {

constexpr char kMinimal[] = R"(apiVersion: prescient.dev/v1alpha1
kind: PredictiveScalingPolicy
metadata:
  name: web
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  metric:
    query: sum(rate(http_requests_total[2m]))
  capacityPerPod: 50
  maxReplicas: 20
)";

constexpr char kComplete[] = R"(# Every field.
apiVersion: prescient.dev/v1alpha1
kind: PredictiveScalingPolicy
metadata:
  name: checkout
  namespace: shop
  labels: {team: payments}
  annotations: {owner: "a@b.c"}
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout
  hpaName: checkout-hpa
  metric:
    query: 'sum(rate(http_requests_total{namespace="shop"}[2m]))'
    step: 30s
    staleAfter: 10m
  capacityPerPod: 120.5
  horizon: 3h
  refresh: 10m
  bucket: 15m
  leadTime: 20m
  history: 21d
  minReplicas: 3
  maxReplicas: 60
  level: 99
  mode: ForecastOnly
  applyTo: Replicas
  guardrails:
    maxScaleUpStep: 10
    maxScaleDownStep: 2
    scaleDownCooldown: 1h30m
  model: ets
  placeholder:
    enabled: true
    priorityClassName: shop-placeholder
    priority: -100
    resources:
      requests: {cpu: 500m, memory: 1Gi}
    leadTime: 45m
    image: registry.example.com/pause:3.9
)";

// One document that must fail; returns its error message.
std::string ErrorOf(const std::string& yaml) {
  std::vector<Result<PolicySpec>> r = ParsePolicies(yaml, "p.yaml");
  if (r.size() != 1) return "(" + std::to_string(r.size()) + " entries)";
  return r[0].ok() ? "(parsed)" : std::string(r[0].status().message());
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  if (at == std::string::npos) return "(no '" + from + "' in the policy)";
  return s.replace(at, from.size(), to);
}

TEST(PolicySpecTest, CompletePolicyReadsEveryField) {
  std::vector<Result<PolicySpec>> r = ParsePolicies(kComplete, "p.yaml");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].ok()) << r[0].status().message();
  const PolicySpec& p = *r[0];
  EXPECT_EQ(p.source, "p.yaml");
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.name, "checkout");
  EXPECT_EQ(p.ns, "shop");
  EXPECT_EQ(p.target, "checkout");
  EXPECT_EQ(p.hpa, "checkout-hpa");
  EXPECT_EQ(p.query, "sum(rate(http_requests_total{namespace=\"shop\"}[2m]))");
  EXPECT_EQ(p.step, Duration(30));
  EXPECT_EQ(p.stale_after, Duration(600));
  EXPECT_DOUBLE_EQ(p.capacity_per_pod, 120.5);
  EXPECT_EQ(p.horizon, Duration(3 * 3600));
  EXPECT_EQ(p.refresh, Duration(600));
  EXPECT_EQ(p.bucket, Duration(900));
  EXPECT_EQ(p.lead_time, Duration(1200));
  EXPECT_EQ(p.history, Duration(21 * 86400));
  EXPECT_EQ(p.min_replicas, 3);
  EXPECT_EQ(p.max_replicas, 60);
  EXPECT_DOUBLE_EQ(p.level, 99);
  EXPECT_EQ(p.mode, PolicyMode::kForecastOnly);
  EXPECT_EQ(p.apply_to, ApplyTo::kReplicas);
  EXPECT_EQ(p.max_step_up, 10);
  EXPECT_EQ(p.max_step_down, 2);
  EXPECT_EQ(p.scale_down_cooldown, Duration(5400));
  EXPECT_EQ(p.model, "ets");
  EXPECT_TRUE(p.placeholder.enabled);
  EXPECT_EQ(p.placeholder.priority_class, "shop-placeholder");
  EXPECT_EQ(p.placeholder.priority, -100);
  EXPECT_EQ(p.placeholder.cpu_millicores, 500);
  EXPECT_EQ(p.placeholder.memory_bytes, int64_t{1} << 30);
  EXPECT_EQ(p.placeholder.lead, Duration(2700));
  EXPECT_EQ(p.placeholder.image, "registry.example.com/pause:3.9");
}

TEST(PolicySpecTest, MinimalPolicyTakesTheDefaults) {
  std::vector<Result<PolicySpec>> r = ParsePolicies(kMinimal, "p.yaml");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].ok()) << r[0].status().message();
  const PolicySpec& p = *r[0];
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.ns, "default");
  EXPECT_EQ(p.hpa, "web");  // The target's name.
  EXPECT_EQ(p.horizon, Duration(7200));
  EXPECT_EQ(p.refresh, Duration(900));
  EXPECT_EQ(p.bucket, Duration(300));
  EXPECT_FALSE(p.lead_time.has_value());
  EXPECT_EQ(p.history, Duration(14 * 86400));
  EXPECT_EQ(p.step, Duration(60));
  EXPECT_EQ(p.stale_after, Duration(300));
  EXPECT_EQ(p.min_replicas, 1);
  EXPECT_DOUBLE_EQ(p.level, 95);
  EXPECT_EQ(p.mode, PolicyMode::kForecastAndScale);
  EXPECT_EQ(p.apply_to, ApplyTo::kHpaMinReplicas);
  EXPECT_EQ(p.max_step_up, 0);
  EXPECT_EQ(p.max_step_down, 1);
  EXPECT_EQ(p.scale_down_cooldown, Duration(600));
  EXPECT_EQ(p.model, "auto");
  const PlaceholderSpec ph;
  EXPECT_FALSE(p.placeholder.enabled);
  EXPECT_EQ(p.placeholder.priority_class, ph.priority_class);
  EXPECT_EQ(p.placeholder.priority, -10);
  EXPECT_EQ(p.placeholder.lead, Duration(1800));
  EXPECT_EQ(p.placeholder.image, "registry.k8s.io/pause:3.9");
  EXPECT_EQ(PolicyModeName(p.mode), "ForecastAndScale");
  EXPECT_EQ(ApplyToName(p.apply_to), "HpaMinReplicas");
}

TEST(PolicySpecTest, PlaceholderBlockWithoutEnabledTurnsItOn) {
  const std::string yaml = std::string(kMinimal) + "  placeholder: {resources: {requests: {}}}\n";
  std::vector<Result<PolicySpec>> r = ParsePolicies(yaml, "p.yaml");
  ASSERT_TRUE(r.at(0).ok()) << r[0].status().message();
  EXPECT_TRUE(r[0]->placeholder.enabled);
  EXPECT_EQ(r[0]->placeholder.cpu_millicores, 0);  // Copy the target's requests.
}

struct BadCase {
  std::string yaml;
  std::string want;  // The whole one-line error.
};

TEST(PolicySpecTest, EachErrorIsOneLineWithFileLineAndField) {
  const std::string m = kMinimal;
  auto spec = [&](const std::string& extra) { return m + extra; };
  const std::vector<BadCase> cases = {
      {"[1, 2", "p.yaml:1: end of sequence flow not found"},
      {"just text", "p.yaml:1: (document): must be a mapping (got 'just text')"},
      {Replace(m, "kind: Pred", "kinds: x\nkind: Pred"),
       "p.yaml:2: kinds: unknown field (known: apiVersion, kind, metadata, spec)"},
      {spec("  horizn: 2h\n"),
       "p.yaml:11: spec.horizn: unknown field (known: targetRef, hpaName, metric, "
       "capacityPerPod, horizon, refresh, bucket, leadTime, history, minReplicas, maxReplicas, "
       "level, "
       "mode, applyTo, guardrails, model, placeholder)"},
      {spec("  maxReplicas: 30\n"), "p.yaml:11: spec.maxReplicas: duplicate field"},
      {Replace(m, "prescient.dev/v1alpha1", "prescient.dev/v1"),
       "p.yaml:1: apiVersion: 'prescient.dev/v1' is not prescient.dev/v1alpha1"},
      {Replace(m, "kind: PredictiveScalingPolicy", "kind: HorizontalPodAutoscaler"),
       "p.yaml:2: kind: 'HorizontalPodAutoscaler' is not PredictiveScalingPolicy"},
      {Replace(m, "  name: web\n", "  name: Web_1\n"),
       "p.yaml:4: metadata.name: 'Web_1' is not a DNS label (a-z, 0-9 and '-', at most 63 "
       "characters)"},
      {Replace(m, "  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n", ""),
       "p.yaml:6: spec.targetRef: required field missing"},
      {Replace(m, ", name: web}", "}"), "p.yaml:6: spec.targetRef.name: required field missing"},
      {Replace(m, "kind: Deployment", "kind: StatefulSet"),
       "p.yaml:6: spec.targetRef.kind: 'StatefulSet' is not Deployment (only Deployments are "
       "supported)"},
      {Replace(m, "apiVersion: apps/v1", "apiVersion: apps/v1beta1"),
       "p.yaml:6: spec.targetRef.apiVersion: 'apps/v1beta1' is not apps/v1 (only Deployments "
       "are supported)"},
      {Replace(m, "    query: sum(rate(http_requests_total[2m]))\n", "    step: 1m\n"),
       "p.yaml:8: spec.metric.query: required field missing"},
      {Replace(m, "query: sum(rate(http_requests_total[2m]))", "query: '  '"),
       "p.yaml:8: spec.metric.query: must not be empty"},
      {Replace(m, "capacityPerPod: 50", "capacityPerPod: 0"),
       "p.yaml:9: spec.capacityPerPod: must be > 0"},
      {Replace(m, "capacityPerPod: 50", "capacityPerPod: -3"),
       "p.yaml:9: spec.capacityPerPod: must be > 0"},
      {Replace(m, "capacityPerPod: 50", "capacityPerPod: nan"),
       "p.yaml:9: spec.capacityPerPod: 'nan' is not a number"},
      {Replace(m, "capacityPerPod: 50", "capacityPerPod: fast"),
       "p.yaml:9: spec.capacityPerPod: 'fast' is not a number"},
      {Replace(m, "capacityPerPod: 50", "capacityPerPod: [50]"),
       "p.yaml:9: spec.capacityPerPod: must be a string (got a list)"},
      {spec("  minReplicas: 25\n"),
       "p.yaml:10: spec.maxReplicas: maxReplicas (20) is below "
       "minReplicas (25)"},
      {spec("  minReplicas: 0\n"), "p.yaml:11: spec.minReplicas: must be in [1, 100000]"},
      {spec("  horizon: soon\n"),
       "p.yaml:11: spec.horizon: bad duration 'soon' (use e.g. 5m, 2h, 14d)"},
      {spec("  horizon: 1m\n"), "p.yaml:11: spec.horizon: must be at least 5m"},
      {spec("  horizon: 8d\n"), "p.yaml:11: spec.horizon: must be at most 7d"},
      {spec("  refresh: 30s\n"), "p.yaml:11: spec.refresh: must be at least 1m"},
      {spec("  bucket: 30s\n"), "p.yaml:11: spec.bucket: must be at least 1m"},
      {spec("  bucket: 7m\n"),
       "p.yaml:11: spec.bucket: must be whole minutes that divide a day (1m, 5m, 15m, 1h, ...)"},
      {spec("  bucket: 2h\n"), "p.yaml:11: spec.bucket: must be at most 1h"},
      {spec("  horizon: 10m\n"), "p.yaml:11: spec.horizon: refresh (15m) exceeds horizon (10m)"},
      {spec("  leadTime: 1h50m\n"),
       "p.yaml:11: spec.leadTime: leadTime (110m) + refresh (15m) exceeds horizon (2h): the "
       "forecast must reach that far"},
      {spec("  history: 1d\n"), "p.yaml:11: spec.history: must be at least 2d"},
      {Replace(m, "[2m]))\n", "[2m]))\n    staleAfter: 30s\n"),
       "p.yaml:9: spec.metric.staleAfter: staleAfter (30s) is below step (1m)"},
      {spec("  level: 50\n"), "p.yaml:11: spec.level: must be a percentage in (50, 99.9]"},
      {spec("  level: 99.95\n"), "p.yaml:11: spec.level: must be a percentage in (50, 99.9]"},
      {spec("  mode: Scale\n"),
       "p.yaml:11: spec.mode: 'Scale' is not ForecastOnly or ForecastAndScale"},
      {spec("  applyTo: hpaMinReplicas\n"),
       "p.yaml:11: spec.applyTo: 'hpaMinReplicas' is not HpaMinReplicas or Replicas"},
      {spec("  guardrails: {maxScaleDownStep: -1}\n"),
       "p.yaml:11: spec.guardrails.maxScaleDownStep: must be in [0, 100000]"},
      {spec("  model: lstm\n"),
       "p.yaml:11: spec.model: unknown model 'lstm' (known: auto, naive, snaive, snaive-long, "
       "naive2, ets, mstl, prophet, sar)"},
      {spec("  placeholder:\n    resources: {requests: {cpu: 2Gi}}\n"),
       "p.yaml:12: spec.placeholder.resources.requests.cpu: '2Gi' is not a CPU quantity (e.g. "
       "500m, 1, 1.5)"},
      {spec("  placeholder:\n    resources: {requests: {memory: lots}}\n"),
       "p.yaml:12: spec.placeholder.resources.requests.memory: 'lots' is not a memory quantity "
       "(e.g. 512Mi, 2Gi, 1G)"},
      {spec("  placeholder: {enabled: yes}\n"),
       "p.yaml:11: spec.placeholder.enabled: 'yes' is not true or false"},
      {spec("  placeholder: {priorityClassName: system-cluster-critical}\n"),
       "p.yaml:11: spec.placeholder.priorityClassName: the system- prefix is reserved by "
       "Kubernetes"},
      {spec("  placeholder: {leadTime: 2h}\n"),
       "p.yaml:11: spec.placeholder.leadTime: leadTime (2h) + refresh (15m) exceeds horizon "
       "(2h): the forecast must reach that far"},
      {Replace(m, "metadata:\n  name: web\n", "metadata:\n  name: \"w\\neb\"\n"),
       "p.yaml:4: metadata.name: 'w\\neb' is not a DNS label (a-z, 0-9 and '-', at most 63 "
       "characters)"},  // Escaped: still one line.
  };
  for (const BadCase& c : cases) EXPECT_EQ(ErrorOf(c.yaml), c.want) << c.yaml;
}

TEST(PolicySpecTest, OneBadDocumentDoesNotStopTheOthers) {
  const std::string other =
      Replace(Replace(kMinimal, "name: web\n", "name: api\n"), "name: web}", "name: api}");
  const std::string yaml = std::string("# Three policies.\n---\n") + kMinimal + "---\n" +
                           Replace(kMinimal, "maxReplicas: 20", "maxReplicas: [") +
                           "---\n# Only a comment.\n---\n" + other;
  std::vector<Result<PolicySpec>> r = ParsePolicies(yaml, "p.yaml");
  ASSERT_EQ(r.size(), 3u);
  ASSERT_TRUE(r[0].ok()) << r[0].status().message();
  EXPECT_EQ(r[0]->line, 3);
  ASSERT_FALSE(r[1].ok());
  EXPECT_EQ(r[1].status().message().substr(0, 10),
            "p.yaml:24:");  // yaml-cpp's mark: the end of that document.
  ASSERT_TRUE(r[2].ok()) << r[2].status().message();
  EXPECT_EQ(r[2]->name, "api");
  EXPECT_EQ(r[2]->line, 27);
}

// yaml-cpp 0.7's LoadAll never returns on a lone comma (found by policy_fuzzer).
TEST(PolicySpecTest, LoneCommaDocumentDoesNotHang) {
  const std::string yaml = std::string(",\n---\n") + kMinimal + "...\n,\n";
  std::vector<Result<PolicySpec>> r = ParsePolicies(yaml, "p.yaml");
  ASSERT_FALSE(r.empty());
  int good = 0;
  for (const Result<PolicySpec>& p : r) good += p.ok();
  EXPECT_EQ(good, 1);
}

TEST(PolicySpecTest, DuplicateNameOrTargetIsAnErrorOnTheSecond) {
  const std::string same_target = Replace(kMinimal, "name: web\n", "name: web2\n");
  const std::string other_ns = Replace(kMinimal, "name: web\n", "name: web\n  namespace: b\n");
  const std::string yaml =
      std::string(kMinimal) + "---\n" + kMinimal + "---\n" + same_target + "---\n" + other_ns;
  std::vector<Result<PolicySpec>> r = ParsePolicies(yaml, "p.yaml");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(r[1].status().message(),
            "p.yaml:15: metadata.name: duplicate policy default/web (the first is at p.yaml:1)");
  EXPECT_EQ(r[2].status().message(),
            "p.yaml:28: spec.targetRef.name: Deployment default/web already has a policy (at "
            "p.yaml:1)");
  EXPECT_TRUE(r[3].ok());  // Same names in another namespace.
}

class PolicyFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("policy_spec_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(PolicyFilesTest, DirectoryReadsYamlFilesInOrderAndDuplicatesAcrossFiles) {
  Write("b.yml",
        Replace(Replace(kMinimal, "name: web\n", "name: api\n"), "name: web}", "name: api}"));
  Write("a.yaml", kMinimal);
  Write("c.yaml", kMinimal);  // The same policy as a.yaml.
  Write("notes.txt", "not a policy");
  std::vector<Result<PolicySpec>> r = LoadPolicies({dir_.string()});
  ASSERT_EQ(r.size(), 3u);
  ASSERT_TRUE(r[0].ok()) << r[0].status().message();
  EXPECT_EQ(r[0]->source, (dir_ / "a.yaml").string());
  ASSERT_TRUE(r[1].ok()) << r[1].status().message();
  EXPECT_EQ(r[1]->name, "api");
  EXPECT_EQ(r[2].status().message(), (dir_ / "c.yaml").string() +
                                         ":4: metadata.name: duplicate policy default/web (the "
                                         "first is at " +
                                         (dir_ / "a.yaml").string() + ":1)");
}

TEST_F(PolicyFilesTest, UnreadablePathIsOneErrorAndTheRestLoads) {
  const std::string good = Write("good.yaml", kMinimal);
  const std::string missing = (dir_ / "missing.yaml").string();
  std::vector<Result<PolicySpec>> r = LoadPolicies({missing, good});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status().message(), missing + ": cannot read: No such file or directory");
  EXPECT_TRUE(r[1].ok());
}

TEST(PolicySpecTest, DeployExampleParses) {
  std::vector<Result<PolicySpec>> r =
      LoadPolicies({std::string(PRESCIENT_SOURCE_DIR) + "/deploy/policy-example.yaml"});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].ok()) << r[0].status().message();
  EXPECT_EQ(r[0]->ns, "shop");
  EXPECT_EQ(r[0]->target, "checkout");
  EXPECT_EQ(r[0]->query,
            "sum(rate(http_requests_total{namespace=\"shop\",service=\"checkout\"}[2m]))");
  EXPECT_TRUE(r[0]->placeholder.enabled);
}

}  // namespace
}  // namespace prescient::controller
