// ZoneHealthDetector: gray-failure detection per availability zone and the zonal-shift
// decision (MISSION.md section 3, "Gray failure of a zone", "Predictive zone
// management"). Fed one point per zone per minute: the zone's latency (average and
// maximum over the minute) and, when requests were routed there, its error/timeout rate.
//
// What "latency" means here: the zone's own network/infrastructure latency, as a probe
// or a mesh's per-locality statistics see it, normally about 5 ms; not a request's
// end-to-end latency (the simulator's requests take 50 ms on an idle pod). The simulator
// reports exactly that (sim::ZoneStats: a probe per zone per tick).
//
// Rules, each threshold an option with the design's default:
//   - a sliding window (15 min) needs at least 10 one-minute points, else the zone's
//     state is "insufficient data" (missing minutes count against it);
//   - gray failure: window-average latency > 50 ms, or window-max > 200 ms, or an
//     error rate >= 1% (the lower end of the design's "1-5% intermittent timeouts")
//     that is the zone's own: minute by minute, the zone's rate above the other zones'
//     (the median of the unshifted zones reporting one, as a mesh's outlier detection
//     compares a host with its cluster), capped at 5% a minute, averaged over the
//     window; a minute in which the other zones fail too is the service's (overload
//     while the HPA catches up) and counts 0, as does one in which no other zone
//     served requests (nothing to compare with). So service-wide errors single out no
//     zone.
//     error_rate_vs_other_zones = false judges the absolute rate. Latency is a zone's
//     own (a probe's), so it is judged absolutely;
//   - against the zone's own 7-day baseline: the median of its hourly mean latencies over
//     the last 7 days (at least 24 completed hours; the median keeps an incident shorter
//     than half the history from moving it), degradation = window median / baseline - 1,
//     the window median of the minute averages so that one bad minute (a 30 ms blip on
//     a 5 ms zone would move a 15-minute mean by 33%) does not shift a zone, while a
//     sustained small degradation (5 -> 7 ms) does: >= 20% is a warning, >= 30% makes
//     the zone a shift candidate;
//   - the shift decision is cross-zone, with an SRE's guardrails: at most
//     max_shifted_zones (1) zones shifted at a time, and never when fewer than
//     min_healthy_zones (2) healthy, unshifted zones would be left to carry the traffic.
//     With 3 zones that is "at most 1 of 3". When several zones degrade together the
//     cause is not zonal (a regional or service problem): no shift. Of the candidates
//     the worst (highest window average) is chosen.
//   - a shifted zone whose window is healthy again gets end_shift_recommended.
// Pure (no I/O). Thread-compatible. Tested by zone_health_test.cc.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::anomaly {

struct ZoneHealthOptions {
  Duration window{15 * 60};
  int min_points = 10;
  double avg_latency_threshold_s = 0.050;  // Window average above it: gray failure.
  double max_latency_threshold_s = 0.200;  // Window maximum above it: gray failure.
  // Gray failure when the window's mean, over the zone's minutes, of its per-minute
  // excess over the other zones' error rate is at or above this...
  double error_rate_threshold = 0.01;
  // ... each minute's excess capped here (the design's "1-5%": one minute of an
  // overload artefact cannot make a window alone)...
  double error_rate_cap = 0.05;
  // ... and the excess over the other zones' rate (false: over 0).
  bool error_rate_vs_other_zones = true;
  Duration baseline_span{7 * 24 * 3600};
  int min_baseline_hours = 24;     // Completed hours needed before a baseline exists.
  double warn_degradation = 0.20;  // Window average >= (1 + this) x baseline: warning.
  double shift_degradation = 0.30;
  int max_shifted_zones = 1;
  int min_healthy_zones = 2;  // Healthy, unshifted zones that must remain besides.
};

// One zone, one minute.
struct ZonePoint {
  Timestamp time;  // Start of the minute.
  double avg_latency_s = 0;
  double max_latency_s = 0;
  std::optional<double> error_rate;  // Failed or timed-out share of its requests, [0, 1].
};

enum class ZoneState { kHealthy, kInsufficientData, kWarning, kGrayFailure };
std::string_view ZoneStateName(ZoneState s);  // "healthy", "insufficient-data", ...

struct ZoneHealth {
  std::string zone;
  ZoneState state = ZoneState::kInsufficientData;
  std::string reason;  // "window avg 152.0 ms > 50.0 ms (15 points)".
  int points = 0;      // In the window.
  double window_avg_latency_s = 0;
  double window_max_latency_s = 0;
  double window_median_latency_s = 0;       // Set when there is a baseline.
  std::optional<double> window_error_rate;  // Unset: no point in the window had one.
  double window_error_excess = 0;           // What the error rule judges (see options).
  std::optional<double> baseline_latency_s;
  std::optional<double> degradation;  // window median / baseline - 1.
  bool shift_candidate = false;       // Gray failure, or degradation >= shift_degradation.
  bool shifted = false;               // As told by SetShifted.
  bool shift_recommended = false;     // At most one zone per evaluation.
  bool end_shift_recommended = false;
};

class ZoneHealthDetector {
 public:
  // InvalidArgument for no zone, a duplicate zone, or options out of range.
  static Result<ZoneHealthDetector> Create(std::vector<std::string> zones,
                                           ZoneHealthOptions options = {});

  // InvalidArgument for an unknown zone, a time not after the zone's last point, or a
  // latency/error rate that is negative, not finite, or (error rate) above 1.
  Status Add(std::string_view zone, const ZonePoint& point);
  // Whether traffic is shifted away from the zone now (the caller acts; this remembers).
  Status SetShifted(std::string_view zone, bool shifted);

  // Every zone's health at `now` (the window is [now - window, now)), in zone order.
  std::vector<ZoneHealth> Evaluate(Timestamp now) const;

  const ZoneHealthOptions& options() const { return options_; }
  const std::vector<std::string>& zones() const { return zones_; }

 private:
  struct Hour {
    int64_t hour = 0;  // Seconds since the epoch / 3600.
    double sum = 0;
    int count = 0;
  };
  struct Zone {
    std::deque<ZonePoint> recent;  // Within the window of the last point.
    std::deque<Hour> hours;        // Hourly means, the last one possibly incomplete.
    bool shifted = false;
  };
  ZoneHealthDetector(std::vector<std::string> zones, ZoneHealthOptions options);
  int Find(std::string_view zone) const;
  struct ErrorExcess {
    bool compared = false;  // Some other zone reported an error rate in those minutes.
    double others = 0;      // Mean over the zone's minutes of the others' median.
    double excess = 0;      // Mean over the zone's minutes of its capped excess.
    int service_wide_minutes = 0;
    int alone_minutes = 0;  // No other zone reported an error rate.
  };
  ErrorExcess Excess(size_t i, Timestamp now) const;
  ZoneHealth EvaluateZone(size_t i, Timestamp now, const ErrorExcess& e) const;
  std::optional<double> Baseline(const Zone& z, Timestamp now) const;

  std::vector<std::string> zones_;
  ZoneHealthOptions options_;
  std::vector<Zone> state_;
};

}  // namespace prescient::anomaly
