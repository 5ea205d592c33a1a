// The detector: band deviation -> raw surprise -> anomaly likelihood (or a new extreme) ->
// suppression.
//
// Why these steps. The band's deviation alone (alert when |deviation| beats the largest of
// the last few hundred rows) scored 52.9 on NAB: noisy series pay for many false positives
// and a step change alerts late. The likelihood judges a row by how unusual the recent
// *average* surprise is for this series: a noisy series has a high, wide baseline of raw
// scores and needs a larger excursion to alert, and a run of moderate deviations (a level
// shift) adds up within `short_window` rows. The spatial test catches a value outside
// everything seen so far even when the band has learned a wide spread. Suppression turns
// an incident into one alert: NAB counts the first detection in a window and charges every
// detection outside one.
//
// Cost per row: the band's O(1) update, two ring buffers (short window, history) with
// running sums, one erfc. The running sums of the history drift by rounding over very long
// series; they are rebuilt from the ring once per `history` rows.
#include "prescient/anomaly/detector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace prescient::anomaly {
namespace {

// Upper tail of the standard normal, log10, stable far out.
double Log10Tail(double z) {
  const double q = 0.5 * std::erfc(z / std::numbers::sqrt2);
  if (q > 1e-300) return std::log10(q);
  // Mills ratio for very large z.
  return (-0.5 * z * z - std::log(z * std::sqrt(2 * std::numbers::pi))) / std::numbers::ln10;
}

}  // namespace

Result<Detector> Detector::Create(DetectorOptions options) {
  if (options.band.step < Duration::zero()) {
    return InvalidArgumentError("detector: band step must be >= 0 (0: learned)");
  }
  BandOptions probe_options = options.band;  // Checks the rest of the band's options.
  if (probe_options.step == Duration::zero()) probe_options.step = Duration(300);
  Result<BandModel> probe = BandModel::Create(std::move(probe_options));
  if (!probe.ok()) return probe.status();
  if (options.step_rows < 2) return InvalidArgumentError("detector: step_rows must be >= 2");
  if (!(options.raw_scale > 0)) return InvalidArgumentError("detector: raw_scale must be > 0");
  if (options.short_window < 1 || options.history < 2) {
    return InvalidArgumentError("detector: short_window must be >= 1 and history >= 2");
  }
  if (options.suppress_rows < 0 || options.warmup_rows < 0 || options.learning_rows < 0) {
    return InvalidArgumentError("detector: row counts must be >= 0");
  }
  return Detector(std::move(options));
}

Detector::Detector(DetectorOptions options) : options_(std::move(options)) {
  short_ring_.assign(options_.short_window, 0.0);
  hist_ring_.assign(options_.history, 0.0);
  if (options_.band.step > Duration::zero()) {
    model_.push_back(std::move(*BandModel::Create(options_.band)));
  }
}

DetectorPoint Detector::Update(Timestamp t, double value) {
  if (!std::isfinite(value)) value = std::numeric_limits<double>::quiet_NaN();  // Missing.
  if (model_.empty()) {
    pending_.emplace_back(t, value);
    if (static_cast<int>(pending_.size()) < options_.step_rows) {
      DetectorPoint p;
      p.band.expected = p.band.lower = p.band.upper = value;
      return p;
    }
    std::vector<int64_t> gaps;
    for (size_t i = 1; i < pending_.size(); ++i) {
      const int64_t gap = (pending_[i].first - pending_[i - 1].first).count();
      if (gap > 0) gaps.push_back(gap);
    }
    std::sort(gaps.begin(), gaps.end());
    BandOptions band = options_.band;
    band.step = Duration(gaps.empty() ? 300 : gaps[gaps.size() / 2]);
    Result<BandModel> model = BandModel::Create(band);  // Valid: Create checked the rest.
    model_.push_back(std::move(*model));
    std::vector<std::pair<Timestamp, double>> rows = std::move(pending_);
    pending_.clear();
    rows.pop_back();
    for (const auto& [pt, pv] : rows) Judge(pt, pv);
  }
  return Judge(t, value);
}

double Detector::Likelihood(double raw) {
  const int sw = options_.short_window;
  const size_t si = static_cast<size_t>(raw_count_ % sw);
  short_sum_ += raw - short_ring_[si];
  short_ring_[si] = raw;
  ++raw_count_;
  const double avg = short_sum_ / static_cast<double>(std::min<int64_t>(raw_count_, sw));
  double score = 0;
  if (hist_count_ >= 2) {
    const double n = static_cast<double>(std::min<int64_t>(hist_count_, options_.history));
    const double mean = std::max(hist_sum_ / n, options_.min_mean);
    const double var = std::max(0.0, hist_sq_ / n - (hist_sum_ / n) * (hist_sum_ / n));
    const double sd = std::max(std::sqrt(var), options_.min_stdev);
    const double z = (avg - mean) / sd;
    if (raw_count_ > options_.learning_rows && z > 0) score = std::min(1.0, -Log10Tail(z) / 10.0);
  }
  if (raw_count_ > options_.learning_rows / 2) {
    const size_t hi = static_cast<size_t>(hist_count_ % options_.history);
    if (hist_count_ >= options_.history) {
      hist_sum_ -= hist_ring_[hi];
      hist_sq_ -= hist_ring_[hi] * hist_ring_[hi];
    }
    hist_ring_[hi] = avg;
    hist_sum_ += avg;
    hist_sq_ += avg * avg;
    ++hist_count_;
    if (hist_count_ % options_.history == 0) {  // Drop the rounding drift of the sums.
      hist_sum_ = hist_sq_ = 0;
      for (const double v : hist_ring_) hist_sum_ += v, hist_sq_ += v * v;
    }
  }
  return score;
}

DetectorPoint Detector::Judge(Timestamp t, double value) {
  DetectorPoint p;
  const int64_t row = judged_++;
  p.band = model_.front().Update(t, value);
  if (std::isnan(value)) return p;
  const double excess = std::max(0.0, std::abs(p.band.deviation) - options_.raw_floor);
  const double raw = 1.0 - std::exp(-excess / options_.raw_scale);
  double score = Likelihood(raw);

  if (options_.spatial_tolerance >= 0) {
    if (have_range_ && max_ > min_) {
      const double tol = (max_ - min_) * options_.spatial_tolerance;
      if (value > max_ + tol || value < min_ - tol) score = 1.0;
    }
    if (!have_range_) {
      min_ = max_ = value;
      have_range_ = true;
    }
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }

  if (!p.band.trained || row < options_.warmup_rows || row < suppressed_until_) score = 0;
  if (score >= options_.alert_level) {
    p.anomaly = true;
    suppressed_until_ = row + 1 + options_.suppress_rows;
  }
  p.score = score;
  return p;
}

}  // namespace prescient::anomaly
