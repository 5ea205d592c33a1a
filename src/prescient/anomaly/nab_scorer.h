// NabScorer: the Numenta Anomaly Benchmark (NAB v1.1) score of a detector's per-row
// anomaly scores against labelled anomaly windows: the per-row scaled-sigmoid weights, the
// score at a threshold, the exhaustive threshold sweep and the normalisation against the
// null and perfect detectors (../shared/data/nab/SCORING.md, sections 3-7).
// Pure functions, thread-safe. Tested by nab_scorer_test.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::anomaly {

// Weights of true positives, false positives and false negatives (all positive).
struct NabProfile {
  std::string_view name;
  double a_tp = 1.0;
  double a_fp = 0.11;
  double a_fn = 1.0;
};
inline constexpr NabProfile kNabStandard{"standard", 1.0, 0.11, 1.0};
inline constexpr NabProfile kNabRewardLowFp{"reward_low_FP_rate", 1.0, 0.22, 1.0};
inline constexpr NabProfile kNabRewardLowFn{"reward_low_FN_rate", 1.0, 0.11, 2.0};
inline constexpr NabProfile kNabProfiles[] = {kNabStandard, kNabRewardLowFp, kNabRewardLowFn};

// "Nothing detected": a threshold above every valid score.
inline constexpr double kNabNoDetectionThreshold = 1.1;
// Long files learn for at most this many rows (min(floor(0.15 N), 750)).
inline constexpr int64_t kNabMaxProbationRows = 750;

// A labelled window: rows [first, last] of the file, both inclusive.
struct NabWindow {
  int64_t first = 0;
  int64_t last = 0;
};

// One data file: the detector's score for each row (in file order) and the windows.
struct NabFile {
  std::span<const double> scores;
  std::vector<NabWindow> windows;
};

struct NabCounts {
  int64_t tp = 0;  // Detected scorable rows inside windows (every row, not per window).
  int64_t fp = 0;
  int64_t fn = 0;
  int64_t tn = 0;
};

struct NabScore {
  double threshold = kNabNoDetectionThreshold;
  double raw = 0;         // S(T), the sum over files.
  double normalized = 0;  // 100 (S - S_null) / (S_perfect - S_null).
  NabCounts counts;
};

// The scaled sigmoid 2 / (1 + e^(5x)) - 1 for x <= 3, else -1.
double NabScaledSigmoid(double x);

// Rows [0, NabProbationRows(n)) are never scored.
int64_t NabProbationRows(int64_t row_count);

// What each row of a file would add to S if it were a detection (SCORING.md section 4).
// InvalidArgument if the windows are unsorted, overlapping or outside the file.
Result<std::vector<double>> NabRowWeights(int64_t row_count, std::span<const NabWindow> windows,
                                          const NabProfile& profile);

// The corpus score at one threshold (detections: scorable rows with score >= threshold).
// `window_count` normalises (NAB uses the windows file's total, 116); 0 means the sum over
// `files`. InvalidArgument on a score outside [0, 1] or bad windows.
Result<NabScore> NabScoreAt(std::span<const NabFile> files, const NabProfile& profile,
                            double threshold, int64_t window_count = 0);

// The threshold maximising S over 1.1 and every distinct scorable score; ties go to the
// highest threshold. O(n log n) in the number of scorable rows.
Result<NabScore> NabOptimize(std::span<const NabFile> files, const NabProfile& profile,
                             int64_t window_count = 0);

// 100 (raw + A_FN K) / (A_TP K + A_FN K).
double NabNormalize(double raw, const NabProfile& profile, int64_t window_count);

}  // namespace prescient::anomaly
