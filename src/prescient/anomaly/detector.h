// Detector: a streaming anomaly detector for one metric: the seasonal band model
// (band_model.h) plus the scoring that turns its deviations into sparse alerts, one row at a
// time. Each row is judged on itself and earlier rows only (strictly causal: no series
// length, minimum or maximum, no look-ahead). O(1) amortised per row.
// Thread-compatible. Tested by detector_test.cc; scored on NAB by bench/anomaly/nab_run.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "prescient/anomaly/band_model.h"
#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::anomaly {

// The defaults of the scoring part are the global parameters picked on the NAB corpus
// (docs/benchmarks.md); the band's own defaults are the product's (bench/anomaly/nab_run.cc
// uses faster band gains for NAB's short files).
struct DetectorOptions {
  // The band. A zero `band.step` is learned from the first `step_rows` rows (the median
  // positive gap); they are held back until then and score 0.
  BandOptions band;
  int step_rows = 10;

  // Raw surprise of a row: r = 1 - exp(-max(0, |deviation| - raw_floor) / raw_scale), in
  // [0, 1): 0 within raw_floor spreads of the expected value.
  double raw_floor = 2.0;
  double raw_scale = 5.0;

  // Anomaly likelihood (after Ahmad et al., "Unsupervised real-time anomaly detection for
  // streaming data", Neurocomputing 2017, and Numenta's anomaly_likelihood.py): m = the mean
  // of the last `short_window` raw scores is compared with a Gaussian fitted to the m of the
  // last `history` rows (mean floored at min_mean, deviation at min_stdev); the right-tail
  // probability q is log-scaled, score = min(1, -log10(q) / 10), so 0.5 is q = 1e-5.
  int short_window = 10;
  int history = 1000;
  int learning_rows = 300;  // No likelihood before this many raw scores.
  double min_stdev = 0.01;
  double min_mean = 0.03;

  // Spatial anomaly (as Numenta's NAB detector): a value beyond the range seen so far by
  // more than this fraction of the range scores 1. < 0 disables.
  double spatial_tolerance = 0.05;

  // Post-processing: after an alert (score >= alert_level) the next `suppress_rows` rows
  // (sampling steps) score 0, so one incident alerts once. No row alerts before the band is
  // trained (band.training) nor among the first `warmup_rows` rows.
  double alert_level = 0.5;
  int suppress_rows = 100;
  int warmup_rows = 300;
};

struct DetectorPoint {
  BandPoint band;        // expected, lower, upper, deviation, band score.
  double score = 0;      // In [0, 1]; alerts are sparse.
  bool anomaly = false;  // score >= alert_level.
};

class Detector {
 public:
  // InvalidArgument on bad band options (if the step is given) or out-of-range options.
  static Result<Detector> Create(DetectorOptions options);

  // Judges (t, value) on the rows before it, then learns from it. NaN: missing.
  DetectorPoint Update(Timestamp t, double value);

  const DetectorOptions& options() const { return options_; }

 private:
  explicit Detector(DetectorOptions options);
  DetectorPoint Judge(Timestamp t, double value);
  double Likelihood(double raw);

  DetectorOptions options_;
  std::vector<BandModel> model_;  // Empty until the step is known.
  std::vector<std::pair<Timestamp, double>> pending_;
  int64_t judged_ = 0;

  // Likelihood state.
  std::vector<double> short_ring_;
  double short_sum_ = 0;
  int64_t raw_count_ = 0;
  std::vector<double> hist_ring_;
  double hist_sum_ = 0, hist_sq_ = 0;
  int64_t hist_count_ = 0;

  bool have_range_ = false;
  double min_ = 0, max_ = 0;
  int64_t suppressed_until_ = 0;
};

}  // namespace prescient::anomaly
