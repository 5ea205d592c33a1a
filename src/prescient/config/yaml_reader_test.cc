#include "prescient/config/yaml_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace prescient::config {
namespace {

std::string Message(const Status& s) { return std::string(s.message()); }

TEST(YamlReaderTest, OneLineEscapesControlCharacters) {
  EXPECT_EQ(OneLine(std::string("a\nb\0c\x7f", 6)), "a\\nb\\x00c\\x7f");
}

TEST(YamlReaderTest, ErrorsNameFileLineAndPath) {
  const Reader r("f.yaml", 10);  // The text starts on line 10 of f.yaml.
  const YAML::Node root = *r.Load("a: 1\nb: {c: x}\n");
  Result<Reader::Fields> f = r.Map(root, "spec", {"a"});
  EXPECT_EQ(Message(f.status()), "f.yaml:11: spec.b: unknown field (known: a)");
  f = r.Map(root, "", {"a", "b", "c"}, {"c"});
  EXPECT_EQ(Message(f.status()), "f.yaml:10: c: required field missing");
  f = r.Map(root, "", {"a", "b"});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Message(r.Integer((*f)["b"], "b", 0, 9).status()),
            "f.yaml:11: b: must be a string (got a mapping)");
  EXPECT_EQ(Message(r.Integer((*f)["a"], "a", 2, 9).status()), "f.yaml:10: a: must be in [2, 9]");
  EXPECT_EQ(Message(r.Cpu((*f)["b"]["c"], "b.c").status()),
            "f.yaml:11: b.c: 'x' is not a CPU quantity (e.g. 500m, 1, 1.5)");
  EXPECT_EQ(Message(r.Load("a: [1").status()).substr(0, 10), "f.yaml:10:");
}

TEST(YamlReaderTest, DuplicateKeysAndScalars) {
  const Reader r("f.yaml");
  const YAML::Node root = *r.Load("a: 1\na: 2\n");
  EXPECT_EQ(Message(r.Map(root, "x", {"a"}).status()), "f.yaml:2: x.a: duplicate field");
  const YAML::Node n = *r.Load("[nan, 1h30m, 'true', 0s, 2Gi]");
  EXPECT_EQ(Message(r.Number(n[0], "n").status()), "f.yaml:1: n: 'nan' is not a number");
  EXPECT_EQ(r.Dur(n[1], "d", false)->count(), 5400);
  EXPECT_TRUE(*r.Bool(n[2], "b"));
  EXPECT_EQ(r.Dur(n[3], "d", true)->count(), 0);
  EXPECT_FALSE(r.Dur(n[3], "d", false).ok());
  EXPECT_EQ(*r.Memory(n[4], "m"), int64_t{2} << 30);
}

}  // namespace
}  // namespace prescient::config
