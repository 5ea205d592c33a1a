#include "prescient/sim/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace prescient::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMinimal[] = R"(apiVersion: prescient.dev/v1alpha1
kind: SimulationScenario
metadata: {name: small}
spec:
  services:
  - name: web
    trace: {file: t.csv}
    capacityPerPod: 100
)";

// The minimal scenario with `services[0]` fields appended (indented to the service).
std::string WithService(const std::string& extra) { return kMinimal + extra; }

std::string ErrorOf(const std::string& yaml) {
  Result<Scenario> s = ParseScenario(yaml, "s.yaml");
  return s.ok() ? "(parsed)" : std::string(s.status().message());
}

TEST(QuantityTest, CpuMillicores) {
  EXPECT_EQ(*ParseCpuQuantity("1000m"), 1000);
  EXPECT_EQ(*ParseCpuQuantity("250m"), 250);
  EXPECT_EQ(*ParseCpuQuantity("1"), 1000);
  EXPECT_EQ(*ParseCpuQuantity("0.5"), 500);
  EXPECT_EQ(*ParseCpuQuantity("2"), 2000);
  for (const char* bad : {"", "m", "1Gi", "-1", "0", "0m", "1.5.2", "abc", "1 m", "1e9"}) {
    EXPECT_FALSE(ParseCpuQuantity(bad).ok()) << bad;
  }
}

TEST(QuantityTest, MemoryBytes) {
  EXPECT_EQ(*ParseMemoryQuantity("2Gi"), int64_t{2} << 30);
  EXPECT_EQ(*ParseMemoryQuantity("512Mi"), int64_t{512} << 20);
  EXPECT_EQ(*ParseMemoryQuantity("1Ki"), 1024);
  EXPECT_EQ(*ParseMemoryQuantity("1G"), 1000000000);
  EXPECT_EQ(*ParseMemoryQuantity("1e9"), 1000000000);
  EXPECT_EQ(*ParseMemoryQuantity("1000"), 1000);
  EXPECT_EQ(*ParseMemoryQuantity("1.5Gi"), int64_t{3} << 29);
  for (const char* bad : {"", "Gi", "2GiB", "-1Gi", "0", "2gi", "1m", "1e99"}) {
    EXPECT_FALSE(ParseMemoryQuantity(bad).ok()) << bad;
  }
}

TEST(QuantityTest, SecondsWithMilliseconds) {
  EXPECT_DOUBLE_EQ(*ParseSecondsQuantity("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseSecondsQuantity("2s"), 2);
  EXPECT_DOUBLE_EQ(*ParseSecondsQuantity("1m"), 60);
  for (const char* bad : {"", "ms", "0ms", "-5ms", "5 ms", "fast"}) {
    EXPECT_FALSE(ParseSecondsQuantity(bad).ok()) << bad;
  }
}

TEST(ScenarioTest, MinimalScenarioTakesTheDefaults) {
  Result<Scenario> s = ParseScenario(kMinimal, "s.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "small");
  EXPECT_EQ(s->options.seed, 1u);
  EXPECT_EQ(s->options.tick, kDefaultTick);
  EXPECT_EQ(s->start_after, kDefaultStartAfter);
  EXPECT_EQ(s->options.cluster.startup_max, kDefaultStartupMax);
  EXPECT_TRUE(s->options.cluster.instance_types.empty());
  EXPECT_FALSE(s->options.cluster.spot_share.has_value());
  ASSERT_EQ(s->services.size(), 1u);
  const ScenarioService& web = s->services[0];
  EXPECT_EQ(web.spec.name, "web");
  EXPECT_EQ(web.trace_file, "t.csv");
  EXPECT_DOUBLE_EQ(web.spec.workload.capacity_rps, 100);
  EXPECT_EQ(web.policy.name, "hpa");
  EXPECT_TRUE(web.spec.hpa);
  EXPECT_EQ(web.spec.hpa_spec.min_replicas, 2);
  EXPECT_EQ(web.spec.hpa_spec.max_replicas, 100);
  EXPECT_EQ(web.spec.hpa_spec.target_cpu_utilization_percent, 70);
  EXPECT_EQ(web.spec.pdb_min_available, -1);
  EXPECT_FALSE(web.spec.slo.has_value());
  EXPECT_FALSE(web.spec.pod.startup_min.has_value());
  EXPECT_FALSE(web.replicas.has_value());
}

TEST(ScenarioTest, EveryFieldIsDecoded) {
  const std::string yaml = R"(apiVersion: prescient.dev/v1alpha1
kind: SimulationScenario
metadata: {name: full, labels: {team: sre}}
spec:
  seed: 42
  tick: 5s
  startAfter: 2d
  cluster:
    zones: [a, b]
    nodePools:
    - name: general
      instanceTypes: [m5.large, m5.xlarge]
      spotShare: 0.5
      spotInterruptionsPerHour: 0.1
    provisioning: {min: 30s, max: 2m}
    podStartup: {min: 10s, max: 1m}
    consolidateAfter: 0s
  services:
  - name: web
    trace: {file: /abs/t.csv, peakPods: 20}
    capacityPerPod: 80.5
    slo: {p99: 250ms, errorRate: 0.02}
    resources: {cpu: 500m, memory: 512Mi}
    startup: {min: 5s, max: 15s}
    replicas: 4
    hpa: {minReplicas: 3, maxReplicas: 30, targetCPUUtilization: 60}
    pdb: {maxUnavailable: 2}
    policy: {name: predictive, horizon: 1h, refresh: 5m, lead: 4m, level: 90, placeholders: false}
  - name: batch
    trace: {file: t.csv, scale: 0.5}
    capacityPerPod: 10
    pdb: {minAvailable: 1}
    policy: static-peak
)";
  Result<Scenario> s = ParseScenario(yaml, "s.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->options.seed, 42u);
  EXPECT_EQ(s->options.tick, Duration(5));
  EXPECT_EQ(s->start_after, Duration(2 * 86400));
  const ClusterOptions& c = s->options.cluster;
  EXPECT_EQ(c.zones, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.instance_types, (std::vector<std::string>{"m5.large", "m5.xlarge"}));
  EXPECT_EQ(c.spot_share, 0.5);
  EXPECT_FALSE(c.use_spot);
  EXPECT_DOUBLE_EQ(c.spot_interruptions_per_hour, 0.1);
  EXPECT_EQ(c.provision_min, Duration(30));
  EXPECT_EQ(c.provision_max, Duration(120));
  EXPECT_EQ(c.startup_min, Duration(10));
  EXPECT_EQ(c.startup_max, Duration(60));
  EXPECT_EQ(c.consolidate_after, Duration(0));
  ASSERT_EQ(s->services.size(), 2u);
  const ScenarioService& web = s->services[0];
  EXPECT_EQ(web.peak_pods, 20);
  EXPECT_DOUBLE_EQ(web.spec.workload.capacity_rps, 80.5);
  ASSERT_TRUE(web.spec.slo.has_value());
  EXPECT_DOUBLE_EQ(web.spec.slo->p99_s, 0.25);
  EXPECT_DOUBLE_EQ(web.spec.slo->error_rate, 0.02);
  EXPECT_EQ(web.spec.pod.cpu_request_millicores, 500);
  EXPECT_EQ(web.spec.pod.memory_request_bytes, int64_t{512} << 20);
  EXPECT_EQ(web.spec.pod.startup_min, Duration(5));
  EXPECT_EQ(web.spec.pod.startup_max, Duration(15));
  EXPECT_EQ(web.replicas, 4);
  EXPECT_EQ(web.spec.hpa_spec.min_replicas, 3);
  EXPECT_EQ(web.spec.hpa_spec.max_replicas, 30);
  EXPECT_EQ(web.spec.hpa_spec.target_cpu_utilization_percent, 60);
  EXPECT_EQ(web.pdb_max_unavailable, 2);
  EXPECT_EQ(web.policy.name, "predictive");
  EXPECT_EQ(web.policy.horizon, Duration(3600));
  EXPECT_EQ(web.policy.refresh, Duration(300));
  EXPECT_EQ(web.policy.lead, Duration(240));
  EXPECT_EQ(web.policy.level, 90);
  EXPECT_EQ(web.policy.placeholders, false);
  const ScenarioService& batch = s->services[1];
  EXPECT_EQ(batch.scale, 0.5);
  EXPECT_EQ(batch.spec.pdb_min_available, 1);
  EXPECT_EQ(batch.policy.name, "static-peak");
  EXPECT_FALSE(batch.spec.hpa);
}

TEST(ScenarioTest, SpotShareOfOneIsAllSpot) {
  const std::string yaml =
      std::string(kMinimal).replace(std::string(kMinimal).find("  services:"), 0,
                                    "  cluster:\n    nodePools: [{name: p, spotShare: 1}]\n");
  Result<Scenario> s = ParseScenario(yaml, "s.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->options.cluster.use_spot);
  EXPECT_FALSE(s->options.cluster.spot_share.has_value());
}

struct BadCase {
  std::string yaml;
  std::string want;  // A substring of the one-line error.
};

// Every error names the file, the line and the field's path.
TEST(ScenarioTest, BadInputIsOneLineNamingFileLineAndField) {
  const std::string k = kMinimal;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = k;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<BadCase> cases = {
      {"", "s.yaml: (document): must be a mapping"},
      {"[1, 2", "s.yaml:1: "},  // yaml-cpp's own syntax error, with its line.
      {"a: [b: {c", "s.yaml:1: "},
      {"key: value\n  bad indent: x\n", "s.yaml:2: "},
      {replace("apiVersion: prescient.dev/v1alpha1", "apiVersion: v1"),
       "s.yaml:1: apiVersion: 'v1' is not prescient.dev/v1alpha1"},
      {replace("kind: SimulationScenario", "kind: Pod"), "s.yaml:2: kind: 'Pod' is not"},
      {replace("kind: SimulationScenario", "kind: \"Sim\\nX\\0\""),
       "s.yaml:2: kind: 'Sim\\nX\\x00' is not"},  // Control characters escaped: one line.
      {replace("metadata: {name: small}\n", "metadata: {name: small}\nstatus: {}\n"),
       "s.yaml:4: status: unknown field"},
      {replace("spec:\n", "spec:\n  seeds: 3\n"), "s.yaml:5: spec.seeds: unknown field"},
      {replace("spec:\n", "spec:\n  seed: -3\n"), "s.yaml:5: spec.seed: must be in [0,"},
      {replace("spec:\n", "spec:\n  seed: 1.5\n"), "spec.seed: '1.5' is not an integer"},
      {replace("spec:\n", "spec:\n  seed: [1]\n"), "spec.seed: must be a string (got a list)"},
      {replace("spec:\n", "spec:\n  tick: 7s\n"), "s.yaml:5: spec.tick: must divide a minute"},
      {replace("spec:\n", "spec:\n  tick: soon\n"), "spec.tick: bad duration 'soon'"},
      {replace("spec:\n", "spec:\n  cluster: {zones: []}\n"),
       "s.yaml:5: spec.cluster.zones: must name at least one zone"},
      {replace("spec:\n", "spec:\n  cluster: {zones: [a, a]}\n"),
       "spec.cluster.zones[1]: duplicate zone 'a'"},
      {replace("spec:\n",
               "spec:\n  cluster:\n    nodePools:\n    - {name: p, instanceTypes: "
               "[m5.large, x9.huge]}\n"),
       "s.yaml:7: spec.cluster.nodePools[0].instanceTypes[1]: unknown instance type 'x9.huge'"},
      {replace("spec:\n", "spec:\n  cluster: {nodePools: [{name: a}, {name: b}]}\n"),
       "spec.cluster.nodePools: exactly one node pool is supported"},
      {replace("spec:\n", "spec:\n  cluster: {nodePools: [{spotShare: 1.5}]}\n"),
       "spec.cluster.nodePools[0].spotShare: must be in [0, 1]"},
      {replace("spec:\n", "spec:\n  cluster: {provisioning: {min: 3m, max: 1m}}\n"),
       "spec.cluster.provisioning.max: max (1m) is below min (3m)"},
      {replace("spec:\n", "spec:\n  cluster: {podStartup: {min: 1s, typical: 2s}}\n"),
       "spec.cluster.podStartup.typical: unknown field"},
      {replace("  services:\n  - name: web\n    trace: {file: t.csv}\n    capacityPerPod: 100\n",
               "  services: []\n"),
       "spec.services: must list a service"},
      {replace("spec:\n  services:", "spec:\n  service:"), "spec.service: unknown field"},
      {replace("    capacityPerPod: 100\n", ""),
       "s.yaml:6: spec.services[0].capacityPerPod: required field missing"},
      {replace("capacityPerPod: 100", "capacityPerPod: 0"),
       "s.yaml:8: spec.services[0].capacityPerPod: must be > 0"},
      {replace("capacityPerPod: 100", "capacityPerPod: -5"),
       "spec.services[0].capacityPerPod: must be > 0"},
      {replace("capacityPerPod: 100", "capacityPerPod: lots"),
       "spec.services[0].capacityPerPod: 'lots' is not a number"},
      {replace("capacityPerPod: 100", "capacityPerPod: .nan"),
       "spec.services[0].capacityPerPod: '.nan' is not a number"},
      {replace("name: web", "name: Web_1"), "spec.services[0].name: 'Web_1' is not a DNS label"},
      {replace("trace: {file: t.csv}", "trace: t.csv"),
       "spec.services[0].trace: must be a mapping (got 't.csv')"},
      {replace("trace: {file: t.csv}", "trace: {peakPods: 3}"),
       "spec.services[0].trace.file: required field missing"},
      {replace("trace: {file: t.csv}", "trace: {file: t.csv, peakPods: 3, scale: 2}"),
       "spec.services[0].trace.scale: give peakPods or scale, not both"},
      {replace("trace: {file: t.csv}", "trace: {file: t.csv, peakPods: 0}"),
       "spec.services[0].trace.peakPods: must be > 0"},
      {WithService("    replicas: many\n"), "s.yaml:9: spec.services[0].replicas: 'many' is not"},
      {WithService("    replicas: -1\n"), "spec.services[0].replicas: must be in [0,"},
      {WithService("    hpa: {minReplicas: 5, maxReplicas: 3}\n"),
       "s.yaml:9: spec.services[0].hpa.maxReplicas: maxReplicas (3) is below minReplicas (5)"},
      {WithService("    hpa: {minReplicas: 0}\n"), "spec.services[0].hpa.minReplicas: must be in"},
      {WithService("    hpa: {maxReplicas: 1e3}\n"),
       "spec.services[0].hpa.maxReplicas: '1e3' is not an integer"},
      {WithService("    hpa: {targetCPU: 50}\n"), "spec.services[0].hpa.targetCPU: unknown field"},
      {WithService("    pdb: {minAvailable: 1, maxUnavailable: 1}\n"),
       "spec.services[0].pdb: give one of minAvailable or maxUnavailable"},
      {WithService("    pdb: {}\n"), "spec.services[0].pdb: give one of"},
      {WithService("    policy: magic\n"),
       "s.yaml:9: spec.services[0].policy: unknown policy 'magic' (known: hpa, predictive, "
       "static-peak)"},
      {WithService("    policy: {name: magic}\n"), "spec.services[0].policy.name: unknown policy"},
      {WithService("    policy: {name: hpa, level: 90}\n"),
       "spec.services[0].policy: only the predictive policy takes options"},
      {WithService("    policy: {name: predictive, level: 100}\n"),
       "spec.services[0].policy.level: must be a percentage in (0, 100)"},
      {WithService("    policy: {name: predictive, placeholders: yes}\n"),
       "spec.services[0].policy.placeholders: 'yes' is not true or false"},
      {WithService("    resources: {cpu: 2Gi}\n"),
       "s.yaml:9: spec.services[0].resources.cpu: '2Gi' is not a CPU quantity"},
      {WithService("    resources: {memory: 2GB}\n"),
       "spec.services[0].resources.memory: '2GB' is not a memory quantity"},
      {WithService("    resources: {gpu: 1}\n"), "spec.services[0].resources.gpu: unknown field"},
      {WithService("    slo: {p99: 10ms}\n"),
       "spec.services[0].slo.p99: must be above an idle pod's latency (50ms)"},
      {WithService("    slo: {p99: 500}\n    slo: {p99: 1s}\n"),
       "s.yaml:10: spec.services[0].slo: duplicate field"},
      {WithService("    startup: {min: 2m, max: 1m}\n"),
       "spec.services[0].startup.max: max (1m) is below min (2m)"},
      {WithService("  - name: api\n    trace: {file: t.csv}\n    capacityPerPod: 1\n"
                   "  - name: web\n    trace: {file: t.csv}\n    capacityPerPod: 1\n"),
       "s.yaml:12: spec.services[2].name: duplicate service name 'web'"},
      {WithService("    1: x\n"), "spec.services[0].1: unknown field"},
      {WithService("    ? [a]\n    : x\n"), "spec.services[0]: field names must be strings"},
  };
  for (const BadCase& c : cases) {
    const std::string err = ErrorOf(c.yaml);
    EXPECT_THAT(err, HasSubstr(c.want)) << c.yaml;
    EXPECT_THAT(err, Not(HasSubstr("\n"))) << err;
  }
}

TEST(ScenarioTest, AnchorsAndAliasesAreFine) {
  const std::string yaml = R"(apiVersion: prescient.dev/v1alpha1
kind: SimulationScenario
spec:
  services:
  - &svc {name: web, trace: {file: t.csv}, capacityPerPod: 100}
  - {name: api, trace: {file: t.csv}, capacityPerPod: 100}
)";
  EXPECT_TRUE(ParseScenario(yaml, "s.yaml").ok());
}

TEST(ScenarioTest, ZoneFaults) {
  Result<Scenario> s = ParseScenario(
      WithService("  faults:\n"
                  "  - {zone: zone-b, from: 2h, duration: 30m, latency: 150ms, errorRate: 0.02}\n"
                  "  - {zone: zone-c, errorRate: 0.05}\n"),
      "s.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->faults.size(), 2u);
  EXPECT_EQ(s->faults[0].zone, "zone-b");
  EXPECT_EQ(s->faults[0].from, Duration(7200));
  EXPECT_EQ(s->faults[0].duration, Duration(1800));
  EXPECT_DOUBLE_EQ(s->faults[0].latency_s, 0.15);
  EXPECT_DOUBLE_EQ(s->faults[0].error_rate, 0.02);
  EXPECT_EQ(s->faults[1].from, Duration(0));
  EXPECT_FALSE(s->faults[1].duration.has_value());
  EXPECT_EQ(s->faults[1].latency_s, 0);

  auto fault = [](const std::string& f) {
    return ErrorOf(WithService("  faults:\n  - " + f + "\n"));
  };
  EXPECT_THAT(
      fault("{zone: zone-x, errorRate: 0.1}"),
      HasSubstr("s.yaml:10: spec.faults[0].zone: unknown zone 'zone-x' (spec.cluster.zones: "
                "zone-a, zone-b, zone-c)"));
  EXPECT_THAT(fault("{zone: zone-a}"),
              HasSubstr("spec.faults[0]: give latency, errorRate or both"));
  EXPECT_THAT(fault("{zone: zone-a, errorRate: 2}"),
              HasSubstr("spec.faults[0].errorRate: must be in [0, 1]"));
  EXPECT_THAT(fault("{zone: zone-a, latency: fast}"), HasSubstr("spec.faults[0].latency: "));
  EXPECT_THAT(fault("{zone: zone-a, errorRate: 0.1, until: 2h}"), HasSubstr("spec.faults[0]"));
  EXPECT_THAT(fault("{zone: zone-a, errorRate: 0.1, duration: 0s}"),
              HasSubstr("spec.faults[0].duration"));
}

class ScenarioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_scenario_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "traces");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(ScenarioFileTest, TracesAreRelativeToTheScenarioAndScaled) {
  std::string csv = "timestamp,value\n";
  for (int i = 0; i < 300; ++i) {
    csv += std::to_string(1404165600 + 60 * i) + "," + std::to_string(60 * (1 + i % 10)) + "\n";
  }
  Write("traces/t.csv", csv);
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("trace: {file: t.csv}"), 20, "trace: {file: traces/t.csv, peakPods: 5}");
  yaml.replace(yaml.find("spec:\n"), 6, "spec:\n  startAfter: 1h\n");
  const std::string path = Write("s.yaml", yaml);
  Result<Scenario> s = LoadScenario(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const LoadTrace& trace = s->services[0].spec.trace;
  // Rates 1..10 rps; scaled so that the 99th percentile is 5 pods x 100 rps.
  EXPECT_NEAR(trace.Quantile(0.99), 500, 1e-6);
  EXPECT_EQ(s->start, trace.start() + Duration(3600));
  EXPECT_TRUE(s->options.zone_faults.empty());
}

TEST_F(ScenarioFileTest, FaultsStartRelativeToTheStart) {
  std::string csv = "timestamp,value\n";
  for (int i = 0; i < 300; ++i) csv += std::to_string(1404165600 + 60 * i) + ",600\n";
  Write("t.csv", csv);
  const std::string path =
      Write("s.yaml", WithService("  faults: [{zone: zone-b, from: 2h, duration: 30m, "
                                  "latency: 150ms}]\n"));
  Result<Scenario> s = LoadScenario(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->options.zone_faults.size(), 1u);
  const ZoneFault& f = s->options.zone_faults[0];
  EXPECT_EQ(f.zone, "zone-b");
  EXPECT_EQ(f.from, s->start + Duration(7200));
  EXPECT_EQ(f.until, s->start + Duration(9000));
  EXPECT_DOUBLE_EQ(f.extra_latency_s, 0.15);
  EXPECT_EQ(f.error_rate, 0);
}

TEST_F(ScenarioFileTest, MissingTraceNamesTheField) {
  const std::string path = Write("s.yaml", kMinimal);
  Result<Scenario> s = LoadScenario(path);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr(path + ": spec.services[0].trace.file: "));
  EXPECT_THAT(s.status().message(), HasSubstr("no trace file"));
  EXPECT_THAT(s.status().message(), HasSubstr("t.csv"));
}

TEST_F(ScenarioFileTest, BadTraceNamesTheField) {
  Write("t.csv", "timestamp,value\n0,1\n60,-4\n");
  const std::string path = Write("s.yaml", kMinimal);
  Result<Scenario> s = LoadScenario(path);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("spec.services[0].trace.file: "));
}

TEST_F(ScenarioFileTest, MissingScenarioFile) {
  Result<Scenario> s = LoadScenario((dir_ / "nope.yaml").string());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("nope.yaml: cannot read"));
}

TEST(DefaultScenarioTest, WebIsWhatSimServeHardCoded) {
  Result<Scenario> s = LoadScenario(PRESCIENT_SOURCE_DIR "/testdata/demo/scenario.yaml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_GE(s->services.size(), 1u);
  const ScenarioService& web = s->services[0];
  EXPECT_EQ(web.spec.name, "web");
  EXPECT_EQ(web.policy.name, "predictive");
  EXPECT_DOUBLE_EQ(web.spec.workload.capacity_rps, 100);
  EXPECT_EQ(web.peak_pods, 20);
  EXPECT_EQ(web.spec.hpa_spec.min_replicas, 2);
  EXPECT_EQ(web.spec.hpa_spec.max_replicas, 100);
  EXPECT_EQ(web.spec.hpa_spec.target_cpu_utilization_percent, 70);
  EXPECT_EQ(web.pdb_max_unavailable, 3);
  EXPECT_EQ(s->start, web.spec.trace.start() + Duration(7 * 86400));
  EXPECT_EQ(s->options.seed, 1u);
  EXPECT_EQ(s->options.tick, kDefaultTick);
  const ClusterOptions defaults;
  EXPECT_EQ(s->options.cluster.zones, defaults.zones);
  EXPECT_EQ(s->options.cluster.startup_min, defaults.startup_min);
  EXPECT_EQ(s->options.cluster.startup_max, defaults.startup_max);
  EXPECT_EQ(s->options.cluster.provision_min, defaults.provision_min);
  EXPECT_EQ(s->options.cluster.provision_max, defaults.provision_max);
  EXPECT_EQ(s->options.cluster.consolidate_after, defaults.consolidate_after);
  EXPECT_FALSE(s->options.cluster.use_spot);
  EXPECT_FALSE(s->options.cluster.spot_share.has_value());
}

}  // namespace
}  // namespace prescient::sim
