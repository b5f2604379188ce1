// Feeds arbitrary bytes to the Beast stream decoder whole and in two chunks; every frame is also Mode S decoded.
// Both feedings must give the same frames and errors; nothing may crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "koepel/adapters/adsb/adsb.h"

namespace adsb = koepel::adapters::adsb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  adsb::BeastDecoder whole;
  auto a = whole.Feed(bytes);
  for (auto& r : whole.Finish()) a.push_back(std::move(r));
  adsb::BeastDecoder split;
  const size_t cut = size == 0 ? 0 : data[0] % size;
  auto b = split.Feed(bytes.first(cut));
  for (auto& r : split.Feed(bytes.subspan(cut))) b.push_back(std::move(r));
  for (auto& r : split.Finish()) b.push_back(std::move(r));
  if (a.size() != b.size()) __builtin_trap();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].has_value() != b[i].has_value()) __builtin_trap();
    if (!a[i].has_value()) {
      if (a[i].error() != b[i].error()) __builtin_trap();
      continue;
    }
    if (a[i]->payload != b[i]->payload || a[i]->offset != b[i]->offset) __builtin_trap();
    if (a[i]->offset >= size) __builtin_trap();
    auto m = adsb::DecodeModeS(a[i]->payload);
    (void)m;
  }
  return 0;
}
