// Feeds arbitrary bytes (raw, and as hex text) to the Mode S decoder and a state table.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "koepel/adapters/adsb/adsb.h"

namespace adsb = koepel::adapters::adsb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  adsb::AircraftTable table({.receiver = koepel::geo::LatLonAlt{52.0, 5.0, 0.0}});
  auto raw = adsb::DecodeModeS(std::span<const uint8_t>(data, size));
  if (raw.has_value()) {
    if (raw->bytes.size() != 7 && raw->bytes.size() != 14) __builtin_trap();
    if ((raw->df == 17 || raw->df == 18) && adsb::ModeSCrcRemainder(raw->bytes) != 0) __builtin_trap();
    if (table.Update(*raw, koepel::SimTime::FromNanoseconds(1))) {
      const auto* a = table.Find(raw->icao);
      if (a == nullptr || !a->position || a->position->lat_deg < -90.0 || a->position->lat_deg > 90.0) __builtin_trap();
    }
  }
  auto hex = adsb::DecodeModeSHex(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)hex;
  // Also treat the bytes as CPR fields.
  if (size >= 6) {
    adsb::CprFrame even{static_cast<uint32_t>((data[0] << 9 | data[1] << 1) & 0x1FFFF),
                        static_cast<uint32_t>((data[2] << 9 | data[3] << 1) & 0x1FFFF), false};
    adsb::CprFrame odd{static_cast<uint32_t>((data[4] << 9 | data[5] << 1) & 0x1FFFF), even.lon_cpr, true};
    auto g = adsb::CprGlobalAirborne(even, odd, (data[0] & 1) != 0);
    if (g && (g->lat_deg < -90.0 || g->lat_deg > 90.0 || g->lon_deg < -180.0 || g->lon_deg >= 180.0)) __builtin_trap();
  }
  return 0;
}
