// RestConfig: where a Kubernetes API server is and how to authenticate to it, as
// kube_config.h builds it from a kubeconfig or from the in-cluster service account.
// Value type; the credential source inside is shared and thread-safe.
// Tested by kube_config_test.cc.
#pragma once

#include <memory>
#include <string>

#include "prescient/k8s/credential_source.h"

namespace prescient::k8s {

struct RestConfig {
  std::string scheme = "https";  // "https" or "http".
  std::string host;              // DNS name or IP, without brackets.
  int port = 443;
  std::string base_path;  // Path prefix of the server URL, without a trailing "/".
  std::string ca_pem;     // Empty: the system's trust store.
  std::string client_cert_pem, client_key_pem;
  std::string token;  // Static bearer token; empty if none.
  // Rotating or plugin-provided credentials (tokenFile, exec); null if none. Asked before
  // every request; its token and client certificate win over the static fields.
  std::shared_ptr<CredentialSource> credentials;
  std::string default_namespace = "default";
  std::string tls_server_name;  // Name to verify the server certificate against.
  bool insecure = false;        // insecure-skip-tls-verify.
};

}  // namespace prescient::k8s
