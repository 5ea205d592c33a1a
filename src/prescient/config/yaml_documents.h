// SplitYamlDocuments: a multi-document YAML stream (`---` separated, as kubectl reads
// manifests) cut into the text of each document with the line it starts on, so that each
// document is parsed on its own and a syntax error in one does not lose the others.
// Pure function, thread-safe. Tested by yaml_documents_test.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prescient::config {

struct YamlDocumentText {
  std::string text;    // Starts with its `---` line, if it had one.
  int first_line = 1;  // The line of `text`'s first line in the stream (1-based).
};

// A line that begins with "---" followed by the line's end or a blank starts a document
// (YAML 1.2 forbids it as content at column 0, even in a block scalar); a line "..." ends
// one. Lines before a start that hold only blanks, comments and directives ("%YAML") stay
// with the document it starts. Each piece holds at most one document, so yaml-cpp's Load
// reads it whole. Some pieces may have no content (an empty document).
std::vector<YamlDocumentText> SplitYamlDocuments(std::string_view stream);

}  // namespace prescient::config
