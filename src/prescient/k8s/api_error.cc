#include "prescient/k8s/api_error.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace prescient::k8s {
namespace {

StatusCode CodeFor(int http_status, const std::string& reason) {
  if (http_status >= 500) return StatusCode::kUnavailable;
  switch (http_status) {
    case 400:
    case 422:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return reason == "AlreadyExists" ? StatusCode::kAlreadyExists : StatusCode::kAborted;
    case 410:
      return StatusCode::kOutOfRange;
    case 429:
      return StatusCode::kResourceExhausted;
    default:
      return StatusCode::kUnknown;
  }
}

}  // namespace

Status StatusFromApiStatus(int http_status, const std::string& reason, const std::string& message,
                           const std::string& method, const std::string& path) {
  std::string m = method + " " + path + ": " + std::to_string(http_status);
  if (!reason.empty()) m += " " + reason;
  if (!message.empty()) m += ": " + message;
  return Status(CodeFor(http_status, reason), std::move(m));
}

Status StatusFromResponse(int http_status, const std::string& body, const std::string& method,
                          const std::string& path) {
  if (http_status >= 200 && http_status < 300) return OkStatus();
  std::string reason, message;
  try {
    const nlohmann::json s = nlohmann::json::parse(body);
    if (s.is_object() && s.value("kind", "") == "Status") {
      reason = s.value("reason", "");
      message = s.value("message", "");
    }
  } catch (const std::exception&) {
  }
  if (reason.empty() && message.empty()) {  // Not a Status: keep a short piece of the body.
    message = body.substr(0, 200);
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
      message.pop_back();
  }
  return StatusFromApiStatus(http_status, reason, message, method, path);
}

Status StatusFromTransport(httplib::Error error, const std::string& method,
                           const std::string& path) {
  const std::string m = method + " " + path + ": " + httplib::to_string(error);
  switch (error) {
    case httplib::Error::ConnectionTimeout:
      return Status(StatusCode::kDeadlineExceeded, m);
    case httplib::Error::Read:  // cpp-httplib 0.11 reports a read timeout as a read error.
      return Status(StatusCode::kDeadlineExceeded, m + " (or timed out)");
    default:
      return UnavailableError(m);
  }
}

}  // namespace prescient::k8s
