#include "prescient/app/forecast_job.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prescient/app/job_io.h"
#include "prescient/forecast/seasonality.h"
#include "prescient/metrics/series_csv.h"

namespace prescient::app {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string LevelName(double level) {
  // 80 -> "80", 97.5 -> "97.5".
  return Num(level);
}

std::string ToCsv(const Series& history, const forecast::Forecast& f) {
  std::ostringstream out;
  out << "timestamp,yhat";
  for (const forecast::Band& b : f.bands) {
    out << ",yhat_lower_" << LevelName(b.level) << ",yhat_upper_" << LevelName(b.level);
  }
  out << '\n';
  for (size_t h = 0; h < f.mean.size(); ++h) {
    out << FormatTimestamp(history.TimeAt(history.size() + h)) << ',' << Num(f.mean[h]);
    for (const forecast::Band& b : f.bands) out << ',' << Num(b.lower[h]) << ',' << Num(b.upper[h]);
    out << '\n';
  }
  return out.str();
}

std::string ToJson(const Series& history, const forecast::Forecast& f) {
  nlohmann::json j;
  j["model"] = f.model;
  j["interval_method"] = f.interval_method;
  j["step_seconds"] = history.step().count();
  j["notes"] = f.notes;
  nlohmann::json points = nlohmann::json::array();
  for (size_t h = 0; h < f.mean.size(); ++h) {
    nlohmann::json p;
    p["timestamp"] = FormatTimestamp(history.TimeAt(history.size() + h));
    p["yhat"] = f.mean[h];
    for (const forecast::Band& b : f.bands) {
      p["yhat_lower_" + LevelName(b.level)] = b.lower[h];
      p["yhat_upper_" + LevelName(b.level)] = b.upper[h];
    }
    points.push_back(std::move(p));
  }
  j["points"] = std::move(points);
  return j.dump(2) + "\n";
}

}  // namespace

Status RunForecastJob(const ForecastJobOptions& options, std::ostream& notes) {
  Result<Series> series = ReadInputSeries(options.input);
  if (!series.ok()) return series.status();
  forecast::ForecastOptions fo;
  fo.model = options.model;
  fo.horizon = options.horizon;
  fo.levels = options.levels;
  fo.periods =
      options.periods.has_value() ? *options.periods : forecast::DefaultPeriods(series->step());
  Result<forecast::Forecast> f = forecast::ForecastValues(series->values(), fo);
  if (!f.ok()) return f.status().WithContext(options.input);
  for (const std::string& note : f->notes) notes << "prescient: note: " << note << '\n';
  if (options.verbose) {
    notes << "prescient: note: " << series->size() << " points every "
          << FormatDuration(series->step()) << "; model " << f->model << "; intervals "
          << f->interval_method << '\n';
  }
  const std::string text =
      options.format == OutputFormat::kJson ? ToJson(*series, *f) : ToCsv(*series, *f);
  return WriteOutput(options.output, text);
}

}  // namespace prescient::app
