// CAT062 encoder for koepel's fused tracks.
#include <cmath>
#include <string>

#include "koepel/adapters/asterix/asterix.h"

namespace koepel::adapters::asterix {
namespace {

constexpr double kMetresPerFt = 0.3048;
constexpr double kSecondsPerDay = 86400.0;

class Writer {
 public:
  void U8(uint64_t v) { bytes_.push_back(static_cast<uint8_t>(v)); }
  void U16(uint64_t v) { Be(v, 2); }
  void U24(uint64_t v) { Be(v, 3); }
  void U32(uint64_t v) { Be(v, 4); }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void Be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

// Rounds value/lsb to the nearest integer and checks it fits `bits` (two's complement when signed).
Result<uint64_t> Quantise(double value, double lsb, int bits, bool is_signed, const std::string& what) {
  const double q = std::round(value / lsb);
  const double lo = is_signed ? -std::ldexp(1.0, bits - 1) : 0.0;
  const double hi = is_signed ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
  if (!(q >= lo && q <= hi)) {
    return OutOfRangeError(what + " " + std::to_string(value) + " is outside the item's range [" +
                           std::to_string(lo * lsb) + ", " + std::to_string(hi * lsb) + "]");
  }
  const auto raw = static_cast<uint64_t>(static_cast<int64_t>(q));
  return bits == 64 ? raw : raw & ((uint64_t{1} << bits) - 1);
}

uint64_t IcaoChar(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<uint64_t>(c - 'A' + 1);
  if (c >= 'a' && c <= 'z') return static_cast<uint64_t>(c - 'a' + 1);
  if (c >= '0' && c <= '9') return static_cast<uint64_t>(c);
  return 32;  // space for anything else
}

Status EncodeTrack(const Track& track, const geo::LocalFrame& frame, const Cat062EncodeOptions& o, Writer& w) {
  const std::string where = "track " + std::to_string(track.id.value());
  const bool has_380 = track.icao24.has_value() || track.callsign.has_value();
  // FSPEC: FRN 1 (010), 3 (015), 4 (070), 5 (105), 6 (100), 7 (185) | 11 (380), 12 (040), 13 (080)
  //        | 18 (130).
  const uint8_t fspec1 = static_cast<uint8_t>(0x80 | 0x20 | 0x10 | 0x08 | (o.cartesian ? 0x04 : 0) | 0x02 | 0x01);
  const uint8_t fspec2 = static_cast<uint8_t>((has_380 ? 0x10 : 0) | 0x08 | 0x04 | 0x01);
  const uint8_t fspec3 = 0x10;
  w.U8(fspec1);
  w.U8(fspec2);
  w.U8(fspec3);
  // I010, I015
  w.U8(static_cast<uint64_t>(o.sac));
  w.U8(static_cast<uint64_t>(o.sic));
  w.U8(static_cast<uint64_t>(o.service_id));
  // I070 time of track information
  double tod = (track.state.time - o.utc_midnight).seconds();
  tod = std::fmod(tod, kSecondsPerDay);
  if (tod < 0) tod += kSecondsPerDay;
  KOEPEL_ASSIGN_OR_RETURN(uint64_t tod_raw, Quantise(tod, 1.0 / 128, 24, false, where + ": I070 time of day"));
  w.U24(tod_raw);
  // I105 WGS-84
  const Vec3 p = track.state.position();
  const geo::LatLonAlt lla = frame.ToGeodetic(p);
  constexpr double kWgsLsb = 180.0 / 33554432.0;
  KOEPEL_ASSIGN_OR_RETURN(uint64_t lat, Quantise(lla.lat_deg, kWgsLsb, 32, true, where + ": I105 latitude"));
  KOEPEL_ASSIGN_OR_RETURN(uint64_t lon, Quantise(lla.lon_deg, kWgsLsb, 32, true, where + ": I105 longitude"));
  w.U32(lat);
  w.U32(lon);
  // I100 cartesian in the frame's tangent plane
  if (o.cartesian) {
    KOEPEL_ASSIGN_OR_RETURN(uint64_t x, Quantise(p.x(), 0.5, 24, true, where + ": I100 x"));
    KOEPEL_ASSIGN_OR_RETURN(uint64_t y, Quantise(p.y(), 0.5, 24, true, where + ": I100 y"));
    w.U24(x);
    w.U24(y);
  }
  // I185 velocity (east, north)
  const Vec3 v = track.state.velocity();
  KOEPEL_ASSIGN_OR_RETURN(uint64_t vx, Quantise(v.x(), 0.25, 16, true, where + ": I185 vx"));
  KOEPEL_ASSIGN_OR_RETURN(uint64_t vy, Quantise(v.y(), 0.25, 16, true, where + ": I185 vy"));
  w.U16(vx);
  w.U16(vy);
  // I380 aircraft derived data: ADR, ID
  if (has_380) {
    w.U8((track.icao24 ? 0x80 : 0) | (track.callsign ? 0x40 : 0));
    if (track.icao24) w.U24(*track.icao24 & 0xFFFFFF);
    if (track.callsign) {
      uint64_t chars = 0;
      for (size_t i = 0; i < 8; ++i) chars = (chars << 6) | (i < track.callsign->size() ? IcaoChar((*track.callsign)[i]) : 32);
      for (int i = 5; i >= 0; --i) w.U8(chars >> (8 * i));
    }
  }
  // I040 track number
  w.U16(static_cast<uint64_t>(track.id.value()) & 0xFFFF);
  // I080 track status, four octets: MON/SRC/CNF | TSE | - | CST
  const bool mono = track.contributing_sensors.size() <= 1;
  const bool tentative = track.status == TrackStatus::kTentative;
  const bool deleted = track.status == TrackStatus::kDeleted;
  const bool coasting = track.status == TrackStatus::kCoasting;
  w.U8((mono ? 0x80 : 0) | 0x20 /* MRH: geometric */ | (tentative ? 0x02 : 0) | 0x01);
  w.U8((deleted ? 0x40 : 0) | 0x01);
  w.U8(0x01);
  w.U8(coasting ? 0x80 : 0x00);
  // I130 geometric altitude (WGS-84 height)
  KOEPEL_ASSIGN_OR_RETURN(uint64_t alt, Quantise(lla.alt_m / kMetresPerFt, 6.25, 16, true, where + ": I130 altitude"));
  w.U16(alt);
  return OkStatus();
}

}  // namespace

Result<std::vector<uint8_t>> EncodeCat062(std::span<const Track> tracks, const geo::LocalFrame& frame,
                                          const Cat062EncodeOptions& options) {
  if (options.sac < 0 || options.sac > 255 || options.sic < 0 || options.sic > 255 || options.service_id < 0 ||
      options.service_id > 255) {
    return InvalidArgumentError("CAT062 encoder: SAC, SIC and service id must be 0..255");
  }
  if (tracks.empty()) return InvalidArgumentError("CAT062 encoder: no tracks (a data block needs a record)");
  Writer w;
  w.U8(62);
  w.U16(0);  // LEN, filled below
  for (const Track& track : tracks) KOEPEL_RETURN_IF_ERROR(EncodeTrack(track, frame, options, w));
  std::vector<uint8_t>& bytes = w.bytes();
  if (bytes.size() > 0xFFFF) {
    return OutOfRangeError("CAT062 encoder: " + std::to_string(tracks.size()) + " tracks need " +
                           std::to_string(bytes.size()) + " bytes, more than one data block holds (65535)");
  }
  bytes[1] = static_cast<uint8_t>(bytes.size() >> 8);
  bytes[2] = static_cast<uint8_t>(bytes.size());
  return std::move(bytes);
}

}  // namespace koepel::adapters::asterix
