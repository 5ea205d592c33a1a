// How the NAB score is computed. The specification is ../shared/data/nab/SCORING.md, itself
// a re-reading of numenta/NAB v1.1 (nab/sweeper.py, nab/scorer.py); the section numbers
// below are that document's.
//
// Per row the weight is what a detection there would add (section 4): inside a window
// [l, r] of width W, A_TP sigma(-(r - i + 1) / W) / sigma(-1), so the first row earns A_TP
// and the last almost nothing; outside, -A_FP before the file's first window and
// A_FP sigma((i - r_prev) / (W_prev - 1)) after one (a detection just after a window is
// nearly free). A window contributes its best detection or -A_FN; every detection outside a
// window adds its weight.
//
// The sweep (section 6) sorts the scorable rows once by score, descending, and adds one
// distinct score value at a time, keeping the running false-positive sum and each window's
// best weight, so every candidate threshold is scored in O(1) amortised and the whole sweep
// is O(n log n). Pitfalls the tests pin: probation min(floor(0.15 N), 750) rows, detection
// is score >= T, ties go to the higher threshold, FP weights are not divided by sigma(-1).
#include "prescient/anomaly/nab_scorer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace prescient::anomaly {
namespace {

Status CheckWindows(int64_t row_count, std::span<const NabWindow> windows) {
  int64_t previous_last = -1;
  for (size_t w = 0; w < windows.size(); ++w) {
    const NabWindow& window = windows[w];
    if (window.first > window.last || window.first <= previous_last || window.last >= row_count) {
      return InvalidArgumentError(
          "window " + std::to_string(w) + " [" + std::to_string(window.first) + ", " +
          std::to_string(window.last) + "] is empty, unsorted, overlapping or past the last row " +
          std::to_string(row_count - 1));
    }
    previous_last = window.last;
  }
  return OkStatus();
}

Status CheckScores(std::span<const double> scores) {
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
      return InvalidArgumentError("row " + std::to_string(i) + ": anomaly score " +
                                  std::to_string(scores[i]) + " is not in [0, 1]");
    }
  }
  return OkStatus();
}

int64_t WindowCountOrSum(std::span<const NabFile> files, int64_t window_count) {
  if (window_count > 0) return window_count;
  int64_t sum = 0;
  for (const NabFile& file : files) sum += static_cast<int64_t>(file.windows.size());
  return sum;
}

// A scorable row for the sweep: its score, its weight and its window (global id, or -1).
struct SweepRow {
  double score;
  double weight;
  int64_t window;
};

Result<std::vector<SweepRow>> CollectScorableRows(std::span<const NabFile> files,
                                                  const NabProfile& profile,
                                                  int64_t& counted_windows) {
  std::vector<SweepRow> rows;
  counted_windows = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    const NabFile& file = files[f];
    const auto n = static_cast<int64_t>(file.scores.size());
    PRESCIENT_RETURN_IF_ERROR(CheckScores(file.scores).WithContext("file " + std::to_string(f)));
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<double> weights,
                               NabRowWeights(n, file.windows, profile));
    const int64_t probation = NabProbationRows(n);
    size_t w = 0;
    for (int64_t i = probation; i < n; ++i) {
      while (w < file.windows.size() && file.windows[w].last < i) ++w;
      const bool inside = w < file.windows.size() && file.windows[w].first <= i;
      if (inside && (i == probation || i == file.windows[w].first)) ++counted_windows;
      rows.push_back({file.scores[i], weights[i], inside ? counted_windows - 1 : -1});
    }
  }
  return rows;
}

}  // namespace

double NabScaledSigmoid(double x) {
  if (x > 3.0) return -1.0;
  return 2.0 / (1.0 + std::exp(5.0 * x)) - 1.0;
}

int64_t NabProbationRows(int64_t row_count) {
  return std::min(static_cast<int64_t>(std::floor(0.15 * static_cast<double>(row_count))),
                  kNabMaxProbationRows);
}

Result<std::vector<double>> NabRowWeights(int64_t row_count, std::span<const NabWindow> windows,
                                          const NabProfile& profile) {
  PRESCIENT_RETURN_IF_ERROR(CheckWindows(row_count, windows));
  const double max_tp = NabScaledSigmoid(-1.0);
  std::vector<double> weights(static_cast<size_t>(std::max<int64_t>(row_count, 0)));
  const NabWindow* previous = nullptr;
  size_t w = 0;
  for (int64_t i = 0; i < row_count; ++i) {
    if (w < windows.size() && i > windows[w].last) previous = &windows[w++];
    if (w < windows.size() && i >= windows[w].first) {
      const double width = static_cast<double>(windows[w].last - windows[w].first + 1);
      const double x = -static_cast<double>(windows[w].last - i + 1) / width;
      weights[i] = profile.a_tp * NabScaledSigmoid(x) / max_tp;
    } else if (previous == nullptr) {
      weights[i] = -profile.a_fp;
    } else {
      const double previous_width = static_cast<double>(previous->last - previous->first + 1);
      const double x = static_cast<double>(i - previous->last) / (previous_width - 1.0);
      weights[i] = profile.a_fp * NabScaledSigmoid(x);
    }
  }
  return weights;
}

Result<NabScore> NabScoreAt(std::span<const NabFile> files, const NabProfile& profile,
                            double threshold, int64_t window_count) {
  NabScore result;
  result.threshold = threshold;
  for (size_t f = 0; f < files.size(); ++f) {
    const NabFile& file = files[f];
    const auto n = static_cast<int64_t>(file.scores.size());
    PRESCIENT_RETURN_IF_ERROR(CheckScores(file.scores).WithContext("file " + std::to_string(f)));
    PRESCIENT_ASSIGN_OR_RETURN(std::vector<double> weights,
                               NabRowWeights(n, file.windows, profile));
    const int64_t probation = NabProbationRows(n);
    size_t w = 0;
    bool window_counted = false;  // The current window has a scorable row.
    double best = -std::numeric_limits<double>::infinity();
    auto close_window = [&] {
      if (window_counted) result.raw += std::isfinite(best) ? best : -profile.a_fn;
      window_counted = false;
      best = -std::numeric_limits<double>::infinity();
    };
    for (int64_t i = probation; i < n; ++i) {
      while (w < file.windows.size() && file.windows[w].last < i) {
        close_window();
        ++w;
      }
      const bool inside = w < file.windows.size() && file.windows[w].first <= i;
      const bool detected = file.scores[i] >= threshold;
      if (inside) {
        window_counted = true;
        if (detected) {
          best = std::max(best, weights[i]);
          ++result.counts.tp;
        } else {
          ++result.counts.fn;
        }
      } else if (detected) {
        result.raw += weights[i];
        ++result.counts.fp;
      } else {
        ++result.counts.tn;
      }
    }
    close_window();
  }
  result.normalized = NabNormalize(result.raw, profile, WindowCountOrSum(files, window_count));
  return result;
}

Result<NabScore> NabOptimize(std::span<const NabFile> files, const NabProfile& profile,
                             int64_t window_count) {
  int64_t counted_windows = 0;
  PRESCIENT_ASSIGN_OR_RETURN(std::vector<SweepRow> rows,
                             CollectScorableRows(files, profile, counted_windows));
  std::sort(rows.begin(), rows.end(),
            [](const SweepRow& a, const SweepRow& b) { return a.score > b.score; });

  const double none = -std::numeric_limits<double>::infinity();
  std::vector<double> best(static_cast<size_t>(counted_windows), none);
  double score = -profile.a_fn * static_cast<double>(counted_windows);
  double best_score = score;
  double best_threshold = kNabNoDetectionThreshold;
  for (size_t i = 0; i < rows.size();) {
    const double value = rows[i].score;
    for (; i < rows.size() && rows[i].score == value; ++i) {
      const SweepRow& row = rows[i];
      if (row.window < 0) {
        score += row.weight;
      } else if (best[row.window] == none) {
        score += row.weight + profile.a_fn;
        best[row.window] = row.weight;
      } else if (row.weight > best[row.window]) {
        score += row.weight - best[row.window];
        best[row.window] = row.weight;
      }
    }
    if (score > best_score) {
      best_score = score;
      best_threshold = value;
    }
  }
  // Re-score at the chosen threshold for the counts (and a sum in file order).
  return NabScoreAt(files, profile, best_threshold, window_count);
}

double NabNormalize(double raw, const NabProfile& profile, int64_t window_count) {
  const auto k = static_cast<double>(window_count);
  const double null_score = -profile.a_fn * k;
  const double perfect_score = profile.a_tp * k;
  if (perfect_score == null_score) return 0.0;
  return 100.0 * (raw - null_score) / (perfect_score - null_score);
}

}  // namespace prescient::anomaly
