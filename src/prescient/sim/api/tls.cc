// EC P-256 keys and SHA-256 signatures, as kubeadm's certificates use; validity of a
// year (the server is restarted far more often). The server certificate names the
// listen address, "localhost" and 127.0.0.1, as client-go checks SANs, not the CN.
#include "prescient/sim/api/tls.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <utility>
#include <vector>

namespace prescient::sim::api {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

Key NewKey() { return Key(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Signs `key`'s certificate with `issuer_key` (self-signed when issuer is null).
Cert MakeCert(EVP_PKEY* key, const std::string& cn, const std::string& org, X509* issuer,
              EVP_PKEY* issuer_key, long serial,
              const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(X509_new(), &X509_free);
  if (!cert) return cert;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!org.empty()) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  for (const auto& [nid, value] : extensions) {
    if (!AddExtension(cert.get(), issuer_cert, nid, value)) return Cert(nullptr, &X509_free);
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return Cert(nullptr, &X509_free);
  }
  return cert;
}

std::string Pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string Pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

bool IsIp(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string Base64(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<TlsMaterial> GenerateTls(const std::string& host) {
  Key ca_key = NewKey(), server_key = NewKey(), client_key = NewKey();
  if (!ca_key || !server_key || !client_key) return InternalError("tls: key generation failed");
  Cert ca = MakeCert(ca_key.get(), "prescient-sim-ca", "", nullptr, nullptr, 1,
                     {{NID_basic_constraints, "critical,CA:TRUE"},
                      {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                      {NID_subject_key_identifier, "hash"}});
  if (!ca) return InternalError("tls: CA certificate failed");
  std::string san = "DNS:localhost,IP:127.0.0.1";
  if (!host.empty() && host != "localhost" && host != "127.0.0.1") {
    san += IsIp(host) ? ",IP:" + host : ",DNS:" + host;
  }
  Cert server = MakeCert(server_key.get(), "prescient-sim-apiserver", "", ca.get(), ca_key.get(), 2,
                         {{NID_basic_constraints, "critical,CA:FALSE"},
                          {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                          {NID_ext_key_usage, "serverAuth"},
                          {NID_subject_alt_name, san}});
  Cert client =
      MakeCert(client_key.get(), "prescient-admin", "system:masters", ca.get(), ca_key.get(), 3,
               {{NID_basic_constraints, "critical,CA:FALSE"},
                {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                {NID_ext_key_usage, "clientAuth"}});
  if (!server || !client) return InternalError("tls: certificate signing failed");
  unsigned char random[24];
  if (RAND_bytes(random, sizeof random) != 1)
    return InternalError("tls: no randomness for the token");
  TlsMaterial m;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : random) {
    m.token += kHex[c >> 4];
    m.token += kHex[c & 15];
  }
  m.ca_pem = Pem(ca.get());
  m.server_cert_pem = Pem(server.get());
  m.server_key_pem = Pem(server_key.get());
  m.client_cert_pem = Pem(client.get());
  m.client_key_pem = Pem(client_key.get());
  return m;
}

}  // namespace prescient::sim::api
