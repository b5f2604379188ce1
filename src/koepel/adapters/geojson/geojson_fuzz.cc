// Feeds arbitrary bytes to both region parsers: they must return a value or an error, never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "koepel/adapters/geojson/geojson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto topo = koepel::adapters::ParseTopoJsonRegions(text, "regions", "code,name\nA1,Alpha\n", "fuzz.topo.json");
  auto geo = koepel::adapters::ParseGeoJsonRegions(text, "code", "name", "fuzz.geojson");
  // A success must hold regions with at least one outer ring of 3+ points.
  for (const auto* r : {&topo, &geo}) {
    if (!r->has_value()) continue;
    for (const koepel::NamedRegion& region : r->value()) {
      if (region.area.outers.empty() || region.area.outers[0].ring.size() < 3) __builtin_trap();
    }
  }
  return 0;
}
