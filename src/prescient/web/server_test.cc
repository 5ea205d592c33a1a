#include "prescient/web/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "prescient/web/assets.h"

namespace prescient::web {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : source_("demo") {
    ServiceSummary s;
    s.id = "web-hpa";
    s.name = "web";
    s.policy = "hpa";
    source_.UpsertService(s);
    MinuteRow r;
    r.time = Timestamp(Duration(1720000000));
    r.actual_rps = 10;
    source_.AppendMinute("web-hpa", r);
  }

  // Starts a server on a free loopback port; returns a client for it.
  std::unique_ptr<httplib::Client> Start(const std::string& token = "") {
    server_ = std::make_unique<DashboardServer>(source_, token);
    Result<int> port = server_->Bind("127.0.0.1", 0);
    EXPECT_TRUE(port.ok()) << port.status().message();
    server_->Start();
    EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(*port) + "/");
    return std::make_unique<httplib::Client>("127.0.0.1", *port);
  }

  MemorySource source_;
  std::unique_ptr<DashboardServer> server_;
};

TEST_F(ServerTest, ServesTheApiAndTheAssets) {
  auto client = Start();
  auto res = client->Get("/api/v1/services");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  nlohmann::json j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["services"][0]["id"], "web-hpa");

  res = client->Get("/api/v1/events?limit=0");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("limit:"), std::string::npos) << res->body;

  res = client->Get("/api/v1/services/web%2Dhpa/series?step=5m");  // Decoded path.
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;

  res = client->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html;charset=utf-8");
  std::ifstream index(PRESCIENT_SOURCE_DIR "/web/index.html", std::ios::binary);
  const std::string want((std::istreambuf_iterator<char>(index)), std::istreambuf_iterator<char>());
  EXPECT_EQ(res->body, want);

  res = client->Get("/vendor/uPlot.iife.min.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GT(res->body.size(), 10000u);

  // Browsers accept Brotli too; the server answers with gzip (much faster to produce).
  res = client->Get("/vendor/uPlot.iife.min.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");

  res = client->Get("/no-such-file.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);

  res = client->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "ok");
}

TEST_F(ServerTest, ReadOnly) {
  auto client = Start();
  auto res = client->Post("/api/v1/services", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
  res = client->Delete("/api/v1/services/web-hpa");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  res = client->Head("/api/v1/services");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.empty());
}

TEST_F(ServerTest, TokenGuardsAllButHealthz) {
  auto client = Start("s3cret");
  auto res = client->Get("/api/v1/services");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_NE(res->body.find("\"error\""), std::string::npos);
  res = client->Get("/", {{"Authorization", "Bearer wrong"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = client->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  client->set_bearer_token_auth("s3cret");
  res = client->Get("/api/v1/services");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ServerTest, BindFailureNamesTheFlag) {
  auto client = Start();
  const std::string url = server_->url();
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  DashboardServer second(source_, "");
  Result<int> bound = second.Bind("127.0.0.1", port, "--web");
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("--web: cannot bind 127.0.0.1:"), std::string::npos);
}

TEST(AssetsTest, EveryListedFileIsEmbedded) {
  ASSERT_NE(FindAsset("/"), nullptr);
  ASSERT_NE(FindAsset("/vendor/uPlot.iife.min.js"), nullptr);
  EXPECT_EQ(FindAsset("/nope"), nullptr);
  for (const Asset& a : EmbeddedAssets()) EXPECT_FALSE(a.content_type.empty()) << a.path;
}

TEST(TokenFileTest, ReadsTheFirstLine) {
  const std::string path = ::testing::TempDir() + "/token";
  { std::ofstream(path) << "  abc \nrest\n"; }
  EXPECT_EQ(*ReadTokenFile(path), "abc");
  EXPECT_FALSE(ReadTokenFile(path + ".missing").ok());
}

}  // namespace
}  // namespace prescient::web
