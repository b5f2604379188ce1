// koepel/adapters/sapient/sapient.h
//
// SAPIENT (BSI Flex 335 v2.0, the NATO/UK counter-drone sensor interface) for koepel, which acts
// as the fusion node (DMM) that sensor and effector nodes (ASMs) connect to. Layers, each usable alone:
//   Codec       DecodeBinary / ParseJson (protobuf JSON, camelCase or proto names, UTF-8 BOM tolerated)
//               / ToJson / Frame. The schema is koepel's own proto (proto/*.proto): same package, field
//               numbers and enum names as the published v2.0 schema, without dstl's custom options.
//   Validation  Validate / Violations: the standard's mandatory fields per message type, UUID node ids,
//               ULID report/object/task/alert/region ids, icd_version exactly "BSI Flex 335 v2.0",
//               confidences in [0, 1], power level 0-100, finite numbers, lat/lon ranges, timestamps.
//   Framing     FrameReader: the TCP stream's 4-byte little-endian length prefix, fed in any chunking;
//               resynchronises after a bad length without losing the good messages around it.
//   Model       NodeTable: per-node registration, health and position; DetectionReport -> Detection
//               (position in the run's LocalFrame, or range-bearing from the node), ClassReport from
//               SAPIENT class names; RegistrationAck; Look-at / follow tasks with ULID task ids.
//   Service     FusionNode: a TCP server (no threads, Poll(timeout)) that accepts nodes, answers
//               registrations, and returns detections, status updates and counted rejections.
//
// Example:
//   sapient::FusionNode::Config config;
//   config.listen = {"0.0.0.0", 14000};
//   config.conversion.frame_origin = {51.95, 4.05, 0.0};
//   KOEPEL_ASSIGN_OR_RETURN(sapient::FusionNode node, sapient::FusionNode::Start(config));
//   for (;;) {
//     KOEPEL_ASSIGN_OR_RETURN(sapient::PollResult r, node.Poll(std::chrono::milliseconds(100)));
//     for (const sapient::SapientDetection& d : r.detections) tracker.Add(d.detection);
//     for (const sapient::Rejection& x : r.rejected) log(x.ToString());   // "node ... byte 1234: ..."
//     if (needs_look) node.SendTask(node_id, node.MakeLookAtTask(node_id, where));
//   }
//
// Errors: nothing throws or aborts on bad input. Every error is a Status/Result (InvalidArgument for
// bad input) whose message says where and why: "byte N: ..." (stream offset of a frame's length
// prefix), "json: <field>: ..." (JSON form), or a field path in proto names with indices,
// e.g. "detection_report.classification[0].sub_class[1].level: missing (mandatory)".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
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
#include "sapient_message.pb.h"  // generated from proto/sapient_message.proto (a SYSTEM include)

namespace koepel::adapters::sapient {

namespace pb = ::sapient_msg::bsi_flex_335_v2_0;
using SapientMessage = pb::SapientMessage;

// The only Registration.icd_version accepted.
inline constexpr std::string_view kIcdVersion = "BSI Flex 335 v2.0";

// ---------------------------------------------------------------------------------------------
// Codec

// One serialized SapientMessage (no length prefix). Error: "payload of N bytes: not a SapientMessage".
Result<SapientMessage> DecodeBinary(std::span<const uint8_t> payload);

// The protobuf JSON form of one SapientMessage (a leading UTF-8 BOM is skipped). Unknown fields are
// an error unless allowed. Errors: "json: <parser's reason, with the field when it names one>".
Result<SapientMessage> ParseJson(std::string_view text, bool allow_unknown_fields = false);

// ParseJson + Validate, for messages from outside: the message is rejected when it breaks a rule or has
// an unknown field; when both, the rule is reported (it is the more specific reason).
Result<SapientMessage> ParseAndValidateJson(std::string_view text);

// One JSON object on one line, canonical protobuf JSON (camelCase names, enum names), for `koepel decode`.
std::string ToJson(const SapientMessage& message);

// The TCP wire form: 4-byte little-endian length, then the serialized message.
std::vector<uint8_t> Frame(const SapientMessage& message);

// ---------------------------------------------------------------------------------------------
// Validation

struct Violation {
  std::string path;    // proto field names with indices: "registration.mode_definition[0].task"
  std::string reason;  // "missing (mandatory)", "not a ULID: \"AAA\"", ...
  std::string ToString() const { return path + ": " + reason; }
};

// Every rule the message breaks, in field order (empty: valid).
std::vector<Violation> Violations(const SapientMessage& message);
// The first violation as an InvalidArgument Status ("path: reason"), or ok.
Status Validate(const SapientMessage& message);

bool IsUuid(std::string_view text);  // canonical 8-4-4-4-12 hex, either case
bool IsUlid(std::string_view text);  // 26 Crockford base32 characters, first one 0-7

// ---------------------------------------------------------------------------------------------
// Framing

struct FramedMessage {
  uint64_t offset = 0;       // stream byte offset of the frame's length prefix
  uint32_t payload_size = 0;
  SapientMessage message;    // decoded, not yet validated
};

// Incremental reader of length-prefixed frames. The result never depends on the chunking.
// - length 0: skipped silently (as the dstl reader does; a keep-alive);
// - length < 0 or > max_message_bytes: one error for the bad run, then a byte-wise search for the next
//   frame that starts like a SapientMessage (payload starts with the timestamp, field 1) and decodes;
// - a payload that does not decode: an error, and reading goes on after it (the length was good).
class FrameReader {
 public:
  explicit FrameReader(uint32_t max_message_bytes = 1 << 20) : max_message_bytes_(max_message_bytes) {}
  std::vector<Result<FramedMessage>> Feed(std::span<const uint8_t> bytes);
  // End of stream: reports a truncated frame or an unfinished resynchronisation, then resets.
  std::vector<Result<FramedMessage>> Finish();
  uint64_t bytes_seen() const { return base_offset_ + buffer_.size(); }

 private:
  void Process(bool end_of_stream, std::vector<Result<FramedMessage>>& out);
  uint32_t max_message_bytes_;
  std::vector<uint8_t> buffer_;   // unconsumed bytes
  uint64_t base_offset_ = 0;      // stream offset of buffer_[0]
  bool resyncing_ = false;
  uint64_t resync_start_ = 0;     // offset of the bad length prefix
  int64_t bad_length_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Conversion to koepel's model

// SAPIENT class name (case-insensitive; a "Parent/Child" path also works) to koepel's ObjectClass:
//   "UAV", "UAS", "Drone", "UAV Rotary Wing", "Quadcopter", "Multirotor"   -> kSmallDrone
//   "UAV Fixed Wing", "Loitering Munition", "One Way Attack"              -> kOneWayAttackDrone
//   "Decoy" -> kDecoy; "Manned Fixed Wing", "Fixed Wing", "Aircraft" -> kFixedWing;
//   "Manned Rotary Wing", "Helicopter" -> kHelicopter; "Cruise Missile", "Missile" -> kCruiseMissile;
//   "Ballistic Missile" -> kBallisticMissile; "Bird" -> kBird;
//   known SAPIENT classes that are no air threat or not specific ("Air Vehicle", "Animal", "Human",
//   "Land Vehicle", "Sea Vessel", "Fixed Object", "Equipment", "Unknown") -> kUnknown;
//   anything else -> nullopt.
std::optional<ObjectClass> ObjectClassFromSapient(std::string_view class_name);

enum class NodeHealth { kUnknown, kOk, kWarning, kError, kGoodbye };
std::string_view NodeHealthName(NodeHealth h);

// What koepel knows about one node.
struct NodeState {
  std::string node_id;        // UUID
  SensorId sensor;            // koepel's id for the node, handed out at first registration
  SensorKind sensor_kind = SensorKind::kEoir;  // from the first mappable node_type
  bool registered = false;
  std::string name;
  std::vector<std::string> node_types;  // "NODE_TYPE_RADAR", ...
  NodeHealth health = NodeHealth::kUnknown;
  std::string mode;
  std::optional<int> power_level;
  std::optional<geo::LatLonAlt> position;  // reported (StatusReport.node_location) or configured
  std::optional<Vec3> position_enu;        // the same in the run's local frame
  std::optional<int64_t> last_status_unix_ns;
  int64_t status_reports = 0;
  int64_t detection_reports = 0;
};

struct ConversionConfig {
  geo::LatLonAlt frame_origin;        // origin of the run's LocalFrame
  int64_t epoch_unix_ns = 0;          // SimTime 0; Detection.time = message timestamp - epoch
  int64_t first_sensor_id = 1000;     // SensorIds for SAPIENT nodes start here
  bool require_registration = true;   // detections/status from an unregistered node are errors
  std::map<std::string, geo::LatLonAlt> node_positions;  // configured positions by node_id (surveyed)
  // Location x/y/z_error are 1-sigma in the coordinate system's units (degrees or radians for
  // lat/lon, metres for UTM and z); set to read lat/lon errors as metres instead.
  bool latlon_errors_in_metres = false;
  double default_horizontal_sigma_m = 25.0;  // position sigma when no x/y_error is given; 25 m
  double default_vertical_sigma_m = 25.0;    // altitude sigma when no z_error is given; 25 m
  double missing_altitude_sigma_m = 500.0;   // no z: altitude = frame origin's, with this sigma; 500 m
  double default_range_sigma_m = 25.0;       // range-bearing without range_error; 25 m
  double default_angle_sigma_deg = 1.0;      // without azimuth/elevation_error; 1 degree
  double missing_elevation_sigma_deg = 10.0; // no elevation: 0 with this sigma; 10 degrees
  double magnetic_declination_deg = 0.0;     // added to RANGE_BEARING_DATUM_MAGNETIC azimuths
  double default_class_confidence = 0.5;     // a classification without confidence
};

// One DetectionReport as koepel sees it.
struct SapientDetection {
  Detection detection;
  std::string node_id;
  std::string object_id;    // the node's ULID for the object
  std::string object_key;   // "node_id/object_id": stable per object across reports
  std::string report_id;
  std::string class_path;   // the classification chosen, "Air Vehicle/UAV Rotary Wing"; empty if none
};

// Registration, status and position per node, and the conversions that need them.
// Deterministic: SensorIds and DetectionIds are handed out in order of arrival.
class NodeTable {
 public:
  explicit NodeTable(ConversionConfig config);

  // Records a (valid) Registration and returns the RegistrationAck to send back, sent by
  // `fusion_node_id` at `now_unix_ns`: accepted, or refused with the validation failure as reason.
  SapientMessage Register(const SapientMessage& registration, std::string_view fusion_node_id,
                          int64_t now_unix_ns);
  // Folds a StatusReport in (health, mode, power, node_location). Errors name the field.
  Result<NodeState> ApplyStatus(const SapientMessage& status_report);
  // DetectionReport -> Detection: kPosition for a location (x = longitude, y = latitude; UTM with
  // utm_zone), kRangeBearing (or kBearing without range) for a range_bearing, relative to the node's
  // position; noise from the reported errors, else the config's defaults. Errors name the field.
  Result<SapientDetection> ToDetection(const SapientMessage& detection_report);

  const NodeState* Find(std::string_view node_id) const;
  const std::map<std::string, NodeState, std::less<>>& nodes() const { return nodes_; }
  const geo::LocalFrame& frame() const { return frame_; }
  const ConversionConfig& config() const { return config_; }

 private:
  NodeState& Touch(std::string_view node_id);
  ConversionConfig config_;
  geo::LocalFrame frame_;
  std::map<std::string, NodeState, std::less<>> nodes_;
  IdSequence<SensorId> sensor_ids_;
  IdSequence<DetectionId> detection_ids_;
};

// A geodetic point from a Location (any coordinate system); errors name `path` and say why.
Result<geo::LatLonAlt> ToLatLonAlt(const pb::Location& location, std::string_view path);

// ---------------------------------------------------------------------------------------------
// Messages koepel sends

// ULIDs from a deterministic counter: 48-bit milliseconds, then 16 bits of `seed` and a 64-bit
// counter (monotonic within a millisecond, no randomness, reproducible runs).
class UlidGenerator {
 public:
  explicit UlidGenerator(uint16_t seed = 0) : seed_(seed) {}
  std::string Next(int64_t unix_ms);

 private:
  uint16_t seed_;
  uint64_t counter_ = 0;
};

// The envelope every message from koepel carries.
struct Envelope {
  std::string from_node_id;  // koepel's UUID
  std::string to_node_id;    // destination UUID (empty: none)
  int64_t unix_ns = 0;       // timestamp
};

SapientMessage MakeRegistrationAck(const Envelope& envelope, bool accepted, std::vector<std::string> reasons);
// Task "look at" a point (LAT_LNG_DEG_M, WGS84 ellipsoid, x = longitude), control START.
SapientMessage MakeLookAtTask(const Envelope& envelope, std::string_view task_id, const geo::LatLonAlt& point);
// Task "follow" the node's object `object_id` (a ULID the node reported), control START.
SapientMessage MakeFollowTask(const Envelope& envelope, std::string_view task_id, std::string_view object_id);

// ---------------------------------------------------------------------------------------------
// Fusion node service

struct Rejection {
  std::string node_id;      // the sender's node_id when known, else ""
  std::string peer;         // "127.0.0.1:53122"
  uint64_t offset = 0;      // stream byte offset of the frame on that connection
  std::string reason;
  std::string ToString() const;  // "node <id> (<peer>) byte <offset>: <reason>"
};

struct PollResult {
  std::vector<SapientDetection> detections;
  std::vector<NodeState> status_updates;     // the node's state after each StatusReport
  std::vector<std::string> registered;       // nodes accepted in this poll
  std::vector<SapientMessage> other;         // valid TaskAck, Alert, AlertAck, Error, ... as received
  std::vector<Rejection> rejected;
  std::vector<std::string> disconnected;     // peers that closed
};

class FusionNode {
 public:
  struct Config {
    net::Endpoint listen{"127.0.0.1", 0};  // port 0: ephemeral, see port()
    std::string node_id = "6b6f6570-656c-4000-8000-000000000001";  // koepel's UUID on the network
    ConversionConfig conversion;
    uint32_t max_message_bytes = 1 << 20;
    uint16_t task_id_seed = 0;
  };

  static Result<FusionNode> Start(Config config);

  // Waits up to `timeout` for activity, then accepts new connections, reads what arrived, validates
  // each message, answers registrations, and returns the results. Bad messages are rejected (and
  // counted) without closing the connection; only socket failures are errors.
  Result<PollResult> Poll(std::chrono::milliseconds timeout);

  // Sends a message (e.g. a task) to a registered node over its connection; sets destination_id.
  Status Send(std::string_view node_id, SapientMessage message);
  // Tasks with a fresh ULID task id and koepel's envelope, ready for Send.
  SapientMessage MakeLookAtTask(std::string_view node_id, const geo::LatLonAlt& point);
  SapientMessage MakeFollowTask(std::string_view node_id, std::string_view object_id);

  uint16_t port() const { return listener_.port(); }
  const NodeTable& nodes() const { return nodes_; }
  int64_t rejected_count() const { return rejected_count_; }
  size_t connection_count() const { return connections_.size(); }

 private:
  struct Connection {
    net::TcpStream stream;
    FrameReader reader;
    std::vector<std::string> node_ids;  // nodes registered over this connection
  };
  FusionNode(Config config, net::TcpListener listener);
  void Handle(Connection& connection, Result<FramedMessage> framed, PollResult& out);
  void Reject(const Connection& connection, std::string node_id, uint64_t offset, std::string reason,
              PollResult& out);

  Config config_;
  net::TcpListener listener_;
  std::vector<Connection> connections_;
  NodeTable nodes_;
  UlidGenerator task_ids_;
  int64_t rejected_count_ = 0;
};

}  // namespace koepel::adapters::sapient
