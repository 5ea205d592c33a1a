// Quantities are a number and a unit suffix. The number is read with std::from_chars (no
// locale, no exceptions); a decimal exponent belongs to the number ("1e9"), since no unit
// starts with "e" followed by a digit.
#include "prescient/core/quantity.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string>

#include "prescient/core/time.h"

namespace prescient {
namespace {

// "1.5Gi" -> 1.5 with the unit suffix "Gi" split off.
bool SplitNumber(std::string_view text, double* value, std::string_view* suffix) {
  size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E') && i + 1 < text.size() &&
      text[i + 1] >= '0' && text[i + 1] <= '9') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  }
  if (i == 0) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + i, *value);
  if (ec != std::errc() || end != text.data() + i || !std::isfinite(*value)) return false;
  *suffix = text.substr(i);
  return true;
}

}  // namespace

Result<int> ParseCpuQuantity(std::string_view text) {
  double v = 0;
  std::string_view suffix;
  const std::string quoted = "'" + std::string(text) + "'";
  if (!SplitNumber(text, &v, &suffix) || (suffix != "" && suffix != "m"))
    return InvalidArgumentError(quoted + " is not a CPU quantity (e.g. 500m, 1, 1.5)");
  const double millicores = suffix == "m" ? v : v * 1000;
  if (!(millicores >= 1) || millicores > 1e6)
    return InvalidArgumentError(quoted + " must be between 1m and 1000");
  return static_cast<int>(std::llround(millicores));
}

Result<int64_t> ParseMemoryQuantity(std::string_view text) {
  static const std::map<std::string_view, double> kUnits = {
      {"", 1},           {"k", 1e3},           {"M", 1e6},
      {"G", 1e9},        {"T", 1e12},          {"Ki", 1024.0},
      {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0}};
  double v = 0;
  std::string_view suffix;
  const std::string quoted = "'" + std::string(text) + "'";
  if (!SplitNumber(text, &v, &suffix) || !kUnits.contains(suffix))
    return InvalidArgumentError(quoted + " is not a memory quantity (e.g. 512Mi, 2Gi, 1G)");
  const double bytes = v * kUnits.at(suffix);
  if (!(bytes >= 1) || bytes > 1e15) return InvalidArgumentError(quoted + " is out of range");
  return static_cast<int64_t>(std::llround(bytes));
}

Result<double> ParseSecondsQuantity(std::string_view text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    double v = 0;
    std::string_view suffix;
    if (SplitNumber(text.substr(0, text.size() - 2), &v, &suffix) && suffix.empty() && v > 0)
      return v / 1000;
    return InvalidArgumentError("'" + std::string(text) + "' is not a duration (e.g. 500ms, 2s)");
  }
  PRESCIENT_ASSIGN_OR_RETURN(const Duration d, ParseDuration(text));
  return static_cast<double>(d.count());
}

}  // namespace prescient
