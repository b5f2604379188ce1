#include <gtest/gtest.h>

#include "koepel/core/core.h"

namespace koepel {
namespace {

Result<int> ParsePositive(int x) {
  if (x <= 0) return InvalidArgumentError("not positive: " + std::to_string(x));
  return x;
}

Result<int> Doubled(int x) {
  KOEPEL_ASSIGN_OR_RETURN(int v, ParsePositive(x));
  return 2 * v;
}

Status Validate(int x) {
  KOEPEL_RETURN_IF_ERROR(ParsePositive(x).status());
  return OkStatus();
}

TEST(StatusTest, OkAndError) {
  EXPECT_TRUE(OkStatus().ok());
  Status s = InvalidArgumentError("bad");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: bad");
  EXPECT_EQ(s.WithContext("file.yaml:3: ").message(), "file.yaml:3: bad");
  EXPECT_TRUE(OkStatus().WithContext("x").ok());
}

TEST(ResultTest, ValueAndErrorPropagate) {
  Result<int> good = Doubled(4);
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, 8);
  Result<int> bad = Doubled(-1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "not positive: -1");
  EXPECT_TRUE(Validate(3).ok());
  EXPECT_EQ(Validate(0).code(), StatusCode::kInvalidArgument);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> bad = InvalidArgumentError("boom");
  EXPECT_DEATH((void)bad.value(), "boom");
}

}  // namespace
}  // namespace koepel
