// koepel/adapters/xml/xml.h
//
// Text for the XML that koepel writes (Cursor on Target, CAP): one escaper, so that no value, whatever
// bytes it holds, can break the markup or make the document invalid XML 1.0, and the number and time
// formats both writers need. Shared by the writers the way adapters/net is shared by the feeds.
//
// Example:
//   out += "<headline>" + xml::EscapeXml(headline, /*attribute=*/false) + "</headline>";
//   out += " callsign=\"" + xml::EscapeXml(callsign, /*attribute=*/true) + "\"";
//
// Errors: none; text that is not well-formed UTF-8, and characters XML 1.0 forbids, become U+FFFD.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace koepel::adapters::xml {

// Escapes text for an XML 1.0 element (attribute = false) or a double-quoted attribute value (true):
// & < > " ' become entities; in attributes tab, LF and CR become character references (attribute-value
// normalisation would turn them into spaces); bytes that are not well-formed UTF-8 and characters XML 1.0
// forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD.
std::string EscapeXml(std::string_view text, bool attribute);

// Fixed-point decimal with `decimals` digits, never "-0.0..." and never exponent notation (xs:decimal).
std::string FormatDecimal(double value, int decimals);

// A wall-clock reading: the UTC instant unix_ms shifted by offset_minutes, to the millisecond (rounded down).
struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millisecond = 0;
};
// nullopt outside the years 1..9999 (xs:dateTime has four-digit years here) or for absurd offsets.
std::optional<CivilTime> ToCivilTime(int64_t unix_ms, int offset_minutes);

}  // namespace koepel::adapters::xml
