// CredentialSource: credentials that change over time, asked for before each request:
// a token file that rotates (re-read every minute, as client-go does for projected
// service-account tokens) or an exec plugin (client.authentication.k8s.io ExecCredential,
// run with KUBERNETES_EXEC_INFO and cached until its expirationTimestamp).
// Thread-safe. Tested by kube_config_test.cc.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::k8s {

struct Credentials {
  std::string token;
  std::string client_cert_pem, client_key_pem;
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual Result<Credentials> Get() = 0;
  // The server said 401: drop any cached credential so the next Get fetches a fresh one.
  virtual void Invalidate() {}
};

using WallClock = std::function<std::chrono::system_clock::time_point()>;

inline constexpr std::chrono::seconds kDefaultTokenFileReread{60};

// Reads the token from `path` (whitespace trimmed), again once `reread` has passed.
class TokenFileSource : public CredentialSource {
 public:
  explicit TokenFileSource(std::string path, std::chrono::seconds reread = kDefaultTokenFileReread,
                           WallClock now = nullptr);
  Result<Credentials> Get() override;
  void Invalidate() override;

 private:
  const std::string path_;
  const std::chrono::seconds reread_;
  const WallClock now_;
  std::mutex mu_;
  std::optional<std::pair<std::chrono::system_clock::time_point, std::string>> cached_;
};

struct ExecConfig {
  std::string api_version = "client.authentication.k8s.io/v1";
  std::string command;  // Relative paths with a '/' are resolved against `base_dir`.
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string base_dir;  // The kubeconfig's directory.
};

// Runs the plugin, parses the ExecCredential it prints and caches it until
// status.expirationTimestamp (for ever without one) or Invalidate().
class ExecCredentialSource : public CredentialSource {
 public:
  explicit ExecCredentialSource(ExecConfig config, WallClock now = nullptr);
  Result<Credentials> Get() override;
  void Invalidate() override;

 private:
  Result<std::string> Run() const;

  const ExecConfig config_;
  const WallClock now_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
  std::optional<std::chrono::system_clock::time_point> expires_;
};

// Parses an ExecCredential document; `expires` gets status.expirationTimestamp if present.
// `what` names the source in errors.
Result<Credentials> ParseExecCredential(
    const std::string& json, const std::string& what,
    std::optional<std::chrono::system_clock::time_point>* expires);

}  // namespace prescient::k8s
