// ZoneShiftLoop: predictive zone management on the simulated cluster (MISSION.md
// section 3). Drives a sim::Simulator a minute at a time; after each minute it feeds
// every zone's stats (sim::ZoneStats: probe latency, error rate of the requests routed
// there) to an anomaly::ZoneHealthDetector, starts a zonal shift when the detector
// recommends one (at most one zone, never the last healthy ones: the detector's
// guardrails), and ends it once the shifted zone's window is healthy again. Records
// every change of a zone's state and every shift as an event.
// The simulator's own zones are used; faults come from SimulatorOptions::zone_faults or
// Simulator::AddZoneFault. Thread-compatible. Tested by zone_shift_test.cc.
#pragma once

#include <string>
#include <vector>

#include "prescient/anomaly/zone_health.h"
#include "prescient/core/result.h"
#include "prescient/core/time.h"
#include "prescient/sim/simulator.h"

namespace prescient::app {

struct ZoneShiftOptions {
  anomaly::ZoneHealthOptions health;
  bool shift = true;                  // Act on a recommendation (false: detect only).
  bool end_shift_on_recovery = true;  // End a shift once the zone is healthy again.
};

struct ZoneShiftEvent {
  enum class Kind { kState, kShiftStarted, kShiftEnded };
  Timestamp time;  // End of the minute evaluated.
  std::string zone;
  Kind kind = Kind::kState;
  anomaly::ZoneState state = anomaly::ZoneState::kInsufficientData;  // After the event.
  std::string reason;
};

class ZoneShiftLoop {
 public:
  // `sim` must outlive the loop. InvalidArgument for bad detector options.
  static Result<ZoneShiftLoop> Create(sim::Simulator* sim, ZoneShiftOptions options = {});

  // Runs the simulator until `t`, evaluating after every whole minute. A failure to
  // shift (the simulator refusing) is returned with its context.
  Status RunUntil(Timestamp t);

  const std::vector<ZoneShiftEvent>& events() const { return events_; }
  const std::vector<anomaly::ZoneHealth>& health() const { return health_; }
  const anomaly::ZoneHealthDetector& detector() const { return detector_; }

 private:
  ZoneShiftLoop(sim::Simulator* sim, ZoneShiftOptions options,
                anomaly::ZoneHealthDetector detector);
  Status Evaluate();

  sim::Simulator* sim_;
  ZoneShiftOptions options_;
  anomaly::ZoneHealthDetector detector_;
  std::vector<anomaly::ZoneHealth> health_;
  std::vector<ZoneShiftEvent> events_;
  Timestamp fed_{};  // The last minute fed.
};

}  // namespace prescient::app
