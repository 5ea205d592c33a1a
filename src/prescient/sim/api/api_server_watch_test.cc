// The list+watch loop a controller runs (client-go's Reflector), over HTTP against an
// in-process server whose event log is tiny: the watch expires (an ERROR event carrying
// a 410 Status), the client re-lists, and it still ends with exactly the server's state,
// having seen every change in resourceVersion order.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "prescient/sim/api/api_server.h"
#include "prescient/sim/api/live_cluster.h"

namespace prescient::sim::api {
namespace {

const Timestamp kT0 = *ParseTimestamp("2026-11-28T00:00:00Z");

std::unique_ptr<Simulator> MakeSim() {
  std::vector<double> counts(600, 0);
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = 60 * (200 + 150 * ((i / 10) % 3));
  Result<LoadTrace> trace =
      LoadTrace::FromCounts(Series(kT0, Duration(60), std::move(counts)), "test");
  EXPECT_TRUE(trace.ok());
  ServiceSpec s;
  s.name = "web";
  s.trace = std::move(*trace);
  s.workload.capacity_rps = 100;
  s.hpa_spec.min_replicas = 2;
  s.hpa_spec.max_replicas = 20;
  s.initial_replicas = 3;
  SimulatorOptions o;
  o.record_minutes = false;
  std::vector<ServiceSpec> services;
  services.push_back(std::move(s));
  Result<std::unique_ptr<Simulator>> sim = Simulator::Create(o, std::move(services), kT0);
  EXPECT_TRUE(sim.ok()) << sim.status().message();
  return std::move(sim).value();
}

TEST(ApiServerWatchTest, ListWatchSeesEveryChangeInOrderAcrossA410Relist) {
  LiveCluster cluster(MakeSim(), {}, /*speed=*/300);
  ApiServer server(cluster, nullptr, /*event_log=*/8);
  Result<int> port = server.Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  std::thread serving([&] { (void)server.Serve(); });
  cluster.Start();
  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(10, 0);

  std::map<std::string, std::string> state;  // Pod name -> resourceVersion.
  uint64_t rv = 0;
  auto relist = [&] {
    httplib::Result res = client.Get("/api/v1/namespaces/default/pods");
    ASSERT_TRUE(res && res->status == 200);
    const nlohmann::json list = nlohmann::json::parse(res->body);
    state.clear();
    for (const auto& p : list["items"]) {
      state[p["metadata"]["name"]] = p["metadata"]["resourceVersion"];
    }
    rv = std::stoull(list["metadata"]["resourceVersion"].get<std::string>());
  };
  relist();
  int expired = 0, events = 0;
  for (int round = 0; round < 12 && (expired == 0 || events < 20); ++round) {
    // A watch for a second; between rounds the client lags, so the log moves past it.
    httplib::Result res = client.Get("/api/v1/namespaces/default/pods?watch=true&resourceVersion=" +
                                     std::to_string(rv) + "&timeoutSeconds=1");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    std::istringstream lines(res->body);
    std::string line;
    while (std::getline(lines, line)) {
      const nlohmann::json e = nlohmann::json::parse(line);
      if (e["type"] == "ERROR") {
        EXPECT_EQ(e["object"]["code"], 410);
        EXPECT_EQ(e["object"]["reason"], "Expired");
        ++expired;
        relist();
        break;
      }
      const uint64_t version =
          std::stoull(e["object"]["metadata"]["resourceVersion"].get<std::string>());
      EXPECT_GT(version, rv) << "events come in resourceVersion order";
      rv = version;
      ++events;
      const std::string name = e["object"]["metadata"]["name"];
      if (e["type"] == "DELETED") {
        state.erase(name);
      } else {
        state[name] = e["object"]["metadata"]["resourceVersion"];
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 2 == 0 ? 50 : 1500));
  }
  cluster.Stop();  // The state stands still: the client's copy must equal the server's.
  httplib::Result res = client.Get("/api/v1/namespaces/default/pods?watch=true&resourceVersion=" +
                                   std::to_string(rv) + "&timeoutSeconds=1");
  ASSERT_TRUE(res);
  std::istringstream lines(res->body);
  std::string line;
  bool relisted = false;
  while (std::getline(lines, line)) {
    const nlohmann::json e = nlohmann::json::parse(line);
    if (e["type"] == "ERROR") {
      relisted = true;
      break;
    }
    const std::string name = e["object"]["metadata"]["name"];
    if (e["type"] == "DELETED") {
      state.erase(name);
    } else {
      state[name] = e["object"]["metadata"]["resourceVersion"];
    }
  }
  if (relisted) relist();
  std::map<std::string, std::string> truth;
  res = client.Get("/api/v1/namespaces/default/pods");
  ASSERT_TRUE(res && res->status == 200);
  const nlohmann::json final_list = nlohmann::json::parse(res->body);
  for (const auto& p : final_list["items"]) {
    truth[p["metadata"]["name"]] = p["metadata"]["resourceVersion"];
  }
  EXPECT_EQ(state, truth);
  EXPECT_GT(expired, 0) << "the tiny event log should have expired a watch";
  EXPECT_GT(events, 0);
  server.Stop();
  serving.join();
}

}  // namespace
}  // namespace prescient::sim::api
