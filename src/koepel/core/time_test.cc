#include <gtest/gtest.h>

#include "koepel/core/core.h"

namespace koepel {
namespace {

TEST(TimeTest, ArithmeticIsExactInNanoseconds) {
  SimTime t = SimTime::Epoch() + Seconds(2) + Milliseconds(500);
  EXPECT_EQ(t.nanoseconds(), 2'500'000'000);
  EXPECT_DOUBLE_EQ(t.seconds(), 2.5);
  EXPECT_EQ((t - SimTime::Epoch()), Milliseconds(2500));
  EXPECT_EQ(Seconds(3) / Milliseconds(250), 12);
  EXPECT_LT(SimTime::Epoch(), t);
}

TEST(TimeTest, FromDoubleSecondsRounds) {
  EXPECT_EQ(SecondsF(0.1).nanoseconds(), 100'000'000);
  EXPECT_EQ(SimTimeFromSeconds(1.0000000004).nanoseconds(), 1'000'000'000);
  EXPECT_EQ(FormatSimTime(SimTimeFromSeconds(12.3456)), "T+12.346s");
}

}  // namespace
}  // namespace koepel
