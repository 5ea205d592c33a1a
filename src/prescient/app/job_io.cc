#include "prescient/app/job_io.h"

#include <fstream>
#include <iostream>

#include "prescient/metrics/series_csv.h"

namespace prescient::app {

Result<Series> ReadInputSeries(const std::string& path) {
  Result<Series> series = metrics::ReadSeriesCsv(path);
  if (!series.ok()) return series.status();
  if (series->size() < 2) {
    return InvalidArgumentError(path + ": need at least 2 points to know the step");
  }
  return series;
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? OkStatus() : Status(StatusCode::kDataLoss, "write to stdout failed");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status(StatusCode::kPermissionDenied, path + ": cannot open for writing");
  out << text;
  out.close();
  if (!out) return Status(StatusCode::kDataLoss, path + ": write failed");
  return OkStatus();
}

}  // namespace prescient::app
