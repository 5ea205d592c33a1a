// MemorySource: a mutex over per-service deques of rows (time-ordered, so a range is two
// binary searches) and one time-ordered deque of events.
#include "prescient/web/dashboard_data.h"

#include <algorithm>

namespace prescient::web {
namespace {

constexpr size_t kMaxEvents = 200000;  // Events kept; the oldest go first.

bool RowBefore(const MinuteRow& row, Timestamp t) { return row.time < t; }

}  // namespace

MemorySource::MemorySource(std::string kind, Duration retention)
    : kind_(std::move(kind)), retention_(retention) {}

void MemorySource::UpsertService(const ServiceSummary& service) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = services_.find(service.id);
  if (it == services_.end()) {
    Held h;
    h.summary = service;
    h.summary.data_from = h.summary.data_to = Timestamp{};
    h.summary.minutes = h.summary.slo_violation_minutes = h.summary.actions = 0;
    h.summary.replicas = {};
    h.summary.load_rps = h.summary.latency_p99_seconds = kUnknown;
    order_.push_back(service.id);
    services_.emplace(service.id, std::move(h));
    return;
  }
  ServiceSummary& s = it->second.summary;
  s.name = service.name;
  s.policy = service.policy;
  s.slo = service.slo;
  s.prediction_accuracy_percent = service.prediction_accuracy_percent;
  s.remediation_success_rate = service.remediation_success_rate;
  s.totals = service.totals;
}

void MemorySource::SetAccuracy(const std::string& id, double accuracy_percent) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = services_.find(id); it != services_.end())
    it->second.summary.prediction_accuracy_percent = accuracy_percent;
}

void MemorySource::SetTotals(const std::string& id, const ServiceTotals& totals) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = services_.find(id); it != services_.end()) it->second.summary.totals = totals;
}

void MemorySource::AppendMinute(const std::string& id, const MinuteRow& row) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = services_.find(id);
  if (it == services_.end()) return;
  Held& h = it->second;
  if (!h.rows.empty() && row.time <= h.rows.back().time) return;
  h.rows.push_back(row);
  ServiceSummary& s = h.summary;
  ++s.minutes;
  if (row.slo_violation) ++s.slo_violation_minutes;
  while (!h.rows.empty() && h.rows.front().time + retention_ <= row.time) {
    --s.minutes;
    if (h.rows.front().slo_violation) --s.slo_violation_minutes;
    h.rows.pop_front();
  }
  s.data_from = h.rows.front().time;
  s.data_to = row.time + Duration(60);
  s.replicas = {row.replicas_desired, row.replicas_ready, row.hpa_min_replicas, row.placeholders};
  s.load_rps = row.actual_rps;
  s.latency_p99_seconds = row.latency_p99_seconds;
  now_ = std::max(now_, s.data_to);
}

void MemorySource::AddEvent(Event event) {
  std::lock_guard<std::mutex> lock(mu_);
  event.id = next_event_id_++;
  if (event.kind == "action") {
    if (auto it = services_.find(event.service); it != services_.end())
      ++it->second.summary.actions;
  }
  auto pos = std::upper_bound(events_.begin(), events_.end(), event.time,
                              [](Timestamp t, const Event& e) { return t < e.time; });
  events_.insert(pos, std::move(event));
  while (events_.size() > kMaxEvents) {
    const Event& old = events_.front();
    if (old.kind == "action") {
      if (auto it = services_.find(old.service); it != services_.end())
        --it->second.summary.actions;
    }
    events_.pop_front();
  }
}

void MemorySource::SetNodes(std::vector<NodeInfo> nodes) {
  std::lock_guard<std::mutex> lock(mu_);
  nodes_ = std::move(nodes);
}

void MemorySource::SetClusterNodes(const std::string& cluster, std::vector<NodeInfo> nodes) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(nodes_, [&](const NodeInfo& n) { return n.cluster == cluster; });
  for (NodeInfo& n : nodes) nodes_.push_back(std::move(n));
}

void MemorySource::SetNow(Timestamp now) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ = now;
}

Timestamp MemorySource::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

std::vector<ServiceSummary> MemorySource::Services() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ServiceSummary> out;
  out.reserve(order_.size());
  for (const std::string& id : order_) out.push_back(services_.at(id).summary);
  return out;
}

std::optional<ServiceSummary> MemorySource::Service(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = services_.find(id);
  if (it == services_.end()) return std::nullopt;
  return it->second.summary;
}

std::optional<std::vector<MinuteRow>> MemorySource::Minutes(const std::string& id, Timestamp from,
                                                            Timestamp to) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = services_.find(id);
  if (it == services_.end()) return std::nullopt;
  const std::deque<MinuteRow>& rows = it->second.rows;
  auto lo = std::lower_bound(rows.begin(), rows.end(), from, RowBefore);
  auto hi = std::lower_bound(lo, rows.end(), to, RowBefore);
  return std::vector<MinuteRow>(lo, hi);
}

std::vector<Event> MemorySource::Events(const EventQuery& q) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Event> out;
  auto end = events_.end();
  if (q.to.has_value()) {
    end = std::lower_bound(events_.begin(), events_.end(), *q.to,
                           [](const Event& e, Timestamp t) { return e.time < t; });
  }
  for (auto it = std::make_reverse_iterator(end); it != events_.rend() && out.size() < q.limit;
       ++it) {
    if (q.since.has_value() && it->time <= *q.since) break;
    if (q.from.has_value() && it->time < *q.from) break;
    if (!q.service.empty() && it->service != q.service) continue;
    out.push_back(*it);
  }
  return out;
}

std::vector<NodeInfo> MemorySource::Nodes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return nodes_;
}

}  // namespace prescient::web
