#include "prescient/testing/nab_corpus.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

namespace prescient::testing {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Splits into lines without the trailing "\r".
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(
        line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

Result<double> ParseDouble(std::string_view text, const std::string& where) {
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || errno == ERANGE) {
    return InvalidArgumentError(where + ": not a number: \"" + copy + "\"");
  }
  return value;
}

Result<NabCorpusFile> LoadDataFile(const std::string& root, const std::string& key,
                                   const nlohmann::json& windows) {
  NabCorpusFile file;
  file.key = key;
  const std::string path = root + "/data/" + key;
  PRESCIENT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  const std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string_view> fields = Fields(lines[i]);
    const std::string where = path + ":" + std::to_string(i + 1);
    if (fields.size() < 2) return InvalidArgumentError(where + ": expected timestamp,value");
    PRESCIENT_ASSIGN_OR_RETURN(double value, ParseDouble(fields[1], where + ": value"));
    file.timestamps.emplace_back(fields[0]);
    file.values.push_back(value);
  }
  auto row_of = [&](std::string edge) -> Result<int64_t> {
    if (edge.ends_with(".000000")) edge.resize(edge.size() - 7);
    const auto it = std::find(file.timestamps.begin(), file.timestamps.end(), edge);
    if (it == file.timestamps.end()) {
      return InvalidArgumentError(key + ": window edge " + edge + " matches no row");
    }
    return static_cast<int64_t>(it - file.timestamps.begin());
  };
  for (const nlohmann::json& window : windows) {
    if (!window.is_array() || window.size() != 2 || !window[0].is_string() ||
        !window[1].is_string()) {
      return InvalidArgumentError(key + ": a window is not a [start, end] pair of strings");
    }
    PRESCIENT_ASSIGN_OR_RETURN(int64_t first, row_of(window[0].get<std::string>()));
    PRESCIENT_ASSIGN_OR_RETURN(int64_t last, row_of(window[1].get<std::string>()));
    file.windows.push_back({first, last});
  }
  return file;
}

}  // namespace

std::string FindNabRoot(const std::string& source_dir) {
  const std::string root = source_dir + "/../shared/data/nab";
  std::error_code error;
  if (!std::filesystem::exists(root + "/labels/combined_windows.json", error)) return "";
  return root;
}

Result<std::vector<NabCorpusFile>> LoadNabCorpus(const std::string& root) {
  const std::string windows_path = root + "/labels/combined_windows.json";
  PRESCIENT_ASSIGN_OR_RETURN(std::string text, ReadFile(windows_path));
  const nlohmann::json windows = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (windows.is_discarded() || !windows.is_object()) {
    return InvalidArgumentError(windows_path + ": not a JSON object");
  }
  std::vector<NabCorpusFile> files;
  for (const auto& [key, file_windows] : windows.items()) {  // Sorted by key.
    if (!file_windows.is_array()) return InvalidArgumentError(windows_path + ": " + key);
    PRESCIENT_ASSIGN_OR_RETURN(NabCorpusFile file, LoadDataFile(root, key, file_windows));
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<double>> LoadNabScores(const std::string& results_dir, const std::string& key) {
  const std::string path = results_dir + "/" + key;
  PRESCIENT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  const std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return InvalidArgumentError(path + ": empty");
  const std::vector<std::string_view> header = Fields(lines[0]);
  const auto column = std::find(header.begin(), header.end(), "anomaly_score") - header.begin();
  if (column == static_cast<long>(header.size())) {
    return InvalidArgumentError(path + ":1: no anomaly_score column");
  }
  std::vector<double> scores;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string_view> fields = Fields(lines[i]);
    const std::string where = path + ":" + std::to_string(i + 1);
    if (static_cast<long>(fields.size()) <= column) return InvalidArgumentError(where + ": short");
    PRESCIENT_ASSIGN_OR_RETURN(double score,
                               ParseDouble(fields[column], where + ": anomaly_score"));
    scores.push_back(score);
  }
  return scores;
}

}  // namespace prescient::testing
