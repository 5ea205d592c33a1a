// The `prescient forecast` job: read a series file, forecast it, write the forecast.
// Thread-compatible. Tested by cli/cli_test.cc (through the binary).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "prescient/core/status.h"
#include "prescient/forecast/forecaster.h"

namespace prescient::app {

enum class OutputFormat { kCsv, kJson };

struct ForecastJobOptions {
  std::string input;   // Path, or "-" for stdin.
  std::string output;  // Path; empty or "-" for stdout.
  int horizon = 0;
  std::string model = "auto";
  std::optional<std::vector<int>> periods;  // Unset: from the step (DefaultPeriods).
  std::vector<double> levels = forecast::kDefaultLevels;
  OutputFormat format = OutputFormat::kCsv;
  bool verbose = false;  // Also note the fitted model and the interval method.
};

// Notes (fallbacks, dropped seasons) go to `notes`, one line each. InvalidArgument for bad
// input, naming the file and line or the flag.
Status RunForecastJob(const ForecastJobOptions& options, std::ostream& notes);

}  // namespace prescient::app
