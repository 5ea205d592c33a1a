// What the CSV-in, text-out jobs (forecast, detect) share: reading the input series and
// writing the result to a file or stdout, each failure one line naming the file.
// Thread-compatible (writes std::cout). Tested through the jobs' tests.
#pragma once

#include <string>

#include "prescient/core/result.h"
#include "prescient/core/series.h"

namespace prescient::app {

// The series in `path` (metrics/series_csv.h); InvalidArgument with fewer than 2 points,
// since the step is not known then.
Result<Series> ReadInputSeries(const std::string& path);

// Writes `text` to `path`, or to stdout when `path` is "" or "-".
Status WriteOutput(const std::string& path, const std::string& text);

}  // namespace prescient::app
