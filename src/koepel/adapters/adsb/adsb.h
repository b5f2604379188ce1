// koepel/adapters/adsb/adsb.h
//
// ADS-B as a koepel sensor. Three layers, each usable alone:
//   Mode S     DecodeModeS: CRC-24 check, DF, ICAO address, and for DF17/18 extended squitter the
//              identification (callsign), airborne position (altitude + CPR) and airborne velocity
//              messages; DF0/4/16/20 altitude and DF5/21 squawk. CPR global (even/odd pair) and
//              local (reference position) decoding exactly as in DO-260 (NL from its closed form).
//   Feeds      BeastDecoder: the Beast binary stream (dump1090 port 30005), fed in any chunking,
//              resynchronising after garbage. ParseSbsLine: one SBS-1/BaseStation CSV line (port 30003).
//   State      AircraftTable: per ICAO the latest callsign, position (even/odd pairing with a time limit,
//              then local decoding) and velocity, turned into model::Detection in a geo::LocalFrame.
//
// Example:
//   adsb::BeastDecoder beast;
//   adsb::AircraftTable table({.receiver = geo::LatLonAlt{59.7, 30.6, 0}});
//   for (Result<adsb::BeastFrame>& f : beast.Feed(bytes)) {
//     if (!f) { log(f.error()); continue; }                 // "byte 1234: ..."
//     Result<adsb::ModeSMessage> m = adsb::DecodeModeS(f->payload);
//     if (!m) { log(m.error()); continue; }
//     if (table.Update(*m, time)) detections.push_back(*table.ToDetection(m->icao, frame, sensor, next_id()));
//   }
//
// Errors: every malformed input is a Result error (InvalidArgument) naming where (byte offset of a Beast frame,
// SBS line number and field, hex character index) and why; nothing throws or aborts on bad input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/geo/geo.h"
#include "koepel/model/model.h"

namespace koepel::adapters::adsb {

// ---------------------------------------------------------------------------------------------
// Mode S

// The 24-bit CRC remainder (generator 0xFFF409) over a whole 7- or 14-byte message, parity field
// included: 0 for an intact DF17/18; the address for DF0/4/5/16/20/21 (address/parity).
uint32_t ModeSCrcRemainder(std::span<const uint8_t> message);

// Number of CPR longitude zones at a latitude (NZ = 15), from the closed form: 59 at the equator,
// 2 at 87 degrees, 1 beyond.
int CprNl(double lat_deg);

// One airborne CPR encoding: 17-bit latitude and longitude, even (odd = false) or odd format.
struct CprFrame {
  uint32_t lat_cpr = 0;  // 0 .. 2^17 - 1
  uint32_t lon_cpr = 0;
  bool odd = false;
};

struct LatLon {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
};

// Global decoding of an even/odd pair; `odd_is_newer` picks whose latitude zone the result uses.
// nullopt when the two frames straddle an NL boundary (or give an impossible latitude).
std::optional<LatLon> CprGlobalAirborne(const CprFrame& even, const CprFrame& odd, bool odd_is_newer);
// Local decoding against a reference within 180 NM (receiver or last known position).
LatLon CprLocalAirborne(const CprFrame& frame, const LatLon& reference);

// TC 1-4.
struct Identification {
  int category = 0;      // the 3-bit emitter category within the set given by the type code
  std::string callsign;  // up to 8 characters, trailing spaces removed
};

// TC 9-18 (barometric altitude) and 20-22 (GNSS height).
struct AirbornePosition {
  std::optional<int> altitude_ft;  // nullopt: not available (or an illegal Gillham code)
  bool gnss_altitude = false;      // TC 20-22: GNSS height, converted from metres
  int surveillance_status = 0;
  CprFrame cpr;
  std::optional<double> containment_radius_m;  // horizontal bound implied by the type code (NUCp)
};

// TC 19, subtypes 1-4.
struct AirborneVelocity {
  int subtype = 0;                           // 1/2 ground speed (2 supersonic), 3/4 airspeed
  std::optional<double> ground_speed_kt;     // subtypes 1, 2
  std::optional<double> track_deg;           // subtypes 1, 2: true track, clockwise from north
  std::optional<double> velocity_east_kt;    // subtypes 1, 2
  std::optional<double> velocity_north_kt;   // subtypes 1, 2
  std::optional<double> airspeed_kt;         // subtypes 3, 4
  bool true_airspeed = false;                // subtypes 3, 4: TAS (true) or IAS (false)
  std::optional<double> heading_deg;         // subtypes 3, 4: magnetic heading when available
  std::optional<int> vertical_rate_fpm;      // positive up
  bool vertical_rate_baro = false;           // source: barometric (true) or GNSS (false)
};

struct ModeSMessage {
  int df = 0;                       // downlink format
  uint32_t icao = 0;                // AA field (DF11/17/18) or recovered from the parity (others)
  std::vector<uint8_t> bytes;       // the 7 or 14 message bytes
  int type_code = 0;                // DF17/18: ME type code; else 0
  std::optional<int> altitude_ft;   // DF0/4/16/20 altitude code (25 ft or Gillham 100 ft; not metric)
  std::optional<int> squawk;        // DF5/21 identity as a 4-digit octal-looking number, e.g. 7700
  std::variant<std::monostate, Identification, AirbornePosition, AirborneVelocity> content;
};

// Decodes one message. DF17/18 with a non-zero CRC remainder, a wrong length for the DF, or a bad
// field are errors (with the reason); other DFs are accepted with the address taken from the parity.
Result<ModeSMessage> DecodeModeS(std::span<const uint8_t> message);
// The same from hex ("8D406B90...", optional '*' prefix and ';' suffix as on port 30002).
Result<ModeSMessage> DecodeModeSHex(std::string_view hex);

// ---------------------------------------------------------------------------------------------
// Beast binary stream

enum class BeastFrameType : uint8_t { kModeAC = 0x31, kModeSShort = 0x32, kModeSLong = 0x33, kStatus = 0x34 };

struct BeastFrame {
  BeastFrameType type = BeastFrameType::kModeSLong;
  uint64_t timestamp = 0;        // 48-bit 12 MHz MLAT counter
  uint8_t signal = 0;            // RSSI dBFS ~ 20 log10(signal / 255)
  std::vector<uint8_t> payload;  // un-escaped: 2, 7 or 14 bytes
  uint64_t offset = 0;           // stream byte offset of the frame's leading 0x1A
};

// Incremental decoder: feed byte chunks of any size, get complete frames and located errors in
// stream order. The result does not depend on the chunking. Frame types 0x34/0x35 carry 14 bytes.
class BeastDecoder {
 public:
  std::vector<Result<BeastFrame>> Feed(std::span<const uint8_t> bytes);
  // End of stream: reports a trailing partial frame or garbage, then resets.
  std::vector<Result<BeastFrame>> Finish();
  uint64_t bytes_consumed() const { return offset_; }

 private:
  enum class State { kSync, kType, kBody, kBodyEscape };
  void Flush(std::vector<Result<BeastFrame>>& out);
  void StartFrame(uint8_t type, uint64_t at);
  State state_ = State::kSync;
  uint64_t offset_ = 0;          // bytes seen so far
  uint64_t garbage_start_ = 0;
  uint64_t garbage_bytes_ = 0;
  uint64_t frame_start_ = 0;
  uint8_t type_ = 0;
  std::vector<uint8_t> body_;    // timestamp + signal + payload, un-escaped
  size_t body_length_ = 0;
};

// ---------------------------------------------------------------------------------------------
// SBS-1 / BaseStation CSV (port 30003)

struct SbsMessage {
  int transmission_type = 0;  // 1..8
  uint32_t icao = 0;
  std::string date_generated;  // "YYYY/MM/DD", receiver local time
  std::string time_generated;  // "HH:MM:SS.mmm"
  std::optional<int64_t> time_of_day_ms;  // time_generated in ms since midnight
  std::optional<std::string> callsign;    // trimmed
  std::optional<int> altitude_ft;
  bool gnss_altitude = false;             // the 'H' suffix
  std::optional<double> ground_speed_kt;
  std::optional<double> track_deg;
  std::optional<double> lat_deg;
  std::optional<double> lon_deg;
  std::optional<int> vertical_rate_fpm;
  std::optional<int> squawk;              // digits as written, e.g. 7700
  std::optional<bool> alert;
  std::optional<bool> emergency;
  std::optional<bool> spi;
  std::optional<bool> on_ground;
};

// Parses one line (CR/LF stripped here). nullopt for a heartbeat (empty line) or a record type other than MSG
// (SEL, ID, AIR, STA, CLK). Errors say "line N: field F (name): reason".
Result<std::optional<SbsMessage>> ParseSbsLine(std::string_view line, int line_number);

// ---------------------------------------------------------------------------------------------
// Aircraft state

struct AircraftTableConfig {
  Duration cpr_pair_max_age = Seconds(10);     // even/odd frames further apart are not paired (s); default 10 s
  Duration local_reference_max_age = Seconds(60);  // a last position this old may seed local decoding; 60 s
  std::optional<geo::LatLonAlt> receiver;       // reference for local decoding (within 180 NM); none by default
  double default_horizontal_sigma_m = 50.0;     // position sigma when the message gives no bound; 50 m
  double vertical_sigma_m = 15.0;               // altitude sigma (25 ft steps, baro vs ellipsoid); 15 m
};

struct AircraftState {
  uint32_t icao = 0;
  std::optional<std::string> callsign;
  std::optional<int> altitude_ft;
  std::optional<geo::LatLonAlt> position;  // alt_m from altitude_ft (barometric, treated as height)
  SimTime position_time;
  std::optional<double> containment_radius_m;
  std::optional<AirborneVelocity> velocity;
  SimTime velocity_time;
  std::optional<CprFrame> even;  // latest even / odd CPR frames and their times
  SimTime even_time;
  std::optional<CprFrame> odd;
  SimTime odd_time;
  SimTime last_seen;
  int messages = 0;
};

class AircraftTable {
 public:
  explicit AircraftTable(AircraftTableConfig config = {});

  // Folds a message in; true when it produced a new position.
  bool Update(const ModeSMessage& message, SimTime time);
  bool Update(const SbsMessage& message, SimTime time);

  const AircraftState* Find(uint32_t icao) const;
  const std::map<uint32_t, AircraftState>& aircraft() const { return aircraft_; }
  // Drops aircraft not heard since `before`.
  void Expire(SimTime before);

  // The aircraft's latest position as a kPosition detection (ENU in `frame`), timed at its position time.
  // nullopt when no position is known.
  std::optional<Detection> ToDetection(uint32_t icao, const geo::LocalFrame& frame, SensorId sensor,
                                       DetectionId id) const;

 private:
  AircraftTableConfig config_;
  std::map<uint32_t, AircraftState> aircraft_;
};

// ---------------------------------------------------------------------------------------------
// Whole recordings as a sensor

// What a recording held: messages decoded, messages rejected (with the first reasons, located).
struct FeedReport {
  int64_t messages = 0;
  int64_t rejected = 0;
  std::vector<std::string> first_errors;  // at most kMaxReportedErrors, in stream order
  static constexpr size_t kMaxReportedErrors = 20;
  void Reject(const Status& error);
};

// Every new aircraft position in a Beast recording (dump1090 port 30005 bytes) as a kPosition detection
// in `frame`, in stream order. Times run from SimTime::Epoch() at the first frame, on the frames' 12 MHz
// MLAT counter (a counter that runs backwards restarts the clock at the last good time). Bad frames and
// messages are counted in `report` and skipped; the messages around them are kept. Detection ids are 0:
// the consumer numbers them.
std::vector<Detection> BeastRecordingToDetections(std::span<const uint8_t> bytes, const geo::LocalFrame& frame,
                                                  SensorId sensor, FeedReport& report,
                                                  AircraftTableConfig config = {});
// The same for SBS-1 text (port 30003): times from the lines' time of day, from Epoch at the first line.
std::vector<Detection> SbsRecordingToDetections(std::string_view text, const geo::LocalFrame& frame,
                                                SensorId sensor, FeedReport& report,
                                                AircraftTableConfig config = {});

}  // namespace koepel::adapters::adsb
