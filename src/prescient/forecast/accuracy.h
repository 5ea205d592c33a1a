// Forecast accuracy measures: MAPE and accuracy = 100 - MAPE (MISSION.md section 8),
// sMAPE, MASE, OWA and MSIS as M4 defines them (Makridakis et al. 2020), interval
// coverage, and over- and under-prediction rates.
// Pure functions, thread-safe. Tested by accuracy_test.cc.
#pragma once

#include <span>

namespace prescient::forecast {

// Mean of 100 * |y - f| / |y| over points with y != 0; NaN if none.
double Mape(std::span<const double> actual, std::span<const double> forecast);
// 100 - MAPE, floored at 0.
double AccuracyPercent(std::span<const double> actual, std::span<const double> forecast);
// Mean of 200 * |y - f| / (|y| + |f|) (terms with both zero count as 0).
double Smape(std::span<const double> actual, std::span<const double> forecast);
// Mean absolute error over the in-sample mean absolute difference at `lag` (M4: the
// seasonal period; 1 for non-seasonal data).
double Mase(std::span<const double> actual, std::span<const double> forecast,
            std::span<const double> insample, int lag);
// Scaled interval score (M4) for a (1 - alpha) interval.
double Msis(std::span<const double> actual, std::span<const double> lower,
            std::span<const double> upper, std::span<const double> insample, int lag, double alpha);
// Share of actuals inside [lower, upper], in [0, 1].
double Coverage(std::span<const double> actual, std::span<const double> lower,
                std::span<const double> upper);
// Share of points where the forecast is above (over) or below (under) the actual.
double OverPredictionRate(std::span<const double> actual, std::span<const double> forecast);
double UnderPredictionRate(std::span<const double> actual, std::span<const double> forecast);
// M4's overall weighted average, relative to Naive2's sMAPE and MASE on the same series.
double Owa(double smape, double mase, double smape_naive2, double mase_naive2);
// In-sample mean absolute difference at `lag` (the MASE/MSIS scale); NaN if too short.
double SeasonalScale(std::span<const double> insample, int lag);

}  // namespace prescient::forecast
