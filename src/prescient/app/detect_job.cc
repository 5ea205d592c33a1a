#include "prescient/app/detect_job.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prescient/app/job_io.h"
#include "prescient/metrics/series_csv.h"

namespace prescient::app {
namespace {

std::string Num(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

nlohmann::json JsonNum(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

std::string ToCsv(const Series& series, const std::vector<anomaly::DetectorPoint>& points) {
  std::ostringstream out;
  out << "timestamp,value,expected,lower,upper,score,anomaly\n";
  for (size_t i = 0; i < points.size(); ++i) {
    const anomaly::BandPoint& b = points[i].band;
    out << FormatTimestamp(series.TimeAt(i)) << ',' << Num(series[i]) << ',' << Num(b.expected)
        << ',' << Num(b.lower) << ',' << Num(b.upper) << ',' << Num(points[i].score) << ','
        << (points[i].anomaly ? 1 : 0) << '\n';
  }
  return out.str();
}

std::string ToJson(const Series& series, const std::vector<anomaly::DetectorPoint>& points,
                   double band_width) {
  nlohmann::json j;
  j["step_seconds"] = series.step().count();
  j["band_width"] = band_width;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < points.size(); ++i) {
    const anomaly::BandPoint& b = points[i].band;
    rows.push_back({{"timestamp", FormatTimestamp(series.TimeAt(i))},
                    {"value", JsonNum(series[i])},
                    {"expected", b.expected},
                    {"lower", b.lower},
                    {"upper", b.upper},
                    {"score", points[i].score},
                    {"anomaly", points[i].anomaly},
                    {"trained", b.trained}});
  }
  j["points"] = std::move(rows);
  return j.dump(2) + "\n";
}

}  // namespace

Status RunDetectJob(const DetectJobOptions& options, std::ostream& notes) {
  Result<Series> series = ReadInputSeries(options.input);
  if (!series.ok()) return series.status();
  anomaly::BandOptions band;
  band.kind = options.kind;
  band.band_width = options.sigma;
  band.step = series->step();
  band.training = options.training;
  band.exclusions = options.exclusions;
  std::sort(band.exclusions.begin(), band.exclusions.end(),
            [](const auto& a, const auto& b) { return a.from < b.from; });
  // The band draws expected/lower/upper; the detector's score and alerts (sparse: one per
  // incident) fill score/anomaly. Its warm-up is the band's training period.
  anomaly::DetectorOptions detector_options;
  detector_options.band = std::move(band);
  detector_options.warmup_rows = 0;
  Result<anomaly::Detector> detector = anomaly::Detector::Create(std::move(detector_options));
  if (!detector.ok()) return detector.status();

  std::vector<anomaly::DetectorPoint> points;
  points.reserve(series->size());
  int64_t outside = 0, alerts = 0;
  const double band_width =
      options.sigma > 0 ? options.sigma : anomaly::DefaultBandWidth(options.kind);
  for (size_t i = 0; i < series->size(); ++i) {
    points.push_back(detector->Update(series->TimeAt(i), (*series)[i]));
    outside += points.back().band.anomaly;
    alerts += points.back().anomaly;
  }
  if (series->end() - series->start() < options.training) {
    notes << "prescient: note: " << options.input << " spans "
          << FormatDuration(series->end() - series->start()) << ", less than the training period "
          << FormatDuration(options.training) << ": nothing is flagged\n";
  }
  notes << "prescient: note: " << outside << " of " << series->size()
        << " points outside the band; " << alerts << " anomaly alerts\n";
  const std::string text = options.format == OutputFormat::kJson
                               ? ToJson(*series, points, band_width)
                               : ToCsv(*series, points);
  return WriteOutput(options.output, text);
}

}  // namespace prescient::app
