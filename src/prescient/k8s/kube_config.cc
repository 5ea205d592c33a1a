// kubeconfig loading follows client-go's clientcmd: files are merged entry by entry (the
// first file naming a cluster, user or context wins; current-context from the first file
// that sets one), relative paths resolve against the file that holds them, and only the
// entries the chosen context uses are read, so a broken entry elsewhere does not matter.
// yaml-cpp throws; every call into it stays inside this file's try blocks.
#include "prescient/k8s/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace prescient::k8s {
namespace {

// One named entry of clusters/users/contexts and where it came from.
struct Entry {
  YAML::Node node;  // The inner map ("cluster", "user" or "context").
  std::string file;
  std::string field;  // e.g. "users[1].user".
};

struct Merged {
  std::map<std::string, Entry> clusters, users, contexts;
  std::string current_context;
  std::string current_context_file;
};

std::string Prefix(const std::string& file) { return "kubeconfig " + file + ": "; }

Status Bad(const Entry& e, const std::string& key, const std::string& what) {
  return InvalidArgumentError(Prefix(e.file) + e.field + "." + key + ": " + what);
}

std::string Resolve(const std::string& file, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(file).parent_path() / path).string();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A scalar string field; empty if absent.
Result<std::string> Str(const Entry& e, const char* key) {
  const YAML::Node n = e.node[key];
  if (!n || n.IsNull()) return std::string();
  if (!n.IsScalar()) return Bad(e, key, "not a string");
  return n.Scalar();
}

Result<bool> Bool(const Entry& e, const char* key) {
  const YAML::Node n = e.node[key];
  if (!n || n.IsNull()) return false;
  bool b = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b)) return Bad(e, key, "not a boolean");
  return b;
}

// `<key>-data` (base64) or `<key>` (a path relative to the file); empty if neither.
Result<std::string> DataOrFile(const Entry& e, const std::string& key) {
  const std::string data_key = key + "-data";
  PRESCIENT_ASSIGN_OR_RETURN(const std::string data, Str(e, data_key.c_str()));
  if (!data.empty()) {
    std::optional<std::string> decoded = DecodeBase64(data);
    if (!decoded) return Bad(e, data_key, "not base64");
    return *decoded;
  }
  PRESCIENT_ASSIGN_OR_RETURN(const std::string path, Str(e, key.c_str()));
  if (path.empty()) return std::string();
  Result<std::string> content = ReadFile(Resolve(e.file, path));
  if (!content.ok()) return Bad(e, key, content.status().message());
  return content;
}

Status MergeList(const YAML::Node& root, const std::string& file, const char* list,
                 const char* inner, std::map<std::string, Entry>* out) {
  const YAML::Node items = root[list];
  if (!items || items.IsNull()) return OkStatus();
  if (!items.IsSequence()) return InvalidArgumentError(Prefix(file) + list + ": not a list");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string field = std::string(list) + "[" + std::to_string(i) + "]";
    const YAML::Node item = items[i];
    if (!item.IsMap()) return InvalidArgumentError(Prefix(file) + field + ": not a map");
    const YAML::Node name = item["name"];
    if (!name || !name.IsScalar() || name.Scalar().empty())
      return InvalidArgumentError(Prefix(file) + field + ".name: missing");
    const YAML::Node body = item[inner];
    if (body && !body.IsNull() && !body.IsMap())
      return InvalidArgumentError(Prefix(file) + field + "." + inner + ": not a map");
    out->try_emplace(name.Scalar(), Entry{body ? body : YAML::Node(YAML::NodeType::Map), file,
                                          field + "." + inner});
  }
  return OkStatus();
}

Status MergeFile(const std::string& file, Merged* m) {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string text, ReadFile(file));
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(Prefix(file) + "line " + std::to_string(e.mark.line + 1) + ": " +
                                e.msg);
  }
  if (!root || root.IsNull()) return OkStatus();  // An empty file adds nothing.
  if (!root.IsMap()) return InvalidArgumentError(Prefix(file) + "not a map");
  PRESCIENT_RETURN_IF_ERROR(MergeList(root, file, "clusters", "cluster", &m->clusters));
  PRESCIENT_RETURN_IF_ERROR(MergeList(root, file, "users", "user", &m->users));
  PRESCIENT_RETURN_IF_ERROR(MergeList(root, file, "contexts", "context", &m->contexts));
  const YAML::Node current = root["current-context"];
  if (m->current_context.empty() && current && current.IsScalar() && !current.Scalar().empty()) {
    m->current_context = current.Scalar();
    m->current_context_file = file;
  }
  return OkStatus();
}

// "https://host:port/prefix", "[::1]:6443", "host".
Status ParseServer(const Entry& e, const std::string& server, RestConfig* c) {
  std::string rest = server;
  const size_t scheme_end = rest.find("://");
  if (scheme_end != std::string::npos) {
    c->scheme = rest.substr(0, scheme_end);
    rest = rest.substr(scheme_end + 3);
  }
  if (c->scheme != "https" && c->scheme != "http")
    return Bad(e, "server", "scheme must be http or https: " + server);
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    c->base_path = rest.substr(slash);
    while (!c->base_path.empty() && c->base_path.back() == '/') c->base_path.pop_back();
    rest = rest.substr(0, slash);
  }
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string::npos) return Bad(e, "server", "unbalanced [ in " + server);
    c->host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') port = rest.substr(close + 2);
  } else if (const size_t colon = rest.rfind(':'); colon != std::string::npos) {
    c->host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    c->host = rest;
  }
  if (c->host.empty()) return Bad(e, "server", "no host in " + server);
  c->port = c->scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    int p = 0;
    for (char ch : port) {
      if (ch < '0' || ch > '9' || p > 65535) return Bad(e, "server", "bad port in " + server);
      p = p * 10 + (ch - '0');
    }
    if (p <= 0 || p > 65535) return Bad(e, "server", "bad port in " + server);
    c->port = p;
  }
  return OkStatus();
}

Status ApplyCluster(const Entry& e, RestConfig* c) {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string server, Str(e, "server"));
  if (server.empty()) return Bad(e, "server", "missing");
  PRESCIENT_RETURN_IF_ERROR(ParseServer(e, server, c));
  PRESCIENT_ASSIGN_OR_RETURN(c->ca_pem, DataOrFile(e, "certificate-authority"));
  PRESCIENT_ASSIGN_OR_RETURN(c->insecure, Bool(e, "insecure-skip-tls-verify"));
  PRESCIENT_ASSIGN_OR_RETURN(c->tls_server_name, Str(e, "tls-server-name"));
  return OkStatus();
}

Result<ExecConfig> ParseExec(const Entry& user) {
  const Entry e{user.node["exec"], user.file, user.field + ".exec"};
  if (!e.node.IsMap()) return Bad(user, "exec", "not a map");
  ExecConfig x;
  x.base_dir = std::filesystem::path(e.file).parent_path().string();
  PRESCIENT_ASSIGN_OR_RETURN(x.command, Str(e, "command"));
  if (x.command.empty()) return Bad(e, "command", "missing");
  PRESCIENT_ASSIGN_OR_RETURN(x.api_version, Str(e, "apiVersion"));
  if (x.api_version.empty()) return Bad(e, "apiVersion", "missing");
  if (const YAML::Node args = e.node["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) return Bad(e, "args", "not a list");
    for (size_t i = 0; i < args.size(); ++i) {
      if (!args[i].IsScalar()) return Bad(e, "args[" + std::to_string(i) + "]", "not a string");
      x.args.push_back(args[i].Scalar());
    }
  }
  if (const YAML::Node env = e.node["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) return Bad(e, "env", "not a list");
    for (size_t i = 0; i < env.size(); ++i) {
      const Entry var{env[i], e.file, e.field + ".env[" + std::to_string(i) + "]"};
      if (!var.node.IsMap()) return Bad(e, "env[" + std::to_string(i) + "]", "not a map");
      PRESCIENT_ASSIGN_OR_RETURN(std::string name, Str(var, "name"));
      if (name.empty()) return Bad(var, "name", "missing");
      PRESCIENT_ASSIGN_OR_RETURN(std::string value, Str(var, "value"));
      x.env.emplace_back(std::move(name), std::move(value));
    }
  }
  return x;
}

Status ApplyUser(const Entry& e, const WallClock& now, RestConfig* c) {
  PRESCIENT_ASSIGN_OR_RETURN(c->token, Str(e, "token"));
  PRESCIENT_ASSIGN_OR_RETURN(const std::string token_file, Str(e, "tokenFile"));
  if (c->token.empty() && !token_file.empty())
    c->credentials = std::make_shared<TokenFileSource>(Resolve(e.file, token_file),
                                                       kDefaultTokenFileReread, now);
  PRESCIENT_ASSIGN_OR_RETURN(c->client_cert_pem, DataOrFile(e, "client-certificate"));
  PRESCIENT_ASSIGN_OR_RETURN(c->client_key_pem, DataOrFile(e, "client-key"));
  if (c->client_cert_pem.empty() != c->client_key_pem.empty())
    return Bad(e, c->client_cert_pem.empty() ? "client-certificate" : "client-key",
               "missing (a client certificate needs both certificate and key)");
  if (e.node["exec"] && !e.node["exec"].IsNull()) {
    PRESCIENT_ASSIGN_OR_RETURN(ExecConfig x, ParseExec(e));
    c->credentials = std::make_shared<ExecCredentialSource>(std::move(x), now);
  }
  return OkStatus();
}

Result<RestConfig> Build(const Merged& m, const KubeConfigOptions& options) {
  const std::string name = options.context.empty() ? m.current_context : options.context;
  if (name.empty())
    return InvalidArgumentError("kubeconfig: no current-context and no context given");
  const auto ctx = m.contexts.find(name);
  if (ctx == m.contexts.end())
    return NotFoundError("kubeconfig: context \"" + name + "\" not found");
  PRESCIENT_ASSIGN_OR_RETURN(const std::string cluster, Str(ctx->second, "cluster"));
  PRESCIENT_ASSIGN_OR_RETURN(const std::string user, Str(ctx->second, "user"));
  PRESCIENT_ASSIGN_OR_RETURN(const std::string ns, Str(ctx->second, "namespace"));
  const auto cl = m.clusters.find(cluster);
  if (cl == m.clusters.end())
    return Bad(ctx->second, "cluster", "cluster \"" + cluster + "\" not found");
  RestConfig c;
  PRESCIENT_RETURN_IF_ERROR(ApplyCluster(cl->second, &c));
  if (!user.empty()) {
    const auto us = m.users.find(user);
    if (us == m.users.end()) return Bad(ctx->second, "user", "user \"" + user + "\" not found");
    PRESCIENT_RETURN_IF_ERROR(ApplyUser(us->second, options.now, &c));
  }
  if (!ns.empty()) c.default_namespace = ns;
  if (!options.namespace_override.empty()) c.default_namespace = options.namespace_override;
  return c;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    if (padding) return std::nullopt;  // Data after padding.
    int v;
    if (ch >= 'A' && ch <= 'Z') {
      v = ch - 'A';
    } else if (ch >= 'a' && ch <= 'z') {
      v = ch - 'a' + 26;
    } else if (ch >= '0' && ch <= '9') {
      v = ch - '0' + 52;
    } else if (ch == '+') {
      v = 62;
    } else if (ch == '/') {
      v = 63;
    } else {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // A lone sextet cannot end valid base64.
  return out;
}

std::vector<std::string> DefaultKubeConfigFiles() {
  std::vector<std::string> files;
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      const size_t end = std::min(s.find(':', start), s.size());
      if (end > start) files.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return files;
  }
  if (const char* home = std::getenv("HOME"); home != nullptr)
    files.push_back(std::string(home) + "/.kube/config");
  return files;
}

Result<RestConfig> LoadKubeConfig(const KubeConfigOptions& options) {
  const std::vector<std::string> files =
      options.files.empty() ? DefaultKubeConfigFiles() : options.files;
  if (files.empty()) return NotFoundError("kubeconfig: no file (set KUBECONFIG or HOME)");
  Merged m;
  try {
    for (size_t i = 0; i < files.size(); ++i) {
      // A missing file in a KUBECONFIG list is skipped, as kubectl does; a single one is an error.
      if (files.size() > 1 && !std::filesystem::exists(files[i])) continue;
      PRESCIENT_RETURN_IF_ERROR(MergeFile(files[i], &m));
    }
    return Build(m, options);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("kubeconfig " + files.front() + ": " + e.what());
  }
}

Result<RestConfig> InClusterConfig(const InClusterOptions& options) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0')
    return FailedPreconditionError(
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
  const std::string dir = options.service_account_dir;
  RestConfig c;
  c.host = host;
  int p = 0;
  for (const char* ch = port; *ch != '\0'; ++ch) {
    if (*ch < '0' || *ch > '9' || p > 65535)
      return InvalidArgumentError(
          std::string("in-cluster config: KUBERNETES_SERVICE_PORT: bad port ") + port);
    p = p * 10 + (*ch - '0');
  }
  if (p <= 0 || p > 65535)
    return InvalidArgumentError(
        std::string("in-cluster config: KUBERNETES_SERVICE_PORT: bad port ") + port);
  c.port = p;
  auto source = std::make_shared<TokenFileSource>(dir + "/token");
  PRESCIENT_RETURN_IF_ERROR(source->Get().status().WithContext("in-cluster config"));
  c.credentials = std::move(source);
  Result<std::string> ca = ReadFile(dir + "/ca.crt");
  if (!ca.ok()) return ca.status().WithContext("in-cluster config");
  c.ca_pem = *ca;
  if (Result<std::string> ns = ReadFile(dir + "/namespace"); ns.ok()) {
    std::string n = *ns;
    while (!n.empty() && std::isspace(static_cast<unsigned char>(n.back()))) n.pop_back();
    if (!n.empty()) c.default_namespace = n;
  }
  return c;
}

}  // namespace prescient::k8s
