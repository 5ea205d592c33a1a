// `prescient run` with real parts: the Debian Prometheus with 14 days of a trace
// backfilled (promtool) and scraping `prescient sim serve`'s /metrics, the simulator's
// Kubernetes API, and two controller processes campaigning for one Lease.
//
// Time. The trace's timestamps are wall-clock times: 14 days of history ending at the
// minute the test starts (W), then one more day. The scenario starts 14 days in, at
// speed 1, so simulated time is wall time, and the history in Prometheus runs straight
// into what it scrapes live. Every day has the same sharp peak, and the next one starts
// four minutes after W: at W the placeholders (30 minutes ahead) already cover it while
// the HPA floor (2 minutes ahead) does not; the floor rises 2 minutes before the peak.
// The policy forecasts at 1-minute resolution and the scenario's nodes and pods start in
// seconds, so that this fits in a test of about three minutes.
//
// One test, in the order the story happens (each step needs the state the last left):
// bad policies are reported and the good one runs; a dry run changes nothing; the
// leader places placeholders and the non-leader writes nothing; SIGKILL of the leader
// hands the Lease over within the lease time and leaves its audit log consistent;
// stopping Prometheus raises prescient_metrics_stale and holds the floor, restarting it
// clears it; the floor rises before the peak.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "prescient/k8s/kube_config.h"
#include "prescient/k8s/rest_client.h"
#include "prescient/scaling/replica_planner.h"
#include "prescient/storage/audit_log.h"
#include "prescient/testing/child_process.h"

namespace prescient::controller {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr Duration kMinute(60);
constexpr Duration kBucket(300);
constexpr double kBaseRps = 120;
constexpr double kPeakRps = 1500;
constexpr double kCapacity = 100;  // rps per pod, as in the scenario.
constexpr int kLeadMinutes = 2;

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Polls `probe` every 250 ms until it returns true or `timeout` passes.
template <typename F>
bool WaitFor(F probe, seconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return probe();
}

// The value of a sample in a Prometheus text exposition, matched by name and a label
// substring; nullopt if absent.
std::optional<double> Sample(const std::string& text, const std::string& name,
                             const std::string& label = "") {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0 || line.size() <= name.size()) continue;
    const char next = line[name.size()];
    if (next != '{' && next != ' ') continue;
    if (!label.empty() && line.find(label) == std::string::npos) continue;
    return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

// What the audit log holds, read as an operator would (`prescient audit`), and SQLite's
// own verdict on the file.
std::vector<storage::AuditRecord> ReadAudit(const std::filesystem::path& db,
                                            std::string* integrity) {
  *integrity = "cannot open";
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      *integrity = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  Result<std::unique_ptr<storage::AuditLog>> log = storage::AuditLog::Open(db.string());
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  if (!log.ok()) return {};
  Result<std::vector<storage::AuditRecord>> rows = (*log)->Recent(100000);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<storage::AuditRecord>{};
}

class ControllerIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(testing::kPrometheusBinary)) {
      GTEST_FAIL() << "/usr/bin/prometheus is missing: run scripts/setup.sh";
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_controller_it_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "prom");
    w_ = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
    // Far enough that the floor (lead 2 minutes) is not due while the first checks run;
    // the placeholders (30 minutes ahead) are.
    peak_ = w_ + kMinute * (kLeadMinutes + 2);
    WriteTrace();
    WriteScenario();
  }

  void TearDown() override {
    for (auto& [name, p] : controllers_) {
      if (HasFailure()) std::cerr << "--- prescient run " << name << ":\n" << p.Output();
    }
    if (HasFailure() && sim_) std::cerr << "--- sim serve:\n" << sim_->process.Output();
    controllers_.clear();
    prometheus_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Requests per second of the trace at wall time t: a base load and, at the same
  // minutes of every day, a ten-minute peak.
  double RpsAt(Timestamp t) const {
    const int64_t day = 86400;
    const int64_t since = ((t - peak_).count() % day + day) % day;  // Seconds after a peak start.
    const double shape = since < 600 ? 1 : 0;
    // A little deterministic wobble, so no model sees a zero-variance series.
    const double wobble =
        1 + 0.03 * std::sin(static_cast<double>(t.time_since_epoch().count()) / 97);
    return (kBaseRps + (kPeakRps - kBaseRps) * shape) * wobble;
  }

  void WriteTrace() {
    std::ofstream out(dir_ / "trace.csv");
    out << "timestamp,value\n";
    for (Timestamp t = w_ - Duration(14 * 86400); t < w_ + Duration(86400); t += kMinute) {
      out << FormatTimestamp(t) << "," << RpsAt(t) * 60 << "\n";
    }
  }

  void WriteScenario() {
    std::ofstream(dir_ / "scenario.yaml") << R"(apiVersion: prescient.dev/v1alpha1
kind: SimulationScenario
metadata: {name: controller-it}
spec:
  seed: 7
  tick: 5s
  startAfter: 14d
  cluster:
    zones: [zone-a, zone-b]
    nodePools:
    - name: general
      instanceTypes: [c5.xlarge, c5.2xlarge]
      spotShare: 0
      spotInterruptionsPerHour: 0
    provisioning: {min: 3s, max: 6s}
    podStartup: {min: 2s, max: 4s}
    consolidateAfter: 600s
  services:
  - name: web
    trace: {file: trace.csv, scale: 1}
    capacityPerPod: 100
    slo: {p99: 500ms, errorRate: 0.01}
    resources: {cpu: 1000m, memory: 2Gi}
    startup: {min: 2s, max: 4s}
    hpa: {minReplicas: 2, maxReplicas: 60, targetCPUUtilization: 70}
    policy: hpa
  - name: api
    trace: {file: trace.csv, scale: 0.2}
    capacityPerPod: 50
    slo: {p99: 300ms}
    resources: {cpu: 500m, memory: 1Gi}
    startup: {min: 2s, max: 4s}
    hpa: {minReplicas: 2, maxReplicas: 20, targetCPUUtilization: 60}
    policy: hpa
)";
  }

  // The history sim serve wrote (--history-out) into Prometheus' storage.
  void Backfill() {
    const std::string cmd =
        std::string(testing::kPromtoolBinary) + " tsdb create-blocks-from openmetrics " +
        (dir_ / "history.om").string() + " " + (dir_ / "prom" / "data").string() + " >" +
        (dir_ / "promtool.log").string() + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadFile(dir_ / "promtool.log");
  }

  void StartSim() {
    // Simulated time W starts now: the peak comes that much later on the wall clock.
    peak_wall_ =
        peak_ + std::chrono::duration_cast<Duration>(std::chrono::system_clock::now() - w_);
    Result<testing::SimServe> s = testing::StartSimServe(
        dir_ / "sim", {"--scenario", (dir_ / "scenario.yaml").string(), "--speed", "1",
                       "--history-out", (dir_ / "history.om").string()});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sim_.emplace(std::move(s).value());
    Result<k8s::RestConfig> c = k8s::LoadKubeConfig({.files = {sim_->kubeconfig}});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    std::ofstream(dir_ / "prom" / "ca.pem") << c->ca_pem;
    Result<std::unique_ptr<k8s::RestClient>> k = k8s::RestClient::Create(*c);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    kube_ = std::move(k).value();
  }

  void StartPrometheus(int port = 0) {
    const std::string target = sim_->url.substr(sim_->url.find("://") + 3);
    std::ofstream(dir_ / "prom" / "prometheus.yml")
        << "global: {scrape_interval: 5s, evaluation_interval: 5s}\n"
           "scrape_configs:\n"
           "- job_name: sim\n"
           "  scheme: https\n"
           "  tls_config: {ca_file: "
        << (dir_ / "prom" / "ca.pem").string()
        << ", server_name: 127.0.0.1}\n"
           "  static_configs: [{targets: ['"
        << target << "']}]\n";
    Result<testing::Prometheus> p = testing::StartPrometheus(dir_ / "prom", port);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    prometheus_.emplace(std::move(p).value());
  }

  void WritePolicies() {
    std::ofstream(dir_ / "policies.yaml") << R"(apiVersion: prescient.dev/v1alpha1
kind: PredictiveScalingPolicy
metadata: {name: web, namespace: default}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  metric:
    query: sum(rate(http_requests_total{service="web"}[1m]))
  capacityPerPod: 100
  minReplicas: 2
  maxReplicas: 60
  leadTime: 2m
  horizon: 1h
  bucket: 1m
  model: snaive
  guardrails: {maxScaleUpStep: 30, maxScaleDownStep: 2}
  placeholder:
    enabled: true
    leadTime: 30m
---
apiVersion: prescient.dev/v1alpha1
kind: PredictiveScalingPolicy
metadata: {name: api, namespace: default}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  metric:
    query: sum(rate(http_requests_total{service="api"}[1m])
  capacityPerPod: 50
  maxReplicas: 20
---
apiVersion: prescient.dev/v1alpha1
kind: PredictiveScalingPolicy
metadata: {name: broken, namespace: default}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
  metric: {query: up}
  capacityPerPod: 0
  maxReplicas: 20
)";
  }

  std::vector<std::string> RunArgs(const std::string& identity) {
    return {testing::PrescientBinary(),
            "run",
            "--policy",
            (dir_ / "policies.yaml").string(),
            "--kubeconfig",
            sim_->kubeconfig,
            "--prometheus",
            prometheus_->url,
            "--audit-db",
            (dir_ / (identity + ".db")).string(),
            "--metrics-listen",
            "127.0.0.1:0",
            "--web",
            "127.0.0.1:0",
            "--identity",
            identity,
            "--interval",
            "5"};
  }

  void StartController(const std::string& identity) {
    Result<testing::ChildProcess> p =
        testing::ChildProcess::Start(RunArgs(identity), dir_ / (identity + ".log"));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    Result<std::string> line = p->WaitForLine("metrics on ", std::chrono::seconds(30));
    ASSERT_TRUE(line.ok()) << line.status().ToString();
    metrics_url_[identity] =
        line->substr(line->find("http://"), line->rfind("/metrics") - line->find("http://"));
    controllers_.insert_or_assign(identity, std::move(p).value());
  }

  std::string Metrics(const std::string& identity) {
    httplib::Client c(metrics_url_[identity]);
    c.set_connection_timeout(2);
    auto r = c.Get("/metrics");
    return r && r->status == 200 ? r->body : "";
  }

  json Get(const std::string& path) {
    Result<json> r = kube_->Get(path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : json::object();
  }
  int HpaMin() {
    return Get("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")["spec"]
        .value("minReplicas", 0);
  }
  json LeaseSpec() {
    return Get("/apis/coordination.k8s.io/v1/namespaces/default/leases/prescient")
        .value("spec", json::object());
  }
  std::string LeaseHolder() {
    Result<json> r = kube_->Get("/apis/coordination.k8s.io/v1/namespaces/default/leases/prescient");
    return r.ok() ? (*r)["spec"].value("holderIdentity", "") : "";
  }
  int RunningPlaceholderPods() {
    Result<json> pods =
        kube_->List("/api/v1/namespaces/default/pods", "prescient.dev/placeholder=web");
    int n = 0;
    if (!pods.ok()) return 0;
    const json items = (*pods)["items"];
    for (const json& p : items) n += p["status"].value("phase", "") == "Running" ? 1 : 0;
    return n;
  }
  size_t Nodes() {
    Result<json> nodes = kube_->List("/api/v1/nodes");
    return nodes.ok() ? (*nodes)["items"].size() : 0;
  }

  std::filesystem::path dir_;
  Timestamp w_{};
  Timestamp peak_{};       // In simulated time.
  Timestamp peak_wall_{};  // When it comes on the wall clock.
  std::optional<testing::SimServe> sim_;
  std::optional<testing::Prometheus> prometheus_;
  std::unique_ptr<k8s::RestClient> kube_;
  std::map<std::string, testing::ChildProcess> controllers_;
  std::map<std::string, std::string> metrics_url_;
};

TEST_F(ControllerIntegrationTest, ScalesAheadOfThePeakSafelyThroughFailures) {
  ASSERT_NO_FATAL_FAILURE(StartSim());
  ASSERT_NO_FATAL_FAILURE(Backfill());
  ASSERT_NO_FATAL_FAILURE(StartPrometheus());
  WritePolicies();
  const int floor_before = HpaMin();
  const size_t nodes_before = Nodes();
  // What the peak needs, less the trace's 3% wobble.
  const int peak_pods = scaling::PodsForLoad(kPeakRps * 0.97, kCapacity, 2);

  // 1. A dry run: the plan is printed, nothing changes, nothing is recorded as applied.
  {
    std::vector<std::string> args = RunArgs("dry");
    args.push_back("--once");
    args.push_back("--dry-run");
    Result<testing::ChildProcess> p = testing::ChildProcess::Start(args, dir_ / "dry.log");
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE(WaitFor([&] { return !p->Running(); }, seconds(120))) << p->Output();
    const std::string out = p->Output();
    // Placeholders are due now (the floor is not yet): the plan shows them.
    EXPECT_THAT(out, HasSubstr("dry-run default/web: default/deployments/web-prescient-placeholder "
                               "spec.replicas 0 -> "));
    // Bad policies are reported one line each, with file, line and field; web still ran.
    EXPECT_THAT(out, HasSubstr("policies.yaml:"));
    EXPECT_THAT(out, HasSubstr("spec.capacityPerPod"));
    EXPECT_THAT(out, HasSubstr("spec.metric.query"));
    EXPECT_EQ(HpaMin(), floor_before);
    Result<json> none =
        kube_->Get("/apis/apps/v1/namespaces/default/deployments/web-prescient-placeholder");
    EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  }

  // 2. Two instances: one leads and writes, the other only waits.
  ASSERT_NO_FATAL_FAILURE(StartController("alpha"));
  ASSERT_TRUE(WaitFor([&] { return LeaseHolder() == "alpha"; }, seconds(30)));
  ASSERT_NO_FATAL_FAILURE(StartController("beta"));
  ASSERT_TRUE(
      WaitFor([&] { return Sample(Metrics("alpha"), "prescient_leader") == 1.0; }, seconds(30)));
  EXPECT_EQ(Sample(Metrics("beta"), "prescient_leader"), 0.0);
  // Placeholder pause pods warm nodes ahead of the peak, before the floor moves.
  ASSERT_TRUE(WaitFor([&] { return RunningPlaceholderPods() > 0; }, seconds(90)))
      << controllers_.at("alpha").Output();
  EXPECT_TRUE(WaitFor([&] { return Nodes() > nodes_before; }, seconds(60)))
      << "placeholders made the provisioner launch nodes";
  EXPECT_LT(std::chrono::system_clock::now(), peak_wall_ - kMinute * kLeadMinutes);
  // The floor may follow the base load; it does not cover the peak yet.
  EXPECT_LT(HpaMin(), peak_pods) << "the floor is not due yet";
  const std::string alpha_metrics = Metrics("alpha");
  EXPECT_GT(Sample(alpha_metrics, "prescient_predicted_rps", "policy=\"default/web\"").value_or(0),
            0);
  EXPECT_TRUE(Sample(alpha_metrics, "prescient_forecast_duration_seconds_count").has_value());
  EXPECT_GE(
      Sample(alpha_metrics, "prescient_policy_errors_total", "policy=\"default/api\"").value_or(0),
      1)
      << "the PromQL error of policy api is counted";

  // 3. SIGKILL the leader: beta takes the Lease once it has seen it unrenewed for the
  // lease duration (15 s), not before; the wait's bound is liveness, generous for a
  // loaded machine. Safety is read off the Lease itself: beta's acquireTime is at least
  // the lease duration after alpha's last renewTime (same machine, same clock).
  controllers_.at("alpha").Kill();
  const Timestamp killed_at = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  const json lease_at_kill = LeaseSpec();
  ASSERT_TRUE(WaitFor([&] { return LeaseHolder() == "beta"; }, seconds(60)));
  {
    const json taken = LeaseSpec();
    Result<Timestamp> renewed = ParseTimestamp(lease_at_kill.value("renewTime", ""));
    Result<Timestamp> acquired = ParseTimestamp(taken.value("acquireTime", ""));
    ASSERT_TRUE(renewed.ok() && acquired.ok()) << lease_at_kill.dump() << taken.dump();
    // Whole seconds on both sides: 15 s apart can read as 14.
    EXPECT_GE(*acquired - *renewed, seconds(14)) << "taken over before the lease expired";
  }
  ASSERT_TRUE(
      WaitFor([&] { return Sample(Metrics("beta"), "prescient_leader") == 1.0; }, seconds(15)));
  // Alpha's audit log survived the kill: intact, every record whole, at most one left
  // in flight, and only alpha's own changes.
  std::string integrity;
  const std::vector<storage::AuditRecord> alpha_rows = ReadAudit(dir_ / "alpha.db", &integrity);
  EXPECT_EQ(integrity, "ok");
  ASSERT_FALSE(alpha_rows.empty());
  int in_flight = 0;
  for (const storage::AuditRecord& r : alpha_rows) {
    EXPECT_EQ(r.identity, "alpha");
    in_flight += r.state == storage::AuditState::kIntended ? 1 : 0;
  }
  EXPECT_LE(in_flight, 1);
  // Every change alpha printed as applied is in its log as applied.
  const std::string alpha_out = ReadFile(dir_ / "alpha.log");
  int printed = 0;
  for (size_t at = alpha_out.find(" applied "); at != std::string::npos;
       at = alpha_out.find(" applied ", at + 1)) {
    ++printed;
  }
  int applied = 0;
  for (const storage::AuditRecord& r : alpha_rows)
    applied += r.state == storage::AuditState::kApplied ? 1 : 0;
  EXPECT_GE(applied, printed);
  // Beta never wrote while it was not leading.
  for (const storage::AuditRecord& r : ReadAudit(dir_ / "beta.db", &integrity)) {
    EXPECT_GE(r.at, killed_at - Duration(1)) << "beta wrote before it led";
  }

  // 4. Prometheus goes away: the floor holds, the alert metric rises; it comes back.
  const int floor_held = HpaMin();
  const int port = prometheus_->port;
  prometheus_->process.Stop();
  prometheus_.reset();
  ASSERT_TRUE(WaitFor(
      [&] {
        return Sample(Metrics("beta"), "prescient_metrics_stale", "policy=\"default/web\"") == 1.0;
      },
      seconds(30)));
  std::this_thread::sleep_for(seconds(6));  // A pass or so without metrics.
  EXPECT_GE(HpaMin(), floor_held) << "never a scale-down on missing metrics";
  EXPECT_GE(
      Sample(Metrics("beta"), "prescient_policy_errors_total", "kind=\"metrics\"").value_or(0), 1);
  ASSERT_NO_FATAL_FAILURE(StartPrometheus(port));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Sample(Metrics("beta"), "prescient_metrics_stale", "policy=\"default/web\"") == 0.0;
      },
      seconds(30)));

  // 5. The floor rises to the peak's pods before the peak (by whichever instance leads
  //    then), and the raise is in that instance's audit log.
  ASSERT_TRUE(
      WaitFor([&] { return HpaMin() >= peak_pods; },
              std::chrono::duration_cast<seconds>(peak_wall_ - std::chrono::system_clock::now()) +
                  seconds(5)))
      << "floor " << HpaMin() << ", want " << peak_pods;
  EXPECT_LT(std::chrono::system_clock::now(), peak_wall_) << "raised ahead of the peak";
  // The API shows the new floor as soon as the PATCH lands; the record turns applied
  // just after, so wait for it.
  std::vector<storage::AuditRecord> raises;
  WaitFor(
      [&] {
        raises.clear();
        for (const char* db : {"alpha.db", "beta.db"}) {
          for (const storage::AuditRecord& r : ReadAudit(dir_ / db, &integrity)) {
            if (r.field == "spec.minReplicas" && r.state == storage::AuditState::kApplied &&
                r.to >= peak_pods) {
              raises.push_back(r);
            }
          }
        }
        return !raises.empty();
      },
      seconds(30));
  EXPECT_FALSE(raises.empty()) << "the raise is in the audit log";
  for (const storage::AuditRecord& r : raises) {
    EXPECT_LT(r.at, peak_wall_);
    EXPECT_THAT(r.reason, HasSubstr("within the 2m lead"));
  }

  // 6. Alpha restarts on its log: the change a kill left in flight becomes interrupted.
  ASSERT_NO_FATAL_FAILURE(StartController("alpha"));
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const storage::AuditRecord& r : ReadAudit(dir_ / "alpha.db", &integrity)) {
          if (r.state == storage::AuditState::kIntended) return false;
        }
        return true;
      },
      seconds(30)));
  EXPECT_EQ(Sample(Metrics("alpha"), "prescient_leader"), 0.0);
}

}  // namespace
}  // namespace prescient::controller
