// koepel/adapters/asterix/asterix.h
//
// EUROCONTROL ASTERIX as a koepel sensor input and track output.
//   Decoder   DecodeBlocks: concatenated data blocks (CAT, LEN, records with FSPEC) into one Record per
//             record, every item of the UAP decoded and scaled to engineering units: CAT048 ed. 1.21
//             (monoradar plots/tracks), CAT062 ed. 1.18 (SDPS system tracks), CAT034 ed. 1.27 and
//             CAT065 ed. 1.3 (service messages). Other categories give one Record marked `unsupported`.
//             Record::ToJson() uses the key names of the CroatiaControl `asterix` decoder
//             ({"CAT":48,"I010":{"SAC":25,"SIC":201},"I040":{"RHO":197.68,"THETA":340.14},...}).
//   Capture   ReadPcap: classic libpcap files (both byte orders, us or ns), Ethernet (VLAN) or raw IPv4,
//             UDP payloads with capture time. WritePcap: the reverse, with made-up Ethernet/IP headers.
//             DecodeFile: a whole file, pcap or raw blocks (told apart by the pcap magic).
//   Views     ToCat048Plot / ToCat062Track: the fields koepel uses, in SI units.
//   Model     PlotToDetection (kRangeBearing from a known radar site), TrackToDetection (kPosition).
//   Encoder   EncodeCat062: koepel's fused tracks as one CAT062 data block.
//
// Example:
//   std::vector<uint8_t> bytes = ...;                       // a .pcap or raw ASTERIX file
//   for (const Result<asterix::Record>& r : asterix::DecodeFile(bytes)) {
//     if (!r) { log(r.error()); continue; }                 // "byte 131: CAT062 record 2, I105: ..."
//     std::cout << r->ToJson().dump() << "\n";
//     if (r->category == 48) {
//       auto plot = asterix::ToCat048Plot(*r);
//       if (plot) detections.push_back(*asterix::PlotToDetection(*plot, radar_config, frame, midnight,
//                                                                  sensor, ids.Next()));
//     }
//   }
//   Result<std::vector<uint8_t>> block = asterix::EncodeCat062(tracks, frame, {.sac = 25, .sic = 100,
//                                                                              .utc_midnight = midnight});
//
// Errors: malformed input is an InvalidArgument Result naming the byte offset in the file or stream
// and the item ("byte 131: CAT062 record 2, I105: 8 bytes needed, 3 left"). Records carry no length,
// so after a bad record decoding resumes as the CroatiaControl decoder does: at the first byte of
// the item that failed (see decoder.cc); the records found after that are marked `recovered` (they
// may be garbage, e.g. another edition of the category). The block length lets decoding resume at
// the next block; a bad block length ends the stream. Nothing throws or aborts on bad input.
// Conversions give NotFound/InvalidArgument when an item they need is missing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/geo/geo.h"
#include "koepel/model/model.h"

namespace koepel::adapters::asterix {

// ---------------------------------------------------------------------------------------------
// Decoding

// One decoded record. `items` maps "I010", "I040", ... (and "SP"/"RE") to the decoded item, in
// FRN order: fields by short name, compound subfields as nested objects, repetitive items as
// arrays. Numbers are scaled: s, NM, deg, FL, ft, m, m/s, kt (as the item's LSB is defined).
struct Record {
  int category = 0;
  size_t offset = 0;         // byte offset of the record's FSPEC in the file or stream
  size_t length = 0;         // bytes, FSPEC included
  int index_in_block = 0;    // 1-based
  std::optional<int64_t> capture_time_ns;  // pcap capture time, ns since the Unix epoch
  bool unsupported = false;  // a whole block of a category koepel does not decode (items empty)
  // Decoded after an error earlier in the same block, from the byte where that record's failing item
  // began: the reference decoder prints such records too, but their framing is a guess.
  bool recovered = false;
  nlohmann::ordered_json items = nlohmann::ordered_json::object();

  // {"CAT":48, "I010":{...}, ...}; {"CAT":n, "unsupported":true} for unsupported blocks;
  // "recovered":true after "CAT" for recovered records (a key the reference decoder does not print).
  nlohmann::ordered_json ToJson() const;
};

// Decodes concatenated data blocks. `base_offset` is added to every offset (the position of
// `bytes` in its file). Returns records and errors in input order.
std::vector<Result<Record>> DecodeBlocks(std::span<const uint8_t> bytes, size_t base_offset = 0);

// ---------------------------------------------------------------------------------------------
// Capture files

struct UdpDatagram {
  int64_t time_ns = 0;       // capture time, ns since the Unix epoch
  size_t offset = 0;         // byte offset of the UDP payload in the file (0 when written)
  uint32_t src_ip = 0;       // host order, 0x7F000001 = 127.0.0.1
  uint32_t dst_ip = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  std::vector<uint8_t> payload;
};

// Every UDP/IPv4 datagram of a classic libpcap file; other packets (ARP, IPv6, TCP) are skipped.
// Errors: bad magic or link type ("byte 0: ..."), a truncated record or a malformed IPv4/UDP
// header ("byte N: packet K: ..."); a truncated record ends the file.
std::vector<Result<UdpDatagram>> ReadPcap(std::span<const uint8_t> file);

// A little-endian microsecond pcap file (link type Ethernet) with one IPv4/UDP packet per datagram.
std::vector<uint8_t> WritePcap(std::span<const UdpDatagram> datagrams);

// A whole file: pcap (by its magic) or raw concatenated blocks. Records from a pcap carry the
// capture time; offsets are file offsets in both cases.
std::vector<Result<Record>> DecodeFile(std::span<const uint8_t> file);

// Reads a file into memory ("cannot open FILE" as Unavailable).
Result<std::vector<uint8_t>> ReadBinaryFile(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Typed views (SI units)

struct Cat048Plot {
  int sac = 0;
  int sic = 0;
  std::optional<double> time_of_day_s;      // I140
  int report_type = 0;                       // I020 TYP: 1 PSR, 2 SSR, 3 SSR+PSR, 4-7 Mode S
  std::optional<double> slant_range_m;       // I040 RHO
  std::optional<double> azimuth_rad;         // I040 THETA, clockwise from north
  std::optional<double> flight_level;        // I090 (hundreds of ft, pressure altitude)
  std::optional<uint32_t> icao24;            // I220
  std::optional<std::string> callsign;       // I240, trailing spaces removed
  std::optional<int> track_number;           // I161
  std::optional<int> mode3a;                 // I070, as the octal digits read in decimal (7700)
};
// Errors: not a CAT048 record, or no I010.
Result<Cat048Plot> ToCat048Plot(const Record& record);

struct Cat062Track {
  int sac = 0;
  int sic = 0;
  std::optional<double> time_of_day_s;          // I070
  std::optional<int> track_number;              // I040
  std::optional<double> lat_deg, lon_deg;       // I105
  std::optional<double> x_m, y_m;               // I100, system plane
  std::optional<double> vx_mps, vy_mps;         // I185, east and north
  std::optional<double> geometric_altitude_m;   // I130, above the WGS-84 ellipsoid
  std::optional<double> flight_level;           // I136 (the JSON has it in ft)
  std::optional<uint32_t> icao24;               // I380 ADR
  std::optional<std::string> callsign;          // I380 ID, trailing spaces removed
  bool tentative = false;                       // I080 CNF
  bool coasting = false;                        // I080 CST
  bool last_message = false;                    // I080 TSE
};
// Errors: not a CAT062 record, or no I010.
Result<Cat062Track> ToCat062Track(const Record& record);

// ---------------------------------------------------------------------------------------------
// Conversion to koepel's model

struct RadarSite {
  int sac = 0;
  int sic = 0;
  geo::LatLonAlt position;  // antenna position
};

struct PlotConversion {
  std::vector<RadarSite> sites;
  double range_sigma_m = 70.0;             // en-route SSR range noise
  double azimuth_sigma_rad = 0.0014;       // 0.08 deg
  double elevation_sigma_rad = 0.005;      // elevation from flight level (pressure altitude ~ height)
  double no_altitude_elevation_sigma_rad = 0.1;  // no I090: elevation 0, this uncertain
};

// CAT048 plot -> Detection {kRangeBearing, z = (slant range, azimuth, elevation)}, seen from the
// site with the plot's SAC/SIC (its position in `frame` as sensor_position). Elevation comes from
// the flight level on a spherical earth (see the .cc); azimuths are taken as given, i.e. the radar's
// north is the frame's north (true within a few tenths of a degree over ~100 km).
// Time: utc_midnight + I140. Errors: unknown SAC/SIC (NotFound), no I040 or I140.
Result<Detection> PlotToDetection(const Cat048Plot& plot, const PlotConversion& config, const geo::LocalFrame& frame,
                                  SimTime utc_midnight, SensorId sensor, DetectionId id);

struct TrackConversion {
  std::optional<geo::LatLonAlt> system_reference;  // centre of the I100 system plane (used without I105)
  double horizontal_sigma_m = 50.0;
  double vertical_sigma_m = 30.0;          // I130 geometric altitude
  double flight_level_sigma_m = 100.0;     // I136 only: pressure altitude used as height
  double no_altitude_sigma_m = 3000.0;     // neither: altitude 0, this uncertain
};

// CAT062 track -> Detection {kPosition, z = ENU in frame} with a diagonal noise from `config`.
// Errors: no I105 and (no I100 or no system_reference), no I070.
Result<Detection> TrackToDetection(const Cat062Track& track, const TrackConversion& config,
                                   const geo::LocalFrame& frame, SimTime utc_midnight, SensorId sensor,
                                   DetectionId id);

// ---------------------------------------------------------------------------------------------
// Encoding

struct Cat062EncodeOptions {
  int sac = 0;
  int sic = 0;
  int service_id = 1;        // I015
  SimTime utc_midnight;      // I070 = track.state.time - utc_midnight (mod one day)
  bool cartesian = true;     // also send I100 (system plane = `frame`'s tangent plane, x east)
};

// One CAT062 data block with one record per track: I010, I015, I070, I105, I100, I185, I130
// (geometric altitude = the track's WGS-84 height), I040 (track id mod 65536), I080 (MON, CNF,
// TSE for deleted, CST for coasting), I380 ADR/ID when the track has icao24/callsign.
// Errors: a value outside its item's range (e.g. |v| > 8191 m/s), a block over 65535 bytes.
Result<std::vector<uint8_t>> EncodeCat062(std::span<const Track> tracks, const geo::LocalFrame& frame,
                                          const Cat062EncodeOptions& options);

}  // namespace koepel::adapters::asterix
