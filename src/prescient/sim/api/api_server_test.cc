// The simulator's Kubernetes API, checked with the real kubectl (as a user would use it)
// and its pieces directly. The server runs as a child process on a free loopback port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prescient/sim/api/object_store.h"
#include "prescient/sim/api/objects_json.h"
#include "prescient/sim/api/resources.h"
#include "prescient/testing/child_process.h"

namespace prescient::sim::api {
namespace {

using ::testing::HasSubstr;

TEST(ObjectsJsonTest, HumanAgeAsKubectlPrintsIt) {
  EXPECT_EQ(HumanAge(Duration(45)), "45s");
  EXPECT_EQ(HumanAge(Duration(190)), "3m10s");
  EXPECT_EQ(HumanAge(Duration(17 * 60)), "17m");
  EXPECT_EQ(HumanAge(Duration(5 * 3600 + 180)), "5h3m");
  EXPECT_EQ(HumanAge(Duration(26 * 3600)), "26h");
  EXPECT_EQ(HumanAge(Duration(76 * 3600)), "3d4h");
  EXPECT_EQ(HumanAge(Duration(40 * 86400)), "40d");
  EXPECT_EQ(HumanAge(Duration(-5)), "0s");
}

TEST(ResourcesTest, DiscoveryCarriesShortNamesAndCategories) {
  const nlohmann::json apis = AggregatedDiscovery(false);
  EXPECT_EQ(apis["kind"], "APIGroupDiscoveryList");
  const nlohmann::json& deploy = apis["items"][0]["versions"][0]["resources"][0];
  EXPECT_EQ(deploy["resource"], "deployments");
  EXPECT_EQ(deploy["shortNames"][0], "deploy");
  EXPECT_EQ(deploy["categories"][0], "all");
  EXPECT_EQ(deploy["responseKind"]["kind"], "Deployment");
  const nlohmann::json core = ResourceList("", "v1");
  bool pods = false;
  for (const auto& r : core["resources"]) pods |= r["name"] == "pods" && r["shortNames"][0] == "po";
  EXPECT_TRUE(pods);
  EXPECT_TRUE(ResourceList("apps", "v2").is_null());
  EXPECT_EQ(LegacyGroupList()["groups"][0]["name"], "apps");
}

KindView View(const std::vector<std::pair<std::string, int>>& objects) {
  KindView v;
  for (const auto& [name, value] : objects) {
    v.items.push_back(
        {{"kind", "Pod"}, {"metadata", {{"name", name}}}, {"spec", {{"value", value}}}});
    v.rows.push_back({name});
  }
  return v;
}

TEST(ObjectStoreTest, VersionsOnlyRealChangesAndLogsThemInOrder) {
  ObjectStore store;
  store.Sync("pods", View({{"a", 1}, {"b", 1}}));
  const uint64_t v0 = store.version();
  store.Sync("pods", View({{"a", 1}, {"b", 1}}));  // No-op: no new version.
  EXPECT_EQ(store.version(), v0);
  store.Sync("pods", View({{"a", 2}, {"c", 1}}));  // a modified, c added, b deleted.
  uint64_t current = 0;
  Result<std::vector<WatchEvent>> events = store.EventsSince("pods", v0, &current);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].type, "MODIFIED");
  EXPECT_EQ((*events)[1].type, "ADDED");
  EXPECT_EQ((*events)[2].type, "DELETED");
  EXPECT_EQ((*events)[2].object.object["metadata"]["name"], "b");
  for (size_t i = 1; i < events->size(); ++i)
    EXPECT_GT((*events)[i].version, (*events)[i - 1].version);
  EXPECT_EQ(current, store.version());
  for (const StoredObject& o : store.List("pods")) {
    EXPECT_EQ(o.object["metadata"]["resourceVersion"], std::to_string(o.version));
  }
  // Other resources' events are not this resource's.
  store.Sync("nodes", View({{"n", 1}}));
  events = store.EventsSince("pods", current, &current);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

// A client doing list+watch, as client-go's Reflector does, ends with exactly the
// server's state, seeing every change in order, also when its watch expires (410) and
// it has to re-list.
TEST(ObjectStoreTest, ListWatchSeesEveryChangeInOrderAcrossA410Relist) {
  ObjectStore store(/*log_capacity=*/4);
  std::map<std::string, int> client;
  uint64_t rv = 0;
  auto relist = [&] {
    client.clear();
    for (const StoredObject& o : store.List("pods"))
      client[o.object["metadata"]["name"]] = o.object["spec"]["value"];
    rv = store.version();
  };
  int relists = 0;
  auto watch = [&] {
    uint64_t current = 0;
    Result<std::vector<WatchEvent>> events = store.EventsSince("pods", rv, &current);
    if (!events.ok()) {
      EXPECT_EQ(events.status().code(), StatusCode::kOutOfRange);  // 410 Expired.
      ++relists;
      return relist();
    }
    uint64_t last = rv;
    for (const WatchEvent& e : *events) {
      EXPECT_GT(e.version, last);
      last = e.version;
      const std::string name = e.object.object["metadata"]["name"];
      if (e.type == "DELETED") {
        client.erase(name);
      } else {
        client[name] = e.object.object["spec"]["value"];
      }
    }
    rv = current;
  };
  store.Sync("pods", View({{"a", 1}}));
  relist();
  std::vector<std::pair<std::string, int>> state = {{"a", 1}};
  for (int step = 1; step <= 30; ++step) {
    state.push_back({"p" + std::to_string(step), step});
    if (step % 3 == 0) state.erase(state.begin());
    state.front().second = step * 10;
    store.Sync("pods", View(state));
    if (step % 7 != 0) watch();  // Every 7th step the client falls behind.
  }
  watch();
  watch();
  std::map<std::string, int> server;
  for (const auto& [name, value] : state) server[name] = value;
  EXPECT_EQ(client, server);
  EXPECT_GT(relists, 0);
}

// `prescient sim serve` on a free port, and kubectl pointed at it.
class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v kubectl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no kubectl";
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_kubectl_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    kubeconfig_ = (dir_ / "kubeconfig").string();
  }

  // Starts the server (HTTPS unless `http`) and waits for the line saying where it listens.
  void Start(bool http = false) {
    std::vector<std::string> extra = {"--speed", "120"};
    if (http) extra.push_back("--insecure-http");
    Result<testing::SimServe> s = testing::StartSimServe(dir_, extra);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_THAT(s->url, HasSubstr(http ? "http://127.0.0.1:" : "https://127.0.0.1:"));
    ASSERT_EQ(s->kubeconfig, kubeconfig_);
    url_ = s->url;
    server_.emplace(std::move(s).value());
  }

  void TearDown() override {
    if (server_.has_value()) {
      const std::optional<int> status = server_->process.Stop();
      EXPECT_TRUE(status.has_value() && WIFEXITED(*status))
          << "the server should exit cleanly on SIGTERM";
      server_.reset();
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Runs kubectl; returns its exit code, stdout+stderr in *out.
  int Kubectl(const std::string& args, std::string* out) {
    const std::string file = (dir_ / "out").string();
    const std::string cmd = kubectl_ + " --kubeconfig " + kubeconfig_ + " --cache-dir " +
                            (dir_ / "cache").string() + " " + args + " >" + file + " 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream in(file);
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
  std::string kubectl_ = "kubectl";
  std::string kubeconfig_;
  std::string url_;  // Where the server listens, e.g. https://127.0.0.1:34567.
  std::optional<testing::SimServe> server_;
};

TEST_F(KubectlTest, GetShowsTheLiveClusterWithTheUsualColumns) {
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("get nodes", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("STATUS"));
  EXPECT_THAT(out, HasSubstr("Ready"));
  EXPECT_THAT(out, HasSubstr("v1.32.4"));
  ASSERT_EQ(Kubectl("get po -o wide", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("READY   STATUS"));
  EXPECT_THAT(out, HasSubstr("Running"));
  EXPECT_THAT(out, HasSubstr("NODE"));
  ASSERT_EQ(Kubectl("get deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("UP-TO-DATE"));
  ASSERT_EQ(Kubectl("get all", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("pod/web-"));
  EXPECT_THAT(out, HasSubstr("deployment.apps/web"));
  ASSERT_EQ(Kubectl("get ns", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("kube-system"));
  ASSERT_EQ(Kubectl("get rs", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("DESIRED"));
  ASSERT_EQ(Kubectl("describe deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("NewReplicaSet:"));
  EXPECT_THAT(out, HasSubstr("web-"));
  ASSERT_EQ(Kubectl("get --raw /healthz", &out), 0) << out;
  EXPECT_EQ(out, "ok");
  ASSERT_EQ(Kubectl("get hpa", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Deployment/web"));
  EXPECT_THAT(out, HasSubstr("/70%"));
  ASSERT_EQ(Kubectl("get pdb web -o json", &out), 0) << out;
  EXPECT_GE(nlohmann::json::parse(out)["spec"]["minAvailable"].get<int>(), 1);
}

TEST_F(KubectlTest, JsonObjectsAgreeWithEachOther) {
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("get deploy web -o json", &out), 0) << out;
  const nlohmann::json deploy = nlohmann::json::parse(out);
  EXPECT_EQ(deploy["kind"], "Deployment");
  const int replicas = deploy["spec"]["replicas"];
  ASSERT_EQ(Kubectl("get pods -l app=web -o json", &out), 0) << out;
  const nlohmann::json pods = nlohmann::json::parse(out);
  EXPECT_EQ(pods["kind"], "List");  // kubectl re-wraps list items as a v1 List.
  ASSERT_GE(pods["items"].size(), 2u);
  // Pods of the deployment exist in about the desired number (the HPA may be mid-change).
  EXPECT_NEAR(static_cast<double>(pods["items"].size()), replicas, replicas);
  const std::string node = pods["items"][0]["spec"]["nodeName"];
  ASSERT_EQ(Kubectl("get node " + node + " -o json", &out), 0) << out;
  const nlohmann::json n = nlohmann::json::parse(out);
  EXPECT_EQ(n["metadata"]["name"], node);
  EXPECT_TRUE(n["metadata"]["labels"].contains("topology.kubernetes.io/zone"));
  ASSERT_EQ(Kubectl("get pods -l app=nothing", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("No resources found"));
}

TEST_F(KubectlTest, ErrorsAreTheApiServersStatus) {
  Start();
  std::string out;
  EXPECT_NE(Kubectl("get pod nope", &out), 0);
  EXPECT_THAT(out, HasSubstr("pods \"nope\" not found"));
  EXPECT_NE(Kubectl("get frobnicators", &out), 0);
  EXPECT_THAT(out, HasSubstr("doesn't have a resource type"));
  EXPECT_NE(Kubectl("patch deploy web --type=json -p "
                    "'[{\"op\":\"replace\",\"path\":\"/no/such\",\"value\":\"y\"}]'",
                    &out),
            0);
  EXPECT_THAT(out, HasSubstr("json patch"));
  EXPECT_NE(Kubectl("patch hpa web --type=merge -p '{\"spec\":{\"minReplicas\":0}}'", &out), 0);
  EXPECT_THAT(out, HasSubstr("is invalid"));
  EXPECT_NE(Kubectl("patch deploy web --type=merge -p "
                    "'{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}}}'",
                    &out),
            0);
  EXPECT_THAT(out, HasSubstr("field is immutable"));
  const std::string bad = (dir_ / "bad.json").string();
  std::ofstream(bad) << "{\"kind\": \"Lease\", ";
  EXPECT_NE(Kubectl("create --raw /apis/coordination.k8s.io/v1/namespaces/default/leases -f " + bad,
                    &out),
            0);
  EXPECT_THAT(out, HasSubstr("BadRequest"));
  std::ofstream(bad) << R"({"kind": "Frobnicator", "metadata": {"name": "x"}})";
  EXPECT_NE(Kubectl("create --raw /apis/coordination.k8s.io/v1/namespaces/default/leases -f " + bad,
                    &out),
            0);
  EXPECT_THAT(out, HasSubstr("does not match"));
  EXPECT_NE(Kubectl("get --raw /apis/coordination.k8s.io/v1/namespaces/default/frobnicators", &out),
            0);
  EXPECT_THAT(out, HasSubstr("NotFound"));
  EXPECT_NE(Kubectl("patch node nope -p '{\"spec\":{\"unschedulable\":true}}'", &out), 0);
  EXPECT_THAT(out, HasSubstr("not found"));
}

TEST_F(KubectlTest, ClientCertificateWorksAndABadTokenIsUnauthorized) {
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("--context prescient-sim-cert get deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("web"));
  EXPECT_NE(Kubectl("--token not-the-token get pods", &out), 0);
  EXPECT_THAT(out, HasSubstr("Unauthorized"));
}

TEST_F(KubectlTest, GetWatchStreamsChanges) {
  Start();
  std::string out;
  // The server runs 120x: a few seconds are several simulated minutes of HPA activity.
  Kubectl("get pods -w --request-timeout=4s", &out);
  EXPECT_THAT(out, HasSubstr("NAME"));
  EXPECT_THAT(out, HasSubstr("web-"));
  ASSERT_EQ(Kubectl("get --raw /api/v1/namespaces/default/pods", &out), 0) << out;
  const std::string rv = nlohmann::json::parse(out)["metadata"]["resourceVersion"];
  EXPECT_GT(std::stoull(rv), 1u);
}

TEST_F(KubectlTest, CordonTaintScaleDeleteAndDrainChangeTheCluster) {
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("get nodes -o jsonpath={.items[0].metadata.name}", &out), 0) << out;
  const std::string node = out;
  ASSERT_EQ(Kubectl("cordon " + node, &out), 0) << out;
  ASSERT_EQ(Kubectl("get node " + node + " -o json", &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["spec"].value("unschedulable", false), true);
  ASSERT_EQ(Kubectl("get nodes", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("SchedulingDisabled"));
  ASSERT_EQ(Kubectl("uncordon " + node, &out), 0) << out;
  ASSERT_EQ(Kubectl("get node " + node + " -o json", &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["spec"].value("unschedulable", false), false);
  ASSERT_EQ(Kubectl("taint nodes " + node + " dedicated=web:NoSchedule", &out), 0) << out;
  ASSERT_EQ(Kubectl("get node " + node + " -o json", &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["spec"]["taints"][0]["key"], "dedicated");
  ASSERT_EQ(Kubectl("taint nodes " + node + " dedicated-", &out), 0) << out;
  ASSERT_EQ(Kubectl("scale deploy web-placeholder --replicas=2", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("scaled"));
  EXPECT_NE(Kubectl("scale deploy nope --replicas=2", &out), 0);
  ASSERT_EQ(Kubectl("get pods -l app=web -o jsonpath={.items[0].metadata.name}", &out), 0) << out;
  const std::string pod = out;
  ASSERT_EQ(Kubectl("delete pod " + pod + " --wait=false", &out), 0) << out;
  // Terminating for 30 simulated seconds: on a slow machine it may be gone already.
  if (Kubectl("get pod " + pod + " -o json", &out) == 0) {
    EXPECT_TRUE(nlohmann::json::parse(out)["metadata"].contains("deletionTimestamp")) << out;
  } else {
    EXPECT_THAT(out, HasSubstr("not found"));
  }
  // The PodDisruptionBudget lets three pods go at a time: the drain is refused (429) until
  // replacements are Ready on a new node, then goes on.
  ASSERT_EQ(Kubectl("drain " + node + " --ignore-daemonsets --timeout=90s", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("evicted"));
  EXPECT_THAT(out, HasSubstr("disruption budget"));
  EXPECT_THAT(out, HasSubstr("drained"));
}

TEST_F(KubectlTest, LabelAnnotateAndPatchesOfEachTypeStick) {
  Start();
  std::string out;
  auto json_of = [&](const std::string& what) {
    EXPECT_EQ(Kubectl("get " + what + " -o json", &out), 0) << out;
    return nlohmann::json::parse(out);
  };
  const int64_t generation = json_of("deploy web")["metadata"]["generation"];
  ASSERT_EQ(Kubectl("label deploy web tier=front", &out), 0) << out;
  ASSERT_EQ(Kubectl("get deploy -l tier=front -o name", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("deployment.apps/web"));
  ASSERT_EQ(Kubectl("get pods -o jsonpath={.items[0].metadata.name}", &out), 0) << out;
  const std::string pod = out;
  ASSERT_EQ(Kubectl("annotate pod " + pod + " owner=sre", &out), 0) << out;
  // Strategic merge (kubectl's default), merge and JSON patch.
  ASSERT_EQ(Kubectl("patch deploy web -p '{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}'", &out),
            0)
      << out;
  ASSERT_EQ(
      Kubectl("patch deploy web-placeholder --type=merge -p '{\"spec\":{\"replicas\":3}}'", &out),
      0)
      << out;
  ASSERT_EQ(Kubectl("patch hpa web --type=json -p "
                    "'[{\"op\":\"replace\",\"path\":\"/spec/maxReplicas\",\"value\":60}]'",
                    &out),
            0)
      << out;
  // A server-side dry run changes nothing.
  ASSERT_EQ(
      Kubectl("patch hpa web --dry-run=server --type=merge -p '{\"spec\":{\"maxReplicas\":70}}'",
              &out),
      0)
      << out;
  ::usleep(1500 * 1000);  // Three simulated minutes of syncs at 120x: the writes survive them.
  const nlohmann::json deploy = json_of("deploy web");
  EXPECT_EQ(deploy["metadata"]["labels"]["tier"], "front");
  EXPECT_EQ(deploy["metadata"]["labels"]["app"], "web");
  EXPECT_EQ(deploy["metadata"]["annotations"]["a"], "b");
  EXPECT_EQ(json_of("pod " + pod)["metadata"]["annotations"]["owner"], "sre");
  // (The live predictive policy owns the placeholders' replicas and resets them.)
  const nlohmann::json placeholder = json_of("deploy web-placeholder");
  EXPECT_GT(placeholder["metadata"]["generation"].get<int64_t>(), generation);
  EXPECT_EQ(placeholder["status"]["observedGeneration"], placeholder["metadata"]["generation"]);
  EXPECT_EQ(json_of("hpa web")["spec"]["maxReplicas"], 60);
  ASSERT_EQ(Kubectl("label deploy web tier-", &out), 0) << out;
  EXPECT_FALSE(json_of("deploy web")["metadata"]["labels"].contains("tier"));
  // Set-based selectors.
  ASSERT_EQ(Kubectl("get deploy -l 'app in (web,other),!nope' -o name", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("deployment.apps/web\n"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("placeholder")));
}

TEST_F(KubectlTest, StoredKindsCreateApplyReplaceAndDelete) {
  Start();
  std::string out;
  // Typed `kubectl create namespace|priorityclass` send protobuf, which the simulator
  // does not decode (a 415 naming it); manifests go as JSON.
  EXPECT_NE(Kubectl("create namespace team-a", &out), 0);
  EXPECT_THAT(out, HasSubstr("protobuf"));
  const std::string ns = (dir_ / "ns.yaml").string();
  std::ofstream(ns) << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n";
  ASSERT_EQ(Kubectl("create -f " + ns, &out), 0) << out;
  ASSERT_EQ(Kubectl("get ns team-a", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Active"));
  EXPECT_NE(Kubectl("create -f " + ns, &out), 0);
  EXPECT_THAT(out, HasSubstr("AlreadyExists"));
  EXPECT_NE(Kubectl("delete namespace default", &out), 0);
  EXPECT_THAT(out, HasSubstr("may not be deleted"));
  const std::string pc = (dir_ / "pc.yaml").string();
  std::ofstream(pc) << "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n"
                       "  name: warm\nvalue: -10\ndescription: placeholders\n";
  ASSERT_EQ(Kubectl("create -f " + pc, &out), 0) << out;
  ASSERT_EQ(Kubectl("get pc", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("warm"));
  EXPECT_THAT(out, HasSubstr("-10"));
  EXPECT_THAT(out, HasSubstr("system-node-critical"));
  // Client-side apply creates (GET 404, then POST); server-side apply updates.
  const std::string lease = (dir_ / "lease.yaml").string();
  std::ofstream(lease) << "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n"
                          "  name: prescient\n  namespace: team-a\nspec:\n"
                          "  holderIdentity: one\n  leaseDurationSeconds: 15\n";
  ASSERT_EQ(Kubectl("apply -f " + lease, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("created"));
  std::ofstream(lease) << "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n"
                          "  name: prescient\n  namespace: team-a\nspec:\n"
                          "  holderIdentity: two\n  leaseDurationSeconds: 15\n";
  ASSERT_EQ(Kubectl("apply --server-side -f " + lease, &out), 0) << out;
  ASSERT_EQ(Kubectl("get lease -n team-a", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("HOLDER"));
  EXPECT_THAT(out, HasSubstr("two"));
  ASSERT_EQ(Kubectl("get lease prescient -n team-a -o json --show-managed-fields", &out), 0) << out;
  nlohmann::json l = nlohmann::json::parse(out);
  bool applied = false;
  for (const auto& f : l["metadata"].value("managedFields", nlohmann::json::array())) {
    applied |= f["manager"] == "kubectl" && f["operation"] == "Apply";
  }
  EXPECT_TRUE(applied) << l.dump();
  l["metadata"].erase("managedFields");
  // A replace carrying a stale resourceVersion is a 409 Conflict.
  l["spec"]["holderIdentity"] = "three";
  const std::string fresh = l["metadata"]["resourceVersion"];
  l["metadata"]["resourceVersion"] = std::to_string(std::stoull(fresh) - 1);
  const std::string file = (dir_ / "lease.json").string();
  std::ofstream(file) << l.dump();
  EXPECT_NE(Kubectl("replace -f " + file, &out), 0);
  EXPECT_THAT(out, HasSubstr("the object has been modified"));
  l["metadata"]["resourceVersion"] = fresh;
  std::ofstream(file) << l.dump();
  ASSERT_EQ(Kubectl("replace -f " + file, &out), 0) << out;
  ASSERT_EQ(Kubectl("get lease prescient -n team-a -o jsonpath={.spec.holderIdentity}", &out), 0);
  EXPECT_EQ(out, "three");
  // Server-side apply of a simulated object keeps what it adds.
  const std::string deploy = (dir_ / "deploy.yaml").string();
  std::ofstream(deploy) << "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
                           "  labels: {team: a}\n";
  ASSERT_EQ(Kubectl("apply --server-side -f " + deploy, &out), 0) << out;
  ASSERT_EQ(Kubectl("get deploy web -o jsonpath={.metadata.labels.team}", &out), 0) << out;
  EXPECT_EQ(out, "a");
  ASSERT_EQ(Kubectl("delete lease prescient -n team-a", &out), 0) << out;
  EXPECT_NE(Kubectl("get lease prescient -n team-a", &out), 0);
  EXPECT_THAT(out, HasSubstr("not found"));
}

TEST_F(KubectlTest, EventsLogsPaginationAndWait) {
  Start();
  std::string out;
  const std::string event = (dir_ / "event.json").string();
  std::ofstream(event) << R"({"apiVersion":"events.k8s.io/v1","kind":"Event",
    "metadata":{"name":"web.prescient1","namespace":"default"},
    "eventTime":"2026-11-28T10:00:00.000000Z","reportingController":"prescient.dev/controller",
    "reportingInstance":"prescient-0","action":"Scale","reason":"PredictiveScaleUp",
    "type":"Normal","note":"raised the HPA floor to 9 ahead of the forecast peak",
    "regarding":{"kind":"Deployment","name":"web","namespace":"default","apiVersion":"apps/v1"}})";
  ASSERT_EQ(Kubectl("create -f " + event, &out), 0) << out;
  // Written through events.k8s.io, read through core/v1 (one stored object).
  ASSERT_EQ(Kubectl("get events", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("PredictiveScaleUp"));
  EXPECT_THAT(out, HasSubstr("deployment/web"));
  ASSERT_EQ(Kubectl("get --raw '/api/v1/namespaces/default/events?fieldSelector="
                    "involvedObject.name%3Dweb,involvedObject.kind%3DDeployment'",
                    &out),
            0)
      << out;
  EXPECT_EQ(nlohmann::json::parse(out)["items"][0]["message"],
            "raised the HPA floor to 9 ahead of the forecast peak");
  ASSERT_EQ(Kubectl("get pods -o jsonpath={.items[0].metadata.name}", &out), 0) << out;
  const std::string pod = out;
  ASSERT_EQ(Kubectl("logs " + pod + " --tail=5", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("requests in the last minute"));
  // kubectl top reads metrics.k8s.io, as from metrics-server.
  ASSERT_EQ(Kubectl("top pods -l app=web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("CPU(cores)"));
  EXPECT_THAT(out, HasSubstr("web-"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("api-")));
  ASSERT_EQ(Kubectl("top nodes", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("node-"));
  EXPECT_THAT(out, HasSubstr("%"));
  // limit/continue: two pages hold different pods, and --chunk-size uses them.
  ASSERT_EQ(Kubectl("get --raw '/api/v1/namespaces/default/pods?limit=1'", &out), 0) << out;
  const nlohmann::json page = nlohmann::json::parse(out);
  ASSERT_EQ(page["items"].size(), 1u);
  ASSERT_TRUE(page["metadata"].contains("continue"));
  const std::string token = page["metadata"]["continue"];
  ASSERT_EQ(
      Kubectl("get --raw '/api/v1/namespaces/default/pods?limit=1&continue=" + token + "'", &out),
      0)
      << out;
  EXPECT_NE(nlohmann::json::parse(out)["items"][0]["metadata"]["name"],
            page["items"][0]["metadata"]["name"]);
  ASSERT_EQ(Kubectl("get pods --chunk-size=1 -o name", &out), 0) << out;
  EXPECT_GE(std::count(out.begin(), out.end(), '\n'), 2);
  ASSERT_EQ(Kubectl("wait --for=condition=Available deploy/web --timeout=60s", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("condition met"));
}

// Prometheus scrapes /metrics without credentials; everything else still needs them.
TEST_F(KubectlTest, MetricsAreServedWithoutCredentials) {
  Start();
  httplib::Client client(url_);
  client.enable_server_certificate_verification(false);
  httplib::Result res = client.Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(res->body, HasSubstr("# TYPE kube_pod_info gauge"));
  EXPECT_THAT(res->body, HasSubstr("kube_deployment_spec_replicas{namespace=\"default\","
                                   "deployment=\"web\"}"));
  EXPECT_THAT(res->body, HasSubstr("# TYPE http_requests_total counter"));
  res = client.Get("/api/v1/pods");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(KubectlTest, RolloutRestartStatusHistoryAndUndo) {
  Start();
  std::string out;
  auto web_sets = [&] {
    EXPECT_EQ(Kubectl("get rs -l app=web -o json", &out), 0) << out;
    return nlohmann::json::parse(out)["items"];
  };
  ASSERT_EQ(web_sets().size(), 1u);
  const std::string first = web_sets()[0]["metadata"]["name"];
  ASSERT_EQ(Kubectl("set image deploy/web app=prescient/web:2", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout status deploy/web --timeout=120s", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("successfully rolled out"));
  nlohmann::json sets = web_sets();
  ASSERT_EQ(sets.size(), 2u);
  std::string second;
  for (const auto& rs : sets) {
    if (rs["metadata"]["name"] != first) second = rs["metadata"]["name"];
  }
  ASSERT_EQ(Kubectl("get deploy web -o json", &out), 0) << out;
  const nlohmann::json d = nlohmann::json::parse(out);
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["image"], "prescient/web:2");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(d["status"]["updatedReplicas"], d["spec"]["replicas"]);
  // Every pod now belongs to the new ReplicaSet and runs the new image.
  ASSERT_EQ(Kubectl("get pods -l app=web -o json", &out), 0) << out;
  const nlohmann::json pods = nlohmann::json::parse(out);
  for (const auto& pod : pods["items"]) {
    if (pod["metadata"].contains("deletionTimestamp")) continue;
    EXPECT_EQ(pod["metadata"]["ownerReferences"][0]["name"], second);
    EXPECT_EQ(pod["spec"]["containers"][0]["image"], "prescient/web:2");
  }
  ASSERT_EQ(Kubectl("rollout history deploy/web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("1 "));
  EXPECT_THAT(out, HasSubstr("2 "));
  // Undo goes back to the first ReplicaSet (revision 3 now), not a new one.
  ASSERT_EQ(Kubectl("rollout undo deploy/web", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout status deploy/web --timeout=120s", &out), 0) << out;
  sets = web_sets();
  ASSERT_EQ(sets.size(), 2u);
  for (const auto& rs : sets) {
    if (rs["metadata"]["name"] != first) continue;
    EXPECT_EQ(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "3");
    EXPECT_EQ(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"], "1");
    EXPECT_GT(rs["spec"]["replicas"], 0);  // (The HPA may have moved the count since.)
  }
  // Restart: a new template annotation, a third ReplicaSet.
  ASSERT_EQ(Kubectl("rollout restart deploy/web", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout status deploy/web --timeout=120s", &out), 0) << out;
  EXPECT_EQ(web_sets().size(), 3u);
  ASSERT_EQ(Kubectl("describe deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("kubectl.kubernetes.io/restartedAt"));
  // The deployment controller's events, as describe shows them.
  EXPECT_THAT(out, HasSubstr("ScalingReplicaSet"));
  EXPECT_THAT(out, HasSubstr("Scaled up replica set " + second));
  ASSERT_EQ(Kubectl("get events --field-selector reason=Scheduled", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Successfully assigned default/web-"));
  ASSERT_EQ(Kubectl("get events.v1.events.k8s.io -o json", &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["items"][0]["apiVersion"], "events.k8s.io/v1");
}

// Every served kind, by its short name where it has one: get (table, wide, yaml, json),
// a label selector, and describe.
TEST_F(KubectlTest, GetAndDescribeEveryServedKind) {
  Start();
  std::string out;
  const std::string lease = (dir_ / "lease.yaml").string();
  std::ofstream(lease) << "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n"
                          "  name: prescient\n  labels: {app: web}\nspec:\n"
                          "  holderIdentity: one\n";
  ASSERT_EQ(Kubectl("apply -f " + lease, &out), 0) << out;
  ::usleep(500 * 1000);  // Some controller events happen.
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"po", "Pod"},
      {"no", "Node"},
      {"ns", "Namespace"},
      {"deploy", "Deployment"},
      {"rs", "ReplicaSet"},
      {"hpa", "HorizontalPodAutoscaler"},
      {"pdb", "PodDisruptionBudget"},
      {"ev", "Event"},
      {"lease", "Lease"},
      {"pc", "PriorityClass"}};
  for (const auto& [short_name, kind] : kinds) {
    SCOPED_TRACE(short_name);
    ASSERT_EQ(Kubectl("get " + short_name, &out), 0) << out;
    EXPECT_THAT(out, HasSubstr(short_name == "ev" ? "REASON" : "NAME"));
    ASSERT_EQ(Kubectl("get " + short_name + " -o wide", &out), 0) << out;
    ASSERT_EQ(Kubectl("get " + short_name + " -o json", &out), 0) << out;
    const nlohmann::json list = nlohmann::json::parse(out);
    ASSERT_FALSE(list["items"].empty());
    EXPECT_EQ(list["items"][0]["kind"], kind);
    const std::string name = list["items"][0]["metadata"]["name"];
    ASSERT_EQ(Kubectl("get " + short_name + " " + name + " -o yaml", &out), 0) << out;
    EXPECT_THAT(out, HasSubstr("kind: " + kind));
    ASSERT_EQ(Kubectl("describe " + short_name + " " + name, &out), 0) << out;
    EXPECT_THAT(out, HasSubstr(name));
  }
  for (const std::string short_name : {"po", "deploy", "rs", "lease"}) {
    ASSERT_EQ(Kubectl("get " + short_name + " -l app=web -o name", &out), 0) << out;
    EXPECT_THAT(out, HasSubstr(short_name == "lease" ? "/prescient" : "/web")) << short_name;
    ASSERT_EQ(Kubectl("get " + short_name + " -l app=nothing -o name", &out), 0) << out;
    EXPECT_EQ(out, "") << short_name;
  }
  ASSERT_EQ(Kubectl("describe node", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Non-terminated Pods"));
}

// What the controller will do for warm capacity: a PriorityClass below every workload and
// a Deployment of pause pods at it, created, applied, scaled and deleted with kubectl.
TEST_F(KubectlTest, DeploymentsCreatedThroughTheApiRunAndGo) {
  Start();
  std::string out;
  const std::string file = (dir_ / "warm.yaml").string();
  std::ofstream(file) << R"(apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: warm-capacity}
value: -10
preemptionPolicy: Never
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: warm
  labels: {owner: prescient}
spec:
  replicas: 2
  selector: {matchLabels: {app: warm}}
  template:
    metadata: {labels: {app: warm}}
    spec:
      priorityClassName: warm-capacity
      terminationGracePeriodSeconds: 0
      containers:
      - name: pause
        image: registry.k8s.io/pause:3.9
        resources: {requests: {cpu: 500m, memory: 256Mi}}
)";
  ASSERT_EQ(Kubectl("apply -f " + file, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("deployment.apps/warm created"));
  ASSERT_EQ(Kubectl("rollout status deploy/warm --timeout=60s", &out), 0) << out;
  ASSERT_EQ(Kubectl("get pods -l app=warm -o json", &out), 0) << out;
  const nlohmann::json pods = nlohmann::json::parse(out);
  ASSERT_EQ(pods["items"].size(), 2u);
  EXPECT_EQ(pods["items"][0]["spec"]["priority"], -10);
  EXPECT_EQ(pods["items"][0]["spec"]["containers"][0]["resources"]["requests"]["cpu"], "500m");
  ASSERT_EQ(Kubectl("get deploy warm -o jsonpath={.metadata.labels.owner}", &out), 0) << out;
  EXPECT_EQ(out, "prescient");
  // Applying it again changes nothing; scaling does.
  ASSERT_EQ(Kubectl("apply -f " + file, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("unchanged"));
  ASSERT_EQ(Kubectl("scale deploy warm --replicas=3", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout status deploy/warm --timeout=60s", &out), 0) << out;
  ASSERT_EQ(Kubectl("get deploy warm -o jsonpath={.status.readyReplicas}", &out), 0) << out;
  EXPECT_EQ(out, "3");
  // A deleted pod is replaced by its ReplicaSet (nothing else scales this deployment).
  ASSERT_EQ(Kubectl("get pods -l app=warm -o jsonpath={.items[0].metadata.name}", &out), 0);
  const std::string victim = out;
  ASSERT_EQ(Kubectl("delete pod " + victim, &out), 0) << out;  // Waits until it is gone.
  bool replaced = false;
  for (int i = 0; i < 40 && !replaced; ++i) {
    ASSERT_EQ(Kubectl("get pods -l app=warm -o name", &out), 0) << out;
    replaced =
        out.find(victim) == std::string::npos && std::count(out.begin(), out.end(), '\n') == 3;
    if (!replaced) ::usleep(250 * 1000);
  }
  EXPECT_TRUE(replaced) << out;
  // Bad specs are refused with the field.
  const std::string bad = (dir_ / "bad.yaml").string();
  std::ofstream(bad) << "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\n"
                        "spec:\n  selector: {matchLabels: {app: bad}}\n  template:\n"
                        "    metadata: {labels: {app: other}}\n"
                        "    spec: {containers: [{name: c, image: i}]}\n";
  EXPECT_NE(Kubectl("apply -f " + bad, &out), 0);
  EXPECT_THAT(out, HasSubstr("does not match template"));
  EXPECT_NE(Kubectl("delete deploy web", &out), 0);
  EXPECT_THAT(out, HasSubstr("scale it to 0"));
  ASSERT_EQ(Kubectl("delete deploy warm", &out), 0) << out;
  EXPECT_NE(Kubectl("get deploy warm", &out), 0);
  EXPECT_THAT(out, HasSubstr("not found"));
}

// Debian's own kubectl (1.20: legacy discovery, OpenAPI v2 for apply), which setup
// unpacks beside a newer one.
TEST_F(KubectlTest, DebiansOldKubectlWorksToo) {
  kubectl_ = "/var/cache/prescient/kubectl-debian/usr/bin/kubectl";
  if (!std::filesystem::exists(kubectl_))
    GTEST_SKIP() << "no " << kubectl_ << " (scripts/setup.sh)";
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("version --client", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("v1.20"));
  ASSERT_EQ(Kubectl("get po -o wide", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Running"));
  ASSERT_EQ(Kubectl("get all", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("deployment.apps/web"));
  ASSERT_EQ(Kubectl("describe deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("NewReplicaSet:"));
  ASSERT_EQ(Kubectl("get nodes -o jsonpath={.items[0].metadata.name}", &out), 0) << out;
  const std::string node = out;
  ASSERT_EQ(Kubectl("cordon " + node, &out), 0) << out;
  ASSERT_EQ(Kubectl("uncordon " + node, &out), 0) << out;
  ASSERT_EQ(Kubectl("scale deploy web-placeholder --replicas=2", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout restart deploy/web", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout status deploy/web --timeout=120s", &out), 0) << out;
  ASSERT_EQ(Kubectl("rollout undo deploy/web", &out), 0) << out;
  ASSERT_EQ(Kubectl("wait --for=condition=Available deploy/web --timeout=60s", &out), 0) << out;
  const std::string lease = (dir_ / "lease.yaml").string();
  std::ofstream(lease) << "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n"
                          "  name: old\nspec:\n  holderIdentity: one\n";
  ASSERT_EQ(Kubectl("apply -f " + lease, &out), 0) << out;
  ASSERT_EQ(Kubectl("apply --server-side -f " + lease, &out), 0) << out;
  ASSERT_EQ(Kubectl("get lease old", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("one"));
}

TEST_F(KubectlTest, PlainHttpOnRequest) {
  Start(/*http=*/true);
  std::string out;
  ASSERT_EQ(Kubectl("get nodes", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Ready"));
}

}  // namespace
}  // namespace prescient::sim::api
