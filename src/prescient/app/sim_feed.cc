#include "prescient/app/sim_feed.h"

#include <cmath>
#include <cstdio>

namespace prescient::app {
namespace {

std::string Rps(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f rps", v);
  return buf;
}

// "forecast upper 1200 rps (expected 1000 rps)", or "" without a forecast.
std::string Forecast(double expected, double upper) {
  if (!std::isfinite(upper)) return "";
  std::string s = "forecast upper " + Rps(upper);
  if (std::isfinite(expected)) s += " (expected " + Rps(expected) + ")";
  return s;
}

}  // namespace

web::MinuteRow ToMinuteRow(const sim::MinuteRecord& m, double expected, double upper) {
  web::MinuteRow r;
  r.time = m.time;
  r.actual_rps = m.stats.load_rps;
  r.forecast_rps = expected;
  r.forecast_upper_rps = upper;
  r.replicas_desired = m.replicas;
  r.replicas_ready = m.ready;
  r.hpa_min_replicas = m.hpa_min;
  r.placeholders = m.placeholders;
  r.latency_p99_seconds = m.stats.p99_s;
  r.error_rate = m.stats.error_rate;
  r.slo_violation = m.slo_violation;
  return r;
}

std::vector<web::NodeInfo> ToNodeInfos(const sim::ClusterState& cluster,
                                       const std::string& cluster_name) {
  std::vector<web::NodeInfo> out;
  for (const sim::Node& n : cluster.nodes()) {
    if (n.deleted) continue;
    web::NodeInfo i;
    i.name = n.name;
    i.cluster = cluster_name;
    i.zone = n.zone;
    i.instance_type = n.type != nullptr ? std::string(n.type->name) : "";
    i.capacity_type = n.capacity_type == sim::CapacityType::kSpot ? "spot" : "on-demand";
    i.ready = n.ready;
    i.pods = n.pod_count;
    i.cpu_requested = n.requested_millicores / 1000.0;
    i.cpu_allocatable = n.allocatable_millicores / 1000.0;
    out.push_back(std::move(i));
  }
  return out;
}

void SimFeed::AddMinute(const std::string& id, const std::string& name, const std::string& policy,
                        const web::SloTarget& slo, const sim::MinuteRecord& m, double expected,
                        double upper) {
  auto last = last_.find(id);
  if (last == last_.end()) {
    web::ServiceSummary s;
    s.id = id;
    s.name = name;
    s.policy = policy;
    s.slo = slo;
    source_.UpsertService(s);
  }
  source_.AppendMinute(id, ToMinuteRow(m, expected, upper));
  if (last != last_.end()) {
    const sim::MinuteRecord& p = last->second;
    // Stamped at the end of the minute: the change happened during it.
    const Timestamp at = m.time + Duration(60);
    auto event = [&](const std::string& action, int from, int to, const std::string& reason) {
      web::Event e;
      e.time = at;
      e.service = id;
      e.kind = "action";
      e.action = action;
      e.from = from;
      e.to = to;
      e.reason = reason;
      e.result = "applied";
      source_.AddEvent(std::move(e));
    };
    const std::string forecast = Forecast(expected, upper);
    if (m.hpa_min != p.hpa_min) {
      event("set-hpa-min", p.hpa_min, m.hpa_min,
            (forecast.empty() ? std::string("HPA floor changed")
                              : forecast + " needs " + std::to_string(m.hpa_min) + " pods") +
                ": minReplicas " + std::to_string(p.hpa_min) + " -> " + std::to_string(m.hpa_min));
    }
    if (m.replicas != p.replicas) {
      std::string why;
      if (m.hpa_min != p.hpa_min && m.replicas == m.hpa_min) {
        why = "HPA follows its new floor minReplicas " + std::to_string(m.hpa_min);
      } else {
        char buf[160];
        std::snprintf(buf, sizeof buf, "HPA: %.0f rps on %d ready pods, p99 %.0f ms",
                      m.stats.load_rps, m.ready, m.stats.p99_s * 1000);
        why = buf;
      }
      event("scale", p.replicas, m.replicas, why);
    }
    if (m.placeholders != p.placeholders) {
      event("placeholder", p.placeholders, m.placeholders,
            "placeholder pods " + std::to_string(p.placeholders) + " -> " +
                std::to_string(m.placeholders) + " keep node capacity warm" +
                (forecast.empty() ? "" : " for the " + forecast));
    }
  }
  last_[id] = m;
}

}  // namespace prescient::app
