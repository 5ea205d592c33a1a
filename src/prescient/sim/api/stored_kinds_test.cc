#include "prescient/sim/api/stored_kinds.h"

#include <gtest/gtest.h>

namespace prescient::sim::api {
namespace {

using nlohmann::json;

const Timestamp kNow = *ParseTimestamp("2026-11-28T10:00:00Z");

TEST(StoredKindsTest, BuiltInNamespacesAndPriorityClasses) {
  int namespaces = 0, classes = 0;
  for (const auto& [resource, object] : BuiltInObjects(kNow)) {
    namespaces += resource == "namespaces";
    classes += resource == "priorityclasses";
    EXPECT_TRUE(object["metadata"].contains("uid"));
  }
  EXPECT_EQ(namespaces, 4);
  EXPECT_EQ(classes, 2);
}

TEST(StoredKindsTest, LeaseCreateDefaultsAndValidates) {
  json lease = {{"metadata", {{"name", "prescient-leader"}}},
                {"spec",
                 {{"holderIdentity", "a"},
                  {"leaseDurationSeconds", 15},
                  {"renewTime", "2026-11-28T10:00:00.123456Z"}}}};
  Result<json> made = PrepareCreate("leases", lease, "default", kNow, 1);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ((*made)["kind"], "Lease");
  EXPECT_EQ((*made)["apiVersion"], "coordination.k8s.io/v1");
  EXPECT_EQ((*made)["metadata"]["namespace"], "default");
  EXPECT_EQ((*made)["metadata"]["creationTimestamp"], "2026-11-28T10:00:00Z");
  json bad = lease;
  bad["spec"]["renewTime"] = "2026-11-28T10:00:00Z";  // Not MicroTime.
  EXPECT_FALSE(PrepareCreate("leases", bad, "default", kNow, 2).ok());
  bad = lease;
  bad["spec"]["leaseDurationSeconds"] = 0;
  EXPECT_FALSE(PrepareCreate("leases", bad, "default", kNow, 3).ok());
  bad = lease;
  bad["metadata"]["name"] = "Not_A_Name";
  EXPECT_FALSE(PrepareCreate("leases", bad, "default", kNow, 4).ok());
  bad = lease;
  bad["metadata"]["namespace"] = "other";
  EXPECT_FALSE(PrepareCreate("leases", bad, "default", kNow, 5).ok());
}

// The real server reads MicroTime with Go's time.Parse and serves it back in UTC.
TEST(StoredKindsTest, LeaseMicroTimeParsedAndServedAsTheRealServerDoes) {
  struct Case {
    const char* sent;
    const char* stored;  // nullptr: rejected.
  };
  const Case cases[] = {
      {"2026-11-28T10:00:00.123456Z", "2026-11-28T10:00:00.123456Z"},
      {"2026-11-28T11:30:00.123456+01:30", "2026-11-28T10:00:00.123456Z"},
      {"2026-11-28T23:00:00.000001-02:00", "2026-11-29T01:00:00.000001Z"},
      {"2026-11-28T10:00:00,123456Z", "2026-11-28T10:00:00.123456Z"},  // Go 1.17+.
      {"2028-02-29T00:00:00.000000Z", "2028-02-29T00:00:00.000000Z"},
      {"2026-11-28T10:00:00Z", nullptr},
      {"2026-11-28T10:00:00.123Z", nullptr},
      {"2026-11-28T10:00:00.123456789Z", nullptr},
      {"2026-11-28 10:00:00.123456Z", nullptr},
      {"2026-11-28T10:00:00.123456", nullptr},
      {"2026-13-01T10:00:00.000000Z", nullptr},
      {"2026-02-29T10:00:00.000000Z", nullptr},
      {"2026-11-28T24:00:00.000000Z", nullptr},
      {"2026-11-28T10:60:00.000000Z", nullptr},
      {"2026-11-28T10:00:60.000000Z", nullptr},
      {"2026-11-28T10:00:00.000000+25:00", nullptr},
  };
  for (const Case& c : cases) {
    for (const char* field : {"acquireTime", "renewTime"}) {
      const json lease = {{"metadata", {{"name", "l"}}}, {"spec", {{field, c.sent}}}};
      Result<json> made = PrepareCreate("leases", lease, "default", kNow, 1);
      if (c.stored == nullptr) {
        EXPECT_FALSE(made.ok()) << c.sent;
        continue;
      }
      ASSERT_TRUE(made.ok()) << c.sent << ": " << made.status().message();
      EXPECT_EQ((*made)["spec"][field], c.stored) << c.sent;
      Result<json> updated = PrepareUpdate("leases", lease, *made);
      ASSERT_TRUE(updated.ok()) << c.sent << ": " << updated.status().message();
      EXPECT_EQ((*updated)["spec"][field], c.stored) << c.sent;
    }
  }
}

TEST(StoredKindsTest, GenerateName) {
  json e = {{"metadata", {{"generateName", "web-"}}}, {"involvedObject", {{"name", "web"}}}};
  Result<json> made = PrepareCreate("events", e, "default", kNow, 7);
  ASSERT_TRUE(made.ok()) << made.status().message();
  const std::string name = (*made)["metadata"]["name"];
  EXPECT_EQ(name.size(), 9u);
  EXPECT_EQ(name.substr(0, 4), "web-");
  EXPECT_EQ((*made)["count"], 1);
}

TEST(StoredKindsTest, PriorityClassValueIsRequiredBoundedAndImmutable) {
  json pc = {{"metadata", {{"name", "placeholder"}}}, {"value", -10}};
  Result<json> made = PrepareCreate("priorityclasses", pc, "", kNow, 1);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ((*made)["preemptionPolicy"], "PreemptLowerPriority");
  EXPECT_FALSE((*made)["metadata"].contains("namespace"));
  json changed = *made;
  changed["value"] = 5;
  EXPECT_FALSE(PrepareUpdate("priorityclasses", changed, *made).ok());
  changed = *made;
  changed["description"] = "warm capacity";
  EXPECT_TRUE(PrepareUpdate("priorityclasses", changed, *made).ok());
  EXPECT_FALSE(PrepareCreate("priorityclasses", {{"metadata", {{"name", "x"}}}}, "", kNow, 2).ok());
  EXPECT_FALSE(PrepareCreate("priorityclasses",
                             {{"metadata", {{"name", "x"}}}, {"value", 2000000000}}, "", kNow, 3)
                   .ok());
}

TEST(StoredKindsTest, EventsConvertBothWays) {
  json core = {{"metadata", {{"name", "web.1"}, {"namespace", "default"}}},
               {"involvedObject", {{"kind", "Deployment"}, {"name", "web"}}},
               {"reason", "ScalingReplicaSet"},
               {"message", "Scaled up"},
               {"type", "Normal"},
               {"count", 2},
               {"reportingComponent", "deployment-controller"}};
  json v1 = CoreEventToEventsV1(core);
  EXPECT_EQ(v1["apiVersion"], "events.k8s.io/v1");
  EXPECT_EQ(v1["regarding"]["name"], "web");
  EXPECT_EQ(v1["note"], "Scaled up");
  EXPECT_EQ(v1["deprecatedCount"], 2);
  json back = EventsV1ToCoreEvent(v1);
  EXPECT_EQ(back["involvedObject"], core["involvedObject"]);
  EXPECT_EQ(back["message"], core["message"]);
  EXPECT_EQ(back["count"], 2);
  const json row = StoredRow("events", core, kNow);
  EXPECT_EQ(row[3], "deployment/web");
}

}  // namespace
}  // namespace prescient::sim::api
