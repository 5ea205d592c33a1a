// NabCorpus: reads the Numenta Anomaly Benchmark copy in ../shared/data/nab (its README):
// the 58 data files with their labelled windows as row ranges, and stored detector results.
// Test and benchmark support only (file I/O). Thread-compatible. Tested by
// anomaly/nab_scorer_test.cc.
#pragma once

#include <string>
#include <vector>

#include "prescient/anomaly/nab_scorer.h"
#include "prescient/core/result.h"

namespace prescient::testing {

struct NabCorpusFile {
  std::string key;                      // "realKnownCause/nyc_taxi.csv"
  std::vector<std::string> timestamps;  // As written ("2014-07-01 00:00:00"), file order.
  std::vector<double> values;
  std::vector<anomaly::NabWindow> windows;  // Row ranges: first row matching each edge.
};

// The path PRESCIENT_SOURCE_DIR "/../shared/data/nab", or "" if it is not there.
std::string FindNabRoot(const std::string& source_dir);

// Every file named in labels/combined_windows.json, sorted by key. InvalidArgument names
// the file and line (or the window edge) that is wrong.
Result<std::vector<NabCorpusFile>> LoadNabCorpus(const std::string& root);

// The anomaly_score column of <results_dir>/<key> (same rows as the data file).
Result<std::vector<double>> LoadNabScores(const std::string& results_dir, const std::string& key);

}  // namespace prescient::testing
