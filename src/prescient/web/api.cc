// Routing by hand (five paths), then each endpoint builds its JSON with nlohmann-json.
// Series are bucketed here rather than in the source so every source gets the same
// downsampling rules (docs/api.md).
#include "prescient/web/api.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace prescient::web {
namespace {

using nlohmann::json;

constexpr double kGreen = 0.999;
constexpr double kYellow = 0.995;

ApiResponse Error(int status, const std::string& message) {
  return {status, json{{"error", message}}.dump()};
}

ApiResponse Ok(const json& body) { return {200, body.dump()}; }

int64_t Epoch(Timestamp t) { return t.time_since_epoch().count(); }

// Short numbers in the JSON (the figures are not that precise anyway); NaN -> null.
json Num(double v, int digits = 4) {
  if (!std::isfinite(v)) return nullptr;
  const double scale = std::pow(10.0, digits);
  const double r = std::round(v * scale) / scale;
  if (r == std::floor(r) && std::abs(r) < 9e15) return static_cast<int64_t>(r);
  return r;
}

// The one value of a parameter; nullopt if absent; InvalidArgument if repeated or empty.
Result<std::optional<std::string>> Param(const QueryParams& params, const std::string& name) {
  auto [lo, hi] = params.equal_range(name);
  if (lo == hi) return std::optional<std::string>();
  if (std::next(lo) != hi) return InvalidArgumentError(name + ": given more than once");
  if (lo->second.empty()) return InvalidArgumentError(name + ": empty value");
  return std::optional<std::string>(lo->second);
}

ApiResponse BadRequest(const Status& s) { return Error(400, s.message()); }

json WindowJson(Timestamp from, Timestamp to) {
  if (from == Timestamp{} && to == Timestamp{}) return json{{"from", nullptr}, {"to", nullptr}};
  return json{{"from", Epoch(from)}, {"to", Epoch(to)}};
}

std::string StatusOf(double availability) {
  if (!std::isfinite(availability)) return "unknown";
  if (availability >= kGreen) return "green";
  if (availability >= kYellow) return "yellow";
  return "red";
}

json ServiceJson(const ServiceSummary& s, bool with_totals) {
  const double minutes = static_cast<double>(s.minutes);
  const double bad = static_cast<double>(s.slo_violation_minutes);
  const double availability = s.minutes > 0 ? 1.0 - bad / minutes : kUnknown;
  const double allowed = minutes * (1.0 - s.slo.availability_target);
  const double budget = s.minutes > 0 && allowed > 0 ? 1.0 - bad / allowed : kUnknown;
  json j = {
      {"id", s.id},
      {"name", s.name},
      {"policy", s.policy},
      {"slo",
       {{"p99_seconds", Num(s.slo.p99_seconds)},
        {"error_rate", Num(s.slo.error_rate, 6)},
        {"availability_target", Num(s.slo.availability_target, 6)}}},
      {"window", WindowJson(s.data_from, s.data_to)},
      {"availability", Num(availability, 6)},
      {"error_budget_remaining", Num(budget, 4)},
      {"status", StatusOf(availability)},
      {"prediction_accuracy_percent", Num(s.prediction_accuracy_percent, 2)},
      {"remediation_success_rate", Num(s.remediation_success_rate, 4)},
      {"replicas",
       {{"desired", Num(s.replicas.desired)},
        {"ready", Num(s.replicas.ready)},
        {"hpa_min", Num(s.replicas.hpa_min)},
        {"placeholders", Num(s.replicas.placeholders)}}},
      {"load_rps", Num(s.load_rps, 3)},
      {"latency_p99_seconds", Num(s.latency_p99_seconds, 4)},
      {"actions", s.actions},
  };
  if (with_totals) {
    j["totals"] = {{"minutes", s.minutes},
                   {"slo_violation_minutes", s.slo_violation_minutes},
                   {"requests", Num(s.totals.requests, 0)},
                   {"failed_requests", Num(s.totals.failed_requests, 0)},
                   {"slow_requests", Num(s.totals.slow_requests, 0)},
                   {"pod_hours", Num(s.totals.pod_hours, 2)},
                   {"placeholder_pod_hours", Num(s.totals.placeholder_pod_hours, 2)},
                   {"scale_events", Num(s.totals.scale_events, 0)}};
  }
  return j;
}

json EventJson(const Event& e) {
  return {{"id", e.id},      {"time", Epoch(e.time)}, {"service", e.service},
          {"kind", e.kind},  {"action", e.action},    {"from", Num(e.from)},
          {"to", Num(e.to)}, {"reason", e.reason},    {"result", e.result}};
}

json EventsJson(const std::vector<Event>& events) {
  json out = json::array();
  for (const Event& e : events) out.push_back(EventJson(e));
  return out;
}

ApiResponse Services(const DashboardSource& source) {
  const std::vector<ServiceSummary> services = source.Services();
  json list = json::array();
  Timestamp from{}, to{};
  for (const ServiceSummary& s : services) {
    list.push_back(ServiceJson(s, false));
    if (s.minutes == 0) continue;
    if (from == Timestamp{} || s.data_from < from) from = s.data_from;
    to = std::max(to, s.data_to);
  }
  return Ok({{"source", source.Kind()},
             {"now", Epoch(source.Now())},
             {"window", WindowJson(from, to)},
             {"services", std::move(list)}});
}

ApiResponse UnknownService(const std::string& id) {
  return Error(404, "service: no service '" + id + "' (GET /api/v1/services lists them)");
}

// A bucket's figures: means of rates and replicas, max of latency and error rate, any
// violation.
struct Bucket {
  int64_t start = 0;
  struct Mean {
    double sum = 0;
    int n = 0;
    void Add(double v) {
      if (std::isfinite(v)) sum += v, ++n;
    }
    double Get() const { return n > 0 ? sum / n : kUnknown; }
  };
  struct Max {
    double v = kUnknown;
    void Add(double x) {
      if (std::isfinite(x) && !(x <= v)) v = x;
    }
  };
  Mean actual, forecast, lower, upper, desired, ready, hpa_min, placeholders;
  Max latency, errors;
  bool violation = false;
};

int64_t FloorTo(int64_t t, int64_t step) {
  const int64_t q = t / step;
  return (q * step > t ? q - 1 : q) * step;
}

ApiResponse Series(const DashboardSource& source, const std::string& id,
                   const QueryParams& params) {
  const std::optional<ServiceSummary> service = source.Service(id);
  if (!service.has_value()) return UnknownService(id);
  Result<std::optional<std::string>> from_text = Param(params, "from");
  if (!from_text.ok()) return BadRequest(from_text.status());
  Result<std::optional<std::string>> to_text = Param(params, "to");
  if (!to_text.ok()) return BadRequest(to_text.status());
  Result<std::optional<std::string>> step_text = Param(params, "step");
  if (!step_text.ok()) return BadRequest(step_text.status());

  Timestamp to = service->minutes > 0 ? service->data_to : source.Now();
  if (to_text->has_value()) {
    Result<Timestamp> t = ParseTimeParam("to", **to_text);
    if (!t.ok()) return BadRequest(t.status());
    to = *t;
  }
  Timestamp from = to - kDefaultSeriesSpan;
  if (from_text->has_value()) {
    Result<Timestamp> t = ParseTimeParam("from", **from_text);
    if (!t.ok()) return BadRequest(t.status());
    from = *t;
  }
  if (from >= to) {
    return Error(
        400, "from: " + FormatTimestamp(from) + " is not before to (" + FormatTimestamp(to) + ")");
  }
  const Duration span = to - from;
  if (span > kMaxSeriesSpan) {
    return Error(400, "from: the span from..to is " + FormatDuration(span) +
                          ", more than the 31 days one request may cover");
  }
  int64_t step = 60;
  if (step_text->has_value()) {
    Result<Duration> d = ParseStepParam(**step_text);
    if (!d.ok()) return BadRequest(d.status());
    step = d->count();
  } else {
    const int64_t minutes = (span.count() + 59) / 60;
    step = 60 * std::max<int64_t>(1, (minutes + kDefaultMaxPoints - 1) / kDefaultMaxPoints);
  }
  const int64_t points = (span.count() + step - 1) / step;
  if (points > kMaxPoints) {
    return Error(400, "step: " + FormatDuration(Duration(step)) + " gives " +
                          std::to_string(points) + " points over " + FormatDuration(span) +
                          ", more than " + std::to_string(kMaxPoints) + "; use a larger step");
  }

  const std::vector<MinuteRow> rows =
      source.Minutes(id, from, to).value_or(std::vector<MinuteRow>{});
  std::vector<Bucket> buckets;
  for (const MinuteRow& r : rows) {
    const int64_t start = FloorTo(Epoch(r.time), step);
    if (buckets.empty() || buckets.back().start != start) {
      buckets.emplace_back();
      buckets.back().start = start;
    }
    Bucket& b = buckets.back();
    b.actual.Add(r.actual_rps);
    b.forecast.Add(r.forecast_rps);
    b.lower.Add(r.forecast_lower_rps);
    b.upper.Add(r.forecast_upper_rps);
    b.desired.Add(r.replicas_desired);
    b.ready.Add(r.replicas_ready);
    b.hpa_min.Add(r.hpa_min_replicas);
    b.placeholders.Add(r.placeholders);
    b.latency.Add(r.latency_p99_seconds);
    b.errors.Add(r.error_rate);
    b.violation = b.violation || r.slo_violation;
  }
  json time = json::array(), actual = json::array(), forecast = json::array(),
       lower = json::array(), upper = json::array(), desired = json::array(), ready = json::array(),
       hpa_min = json::array(), placeholders = json::array(), latency = json::array(),
       errors = json::array(), violation = json::array();
  for (const Bucket& b : buckets) {
    time.push_back(b.start);
    actual.push_back(Num(b.actual.Get(), 3));
    forecast.push_back(Num(b.forecast.Get(), 3));
    lower.push_back(Num(b.lower.Get(), 3));
    upper.push_back(Num(b.upper.Get(), 3));
    desired.push_back(Num(b.desired.Get(), 2));
    ready.push_back(Num(b.ready.Get(), 2));
    hpa_min.push_back(Num(b.hpa_min.Get(), 2));
    placeholders.push_back(Num(b.placeholders.Get(), 2));
    latency.push_back(Num(b.latency.v, 4));
    errors.push_back(Num(b.errors.v, 6));
    violation.push_back(b.violation ? 1 : 0);
  }
  EventQuery q;
  q.service = id;
  q.from = from;
  q.to = to;
  q.limit = kMaxEventLimit;
  return Ok({{"service", id},
             {"from", Epoch(from)},
             {"to", Epoch(to)},
             {"step_seconds", step},
             {"time", std::move(time)},
             {"actual_rps", std::move(actual)},
             {"forecast_rps", std::move(forecast)},
             {"forecast_lower_rps", std::move(lower)},
             {"forecast_upper_rps", std::move(upper)},
             {"replicas_desired", std::move(desired)},
             {"replicas_ready", std::move(ready)},
             {"hpa_min_replicas", std::move(hpa_min)},
             {"placeholders", std::move(placeholders)},
             {"latency_p99_seconds", std::move(latency)},
             {"error_rate", std::move(errors)},
             {"slo_violation", std::move(violation)},
             {"events", EventsJson(source.Events(q))}});
}

ApiResponse Events(const DashboardSource& source, const QueryParams& params) {
  EventQuery q;
  q.limit = kDefaultEventLimit;
  Result<std::optional<std::string>> service = Param(params, "service");
  if (!service.ok()) return BadRequest(service.status());
  if (service->has_value()) {
    if (!source.Service(**service).has_value()) return UnknownService(**service);
    q.service = **service;
  }
  Result<std::optional<std::string>> since = Param(params, "since");
  if (!since.ok()) return BadRequest(since.status());
  if (since->has_value()) {
    Result<Timestamp> t = ParseTimeParam("since", **since);
    if (!t.ok()) return BadRequest(t.status());
    q.since = *t;
  }
  Result<std::optional<std::string>> limit = Param(params, "limit");
  if (!limit.ok()) return BadRequest(limit.status());
  if (limit->has_value()) {
    Result<int64_t> n = ParseIntParam("limit", **limit, 1, static_cast<int64_t>(kMaxEventLimit));
    if (!n.ok()) return BadRequest(n.status());
    q.limit = static_cast<size_t>(*n);
  }
  return Ok({{"events", EventsJson(source.Events(q))}});
}

ApiResponse Nodes(const DashboardSource& source) {
  json list = json::array();
  for (const NodeInfo& n : source.Nodes()) {
    list.push_back({{"name", n.name},
                    {"cluster", n.cluster},
                    {"zone", n.zone},
                    {"instance_type", n.instance_type},
                    {"capacity_type", n.capacity_type},
                    {"ready", n.ready},
                    {"pods", n.pods},
                    {"cpu_requested", Num(n.cpu_requested, 3)},
                    {"cpu_allocatable", Num(n.cpu_allocatable, 3)}});
  }
  return Ok({{"nodes", std::move(list)}});
}

}  // namespace

Result<Timestamp> ParseTimeParam(std::string_view name, std::string_view text) {
  Result<Timestamp> t = ParseTimestamp(text);
  if (!t.ok()) {
    return InvalidArgumentError(std::string(name) + ": '" + std::string(text) +
                                "' is not a time: expected epoch seconds or ISO-8601 such as "
                                "2024-07-01T00:00:00Z");
  }
  return t;
}

Result<Duration> ParseStepParam(std::string_view text) {
  Result<Duration> d = ParseDuration(text);
  if (!d.ok() || d->count() <= 0 || d->count() % 60 != 0) {
    return InvalidArgumentError("step: '" + std::string(text) +
                                "' is not a positive multiple of 60s (such as 60s, 5m, 1h)");
  }
  return d;
}

Result<int64_t> ParseIntParam(std::string_view name, std::string_view text, int64_t lo,
                              int64_t hi) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || v < lo || v > hi) {
    return InvalidArgumentError(std::string(name) + ": '" + std::string(text) +
                                "' is not an integer in " + std::to_string(lo) + ".." +
                                std::to_string(hi));
  }
  return v;
}

ApiResponse HandleApiRequest(const DashboardSource& source, std::string_view path,
                             const QueryParams& params) {
  constexpr std::string_view kPrefix = "/api/v1/";
  if (!path.starts_with(kPrefix)) return Error(404, "no such path: " + std::string(path));
  std::string_view rest = path.substr(kPrefix.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest == "services") return Services(source);
  if (rest == "events") return Events(source, params);
  if (rest == "nodes") return Nodes(source);
  if (rest.starts_with("services/")) {
    std::string_view tail = rest.substr(9);
    const size_t slash = tail.find('/');
    const std::string id(tail.substr(0, slash));
    if (!id.empty() && slash == std::string_view::npos) {
      std::optional<ServiceSummary> s = source.Service(id);
      if (!s.has_value()) return UnknownService(id);
      return Ok(ServiceJson(*s, true));
    }
    if (!id.empty() && tail.substr(slash) == "/series") return Series(source, id, params);
  }
  return Error(404, "no such path: " + std::string(path) +
                        " (see docs/api.md: /api/v1/services, /api/v1/services/{id}, "
                        "/api/v1/services/{id}/series, /api/v1/events, /api/v1/nodes)");
}

}  // namespace prescient::web
