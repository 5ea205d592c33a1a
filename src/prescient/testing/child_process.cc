#include "prescient/testing/child_process.h"

#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace prescient::testing {

Result<ChildProcess> ChildProcess::Start(std::vector<std::string> argv, std::filesystem::path log) {
  if (argv.empty()) return InvalidArgumentError("ChildProcess: no program");
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return UnavailableError("ChildProcess: cannot open " + log.string());
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return UnavailableError("ChildProcess: fork failed");
  }
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
  return ChildProcess(pid, std::move(log));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), log_(std::move(other.log_)), status_(other.status_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = other.pid_;
    log_ = std::move(other.log_);
    status_ = other.status_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { Kill(); }

std::string ChildProcess::Output() const {
  std::ifstream in(log_);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<std::string> ChildProcess::WaitForLine(const std::string& needle,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const bool alive = Running();  // Read after checking, so a last line is not missed.
    std::istringstream lines(Output());
    for (std::string line; std::getline(lines, line);) {
      if (line.find(needle) != std::string::npos) return line;
    }
    if (!alive) return AbortedError("exited before printing \"" + needle + "\":\n" + Output());
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError("no \"" + needle + "\" in time:\n" + Output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || status_.has_value()) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = status;
    return false;
  }
  return true;
}

std::optional<int> ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (!Running()) return std::nullopt;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return status_;
}

void ChildProcess::Kill() {
  if (!Running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = status;
}

Result<SimServe> StartSimServe(const std::filesystem::path& dir,
                               const std::vector<std::string>& extra) {
  std::filesystem::create_directories(dir);
  const std::string kubeconfig = (dir / "kubeconfig").string();
  std::vector<std::string> args = {
      PrescientBinary(),  "sim",      "serve", "--listen",   "127.0.0.1:0",
      "--kubeconfig-out", kubeconfig, "--web", "127.0.0.1:0"};  // Not 8080: tests run side by side.
  args.insert(args.end(), extra.begin(), extra.end());
  Result<ChildProcess> p = ChildProcess::Start(std::move(args), dir / "sim-serve.log");
  if (!p.ok()) return p.status();
  Result<std::string> line = p->WaitForLine("listening on ", std::chrono::seconds(30));
  if (!line.ok()) return line.status();
  std::string url = line->substr(line->find("http"));
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  return SimServe{std::move(p).value(), url, kubeconfig};
}

Result<Prometheus> StartPrometheus(const std::filesystem::path& dir, int port) {
  if (!std::filesystem::exists(kPrometheusBinary)) {
    return FailedPreconditionError(std::string(kPrometheusBinary) +
                                   " is missing: run scripts/setup.sh (Debian package prometheus)");
  }
  if (port == 0) port = FreePort();
  if (port == 0) return UnavailableError("no free port");
  const std::string address = "127.0.0.1:" + std::to_string(port);
  Result<ChildProcess> p = ChildProcess::Start(
      {kPrometheusBinary, "--config.file=" + (dir / "prometheus.yml").string(),
       "--storage.tsdb.path=" + (dir / "data").string(), "--storage.tsdb.retention.time=100y",
       "--web.listen-address=" + address, "--log.level=warn"},
      dir / "prometheus.log");
  if (!p.ok()) return p.status();
  const std::string url = "http://" + address;
  httplib::Client probe(url);
  probe.set_connection_timeout(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!p->Running()) return AbortedError("prometheus exited:\n" + p->Output());
    if (auto r = probe.Get("/-/ready"); r && r->status == 200) {
      return Prometheus{std::move(p).value(), url, port};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return DeadlineExceededError("prometheus not ready after 30 s:\n" + p->Output());
}

std::string PrescientBinary() {
  return std::string(PRESCIENT_BINARY_DIR) + "/src/prescient/prescient";
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace prescient::testing
