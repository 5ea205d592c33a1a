// The one mapping from Kubernetes API responses and transport failures to Status codes.
// A response's Status body gives the reason and message; the result names the method and
// path: "GET /api/v1/namespaces/default/pods/x: 404 NotFound: pods \"x\" not found".
// Pure functions, thread-safe. Tested by rest_client_test.cc.
#pragma once

#include <string>

#include "prescient/core/status.h"

namespace httplib {
enum class Error;
}

namespace prescient::k8s {

// 2xx: OK. 400/422 InvalidArgument, 401 Unauthenticated, 403 PermissionDenied,
// 404 NotFound, 409 AlreadyExists (reason AlreadyExists) or Aborted (Conflict),
// 410 OutOfRange (Expired), 429 ResourceExhausted, 5xx Unavailable, others Unknown.
Status StatusFromResponse(int http_status, const std::string& body, const std::string& method,
                          const std::string& path);

// A Status object (a watch ERROR event's or a response body) by its `code` field.
Status StatusFromApiStatus(int http_status, const std::string& reason, const std::string& message,
                           const std::string& method, const std::string& path);

// Timeouts are DeadlineExceeded, a failed server-certificate check Unavailable with the
// reason, everything else Unavailable.
Status StatusFromTransport(httplib::Error error, const std::string& method,
                           const std::string& path);

}  // namespace prescient::k8s
