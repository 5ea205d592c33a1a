#include "prescient/k8s/kube_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace prescient::k8s {
namespace {

using ::testing::HasSubstr;

std::string B64(const std::string& s) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    const uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    for (int j = 18; j >= 0; j -= 6) out += k[(v >> j) & 63];
  }
  if (i + 1 == s.size()) {
    const uint32_t v = uint8_t(s[i]) << 16;
    out += std::string{k[(v >> 18) & 63], k[(v >> 12) & 63]} + "==";
  } else if (i + 2 == s.size()) {
    const uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8);
    out += std::string{k[(v >> 18) & 63], k[(v >> 12) & 63], k[(v >> 6) & 63]} + "=";
  }
  return out;
}

class KubeConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_kubeconfig_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  Result<RestConfig> Load(std::vector<std::string> files, std::string context = "",
                          std::string ns = "") {
    return LoadKubeConfig({.files = std::move(files),
                           .context = std::move(context),
                           .namespace_override = std::move(ns),
                           .now = [this] { return now_; }});
  }

  std::filesystem::path dir_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
};

TEST_F(KubeConfigTest, TokenUserWithInlineCa) {
  const std::string f = Write("config", R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: )" + B64("CA PEM") +
                                            R"(
    tls-server-name: api.example
contexts:
- name: prod
  context: {cluster: prod, user: token-user, namespace: shop}
users:
- name: token-user
  user: {token: s3cr3t}
)");
  Result<RestConfig> c = Load({f});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->scheme, "https");
  EXPECT_EQ(c->host, "10.0.0.1");
  EXPECT_EQ(c->port, 6443);
  EXPECT_EQ(c->ca_pem, "CA PEM");
  EXPECT_EQ(c->token, "s3cr3t");
  EXPECT_EQ(c->default_namespace, "shop");
  EXPECT_EQ(c->tls_server_name, "api.example");
  EXPECT_FALSE(c->insecure);
  EXPECT_EQ(c->credentials, nullptr);
}

TEST_F(KubeConfigTest, ClientCertificateFromPathsRelativeToTheFile) {
  Write("sub/certs/ca.crt", "CA");
  Write("sub/certs/client.crt", "CERT");
  Write("sub/certs/client.key", "KEY");
  const std::string f = Write("sub/config", R"(
current-context: c
clusters:
- name: k
  cluster: {server: "https://[::1]:8443/prefix/", certificate-authority: certs/ca.crt}
contexts:
- name: c
  context: {cluster: k, user: u}
users:
- name: u
  user: {client-certificate: certs/client.crt, client-key: certs/client.key}
)");
  Result<RestConfig> c = Load({f});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 8443);
  EXPECT_EQ(c->base_path, "/prefix");
  EXPECT_EQ(c->ca_pem, "CA");
  EXPECT_EQ(c->client_cert_pem, "CERT");
  EXPECT_EQ(c->client_key_pem, "KEY");
  EXPECT_EQ(c->default_namespace, "default");
}

TEST_F(KubeConfigTest, InlineClientCertificateAndInsecure) {
  const std::string f = Write("config", R"(
current-context: c
clusters:
- name: k
  cluster: {server: "http://localhost", insecure-skip-tls-verify: true}
contexts:
- name: c
  context: {cluster: k, user: u}
users:
- name: u
  user: {client-certificate-data: )" + B64("CERT") +
                                            ", client-key-data: " + B64("KEY!") + "}\n");
  Result<RestConfig> c = Load({f});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->scheme, "http");
  EXPECT_EQ(c->port, 80);
  EXPECT_TRUE(c->insecure);
  EXPECT_EQ(c->client_cert_pem, "CERT");
  EXPECT_EQ(c->client_key_pem, "KEY!");
}

TEST_F(KubeConfigTest, TokenFileIsRereadAfterAMinute) {
  Write("token", "first\n");
  const std::string f = Write("config", R"(
current-context: c
clusters: [{name: k, cluster: {server: "https://h"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {tokenFile: token}}]
)");
  Result<RestConfig> c = Load({f});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_NE(c->credentials, nullptr);
  EXPECT_EQ(c->credentials->Get()->token, "first");
  Write("token", "second");
  EXPECT_EQ(c->credentials->Get()->token, "first");
  now_ += std::chrono::seconds(61);
  EXPECT_EQ(c->credentials->Get()->token, "second");
}

TEST_F(KubeConfigTest, MergedFilesFirstDefinitionWins) {
  const std::string a = Write("a", R"(
clusters: [{name: k, cluster: {server: "https://first:1"}}]
users: [{name: u, user: {token: from-a}}]
)");
  const std::string b = Write("b", R"(
current-context: c
clusters: [{name: k, cluster: {server: "https://second:2"}}, {name: k2, cluster: {server: "https://k2:3"}}]
contexts: [{name: c, context: {cluster: k, user: u, namespace: b-ns}}, {name: c2, context: {cluster: k2, user: u}}]
users: [{name: u, user: {token: from-b}}]
)");
  const std::string c_file = Write("c", "current-context: c2\n");
  Result<RestConfig> c = Load({a, (dir_ / "missing").string(), b, c_file});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->host, "first");
  EXPECT_EQ(c->token, "from-a");
  EXPECT_EQ(c->default_namespace, "b-ns");
  Result<RestConfig> other = Load({a, b}, "c2", "override");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->host, "k2");
  EXPECT_EQ(other->default_namespace, "override");
}

TEST_F(KubeConfigTest, KubeconfigVariableIsColonSeparated) {
  ::setenv("KUBECONFIG", "/x/a::/y/b", 1);
  EXPECT_EQ(DefaultKubeConfigFiles(), (std::vector<std::string>{"/x/a", "/y/b"}));
  ::unsetenv("KUBECONFIG");
}

TEST_F(KubeConfigTest, BadInputNamesTheFileAndTheField) {
  const std::string f = Write("config", R"(
current-context: c
clusters: [{name: k, cluster: {server: "https://h"}}]
contexts: [{name: c, context: {cluster: k, user: bad}}, {name: d, context: {cluster: nope}}]
users:
- name: fine
  user: {token: t}
- name: bad
  user: {client-certificate-data: )" + B64("C") +
                                            R"(, client-key-data: "!!notbase64"}
)");
  Result<RestConfig> c = Load({f});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            "kubeconfig " + f + ": users[1].user.client-key-data: not base64");
  Result<RestConfig> d = Load({f}, "d");
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("contexts[1].context.cluster: cluster \"nope\""));
  EXPECT_EQ(Load({f}, "none").status().code(), StatusCode::kNotFound);

  const std::string broken = Write("broken", "clusters: [\n  {name: k\n");
  Result<RestConfig> b = Load({broken});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(b.status().message(), HasSubstr("kubeconfig " + broken + ": line "));

  const std::string wrong_types = Write("types", R"(
current-context: c
clusters: [{name: k, cluster: {server: [1, 2]}}]
contexts: [{name: c, context: {cluster: k}}]
)");
  EXPECT_EQ(Load({wrong_types}).status().message(),
            "kubeconfig " + wrong_types + ": clusters[0].cluster.server: not a string");
  const std::string bad_bool = Write("bool", R"(
current-context: c
clusters: [{name: k, cluster: {server: "https://h:99999"}}]
contexts: [{name: c, context: {cluster: k}}]
)");
  EXPECT_THAT(Load({bad_bool}).status().message(),
              HasSubstr("clusters[0].cluster.server: bad port"));
  EXPECT_EQ(Load({(dir_ / "absent").string()}).status().code(), StatusCode::kNotFound);
}

class ExecPluginTest : public KubeConfigTest {
 protected:
  // A plugin that counts its runs, records KUBERNETES_EXEC_INFO and its env, and prints
  // `status` as an ExecCredential's status.
  std::string Config(const std::string& status, int exit_code = 0) {
    const std::string script =
        Write("bin/plugin.sh",
              "#!/bin/sh\n"
              "echo run >> \"$(dirname \"$0\")/runs\"\n"
              "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
              "printf '%s %s' \"$PLUGIN_MODE\" \"$1\" > \"$(dirname \"$0\")/env\"\n"
              "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
              "\"kind\":\"ExecCredential\",\"status\":" +
                  status + "}'\nexit " + std::to_string(exit_code) + "\n");
    ::chmod(script.c_str(), 0755);
    return Write("config", R"(
current-context: c
clusters: [{name: k, cluster: {server: "https://h"}}]
contexts: [{name: c, context: {cluster: k, user: x}}]
users:
- name: x
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin.sh
      args: [get-token]
      env: [{name: PLUGIN_MODE, value: test}]
      interactiveMode: Never
)");
  }
  int Runs() {
    std::ifstream in(dir_ / "bin/runs");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  std::string Slurp(const std::string& name) {
    std::ifstream in(dir_ / name);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
};

TEST_F(ExecPluginTest, TokenIsCachedUntilItExpires) {
  Result<RestConfig> c =
      Load({Config(R"({"token":"from-exec","expirationTimestamp":"2030-01-01T01:00:00Z"})")});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_NE(c->credentials, nullptr);
  EXPECT_EQ(Runs(), 0);  // Run on first use, not at load.
  Result<Credentials> got = c->credentials->Get();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->token, "from-exec");
  EXPECT_EQ(c->credentials->Get()->token, "from-exec");
  EXPECT_EQ(Runs(), 1);
  EXPECT_EQ(Slurp("bin/env"), "test get-token");
  EXPECT_THAT(Slurp("bin/info"), HasSubstr(R"("kind":"ExecCredential")"));
  EXPECT_THAT(Slurp("bin/info"), HasSubstr(R"("interactive":false)"));
  now_ += std::chrono::hours(2);
  EXPECT_EQ(c->credentials->Get()->token, "from-exec");
  EXPECT_EQ(Runs(), 2);
  c->credentials->Invalidate();
  ASSERT_TRUE(c->credentials->Get().ok());
  EXPECT_EQ(Runs(), 3);
}

TEST_F(ExecPluginTest, ClientCertificateFromThePlugin) {
  Result<RestConfig> c =
      Load({Config(R"({"clientCertificateData":"CERT","clientKeyData":"KEY"})")});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Result<Credentials> got = c->credentials->Get();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->client_cert_pem, "CERT");
  EXPECT_EQ(got->client_key_pem, "KEY");
  EXPECT_TRUE(got->token.empty());
}

TEST_F(ExecPluginTest, FailuresNameThePlugin) {
  Result<RestConfig> c = Load({Config(R"({"token":"t"})", 3)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Result<Credentials> got = c->credentials->Get();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(got.status().message(),
              HasSubstr("exec plugin ./bin/plugin.sh: exited with status 3"));
  Result<RestConfig> empty = Load({Config("{}")});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->credentials->Get().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(KubeConfigTest, InClusterFromTheServiceAccountDirectory) {
  Write("sa/token", "sa-token\n");
  Write("sa/ca.crt", "CA");
  Write("sa/namespace", "prod\n");
  ::setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  ::setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  Result<RestConfig> c = InClusterConfig({.service_account_dir = (dir_ / "sa").string()});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->host, "10.96.0.1");
  EXPECT_EQ(c->port, 443);
  EXPECT_EQ(c->ca_pem, "CA");
  EXPECT_EQ(c->default_namespace, "prod");
  EXPECT_EQ(c->credentials->Get()->token, "sa-token");
  EXPECT_FALSE(InClusterConfig({.service_account_dir = (dir_ / "none").string()}).ok());
  ::unsetenv("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(InClusterConfig({.service_account_dir = (dir_ / "sa").string()}).status().code(),
            StatusCode::kFailedPrecondition);
  ::unsetenv("KUBERNETES_SERVICE_PORT");
}

TEST(Base64Test, DecodesAndRejects) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVs\nbG8"), "hello");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("aGVsbG8=x").has_value());
  EXPECT_FALSE(DecodeBase64("a").has_value());
  EXPECT_FALSE(DecodeBase64("a*b=").has_value());
}

}  // namespace
}  // namespace prescient::k8s
