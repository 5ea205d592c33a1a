// Decoding the Prometheus HTTP API's answers (/api/v1/query and /api/v1/query_range):
// the JSON success body into plain values, and an error answer (JSON or not) into a
// Status whose code says whether to retry. Sample values arrive as strings, "NaN",
// "+Inf" and "-Inf" included. HTTP status to error code mapping lives here, nowhere else.
// Pure functions, thread-safe. Tested by prometheus_client_test.cc.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/status.h"

namespace prescient::prom {

struct Sample {
  double time = 0;  // Unix seconds, with Prometheus' millisecond fractions.
  double value = 0;
};

struct SeriesData {
  std::map<std::string, std::string> labels;
  std::vector<Sample> samples;
};

struct QueryData {
  // "vector", "matrix" or "scalar" ("string" is rejected: it has no number).
  std::string result_type;
  // vector: one sample per series; matrix: many; scalar: one series, no labels, one sample.
  std::vector<SeriesData> series;
  std::vector<std::string> warnings;
};

// A sample value: a decimal number, "NaN", "+Inf", "-Inf" (also "Inf"). InvalidArgument
// on anything else.
Result<double> ParseSampleValue(std::string_view text);

// Decodes an answer. A 2xx with `"status":"success"` gives its data; everything else is
// the Status from ErrorFromResponse. Never throws.
Result<QueryData> DecodeResponse(int http_status, std::string_view body);

// The error an answer stands for, "errorType: error" from a JSON error body, else the
// HTTP status and the start of the body. Codes: bad_data and execution -> InvalidArgument,
// timeout -> DeadlineExceeded, canceled/internal/unavailable and any other 5xx ->
// Unavailable, not_found -> NotFound, 429 -> ResourceExhausted, 401 -> Unauthenticated,
// 403 -> PermissionDenied, other 4xx -> InvalidArgument.
Status ErrorFromResponse(int http_status, std::string_view body);

// `{__name__="up", job="x"}`, for messages.
std::string FormatLabels(const std::map<std::string, std::string>& labels);

}  // namespace prescient::prom
