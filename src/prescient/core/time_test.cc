#include "prescient/core/time.h"

#include <gtest/gtest.h>

#include "prescient/core/clock.h"

namespace prescient {
namespace {

int64_t Epoch(std::string_view s) {
  auto t = ParseTimestamp(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().ToString();
  return t.ok() ? t->time_since_epoch().count() : -1;
}

TEST(TimeTest, ParsesIsoForms) {
  EXPECT_EQ(Epoch("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Epoch("2014-07-01T00:00:00Z"), 1404172800);
  EXPECT_EQ(Epoch("2014-07-01 00:00:00"), 1404172800);
  EXPECT_EQ(Epoch("2014-07-01T02:00:00+02:00"), 1404172800);
  EXPECT_EQ(Epoch("2014-06-30T19:00:00-0500"), 1404172800);
  EXPECT_EQ(Epoch("2014-07-01T00:00:00.250Z"), 1404172800);
  EXPECT_EQ(Epoch("2014-07-01T00:00Z"), 1404172800);
  EXPECT_EQ(Epoch("2014-07-01"), 1404172800);
  EXPECT_EQ(Epoch("2000-02-29T00:00:00Z"), 951782400);
  EXPECT_EQ(Epoch("1404172800"), 1404172800);
  EXPECT_EQ(Epoch("1404172800.000"), 1404172800);
}

TEST(TimeTest, RejectsBadTimestamps) {
  for (const char* s : {"", "abc", "2014-02-30T00:00:00Z", "2014-07-01T25:00:00Z",
                        "2014-07-01T00:00:00Q", "2014-07-01T00:00:00+25:00", "1404172800.5",
                        "2014-7-1", "2014-07-01T00", "12345678901234"}) {
    EXPECT_FALSE(ParseTimestamp(s).ok()) << s;
  }
}

TEST(TimeTest, FormatRoundTrips) {
  for (int64_t t : {0LL, 1404172800LL, 951782400LL, 4102444799LL, -86400LL}) {
    const Timestamp ts{Duration(t)};
    EXPECT_EQ(*ParseTimestamp(FormatTimestamp(ts)), ts);
  }
  EXPECT_EQ(FormatTimestamp(Timestamp(Duration(1404172800))), "2014-07-01T00:00:00Z");
}

TEST(TimeTest, Durations) {
  EXPECT_EQ(*ParseDuration("5m"), Duration(300));
  EXPECT_EQ(*ParseDuration("2h30m"), Duration(9000));
  EXPECT_EQ(*ParseDuration("14d"), Duration(14 * 86400));
  EXPECT_EQ(*ParseDuration("300"), Duration(300));
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("5x").ok());
  EXPECT_FALSE(ParseDuration("0m").ok());
  EXPECT_FALSE(ParseDuration("m").ok());
  EXPECT_EQ(FormatDuration(Duration(300)), "5m");
  EXPECT_EQ(FormatDuration(Duration(86400)), "1d");
  EXPECT_EQ(FormatDuration(Duration(90)), "90s");
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(Timestamp(Duration(100)));
  EXPECT_EQ(clock.Now().time_since_epoch().count(), 100);
  clock.Advance(Duration(60));
  EXPECT_EQ(clock.Now().time_since_epoch().count(), 160);
}

}  // namespace
}  // namespace prescient
