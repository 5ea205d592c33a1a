// Fuzzes the series CSV reader, and the forecaster on whatever the reader accepts: any
// input must give a Series or one clean error line, never a crash, a hang or a non-finite
// forecast.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "prescient/forecast/forecaster.h"
#include "prescient/metrics/series_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  prescient::Result<prescient::Series> series =
      prescient::metrics::ParseSeriesCsv(text, "fuzz.csv");
  if (!series.ok()) {
    if (series.status().message().find('\n') != std::string::npos) std::abort();
    return 0;
  }
  if (series->size() > 5000) return 0;  // Keep each run fast; the reader is the target.
  prescient::forecast::ForecastOptions options;
  options.model = "snaive";
  options.periods = {4};
  options.horizon = 3;
  prescient::Result<prescient::forecast::Forecast> f =
      prescient::forecast::ForecastValues(series->values(), options);
  if (f.ok()) {
    for (double v : f->mean) {
      if (!std::isfinite(v)) std::abort();
    }
  }
  return 0;
}
