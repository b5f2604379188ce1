// IWYU pragma: private, include "koepel/adapters/cap/cap.h"
// The CAP writer's share of adapters/xml (escaping, decimals, civil times).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koepel/adapters/xml/xml.h"

namespace koepel::adapters::cap::internal {

using xml::EscapeXml;
using xml::FormatDecimal;
using xml::ToCivilTime;

}  // namespace koepel::adapters::cap::internal
