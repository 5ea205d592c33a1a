// The dashboard's JSON API (docs/api.md) as pure request handling: a path under /api/v1/
// and its query parameters in, a status and a JSON body out. The HTTP server (server.h)
// only adds transport, authentication and the static assets.
// Thread-safe as far as the source is (it only reads it). Tested by api_test.cc.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "prescient/core/result.h"
#include "prescient/core/time.h"
#include "prescient/web/dashboard_data.h"

namespace prescient::web {

inline constexpr size_t kDefaultEventLimit = 200;
inline constexpr size_t kMaxEventLimit = 1000;
inline constexpr int64_t kDefaultMaxPoints = 2000;  // What the default step keeps to.
inline constexpr int64_t kMaxPoints = 20000;
inline constexpr Duration kMaxSeriesSpan{31 * 86400};
inline constexpr Duration kDefaultSeriesSpan{86400};

// As cpp-httplib gives them (a name may repeat).
using QueryParams = std::multimap<std::string, std::string>;

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON; for errors {"error": "..."}.
};

// `path` starts with /api/v1/. 404 for any other path.
ApiResponse HandleApiRequest(const DashboardSource& source, std::string_view path,
                             const QueryParams& params);

// The parameter parsers, exposed for tests. InvalidArgument "NAME: ..." naming the
// parameter and what was expected.
// Epoch seconds or ISO-8601.
Result<Timestamp> ParseTimeParam(std::string_view name, std::string_view text);
// "60s", "5m", "1h", "300": a positive multiple of 60 s.
Result<Duration> ParseStepParam(std::string_view text);
// An integer in [lo, hi].
Result<int64_t> ParseIntParam(std::string_view name, std::string_view text, int64_t lo, int64_t hi);

}  // namespace prescient::web
