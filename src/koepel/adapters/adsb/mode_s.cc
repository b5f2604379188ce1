// Mode S message decoding and CPR (DO-260 airborne formats).
#include <cmath>
#include <numbers>
#include <string>

#include "koepel/adapters/adsb/adsb.h"

namespace koepel::adapters::adsb {
namespace {

constexpr uint32_t kGenerator = 0xFFF409;  // x^24 term implicit
constexpr double kCprScale = 131072.0;     // 2^17
constexpr int kNz = 15;

// Bits [start, start + length) of the message, bit 0 = most significant bit of byte 0.
uint64_t Bits(std::span<const uint8_t> m, int start, int length) {
  uint64_t v = 0;
  for (int i = start; i < start + length; ++i) {
    const int bit = (m[static_cast<size_t>(i / 8)] >> (7 - i % 8)) & 1;
    v = (v << 1) | static_cast<uint64_t>(bit);
  }
  return v;
}

// Floating modulo with a non-negative result for positive y.
double Mod(double x, double y) { return x - y * std::floor(x / y); }

std::string Hex24(uint32_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s(6, '0');
  for (int i = 5; i >= 0; --i) {
    s[static_cast<size_t>(i)] = kDigits[v & 0xF];
    v >>= 4;
  }
  return s;
}

uint32_t GrayToBinary(uint32_t g) {
  uint32_t b = g;
  while (g >>= 1) b ^= g;
  return b;
}

// Gillham (Mode C) altitude, 100 ft steps, from a 13-bit code laid out C1 A1 C2 A2 C4 A4 M B1 Q B2 D2 B4 D4
// (M and Q zero). The 500 ft part is the Gray code D2 D4 A1 A2 A4 B1 B2 B4, the 100 ft part the C bits
// in a reflected 1-2-4 code.
std::optional<int> DecodeGillham(uint32_t code) {
  auto bit = [code](int from_msb) { return (code >> (12 - from_msb)) & 1u; };
  const uint32_t c1 = bit(0), a1 = bit(1), c2 = bit(2), a2 = bit(3), c4 = bit(4), a4 = bit(5);
  const uint32_t b1 = bit(7), b2 = bit(9), d2 = bit(10), b4 = bit(11), d4 = bit(12);
  const uint32_t g500 = (d2 << 7) | (d4 << 6) | (a1 << 5) | (a2 << 4) | (a4 << 3) | (b1 << 2) | (b2 << 1) | b4;
  const int n500 = static_cast<int>(GrayToBinary(g500));
  int n100 = static_cast<int>(GrayToBinary((c1 << 2) | (c2 << 1) | c4));
  if (n100 == 0 || n100 == 5 || n100 == 6) return std::nullopt;  // illegal C patterns
  if (n100 == 7) n100 = 5;
  if (n500 % 2 == 1) n100 = 6 - n100;
  return n500 * 500 + n100 * 100 - 1300;
}

// The 13-bit altitude code of DF0/4/16/20: Q = 1 gives 25 ft steps, Q = 0 the Gillham code; metric (M = 1)
// is not decoded.
std::optional<int> DecodeAc13(uint32_t code) {
  if (code == 0) return std::nullopt;
  if ((code & 0x40) != 0) return std::nullopt;
  if ((code & 0x10) == 0) return DecodeGillham(code);
  const uint32_t n = ((code & 0x1F80) >> 2) | ((code & 0x20) >> 1) | (code & 0x0F);
  return static_cast<int>(n) * 25 - 1000;
}

// The 12-bit altitude of an airborne position: AC13 without the M bit (re-inserted as 0).
std::optional<int> DecodeAc12(uint32_t code) {
  return DecodeAc13(((code & 0xFC0) << 1) | (code & 0x3F));
}

// The 13-bit identity code (C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4) as its four octal digits ABCD.
int DecodeSquawk(uint32_t id) {
  auto bit = [id](int from_msb) { return static_cast<int>((id >> (12 - from_msb)) & 1); };
  const int a = bit(1) | (bit(3) << 1) | (bit(5) << 2);
  const int b = bit(7) | (bit(9) << 1) | (bit(11) << 2);
  const int c = bit(0) | (bit(2) << 1) | (bit(4) << 2);
  const int d = bit(8) | (bit(10) << 1) | (bit(12) << 2);
  return a * 1000 + b * 100 + c * 10 + d;
}

// Horizontal containment radius by airborne position type code (NUCp table of DO-260).
std::optional<double> ContainmentRadius(int tc) {
  switch (tc) {
    case 9: case 20: return 7.5;
    case 10: case 21: return 25.0;
    case 11: return 185.2;
    case 12: return 370.4;
    case 13: return 926.0;
    case 14: return 1852.0;
    case 15: return 3704.0;
    case 16: return 18520.0;
    case 17: return 37040.0;
    default: return std::nullopt;
  }
}

Identification DecodeIdentification(std::span<const uint8_t> m) {
  static constexpr char kCharset[] =
      "#ABCDEFGHIJKLMNOPQRSTUVWXYZ##### ###############0123456789######";
  Identification id;
  id.category = static_cast<int>(Bits(m, 37, 3));
  for (int i = 0; i < 8; ++i) id.callsign.push_back(kCharset[Bits(m, 40 + 6 * i, 6)]);
  while (!id.callsign.empty() && id.callsign.back() == ' ') id.callsign.pop_back();
  return id;
}

AirbornePosition DecodePosition(std::span<const uint8_t> m, int tc) {
  AirbornePosition p;
  p.surveillance_status = static_cast<int>(Bits(m, 37, 2));
  const auto alt = static_cast<uint32_t>(Bits(m, 40, 12));
  if (tc >= 20) {
    p.gnss_altitude = true;
    if (alt != 0) p.altitude_ft = static_cast<int>(std::lround(alt * 3.28084));
  } else {
    p.altitude_ft = DecodeAc12(alt);
  }
  p.cpr.odd = Bits(m, 53, 1) != 0;
  p.cpr.lat_cpr = static_cast<uint32_t>(Bits(m, 54, 17));
  p.cpr.lon_cpr = static_cast<uint32_t>(Bits(m, 71, 17));
  p.containment_radius_m = ContainmentRadius(tc);
  return p;
}

Result<AirborneVelocity> DecodeVelocity(std::span<const uint8_t> m) {
  AirborneVelocity v;
  v.subtype = static_cast<int>(Bits(m, 37, 3));
  if (v.subtype < 1 || v.subtype > 4) {
    return InvalidArgumentError("airborne velocity subtype " + std::to_string(v.subtype) + " is reserved");
  }
  const double factor = (v.subtype == 2 || v.subtype == 4) ? 4.0 : 1.0;  // supersonic
  if (v.subtype <= 2) {
    const auto vew = Bits(m, 46, 10);
    const auto vns = Bits(m, 57, 10);
    if (vew != 0 && vns != 0) {
      const double east = (Bits(m, 45, 1) ? -1.0 : 1.0) * static_cast<double>(vew - 1) * factor;
      const double north = (Bits(m, 56, 1) ? -1.0 : 1.0) * static_cast<double>(vns - 1) * factor;
      v.velocity_east_kt = east;
      v.velocity_north_kt = north;
      v.ground_speed_kt = std::hypot(east, north);
      v.track_deg = Mod(std::atan2(east, north) * 180.0 / std::numbers::pi, 360.0);
    }
  } else {
    if (Bits(m, 45, 1)) v.heading_deg = static_cast<double>(Bits(m, 46, 10)) * 360.0 / 1024.0;
    v.true_airspeed = Bits(m, 56, 1) != 0;
    const auto as = Bits(m, 57, 10);
    if (as != 0) v.airspeed_kt = static_cast<double>(as - 1) * factor;
  }
  v.vertical_rate_baro = Bits(m, 67, 1) != 0;
  const auto vr = Bits(m, 69, 9);
  if (vr != 0) v.vertical_rate_fpm = (Bits(m, 68, 1) ? -1 : 1) * static_cast<int>(vr - 1) * 64;
  return v;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

uint32_t ModeSCrcRemainder(std::span<const uint8_t> message) {
  if (message.size() < 3) return 0xFFFFFFFF;
  uint32_t crc = 0;
  for (size_t i = 0; i + 3 < message.size(); ++i) {
    crc ^= static_cast<uint32_t>(message[i]) << 16;
    for (int b = 0; b < 8; ++b) {
      crc = (crc & 0x800000) ? ((crc << 1) ^ kGenerator) : (crc << 1);
      crc &= 0xFFFFFF;
    }
  }
  const size_t n = message.size();
  const uint32_t parity = (static_cast<uint32_t>(message[n - 3]) << 16) |
                          (static_cast<uint32_t>(message[n - 2]) << 8) | message[n - 1];
  return crc ^ parity;
}

int CprNl(double lat_deg) {
  const double lat = std::fabs(lat_deg);
  if (lat == 0.0) return 59;
  if (lat == 87.0) return 2;
  if (lat > 87.0) return 1;
  const double a = 1.0 - std::cos(std::numbers::pi / (2.0 * kNz));
  const double c = std::cos(std::numbers::pi * lat / 180.0);
  return static_cast<int>(std::floor(2.0 * std::numbers::pi / std::acos(1.0 - a / (c * c))));
}

std::optional<LatLon> CprGlobalAirborne(const CprFrame& even, const CprFrame& odd, bool odd_is_newer) {
  const double lat_e_cpr = even.lat_cpr / kCprScale;
  const double lat_o_cpr = odd.lat_cpr / kCprScale;
  const double lon_e_cpr = even.lon_cpr / kCprScale;
  const double lon_o_cpr = odd.lon_cpr / kCprScale;
  const double j = std::floor(59.0 * lat_e_cpr - 60.0 * lat_o_cpr + 0.5);
  double lat_e = 360.0 / 60.0 * (Mod(j, 60.0) + lat_e_cpr);
  double lat_o = 360.0 / 59.0 * (Mod(j, 59.0) + lat_o_cpr);
  if (lat_e >= 270.0) lat_e -= 360.0;
  if (lat_o >= 270.0) lat_o -= 360.0;
  if (std::fabs(lat_e) > 90.0 || std::fabs(lat_o) > 90.0) return std::nullopt;
  const int nl = CprNl(lat_e);
  if (nl != CprNl(lat_o)) return std::nullopt;
  const double m = std::floor(lon_e_cpr * (nl - 1) - lon_o_cpr * nl + 0.5);
  LatLon out;
  if (odd_is_newer) {
    const int ni = std::max(nl - 1, 1);
    out.lat_deg = lat_o;
    out.lon_deg = 360.0 / ni * (Mod(m, ni) + lon_o_cpr);
  } else {
    const int ni = std::max(nl, 1);
    out.lat_deg = lat_e;
    out.lon_deg = 360.0 / ni * (Mod(m, ni) + lon_e_cpr);
  }
  if (out.lon_deg >= 180.0) out.lon_deg -= 360.0;
  return out;
}

LatLon CprLocalAirborne(const CprFrame& frame, const LatLon& reference) {
  const double lat_cpr = frame.lat_cpr / kCprScale;
  const double lon_cpr = frame.lon_cpr / kCprScale;
  const double dlat = frame.odd ? 360.0 / 59.0 : 360.0 / 60.0;
  const double j = std::floor(reference.lat_deg / dlat) +
                   std::floor(0.5 + Mod(reference.lat_deg, dlat) / dlat - lat_cpr);
  LatLon out;
  out.lat_deg = dlat * (j + lat_cpr);
  const int ni = std::max(CprNl(out.lat_deg) - (frame.odd ? 1 : 0), 1);
  const double dlon = 360.0 / ni;
  const double m = std::floor(reference.lon_deg / dlon) +
                   std::floor(0.5 + Mod(reference.lon_deg, dlon) / dlon - lon_cpr);
  out.lon_deg = dlon * (m + lon_cpr);
  if (out.lon_deg >= 180.0) out.lon_deg -= 360.0;
  if (out.lon_deg < -180.0) out.lon_deg += 360.0;
  return out;
}

Result<ModeSMessage> DecodeModeS(std::span<const uint8_t> message) {
  if (message.empty()) return InvalidArgumentError("empty Mode S message");
  ModeSMessage out;
  out.df = static_cast<int>(message[0] >> 3);
  const size_t expected = out.df >= 16 ? 14 : 7;
  if (message.size() != expected) {
    return InvalidArgumentError("DF" + std::to_string(out.df) + " needs " + std::to_string(expected) +
                                " bytes, got " + std::to_string(message.size()));
  }
  out.bytes.assign(message.begin(), message.end());
  const uint32_t remainder = ModeSCrcRemainder(message);
  switch (out.df) {
    case 17:
    case 18:
    case 11:
      out.icao = static_cast<uint32_t>(Bits(message, 8, 24));
      break;
    default:
      out.icao = remainder;  // address/parity
      break;
  }
  if (out.df == 17 || out.df == 18) {
    if (remainder != 0) {
      return InvalidArgumentError("DF" + std::to_string(out.df) + " CRC mismatch (remainder 0x" +
                                  Hex24(remainder) + ") for ICAO " + Hex24(out.icao));
    }
    out.type_code = static_cast<int>(Bits(message, 32, 5));
    const int tc = out.type_code;
    if (tc >= 1 && tc <= 4) {
      out.content = DecodeIdentification(message);
    } else if ((tc >= 9 && tc <= 18) || (tc >= 20 && tc <= 22)) {
      out.content = DecodePosition(message, tc);
    } else if (tc == 19) {
      KOEPEL_ASSIGN_OR_RETURN(AirborneVelocity v, DecodeVelocity(message));
      out.content = v;
    }
  } else if (out.df == 11) {
    // All-call reply: parity is XORed with the interrogator id, which is 0..79 in the low bits.
    if ((remainder & 0xFFFF80) != 0) {
      return InvalidArgumentError("DF11 CRC mismatch (remainder 0x" + Hex24(remainder) + ")");
    }
  } else if (out.df == 0 || out.df == 4 || out.df == 16 || out.df == 20) {
    out.altitude_ft = DecodeAc13(static_cast<uint32_t>(Bits(message, 19, 13)));
  } else if (out.df == 5 || out.df == 21) {
    out.squawk = DecodeSquawk(static_cast<uint32_t>(Bits(message, 19, 13)));
  }
  return out;
}

Result<ModeSMessage> DecodeModeSHex(std::string_view hex) {
  size_t begin = 0;
  size_t end = hex.size();
  while (end > begin && (hex[end - 1] == '\r' || hex[end - 1] == '\n' || hex[end - 1] == ' ')) --end;
  if (begin < end && hex[begin] == '*') ++begin;
  if (end > begin && hex[end - 1] == ';') --end;
  const size_t digits = end - begin;
  if (digits != 14 && digits != 28) {
    return InvalidArgumentError("hex message has " + std::to_string(digits) + " digits, need 14 or 28");
  }
  std::vector<uint8_t> bytes(digits / 2);
  for (size_t i = 0; i < digits; ++i) {
    const int v = HexValue(hex[begin + i]);
    if (v < 0) return InvalidArgumentError("character " + std::to_string(begin + i) + ": not a hex digit");
    bytes[i / 2] = static_cast<uint8_t>((bytes[i / 2] << 4) | v);
  }
  return DecodeModeS(bytes);
}

}  // namespace koepel::adapters::adsb
