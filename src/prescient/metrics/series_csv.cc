#include "prescient/metrics/series_csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

namespace prescient::metrics {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 60)) out += (c >= 32 && c < 127) ? c : '?';
  if (s.size() > 60) out += "...";
  return out + "'";
}

Status LineError(std::string_view source, int64_t line, const std::string& what) {
  return InvalidArgumentError(std::string(source) + ":" + std::to_string(line) + ": " + what);
}

Result<double> ParseValue(std::string_view field) {
  if (field.empty()) return kMissing;
  std::string_view digits = field;
  if (digits.front() == '+') digits.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return InvalidArgumentError("value " + Quote(field) + " is out of range");
  }
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return InvalidArgumentError("value " + Quote(field) + " is not a number");
  }
  if (!std::isfinite(v)) {
    return InvalidArgumentError("value " + Quote(field) +
                                " is not finite (leave the field empty for a missing point)");
  }
  return v;
}

}  // namespace

Result<Series> ParseSeriesCsv(std::string_view text, std::string_view source) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  std::vector<TimedValue> points;
  int64_t line_no = 0;
  bool header_seen = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.size() > kMaxCsvLineBytes) {
      return LineError(source, line_no,
                       "line longer than " + std::to_string(kMaxCsvLineBytes) + " bytes");
    }
    if (line.find('\0') != std::string_view::npos)
      return LineError(source, line_no, "NUL byte in line");
    line = Trim(line);
    if (line.empty()) continue;
    if (!header_seen) {
      header_seen = true;
      const size_t comma = line.find(',');
      if (comma == std::string_view::npos || Trim(line.substr(0, comma)) != "timestamp" ||
          Trim(line.substr(comma + 1)) != "value") {
        return LineError(source, line_no,
                         "bad header " + Quote(line) + ": expected 'timestamp,value'");
      }
      continue;
    }
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos) {
      return LineError(source, line_no, "expected 'timestamp,value', got " + Quote(line));
    }
    const std::string_view ts_field = Trim(line.substr(0, comma));
    const std::string_view value_field = Trim(line.substr(comma + 1));
    if (value_field.find(',') != std::string_view::npos) {
      return LineError(source, line_no, "more than two fields in " + Quote(line));
    }
    Result<Timestamp> ts = ParseTimestamp(ts_field);
    if (!ts.ok()) return LineError(source, line_no, ts.status().message());
    Result<double> value = ParseValue(value_field);
    if (!value.ok()) return LineError(source, line_no, value.status().message());
    if (!points.empty() && *ts <= points.back().time) {
      return LineError(
          source, line_no,
          (*ts == points.back().time ? "duplicate timestamp " : "out-of-order timestamp ") +
              FormatTimestamp(*ts) + " (previous line has " + FormatTimestamp(points.back().time) +
              ")");
    }
    points.push_back({*ts, *value, line_no});
  }
  if (!header_seen)
    return InvalidArgumentError(std::string(source) +
                                ": empty file (expected a 'timestamp,value' header)");
  if (points.empty())
    return InvalidArgumentError(std::string(source) + ": no data rows after the header");
  Result<Series> series = Series::FromPoints(points);
  if (!series.ok()) return series.status().WithContext(source);
  if (series->CountMissing() == series->size()) {
    return InvalidArgumentError(std::string(source) + ": all values are missing");
  }
  return series;
}

Result<Series> ReadSeriesCsv(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return ParseSeriesCsv(text, "<stdin>");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status(StatusCode::kDataLoss, path + ": read error");
  text = buf.str();
  return ParseSeriesCsv(text, path);
}

}  // namespace prescient::metrics
