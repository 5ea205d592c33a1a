#include "prescient/core/series.h"

#include <gtest/gtest.h>

namespace prescient {
namespace {

Timestamp T(int64_t s) { return Timestamp(Duration(s)); }

TEST(SeriesTest, DetectsStepAndFillsGaps) {
  std::vector<TimedValue> pts = {{T(0), 1}, {T(300), 2}, {T(900), 4}, {T(1200), 5}};
  auto s = Series::FromPoints(pts);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->step(), Duration(300));
  ASSERT_EQ(s->size(), 5u);
  EXPECT_TRUE(IsMissing((*s)[2]));
  EXPECT_EQ(s->TimeAt(4), T(1200));
  EXPECT_EQ(s->Slice(1, 3).size(), 2u);
  EXPECT_EQ(s->Slice(1, 3).start(), T(300));
}

TEST(SeriesTest, RejectsIrregularAndUnordered) {
  std::vector<TimedValue> irregular = {{T(0), 1}, {T(300), 2}, {T(600), 3}, {T(700), 4}};
  EXPECT_FALSE(Series::FromPoints(irregular).ok());
  std::vector<TimedValue> dup = {{T(0), 1}, {T(0), 2}};
  EXPECT_FALSE(Series::FromPoints(dup).ok());
  std::vector<TimedValue> back = {{T(60), 1}, {T(0), 2}};
  EXPECT_FALSE(Series::FromPoints(back).ok());
  EXPECT_FALSE(Series::FromPoints({}).ok());
}

}  // namespace
}  // namespace prescient
