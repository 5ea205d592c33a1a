// Unit tests against an in-process flaky server (retries, mapping) and integration tests
// against the real simulator API (`prescient sim serve`), started once for the suite.
#include "prescient/k8s/rest_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <thread>

#include "prescient/k8s/api_error.h"
#include "prescient/k8s/kube_config.h"
#include "prescient/sim/api/tls.h"
#include "prescient/testing/child_process.h"

namespace prescient::k8s {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(ApiErrorTest, MapsStatusCodesAndKeepsTheServersMessage) {
  const std::string body =
      R"({"kind":"Status","status":"Failure","reason":"NotFound","message":"pods \"x\" not found","code":404})";
  Status s = StatusFromResponse(404, body, "GET", "/api/v1/pods/x");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "GET /api/v1/pods/x: 404 NotFound: pods \"x\" not found");
  EXPECT_EQ(StatusFromResponse(409, R"({"kind":"Status","reason":"Conflict"})", "PUT", "/p").code(),
            StatusCode::kAborted);
  EXPECT_EQ(
      StatusFromResponse(409, R"({"kind":"Status","reason":"AlreadyExists"})", "POST", "/p").code(),
      StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromResponse(410, "", "GET", "/p").code(), StatusCode::kOutOfRange);
  EXPECT_EQ(StatusFromResponse(422, "", "GET", "/p").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromResponse(429, "", "GET", "/p").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusFromResponse(503, "busy", "GET", "/p").message(), "GET /p: 503: busy");
  EXPECT_EQ(StatusFromResponse(503, "", "GET", "/p").code(), StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromResponse(401, "", "GET", "/p").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusFromResponse(403, "", "GET", "/p").code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(StatusFromResponse(201, "", "GET", "/p").ok());
}

TEST(BackoffTest, FullJitterUnderAnExponentialCap) {
  double u = 0.5;
  Backoff b({.initial = std::chrono::milliseconds(100),
             .max = std::chrono::milliseconds(1000),
             .uniform = [&] { return u; }});
  EXPECT_EQ(b.Delay(0), std::chrono::milliseconds(50));
  EXPECT_EQ(b.Delay(2), std::chrono::milliseconds(200));
  EXPECT_EQ(b.Delay(10), std::chrono::milliseconds(500));
  u = 0.0;
  EXPECT_EQ(b.Delay(3), std::chrono::milliseconds(0));
  EXPECT_EQ(b.Delay(3, std::chrono::milliseconds(300)), std::chrono::milliseconds(300));
  EXPECT_EQ(b.Delay(3, std::chrono::seconds(60)), std::chrono::milliseconds(1000));
}

// An HTTP server on 127.0.0.1 that answers from a script of status codes.
class FlakyServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/watch", [](const httplib::Request& req, httplib::Response& res) {
      EXPECT_EQ(req.get_param_value("watch"), "true");
      EXPECT_EQ(req.get_param_value("resourceVersion"), "7");
      res.set_content(
          "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"}}\n\n"
          "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
          "\"reason\":\"Expired\",\"message\":\"too old resource version: 7 (9)\"}}\n",
          "application/json");
    });
    server_.Get(".*", [this](const httplib::Request&, httplib::Response& res) {
      const size_t i = calls_++;
      res.status = i < script_.size() ? script_[i] : 200;
      res.set_content(res.status == 200 ? R"({"ok":true})"
                                        : R"({"kind":"Status","reason":"X","message":"scripted"})",
                      "application/json");
      if (!retry_after_.empty()) res.set_header("Retry-After", retry_after_);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  std::unique_ptr<RestClient> Client(int max_attempts = 4) {
    RestConfig c{.scheme = "http", .host = "127.0.0.1", .port = port_};
    RestClientOptions o;
    o.backoff = {.max_attempts = max_attempts,
                 .sleep = [this](std::chrono::milliseconds d) { sleeps_.push_back(d); },
                 .uniform = [] { return 1.0; }};
    return std::move(RestClient::Create(c, o).value());
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<int> script_;
  std::string retry_after_;
  std::atomic<size_t> calls_{0};
  std::vector<std::chrono::milliseconds> sleeps_;
};

TEST_F(FlakyServerTest, RetriesThrottlingAndServerErrorsWithGrowingBackoff) {
  script_ = {429, 500, 503};
  Result<json> r = Client()->Get("/x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(calls_, 4u);
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(200),
                                                             std::chrono::milliseconds(400),
                                                             std::chrono::milliseconds(800)}));
}

TEST_F(FlakyServerTest, GivesUpAfterMaxAttempts) {
  script_ = {503, 503, 503, 503, 503};
  Result<json> r = Client(3)->Get("/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("after 3 attempts: GET /x: 503 X: scripted"));
  EXPECT_EQ(calls_, 3u);
}

TEST_F(FlakyServerTest, NeverRetriesOtherClientErrors) {
  for (int code : {400, 403, 404, 409, 422}) {
    calls_ = 0;
    script_ = {code};
    EXPECT_FALSE(Client()->Get("/x").ok());
    EXPECT_EQ(calls_, 1u) << code;
  }
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(FlakyServerTest, ConnectionRefusedIsUnavailable) {
  RestConfig c{.scheme = "http", .host = "127.0.0.1", .port = 1};
  RestClientOptions o;
  o.backoff = {.max_attempts = 2, .sleep = [](std::chrono::milliseconds) {}};
  Result<json> r = RestClient::Create(c, o).value()->Get("/x");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("GET /x"));
}

TEST_F(FlakyServerTest, HonoursRetryAfter) {
  script_ = {429};
  retry_after_ = "2";
  ASSERT_TRUE(Client()->Get("/x").ok());
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(2)}));
}

TEST_F(FlakyServerTest, WatchErrorEventIsItsStatus) {
  int events = 0;
  Status s = Client()->Watch(
      "/watch", "7",
      [&](const json& e) {
        EXPECT_EQ(e["type"], "ADDED");
        ++events;
        return true;
      },
      std::chrono::seconds(5));
  EXPECT_EQ(events, 1);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_THAT(s.message(), HasSubstr("WATCH /watch: 410 Expired: too old resource version"));
}

// The simulator's API server, started once for all SimApiTest tests.
class SimApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("prescient_k8s_test_" + std::to_string(::getpid())));
    Result<testing::SimServe> s = testing::StartSimServe(*dir_, {"--speed", "120"});
    if (!s.ok()) {
      error_ = new std::string(s.status().ToString());
      return;
    }
    kubeconfig_ = new std::string(s->kubeconfig);
    server_ = new testing::SimServe(std::move(s).value());
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete kubeconfig_;
    delete error_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "prescient sim serve did not start: " << *error_;
  }

  static RestConfig Config(const std::string& context = "prescient-sim") {
    Result<RestConfig> c = LoadKubeConfig({.files = {*kubeconfig_}, .context = context});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : RestConfig{};
  }
  static std::unique_ptr<RestClient> Client(RestConfig c, int page_size = kDefaultListPageSize) {
    RestClientOptions o;
    o.list_page_size = page_size;
    o.backoff.max_attempts = 2;
    Result<std::unique_ptr<RestClient>> r = RestClient::Create(std::move(c), o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline std::string* kubeconfig_ = nullptr;
  static inline testing::SimServe* server_ = nullptr;
  static inline std::string* error_ = nullptr;
};

TEST_F(SimApiTest, TokenAndClientCertificateContextsBothWork) {
  for (const char* context : {"prescient-sim", "prescient-sim-cert"}) {
    RestConfig c = Config(context);
    EXPECT_FALSE(c.ca_pem.empty());
    auto client = Client(c);
    Result<json> version = client->Get("/version");
    ASSERT_TRUE(version.ok()) << context << ": " << version.status().ToString();
    EXPECT_TRUE(version->contains("gitVersion")) << version->dump();
    Result<json> pods = client->Get("/api/v1/namespaces/default/pods");  // Needs auth.
    ASSERT_TRUE(pods.ok()) << context << ": " << pods.status().ToString();
  }
}

TEST_F(SimApiTest, ListFollowsContinuePages) {
  auto client = Client(Config(), 1);
  Result<json> pods = client->List("/api/v1/namespaces/default/pods", "app=web");
  ASSERT_TRUE(pods.ok()) << pods.status().ToString();
  ASSERT_GE((*pods)["items"].size(), 2u);  // One per page: pages were followed.
  for (const json& p : (*pods)["items"]) EXPECT_EQ(p["metadata"]["labels"]["app"], "web");
  EXPECT_FALSE((*pods)["metadata"].contains("continue"));
  Result<json> none = client->List("/api/v1/namespaces/default/pods", "app=nothing");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE((*none)["items"].empty());
}

TEST_F(SimApiTest, MergePatchOnTheScaleSubresource) {
  auto client = Client(Config());
  const std::string deployment = "/apis/apps/v1/namespaces/default/deployments/web-placeholder";
  Result<json> before = client->Get(deployment);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  const int replicas = (*before)["spec"]["replicas"].get<int>() + 2;
  Result<json> patched =
      client->Patch(deployment + "/scale", kMergePatch, {{"spec", {{"replicas", replicas}}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["kind"], "Scale");
  EXPECT_EQ((*patched)["spec"]["replicas"], replicas);
  // The simulator's predictive policy owns the placeholder and may set it back at once,
  // so the write shows in the generation rather than in a later read of spec.replicas.
  Result<json> after = client->Get(deployment);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_GT((*after)["metadata"]["generation"].get<int64_t>(),
            (*before)["metadata"]["generation"].get<int64_t>());
}

TEST_F(SimApiTest, StalePutConflictsAndUpdateRereads) {
  auto client = Client(Config());
  const std::string leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
  const json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                      {"kind", "Lease"},
                      {"metadata", {{"name", "k8s-test"}, {"namespace", "default"}}},
                      {"spec", {{"holderIdentity", "a"}, {"leaseDurationSeconds", 15}}}};
  Result<json> created = client->Post(leases, lease);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(client->Post(leases, lease).status().code(), StatusCode::kAlreadyExists);
  json stale = *created;
  json fresh = *created;
  fresh["spec"]["holderIdentity"] = "b";
  ASSERT_TRUE(client->Put(leases + "/k8s-test", fresh).ok());
  stale["spec"]["holderIdentity"] = "c";
  Result<json> conflict = client->Put(leases + "/k8s-test", stale);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), StatusCode::kAborted) << conflict.status().ToString();
  EXPECT_THAT(conflict.status().message(), HasSubstr("PUT " + leases + "/k8s-test: 409"));

  int rounds = 0;
  Result<json> updated = client->Update(leases + "/k8s-test", [&](json& o) {
    if (++rounds == 1) {  // Someone else writes between our GET and PUT, once.
      json other = o;
      other["spec"]["holderIdentity"] = "intruder";
      EXPECT_TRUE(client->Put(leases + "/k8s-test", other).ok());
    }
    o["spec"]["holderIdentity"] = "me";
    return OkStatus();
  });
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(rounds, 2);
  EXPECT_EQ((*updated)["spec"]["holderIdentity"], "me");
  EXPECT_TRUE(client->Delete(leases + "/k8s-test").ok());
  EXPECT_EQ(client->Get(leases + "/k8s-test").status().code(), StatusCode::kNotFound);
}

TEST_F(SimApiTest, WatchDeliversEvents) {
  auto client = Client(Config());
  const std::string pods = "/api/v1/namespaces/default/pods";
  std::vector<std::string> types;
  Status s = client->Watch(
      pods, "",
      [&](const json& e) {
        types.push_back(e["type"]);
        return types.size() < 2;
      },
      std::chrono::seconds(10));
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "ADDED"}));

  // From a list's resourceVersion: only changes, here the pods of a scale-up.
  Result<json> list = client->List(pods);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  const std::string rv = (*list)["metadata"]["resourceVersion"];
  std::thread scaler([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(client
                    ->Patch("/apis/apps/v1/namespaces/default/deployments/web-placeholder/scale",
                            kMergePatch, {{"spec", {{"replicas", 5}}}})
                    .ok());
  });
  json first;
  s = client->Watch(
      pods, rv,
      [&](const json& e) {
        if (e["type"] == "BOOKMARK") return true;
        first = e;
        return false;
      },
      std::chrono::seconds(20));
  scaler.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first["object"]["kind"], "Pod");
}

TEST_F(SimApiTest, NotFoundCarriesTheServersMessage) {
  Result<json> r = Client(Config())->Get("/api/v1/namespaces/default/pods/nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("GET /api/v1/namespaces/default/pods/nope: 404"));
  EXPECT_THAT(r.status().message(), HasSubstr("\"nope\" not found"));
}

TEST_F(SimApiTest, AnotherCaFailsServerVerification) {
  Result<sim::api::TlsMaterial> other = sim::api::GenerateTls("127.0.0.1");
  ASSERT_TRUE(other.ok());
  RestConfig c = Config();
  c.ca_pem = other->ca_pem;
  Result<json> r = Client(c)->Get("/version");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("server certificate verification failed"));
  c.insecure = true;  // insecure-skip-tls-verify is the only way past it.
  EXPECT_TRUE(Client(c)->Get("/version").ok());
  c = Config();
  c.tls_server_name = "not-the-server.example";
  r = Client(c)->Get("/version");
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
}

TEST_F(SimApiTest, BadTokenIsUnauthenticated) {
  RestConfig c = Config();
  c.token = "wrong";
  Result<json> r = Client(c)->Get("/api/v1/namespaces/default/pods");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(r.status().message(),
              HasSubstr("GET /api/v1/namespaces/default/pods: 401 Unauthorized"));
}

// Stands for an exec plugin whose first credential has expired.
class RotatingSource : public CredentialSource {
 public:
  explicit RotatingSource(Credentials good) : good_(std::move(good)) {}
  Result<Credentials> Get() override {
    ++gets;
    if (invalidated == 0) return Credentials{.token = "expired"};
    return good_;
  }
  void Invalidate() override { ++invalidated; }
  int gets = 0, invalidated = 0;

 private:
  Credentials good_;
};

TEST_F(SimApiTest, CredentialsAreFetchedAgainAfter401) {
  const RestConfig token = Config();
  const RestConfig cert = Config("prescient-sim-cert");
  for (const Credentials& good :
       {Credentials{.token = token.token}, Credentials{.client_cert_pem = cert.client_cert_pem,
                                           .client_key_pem = cert.client_key_pem}}) {
    RestConfig c = token;
    c.token.clear();
    auto source = std::make_shared<RotatingSource>(good);
    c.credentials = source;
    Result<json> pods = Client(c)->Get("/api/v1/namespaces/default/pods");
    ASSERT_TRUE(pods.ok()) << pods.status().ToString();
    EXPECT_EQ(source->invalidated, 1);
    EXPECT_EQ(source->gets, 2);
  }
}

TEST_F(SimApiTest, BadPemIsInvalidArgument) {
  RestConfig c = Config("prescient-sim-cert");
  c.client_key_pem = "not a key";
  EXPECT_EQ(RestClient::Create(c).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace prescient::k8s
