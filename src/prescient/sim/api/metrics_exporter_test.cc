// The /metrics exposition of a small simulated cluster: validated by the real promtool,
// the kube-state-metrics series against the objects the API serves, counters monotonic
// while pods come and go, the 1/speed rate convention, the latency histogram.
#include "prescient/sim/api/metrics_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "prescient/sim/api/objects_json.h"

namespace prescient::sim::api {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr Timestamp kT0{seconds{1'699'999'980}};  // A whole minute.
constexpr char kPromtool[] = "/usr/bin/promtool";

LoadTrace Trace(std::vector<double> rps) {
  std::vector<double> counts;
  for (double r : rps) counts.push_back(r * 60);
  Result<LoadTrace> t = LoadTrace::FromCounts(Series(kT0, Duration(60), std::move(counts)), "test");
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::move(t).value();
}

ServiceSpec Service(std::string name, LoadTrace trace, bool hpa = true) {
  ServiceSpec s;
  s.name = std::move(name);
  s.trace = std::move(trace);
  s.initial_replicas = 2;
  s.hpa = hpa;
  s.hpa_spec.max_replicas = 20;
  return s;
}

// "web" steps from 50 to 400 rps at minute 5 (the HPA scales up, nodes launch); "api"
// holds 30 rps without an HPA.
std::unique_ptr<Simulator> Make(std::string web_name = "web") {
  std::vector<ServiceSpec> services;
  std::vector<double> web(120, 400.0);
  std::fill(web.begin(), web.begin() + 5, 50.0);
  services.push_back(Service(std::move(web_name), Trace(web)));
  services.push_back(Service("api", Trace(std::vector<double>(120, 30.0)), /*hpa=*/false));
  Result<std::unique_ptr<Simulator>> sim = Simulator::Create({}, std::move(services), kT0);
  EXPECT_TRUE(sim.ok()) << sim.status().message();
  return std::move(sim).value();
}

// Series (the text before the value) -> value; `families` gets the TYPE lines in order.
std::map<std::string, double> Parse(const std::string& text,
                                    std::vector<std::string>* families = nullptr) {
  std::map<std::string, double> series;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      if (families != nullptr) families->push_back(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    const std::string key = line.substr(0, space);
    EXPECT_FALSE(series.count(key)) << "duplicate series " << key;
    series[key] = std::stod(line.substr(space + 1));
  }
  return series;
}

// Sum of the samples of `name` whose series contains every one of `with`.
double Sum(const std::map<std::string, double>& series, const std::string& name,
           const std::vector<std::string>& with = {}) {
  double sum = 0;
  for (const auto& [key, value] : series) {
    if (key.substr(0, key.find('{')) != name) continue;
    bool all = true;
    for (const std::string& w : with) all = all && key.find(w) != std::string::npos;
    if (all) sum += value;
  }
  return sum;
}

int Count(const std::map<std::string, double>& series, const std::string& name) {
  int n = 0;
  for (const auto& [key, value] : series) n += key.substr(0, key.find('{')) == name ? 1 : 0;
  return n;
}

// Runs `promtool check metrics` on the text; returns its exit code, its output in *out.
int Promtool(const std::string& text, std::string* out) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string base = (dir / ("prescient_metrics_" + std::to_string(::getpid()))).string();
  std::ofstream(base + ".txt") << text;
  const std::string cmd =
      std::string(kPromtool) + " check metrics <" + base + ".txt >" + base + ".out 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(base + ".out");
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::filesystem::remove(base + ".txt");
  std::filesystem::remove(base + ".out");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ExpectPromtoolSilent(const std::string& text) {
  ASSERT_EQ(::access(kPromtool, X_OK), 0)
      << kPromtool << " is missing: install the Debian package prometheus (scripts/setup.sh)";
  std::string out;
  EXPECT_EQ(Promtool(text, &out), 0) << out;
  EXPECT_EQ(out, "") << "promtool lint";
}

TEST(MetricsExporterTest, PromtoolAcceptsTheExpositionWithoutLintWarnings) {
  std::unique_ptr<Simulator> sim = Make();
  MetricsExporter exporter(/*speed=*/60);
  exporter.Observe(*sim);
  ExpectPromtoolSilent(exporter.Text());
  for (int minute = 1; minute <= 15; ++minute) {
    sim->RunUntil(kT0 + Duration(60 * minute));
    exporter.Observe(*sim);
  }
  const std::string text = exporter.Text();
  ExpectPromtoolSilent(text);
  // Every family once, with HELP and TYPE, its samples together.
  std::vector<std::string> families;
  const std::map<std::string, double> series = Parse(text, &families);
  EXPECT_EQ(std::set<std::string>(families.begin(), families.end()).size(), families.size());
  std::string previous, current_family;
  std::set<std::string> closed;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      if (!current_family.empty()) closed.insert(current_family);
      current_family = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_FALSE(closed.count(current_family)) << current_family << " is split";
      continue;
    }
    if (line[0] == '#') continue;
    const std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(name.rfind(current_family, 0), 0u) << line << " outside its family";
  }
  for (const char* family : {"kube_deployment_spec_replicas",
                             "kube_deployment_status_replicas",
                             "kube_deployment_status_replicas_available",
                             "kube_deployment_status_replicas_unavailable",
                             "kube_deployment_status_replicas_updated",
                             "kube_deployment_status_replicas_ready",
                             "kube_deployment_metadata_generation",
                             "kube_deployment_status_observed_generation",
                             "kube_replicaset_spec_replicas",
                             "kube_replicaset_status_replicas",
                             "kube_replicaset_status_ready_replicas",
                             "kube_replicaset_owner",
                             "kube_pod_info",
                             "kube_pod_status_phase",
                             "kube_pod_status_ready",
                             "kube_pod_container_resource_requests",
                             "kube_pod_owner",
                             "kube_pod_created",
                             "kube_node_info",
                             "kube_node_labels",
                             "kube_node_status_allocatable",
                             "kube_node_status_condition",
                             "kube_node_spec_unschedulable",
                             "kube_node_spec_taint",
                             "kube_horizontalpodautoscaler_spec_min_replicas",
                             "kube_horizontalpodautoscaler_spec_max_replicas",
                             "kube_horizontalpodautoscaler_status_current_replicas",
                             "kube_horizontalpodautoscaler_status_desired_replicas",
                             "kube_horizontalpodautoscaler_spec_target_metric",
                             "http_requests_total",
                             "http_request_duration_seconds",
                             "container_cpu_usage_seconds_total",
                             "container_memory_working_set_bytes",
                             "prescient_sim_time_seconds",
                             "prescient_sim_requests_per_second"}) {
    EXPECT_THAT(families, ::testing::Contains(family));
  }
  EXPECT_EQ(series.at("prescient_sim_time_seconds"),
            static_cast<double>(sim->Now().time_since_epoch().count()));
}

// The kube-state-metrics series describe the objects the API serves, by the same names.
TEST(MetricsExporterTest, ObjectSeriesMatchTheApisObjects) {
  std::unique_ptr<Simulator> sim = Make();
  MetricsExporter exporter(1);
  // Mid scale-up, at a moment with pods whose containers have not started.
  auto starting = [&] {
    for (const Pod& p : sim->cluster().pods()) {
      if (!p.started_at.has_value()) return true;
    }
    return false;
  };
  while (!starting() && sim->Now() < kT0 + Duration(30 * 60)) {
    sim->RunUntil(sim->Now() + sim->tick());
  }
  exporter.Observe(*sim);
  const std::map<std::string, double> s = Parse(exporter.Text());
  const ClusterState& cluster = sim->cluster();
  const int pods = static_cast<int>(cluster.pods().size());
  EXPECT_EQ(Count(s, "kube_pod_info"), pods);
  EXPECT_EQ(Count(s, "kube_pod_owner"), pods);
  EXPECT_EQ(Count(s, "kube_pod_status_phase"), 5 * pods);
  EXPECT_EQ(Sum(s, "kube_pod_status_phase"), pods);
  EXPECT_EQ(Count(s, "kube_pod_container_resource_requests"), 2 * pods);
  int running = 0, ready = 0;
  for (const Pod& p : cluster.pods()) {
    running += p.started_at.has_value() ? 1 : 0;
    ready += p.ready ? 1 : 0;
  }
  EXPECT_LT(running, pods) << "the scenario should have pending pods at this point";
  EXPECT_EQ(Sum(s, "kube_pod_status_phase", {"phase=\"Running\""}), running);
  EXPECT_EQ(Sum(s, "kube_pod_status_ready", {"condition=\"true\""}), ready);
  EXPECT_EQ(Count(s, "container_memory_working_set_bytes"), running);

  const KindView api_pods = Pods(cluster, sim->Now());
  for (const nlohmann::json& pod : api_pods.items) {
    const std::string name = pod["metadata"]["name"];
    const std::string owner = pod["metadata"]["ownerReferences"][0]["name"];
    EXPECT_EQ(Sum(s, "kube_pod_owner",
                  {"pod=\"" + name + "\"", "owner_name=\"" + owner + "\"",
                   "uid=\"" + std::string(pod["metadata"]["uid"]) + "\""}),
              1)
        << name;
  }
  for (const nlohmann::json& rs : ReplicaSets(cluster, kT0, sim->Now()).items) {
    const std::string name = rs["metadata"]["name"];
    EXPECT_EQ(Sum(s, "kube_replicaset_spec_replicas", {"replicaset=\"" + name + "\""}),
              rs["spec"]["replicas"].get<double>());
    EXPECT_EQ(Sum(s, "kube_replicaset_status_ready_replicas", {"replicaset=\"" + name + "\""}),
              rs["status"]["readyReplicas"].get<double>());
  }
  for (const nlohmann::json& d : Deployments(cluster, kT0, sim->Now()).items) {
    const std::string sel = "deployment=\"" + std::string(d["metadata"]["name"]) + "\"";
    EXPECT_EQ(Sum(s, "kube_deployment_spec_replicas", {sel}), d["spec"]["replicas"].get<double>());
    EXPECT_EQ(Sum(s, "kube_deployment_status_replicas", {sel}),
              d["status"]["replicas"].get<double>());
  }
  const KindView nodes = Nodes(cluster, sim->Now());
  EXPECT_EQ(Count(s, "kube_node_info"), static_cast<int>(nodes.items.size()));
  for (const nlohmann::json& n : nodes.items) {
    const std::string name = n["metadata"]["name"];
    const std::string zone = n["metadata"]["labels"]["topology.kubernetes.io/zone"];
    EXPECT_EQ(Sum(s, "kube_node_labels",
                  {"node=\"" + name + "\"", "label_topology_kubernetes_io_zone=\"" + zone + "\""}),
              1);
    EXPECT_EQ(Sum(s, "kube_node_status_condition", {"node=\"" + name + "\"", "status=\"true\""}),
              n["status"]["conditions"][0]["status"] == "True" ? 1 : 0);
  }
  // One HPA (web), none for api.
  EXPECT_EQ(Count(s, "kube_horizontalpodautoscaler_spec_max_replicas"), 1);
  EXPECT_EQ(
      Sum(s, "kube_horizontalpodautoscaler_spec_max_replicas", {"horizontalpodautoscaler=\"web\""}),
      20);
}

// Every counter series that exists in two successive scrapes never goes down, while
// the HPA scales up and pods come and go.
TEST(MetricsExporterTest, CountersAreMonotonicWhilePodsComeAndGo) {
  std::unique_ptr<Simulator> sim = Make();
  MetricsExporter exporter(30);
  exporter.Observe(*sim);
  std::map<std::string, double> previous = Parse(exporter.Text());
  std::set<std::string> pods_seen;
  int appeared = 0;
  for (int step = 1; step <= 6 * 40; ++step) {
    sim->RunUntil(kT0 + Duration(10 * step));
    exporter.Observe(*sim);
    const std::map<std::string, double> current = Parse(exporter.Text());
    for (const auto& [key, value] : current) {
      const std::string name = key.substr(0, key.find('{'));
      const bool counter = name.ends_with("_total") || name.ends_with("_bucket") ||
                           name.ends_with("_sum") || name.ends_with("_count");
      if (!counter) continue;
      auto it = previous.find(key);
      if (it == previous.end()) {
        ++appeared;
        continue;
      }
      EXPECT_GE(value, it->second) << key << " at step " << step;
    }
    previous = current;
  }
  EXPECT_GT(appeared, 0) << "new pods should bring new series";
  EXPECT_GT(Sum(previous, "http_requests_total"), 0);
}

// Counters advance by the simulated increments / speed: over an interval, the increase
// divided by the wall seconds it took (simulated seconds / speed) is the simulated rate.
TEST(MetricsExporterTest, CountersAdvanceBySimulatedIncrementsOverSpeed) {
  std::unique_ptr<Simulator> sim = Make();
  MetricsExporter real_time(1), fast(10);
  real_time.Observe(*sim);
  fast.Observe(*sim);
  const TrafficCounters before = sim->traffic(1);  // api: 30 rps, well within capacity.
  const Duration interval(300);
  for (Timestamp t = kT0 + sim->tick(); t <= kT0 + interval; t += sim->tick()) {
    sim->RunUntil(t);
    real_time.Observe(*sim);
    fast.Observe(*sim);
  }
  const std::map<std::string, double> a = Parse(real_time.Text());
  const std::map<std::string, double> b = Parse(fast.Text());
  const std::vector<std::string> api = {"service=\"api\""};
  const double simulated =
      sim->traffic(1).served + sim->traffic(1).failed - before.served - before.failed;
  EXPECT_NEAR(Sum(a, "http_requests_total", api), simulated, 1e-6 * simulated);
  EXPECT_NEAR(Sum(b, "http_requests_total", api), simulated / 10, 1e-6 * simulated);
  const double wall_s = static_cast<double>(interval.count()) / 10;
  EXPECT_NEAR(Sum(b, "http_requests_total", api) / wall_s, 30, 0.5)
      << "rate() over wall time reads the simulated requests per second";
  EXPECT_NEAR(Sum(a, "prescient_sim_requests_per_second", api), 30, 0.5);
  EXPECT_NEAR(Sum(b, "container_cpu_usage_seconds_total"),
              Sum(a, "container_cpu_usage_seconds_total") / 10, 1e-9);
  EXPECT_GT(Sum(a, "container_cpu_usage_seconds_total"), 0);
  EXPECT_NEAR(Sum(b, "http_request_duration_seconds_count", api),
              Sum(b, "http_requests_total", {"service=\"api\"", "code=\"200\""}), 1e-9);
}

TEST(MetricsExporterTest, HistogramBucketsFollowTheLatencyTail) {
  std::unique_ptr<Simulator> sim = Make();
  MetricsExporter exporter(1);
  exporter.Observe(*sim);
  for (int step = 1; step <= 60; ++step) {
    sim->RunUntil(kT0 + Duration(10 * step));
    exporter.Observe(*sim);
  }
  const std::map<std::string, double> s = Parse(exporter.Text());
  std::set<std::string> zones;
  for (const auto& [key, value] : s) {
    if (!key.starts_with("http_request_duration_seconds_count")) continue;
    const size_t z = key.find("zone=\"");
    zones.insert(key.substr(z + 6, key.find('"', z + 6) - z - 6));
  }
  ASSERT_FALSE(zones.empty());
  for (const std::string& zone : zones) {
    const std::vector<std::string> sel = {"service=\"web\"", "zone=\"" + zone + "\""};
    double last = 0;
    for (const char* le :
         {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}) {
      std::vector<std::string> b = sel;
      b.push_back("le=\"" + std::string(le) + "\"");
      const double v = Sum(s, "http_request_duration_seconds_bucket", b);
      EXPECT_GE(v, last) << zone << " le=" << le;
      last = v;
    }
    const double count = Sum(s, "http_request_duration_seconds_count", sel);
    EXPECT_EQ(last, count);
    // Nothing is faster than the base latency (50 ms): the 25 ms bucket is empty.
    std::vector<std::string> fast = sel;
    fast.push_back("le=\"0.025\"");
    EXPECT_EQ(Sum(s, "http_request_duration_seconds_bucket", fast), 0);
    const double mean = Sum(s, "http_request_duration_seconds_sum", sel) / count;
    EXPECT_GE(mean, kDefaultBaseLatencySeconds);
    EXPECT_LT(mean, 10);
  }
}

TEST(MetricsExporterTest, LabelValuesAreEscaped) {
  std::unique_ptr<Simulator> sim = Make("we\"b\\x");
  MetricsExporter exporter(1);
  exporter.Observe(*sim);
  sim->RunUntil(kT0 + Duration(60));
  exporter.Observe(*sim);
  const std::string text = exporter.Text();
  EXPECT_THAT(text, HasSubstr("deployment=\"we\\\"b\\\\x\""));
  ExpectPromtoolSilent(text);
}

}  // namespace
}  // namespace prescient::sim::api
