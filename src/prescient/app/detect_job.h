// The `prescient detect` job: read a series file, run the anomaly detector over it causally
// (each point judged on the history before it; anomaly/detector.h), write one row per point:
// timestamp,value,expected,lower,upper,score,anomaly. expected/lower/upper are the band;
// score and anomaly are the detector's (an alert is sparse: one per incident).
// Thread-compatible. Tested by detect_job_test.cc.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "prescient/anomaly/band_model.h"
#include "prescient/anomaly/detector.h"
#include "prescient/app/forecast_job.h"
#include "prescient/core/status.h"

namespace prescient::app {

struct DetectJobOptions {
  std::string input;   // Path, or "-" for stdin.
  std::string output;  // Path; empty or "-" for stdout.
  anomaly::MetricKind kind = anomaly::MetricKind::kOther;
  double sigma = 0;  // Band half-width in spreads; 0: the kind's default.
  Duration training = anomaly::kDefaultTraining;
  std::vector<anomaly::ExclusionWindow> exclusions;
  OutputFormat format = OutputFormat::kCsv;
};

// InvalidArgument for bad input, naming the file and line or the flag.
Status RunDetectJob(const DetectJobOptions& options, std::ostream& notes);

}  // namespace prescient::app
