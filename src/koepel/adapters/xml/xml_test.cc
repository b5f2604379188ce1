#include "koepel/adapters/xml/xml.h"

#include <gtest/gtest.h>

namespace koepel::adapters::xml {
namespace {

TEST(EscapeXml, MarkupCharactersBecomeEntities) {
  EXPECT_EQ(EscapeXml("a<b & c>\"d'", false), "a&lt;b &amp; c&gt;&quot;d&apos;");
  EXPECT_EQ(EscapeXml("Nijmegen-Noord", true), "Nijmegen-Noord");
}

TEST(EscapeXml, WhitespaceSurvivesAttributeNormalisation) {
  EXPECT_EQ(EscapeXml("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(EscapeXml("a\tb\nc\rd", false), "a\tb\nc&#13;d");
}

TEST(EscapeXml, NonUtf8AndForbiddenCharactersBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(EscapeXml(std::string("x\x01y", 3), false), "x" + fffd + "y");
  EXPECT_EQ(EscapeXml("\xC3\x28", false), fffd + "(");          // a broken two-byte sequence
  EXPECT_EQ(EscapeXml("\xC0\xAF", false), fffd + fffd);         // an overlong '/'
  EXPECT_EQ(EscapeXml("\xED\xA0\x80", false), fffd + fffd + fffd);  // a UTF-16 surrogate
  EXPECT_EQ(EscapeXml("Fr\xC3\xA9sia \xE2\x82\xAC", false), "Fr\xC3\xA9sia \xE2\x82\xAC");  // kept as is
}

TEST(FormatDecimal, FixedPointWithoutNegativeZeroOrExponent) {
  EXPECT_EQ(FormatDecimal(51.4416, 2), "51.44");
  EXPECT_EQ(FormatDecimal(-1.26, 1), "-1.3");
  EXPECT_EQ(FormatDecimal(-0.0001, 2), "0.00");
  EXPECT_EQ(FormatDecimal(-0.0, 0), "0");
  EXPECT_EQ(FormatDecimal(1e20, 1), "100000000000000000000.0");
}

TEST(ToCivilTime, KnownInstantsOffsetsAndYearLimits) {
  const auto epoch = ToCivilTime(0, 0);
  ASSERT_TRUE(epoch);
  EXPECT_EQ(epoch->year, 1970);
  EXPECT_EQ(epoch->month, 1);
  EXPECT_EQ(epoch->day, 1);
  EXPECT_EQ(epoch->hour, 0);
  // 1,700,000,000 s is 2023-11-14T22:13:20Z; at UTC+02:00 the wall clock has passed midnight.
  const auto cest = ToCivilTime(1'700'000'000'123, 120);
  ASSERT_TRUE(cest);
  EXPECT_EQ(cest->year, 2023);
  EXPECT_EQ(cest->month, 11);
  EXPECT_EQ(cest->day, 15);
  EXPECT_EQ(cest->hour, 0);
  EXPECT_EQ(cest->minute, 13);
  EXPECT_EQ(cest->second, 20);
  EXPECT_EQ(cest->millisecond, 123);
  // One millisecond before the epoch rounds down, not towards zero.
  const auto before = ToCivilTime(-1, 0);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->year, 1969);
  EXPECT_EQ(before->second, 59);
  EXPECT_EQ(before->millisecond, 999);
  // 253,402,300,800,000 ms is 10000-01-01T00:00:00Z: the last representable millisecond is just before it.
  EXPECT_TRUE(ToCivilTime(253'402'300'800'000 - 1, 0));
  EXPECT_FALSE(ToCivilTime(253'402'300'800'000, 0));
  EXPECT_FALSE(ToCivilTime(INT64_MAX, 0));
  EXPECT_FALSE(ToCivilTime(INT64_MIN, 0));
  EXPECT_FALSE(ToCivilTime(0, 1'000'000));
}

}  // namespace
}  // namespace koepel::adapters::xml
