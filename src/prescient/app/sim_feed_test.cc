#include "prescient/app/sim_feed.h"

#include <gtest/gtest.h>

namespace prescient::app {
namespace {

sim::MinuteRecord Minute(int64_t t, int replicas, int hpa_min, int placeholders) {
  sim::MinuteRecord m;
  m.time = Timestamp(Duration(t));
  m.stats.load_rps = 500;
  m.stats.p99_s = 0.2;
  m.replicas = replicas;
  m.ready = replicas;
  m.hpa_min = hpa_min;
  m.placeholders = placeholders;
  return m;
}

TEST(SimFeedTest, RowsAndEventsFromChanges) {
  web::MemorySource source("demo");
  SimFeed feed(source);
  feed.AddMinute("web-predictive", "web", "predictive", {}, Minute(600, 4, 2, 0), 400, 480);
  EXPECT_TRUE(source.Events({}).empty());  // The first minute changes nothing.
  feed.AddMinute("web-predictive", "web", "predictive", {}, Minute(660, 8, 8, 2), 700, 900);
  feed.AddMinute("web-predictive", "web", "predictive", {}, Minute(720, 9, 8, 2), 700, 900);

  const std::optional<web::ServiceSummary> s = source.Service("web-predictive");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->name, "web");
  EXPECT_EQ(s->policy, "predictive");
  EXPECT_EQ(s->minutes, 3);
  EXPECT_EQ(s->actions, 4);
  EXPECT_EQ(s->replicas.desired, 9);

  const std::vector<web::Event> events = source.Events({});  // Newest first.
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].action, "scale");
  EXPECT_EQ(events[0].reason, "HPA: 500 rps on 9 ready pods, p99 200 ms");
  EXPECT_EQ(events[0].time, Timestamp(Duration(780)));
  std::vector<std::string> actions;
  for (size_t i = 1; i < 4; ++i) actions.push_back(events[i].action);
  EXPECT_EQ(actions, (std::vector<std::string>{"placeholder", "scale", "set-hpa-min"}));
  EXPECT_EQ(events[3].reason,
            "forecast upper 900 rps (expected 700 rps) needs 8 pods: minReplicas 2 -> 8");
  EXPECT_EQ(events[2].reason, "HPA follows its new floor minReplicas 8");
  EXPECT_EQ(events[3].from, 2);
  EXPECT_EQ(events[3].to, 8);

  const std::vector<web::MinuteRow> rows =
      *source.Minutes("web-predictive", Timestamp(Duration(0)), Timestamp(Duration(3600)));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].forecast_upper_rps, 900);
  EXPECT_EQ(rows[1].hpa_min_replicas, 8);
  EXPECT_DOUBLE_EQ(rows[1].latency_p99_seconds, 0.2);
}

}  // namespace
}  // namespace prescient::app
