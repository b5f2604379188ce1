// Feeds arbitrary text to the SBS line parser, line by line: a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "koepel/adapters/adsb/adsb.h"

namespace adsb = koepel::adapters::adsb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  adsb::AircraftTable table;
  int line_number = 1;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    auto r = adsb::ParseSbsLine(line, line_number);
    if (r.has_value() && r->has_value()) {
      const adsb::SbsMessage& m = **r;
      if (m.transmission_type < 1 || m.transmission_type > 8 || m.icao > 0xFFFFFF) __builtin_trap();
      if (m.lat_deg && (*m.lat_deg < -90.0 || *m.lat_deg > 90.0)) __builtin_trap();
      table.Update(m, koepel::SimTime::FromNanoseconds(line_number));
    } else if (!r.has_value() && r.error().message().rfind("line ", 0) != 0) {
      __builtin_trap();  // errors must be located
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
    ++line_number;
  }
  return 0;
}
