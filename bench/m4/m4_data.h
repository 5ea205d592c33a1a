// M4 data files (one row per series: id, then values, padded with empty fields) and the
// forecast files the benchmark exchanges with the peers: header id,ms,F1..Fh,L1..Lh,U1..Uh.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prescient/core/result.h"

namespace prescient::bench {

struct M4Series {
  std::string id;
  std::vector<double> values;
};

Result<std::vector<M4Series>> ReadM4(const std::string& path);

struct MethodForecast {
  double ms = 0;
  std::vector<double> mean, lower, upper;  // lower/upper: 95% interval (may be empty).
};

// id -> forecast.
Result<std::map<std::string, MethodForecast>> ReadForecasts(const std::string& path, int horizon);

}  // namespace prescient::bench
