// Scores M4 Hourly forecasts (ours and the peers') with M4's measures, relative to a
// Naive2 computed here (and checked against the organisers' own Naive2 forecasts).
// Usage: m4_score TRAIN.csv TEST.csv OFFICIAL_NAIVE2.csv SUBSET_STRIDE METHOD=FILE...
// Prints Markdown: all-series table (methods that ran on every series) and the
// every-k-th-series table (all methods), with median/p99 ms per series and total seconds.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "m4_data.h"
#include "prescient/forecast/accuracy.h"
#include "prescient/forecast/naive.h"

namespace pb = prescient::bench;
namespace pf = prescient::forecast;

namespace {

constexpr int kHorizon = 48;
constexpr int kSeason = 24;

struct Row {
  std::string method;
  size_t series = 0;
  double smape = 0, mase = 0, owa = 0, msis = NAN, coverage = NAN;
  double median_ms = 0, p99_ms = 0, total_s = 0;
};

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

Row Score(const std::string& method, const std::map<std::string, pb::MethodForecast>& fc,
          const std::vector<pb::M4Series>& train, const std::vector<pb::M4Series>& test,
          const std::vector<size_t>& subset, const std::vector<std::vector<double>>& naive2) {
  Row r;
  r.method = method;
  double s = 0, m = 0, sn = 0, mn = 0, msis = 0, cov = 0;
  size_t with_intervals = 0;
  std::vector<double> ms;
  for (size_t i : subset) {
    const auto it = fc.find(train[i].id);
    if (it == fc.end()) return Row{};  // Not run on this set.
    const pb::MethodForecast& f = it->second;
    s += pf::Smape(test[i].values, f.mean);
    m += pf::Mase(test[i].values, f.mean, train[i].values, kSeason);
    sn += pf::Smape(test[i].values, naive2[i]);
    mn += pf::Mase(test[i].values, naive2[i], train[i].values, kSeason);
    if (!f.lower.empty()) {
      msis += pf::Msis(test[i].values, f.lower, f.upper, train[i].values, kSeason, 0.05);
      cov += pf::Coverage(test[i].values, f.lower, f.upper);
      ++with_intervals;
    }
    ms.push_back(f.ms);
    r.total_s += f.ms / 1000;
  }
  const double n = static_cast<double>(subset.size());
  r.series = subset.size();
  r.smape = s / n;
  r.mase = m / n;
  r.owa = pf::Owa(r.smape, r.mase, sn / n, mn / n);
  if (with_intervals == subset.size()) {
    r.msis = msis / n;
    r.coverage = 100 * cov / n;
  }
  r.median_ms = Quantile(ms, 0.5);
  r.p99_ms = Quantile(ms, 0.99);
  return r;
}

void PrintTable(const std::vector<Row>& rows, const std::string& reference) {
  double ref_ms = NAN;
  for (const Row& r : rows)
    if (r.method == reference) ref_ms = r.median_ms;
  std::printf(
      "| method | series | sMAPE | MASE | OWA | MSIS (95%%) | 95%% coverage | median ms/series | "
      "p99 ms | total s | median time / %s |\n",
      reference.c_str());
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows) {
    char msis[32] = "n/a", cov[32] = "n/a";
    if (!std::isnan(r.msis))
      std::snprintf(msis, sizeof msis, r.msis < 1e4 ? "%.2f" : "%.3g", r.msis);
    if (!std::isnan(r.coverage)) std::snprintf(cov, sizeof cov, "%.1f%%", r.coverage);
    std::printf("| %s | %zu | %.2f | %.3f | %.3f | %s | %s | %.3g | %.3g | %.1f | %.3gx |\n",
                r.method.c_str(), r.series, r.smape, r.mase, r.owa, msis, cov, r.median_ms,
                r.p99_ms, r.total_s, r.median_ms / ref_ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: m4_score TRAIN TEST OFFICIAL_NAIVE2 STRIDE METHOD=FILE...\n");
    return 2;
  }
  auto train = pb::ReadM4(argv[1]);
  auto test = pb::ReadM4(argv[2]);
  auto official = pb::ReadForecasts(argv[3], kHorizon);
  const size_t stride = static_cast<size_t>(std::atoi(argv[4]));
  if (!train.ok() || !test.ok() || !official.ok() || stride < 1) {
    std::fprintf(stderr, "m4_score: cannot read inputs\n");
    return 2;
  }
  // Our Naive2, checked against the organisers' forecasts.
  std::vector<std::vector<double>> naive2(train->size());
  double max_rel_diff = 0;
  const int periods[] = {kSeason};
  for (size_t i = 0; i < train->size(); ++i) {
    auto f = pf::Naive2Model().Forecast((*train)[i].values, periods, kHorizon);
    if (!f.ok()) return 1;
    naive2[i] = f->mean;
    const auto it = official->find((*train)[i].id);
    if (it != official->end()) {
      for (int h = 0; h < kHorizon; ++h) {
        max_rel_diff = std::max(max_rel_diff, std::abs(naive2[i][h] - it->second.mean[h]) /
                                                  std::abs(it->second.mean[h]));
      }
    }
  }
  std::vector<size_t> all(train->size()), sub;
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  for (size_t i = 0; i < all.size(); i += stride) sub.push_back(i);

  std::vector<Row> full_rows, sub_rows;
  // Methods that did not finish the subset: scored, with everyone else, on what they did.
  std::vector<std::pair<std::string, std::vector<size_t>>> partial;
  std::map<std::string, std::map<std::string, pb::MethodForecast>> all_forecasts;
  {
    std::map<std::string, pb::MethodForecast> off = *official;
    Row r = Score("M4 official Naive2 (check)", off, *train, *test, all, naive2);
    std::printf(
        "Naive2 check: our Naive2 differs from the organisers' by at most %.2g (relative); their "
        "Naive2 scores sMAPE %.3f, MASE %.3f, OWA %.3f here.\n\n",
        max_rel_diff, r.smape, r.mase, r.owa);
  }
  for (int a = 5; a < argc; ++a) {
    const std::string arg = argv[a];
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) continue;
    const std::string method = arg.substr(0, eq);
    auto fc = pb::ReadForecasts(arg.substr(eq + 1), kHorizon);
    if (!fc.ok()) {
      std::fprintf(stderr, "m4_score: %s: %s (skipped)\n", method.c_str(),
                   fc.status().message().c_str());
      continue;
    }
    Row full = Score(method, *fc, *train, *test, all, naive2);
    if (full.series > 0) full_rows.push_back(full);
    Row part = Score(method, *fc, *train, *test, sub, naive2);
    if (part.series > 0) {
      sub_rows.push_back(part);
    } else {
      std::vector<size_t> done;
      for (size_t i : sub) {
        if (fc->count((*train)[i].id) > 0) done.push_back(i);
      }
      if (!done.empty()) partial.emplace_back(method, done);
    }
    all_forecasts[method] = std::move(*fc);
  }
  auto by_owa = [](const Row& x, const Row& y) { return x.owa < y.owa; };
  std::sort(full_rows.begin(), full_rows.end(), by_owa);
  std::sort(sub_rows.begin(), sub_rows.end(), by_owa);
  std::printf("### All %zu series\n\n", all.size());
  PrintTable(full_rows, "prescient auto");
  std::printf("\n### Every %zu-th series (%zu series: H1, H%zu, ...), where the slow peers run\n\n",
              stride, sub.size(), stride + 1);
  PrintTable(sub_rows, "prescient auto");
  for (const auto& [method, done] : partial) {
    std::vector<Row> rows;
    for (const auto& [name, fc] : all_forecasts) {
      Row r = Score(name, fc, *train, *test, done, naive2);
      if (r.series > 0) rows.push_back(r);
    }
    std::sort(rows.begin(), rows.end(), by_owa);
    std::printf(
        "\n### The %zu series of that subset that %s finished (it did not finish them all)\n\n",
        done.size(), method.c_str());
    PrintTable(rows, "prescient auto");
  }
  return 0;
}
