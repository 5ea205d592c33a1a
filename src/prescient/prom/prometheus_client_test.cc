// The pure parts of the Prometheus client: decoding answers (string values, NaN and Inf
// included), error mapping, range splitting and stitching, and a client pointed at a port
// where nothing listens. prometheus_integration_test.cc runs it against a real server.
#include "prescient/prom/prometheus_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "prescient/prom/api_response.h"
#include "prescient/prom/range_plan.h"

namespace prescient::prom {
namespace {

using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

Timestamp At(int64_t seconds) { return Timestamp(Duration(seconds)); }

TEST(ParseSampleValueTest, NumbersNaNAndInfinities) {
  EXPECT_EQ(*ParseSampleValue("54.07"), 54.07);
  EXPECT_EQ(*ParseSampleValue("-3e-2"), -0.03);
  EXPECT_EQ(*ParseSampleValue("0"), 0.0);
  EXPECT_TRUE(std::isnan(*ParseSampleValue("NaN")));
  EXPECT_EQ(*ParseSampleValue("+Inf"), kInf);
  EXPECT_EQ(*ParseSampleValue("-Inf"), -kInf);
  EXPECT_FALSE(ParseSampleValue("").ok());
  EXPECT_FALSE(ParseSampleValue("12abc").ok());
  EXPECT_FALSE(ParseSampleValue(" 1").ok());
  EXPECT_THAT(ParseSampleValue("hello").status().message(), HasSubstr("\"hello\""));
}

TEST(DecodeResponseTest, Vector) {
  auto data = DecodeResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"up","job":"prometheus"},"value":[1795825772.631,"1"]}]}})");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->result_type, "vector");
  ASSERT_EQ(data->series.size(), 1u);
  EXPECT_EQ(data->series[0].labels.at("job"), "prometheus");
  ASSERT_EQ(data->series[0].samples.size(), 1u);
  EXPECT_DOUBLE_EQ(data->series[0].samples[0].time, 1795825772.631);
  EXPECT_EQ(data->series[0].samples[0].value, 1.0);
}

TEST(DecodeResponseTest, MatrixWithNaNAndInfStrings) {
  auto data = DecodeResponse(200, R"({"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"service":"api"},"values":[[1795810680,"54.07"],[1795810740,"NaN"],
       [1795810800,"+Inf"],[1795810860,"-Inf"]]}]},"warnings":["careful"]})");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->series.size(), 1u);
  const auto& s = data->series[0].samples;
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].value, 54.07);
  EXPECT_TRUE(std::isnan(s[1].value));
  EXPECT_EQ(s[2].value, kInf);
  EXPECT_EQ(s[3].value, -kInf);
  EXPECT_THAT(data->warnings, ::testing::ElementsAre("careful"));
}

TEST(DecodeResponseTest, ScalarEmptyAndString) {
  auto scalar = DecodeResponse(
      200, R"({"status":"success","data":{"resultType":"scalar","result":[1,"2"]}})");
  ASSERT_TRUE(scalar.ok());
  ASSERT_EQ(scalar->series.size(), 1u);
  EXPECT_EQ(scalar->series[0].samples[0].value, 2.0);

  auto empty =
      DecodeResponse(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->series.empty());

  auto text = DecodeResponse(
      200, R"({"status":"success","data":{"resultType":"string","result":[1,"hello"]}})");
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
}

TEST(DecodeResponseTest, MalformedBodiesAreErrorsNotExceptions) {
  for (const char* body : {"", "not json", "[]", R"({"status":"success"})",
                           R"({"status":"success","data":{"resultType":"vector","result":{}}})",
                           R"({"status":"success","data":{"resultType":"vector","result":[1]}})",
                           R"({"status":"success","data":{"resultType":"matrix","result":[
                               {"metric":{},"values":[[1,2]]}]}})",
                           R"({"status":"success","data":{"resultType":"vector","result":[
                               {"metric":{"a":1},"value":[1,"2"]}]}})"}) {
    auto data = DecodeResponse(200, body);
    EXPECT_FALSE(data.ok()) << body;
    EXPECT_EQ(data.status().code(), StatusCode::kInvalidArgument) << body;
  }
}

TEST(ErrorFromResponseTest, JsonErrorTypesMapToCodes) {
  const Status bad = ErrorFromResponse(
      400,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"})");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(),
            "bad_data: invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis");
  EXPECT_EQ(
      ErrorFromResponse(422, R"({"status":"error","errorType":"execution","error":"x"})").code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ErrorFromResponse(503, R"({"status":"error","errorType":"timeout","error":"x"})").code(),
      StatusCode::kDeadlineExceeded);
  EXPECT_EQ(
      ErrorFromResponse(503, R"({"status":"error","errorType":"canceled","error":"x"})").code(),
      StatusCode::kUnavailable);
  EXPECT_EQ(
      ErrorFromResponse(500, R"({"status":"error","errorType":"internal","error":"x"})").code(),
      StatusCode::kUnavailable);
  EXPECT_EQ(
      ErrorFromResponse(404, R"({"status":"error","errorType":"not_found","error":"x"})").code(),
      StatusCode::kNotFound);
  // A 200 that says error is still an error.
  EXPECT_EQ(DecodeResponse(200, R"({"status":"error","errorType":"bad_data","error":"x"})")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(ErrorFromResponseTest, NonJsonBodiesMapByHttpStatus) {
  EXPECT_EQ(ErrorFromResponse(502, "<html>bad gateway</html>").code(), StatusCode::kUnavailable);
  EXPECT_THAT(ErrorFromResponse(502, "<html>bad gateway</html>").message(),
              HasSubstr("HTTP 502: <html>bad gateway"));
  EXPECT_EQ(ErrorFromResponse(504, "").code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ErrorFromResponse(429, "slow down").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorFromResponse(401, "").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ErrorFromResponse(403, "").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorFromResponse(400, "nope").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ErrorFromResponse(503, "").IsRetryable());
  EXPECT_FALSE(ErrorFromResponse(400, "").IsRetryable());
}

TEST(RangePlanTest, CountPoints) {
  EXPECT_EQ(CountPoints(At(0), At(0), Duration(60)), 1);
  EXPECT_EQ(CountPoints(At(0), At(59), Duration(60)), 1);
  EXPECT_EQ(CountPoints(At(0), At(60), Duration(60)), 2);
  EXPECT_EQ(CountPoints(At(0), At(3 * 86400 - 60), Duration(60)), 4320);
  EXPECT_EQ(CountPoints(At(10), At(0), Duration(60)), 0);
}

TEST(RangePlanTest, SplitsIntoAlignedChunksWithoutOverlap) {
  // Three days at one minute: 4320 points, 1000 per request -> 5 requests.
  const Timestamp start = At(1'000'000);
  const Timestamp end = start + Duration(4319 * 60);
  auto chunks = SplitRange(start, end, Duration(60), 1000);
  ASSERT_TRUE(chunks.ok());
  ASSERT_EQ(chunks->size(), 5u);
  int64_t total = 0;
  for (size_t i = 0; i < chunks->size(); ++i) {
    const RangeChunk& c = (*chunks)[i];
    const int64_t n = CountPoints(c.start, c.end, Duration(60));
    EXPECT_LE(n, 1000);
    EXPECT_EQ((c.start - start) % Duration(60), Duration(0));
    if (i > 0) {
      EXPECT_EQ(c.start, (*chunks)[i - 1].end + Duration(60));
    }
    total += n;
  }
  EXPECT_EQ(total, 4320);
  EXPECT_EQ(chunks->front().start, start);
  EXPECT_EQ(chunks->back().end, end);
}

TEST(RangePlanTest, ExactMultiplesAndTheServerLimit) {
  auto exact = SplitRange(At(0), At(1999), Duration(1), 1000);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->size(), 2u);
  // Prometheus refuses (end - start) / step > 11000; each chunk stays under it.
  auto big = SplitRange(At(0), At(30 * 86400), Duration(1), kPrometheusMaxPoints);
  ASSERT_TRUE(big.ok());
  for (const RangeChunk& c : *big) EXPECT_LE((c.end - c.start) / Duration(1), 11'000);
  EXPECT_EQ(big->size(), static_cast<size_t>((30 * 86400 + 1 + 10'999) / 11'000));
  // An end between grid points keeps the last whole point.
  auto ragged = SplitRange(At(0), At(150), Duration(60), 2);
  ASSERT_TRUE(ragged.ok());
  ASSERT_EQ(ragged->size(), 2u);
  EXPECT_EQ((*ragged)[1].start, At(120));
  EXPECT_EQ((*ragged)[1].end, At(120));
}

TEST(RangePlanTest, RejectsNonsense) {
  EXPECT_EQ(SplitRange(At(0), At(10), Duration(0), 10).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitRange(At(10), At(0), Duration(1), 10).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitRange(At(0), At(10), Duration(1), 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SplitRange(At(0), At(100'000'000), Duration(1), 10).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(RangePlanTest, PlaceSamplesStitchesChunksAndLeavesGaps) {
  Series grid(At(600), Duration(60), std::vector<double>(6, kMissing));
  // Two chunks' answers, overlapping at 780, one sample missing (840), one off-grid (850)
  // and one outside (1200); fractional times as Prometheus sends them.
  const std::vector<Sample> first = {{600, 1}, {660.0, 2}, {720.0004, 3}, {780, 4}};
  const std::vector<Sample> second = {{780, 4}, {850, 99}, {900, 6}, {1200, 99}};
  PlaceSamples(first, grid);
  PlaceSamples(second, grid);
  EXPECT_EQ(grid[0], 1);
  EXPECT_EQ(grid[1], 2);
  EXPECT_EQ(grid[2], 3);
  EXPECT_EQ(grid[3], 4);
  EXPECT_TRUE(IsMissing(grid[4]));
  EXPECT_EQ(grid[5], 6);
}

TEST(PrometheusClientTest, NothingListeningIsUnavailableAndNamesTheQuery) {
  // Port 1 on loopback: connection refused.
  PrometheusClient client("http://127.0.0.1:1", {.timeout = Duration(2)});
  auto range = client.QueryRange("up", At(0), At(600), Duration(60));
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(range.status().message(), HasSubstr("prometheus: query \"up\": "));
  auto instant = client.QueryInstant("sum(up)", At(0));
  EXPECT_EQ(instant.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(instant.status().IsRetryable());
}

TEST(PrometheusClientTest, BadArgumentsFailBeforeAnyRequest) {
  PrometheusClient client("http://127.0.0.1:1");
  auto range = client.QueryRange("up", At(600), At(0), Duration(60));
  EXPECT_EQ(range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(range.status().message(), HasSubstr("prometheus: query \"up\": end "));
}

// A server that accepts and then does not answer in time: DeadlineExceeded, retryable.
TEST(PrometheusClientTest, ASlowServerIsDeadlineExceeded) {
  httplib::Server server;
  server.Get("/api/v1/query", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    res.set_content(R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]}})",
                    "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread thread([&] { server.listen_after_bind(); });
  PrometheusClient client("http://127.0.0.1:" + std::to_string(port), {.timeout = Duration(1)});
  auto value = client.QueryInstant("1", At(0));
  server.stop();
  thread.join();
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().code(), StatusCode::kDeadlineExceeded) << value.status().ToString();
  EXPECT_THAT(value.status().message(), HasSubstr("prometheus: query \"1\": GET http://"));
  EXPECT_TRUE(value.status().IsRetryable());
}

}  // namespace
}  // namespace prescient::prom
