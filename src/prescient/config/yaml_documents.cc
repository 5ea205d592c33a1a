// One pass over the lines. A document's text runs from its start marker (or the stream's
// start, or the end of the previous one) to the next marker; a preamble of comments and
// directives is not a document of its own.
#include "prescient/config/yaml_documents.h"

namespace prescient::config {
namespace {

// "---" (start) or "..." (end), alone or followed by a blank.
bool IsMarker(std::string_view line, std::string_view marker) {
  if (line.substr(0, 3) != marker) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Blank, a comment or a directive: nothing a document is made of.
bool IsPreamble(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  return i == line.size() || line[i] == '#' || (i == 0 && line[0] == '%');
}

}  // namespace

std::vector<YamlDocumentText> SplitYamlDocuments(std::string_view stream) {
  std::vector<YamlDocumentText> docs;
  YamlDocumentText current;
  bool has_content = false;  // `current` holds more than a preamble (or a marker).
  bool has_marker = false;
  int line_no = 1;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t end = stream.find('\n', pos);
    end = end == std::string_view::npos ? stream.size() : end + 1;
    const std::string_view line = stream.substr(pos, end - pos);
    const std::string_view bare = line.substr(0, line.find('\n'));  // Without the newline.
    if (IsMarker(bare, "---") && (has_content || has_marker)) {
      docs.push_back(std::move(current));
      current = YamlDocumentText{std::string(), line_no};
      has_content = false;
    }
    if (IsMarker(bare, "---")) {
      has_marker = true;
    } else if (!IsPreamble(bare)) {
      has_content = true;
    }
    current.text.append(line);
    pos = end;
    ++line_no;
    if (IsMarker(bare, "...")) {
      docs.push_back(std::move(current));
      current = YamlDocumentText{std::string(), line_no};
      has_content = has_marker = false;
    }
  }
  if (!current.text.empty()) docs.push_back(std::move(current));
  return docs;
}

}  // namespace prescient::config
