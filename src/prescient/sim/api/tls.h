// Certificates for the simulator's HTTPS API, made fresh at each start with OpenSSL: a
// self-signed CA, a server certificate for the listen address (IP and DNS SANs), and a
// client certificate (CN = user, O = group) for client-certificate auth; plus a random
// bearer token. The CA goes into the kubeconfig, so kubectl verifies the server.
// Pure functions (OpenSSL's RNG aside), thread-safe. Tested by api_server_test.cc.
#pragma once

#include <string>

#include "prescient/core/result.h"

namespace prescient::sim::api {

struct TlsMaterial {
  std::string ca_pem;
  std::string server_cert_pem, server_key_pem;
  std::string client_cert_pem, client_key_pem;
  std::string token;  // Bearer token (hex).
};

// `host`: the listen address (an IP or a DNS name) the server certificate must name.
Result<TlsMaterial> GenerateTls(const std::string& host);

std::string Base64(const std::string& data);

}  // namespace prescient::sim::api
