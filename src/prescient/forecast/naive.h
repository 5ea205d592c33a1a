// The benchmarks every other model must beat: naive (last value), seasonal naive (the
// value one season ago) and M4's Naive2 (naive on data seasonally adjusted by classical
// multiplicative decomposition, when M4's 90% autocorrelation test says seasonal).
// Thread-safe (stateless). Tested by naive_test.cc.
#pragma once

#include "prescient/forecast/model.h"

namespace prescient::forecast {

class NaiveModel final : public Model {
 public:
  std::string_view name() const override { return "naive"; }
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;
};

struct SeasonalNaiveOptions {
  // Which of the given periods to repeat: the shortest (the M4 benchmark's choice), or the
  // longest one that the history covers (a week of traffic repeats better than a day).
  bool use_longest_period = false;
};

class SeasonalNaiveModel final : public Model {
 public:
  explicit SeasonalNaiveModel(SeasonalNaiveOptions options = {}) : options_(options) {}
  std::string_view name() const override {
    return options_.use_longest_period ? "snaive-long" : "snaive";
  }
  // y[n + h] = y[n + h - m * k] for the smallest k >= 1 that lands in the history.
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;

 private:
  SeasonalNaiveOptions options_;
};

class Naive2Model final : public Model {
 public:
  std::string_view name() const override { return "naive2"; }
  // Uses the shortest period; non-positive data skip the (multiplicative) adjustment.
  Result<ModelForecast> Forecast(std::span<const double> history, std::span<const int> periods,
                                 int horizon) const override;
};

// Standard deviation of one-step naive errors times sqrt(h): the fallback interval scale.
std::vector<double> RandomWalkSd(std::span<const double> history, int horizon);

}  // namespace prescient::forecast
