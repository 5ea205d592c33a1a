#include "prescient/web/api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace prescient::web {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int64_t kT0 = 1720000000 - 1720000000 % 3600;  // On the hour.

Timestamp At(int64_t s) { return Timestamp(Duration(s)); }

// Two services: "web-hpa" with 3 h of rows and two events, "empty" with none.
class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : source_("demo") {
    ServiceSummary s;
    s.id = "web-hpa";
    s.name = "web";
    s.policy = "hpa";
    s.prediction_accuracy_percent = 87.25;
    s.totals.requests = 1000;
    source_.UpsertService(s);
    s.id = "empty";
    s.policy = "predictive";
    s.prediction_accuracy_percent = kUnknown;
    source_.UpsertService(s);
    for (int i = 0; i < 180; ++i) {
      MinuteRow r;
      r.time = At(kT0 + 60 * i);
      r.actual_rps = 100 + i;
      r.forecast_rps = i % 2 == 0 ? 90.0 : kUnknown;
      r.replicas_desired = i < 90 ? 2 : 4;
      r.replicas_ready = r.replicas_desired;
      r.latency_p99_seconds = 0.1 + 0.001 * i;
      r.error_rate = 0;
      r.slo_violation = i == 7;
      source_.AppendMinute("web-hpa", r);
    }
    Event e;
    e.time = At(kT0 + 90 * 60);
    e.service = "web-hpa";
    e.kind = "action";
    e.action = "scale";
    e.from = 2;
    e.to = 4;
    e.reason = "HPA: CPU above target";
    e.result = "applied";
    source_.AddEvent(e);
    e.time = At(kT0 + 100 * 60);
    e.kind = "decision";
    source_.AddEvent(e);
    source_.SetNodes(
        {NodeInfo{"node-1", "hpa", "zone-a", "m5.xlarge", "on-demand", true, 3, 1.5, 4}});
  }

  json Get(const std::string& path, QueryParams params, int want_status = 200) {
    const ApiResponse r = HandleApiRequest(source_, path, params);
    EXPECT_EQ(r.status, want_status) << path << ": " << r.body;
    return json::parse(r.body);
  }
  std::string ErrorOf(const std::string& path, QueryParams params, int want_status = 400) {
    return Get(path, std::move(params), want_status).value("error", "");
  }

  MemorySource source_;
};

TEST_F(ApiTest, ServicesListsEveryServiceWithSloFigures) {
  json j = Get("/api/v1/services", {});
  EXPECT_EQ(j["source"], "demo");
  EXPECT_EQ(j["now"], kT0 + 180 * 60);
  EXPECT_EQ(j["window"]["from"], kT0);
  EXPECT_EQ(j["window"]["to"], kT0 + 180 * 60);
  ASSERT_EQ(j["services"].size(), 2u);
  const json& s = j["services"][0];
  EXPECT_EQ(s["id"], "web-hpa");
  EXPECT_EQ(s["name"], "web");
  EXPECT_EQ(s["policy"], "hpa");
  EXPECT_NEAR(s["availability"].get<double>(), 1 - 1.0 / 180, 1e-6);
  // 180 minutes allow 0.18 bad minutes at 99.9%: one bad minute overspends it.
  EXPECT_NEAR(s["error_budget_remaining"].get<double>(), 1 - 1 / 0.18, 1e-3);
  EXPECT_EQ(s["status"], "red");
  EXPECT_EQ(s["prediction_accuracy_percent"], 87.25);
  EXPECT_TRUE(s["remediation_success_rate"].is_null());
  EXPECT_EQ(s["replicas"]["desired"], 4);
  EXPECT_TRUE(s["replicas"]["hpa_min"].is_null());
  EXPECT_EQ(s["load_rps"], 279);
  EXPECT_EQ(s["actions"], 1);
  EXPECT_EQ(s["slo"]["availability_target"], 0.999);
  EXPECT_FALSE(s.contains("totals"));
  // No rows: the figures are null, never absent.
  const json& e = j["services"][1];
  EXPECT_TRUE(e["availability"].is_null());
  EXPECT_TRUE(e["error_budget_remaining"].is_null());
  EXPECT_TRUE(e["load_rps"].is_null());
  EXPECT_EQ(e["status"], "unknown");
}

TEST_F(ApiTest, ServiceHasTotals) {
  json j = Get("/api/v1/services/web-hpa", {});
  EXPECT_EQ(j["id"], "web-hpa");
  EXPECT_EQ(j["totals"]["minutes"], 180);
  EXPECT_EQ(j["totals"]["slo_violation_minutes"], 1);
  EXPECT_EQ(j["totals"]["requests"], 1000);
  EXPECT_TRUE(j["totals"]["pod_hours"].is_null());
  EXPECT_THAT(ErrorOf("/api/v1/services/nope", {}, 404), HasSubstr("'nope'"));
}

TEST_F(ApiTest, SeriesDefaultsToTheLastDayAtOneMinute) {
  json j = Get("/api/v1/services/web-hpa/series", {});
  EXPECT_EQ(j["to"], kT0 + 180 * 60);
  EXPECT_EQ(j["from"], kT0 + 180 * 60 - 86400);
  EXPECT_EQ(j["step_seconds"], 60);
  ASSERT_EQ(j["time"].size(), 180u);
  EXPECT_EQ(j["time"][0], kT0);
  EXPECT_EQ(j["actual_rps"][0], 100);
  EXPECT_EQ(j["forecast_rps"][0], 90);
  EXPECT_TRUE(j["forecast_rps"][1].is_null());
  EXPECT_TRUE(j["forecast_lower_rps"][0].is_null());
  EXPECT_EQ(j["slo_violation"][7], 1);
  for (const char* col :
       {"actual_rps", "forecast_upper_rps", "replicas_desired", "replicas_ready",
        "hpa_min_replicas", "placeholders", "latency_p99_seconds", "error_rate", "slo_violation"}) {
    EXPECT_EQ(j[col].size(), 180u) << col;
  }
  ASSERT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["events"][0]["kind"], "decision");  // Newest first.
}

TEST_F(ApiTest, SeriesBucketsMeanRatesAndMaxLatency) {
  json j =
      Get("/api/v1/services/web-hpa/series",
          {{"from", std::to_string(kT0)}, {"to", std::to_string(kT0 + 3 * 3600)}, {"step", "1h"}});
  EXPECT_EQ(j["step_seconds"], 3600);
  ASSERT_EQ(j["time"].size(), 3u);
  EXPECT_EQ(j["time"][1], kT0 + 3600);
  EXPECT_DOUBLE_EQ(j["actual_rps"][0].get<double>(), 100 + 59 / 2.0);
  EXPECT_EQ(j["forecast_rps"][0], 90);                          // Mean of the known minutes only.
  EXPECT_DOUBLE_EQ(j["replicas_desired"][1].get<double>(), 3);  // Half 2, half 4.
  EXPECT_DOUBLE_EQ(j["latency_p99_seconds"][0].get<double>(), 0.159);
  EXPECT_EQ(j["slo_violation"][0], 1);
  EXPECT_EQ(j["slo_violation"][1], 0);
}

TEST_F(ApiTest, SeriesDefaultStepKeepsAtMost2000Points) {
  json j = Get("/api/v1/services/web-hpa/series",
               {{"from", "2024-06-01T00:00:00Z"}, {"to", "2024-06-15T00:00:00Z"}});
  EXPECT_EQ(j["step_seconds"], 60 * 11);  // 20160 minutes / 2000 -> 10.08 -> 11.
  EXPECT_EQ(j["time"].size(), 0u);        // No data then: empty columns, not an error.
}

TEST_F(ApiTest, SeriesRejectsBadParameters) {
  const std::string p = "/api/v1/services/web-hpa/series";
  EXPECT_THAT(ErrorOf(p, {{"from", ""}}), HasSubstr("from: empty"));
  EXPECT_THAT(ErrorOf(p, {{"to", ""}}), HasSubstr("to: empty"));
  EXPECT_THAT(ErrorOf(p, {{"step", ""}}), HasSubstr("step: empty"));
  EXPECT_THAT(ErrorOf(p, {{"from", "yesterday"}}), HasSubstr("from: 'yesterday' is not a time"));
  EXPECT_THAT(ErrorOf(p, {{"to", "2024-13-01"}}), HasSubstr("to: '2024-13-01'"));
  EXPECT_THAT(ErrorOf(p, {{"from", "100"}, {"from", "200"}}), HasSubstr("from: given more"));
  EXPECT_THAT(ErrorOf(p, {{"from", "2000"}, {"to", "1000"}}), HasSubstr("from:"));
  EXPECT_THAT(ErrorOf(p, {{"from", "1000"}, {"to", "1000"}}), HasSubstr("is not before to"));
  EXPECT_THAT(ErrorOf(p, {{"from", "2024-01-01"}, {"to", "2024-03-01"}}),
              HasSubstr("more than the 31 days"));
  EXPECT_THAT(ErrorOf(p, {{"step", "90s"}}), HasSubstr("step: '90s' is not a positive multiple"));
  EXPECT_THAT(ErrorOf(p, {{"step", "-60"}}), HasSubstr("step:"));
  EXPECT_THAT(ErrorOf(p, {{"step", "5x"}}), HasSubstr("step:"));
  EXPECT_THAT(ErrorOf(p, {{"from", "2024-06-01"}, {"to", "2024-06-30"}, {"step", "60s"}}),
              HasSubstr("more than 20000"));
  EXPECT_THAT(ErrorOf("/api/v1/services/nope/series", {}, 404), HasSubstr("nope"));
}

TEST_F(ApiTest, SeriesAcceptsIsoTimes) {
  json j = Get("/api/v1/services/web-hpa/series", {{"from", FormatTimestamp(At(kT0))},
                                                   {"to", FormatTimestamp(At(kT0 + 600))},
                                                   {"step", "300"}});
  EXPECT_EQ(j["from"], kT0);
  ASSERT_EQ(j["time"].size(), 2u);
  EXPECT_EQ(j["events"].size(), 0u);
}

TEST_F(ApiTest, EventsNewestFirstWithFilters) {
  json j = Get("/api/v1/events", {});
  ASSERT_EQ(j["events"].size(), 2u);
  const json& e = j["events"][0];
  EXPECT_EQ(e["id"], 2);
  EXPECT_EQ(e["time"], kT0 + 100 * 60);
  EXPECT_EQ(e["service"], "web-hpa");
  EXPECT_EQ(e["action"], "scale");
  EXPECT_EQ(e["from"], 2);
  EXPECT_EQ(e["to"], 4);
  EXPECT_EQ(e["reason"], "HPA: CPU above target");
  EXPECT_EQ(e["result"], "applied");
  EXPECT_EQ(Get("/api/v1/events", {{"limit", "1"}})["events"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/events", {{"since", std::to_string(kT0 + 90 * 60)}})["events"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/events", {{"service", "empty"}})["events"].size(), 0u);
  EXPECT_EQ(Get("/api/v1/events", {{"service", "web-hpa"}})["events"].size(), 2u);
}

TEST_F(ApiTest, EventsRejectBadParameters) {
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"limit", ""}}), HasSubstr("limit: empty"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"limit", "0"}}),
              HasSubstr("limit: '0' is not an integer in 1..1000"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"limit", "1001"}}), HasSubstr("limit:"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"limit", "ten"}}), HasSubstr("limit:"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"limit", "5 "}}), HasSubstr("limit:"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"since", "soon"}}), HasSubstr("since: 'soon'"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"service", ""}}), HasSubstr("service: empty"));
  EXPECT_THAT(ErrorOf("/api/v1/events", {{"service", "nope"}}, 404), HasSubstr("'nope'"));
}

TEST_F(ApiTest, Nodes) {
  json j = Get("/api/v1/nodes", {});
  ASSERT_EQ(j["nodes"].size(), 1u);
  EXPECT_EQ(j["nodes"][0]["name"], "node-1");
  EXPECT_EQ(j["nodes"][0]["cluster"], "hpa");
  EXPECT_EQ(j["nodes"][0]["ready"], true);
  EXPECT_EQ(j["nodes"][0]["cpu_requested"], 1.5);
}

TEST_F(ApiTest, UnknownPathsAre404) {
  EXPECT_THAT(ErrorOf("/api/v1/nothing", {}, 404), HasSubstr("no such path"));
  EXPECT_THAT(ErrorOf("/api/v1/services/web-hpa/other", {}, 404), HasSubstr("no such path"));
  EXPECT_THAT(ErrorOf("/api/v2/services", {}, 404), HasSubstr("no such path"));
}

TEST(ApiEmptySourceTest, EveryEndpointAnswers) {
  MemorySource empty("sim");
  auto get = [&](const std::string& path) {
    const ApiResponse r = HandleApiRequest(empty, path, {});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  };
  json s = get("/api/v1/services");
  EXPECT_EQ(s["source"], "sim");
  EXPECT_EQ(s["services"].size(), 0u);
  EXPECT_TRUE(s["window"]["from"].is_null());
  EXPECT_EQ(get("/api/v1/events")["events"].size(), 0u);
  EXPECT_EQ(get("/api/v1/nodes")["nodes"].size(), 0u);
}

TEST(MemorySourceTest, DropsRowsPastRetentionAndKeepsCounts) {
  MemorySource source("sim", Duration(3600));
  ServiceSummary s;
  s.id = "a";
  source.UpsertService(s);
  for (int i = 0; i < 120; ++i) {
    MinuteRow r;
    r.time = At(kT0 + 60 * i);
    r.slo_violation = i < 10;
    source.AppendMinute("a", r);
  }
  MinuteRow stale;
  stale.time = At(kT0);
  source.AppendMinute("a", stale);  // Older than the newest: dropped.
  const ServiceSummary got = *source.Service("a");
  EXPECT_EQ(got.minutes, 60);
  EXPECT_EQ(got.slo_violation_minutes, 0);
  EXPECT_EQ(got.data_from, At(kT0 + 60 * 60));
  EXPECT_EQ(source.Minutes("a", At(0), At(kT0 + 86400))->size(), 60u);
  EXPECT_FALSE(source.Minutes("b", At(0), At(1)).has_value());
}

}  // namespace
}  // namespace prescient::web
