// IWYU pragma: private, include "koepel/adapters/cap/cap.h"
// XML text and time formatting for the CAP writer (the escaping itself is adapters/xml's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koepel/adapters/xml/xml.h"

namespace koepel::adapters::cap::internal {

using xml::EscapeXml;  // adapters/xml

// A wall-clock reading: the UTC instant unix_ms shifted by offset_minutes, to the second (rounded down).
struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};
// nullopt outside the years 1..9999.
std::optional<CivilTime> ToCivil(int64_t unix_ms, int offset_minutes);

// Fixed-point decimal with `decimals` digits, never "-0.0..." and never exponent notation.
std::string FormatDecimal(double value, int decimals);

}  // namespace koepel::adapters::cap::internal
