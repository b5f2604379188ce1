// koepel/adapters/cap/cap.h
//
// Civil warnings as OASIS CAP 1.2 messages (the interchange format towards NL-Alert / EU-Alert cell broadcast
// and other public-warning channels). Facts: shared/standards/cap.md, shared/standards/nl-geography.md.
//
//   CapEncoder   model::Warning -> CapMessage. kAlert -> msgType Alert; kUpdate -> Update and kAllClear ->
//                Cancel, both with <references> to every earlier message of the region's alert (the chain
//                since its Alert) and <incidents> = the Alert's identifier. Two <info> blocks, nl-NL and en-US,
//                with shelter advice; one <area> with the region's name, its polygons ("lat,lon" pairs, closed,
//                simplified to at most max_polygon_points) and a <geocode> with the region code.
//   ToXml        CapMessage -> the XML document, checked against the rules the XSD does not check.
//   Polygons     CapPolygon: one GeoPolygon ring -> CAP points, closed, simplified (Douglas-Peucker, greedy to
//                a point budget) when it has too many points.
//   Sink         DirectorySink: a ports::WarningSink writing one message per file, "<identifier>.xml".
//
// Example:
//   cap::CapOptions options;
//   options.clock_epoch_unix_ms = 1746100800000;  // SimTime 0 = 2025-05-01T12:00:00Z
//   cap::CapEncoder encoder(options, regions);    // the NamedRegions the warning decider uses
//   KOEPEL_ASSIGN_OR_RETURN(cap::CapMessage message, encoder.Encode(warning));
//   KOEPEL_ASSIGN_OR_RETURN(std::string xml, cap::ToXml(message));
//
// Errors: Result/Status, never exceptions. An Update or all-clear for a region without an earlier Alert is
// FailedPrecondition ("warning 7 (update, VR17): no earlier alert for this region"); a message that would break
// CAP (an identifier with a space or comma, a polygon with fewer than 4 points or not closed, a time outside the
// years 1..9999, a non-finite coordinate) is InvalidArgument naming the element path ("alert/info[2]/area/
// polygon[1]: 3 points, CAP needs at least 4"); file errors are Unavailable with the path. Every message ToXml
// accepts validates against CAP-v1.2.xsd (checked with xmllint in the tests).
//
// XML is written by a small escaper of our own (no libxml2 dependency; the same rules as adapters/cot): & < > " '
// escaped, bytes that are not UTF-8 or not allowed in XML 1.0 replaced by U+FFFD.
//
// Why Immediate / Extreme / Observed for an alert: Immediate - the public must act now (shelter), impacts are
// minutes away; Extreme - an attack with explosive warheads is an extraordinary threat to life; Observed - the
// threats are tracked by our own sensors, not forecast. Updates keep these; a Cancel says Past / Minor / Observed
// with responseType AllClear.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/geo/geo.h"
#include "koepel/model/model.h"
#include "koepel/ports/ports.h"

namespace koepel::adapters::cap {

enum class MessageStatus { kActual, kExercise, kSystem, kTest, kDraft };
enum class MessageType { kAlert, kUpdate, kCancel };
std::string_view MessageStatusName(MessageStatus s);  // "Actual", ...
std::string_view MessageTypeName(MessageType t);      // "Alert", "Update", "Cancel"

struct CapOptions {
  std::string sender = "koepel@koepel.example.nl";  // no spaces, commas, '<' or '&' (CAP 1.2 3.2.1)
  std::string identifier_prefix = "KOEPEL";
  // Exercise unless told otherwise: a simulation must never go out as a real warning by accident.
  MessageStatus status = MessageStatus::kExercise;
  int64_t clock_epoch_unix_ms = 0;  // SimTime 0 in ms since 1970-01-01T00:00:00Z
  int utc_offset_minutes = 0;       // times are written in UTC as +00:00 unless a fixed offset is given (+120)
  Duration valid_for = Seconds(3600);  // expires = max(issued, predicted impact) + this
  size_t max_polygon_points = 100;     // per polygon, closing point included; >= 4
  std::string sender_name_nl = "koepel luchtverdediging (oefening)";
  std::string sender_name_en = "koepel air defence (exercise)";
};

struct LatLon {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  friend bool operator==(const LatLon&, const LatLon&) = default;
};

struct ValuePair {
  std::string value_name;
  std::string value;
};

struct CapArea {
  std::string description;                 // areaDesc
  std::vector<std::vector<LatLon>> polygons;  // each closed, >= 4 points
  std::vector<ValuePair> geocodes;
};

struct CapInfo {
  std::string language;               // "nl-NL"
  std::vector<std::string> categories;  // "Security", "Safety"
  std::string event;
  std::string response_type;          // "Shelter", "AllClear"
  std::string urgency, severity, certainty;
  std::optional<int64_t> onset_unix_ms;
  std::optional<int64_t> expires_unix_ms;
  std::string sender_name, headline, description, instruction;
  std::vector<CapArea> areas;
};

struct CapReference {
  std::string sender;
  std::string identifier;
  int64_t sent_unix_ms = 0;
};

struct CapMessage {
  std::string identifier;
  std::string sender;
  int64_t sent_unix_ms = 0;
  int utc_offset_minutes = 0;  // all times of the message are written with this offset
  MessageStatus status = MessageStatus::kExercise;
  MessageType type = MessageType::kAlert;
  std::string note;            // for operators: the decider's reason
  std::vector<CapReference> references;  // oldest first
  std::string incidents;
  std::vector<CapInfo> infos;
};

// The ring as CAP points: lat/lon swapped into "lat,lon" order, vertices that are not finite WGS-84 positions and
// consecutive duplicates removed, closed, and
// simplified to at most max_points (>= 4) by greedy Douglas-Peucker (always keeps the vertex farthest from the
// current outline, measured in metres on a local equirectangular plane). Points are always original vertices.
// Empty when the ring has fewer than 3 distinct points. `max_deviation_m`, if given, receives the largest
// distance of a dropped vertex from the simplified outline.
std::vector<LatLon> CapPolygon(const geo::GeoPolygon& ring, size_t max_points, double* max_deviation_m = nullptr);

class CapEncoder {
 public:
  // `regions` give the areas by code; a warning for a code not among them gets an area with its name and
  // geocode but no polygon.
  CapEncoder(CapOptions options, std::vector<NamedRegion> regions);

  // identifier = "<prefix>-<epoch as YYYYMMDDThhmmssZ>-<region code>-<warning id, 6 digits>": the same warning
  // of the same run gives the same identifier, different warnings never the same. An all-clear ends the
  // region's chain: its next alert starts a new one.
  Result<CapMessage> Encode(const Warning& warning);

 private:
  CapOptions options_;
  std::map<std::string, NamedRegion> regions_;
  std::map<std::string, std::vector<CapReference>> chains_;  // region code -> messages since its Alert
};

// Errors: InvalidArgument naming the element path; see the header comment.
Result<std::string> ToXml(const CapMessage& message);

// Writes every warning as "<identifier>.xml" into a directory (created if missing). Emit cannot return an
// error: the first one is kept in status() and later warnings are still written.
class DirectorySink final : public ports::WarningSink {
 public:
  static Result<DirectorySink> Open(const std::filesystem::path& directory, CapOptions options,
                                    std::vector<NamedRegion> regions);
  void Emit(const Warning& warning) override;
  const Status& status() const { return first_error_; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  DirectorySink(std::filesystem::path directory, CapEncoder encoder)
      : directory_(std::move(directory)), encoder_(std::move(encoder)) {}
  std::filesystem::path directory_;
  CapEncoder encoder_;
  Status first_error_;
  std::vector<std::filesystem::path> files_;
};

}  // namespace koepel::adapters::cap
