// IWYU pragma: private, include "koepel/adapters/cot/cot.h"
// The CoT writer's share of adapters/xml (escaping, decimals) and its time format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "koepel/adapters/xml/xml.h"

namespace koepel::adapters::cot::internal {

using xml::EscapeXml;
using xml::FormatDecimal;

}  // namespace koepel::adapters::cot::internal
