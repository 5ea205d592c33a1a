// The simulator's Kubernetes API, checked with the real kubectl (as a user would use it)
// and its pieces directly. The server runs as a child process on a free loopback port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prescient/sim/api/objects_json.h"
#include "prescient/sim/api/resources.h"

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
    std::vector<std::string> args = {std::string(PRESCIENT_BINARY_DIR) + "/src/prescient/prescient",
                                     "sim",
                                     "serve",
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--speed",
                                     "120",
                                     "--kubeconfig-out",
                                     kubeconfig_};
    if (http) args.push_back("--insecure-http");
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    FILE* out = ::fdopen(fds[0], "r");
    std::array<char, 256> line{};
    ASSERT_NE(std::fgets(line.data(), line.size(), out), nullptr);
    std::fclose(out);
    ASSERT_THAT(std::string(line.data()), HasSubstr(http ? "listening on http://127.0.0.1:"
                                                         : "listening on https://127.0.0.1:"));
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status)) << "the server should exit cleanly on SIGTERM";
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Runs kubectl; returns its exit code, stdout+stderr in *out.
  int Kubectl(const std::string& args, std::string* out) {
    const std::string file = (dir_ / "out").string();
    const std::string cmd = "kubectl --kubeconfig " + kubeconfig_ + " --cache-dir " +
                            (dir_ / "cache").string() + " " + args + " >" + file + " 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream in(file);
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
  std::string kubeconfig_;
  pid_t pid_ = -1;
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
  EXPECT_NE(Kubectl("scale deploy web --replicas=3", &out), 0);  // Writes are not served yet.
}

TEST_F(KubectlTest, ClientCertificateWorksAndABadTokenIsUnauthorized) {
  Start();
  std::string out;
  ASSERT_EQ(Kubectl("--context prescient-sim-cert get deploy web", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("web"));
  EXPECT_NE(Kubectl("--token not-the-token get pods", &out), 0);
  EXPECT_THAT(out, HasSubstr("Unauthorized"));
}

TEST_F(KubectlTest, PlainHttpOnRequest) {
  Start(/*http=*/true);
  std::string out;
  ASSERT_EQ(Kubectl("get nodes", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Ready"));
}

}  // namespace
}  // namespace prescient::sim::api
