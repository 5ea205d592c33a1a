// Exec plugins follow client-go's protocol (plugin/pkg/client/auth/exec): the command
// inherits our environment plus the config's `env` and KUBERNETES_EXEC_INFO (an
// ExecCredential with spec.interactive=false), and prints an ExecCredential on stdout;
// stderr passes through. A non-zero exit or unparsable output is Unavailable /
// InvalidArgument with the command named.
#include "prescient/k8s/credential_source.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prescient/core/time.h"

extern char** environ;

namespace prescient::k8s {
namespace {

std::chrono::system_clock::time_point Now(const WallClock& now) {
  return now ? now() : std::chrono::system_clock::now();
}

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws) == std::string::npos ? s.size() : s.find_first_not_of(ws));
  return s;
}

}  // namespace

TokenFileSource::TokenFileSource(std::string path, std::chrono::seconds reread, WallClock now)
    : path_(std::move(path)), reread_(reread), now_(std::move(now)) {}

Result<Credentials> TokenFileSource::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Now(now_);
  if (!cached_ || now - cached_->first >= reread_) {
    std::ifstream in(path_);
    if (!in) return UnavailableError("token file " + path_ + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string token = Trim(ss.str());
    if (token.empty()) return InvalidArgumentError("token file " + path_ + ": empty");
    cached_.emplace(now, std::move(token));
  }
  return Credentials{.token = cached_->second};
}

void TokenFileSource::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

ExecCredentialSource::ExecCredentialSource(ExecConfig config, WallClock now)
    : config_(std::move(config)), now_(std::move(now)) {}

Result<Credentials> ExecCredentialSource::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (!expires_ || Now(now_) < *expires_)) return *cached_;
  PRESCIENT_ASSIGN_OR_RETURN(const std::string out, Run());
  std::optional<std::chrono::system_clock::time_point> expires;
  PRESCIENT_ASSIGN_OR_RETURN(Credentials c,
                             ParseExecCredential(out, "exec plugin " + config_.command, &expires));
  cached_ = c;
  expires_ = expires;
  return c;
}

void ExecCredentialSource::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
  expires_.reset();
}

// Everything the child needs is built before fork(): after it only async-signal-safe calls.
Result<std::string> ExecCredentialSource::Run() const {
  const std::string what = "exec plugin " + config_.command;
  std::string command = config_.command;
  if (command.find('/') != std::string::npos && command.front() != '/' && !config_.base_dir.empty())
    command = (std::filesystem::path(config_.base_dir) / command).string();
  std::vector<std::string> args = {command};
  args.insert(args.end(), config_.args.begin(), config_.args.end());
  const nlohmann::json info = {{"kind", "ExecCredential"},
                               {"apiVersion", config_.api_version},
                               {"spec", {{"interactive", false}}}};
  std::vector<std::string> env;
  auto overridden = [&](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('='));
    if (name == "KUBERNETES_EXEC_INFO") return true;
    for (const auto& [k, v] : config_.env)
      if (k == name) return true;
    return false;
  };
  for (char** e = environ; *e != nullptr; ++e)
    if (!overridden(*e)) env.emplace_back(*e);
  for (const auto& [k, v] : config_.env) env.push_back(k + "=" + v);
  env.push_back("KUBERNETES_EXEC_INFO=" + info.dump());
  std::vector<char*> argv, envp;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (::pipe(fds) != 0) return UnavailableError(what + ": pipe: " + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return UnavailableError(what + ": fork: " + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execvpe(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return UnavailableError(what + ": exited with status " +
                            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  return out;
}

Result<Credentials> ParseExecCredential(
    const std::string& text, const std::string& what,
    std::optional<std::chrono::system_clock::time_point>* expires) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    return InvalidArgumentError(what + ": output is not JSON: " + e.what());
  }
  if (!doc.is_object() || doc.value("kind", "") != "ExecCredential")
    return InvalidArgumentError(what + ": output is not an ExecCredential");
  const auto status = doc.find("status");
  if (status == doc.end() || !status->is_object())
    return InvalidArgumentError(what + ": ExecCredential has no status");
  auto str = [&](const char* key) -> std::string {
    const auto it = status->find(key);
    return it != status->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Credentials c{.token = str("token"),
                .client_cert_pem = str("clientCertificateData"),
                .client_key_pem = str("clientKeyData")};
  if (c.token.empty() && (c.client_cert_pem.empty() || c.client_key_pem.empty()))
    return InvalidArgumentError(
        what + ": status has neither token nor clientCertificateData+clientKeyData");
  if (const std::string ts = str("expirationTimestamp"); !ts.empty()) {
    Result<Timestamp> t = ParseTimestamp(ts);
    if (!t.ok()) return t.status().WithContext(what + ": status.expirationTimestamp");
    *expires = *t;
  }
  return c;
}

}  // namespace prescient::k8s
