#include "prescient/app/detect_job.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

namespace prescient::app {
namespace {

class DetectJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("detect_job_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string Read(const std::string& path) {
    std::stringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
  }

  std::filesystem::path dir_;
};

// Three days of hourly points with a daily wave; a spike in the last hour.
std::string WaveCsv(bool spike) {
  std::string csv = "timestamp,value\n";
  const int64_t start = 1767571200;  // 2026-01-05T00:00:00Z
  for (int i = 0; i < 72; ++i) {
    double v = 100 + 20 * std::sin(2 * std::numbers::pi * i / 24.0) + (i % 3) * 0.5;
    if (spike && i == 71) v += 80;
    csv += FormatTimestamp(Timestamp(std::chrono::seconds(start + 3600 * i))) + "," +
           std::to_string(v) + "\n";
  }
  return csv;
}

TEST_F(DetectJobTest, WritesOneRowPerPointAndFlagsTheSpike) {
  DetectJobOptions o;
  o.input = Write("in.csv", WaveCsv(true));
  o.output = (dir_ / "out.csv").string();
  o.training = std::chrono::days(2);
  std::ostringstream notes;
  ASSERT_TRUE(RunDetectJob(o, notes).ok());
  std::istringstream out(Read(o.output));
  std::string line, last;
  std::getline(out, line);
  EXPECT_EQ(line, "timestamp,value,expected,lower,upper,score,anomaly");
  int rows = 0, flagged = 0;
  while (std::getline(out, line)) {
    ++rows;
    flagged += line.back() == '1';
    last = line;
  }
  EXPECT_EQ(rows, 72);
  EXPECT_EQ(flagged, 1);
  EXPECT_EQ(last.back(), '1') << last;
  EXPECT_NE(notes.str().find("1 of 72 points outside the band"), std::string::npos) << notes.str();
}

TEST_F(DetectJobTest, JsonAndExclusions) {
  DetectJobOptions o;
  o.input = Write("in.csv", WaveCsv(true));
  o.output = (dir_ / "out.json").string();
  o.training = std::chrono::days(2);
  o.format = OutputFormat::kJson;
  std::ostringstream notes;
  ASSERT_TRUE(RunDetectJob(o, notes).ok());
  const std::string json = Read(o.output);
  EXPECT_NE(json.find("\"anomaly\": true"), std::string::npos);
  EXPECT_NE(json.find("\"band_width\": 3.0"), std::string::npos);
}

TEST_F(DetectJobTest, BadInputNamesFileAndLine) {
  DetectJobOptions o;
  o.input = Write("bad.csv", "timestamp,value\n2026-01-05T00:00:00Z,1\n2026-01-05T01:00:00Z,x\n");
  std::ostringstream notes;
  const Status s = RunDetectJob(o, notes);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("bad.csv:3"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace prescient::app
