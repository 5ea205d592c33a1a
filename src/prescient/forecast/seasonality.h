// Seasonality helpers: the autocorrelation function and M4's 90% seasonality test, and the
// default seasonal periods for a sampling step.
// Pure functions, thread-safe. Tested by naive_test.cc.
#pragma once

#include <span>
#include <vector>

#include "prescient/core/time.h"

namespace prescient::forecast {

// Sample autocorrelations r_1..r_max_lag as R's acf() computes them (mean removed,
// denominator n * variance).
std::vector<double> Autocorrelation(std::span<const double> y, int max_lag);

// M4's test (the organisers' SeasonalityTest): seasonal when |r_m| exceeds
// 1.645 / sqrt(n) * sqrt(1 + 2 * sum_{k<m} r_k^2), i.e. significant at 90%; needs at
// least 3 full periods.
bool IsSeasonal(std::span<const double> y, int period);

// Hourly: 24, 168; 5-minute: 288, 2016; 1-minute: 1440, 10080; daily: 7; other steps:
// the daily and weekly cycles when they are whole numbers of steps, else none.
std::vector<int> DefaultPeriods(Duration step);

}  // namespace prescient::forecast
