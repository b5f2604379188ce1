// IWYU pragma: private, include "koepel/adapters/cot/cot.h"
// XML text and time formatting for the CoT writer. (adapters/cap has its own copy: adapters may not depend on
// each other, and these are a few dozen lines.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace koepel::adapters::cot::internal {

// Escapes text for an XML 1.0 element (attribute = false) or a double-quoted attribute value (true):
// & < > " ' become entities; in attributes tab, LF and CR become character references (attribute-value
// normalisation would turn them into spaces); bytes that are not well-formed UTF-8 and characters XML 1.0
// forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD.
std::string EscapeXml(std::string_view text, bool attribute);

// "2025-05-01T12:00:00.000Z"; nullopt outside the years 1..9999.
std::optional<std::string> FormatUtcMillis(int64_t unix_ms);

// Fixed-point decimal with `decimals` digits, never "-0.0..." and never exponent notation.
std::string FormatDecimal(double value, int decimals);

}  // namespace koepel::adapters::cot::internal
