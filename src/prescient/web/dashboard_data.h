// What the dashboard and its HTTP API (docs/api.md) show: services with their SLO figures,
// per-minute rows, scaling events and nodes, as plain structs; DashboardSource, the
// interface the API reads them through; and MemorySource, the in-memory source that the
// demo, `sim serve`, `run` and the bench fixture fill while their own threads run.
// Thread-safety: DashboardSource implementations must be safe to read from many threads
// while they are being updated (reads return copies). MemorySource is thread-safe.
// Tested by api_test.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "prescient/core/time.h"

namespace prescient::web {

inline constexpr double kUnknown = NAN;  // A figure the source does not have: JSON null.

struct SloTarget {
  double p99_seconds = 0.5;
  double error_rate = 0.01;
  double availability_target = 0.999;
};

// Replica counts of the latest minute (NaN: unknown).
struct ReplicaState {
  double desired = kUnknown;
  double ready = kUnknown;
  double hpa_min = kUnknown;
  double placeholders = kUnknown;
};

// Totals over the source's window (NaN: the source has no such figure).
struct ServiceTotals {
  double requests = kUnknown;
  double failed_requests = kUnknown;
  double slow_requests = kUnknown;
  double pod_hours = kUnknown;
  double placeholder_pod_hours = kUnknown;
  double scale_events = kUnknown;
};

// One service (a Deployment under one policy) as the overview shows it.
struct ServiceSummary {
  std::string id;      // URL path segment, unique in the source.
  std::string name;    // The workload's name; two policies' replays share it in the demo.
  std::string policy;  // hpa | predictive | static-peak | oracle | ...
  SloTarget slo;
  // Rows held: [data_from, data_to) (data_to: the last row's minute + 60 s); both 0 if none.
  Timestamp data_from{}, data_to{};
  int64_t minutes = 0;                            // Rows held (the SLO window).
  int64_t slo_violation_minutes = 0;              // Rows with slo_violation.
  int64_t actions = 0;                            // Events of kind "action" for this service.
  double prediction_accuracy_percent = kUnknown;  // 100 - MAPE; NaN: none finished.
  double remediation_success_rate = kUnknown;
  ReplicaState replicas;                  // Of the latest row.
  double load_rps = kUnknown;             // Of the latest row.
  double latency_p99_seconds = kUnknown;  // Of the latest row.
  ServiceTotals totals;
};

// One service, one minute. NaN: unknown.
struct MinuteRow {
  Timestamp time{};  // Start of the minute.
  double actual_rps = kUnknown;
  double forecast_rps = kUnknown;  // The forecast made before this minute.
  double forecast_lower_rps = kUnknown;
  double forecast_upper_rps = kUnknown;
  double replicas_desired = kUnknown;
  double replicas_ready = kUnknown;
  double hpa_min_replicas = kUnknown;
  double placeholders = kUnknown;
  double latency_p99_seconds = kUnknown;
  double error_rate = kUnknown;
  bool slo_violation = false;
};

// A decision or an action of the automation (or the HPA).
struct Event {
  int64_t id = 0;  // Assigned by the source, increasing.
  Timestamp time{};
  std::string service;  // A ServiceSummary::id.
  std::string kind;     // decision | action
  std::string action;   // scale | set-hpa-min | placeholder | ...
  double from = kUnknown, to = kUnknown;
  std::string reason;
  std::string result;  // applied | dry-run | failed | interrupted | intended
};

struct NodeInfo {
  std::string name;
  std::string cluster = "default";  // The policy's name in the demo.
  std::string zone;
  std::string instance_type;
  std::string capacity_type;  // on-demand | spot
  bool ready = false;
  int pods = 0;
  double cpu_requested = 0;  // Cores.
  double cpu_allocatable = 0;
};

struct EventQuery {
  std::string service;                // Empty: all.
  std::optional<Timestamp> since;     // Only events with time > since.
  std::optional<Timestamp> from, to;  // Only events in [from, to).
  size_t limit = 200;
};

class DashboardSource {
 public:
  virtual ~DashboardSource() = default;
  virtual std::string Kind() const = 0;  // demo | sim | controller
  virtual Timestamp Now() const = 0;     // The source's clock.
  virtual std::vector<ServiceSummary> Services() const = 0;
  virtual std::optional<ServiceSummary> Service(const std::string& id) const = 0;
  // Rows of `id` with from <= time < to, oldest first; nullopt for an unknown service.
  virtual std::optional<std::vector<MinuteRow>> Minutes(const std::string& id, Timestamp from,
                                                        Timestamp to) const = 0;
  // Newest first, at most q.limit.
  virtual std::vector<Event> Events(const EventQuery& q) const = 0;
  virtual std::vector<NodeInfo> Nodes() const = 0;
};

// A DashboardSource held in memory, filled by its owner as time goes on. Running counts
// keep Services() cheap however many rows are held; rows older than `retention` before
// the newest are dropped (and leave the counts).
class MemorySource : public DashboardSource {
 public:
  explicit MemorySource(std::string kind, Duration retention = Duration(31 * 86400));

  // Adds the service, or replaces its static fields (name, policy, SLO, accuracy,
  // remediation, totals) keeping its rows and counts.
  void UpsertService(const ServiceSummary& service);
  void SetAccuracy(const std::string& id, double accuracy_percent);
  void SetTotals(const std::string& id, const ServiceTotals& totals);
  // Appends a row (rows come in time order; an older or equal minute replaces nothing and
  // is dropped). Ignored for an unknown service.
  void AppendMinute(const std::string& id, const MinuteRow& row);
  // Assigns the id; events should come in time order (an older one is inserted in place).
  void AddEvent(Event event);
  void SetNodes(std::vector<NodeInfo> nodes);
  // Replaces the nodes whose `cluster` is `cluster`.
  void SetClusterNodes(const std::string& cluster, std::vector<NodeInfo> nodes);
  void SetNow(Timestamp now);

  std::string Kind() const override { return kind_; }
  Timestamp Now() const override;
  std::vector<ServiceSummary> Services() const override;
  std::optional<ServiceSummary> Service(const std::string& id) const override;
  std::optional<std::vector<MinuteRow>> Minutes(const std::string& id, Timestamp from,
                                                Timestamp to) const override;
  std::vector<Event> Events(const EventQuery& q) const override;
  std::vector<NodeInfo> Nodes() const override;

 private:
  struct Held {
    ServiceSummary summary;
    std::deque<MinuteRow> rows;
  };
  const std::string kind_;
  const Duration retention_;
  mutable std::mutex mu_;
  Timestamp now_{};
  std::vector<std::string> order_;  // Services in the order added.
  std::map<std::string, Held> services_;
  std::deque<Event> events_;  // Oldest first.
  int64_t next_event_id_ = 1;
  std::vector<NodeInfo> nodes_;
};

}  // namespace prescient::web
