// IWYU pragma: private, include "koepel/adapters/cot/cot.h"
// XML text and time formatting for the CoT writer (the escaping itself is adapters/xml's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koepel/adapters/xml/xml.h"

namespace koepel::adapters::cot::internal {

using xml::EscapeXml;  // adapters/xml

// "2025-05-01T12:00:00.000Z"; nullopt outside the years 1..9999.
std::optional<std::string> FormatUtcMillis(int64_t unix_ms);

// Fixed-point decimal with `decimals` digits, never "-0.0..." and never exponent notation.
std::string FormatDecimal(double value, int decimals);

}  // namespace koepel::adapters::cot::internal
