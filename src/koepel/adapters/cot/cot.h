// koepel/adapters/cot/cot.h
//
// The air picture as Cursor on Target (CoT 2.0 XML) for TAK clients and servers (ATAK, WinTAK, TAK Server,
// OpenTAKServer). Facts: shared/standards/cot.md, shared/standards/milstd2525-sidc.md.
//
//   Symbology  SymbolFor(affiliation, class): the CoT type ("a-h-A-M-F-Q"), the MIL-STD-2525C letter SIDC
//              ("SHAPMFQ--------") and the 2525D number SIDC ("10060100001103000000") from one table.
//   Events     TrackEvent: one model::Track (plus its Threat, if any) as a CoTEvent: uid "KOEPEL-TRK-<id>",
//              how "m-f", point lat/lon/hae with ce/le (1-sigma, from the covariance), detail <track course
//              speed>, <contact callsign>, <__milsym id=2525D>, <remarks> (class, confidence, threat rank).
//              DropEvent: the same uid with stale = now, for a track that was dropped. ToXml writes the XML.
//   Out        UdpSender (one event per datagram, e.g. the ATAK SA group 239.2.3.1:6969), TcpStreamSender
//              (TAK Server streaming input: events back to back), DirectoryWriter (one event per file),
//              PictureEncoder (a ports::Picture -> events, with drop events for tracks that disappeared) and
//              DirectoryBus (a ports::Bus that records every picture as files, for `koepel run --record`).
//
// Example:
//   cot::CotOptions options;
//   options.clock.epoch_unix_ms = 1746100800000;   // SimTime 0 = 2025-05-01T12:00:00Z
//   KOEPEL_ASSIGN_OR_RETURN(cot::CotEvent event, cot::TrackEvent(track, picture.threats, frame, now, options));
//   KOEPEL_ASSIGN_OR_RETURN(std::string xml, cot::ToXml(event));
//   KOEPEL_ASSIGN_OR_RETURN(cot::UdpSender udp, cot::UdpSender::Open({"239.2.3.1", 6969}));
//   KOEPEL_RETURN_IF_ERROR(udp.Send(xml));
//
// Errors: Result/Status, never exceptions. Values that would make an invalid event (a non-finite position, a
// latitude outside [-90, 90], a time outside the years 1..9999, a type or how that breaks the schema's pattern)
// are InvalidArgument naming the field as a path ("track 12: event/point/@lat: nan is not a finite number");
// socket and file errors are Unavailable with the address or path and the system's reason. Every event ToXml
// accepts validates against the MITRE CoT Event.xsd (checked with xmllint in the tests).
//
// XML is written by a small escaper of our own (no libxml2 dependency): it escapes & < > " ', writes tab, CR
// and LF in attributes as character references, and replaces bytes that are not UTF-8 or not allowed in XML 1.0
// (control characters) with U+FFFD, so any callsign or reason gives a well-formed document.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/adapters/net/net.h"
#include "koepel/core/core.h"
#include "koepel/geo/geo.h"
#include "koepel/model/model.h"
#include "koepel/ports/ports.h"

namespace koepel::adapters::cot {

// ---------------------------------------------------------------------------------------------
// Symbology

// One row of the mapping affiliation x object class -> symbols.
struct AirSymbol {
  std::string cot_type;    // "a-h-A-M-F-Q"
  std::string sidc_2525c;  // 15-character letter SIDC, "SHAPMFQ--------"
  std::string sidc_2525d;  // 20-digit number SIDC, "10060100001103000000" (what TAK's <__milsym id> carries)
  friend bool operator==(const AirSymbol&, const AirSymbol&) = default;
};

// Total over both enums. Civil maps to the neutral standard identity (APP-6 has no "civil" frame) and, like
// neutral, to the civil function of classes that have one (fixed wing C-F, helicopter C-H, small drone C /
// 2525D civil UAV); other classes keep their military/weapon function for every affiliation:
//   unknown, bird: a-x-A (plain air track)   small drone, one-way attack drone: a-x-A-M-F-Q (UAV)
//   decoy: a-x-A-W-D (air decoy)              fixed wing: a-x-A-M-F   helicopter: a-x-A-M-H
//   cruise missile: a-x-A-W-M-C-M             ballistic missile: a-x-A-W-M-B
AirSymbol SymbolFor(Affiliation affiliation, ObjectClass object_class);

// ---------------------------------------------------------------------------------------------
// Events

// Maps the run's SimTime to UTC: SimTime 0 is `epoch_unix_ms` milliseconds after 1970-01-01T00:00:00Z.
struct WallClock {
  int64_t epoch_unix_ms = 0;
  int64_t ToUnixMs(SimTime t) const;  // rounds down to the millisecond
};

struct CotOptions {
  WallClock clock;
  Duration stale_after = Seconds(20);     // stale = start + this: a few update periods (cot.md: 10-30 s)
  std::string uid_prefix = "KOEPEL-TRK-";  // uid = prefix + track id: stable over the track's life
  std::string how = "m-f";                 // machine, fused
  std::string opex;                        // "" (no statement), "o", "e" or "s" (+ "-name")
  // Tracks without a callsign (ADS-B) get "<AFFILIATION>-<CLASS>-<id>", e.g. "HOSTILE-SMALL_DRONE-12";
  // false: no <contact> for them.
  bool synthesize_callsign = true;
};

// One CoT event, all values in their CoT units. Optional parts are left out of the XML when empty.
struct CotEvent {
  std::string uid;
  std::string type;
  std::string how = "m-f";
  std::string opex;
  int64_t time_unix_ms = 0;   // when generated
  int64_t start_unix_ms = 0;  // validity start
  int64_t stale_unix_ms = 0;  // validity end
  double lat_deg = 0.0;       // WGS-84
  double lon_deg = 0.0;
  double hae_m = 0.0;         // height above the ellipsoid
  double ce_m = kUnknownError;  // horizontal 1-sigma
  double le_m = kUnknownError;  // vertical 1-sigma
  std::optional<double> course_deg;  // <track>: degrees true, [0, 360)
  std::optional<double> speed_mps;   //          horizontal speed, m/s
  std::string callsign;       // <contact callsign>
  std::string milsym_id;      // <__milsym id>: the 2525D SIDC
  std::string remarks;        // <remarks>

  static constexpr double kUnknownError = 9999999.0;  // TAK's "unknown" for ce, le and hae
};

// The event for a live track at `now`: time = start = now, stale = now + stale_after; the position is the
// track state's, converted with `frame`; ce = sqrt of the larger eigenvalue of the horizontal covariance (the
// 1-sigma semi-major axis, so the circle never understates the error), le = sqrt(P_zz); a non-finite or
// negative variance gives kUnknownError. The affiliation and class come from track.identity; the threat of
// the track in `threats` (found by track id), if any, adds its rank, asset and time to go to the remarks.
// Errors: InvalidArgument when the state is not finite.
Result<CotEvent> TrackEvent(const Track& track, std::span<const Threat> threats, const geo::LocalFrame& frame,
                            SimTime now, const CotOptions& options);

// The event that ends a dropped track on TAK clients: the track's uid and type at its last position, with
// time = start = stale = now and remarks "dropped".
Result<CotEvent> DropEvent(const Track& track, const geo::LocalFrame& frame, SimTime now, const CotOptions& options);

// The XML document: `<?xml version="1.0" encoding="UTF-8"?>` and a newline, then <event>...</event>, with no
// newline after it (the TAK streaming framing). Numbers: lat/lon 7 decimals, metres and speeds 1-2 decimals.
// Errors: InvalidArgument naming the field ("event/point/@lat: 95 outside [-90, 90]", "event/@type: ...").
Result<std::string> ToXml(const CotEvent& event);

// ---------------------------------------------------------------------------------------------
// Out

// One event per UDP datagram (mesh / SA: ATAK listens on 239.2.3.1:6969; direct: a host's port 4242).
class UdpSender {
 public:
  static Result<UdpSender> Open(net::Endpoint destination);
  // Errors: InvalidArgument for an event larger than a datagram (65507 bytes); Unavailable from the socket.
  Status Send(std::string_view event_xml);
  const net::Endpoint& destination() const { return destination_; }

 private:
  UdpSender(net::UdpSocket socket, net::Endpoint destination)
      : socket_(std::move(socket)), destination_(std::move(destination)) {}
  net::UdpSocket socket_;
  net::Endpoint destination_;
};

// Streaming TCP to a TAK Server CoT input (plain TCP, e.g. port 8087/8088; TLS on 8089 is not done here):
// events back to back, each starting with its XML declaration. After a failed send the connection is
// closed and the next Send reconnects once (within the same timeout) before giving up.
class TcpStreamSender {
 public:
  static Result<TcpStreamSender> Connect(net::Endpoint server, net::Milliseconds timeout);
  Status Send(std::string_view event_xml, net::Milliseconds timeout);
  bool connected() const { return stream_.has_value(); }

 private:
  TcpStreamSender(net::Endpoint server, std::optional<net::TcpStream> stream)
      : server_(std::move(server)), stream_(std::move(stream)) {}
  net::Endpoint server_;
  std::optional<net::TcpStream> stream_;
};

// Writes one event per file into a directory (created if missing): "<sequence, 6 digits>-<uid>.xml", so a
// listing sorted by name is the order of writing. The file holds exactly the bytes ToXml gave.
class DirectoryWriter {
 public:
  static Result<DirectoryWriter> Open(const std::filesystem::path& directory);
  // Returns the file written. Errors: InvalidArgument from ToXml, Unavailable with the path from the file system.
  Result<std::filesystem::path> Write(const CotEvent& event);
  const std::filesystem::path& directory() const { return directory_; }
  int64_t files_written() const { return next_sequence_ - 1; }

 private:
  explicit DirectoryWriter(std::filesystem::path directory) : directory_(std::move(directory)) {}
  std::filesystem::path directory_;
  int64_t next_sequence_ = 1;
};

// Turns successive pictures into events: one TrackEvent per track, and one DropEvent for each track that was
// in an earlier picture and is missing now (or is now kDeleted). Tracks whose event fails are reported in
// `errors` and left out; the others still go.
class PictureEncoder {
 public:
  PictureEncoder(geo::LocalFrame frame, CotOptions options);
  struct Output {
    std::vector<CotEvent> events;  // tracks in picture order, then drops in track id order
    std::vector<Status> errors;
  };
  Output Encode(const ports::Picture& picture);

 private:
  geo::LocalFrame frame_;
  CotOptions options_;
  std::map<TrackId, Track> live_;  // tracks of the last picture, for their drop events
};

// A ports::Bus that records every published picture as CoT files (PictureEncoder + DirectoryWriter).
// Publish cannot return an error: the first one is kept in status() and later pictures are still written.
class DirectoryBus final : public ports::Bus {
 public:
  static Result<DirectoryBus> Open(const std::filesystem::path& directory, geo::LocalFrame frame, CotOptions options);
  void Publish(const ports::Picture& picture) override;
  const Status& status() const { return first_error_; }
  int64_t files_written() const { return writer_.files_written(); }

 private:
  DirectoryBus(DirectoryWriter writer, PictureEncoder encoder)
      : writer_(std::move(writer)), encoder_(std::move(encoder)) {}
  DirectoryWriter writer_;
  PictureEncoder encoder_;
  Status first_error_;
};

}  // namespace koepel::adapters::cot
