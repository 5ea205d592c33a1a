// Reads a metric series from CSV: a header `timestamp,value`, then one point per line.
// Timestamps are ISO-8601 (Z or an offset) or epoch seconds, strictly increasing on a
// regular step (gaps allowed: they become missing values). An empty value is a missing
// point. Every error is one line "SOURCE:LINE: what is wrong".
// Pure functions, thread-safe. Tested by series_csv_test.cc and fuzz/series_csv_fuzzer.cc.
#pragma once

#include <string>
#include <string_view>

#include "prescient/core/result.h"
#include "prescient/core/series.h"

namespace prescient::metrics {

// Longest line we accept; a longer one is not a series file.
inline constexpr size_t kMaxCsvLineBytes = 4096;

// `source` names the input in error messages (a path, or "<stdin>").
Result<Series> ParseSeriesCsv(std::string_view text, std::string_view source);

// Reads and parses a file; "-" reads standard input.
Result<Series> ReadSeriesCsv(const std::string& path);

}  // namespace prescient::metrics
