// Notes on the choices here.
// * Buckets, not minutes: a 5-minute mean is what the sizing needs (pods take minutes to
//   start) and cuts the forecaster's work by five; seasons are a day and a week in
//   buckets, and the forecaster drops the weekly one until two weeks of history exist.
// * The bucket in progress is forecast too (its mean is not known yet), so the plan
//   always covers now.
// * Selection and calibration (backtests of every candidate) run once a day; the
//   15-minute refreshes refit the chosen model on the newest history. That keeps a
//   refresh well under a millisecond while the choice stays current.
// * Accuracy is scored on every bucket of every forecast against the bucket's real mean
//   once it is known: the 0-2 h-ahead MAPE of the forecasts the policy acted on.
#include "prescient/scaling/predictive_policy.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "prescient/forecast/accuracy.h"

namespace prescient::scaling {
namespace {

Timestamp FloorTo(Timestamp t, Duration step) {
  const int64_t s = t.time_since_epoch().count();
  const int64_t k = step.count();
  return Timestamp(Duration(s - ((s % k) + k) % k));
}

// Mean (or the highest minute, when `peak`) of the minutes of `minutes` inside
// [from, from + bucket); NaN unless the bucket lies inside the series with a value.
double BucketValue(const Series& minutes, Timestamp from, Duration bucket, bool peak) {
  const int64_t first = (from - minutes.start()).count() / 60;
  const int64_t n = bucket.count() / 60;
  double sum = 0;
  int count = 0;
  for (int64_t i = std::max<int64_t>(0, first); i < first + n; ++i) {
    if (i >= static_cast<int64_t>(minutes.size())) break;
    const double v = minutes[static_cast<size_t>(i)];
    if (std::isnan(v)) continue;
    sum = peak ? std::max(sum, v) : sum + v;
    ++count;
  }
  if (peak && count > 0 && first >= 0 && first + n <= static_cast<int64_t>(minutes.size()))
    return sum;
  return count > 0 && first >= 0 && first + n <= static_cast<int64_t>(minutes.size())
             ? sum / count
             : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

PredictivePolicy::PredictivePolicy(PredictiveOptions options)
    : ScheduledPolicy(options.schedule), options_(options) {}

Status PredictivePolicy::Refresh(ScalingTarget& target) {
  const Timestamp now = target.Now();
  Status status = OkStatus();
  if (!have_forecast_ || now >= next_refresh_) {
    status = Forecast(target, now);
    // On failure try again next tick; the old plan (if any) stays in force.
    next_refresh_ = status.ok() ? now + options_.refresh : now + Duration(60);
  }
  UpdateCurrent(now);
  return status;
}

Status PredictivePolicy::Forecast(ScalingTarget& target, Timestamp now) {
  const Series history = target.LoadHistory(options_.history);
  const Duration bucket = options_.bucket;
  const Timestamp current = FloorTo(now, bucket);  // The bucket in progress.
  Timestamp first = FloorTo(history.start(), bucket);
  if (first < history.start()) first += bucket;
  std::vector<double> values;
  for (Timestamp b = first; b + bucket <= current; b += bucket) {
    values.push_back(BucketValue(history, b, bucket, options_.peak));
  }
  const auto min_buckets = static_cast<size_t>(kMinimumHistory / bucket);
  if (values.size() < min_buckets) {
    return FailedPreconditionError("predictive: " + std::to_string(values.size()) + " buckets of " +
                                   FormatDuration(bucket) + " history; need " +
                                   FormatDuration(kMinimumHistory));
  }
  forecast::ForecastOptions fo;
  fo.model = options_.model;
  const int day = static_cast<int>(Duration(86400) / bucket);
  const int week = static_cast<int>(Duration(7 * 86400) / bucket);
  fo.periods = {day};
  if (values.size() >= static_cast<size_t>(2 * week)) fo.periods.push_back(week);
  fo.horizon = static_cast<int>((options_.horizon + bucket - Duration(1)) / bucket) + 1;
  fo.levels = {options_.level};
  Result<forecast::Forecast> result = InternalError("unset");
  if (calibration_.has_value() && now < next_reselect_ && fo.periods == calibrated_periods_) {
    result = forecast::ForecastWithCalibration(values, fo, *calibration_);
  } else {
    forecast::Calibration calibration;
    result = forecast::ForecastValues(values, fo, &calibration);
    if (result.ok()) {
      calibration_ = std::move(calibration);
      calibrated_periods_ = fo.periods;
      next_reselect_ = now + options_.reselect;
    }
  }
  if (!result.ok()) return result.status();
  forecast::Forecast f = std::move(result).value();
  Made made{current, std::move(f.mean), std::move(f.bands.front().upper)};
  plan_.clear();
  for (double u : made.upper) {
    plan_.push_back(PodsForLoad(u, options().capacity_rps, options().min_replicas));
  }
  made_.push_back(std::move(made));
  have_forecast_ = true;
  return OkStatus();
}

std::optional<int> PredictivePolicy::PlannedAt(Timestamp t) const {
  if (made_.empty()) return std::nullopt;
  const Made& m = made_.back();
  if (t < m.start) return std::nullopt;
  const auto i = static_cast<size_t>((t - m.start) / options_.bucket);
  if (i >= plan_.size()) return std::nullopt;
  return plan_[i];
}

void PredictivePolicy::UpdateCurrent(Timestamp now) {
  current_mean_ = current_upper_ = std::numeric_limits<double>::quiet_NaN();
  if (made_.empty()) return;
  const Made& m = made_.back();
  if (now < m.start) return;
  const auto i = static_cast<size_t>((now - m.start) / options_.bucket);
  if (i >= m.mean.size()) return;
  current_mean_ = m.mean[i];
  current_upper_ = m.upper[i];
}

int PredictivePolicy::Pair(const Made& m, const Series& actual, std::vector<double>* a,
                           std::vector<double>* f) const {
  int covered = 0;
  for (size_t i = 0; i < m.mean.size(); ++i) {
    const double real = BucketValue(actual, m.start + options_.bucket * static_cast<int64_t>(i),
                                    options_.bucket, options_.peak);
    if (std::isnan(real)) continue;
    a->push_back(real);
    f->push_back(m.mean[i]);
    covered += real <= m.upper[i] ? 1 : 0;
  }
  return covered;
}

ForecastAccuracy PredictivePolicy::Accuracy(const Series& actual) const {
  ForecastAccuracy acc;
  acc.forecasts = static_cast<int>(made_.size());
  std::vector<double> a, f;
  int covered = 0;
  for (const Made& m : made_) covered += Pair(m, actual, &a, &f);
  acc.points = static_cast<int>(a.size());
  if (a.empty()) return acc;
  acc.mape = forecast::Mape(a, f);
  acc.over_prediction_rate = forecast::OverPredictionRate(a, f);
  acc.under_prediction_rate = forecast::UnderPredictionRate(a, f);
  acc.upper_coverage = static_cast<double>(covered) / static_cast<double>(a.size());
  return acc;
}

PredictivePolicy::ForecastView PredictivePolicy::Latest() const {
  if (made_.empty()) return {};
  const Made& m = made_.back();
  return {m.start, options_.bucket, m.mean, m.upper, plan_};
}

std::vector<double> PredictivePolicy::ScoreFinished(const Series& actual) {
  std::vector<double> scores;
  while (scored_ < made_.size()) {
    const Made& m = made_[scored_];
    const Timestamp end = m.start + options_.bucket * static_cast<int64_t>(m.mean.size());
    if (end > actual.end()) break;  // Not over yet; later forecasts end later still.
    std::vector<double> a, f;
    Pair(m, actual, &a, &f);
    ++scored_;
    if (a.empty()) continue;  // Nothing to score it on (a gap in the metrics).
    const double mape = forecast::Mape(a, f);
    if (std::isfinite(mape)) scores.push_back(std::max(0.0, 100 - mape));
  }
  return scores;
}

void PredictivePolicy::Reselect() {
  calibration_.reset();
  have_forecast_ = false;  // Forecast again at the next tick.
}

}  // namespace prescient::scaling
