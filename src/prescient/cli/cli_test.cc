// Runs the built `prescient` binary as a user would: exit codes, stdout, and the one-line
// errors on stderr.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "prescient/storage/audit_log.h"

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

  // Five days of per-minute request counts with a daily cycle (a small backtest).
  std::string MinuteTrace(int days = 5) {
    std::string text = "timestamp,value\n";
    for (int t = 0; t < 1440 * days; ++t) {
      const double v =
          3000 + 2000 * std::sin(2 * M_PI * t / 1440) + 300 * std::sin(2 * M_PI * t / 37);
      text +=
          std::to_string(1404172800 + 60 * t) + "," + std::to_string(static_cast<int>(v)) + "\n";
    }
    return Write("trace.csv", text);
  }

  std::filesystem::path dir_;
};

TEST_F(CliTest, BacktestComparesEveryPolicyInStableJson) {
  const CommandRun r = Prescient("backtest --trace " + MinuteTrace() + " --format json --seed 7");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["seed"], 7);
  EXPECT_EQ(j["from"], "2014-07-03T01:00:00Z");  // Two days of history, an hour of warm-up.
  ASSERT_EQ(j["policies"].size(), 4u);
  for (const auto& p : j["policies"]) {
    for (const char* key :
         {"policy", "minutes", "slo_violation_minutes", "requests", "failed_requests",
          "slow_requests", "pod_hours", "node_hours", "cost_usd", "scale_events",
          "mean_cpu_utilization_percent", "forecast", "controller_errors"}) {
      EXPECT_TRUE(p.contains(key)) << key;
    }
    EXPECT_EQ(p["minutes"], 3 * 1440 - 60);
    EXPECT_GT(p["pod_hours"].get<double>(), 0);
    EXPECT_EQ(p["controller_errors"], 0) << p["policy"];
  }
  EXPECT_EQ(j["policies"][0]["policy"], "hpa");
  EXPECT_TRUE(j["policies"][0]["forecast"].is_null());
  EXPECT_GT(j["policies"][1]["forecast"]["forecasts"].get<int>(), 0);
  // static-peak never scales.
  EXPECT_EQ(j["policies"][3]["scale_events"], 0);
}

TEST_F(CliTest, BacktestIsDeterministicForASeed) {
  const std::string trace = MinuteTrace();
  const CommandRun a =
      Prescient("backtest --trace " + trace + " --policies hpa,predictive --format json");
  const CommandRun b =
      Prescient("backtest --trace " + trace + " --policies hpa,predictive --format json");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

TEST_F(CliTest, BacktestTableAndMinuteCsvs) {
  const std::string out = (dir_ / "series").string();
  const CommandRun r =
      Prescient("backtest --trace " + MinuteTrace() + " --policies hpa,predictive --output " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("SLO-viol min"));
  EXPECT_THAT(r.out, HasSubstr("predictive vs hpa: SLO-violation minutes"));
  const std::string csv = Slurp(out + "/predictive.csv");
  EXPECT_THAT(
      csv, StartsWith("timestamp,load_rps,forecast_rps,forecast_upper_rps,replicas,ready_pods,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3 * 1440 - 60);
  EXPECT_TRUE(std::filesystem::exists(out + "/hpa.csv"));
}

TEST_F(CliTest, BacktestBadInputIsOneLineAndExit2) {
  struct Case {
    std::string args, message;
  };
  const std::string good = MinuteTrace();
  const std::string short_trace = Write("short.csv", [] {
    std::string t = "timestamp,value\n";
    for (int i = 0; i < 600; ++i) t += std::to_string(1404172800 + 60 * i) + ",100\n";
    return t;
  }());
  const std::vector<Case> cases = {
      {"backtest --trace " + short_trace, "outside the trace"},
      {"backtest --trace " + good + " --from 2014-07-01T06:00:00Z",
       "trace too short for the forecast"},
      {"backtest --trace " + good + " --capacity-rps 0", "--capacity-rps: must be a number > 0"},
      {"backtest --trace " + good + " --capacity-rps -5", "--capacity-rps"},
      {"backtest --trace " + good + " --policies hpa,magic", "--policies: unknown policy 'magic'"},
      {"backtest --trace " + good + " --startup 120s-30s", "--startup"},
      {"backtest --trace " + good + " --provision soon", "--provision"},
      {"backtest --trace " + good + " --tick 7s", "--tick"},
      {"backtest --trace " + good + " --format xml", "--format"},
      {"backtest --trace " + good + " --level 100", "--level"},
      {"backtest --trace " + good + " --size-to max", "--size-to: 'max' is not peak or mean"},
      {"backtest --trace " + good + " --to 2014-07-01T00:00:00Z", "--to"},
      {"backtest --trace " + Write("neg.csv", "timestamp,value\n0,1\n60,-4\n"),
       "must be a non-negative request count"},
      {"backtest --trace " + Write("bad.csv", "timestamp,value\n0,1\n60,x\n"),
       "bad.csv:3: value 'x' is not a number"},
      {"backtest --trace " + (dir_ / "missing.csv").string(), "missing.csv"},
      {"sim serve --scenario " + (dir_ / "missing.yaml").string(),
       "missing.yaml: cannot read the scenario file"},
      {"sim serve --scenario " + Write("unknown.yaml",
                                       "apiVersion: prescient.dev/v1alpha1\n"
                                       "kind: SimulationScenario\nspec: {nodes: 3}\n"),
       "unknown.yaml:3: spec.nodes: unknown field"},
      {"sim serve --scenario " + Write("notrace.yaml",
                                       "apiVersion: prescient.dev/v1alpha1\n"
                                       "kind: SimulationScenario\nspec:\n  services:\n"
                                       "  - {name: web, trace: {file: nope.csv}, "
                                       "capacityPerPod: 100}\n"),
       "notrace.yaml: spec.services[0].trace.file: no trace file"},
  };
  for (const Case& c : cases) {
    const CommandRun r = Prescient(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
  }
}

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
  const CommandRun r = Prescient(
      "forecast --input - --horizon 3 --level 50,99 --format json --model snaive", HourlySeries());
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
      {"forecast --input " + Write("hdr.csv", "a,b\n1,2\n") + " --horizon 5",
       "hdr.csv:1: bad header"},
      {"forecast --input " + Write("num.csv", "timestamp,value\n0,1\n60,x\n") + " --horizon 5",
       "num.csv:3: value 'x' is not a number"},
      {"forecast --input " + Write("ts.csv", "timestamp,value\n0,1\nnoon,2\n") + " --horizon 5",
       "ts.csv:3: "},
      {"forecast --input " + Write("ord.csv", "timestamp,value\n60,1\n0,2\n") + " --horizon 5",
       "ord.csv:3: out-of-order"},
      {"forecast --input " + Write("dup.csv", "timestamp,value\n0,1\n0,2\n") + " --horizon 5",
       "dup.csv:3: duplicate"},
      {"forecast --input " + Write("irr.csv", "timestamp,value\n0,1\n60,1\n120,1\n150,1\n") +
           " --horizon 5",
       "irr.csv: line 5: irregular step"},
      {"forecast --input " + Write("nan.csv", "timestamp,value\n0,1\n60,nan\n") + " --horizon 5",
       "nan.csv:3: value 'nan' is not finite"},
      {"forecast --input " + Write("miss.csv", "timestamp,value\n0,\n60,\n") + " --horizon 5",
       "miss.csv: all values are missing"},
      {"forecast --input " + good + " --horizon 0", "--horizon must be at least 1"},
      {"forecast --input " + good + " --horizon 99999999999", "--horizon"},
      {"forecast --input " + good + " --horizon 100000", "more than 10 times the history"},
      {"forecast --input " + good + " --horizon abc", "--horizon"},
      {"forecast --input " + good + " --horizon 5 --model lstm", "--model: unknown model 'lstm'"},
      {"forecast --input " + good + " --horizon 5 --season 24,x",
       "--season: 'x' is not a whole number"},
      {"forecast --input " + good + " --horizon 5 --level 80,100",
       "--level: '100' is not a percentage"},
      {"forecast --input " + good + " --horizon 5 --format xml",
       "--format: 'xml' is not csv or json"},
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

TEST_F(CliTest, AuditPrintsTheLogNewestFirst) {
  const std::string db = (dir_ / "audit.db").string();
  {
    Result<std::unique_ptr<storage::AuditLog>> log = storage::AuditLog::Open(db);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    storage::AuditRecord r;
    r.at = Timestamp{std::chrono::seconds{1404172800}};
    r.identity = "prescient-0";
    r.policy = "shop/web";
    r.target = "shop/horizontalpodautoscalers/web";
    r.field = "spec.minReplicas";
    r.from = 2;
    r.to = 6;
    r.reason = "forecast peak 540 rps\nin 30m";
    Result<int64_t> first = (*log)->Intend(r);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*log)->Complete(*first, storage::AuditState::kApplied, r.at).ok());
    r.policy = "shop/cart";
    r.target = "shop/deployments/cart";
    r.field = "spec.replicas";
    r.reason = "clipped by max-step guardrail";
    Result<int64_t> second = (*log)->Intend(r);
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE((*log)->Complete(*second, storage::AuditState::kFailed, r.at, "409").ok());
  }
  const CommandRun table = Prescient("audit --db " + db);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 3) << table.out;
  EXPECT_THAT(table.out, StartsWith("ID  TIME                  POLICY     TARGET"));
  EXPECT_THAT(table.out, HasSubstr("2   2014-07-01T00:00:00Z  shop/cart  shop/deployments/cart"));
  EXPECT_THAT(table.out, HasSubstr("failed   clipped by max-step guardrail (error: 409)\n"));
  EXPECT_THAT(table.out, HasSubstr("applied  forecast peak 540 rps\\nin 30m\n"));
  EXPECT_LT(table.out.find("shop/cart"), table.out.find("shop/web"));

  const CommandRun one = Prescient("audit --db " + db + " --policy shop/web --format json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const nlohmann::json j = nlohmann::json::parse(one.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["id"], 1);
  EXPECT_EQ(j[0]["state"], "applied");
  EXPECT_EQ(j[0]["reason"], "forecast peak 540 rps\nin 30m");
  EXPECT_EQ(j[0]["completed_at"], "2014-07-01T00:00:00Z");
  const CommandRun limited = Prescient("audit --db " + db + " --limit 1 --format json");
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(nlohmann::json::parse(limited.out)[0]["id"], 2);
}

TEST_F(CliTest, AuditBadInputIsOneLineAndNonZero) {
  struct Case {
    std::string args, message;
  };
  const std::string missing = (dir_ / "missing.db").string();
  const std::vector<Case> cases = {
      {"audit --db " + missing, missing + ": no such file"},
      {"audit --db " + Write("text.db", std::string(4096, 'x')), "not a database"},
      {"audit --db " + missing + " --format xml", "--format: 'xml' is not table or json"},
      {"audit --db " + missing + " --limit 0", "--limit"},
  };
  for (const Case& c : cases) {
    const CommandRun r = Prescient(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));  // Reading never creates a log.
}

}  // namespace
}  // namespace prescient::cli
