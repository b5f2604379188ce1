// Feeds arbitrary text to the SAPIENT JSON parser and validator: a message or a located error, never a
// crash; a message that passes must survive binary and JSON round trips unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "koepel/adapters/sapient/sapient.h"

namespace sapient = koepel::adapters::sapient;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = sapient::ParseAndValidateJson(text);
  if (!parsed.has_value()) {
    const std::string& why = parsed.error().message();
    // Located: a JSON parser reason ("json: ...") or a field path ("detection_report.location: ...").
    if (why.rfind("json: ", 0) != 0 && why.find(": ") == std::string::npos) __builtin_trap();
    return 0;
  }
  if (!sapient::Validate(*parsed).ok()) __builtin_trap();
  const std::vector<uint8_t> framed = sapient::Frame(*parsed);
  auto back = sapient::DecodeBinary(std::span<const uint8_t>(framed).subspan(4));
  if (!back.has_value() || back->SerializeAsString() != parsed->SerializeAsString()) __builtin_trap();
  auto again = sapient::ParseJson(sapient::ToJson(*parsed));
  if (!again.has_value() || again->SerializeAsString() != parsed->SerializeAsString()) __builtin_trap();
  return 0;
}
