// Requests go through cpp-httplib, one client per call (so calls are independent and
// thread-safe). Range queries: SplitRange plans the chunks, each chunk is one request,
// PlaceSamples writes its samples on the grid of the whole range, so a chunk border can
// not produce a duplicate point and a missing step stays NaN.
#include "prescient/prom/prometheus_client.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace prescient::prom {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

Status QueryContext(const Status& status, const std::string& query) {
  return status.WithContext("prometheus: query \"" + query + "\"");
}

std::string Seconds(Timestamp t) { return std::to_string(t.time_since_epoch().count()); }

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += httplib::detail::encode_query_param(name) + "=" +
           httplib::detail::encode_query_param(value);
  }
  return out;
}

Status TransportError(httplib::Error error, const std::string& request, Duration timeout,
                      std::chrono::steady_clock::duration elapsed) {
  const std::string what = request + ": " + httplib::to_string(error);
  if (error == httplib::Error::ConnectionTimeout ||
      (error == httplib::Error::Read && elapsed >= timeout)) {
    return Status(StatusCode::kDeadlineExceeded,
                  what + " (timed out after " + FormatDuration(timeout) + ")");
  }
  return UnavailableError(what);
}

}  // namespace

PrometheusClient::PrometheusClient(std::string base_url, Options options)
    : base_url_(std::move(base_url)), options_(options) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  const size_t scheme = base_url_.find("://");
  const size_t path = base_url_.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  scheme_host_port_ = base_url_.substr(0, path);
  if (path != std::string::npos) path_prefix_ = base_url_.substr(path);
  options_.max_points_per_request =
      std::clamp<int64_t>(options_.max_points_per_request, 1, kPrometheusMaxPoints);
}

Result<QueryData> PrometheusClient::Call(const std::string& path, const Params& params) {
  httplib::Client client(scheme_host_port_);
  if (!client.is_valid()) {
    return InvalidArgumentError("base URL \"" + base_url_ + "\" is not http://host:port");
  }
  const auto timeout = std::chrono::duration_cast<std::chrono::seconds>(options_.timeout);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  const std::string target = path_prefix_ + path;
  size_t query_bytes = 0;
  for (const auto& [name, value] : params) query_bytes += value.size();

  const bool post = query_bytes > options_.post_above_bytes;
  const auto began = std::chrono::steady_clock::now();
  httplib::Result response =
      post ? client.Post(target, FormEncode(params), "application/x-www-form-urlencoded")
           : client.Get(target + "?" + FormEncode(params));
  if (!response) {
    return TransportError(response.error(), (post ? "POST " : "GET ") + base_url_ + path,
                          options_.timeout, std::chrono::steady_clock::now() - began);
  }
  return DecodeResponse(response->status, response->body);
}

Result<Series> PrometheusClient::QueryRange(const std::string& query, Timestamp start,
                                            Timestamp end, Duration step) {
  auto chunks = SplitRange(start, end, step, options_.max_points_per_request);
  if (!chunks.ok()) return QueryContext(chunks.status(), query);
  Series series(start, step,
                std::vector<double>(static_cast<size_t>(CountPoints(start, end, step)), kMissing));
  const std::string timeout = std::to_string(options_.timeout.count()) + "s";
  for (const RangeChunk& chunk : *chunks) {
    auto data = Call("/api/v1/query_range", {{"query", query},
                                             {"start", Seconds(chunk.start)},
                                             {"end", Seconds(chunk.end)},
                                             {"step", std::to_string(step.count())},
                                             {"timeout", timeout}});
    if (!data.ok()) return QueryContext(data.status(), query);
    if (data->series.size() > 1) {
      std::string labels;
      for (size_t i = 0; i < data->series.size() && i < 3; ++i) {
        labels += (i ? ", " : "") + FormatLabels(data->series[i].labels);
      }
      if (data->series.size() > 3) labels += ", ...";
      return QueryContext(
          InvalidArgumentError("gives " + std::to_string(data->series.size()) +
                               " series, expected one (aggregate them, e.g. sum(...)): " + labels),
          query);
    }
    if (!data->series.empty()) PlaceSamples(data->series.front().samples, series);
  }
  return series;
}

Result<double> PrometheusClient::QueryInstant(const std::string& query, Timestamp at) {
  auto data = Call("/api/v1/query", {{"query", query},
                                     {"time", Seconds(at)},
                                     {"timeout", std::to_string(options_.timeout.count()) + "s"}});
  if (!data.ok()) return QueryContext(data.status(), query);
  if (data->result_type == "matrix") {
    return QueryContext(InvalidArgumentError("gives a range vector; an instant query needs a "
                                             "number or an instant vector"),
                        query);
  }
  if (data->series.size() > 1) {
    return QueryContext(
        InvalidArgumentError("gives " + std::to_string(data->series.size()) +
                             " series, expected one (aggregate them, e.g. sum(...))"),
        query);
  }
  if (data->series.empty() || data->series.front().samples.empty()) return kMissing;
  return data->series.front().samples.front().value;
}

}  // namespace prescient::prom
