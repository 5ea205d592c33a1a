#include "m4_data.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace prescient::bench {
namespace {

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

bool ToDouble(const std::string& s, double& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<std::vector<M4Series>> ReadM4(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(path + ": cannot open");
  std::string line;
  std::getline(in, line);  // Header.
  std::vector<M4Series> out;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    std::vector<std::string> f = SplitCsv(line);
    if (f.empty() || f[0].empty()) continue;
    M4Series s;
    s.id = f[0];
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].empty()) break;
      double v = 0;
      if (!ToDouble(f[i], v))
        return InvalidArgumentError(path + ":" + std::to_string(line_no) + ": bad value '" + f[i] +
                                    "'");
      s.values.push_back(v);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::map<std::string, MethodForecast>> ReadForecasts(const std::string& path, int horizon) {
  std::ifstream in(path);
  if (!in) return NotFoundError(path + ": cannot open");
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsv(line);
  const bool has_ms = header.size() > 1 && header[1] == "ms";
  std::map<std::string, MethodForecast> out;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    std::vector<std::string> f = SplitCsv(line);
    if (f.size() < 2) continue;
    MethodForecast m;
    size_t i = 1;
    if (has_ms && !ToDouble(f[i++], m.ms))
      return InvalidArgumentError(path + ":" + std::to_string(line_no) + ": bad ms");
    auto take = [&](std::vector<double>& dst) -> bool {
      for (int h = 0; h < horizon; ++h) {
        double v = 0;
        if (i >= f.size() || !ToDouble(f[i++], v)) return false;
        dst.push_back(v);
      }
      return true;
    };
    if (!take(m.mean))
      return InvalidArgumentError(path + ":" + std::to_string(line_no) + ": bad forecast");
    if (i < f.size() && !f[i].empty()) {
      if (!take(m.lower) || !take(m.upper))
        return InvalidArgumentError(path + ":" + std::to_string(line_no) + ": bad interval");
    }
    out[f[0]] = std::move(m);
  }
  return out;
}

}  // namespace prescient::bench
