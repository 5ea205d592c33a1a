#include "prescient/core/time.h"

#include <cctype>
#include <cstdio>
#include <limits>

namespace prescient {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool ReadDigits(std::string_view s, size_t& pos, int n, int64_t& out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Result<Timestamp> ParseEpoch(std::string_view text) {
  std::string_view whole = text;
  bool negative = false;
  if (!whole.empty() && whole[0] == '-') {
    negative = true;
    whole.remove_prefix(1);
  }
  const size_t dot = whole.find('.');
  std::string_view frac;
  if (dot != std::string_view::npos) {
    frac = whole.substr(dot + 1);
    whole = whole.substr(0, dot);
    if (!AllDigits(frac) || frac.find_first_not_of('0') != std::string_view::npos) {
      return InvalidArgumentError("epoch seconds with a non-zero fraction: '" + std::string(text) +
                                  "'");
    }
  }
  if (!AllDigits(whole) || whole.size() > 12) {
    return InvalidArgumentError("not a timestamp: '" + std::string(text) + "'");
  }
  int64_t v = 0;
  for (char c : whole) v = v * 10 + (c - '0');
  return Timestamp(Duration(negative ? -v : v));
}

}  // namespace

Result<Timestamp> ParseTimestamp(std::string_view text) {
  auto bad = [&](const char* why) {
    return InvalidArgumentError(std::string("bad timestamp '") + std::string(text) + "': " + why);
  };
  if (text.empty()) return bad("empty");
  if (text.size() > 64) return InvalidArgumentError("timestamp longer than 64 characters");
  if (text.size() < 10 || text[4] != '-') return ParseEpoch(text);

  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, pos, 4, year) || text[pos++] != '-' || !ReadDigits(text, pos, 2, month) ||
      pos >= text.size() || text[pos++] != '-' || !ReadDigits(text, pos, 2, day)) {
    return bad("expected YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return bad("day out of range");
  }
  int64_t offset_seconds = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return bad("expected 'T'");
    ++pos;
    if (!ReadDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, pos, 2, minute)) {
      return bad("expected HH:MM");
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, pos, 2, second)) return bad("expected seconds");
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
        if (pos == start) return bad("expected fraction digits");
        // Sub-second parts are dropped: steps are whole seconds.
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return bad("time of day out of range");
    if (second == 60) second = 59;  // Leap second: clamp, as most parsers do.
    if (pos < text.size()) {
      const char c = text[pos];
      if (c == 'Z' || c == 'z') {
        ++pos;
      } else if (c == '+' || c == '-') {
        ++pos;
        int64_t oh = 0, om = 0;
        if (!ReadDigits(text, pos, 2, oh)) return bad("expected offset hours");
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!ReadDigits(text, pos, 2, om)) return bad("expected offset minutes");
        if (oh > 23 || om > 59) return bad("offset out of range");
        offset_seconds = (oh * 3600 + om * 60) * (c == '+' ? 1 : -1);
      } else {
        return bad("unexpected character after time");
      }
    }
  }
  if (pos != text.size()) return bad("trailing characters");
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return Timestamp(Duration(secs));
}

std::string FormatTimestamp(Timestamp t) {
  const int64_t secs = t.time_since_epoch().count();
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Civil from days (Hinnant).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>((rem % 3600) / 60), static_cast<long long>(rem % 60));
  return buf;
}

Result<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("empty duration");
  if (AllDigits(text)) {
    if (text.size() > 12)
      return InvalidArgumentError("duration too long: '" + std::string(text) + "'");
    int64_t v = 0;
    for (char c : text) v = v * 10 + (c - '0');
    if (v <= 0) return InvalidArgumentError("duration must be positive");
    return Duration(v);
  }
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int64_t v = 0;
    const size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (pos - start > 9)
        return InvalidArgumentError("duration too long: '" + std::string(text) + "'");
      v = v * 10 + (text[pos++] - '0');
    }
    if (pos == start || pos >= text.size()) {
      return InvalidArgumentError("bad duration '" + std::string(text) +
                                  "' (use e.g. 5m, 2h, 14d)");
    }
    const char unit = text[pos++];
    int64_t mult = 0;
    switch (unit) {
      case 's':
        mult = 1;
        break;
      case 'm':
        mult = 60;
        break;
      case 'h':
        mult = 3600;
        break;
      case 'd':
        mult = 86400;
        break;
      case 'w':
        mult = 7 * 86400;
        break;
      default:
        return InvalidArgumentError("bad duration unit in '" + std::string(text) +
                                    "' (s, m, h, d, w)");
    }
    total += v * mult;
  }
  if (total <= 0) return InvalidArgumentError("duration must be positive");
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  const int64_t s = d.count();
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

}  // namespace prescient
