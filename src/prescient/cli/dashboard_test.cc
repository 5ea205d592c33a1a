// The dashboard as the commands serve it: `prescient demo` (a one-day replay) and
// `prescient sim serve`, started for real, asked over HTTP, stopped with SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "prescient/testing/child_process.h"

namespace prescient {
namespace {

using nlohmann::json;
using testing::ChildProcess;

std::filesystem::path TestDir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(PRESCIENT_BINARY_DIR) / "test-output" / "dashboard" / name;
  std::filesystem::create_directories(dir);
  return dir;
}

// "dashboard: http://127.0.0.1:PORT/ ..." -> a client for it.
std::unique_ptr<httplib::Client> ClientFor(const std::string& line) {
  const size_t at = line.find("http://");
  const size_t colon = line.find(':', at + 7);
  const int port = std::stoi(line.substr(colon + 1));
  return std::make_unique<httplib::Client>("127.0.0.1", port);
}

json GetJson(httplib::Client& client, const std::string& path, int want = 200) {
  auto res = client.Get(path);
  EXPECT_TRUE(res) << path;
  if (!res) return json();
  EXPECT_EQ(res->status, want) << path << ": " << res->body;
  return json::parse(res->body);
}

TEST(DashboardCommandTest, DemoServesTheReplayUntilSigterm) {
  const auto dir = TestDir("demo");
  Result<ChildProcess> p = ChildProcess::Start(
      {testing::PrescientBinary(), "demo", "--days", "1", "--web", "127.0.0.1:0"},
      dir / "demo.log");
  ASSERT_TRUE(p.ok()) << p.status().message();
  Result<std::string> line = p->WaitForLine("dashboard: http://", std::chrono::seconds(60));
  ASSERT_TRUE(line.ok()) << line.status().message();
  auto client = ClientFor(*line);
  // The API answers during the replay already.
  EXPECT_EQ(GetJson(*client, "/api/v1/services")["source"], "demo");
  ASSERT_TRUE(p->WaitForLine("serving until", std::chrono::seconds(300)).ok()) << p->Output();

  json services = GetJson(*client, "/api/v1/services");
  ASSERT_EQ(services["services"].size(), 2u) << services.dump();
  EXPECT_EQ(services["services"][0]["id"], "web-hpa");
  EXPECT_EQ(services["services"][1]["id"], "web-predictive");
  EXPECT_FALSE(services["services"][1]["prediction_accuracy_percent"].is_null());
  EXPECT_FALSE(services["services"][0]["availability"].is_null());
  json one = GetJson(*client, "/api/v1/services/web-predictive");
  EXPECT_EQ(one["totals"]["minutes"], 1440);
  EXPECT_FALSE(one["totals"]["pod_hours"].is_null());

  json series = GetJson(*client, "/api/v1/services/web-predictive/series");
  EXPECT_EQ(series["step_seconds"], 60);
  EXPECT_EQ(series["time"].size(), 1440u);
  int forecasts = 0;
  for (const json& v : series["forecast_upper_rps"]) forecasts += v.is_null() ? 0 : 1;
  EXPECT_GT(forecasts, 1000);

  json events = GetJson(*client, "/api/v1/events?limit=1000");
  ASSERT_FALSE(events["events"].empty());
  bool floor_event = false;
  for (const json& e : events["events"]) {
    EXPECT_FALSE(e["reason"].get<std::string>().empty());
    floor_event = floor_event || e["action"] == "set-hpa-min";
  }
  EXPECT_TRUE(floor_event);
  json nodes = GetJson(*client, "/api/v1/nodes");
  EXPECT_FALSE(nodes["nodes"].empty());

  EXPECT_EQ(GetJson(*client, "/api/v1/events?limit=0", 400)["error"].get<std::string>().rfind(
                "limit:", 0),
            0u);
  auto index = client->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);

  const std::optional<int> status = p->Stop();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status)) << p->Output();
  EXPECT_EQ(WEXITSTATUS(*status), 0) << p->Output();
}

TEST(DashboardCommandTest, DemoRejectsABadWebAddress) {
  const auto log = TestDir("demo-bad") / "demo.log";
  const std::string cmd =
      testing::PrescientBinary() + " demo --days 1 --web nowhere > " + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream in(log);
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(out.find("--web: 'nowhere' is not HOST:PORT"), std::string::npos) << out;
}

TEST(DashboardCommandTest, SimServeShowsTheLiveCluster) {
  const auto dir = TestDir("sim-serve");
  Result<testing::SimServe> sim = testing::StartSimServe(dir, {"--speed", "600"});
  ASSERT_TRUE(sim.ok()) << sim.status().message();
  Result<std::string> line =
      sim->process.WaitForLine("dashboard: http://", std::chrono::seconds(5));
  ASSERT_TRUE(line.ok()) << line.status().message();
  auto client = ClientFor(*line);
  // 600 simulated seconds a second: minutes close quickly; wait for a few.
  json services;
  for (int i = 0; i < 600; ++i) {
    services = GetJson(*client, "/api/v1/services");
    if (!services["services"].empty() && services["services"][0]["availability"].is_number()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(services["source"], "sim");
  ASSERT_FALSE(services["services"].empty()) << services.dump();
  EXPECT_TRUE(services["services"][0]["availability"].is_number()) << services.dump();
  const std::string id = services["services"][0]["id"];
  json series = GetJson(*client, "/api/v1/services/" + id + "/series");
  EXPECT_FALSE(series["time"].empty());
  EXPECT_FALSE(GetJson(*client, "/api/v1/nodes")["nodes"].empty());
}

}  // namespace
}  // namespace prescient
