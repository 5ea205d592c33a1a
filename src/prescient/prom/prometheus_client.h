// PrometheusClient: a MetricSource over the Prometheus HTTP API (/api/v1/query and
// /api/v1/query_range). Long ranges are split under Prometheus' 11,000-point limit and
// stitched back; long queries are POSTed form-encoded. Every error names the query:
//   prometheus: query "rate(x[5m])": bad_data: invalid parameter "query": 1:5: parse error...
// Connection failures and 5xx are Unavailable, timeouts DeadlineExceeded (both retryable;
// this class does not retry), bad PromQL InvalidArgument.
// Thread-safe: every call opens its own connection. Tested by prometheus_client_test.cc
// (pure parts) and prometheus_integration_test.cc (a real Prometheus).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/series.h"
#include "prescient/core/time.h"
#include "prescient/metrics/metric_source.h"
#include "prescient/prom/api_response.h"
#include "prescient/prom/range_plan.h"

namespace prescient::prom {

struct PrometheusOptions {
  // Per request: connecting, reading, and the `timeout` Prometheus is asked to respect.
  Duration timeout{30};
  // Points per series per range request; at most kPrometheusMaxPoints (larger is clamped).
  int64_t max_points_per_request = kPrometheusMaxPoints;
  // Queries longer than this many bytes are sent as a form-encoded POST rather than a GET.
  size_t post_above_bytes = 1024;
};

class PrometheusClient final : public metrics::MetricSource {
 public:
  using Options = PrometheusOptions;

  // `base_url` is "http://host:port", optionally with a path prefix
  // ("http://host:port/prometheus"). A malformed URL fails every query with InvalidArgument.
  explicit PrometheusClient(std::string base_url, Options options = {});

  Result<Series> QueryRange(const std::string& query, Timestamp start, Timestamp end,
                            Duration step) override;
  Result<double> QueryInstant(const std::string& query, Timestamp at) override;

  const std::string& base_url() const { return base_url_; }

 private:
  // One API call: GET or POST `path` with the form `params`; the decoded data or the
  // error (without the query context, which the callers add).
  Result<QueryData> Call(const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& params);

  std::string base_url_;
  std::string scheme_host_port_;  // "http://host:port"
  std::string path_prefix_;       // "" or "/prometheus"
  Options options_;
};

}  // namespace prescient::prom
