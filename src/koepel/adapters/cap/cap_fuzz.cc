// Arbitrary region names, codes and ring coordinates through CapEncoder (alert, update, all-clear) and ToXml:
// either an error that names its place, or a document whose text cannot break the markup and whose polygons
// are closed with at least 4 points.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "koepel/adapters/cap/cap.h"

namespace cap = koepel::adapters::cap;

namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<uint8_t>(s[i]);
    const size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

bool MarkupIntact(const std::string& xml) {
  if (!ValidUtf8(xml)) return false;
  for (size_t i = 0; i < xml.size(); ++i) {
    const auto c = static_cast<uint8_t>(xml[i]);
    if (c < 0x20 && c != '\n' && c != '\t') return false;
    if (c == '&') {
      bool known = false;
      for (std::string_view ref : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;"}) {
        known = known || xml.compare(i, ref.size(), ref) == 0;
      }
      if (!known) return false;
    }
  }
  return xml.rfind("</alert>\n") == xml.size() - 9;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t split = text.find('\0');
  const std::string_view name = text.substr(0, split);
  std::string_view rest = split == std::string_view::npos ? std::string_view() : text.substr(split + 1);
  const size_t split2 = rest.find('\0');
  const std::string code(rest.substr(0, split2));
  rest = split2 == std::string_view::npos ? std::string_view() : rest.substr(split2 + 1);

  koepel::NamedRegion region;
  region.code = code;
  region.name = std::string(name);
  koepel::geo::GeoPolygon ring;
  for (size_t at = 0; at + 16 <= rest.size() && ring.ring.size() < 500; at += 16) {
    double lat = 0, lon = 0;
    std::memcpy(&lat, rest.data() + at, 8);
    std::memcpy(&lon, rest.data() + at + 8, 8);
    ring.ring.push_back({lat, lon, 0.0});
  }
  region.area.outers.push_back(ring);

  cap::CapOptions options;
  options.max_polygon_points = 4 + size % 20;
  cap::CapEncoder encoder(options, {region});
  int64_t id = 1;
  for (koepel::WarningKind kind :
       {koepel::WarningKind::kUpdate, koepel::WarningKind::kAlert, koepel::WarningKind::kUpdate,
        koepel::WarningKind::kAllClear}) {
    koepel::Warning w;
    w.id = koepel::WarningId(id++);
    w.kind = kind;
    w.region_code = code;
    w.region_name = std::string(name);
    w.issued_at = koepel::SimTime::FromNanoseconds(static_cast<int64_t>(size) * 1'000'000'000'000);
    auto message = encoder.Encode(w);
    if (!message) {
      if (message.error().message().rfind("warning ", 0) != 0) __builtin_trap();
      continue;
    }
    for (const cap::CapInfo& info : message->infos) {
      for (const cap::CapArea& area : info.areas) {
        for (const auto& polygon : area.polygons) {
          if (polygon.size() < 4 || polygon.size() > options.max_polygon_points || !(polygon.front() == polygon.back())) {
            __builtin_trap();
          }
        }
      }
    }
    auto xml = cap::ToXml(*message);
    if (!xml) {
      if (xml.error().message().rfind("alert/", 0) != 0) __builtin_trap();
      continue;
    }
    if (!MarkupIntact(*xml)) __builtin_trap();
  }
  return 0;
}
