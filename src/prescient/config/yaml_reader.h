// Reader: strict decoding of YAML configuration (scenario files, policies), in the manner
// of `kubectl apply --validate=strict`. It checks each mapping's keys against the fields
// its schema names (unknown and repeated fields are errors), converts scalars without
// exceptions, and makes every error one InvalidArgument line
// "FILE:LINE: field.path: what is wrong". yaml-cpp's exceptions are caught here, once.
// This is a module of its own, not part of core, so that yaml-cpp stays out of the pure
// modules (forecast, anomaly) that link core.
// Thread-compatible (const methods are thread-safe). Tested by yaml_reader_test.cc.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::config {

// Errors are one line: values echoed from a file (a quoted scalar may hold a newline or a
// NUL) have their control characters escaped ("\n", "\x00").
std::string OneLine(std::string_view text);

class Reader {
 public:
  using Fields = std::map<std::string, YAML::Node>;

  // `source` names the file in messages; `first_line` is the file's line (1-based) on which
  // the YAML text given to yaml-cpp starts (not 1 for a document split off a stream).
  explicit Reader(std::string source, int first_line = 1);

  const std::string& source() const { return source_; }
  // The node's line in the file, 0 if yaml-cpp does not know it.
  int Line(const YAML::Node& n) const;

  // InvalidArgument "SOURCE:LINE: PATH: WHAT" (PATH "(document)" when empty).
  Status Error(const YAML::Node& n, const std::string& path, const std::string& what) const;
  // An exception from yaml-cpp (with its mark, if any) as InvalidArgument "SOURCE:LINE: ...".
  Status ExceptionError(const std::exception& e) const;

  // Runs `decode` (anything that walks yaml-cpp nodes) and turns an exception escaping it
  // into ExceptionError. `decode` returns a Status or a Result.
  template <typename F>
  auto Catch(F&& decode) const -> decltype(decode()) {
    try {
      return decode();
    } catch (const std::exception& e) {
      return ExceptionError(e);
    }
  }

  // yaml-cpp's Load (the first document of `text`), exceptions caught. For a stream of
  // documents, split it with config/yaml_documents.h and Load each: yaml-cpp 0.7's LoadAll
  // loops forever, allocating, on some malformed input (a lone ","; jbeder/yaml-cpp#1319).
  Result<YAML::Node> Load(std::string_view text) const;

  // A mapping whose keys are all in `allowed`; the `required` ones must be present.
  Result<Fields> Map(const YAML::Node& n, const std::string& path,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required = {}) const;
  Result<std::vector<YAML::Node>> Sequence(const YAML::Node& n, const std::string& path) const;
  // A mapping of string to string (labels, annotations).
  Status StringMap(const YAML::Node& n, const std::string& path) const;

  Result<std::string> String(const YAML::Node& n, const std::string& path) const;
  Result<double> Number(const YAML::Node& n, const std::string& path) const;  // Finite.
  Result<int64_t> Integer(const YAML::Node& n, const std::string& path, int64_t lo,
                          int64_t hi) const;
  Result<bool> Bool(const YAML::Node& n, const std::string& path) const;  // true | false
  // "90s", "15m", "1h30m", "14d" (core/time.h ParseDuration); "0"/"0s" if allow_zero.
  Result<Duration> Dur(const YAML::Node& n, const std::string& path, bool allow_zero) const;
  // Kubernetes quantities (core/quantity.h): millicores and bytes.
  Result<int> Cpu(const YAML::Node& n, const std::string& path) const;
  Result<int64_t> Memory(const YAML::Node& n, const std::string& path) const;

  // `r` unchanged if OK, else its message as an error at `n`.
  template <typename T>
  Result<T> Wrap(const YAML::Node& n, const std::string& path, Result<T> r) const {
    if (!r.ok()) return Error(n, path, r.status().message());
    return r;
  }

  static std::string Join(const std::string& path, const std::string& field) {
    return path.empty() ? field : path + "." + field;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  static std::string Kind(const YAML::Node& n);

  std::string source_;
  int first_line_;
};

}  // namespace prescient::config
