// SBS-1 / BaseStation CSV lines (dump1090 port 30003).
#include <array>
#include <charconv>
#include <string>

#include "koepel/adapters/adsb/adsb.h"

namespace koepel::adapters::adsb {
namespace {

constexpr std::array<const char*, 22> kFieldNames = {
    "message type", "transmission type", "session id", "aircraft id", "hex ident", "flight id",
    "date generated", "time generated", "date logged", "time logged", "callsign", "altitude",
    "ground speed", "track", "latitude", "longitude", "vertical rate", "squawk",
    "alert", "emergency", "spi", "is on ground"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
bool ParseNumber(std::string_view s, T& value) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// "HH:MM:SS.mmm" (fraction optional) in ms since midnight.
std::optional<int64_t> ParseTimeOfDay(std::string_view s) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  int h = 0, m = 0, sec = 0, ms = 0;
  if (!ParseNumber(s.substr(0, 2), h) || !ParseNumber(s.substr(3, 2), m) || !ParseNumber(s.substr(6, 2), sec)) {
    return std::nullopt;
  }
  if (s.size() > 8) {
    if (s[8] != '.' || s.size() > 12 || s.size() == 9) return std::nullopt;
    std::string_view frac = s.substr(9);
    if (!ParseNumber(frac, ms) || ms < 0) return std::nullopt;
    for (size_t i = frac.size(); i < 3; ++i) ms *= 10;
  }
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return std::nullopt;
  return ((h * 60 + m) * 60 + sec) * int64_t{1000} + ms;
}

}  // namespace

Result<std::optional<SbsMessage>> ParseSbsLine(std::string_view line, int line_number) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (Trim(line).empty()) return std::optional<SbsMessage>();  // heartbeat
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  const std::string where = "line " + std::to_string(line_number) + ": ";
  const std::string_view kind = Trim(fields[0]);
  if (kind == "SEL" || kind == "ID" || kind == "AIR" || kind == "STA" || kind == "CLK") {
    return std::optional<SbsMessage>();
  }
  if (kind != "MSG") return InvalidArgumentError(where + "not an SBS record (type '" + std::string(kind.substr(0, 16)) + "')");
  if (fields.size() < 10 || fields.size() > 22) {
    return InvalidArgumentError(where + std::to_string(fields.size()) + " fields, MSG needs 10 to 22");
  }
  fields.resize(22);
  auto bad = [&](size_t i, const std::string& reason) {
    return InvalidArgumentError(where + "field " + std::to_string(i + 1) + " (" + kFieldNames[i] + "): " + reason);
  };
  SbsMessage msg;
  if (!ParseNumber(Trim(fields[1]), msg.transmission_type) || msg.transmission_type < 1 ||
      msg.transmission_type > 8) {
    return bad(1, "transmission type must be 1..8");
  }
  const std::string_view hex = Trim(fields[4]);
  if (hex.size() != 6) return bad(4, "need 6 hex digits");
  for (const char c : hex) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return bad(4, "not a hex digit");
  }
  std::from_chars(hex.data(), hex.data() + hex.size(), msg.icao, 16);
  msg.date_generated = std::string(Trim(fields[6]));
  msg.time_generated = std::string(Trim(fields[7]));
  if (!msg.time_generated.empty()) {
    msg.time_of_day_ms = ParseTimeOfDay(msg.time_generated);
    if (!msg.time_of_day_ms) return bad(7, "need HH:MM:SS.mmm");
  }
  if (const auto cs = Trim(fields[10]); !cs.empty()) {
    if (cs.size() > 8) return bad(10, "longer than 8 characters");
    msg.callsign = std::string(cs);
  }
  if (auto alt = Trim(fields[11]); !alt.empty()) {
    if (alt.back() == 'H') {
      msg.gnss_altitude = true;
      alt.remove_suffix(1);
    }
    int v = 0;
    if (!ParseNumber(alt, v) || v < -2000 || v > 200000) return bad(11, "not an altitude in feet");
    msg.altitude_ft = v;
  }
  auto real = [&](size_t i, double lo, double hi, std::optional<double>& out) -> Status {
    const auto s = Trim(fields[i]);
    if (s.empty()) return OkStatus();
    double v = 0.0;
    if (!ParseNumber(s, v) || !(v >= lo && v <= hi)) {
      return bad(i, "not a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out = v;
    return OkStatus();
  };
  KOEPEL_RETURN_IF_ERROR(real(12, 0.0, 5000.0, msg.ground_speed_kt));
  KOEPEL_RETURN_IF_ERROR(real(13, -360.0, 360.0, msg.track_deg));
  KOEPEL_RETURN_IF_ERROR(real(14, -90.0, 90.0, msg.lat_deg));
  KOEPEL_RETURN_IF_ERROR(real(15, -180.0, 180.0, msg.lon_deg));
  if (msg.lat_deg.has_value() != msg.lon_deg.has_value()) return bad(15, "latitude without longitude");
  if (auto vr = Trim(fields[16]); !vr.empty()) {
    if (vr.back() == 'H') vr.remove_suffix(1);
    int v = 0;
    if (!ParseNumber(vr, v) || v < -100000 || v > 100000) return bad(16, "not a vertical rate in ft/min");
    msg.vertical_rate_fpm = v;
  }
  if (const auto sq = Trim(fields[17]); !sq.empty()) {
    int v = 0;
    bool octal = sq.size() == 4;
    for (const char c : sq) octal = octal && c >= '0' && c <= '7';
    if (!octal || !ParseNumber(sq, v)) return bad(17, "need 4 octal digits");
    msg.squawk = v;
  }
  const std::array<std::optional<bool>*, 4> flags = {&msg.alert, &msg.emergency, &msg.spi, &msg.on_ground};
  for (size_t k = 0; k < flags.size(); ++k) {
    const auto s = Trim(fields[18 + k]);
    if (s.empty()) continue;
    if (s == "-1" || s == "1") {
      *flags[k] = true;
    } else if (s == "0") {
      *flags[k] = false;
    } else {
      return bad(18 + k, "need -1, 0 or empty");
    }
  }
  return std::optional<SbsMessage>(std::move(msg));
}

}  // namespace koepel::adapters::adsb
