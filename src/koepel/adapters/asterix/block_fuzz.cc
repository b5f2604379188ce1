// Feeds arbitrary bytes to the block decoder (at two base offsets) and the typed views.
// Invariants: no crash; every error starts with "byte N:" with N <= size (N = size: bytes missing
// at the end); records lie inside the input; shifting the base offset shifts every offset and changes nothing else; the
// JSON of every record serialises (valid UTF-8); decoding moves forward (records in increasing offset order, never
// more results than bytes) and a record is `recovered` only after an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "koepel/adapters/asterix/asterix.h"

namespace asterix = koepel::adapters::asterix;

namespace {

size_t ErrorOffset(const std::string& message) {
  if (message.rfind("byte ", 0) != 0) __builtin_trap();
  return std::strtoull(message.c_str() + 5, nullptr, 10);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  constexpr size_t kShift = 1000;
  const auto a = asterix::DecodeBlocks(bytes);
  const auto b = asterix::DecodeBlocks(bytes, kShift);
  if (a.size() != b.size()) __builtin_trap();
  if (a.size() > size) __builtin_trap();  // every result takes at least one byte
  bool error_seen = false;
  size_t next_offset = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].has_value() != b[i].has_value()) __builtin_trap();
    if (!a[i].has_value()) {
      error_seen = true;
      const size_t at = ErrorOffset(a[i].error().message());
      if (at > size || ErrorOffset(b[i].error().message()) != at + kShift) __builtin_trap();
      continue;
    }
    const asterix::Record& r = *a[i];
    if (r.offset >= size || r.length > size - r.offset || b[i]->offset != r.offset + kShift) __builtin_trap();
    if (r.items != b[i]->items || r.recovered != b[i]->recovered) __builtin_trap();
    if (r.recovered && !error_seen) __builtin_trap();
    if (r.offset < next_offset) __builtin_trap();
    next_offset = r.offset + 1;
    try {
      (void)r.ToJson().dump();  // strict UTF-8: throws on invalid strings
    } catch (...) {
      __builtin_trap();
    }
    if (r.category == 48) (void)asterix::ToCat048Plot(r);
    if (r.category == 62) (void)asterix::ToCat062Track(r);
  }
  return 0;
}
