// Arbitrary numbers and text through TrackEvent and ToXml: either an error that names its field, or a document
// whose text cannot break the markup (every '&' starts a known reference, no '<' inside values, no control
// bytes, valid UTF-8).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "koepel/adapters/cot/cot.h"

namespace cot = koepel::adapters::cot;

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
  const std::string_view declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<event ";
  if (xml.compare(0, declaration.size(), declaration) != 0) return false;
  if (xml.size() < 8 || xml.compare(xml.size() - 8, 8, "</event>") != 0) return false;
  if (!ValidUtf8(xml)) return false;
  for (size_t i = declaration.size(); i < xml.size(); ++i) {
    const auto c = static_cast<uint8_t>(xml[i]);
    if (c < 0x20 && c != '\t' && c != '\n') return false;  // tab/LF only inside <remarks> text
    if (c == '&') {
      bool known = false;
      for (std::string_view ref : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;"}) {
        known = known || xml.compare(i, ref.size(), ref) == 0;
      }
      if (!known) return false;
    }
  }
  // Inside attribute values (between =" and ") there is never a '<'.
  for (size_t at = xml.find("=\""); at != std::string::npos; at = xml.find("=\"", at + 2)) {
    const size_t end = xml.find('"', at + 2);
    if (end == std::string::npos || xml.find('<', at + 2) < end) return false;
    at = end - 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kNumbers = 7;
  double numbers[kNumbers] = {};
  const size_t number_bytes = std::min(size, sizeof numbers);
  std::memcpy(numbers, data, number_bytes);
  std::string_view rest(reinterpret_cast<const char*>(data) + number_bytes, size - number_bytes);
  uint8_t selector = rest.empty() ? 0 : static_cast<uint8_t>(rest[0]);
  if (!rest.empty()) rest.remove_prefix(1);
  const size_t split = rest.find('\0');

  koepel::Track track;
  track.id = koepel::TrackId(selector);
  track.identity.affiliation = static_cast<koepel::Affiliation>(selector % 7);
  track.identity.object_class = koepel::kAllObjectClasses[selector % koepel::kObjectClassCount];
  for (size_t k = 0; k < 6; ++k) track.state.x(static_cast<Eigen::Index>(k)) = numbers[k];
  track.state.P(0, 0) = numbers[6];
  track.callsign = std::string(rest.substr(0, split));
  if (split != std::string_view::npos) track.identity.reason = std::string(rest.substr(split + 1));

  const koepel::geo::LocalFrame frame({52.0, 5.0, 0.0});
  cot::CotOptions options;
  options.clock.epoch_unix_ms = static_cast<int64_t>(selector) * 1'000'000'000'000;
  for (bool drop : {false, true}) {
    auto event = drop ? cot::DropEvent(track, frame, koepel::SimTime(), options)
                      : cot::TrackEvent(track, {}, frame, koepel::SimTime(), options);
    if (!event) {
      if (event.error().message().rfind("track ", 0) != 0) __builtin_trap();
      continue;
    }
    auto xml = cot::ToXml(*event);
    if (!xml) {
      if (xml.error().message().rfind("event/", 0) != 0) __builtin_trap();
      continue;
    }
    if (!MarkupIntact(*xml)) __builtin_trap();
  }
  return 0;
}
