// Loading a RestConfig: from kubeconfig files (KUBECONFIG merge rules, token, token file,
// client certificates, exec plugins) or from a pod's service account (in-cluster).
// Pure functions apart from reading files and the environment; thread-compatible.
// Tested by kube_config_test.cc.
#pragma once

#include <string>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/k8s/credential_source.h"
#include "prescient/k8s/rest_config.h"

namespace prescient::k8s {

inline constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount";

struct KubeConfigOptions {
  // Files to merge, the first one defining an entry wins. Empty: $KUBECONFIG
  // (colon-separated), else ~/.kube/config.
  std::vector<std::string> files;
  std::string context;             // Overrides current-context when not empty.
  std::string namespace_override;  // Overrides the context's namespace when not empty.
  WallClock now;                   // For exec-plugin expiry; null: the system clock.
};

// InvalidArgument, one line naming the file and the field, for bad input, e.g.
// "kubeconfig /x: users[1].user.client-key-data: not base64".
Result<RestConfig> LoadKubeConfig(const KubeConfigOptions& options = {});

// The files LoadKubeConfig reads when options.files is empty.
std::vector<std::string> DefaultKubeConfigFiles();

struct InClusterOptions {
  std::string service_account_dir = kServiceAccountDir;  // token, ca.crt, namespace.
};

// From KUBERNETES_SERVICE_HOST/PORT and the service-account files; the token is re-read
// as it rotates. FailedPrecondition when not running in a cluster.
Result<RestConfig> InClusterConfig(const InClusterOptions& options = {});

// Standard base64 (whitespace ignored, padding optional); nullopt if not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace prescient::k8s
