// The reader keeps yaml-cpp at arm's length: nodes are inspected through IsMap/IsScalar
// before any access that could throw, scalars are converted with std::from_chars (no
// locale, no exceptions), and the few yaml-cpp calls that may still throw (parsing,
// iterating a malformed tree) run inside Catch.
#include "prescient/config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "prescient/core/quantity.h"

namespace prescient::config {

std::string OneLine(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Reader::Reader(std::string source, int first_line)
    : source_(std::move(source)), first_line_(first_line) {}

int Reader::Line(const YAML::Node& n) const {
  const YAML::Mark mark = n.Mark();
  return mark.is_null() ? 0 : first_line_ + mark.line;
}

Status Reader::Error(const YAML::Node& n, const std::string& path, const std::string& what) const {
  std::string where = source_;
  if (const int line = Line(n); line > 0) where += ":" + std::to_string(line);
  return InvalidArgumentError(
      OneLine(where + ": " + (path.empty() ? "(document)" : path) + ": " + what));
}

Status Reader::ExceptionError(const std::exception& e) const {
  if (const auto* y = dynamic_cast<const YAML::Exception*>(&e)) {
    std::string where = source_;
    if (!y->mark.is_null()) where += ":" + std::to_string(first_line_ + y->mark.line);
    return InvalidArgumentError(OneLine(where + ": " + y->msg));
  }
  return InvalidArgumentError(OneLine(source_ + ": " + e.what()));
}

Result<YAML::Node> Reader::Load(std::string_view text) const {
  return Catch([&]() -> Result<YAML::Node> { return YAML::Load(std::string(text)); });
}

Result<Reader::Fields> Reader::Map(const YAML::Node& n, const std::string& path,
                                   std::initializer_list<std::string_view> allowed,
                                   std::initializer_list<std::string_view> required) const {
  if (!n.IsMap()) return Error(n, path, "must be a mapping (got " + Kind(n) + ")");
  Fields fields;
  for (YAML::const_iterator it = n.begin(); it != n.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) return Error(key, path, "field names must be strings");
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      return Error(key, Join(path, name), "unknown field (known: " + known + ")");
    }
    if (!fields.emplace(name, it->second).second)
      return Error(key, Join(path, name), "duplicate field");
  }
  for (std::string_view r : required) {
    if (!fields.contains(std::string(r)))
      return Error(n, Join(path, std::string(r)), "required field missing");
  }
  return fields;
}

Result<std::vector<YAML::Node>> Reader::Sequence(const YAML::Node& n,
                                                 const std::string& path) const {
  if (!n.IsSequence()) return Error(n, path, "must be a list (got " + Kind(n) + ")");
  std::vector<YAML::Node> items;
  for (YAML::const_iterator it = n.begin(); it != n.end(); ++it) items.push_back(*it);
  return items;
}

Status Reader::StringMap(const YAML::Node& n, const std::string& path) const {
  if (!n.IsMap()) return Error(n, path, "must be a mapping of strings");
  for (YAML::const_iterator it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar())
      return Error(it->first, path, "must be a mapping of strings");
  }
  return OkStatus();
}

Result<std::string> Reader::String(const YAML::Node& n, const std::string& path) const {
  if (!n.IsScalar()) return Error(n, path, "must be a string (got " + Kind(n) + ")");
  return n.Scalar();
}

Result<double> Reader::Number(const YAML::Node& n, const std::string& path) const {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return Error(n, path, "'" + s + "' is not a number");
  return v;
}

Result<int64_t> Reader::Integer(const YAML::Node& n, const std::string& path, int64_t lo,
                                int64_t hi) const {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    return Error(n, path, "'" + s + "' is not an integer");
  if (v < lo || v > hi) {
    return Error(n, path, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return v;
}

Result<bool> Reader::Bool(const YAML::Node& n, const std::string& path) const {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
  if (s == "true") return true;
  if (s == "false") return false;
  return Error(n, path, "'" + s + "' is not true or false");
}

Result<Duration> Reader::Dur(const YAML::Node& n, const std::string& path, bool allow_zero) const {
  // Not PRESCIENT_ASSIGN_OR_RETURN: GCC 12 warns (falsely) that the moved string may be
  // uninitialised when compared.
  const Result<std::string> s = String(n, path);
  if (!s.ok()) return s.status();
  if (allow_zero && (*s == "0" || *s == "0s")) return Duration(0);
  return Wrap(n, path, ParseDuration(*s));
}

Result<int> Reader::Cpu(const YAML::Node& n, const std::string& path) const {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
  return Wrap(n, path, ParseCpuQuantity(s));
}

Result<int64_t> Reader::Memory(const YAML::Node& n, const std::string& path) const {
  PRESCIENT_ASSIGN_OR_RETURN(const std::string s, String(n, path));
  return Wrap(n, path, ParseMemoryQuantity(s));
}

std::string Reader::Kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "an undefined node";
  }
}

}  // namespace prescient::config
