#include "prescient/app/zone_shift.h"

#include <algorithm>

namespace prescient::app {

ZoneShiftLoop::ZoneShiftLoop(sim::Simulator* sim, ZoneShiftOptions options,
                             anomaly::ZoneHealthDetector detector)
    : sim_(sim), options_(std::move(options)), detector_(std::move(detector)) {}

Result<ZoneShiftLoop> ZoneShiftLoop::Create(sim::Simulator* sim, ZoneShiftOptions options) {
  if (sim == nullptr) return InvalidArgumentError("zone shift: no simulator");
  Result<anomaly::ZoneHealthDetector> d =
      anomaly::ZoneHealthDetector::Create(sim->cluster().options().zones, options.health);
  if (!d.ok()) return d.status();
  ZoneShiftLoop loop(sim, std::move(options), std::move(d).value());
  for (const std::string& z : sim->cluster().shifted_zones()) {
    if (Status st = loop.detector_.SetShifted(z, true); !st.ok()) return st;
  }
  return loop;
}

Status ZoneShiftLoop::RunUntil(Timestamp t) {
  while (sim_->Now() < t) {
    const Timestamp next = std::chrono::floor<std::chrono::minutes>(sim_->Now()) + Duration(60);
    sim_->RunUntil(std::min(next, t));
    const sim::ZoneMinute& m = sim_->last_zone_minute();
    if (m.zones.empty() || m.time + Duration(60) != sim_->Now() || m.time <= fed_) continue;
    fed_ = m.time;
    for (const sim::ZoneStats& z : m.zones) {
      const anomaly::ZonePoint p{m.time, z.avg_latency_s, z.max_latency_s, z.error_rate};
      if (Status st = detector_.Add(z.zone, p); !st.ok()) return st;
    }
    if (Status st = Evaluate(); !st.ok()) return st;
  }
  return OkStatus();
}

Status ZoneShiftLoop::Evaluate() {
  const Timestamp now = sim_->Now();
  std::vector<anomaly::ZoneHealth> health = detector_.Evaluate(now);
  for (size_t i = 0; i < health.size(); ++i) {
    anomaly::ZoneHealth& h = health[i];
    const bool changed = health_.size() != health.size() || health_[i].state != h.state;
    if (changed) {
      events_.push_back({now, h.zone, ZoneShiftEvent::Kind::kState, h.state, h.reason});
    }
    if (options_.shift && h.shift_recommended && !sim_->ZoneShifted(h.zone)) {
      if (Status st = sim_->StartZonalShift(h.zone); !st.ok()) return st.WithContext("zone shift");
      if (Status st = detector_.SetShifted(h.zone, true); !st.ok()) return st;
      h.shifted = true;
      events_.push_back({now, h.zone, ZoneShiftEvent::Kind::kShiftStarted, h.state, h.reason});
    } else if (options_.end_shift_on_recovery && h.end_shift_recommended &&
               sim_->ZoneShifted(h.zone)) {
      if (Status st = sim_->EndZonalShift(h.zone); !st.ok()) return st.WithContext("zone shift");
      if (Status st = detector_.SetShifted(h.zone, false); !st.ok()) return st;
      h.shifted = false;
      events_.push_back({now, h.zone, ZoneShiftEvent::Kind::kShiftEnded, h.state, h.reason});
    }
  }
  health_ = std::move(health);
  return OkStatus();
}

}  // namespace prescient::app
