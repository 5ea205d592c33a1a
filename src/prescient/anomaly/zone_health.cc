// The window is kept per zone as the points of the last `window` before its newest point
// (at most window / 1 min of them); the baseline as hourly sums, so a week costs 168
// numbers per zone and a median over them per evaluation.
#include "prescient/anomaly/zone_health.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace prescient::anomaly {
namespace {

std::string Ms(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", 1000 * s);
  return buf;
}

std::string Pct(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * f);
  return buf;
}

int64_t HourOf(Timestamp t) {
  return std::chrono::floor<std::chrono::hours>(t).time_since_epoch().count();
}

bool Finite(double x) { return std::isfinite(x); }

}  // namespace

std::string_view ZoneStateName(ZoneState s) {
  switch (s) {
    case ZoneState::kHealthy:
      return "healthy";
    case ZoneState::kInsufficientData:
      return "insufficient-data";
    case ZoneState::kWarning:
      return "warning";
    case ZoneState::kGrayFailure:
      return "gray-failure";
  }
  return "unknown";
}

ZoneHealthDetector::ZoneHealthDetector(std::vector<std::string> zones, ZoneHealthOptions options)
    : zones_(std::move(zones)), options_(options), state_(zones_.size()) {}

Result<ZoneHealthDetector> ZoneHealthDetector::Create(std::vector<std::string> zones,
                                                      ZoneHealthOptions options) {
  if (zones.empty()) return InvalidArgumentError("zone health: no zone");
  for (size_t i = 0; i < zones.size(); ++i) {
    if (zones[i].empty()) return InvalidArgumentError("zone health: empty zone name");
    for (size_t j = 0; j < i; ++j) {
      if (zones[i] == zones[j])
        return InvalidArgumentError("zone health: duplicate zone " + zones[i]);
    }
  }
  const ZoneHealthOptions& o = options;
  if (o.window.count() < 60) return InvalidArgumentError("zone health: window must be >= 1m");
  if (o.min_points < 1 || o.min_points > o.window.count() / 60) {
    return InvalidArgumentError("zone health: min_points must be in [1, window minutes]");
  }
  if (!(o.avg_latency_threshold_s > 0) || !(o.max_latency_threshold_s > 0) ||
      !(o.error_rate_threshold > 0 && o.error_rate_threshold <= 1) ||
      !(o.error_rate_cap >= o.error_rate_threshold)) {
    return InvalidArgumentError(
        "zone health: latency thresholds must be > 0, the error rate threshold in (0, 1], "
        "the cap at or above it");
  }
  if (o.baseline_span.count() < 3600 || o.min_baseline_hours < 1) {
    return InvalidArgumentError("zone health: baseline span >= 1h and min_baseline_hours >= 1");
  }
  if (!(o.warn_degradation > 0) || !(o.shift_degradation >= o.warn_degradation)) {
    return InvalidArgumentError("zone health: need 0 < warn_degradation <= shift_degradation");
  }
  if (o.max_shifted_zones < 0 || o.min_healthy_zones < 0) {
    return InvalidArgumentError("zone health: max_shifted_zones and min_healthy_zones >= 0");
  }
  return ZoneHealthDetector(std::move(zones), options);
}

int ZoneHealthDetector::Find(std::string_view zone) const {
  for (size_t i = 0; i < zones_.size(); ++i) {
    if (zones_[i] == zone) return static_cast<int>(i);
  }
  return -1;
}

Status ZoneHealthDetector::Add(std::string_view zone, const ZonePoint& point) {
  const int i = Find(zone);
  if (i < 0) return InvalidArgumentError("zone health: unknown zone " + std::string(zone));
  Zone& z = state_[static_cast<size_t>(i)];
  if (!z.recent.empty() && point.time <= z.recent.back().time) {
    return InvalidArgumentError("zone health: " + std::string(zone) + ": point at " +
                                FormatTimestamp(point.time) + " is not after the last one");
  }
  if (!Finite(point.avg_latency_s) || !Finite(point.max_latency_s) || point.avg_latency_s < 0 ||
      point.max_latency_s < 0) {
    return InvalidArgumentError("zone health: " + std::string(zone) +
                                ": latency must be finite and >= 0");
  }
  if (point.error_rate.has_value() &&
      !(Finite(*point.error_rate) && *point.error_rate >= 0 && *point.error_rate <= 1)) {
    return InvalidArgumentError("zone health: " + std::string(zone) +
                                ": error rate must be in [0, 1]");
  }
  z.recent.push_back(point);
  while (z.recent.front().time <= point.time - options_.window) z.recent.pop_front();
  const int64_t h = HourOf(point.time);
  if (z.hours.empty() || z.hours.back().hour != h) z.hours.push_back({h, 0, 0});
  z.hours.back().sum += point.avg_latency_s;
  ++z.hours.back().count;
  const int64_t oldest = h - options_.baseline_span.count() / 3600 - 1;
  while (z.hours.front().hour < oldest) z.hours.pop_front();
  return OkStatus();
}

Status ZoneHealthDetector::SetShifted(std::string_view zone, bool shifted) {
  const int i = Find(zone);
  if (i < 0) return InvalidArgumentError("zone health: unknown zone " + std::string(zone));
  state_[static_cast<size_t>(i)].shifted = shifted;
  return OkStatus();
}

std::optional<double> ZoneHealthDetector::Baseline(const Zone& z, Timestamp now) const {
  const int64_t current = HourOf(now);
  const int64_t first = HourOf(now - options_.baseline_span);
  std::vector<double> means;
  for (const Hour& h : z.hours) {
    if (h.hour >= first && h.hour < current && h.count > 0) means.push_back(h.sum / h.count);
  }
  if (static_cast<int>(means.size()) < options_.min_baseline_hours) return std::nullopt;
  const size_t mid = means.size() / 2;
  std::nth_element(means.begin(), means.begin() + static_cast<std::ptrdiff_t>(mid), means.end());
  double median = means[mid];
  if (means.size() % 2 == 0) {
    median = (median +
              *std::max_element(means.begin(), means.begin() + static_cast<std::ptrdiff_t>(mid))) /
             2;
  }
  return median;
}

// Minute by minute, over the zone's own minutes with an error rate: the other zones'
// rate that minute (median of the unshifted ones reporting one), and the zone's excess
// over it, capped at error_rate_cap. A minute in which the other zones fail too (their
// median at or above the threshold) is the service's (overload while the HPA catches
// up), not the zone's: its excess counts as 0; so does a minute in which no other zone
// served a request (all the pods in one zone, e.g. after a scale-down to one pod): the
// zone's errors cannot be told from the service's then (the latency rules still can). Comparing
// minute by minute matters: when pods start in a zone halfway through an overloaded minute, that
// zone's minute saw fewer of the failures, which a window-level comparison would read
// as the other zones failing.
ZoneHealthDetector::ErrorExcess ZoneHealthDetector::Excess(size_t i, Timestamp now) const {
  ErrorExcess e;
  double others_sum = 0, excess_sum = 0;
  int minutes = 0;
  std::vector<double> v;
  for (const ZonePoint& p : state_[i].recent) {
    if (p.time < now - options_.window || p.time >= now || !p.error_rate.has_value()) continue;
    ++minutes;
    double others = 0;
    if (options_.error_rate_vs_other_zones) {
      v.clear();
      for (size_t j = 0; j < zones_.size(); ++j) {
        if (j == i || state_[j].shifted) continue;
        for (const ZonePoint& q : state_[j].recent) {
          if (q.time == p.time && q.error_rate.has_value()) v.push_back(*q.error_rate);
        }
      }
      if (v.empty()) {
        ++e.alone_minutes;
        continue;
      }
      e.compared = true;
      std::sort(v.begin(), v.end());
      const size_t mid = v.size() / 2;
      others = v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
      if (others >= options_.error_rate_threshold) {
        ++e.service_wide_minutes;
        others_sum += others;
        continue;
      }
    }
    others_sum += others;
    excess_sum += std::min(options_.error_rate_cap, std::max(0.0, *p.error_rate - others));
  }
  if (minutes > 0) {
    e.others = others_sum / minutes;
    e.excess = excess_sum / minutes;
  }
  return e;
}

ZoneHealth ZoneHealthDetector::EvaluateZone(size_t i, Timestamp now, const ErrorExcess& e) const {
  const Zone& z = state_[i];
  ZoneHealth h;
  h.zone = zones_[i];
  h.shifted = z.shifted;
  double sum = 0, errors = 0;
  int with_errors = 0;
  std::vector<double> avgs;
  for (const ZonePoint& p : z.recent) {
    if (p.time < now - options_.window || p.time >= now) continue;
    ++h.points;
    sum += p.avg_latency_s;
    avgs.push_back(p.avg_latency_s);
    h.window_max_latency_s = std::max(h.window_max_latency_s, p.max_latency_s);
    if (p.error_rate.has_value()) {
      errors += *p.error_rate;
      ++with_errors;
    }
  }
  if (h.points > 0) h.window_avg_latency_s = sum / h.points;
  if (with_errors > 0) h.window_error_rate = errors / with_errors;
  h.baseline_latency_s = Baseline(z, now);
  if (h.points < options_.min_points) {
    h.state = ZoneState::kInsufficientData;
    h.reason = std::to_string(h.points) + " of " + std::to_string(options_.min_points) +
               " points needed in the window";
    return h;
  }
  const std::string n = " (" + std::to_string(h.points) + " points)";
  std::vector<std::string> gray;
  if (h.window_avg_latency_s > options_.avg_latency_threshold_s) {
    gray.push_back("window avg " + Ms(h.window_avg_latency_s) + " > " +
                   Ms(options_.avg_latency_threshold_s));
  }
  if (h.window_max_latency_s > options_.max_latency_threshold_s) {
    gray.push_back("window max " + Ms(h.window_max_latency_s) + " > " +
                   Ms(options_.max_latency_threshold_s));
  }
  std::string shared_errors;
  if (h.window_error_rate.has_value()) {
    h.window_error_excess = e.excess;
    const std::string vs = e.compared
                               ? " (" + Pct(e.excess) + " above the other zones' " + Pct(e.others) +
                                     ", capped at " + Pct(options_.error_rate_cap) + " a minute)"
                               : std::string();
    if (e.excess >= options_.error_rate_threshold) {
      gray.push_back("error rate " + Pct(*h.window_error_rate) + vs +
                     " >= " + Pct(options_.error_rate_threshold));
    } else if (e.service_wide_minutes > 0 || e.alone_minutes > 0) {
      shared_errors = "; errors not judged in " +
                      std::to_string(e.service_wide_minutes + e.alone_minutes) +
                      " minute(s): " + std::to_string(e.service_wide_minutes) +
                      " with errors in the other zones too (service-wide, not zonal), " +
                      std::to_string(e.alone_minutes) + " with no other zone serving";
    }
  }
  std::string baseline_reason;
  double degradation = 0;
  if (h.baseline_latency_s.has_value() && *h.baseline_latency_s > 0) {
    std::sort(avgs.begin(), avgs.end());
    const size_t mid = avgs.size() / 2;
    h.window_median_latency_s = avgs.size() % 2 == 1 ? avgs[mid] : (avgs[mid - 1] + avgs[mid]) / 2;
    degradation = h.window_median_latency_s / *h.baseline_latency_s - 1;
    h.degradation = degradation;
    baseline_reason = "window median " + Ms(h.window_median_latency_s) + " is " + Pct(degradation) +
                      " above the 7-day baseline " + Ms(*h.baseline_latency_s);
  }
  if (!gray.empty()) {
    h.state = ZoneState::kGrayFailure;
    h.shift_candidate = true;
    for (size_t k = 0; k < gray.size(); ++k) h.reason += (k ? "; " : "") + gray[k];
    h.reason += n;
  } else if (h.degradation.has_value() && degradation >= options_.warn_degradation) {
    h.state = ZoneState::kWarning;
    h.shift_candidate = degradation >= options_.shift_degradation;
    h.reason = baseline_reason + " (>= " +
               Pct(h.shift_candidate ? options_.shift_degradation : options_.warn_degradation) +
               ")" + n;
  } else {
    h.state = ZoneState::kHealthy;
    h.reason = "window avg " + Ms(h.window_avg_latency_s) + ", max " + Ms(h.window_max_latency_s) +
               n + shared_errors;
  }
  return h;
}

std::vector<ZoneHealth> ZoneHealthDetector::Evaluate(Timestamp now) const {
  std::vector<ZoneHealth> out;
  out.reserve(zones_.size());
  for (size_t i = 0; i < zones_.size(); ++i) {
    out.push_back(EvaluateZone(i, now, Excess(i, now)));
  }
  int shifted = 0, healthy = 0;
  int worst = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    const ZoneHealth& h = out[i];
    if (h.shifted) {
      ++shifted;
      continue;
    }
    if (h.state == ZoneState::kHealthy) ++healthy;
    if (h.shift_candidate &&
        (worst < 0 ||
         h.window_avg_latency_s > out[static_cast<size_t>(worst)].window_avg_latency_s)) {
      worst = static_cast<int>(i);
    }
  }
  for (ZoneHealth& h : out) {
    if (h.shifted && h.state == ZoneState::kHealthy) h.end_shift_recommended = true;
  }
  if (worst < 0) return out;
  ZoneHealth& w = out[static_cast<size_t>(worst)];
  // The candidate itself is not healthy, so every healthy zone counted is another one.
  if (shifted + 1 > options_.max_shifted_zones) {
    w.reason += "; no shift: " + std::to_string(shifted) + " zone(s) already shifted (max " +
                std::to_string(options_.max_shifted_zones) + ")";
  } else if (healthy < options_.min_healthy_zones) {
    w.reason += "; no shift: only " + std::to_string(healthy) +
                " other healthy zone(s) would be left (need " +
                std::to_string(options_.min_healthy_zones) + ")";
  } else {
    w.shift_recommended = true;
    w.reason += "; zonal shift recommended";
  }
  return out;
}

}  // namespace prescient::anomaly
