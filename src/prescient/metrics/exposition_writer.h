// ExpositionWriter: the Prometheus text format (version 0.0.4), written family by
// family: HELP and TYPE first, then its samples, label values escaped and numbers in
// the format's spelling (NaN, +Inf, -Inf, shortest round-trip decimals). Used by the
// simulator's /metrics and the controller's.
// Value type, thread-compatible. Tested by metrics_exporter_test.cc (through the
// simulator's /metrics, checked by promtool) and controller_test.cc.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prescient::metrics {

class ExpositionWriter {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

  // `type` is counter, gauge, histogram, summary or untyped.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const Labels& labels, double value);
  static std::string Number(double v);
  std::string Take() { return std::move(out_); }

 private:
  void Escape(std::string_view v);
  std::string out_;
};

}  // namespace prescient::metrics
