#include "prescient/config/yaml_documents.h"

#include <gtest/gtest.h>

namespace prescient::config {
namespace {

TEST(YamlDocumentsTest, SplitsAtMarkersWithTheirLines) {
  const std::vector<YamlDocumentText> docs =
      SplitYamlDocuments("# preamble\n---\na: 1\n--- # second\nb: |\n  ---x\n---\n");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].text, "# preamble\n---\na: 1\n");
  EXPECT_EQ(docs[0].first_line, 1);
  EXPECT_EQ(docs[1].text, "--- # second\nb: |\n  ---x\n");
  EXPECT_EQ(docs[1].first_line, 4);
  EXPECT_EQ(docs[2].text, "---\n");
  EXPECT_EQ(docs[2].first_line, 7);
}

TEST(YamlDocumentsTest, EndMarkerEndsADocument) {
  const std::vector<YamlDocumentText> docs =
      SplitYamlDocuments("a: 1\n...\n%YAML 1.2\n---\nb: 2\n");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].text, "a: 1\n...\n");
  EXPECT_EQ(docs[1].text, "%YAML 1.2\n---\nb: 2\n");
  EXPECT_EQ(docs[1].first_line, 3);
}

TEST(YamlDocumentsTest, NoMarkerIsOneDocument) {
  const std::vector<YamlDocumentText> docs = SplitYamlDocuments("a: 1\r\nb: ---\r\n----\r\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].first_line, 1);
  EXPECT_TRUE(SplitYamlDocuments("").empty());
}

}  // namespace
}  // namespace prescient::config
