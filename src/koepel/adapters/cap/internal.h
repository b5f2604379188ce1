// IWYU pragma: private, include "koepel/adapters/cap/cap.h"
// XML text and time formatting for the CAP writer. (adapters/cot has its own copy: adapters may not depend on
// each other, and these are a few dozen lines.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace koepel::adapters::cap::internal {

// Escapes text for an XML 1.0 element (attribute = false) or a double-quoted attribute value (true):
// & < > " ' become entities; in attributes tab, LF and CR become character references (attribute-value
// normalisation would turn them into spaces); bytes that are not well-formed UTF-8 and characters XML 1.0
// forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD.
std::string EscapeXml(std::string_view text, bool attribute);

// A wall-clock reading: the UTC instant unix_ms shifted by offset_minutes, to the second (rounded down).
struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};
// nullopt outside the years 1..9999.
std::optional<CivilTime> ToCivil(int64_t unix_ms, int offset_minutes);

// Fixed-point decimal with `decimals` digits, never "-0.0..." and never exponent notation.
std::string FormatDecimal(double value, int decimals);

}  // namespace koepel::adapters::cap::internal
