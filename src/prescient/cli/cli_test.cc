// Runs the built `prescient` binary as a user would: exit codes, stdout, and the one-line
// errors on stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace prescient::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CommandRun {
  int exit_code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("prescient_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  CommandRun Prescient(const std::string& args, const std::string& stdin_file = "") {
    const std::string out = (dir_ / "stdout").string(), err = (dir_ / "stderr").string();
    std::string cmd = std::string(PRESCIENT_BINARY_DIR) + "/src/prescient/prescient " + args +
                      " >" + out + " 2>" + err;
    if (!stdin_file.empty()) cmd += " <" + stdin_file;
    const int status = std::system(cmd.c_str());
    CommandRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  // Two weeks of an hourly daily cycle.
  std::string HourlySeries(int n = 24 * 14) {
    std::string text = "timestamp,value\n";
    for (int t = 0; t < n; ++t) {
      text += std::to_string(1404172800 + 3600 * t) + "," +
              std::to_string(100 + 50 * std::sin(2 * M_PI * t / 24)) + "\n";
    }
    return Write("hourly.csv", text);
  }

  std::filesystem::path dir_;
};

TEST_F(CliTest, ForecastWritesCsvWithOneBandPairPerLevel) {
  const CommandRun r = Prescient("forecast --input " + HourlySeries() + " --horizon 24");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header, "timestamp,yhat,yhat_lower_80,yhat_upper_80,yhat_lower_95,yhat_upper_95");
  EXPECT_THAT(first, StartsWith("2014-07-15T00:00:00Z,"));
  int rows = 1;
  for (std::string l; std::getline(lines, l);) ++rows;
  EXPECT_EQ(rows, 24);
}

TEST_F(CliTest, JsonFormatLevelsAndStdin) {
  const CommandRun r = Prescient("forecast --input - --horizon 3 --level 50,99 --format json --model snaive", HourlySeries());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["points"].size(), 3u);
  EXPECT_TRUE(j["points"][0].contains("yhat_upper_99"));
  EXPECT_TRUE(j["points"][0].contains("yhat_lower_50"));
  EXPECT_EQ(j["step_seconds"], 3600);
}

TEST_F(CliTest, OutputFile) {
  const std::string out = (dir_ / "f.csv").string();
  const CommandRun r = Prescient("forecast -i " + HourlySeries() + " -n 5 --model mstl -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_THAT(Slurp(out), StartsWith("timestamp,yhat,"));
}

TEST_F(CliTest, ShortHistoryFallsBackAndSaysSo) {
  const CommandRun r = Prescient("forecast --input " + HourlySeries(30) + " --horizon 5");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("season 168 ignored"));
  EXPECT_THAT(r.err, HasSubstr("season 24 ignored"));
}

TEST_F(CliTest, BadInputIsOneLineAndExit2) {
  const std::string good = HourlySeries();
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"forecast --input /nonexistent.csv --horizon 5", "/nonexistent.csv: cannot open"},
      {"forecast --input " + Write("empty.csv", "") + " --horizon 5", "empty.csv: empty file"},
      {"forecast --input " + Write("hdr.csv", "a,b\n1,2\n") + " --horizon 5", "hdr.csv:1: bad header"},
      {"forecast --input " + Write("num.csv", "timestamp,value\n0,1\n60,x\n") + " --horizon 5", "num.csv:3: value 'x' is not a number"},
      {"forecast --input " + Write("ts.csv", "timestamp,value\n0,1\nnoon,2\n") + " --horizon 5", "ts.csv:3: "},
      {"forecast --input " + Write("ord.csv", "timestamp,value\n60,1\n0,2\n") + " --horizon 5", "ord.csv:3: out-of-order"},
      {"forecast --input " + Write("dup.csv", "timestamp,value\n0,1\n0,2\n") + " --horizon 5", "dup.csv:3: duplicate"},
      {"forecast --input " + Write("irr.csv", "timestamp,value\n0,1\n60,1\n120,1\n150,1\n") + " --horizon 5", "irr.csv: line 5: irregular step"},
      {"forecast --input " + Write("nan.csv", "timestamp,value\n0,1\n60,nan\n") + " --horizon 5", "nan.csv:3: value 'nan' is not finite"},
      {"forecast --input " + Write("miss.csv", "timestamp,value\n0,\n60,\n") + " --horizon 5", "miss.csv: all values are missing"},
      {"forecast --input " + good + " --horizon 0", "--horizon must be at least 1"},
      {"forecast --input " + good + " --horizon 99999999999", "--horizon"},
      {"forecast --input " + good + " --horizon 100000", "more than 10 times the history"},
      {"forecast --input " + good + " --horizon abc", "--horizon"},
      {"forecast --input " + good + " --horizon 5 --model lstm", "--model: unknown model 'lstm'"},
      {"forecast --input " + good + " --horizon 5 --season 24,x", "--season: 'x' is not a whole number"},
      {"forecast --input " + good + " --horizon 5 --level 80,100", "--level: '100' is not a percentage"},
      {"forecast --input " + good + " --horizon 5 --format xml", "--format: 'xml' is not csv or json"},
      {"forecast --horizon 5", "--input"},
      {"frobnicate", "subcommand"},
  };
  for (const Case& c : cases) {
    const CommandRun r = Prescient(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_THAT(r.err, StartsWith("prescient: error: ")) << c.args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}

}  // namespace
}  // namespace prescient::cli
