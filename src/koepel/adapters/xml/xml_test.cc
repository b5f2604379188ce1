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

}  // namespace
}  // namespace koepel::adapters::xml
