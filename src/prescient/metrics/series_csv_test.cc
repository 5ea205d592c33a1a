#include "prescient/metrics/series_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace prescient::metrics {
namespace {

using ::testing::HasSubstr;

TEST(SeriesCsvTest, ParsesIsoAndEpoch) {
  auto s = ParseSeriesCsv(
      "timestamp,value\n2014-07-01T00:00:00Z,1\n2014-07-01T02:00:00+01:00,2\n1404180000,3.5\n",
      "f.csv");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->size(), 3u);
  EXPECT_EQ(s->step(), Duration(3600));
  EXPECT_DOUBLE_EQ((*s)[2], 3.5);
}

TEST(SeriesCsvTest, GapsAndEmptyValuesBecomeMissing) {
  auto s = ParseSeriesCsv("timestamp,value\r\n0,1\r\n60,\r\n120,3\r\n300,5\r\n", "f.csv");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 6u);
  EXPECT_TRUE(IsMissing((*s)[1]));
  EXPECT_TRUE(IsMissing((*s)[3]));
  EXPECT_TRUE(IsMissing((*s)[4]));
  EXPECT_EQ(s->CountMissing(), 3u);
}

struct BadCase {
  const char* text;
  const char* expected;
};

TEST(SeriesCsvTest, BadInputNamesFileAndLine) {
  const BadCase cases[] = {
      {"", "f.csv: empty file"},
      {"\n\n", "f.csv: empty file"},
      {"time,val\n0,1\n", "f.csv:1: bad header"},
      {"timestamp,value\n", "f.csv: no data rows"},
      {"timestamp,value\n0,1\n60,abc\n", "f.csv:3: value 'abc' is not a number"},
      {"timestamp,value\n0,1\nyesterday,2\n", "f.csv:3: "},
      {"timestamp,value\n0,1\n60,NaN\n", "f.csv:3: value 'NaN' is not finite"},
      {"timestamp,value\n0,1\n60,inf\n", "f.csv:3: value 'inf' is not finite"},
      {"timestamp,value\n0,1\n60,1e999\n", "f.csv:3: value '1e999' is out of range"},
      {"timestamp,value\n60,1\n0,2\n", "f.csv:3: out-of-order timestamp"},
      {"timestamp,value\n0,1\n0,2\n", "f.csv:3: duplicate timestamp"},
      {"timestamp,value\n0,1\n60,2\n120,3\n150,4\n", "f.csv: line 5: irregular step"},
      {"timestamp,value\n0,\n60,\n", "f.csv: all values are missing"},
      {"timestamp,value\n0,1,2\n", "f.csv:2: more than two fields"},
      {"timestamp,value\n0\n", "f.csv:2: expected 'timestamp,value'"},
      {"timestamp,value\n2014-13-01T00:00:00Z,1\n", "f.csv:2: bad timestamp"},
      {"timestamp,value\n0,1\n60,2\n99999999960,2\n", "f.csv: series would span"},
  };
  for (const BadCase& c : cases) {
    auto s = ParseSeriesCsv(c.text, "f.csv");
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.status().message(), HasSubstr(c.expected)) << c.text;
    EXPECT_EQ(s.status().message().find('\n'), std::string::npos);
  }
}

TEST(SeriesCsvTest, MissingFileIsNotFound) {
  auto s = ReadSeriesCsv("/nonexistent/file.csv");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(s.status().message(), HasSubstr("/nonexistent/file.csv"));
}

}  // namespace
}  // namespace prescient::metrics
