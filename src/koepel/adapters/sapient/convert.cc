// SAPIENT -> koepel's model (detections, node state, class reports) and the messages koepel sends.
#include <GeographicLib/UTMUPS.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>

#include "koepel/adapters/sapient/internal.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

using internal::Join;

constexpr double kDegToRad = M_PI / 180.0;
constexpr double kEarthRadiusM = 6'371'000.0;  // for turning angular errors into metres
constexpr double kMinSigmaM = 0.1;             // keeps the noise covariance positive definite

std::string Lower(std::string_view s) {
  std::string out;
  for (const char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Trim: class names arrive with stray spaces ("Land Vehicle " in the dstl taxonomy).
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::optional<ObjectClass> MapOneName(std::string_view name) {
  static constexpr std::pair<std::string_view, ObjectClass> kNames[] = {
      {"uav", ObjectClass::kSmallDrone},
      {"uas", ObjectClass::kSmallDrone},
      {"drone", ObjectClass::kSmallDrone},
      {"uav rotary wing", ObjectClass::kSmallDrone},
      {"rotary wing uav", ObjectClass::kSmallDrone},
      {"quadcopter", ObjectClass::kSmallDrone},
      {"multirotor", ObjectClass::kSmallDrone},
      {"multi-rotor", ObjectClass::kSmallDrone},
      {"uav fixed wing", ObjectClass::kOneWayAttackDrone},
      {"fixed wing uav", ObjectClass::kOneWayAttackDrone},
      {"loitering munition", ObjectClass::kOneWayAttackDrone},
      {"one way attack", ObjectClass::kOneWayAttackDrone},
      {"one way attack drone", ObjectClass::kOneWayAttackDrone},
      {"decoy", ObjectClass::kDecoy},
      {"manned fixed wing", ObjectClass::kFixedWing},
      {"fixed wing", ObjectClass::kFixedWing},
      {"aircraft", ObjectClass::kFixedWing},
      {"manned rotary wing", ObjectClass::kHelicopter},
      {"helicopter", ObjectClass::kHelicopter},
      {"rotary wing", ObjectClass::kHelicopter},
      {"cruise missile", ObjectClass::kCruiseMissile},
      {"missile", ObjectClass::kCruiseMissile},
      {"ballistic missile", ObjectClass::kBallisticMissile},
      {"bird", ObjectClass::kBird},
      // Known SAPIENT (dstl taxonomy) classes that say nothing about an air threat's kind.
      {"air vehicle", ObjectClass::kUnknown},
      {"animal", ObjectClass::kUnknown},
      {"human", ObjectClass::kUnknown},
      {"land vehicle", ObjectClass::kUnknown},
      {"sea vessel", ObjectClass::kUnknown},
      {"fixed object", ObjectClass::kUnknown},
      {"equipment", ObjectClass::kUnknown},
      {"unknown", ObjectClass::kUnknown},
  };
  const std::string key = Lower(name);
  for (const auto& [n, c] : kNames) {
    if (n == key) return c;
  }
  return std::nullopt;
}

// Every class in a classification tree with its path and confidence.
struct ClassCandidate {
  std::optional<ObjectClass> object_class;
  double confidence = 0.0;
  std::string path;
  int depth = 0;
};

void Collect(const pb::DetectionReport::SubClass& s, const std::string& parent, double parent_confidence,
             int depth, std::vector<ClassCandidate>& out) {
  const double confidence = s.has_confidence() ? s.confidence() : parent_confidence;
  const std::string path = parent + "/" + s.type();
  out.push_back({MapOneName(s.type()), confidence, path, depth});
  for (const auto& child : s.sub_class()) Collect(child, path, confidence, depth + 1, out);
}

std::optional<ClassCandidate> BestClass(const pb::DetectionReport& d, double default_confidence) {
  std::vector<ClassCandidate> all;
  for (const auto& k : d.classification()) {
    const double confidence = k.has_confidence() ? k.confidence() : default_confidence;
    all.push_back({MapOneName(k.type()), confidence, k.type(), 0});
    for (const auto& s : k.sub_class()) Collect(s, k.type(), confidence, 1, all);
  }
  std::optional<ClassCandidate> best;
  auto rank = [](const ClassCandidate& c) {
    return std::tuple(c.object_class.has_value() && *c.object_class != ObjectClass::kUnknown, c.confidence, c.depth);
  };
  for (auto& c : all) {
    if (!c.object_class) continue;
    if (!best || rank(c) > rank(*best)) best = c;
  }
  return best;
}

std::optional<SensorKind> SensorKindFor(pb::Registration::NodeType t) {
  switch (t) {
    case pb::Registration::NODE_TYPE_RADAR:
      return SensorKind::kRadar;
    case pb::Registration::NODE_TYPE_CAMERA:
    case pb::Registration::NODE_TYPE_LIDAR:
      return SensorKind::kEoir;
    case pb::Registration::NODE_TYPE_PASSIVE_RF:
      return SensorKind::kRf;
    case pb::Registration::NODE_TYPE_ACOUSTIC:
      return SensorKind::kAcoustic;
    default:
      return std::nullopt;
  }
}

double WrapPi(double a) {
  a = std::remainder(a, 2.0 * M_PI);  // [-pi, pi]
  return a <= -M_PI ? a + 2.0 * M_PI : a;
}

}  // namespace

std::string_view NodeHealthName(NodeHealth h) {
  switch (h) {
    case NodeHealth::kOk:
      return "ok";
    case NodeHealth::kWarning:
      return "warning";
    case NodeHealth::kError:
      return "error";
    case NodeHealth::kGoodbye:
      return "goodbye";
    case NodeHealth::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<ObjectClass> ObjectClassFromSapient(std::string_view class_name) {
  std::optional<ObjectClass> known;
  // A path "Air Vehicle/UAV Rotary Wing": the most specific component that maps wins.
  while (!class_name.empty()) {
    const size_t slash = class_name.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? class_name : class_name.substr(slash + 1);
    if (auto c = MapOneName(last)) {
      if (*c != ObjectClass::kUnknown) return c;
      known = c;
    }
    if (slash == std::string_view::npos) break;
    class_name = class_name.substr(0, slash);
  }
  return known;
}

Result<geo::LatLonAlt> ToLatLonAlt(const pb::Location& l, std::string_view path) {
  const std::string where(path);
  if (!l.has_x() || !l.has_y() || !std::isfinite(l.x()) || !std::isfinite(l.y())) {
    return InvalidArgumentError(where + ": x and y must be finite numbers");
  }
  geo::LatLonAlt p;
  p.alt_m = l.has_z() && std::isfinite(l.z()) ? l.z() : 0.0;
  switch (l.coordinate_system()) {
    case pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M:
      p.lat_deg = l.y();
      p.lon_deg = l.x();
      break;
    case pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M:
      p.lat_deg = l.y() / kDegToRad;
      p.lon_deg = l.x() / kDegToRad;
      break;
    case pb::LOCATION_COORDINATE_SYSTEM_UTM_M: {
      // utm_zone as in the samples: zone number and MGRS latitude band ("30U"); bands N..X are north.
      const std::string& zone_text = l.utm_zone();
      size_t digits = 0;
      while (digits < zone_text.size() && std::isdigit(static_cast<unsigned char>(zone_text[digits]))) ++digits;
      if (digits == 0 || digits > 2 || digits + 1 != zone_text.size()) {
        return InvalidArgumentError(where + ".utm_zone: need a zone and latitude band such as \"30U\", got \"" +
                                    zone_text + "\"");
      }
      const int zone = std::stoi(zone_text.substr(0, digits));
      const char band = static_cast<char>(std::toupper(static_cast<unsigned char>(zone_text[digits])));
      if (zone < 1 || zone > 60 || band < 'C' || band > 'X' || band == 'I' || band == 'O') {
        return InvalidArgumentError(where + ".utm_zone: no such zone \"" + zone_text + "\"");
      }
      try {
        GeographicLib::UTMUPS::Reverse(zone, band >= 'N', l.x(), l.y(), p.lat_deg, p.lon_deg, /*mgrslimits=*/true);
      } catch (const std::exception& e) {
        return InvalidArgumentError(where + ": easting " + std::to_string(l.x()) + ", northing " +
                                    std::to_string(l.y()) + " is not a position in UTM zone " + zone_text + " (" +
                                    e.what() + ")");
      }
      break;
    }
    default:
      return InvalidArgumentError(where + ".coordinate_system: " +
                                  pb::LocationCoordinateSystem_Name(l.coordinate_system()) + " cannot be converted");
  }
  // LOCATION_DATUM_WGS84_G (height above the geoid) is taken as ellipsoidal height: no geoid model here.
  if (!(std::abs(p.lat_deg) <= 90.0) || !(std::abs(p.lon_deg) <= 180.0)) {
    return InvalidArgumentError(where + ": latitude " + std::to_string(p.lat_deg) + ", longitude " +
                                std::to_string(p.lon_deg) + " out of range");
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// NodeTable

NodeTable::NodeTable(ConversionConfig config)
    : config_(std::move(config)),
      frame_(config_.frame_origin),
      sensor_ids_(config_.first_sensor_id),
      detection_ids_(1) {}

const NodeState* NodeTable::Find(std::string_view node_id) const {
  auto it = nodes_.find(node_id);
  return it == nodes_.end() ? nullptr : &it->second;
}

NodeState& NodeTable::Touch(std::string_view node_id) {
  auto it = nodes_.find(node_id);
  if (it != nodes_.end()) return it->second;
  NodeState node;
  node.node_id = std::string(node_id);
  node.sensor = sensor_ids_.Next();
  if (auto configured = config_.node_positions.find(node.node_id); configured != config_.node_positions.end()) {
    node.position = configured->second;
    node.position_enu = frame_.ToEnu(configured->second);
  }
  return nodes_.emplace(node.node_id, std::move(node)).first->second;
}

SapientMessage NodeTable::Register(const SapientMessage& m, std::string_view fusion_node_id, int64_t now_unix_ns) {
  Envelope envelope{std::string(fusion_node_id), IsUuid(m.node_id()) ? m.node_id() : "", now_unix_ns};
  if (!m.has_registration()) {
    return MakeRegistrationAck(envelope, false, {"content: not a Registration"});
  }
  if (Status s = Validate(m); !s.ok()) return MakeRegistrationAck(envelope, false, {s.message()});
  NodeState& node = Touch(m.node_id());
  const pb::Registration& r = m.registration();
  node.registered = true;
  node.name = r.name();
  node.node_types.clear();
  std::optional<SensorKind> kind;
  for (const auto& d : r.node_definition()) {
    node.node_types.push_back(pb::Registration::NodeType_Name(d.node_type()));
    if (!kind) kind = SensorKindFor(d.node_type());
  }
  node.sensor_kind = kind.value_or(SensorKind::kEoir);
  return MakeRegistrationAck(envelope, true, {});
}

Result<NodeState> NodeTable::ApplyStatus(const SapientMessage& m) {
  if (!m.has_status_report()) return InvalidArgumentError("content: not a StatusReport");
  const NodeState* known = Find(m.node_id());
  if (config_.require_registration && (known == nullptr || !known->registered)) {
    return FailedPreconditionError("node_id: node " + m.node_id() + " sent a StatusReport before registering");
  }
  const pb::StatusReport& s = m.status_report();
  std::optional<geo::LatLonAlt> position;
  if (s.has_node_location()) {
    KOEPEL_ASSIGN_OR_RETURN(position, ToLatLonAlt(s.node_location(), "status_report.node_location"));
    if (!s.node_location().has_z()) position->alt_m = config_.frame_origin.alt_m;
  }
  NodeState& node = Touch(m.node_id());
  switch (s.system()) {
    case pb::StatusReport::SYSTEM_OK:
      node.health = NodeHealth::kOk;
      break;
    case pb::StatusReport::SYSTEM_WARNING:
      node.health = NodeHealth::kWarning;
      break;
    case pb::StatusReport::SYSTEM_ERROR:
      node.health = NodeHealth::kError;
      break;
    case pb::StatusReport::SYSTEM_GOODBYE:
      node.health = NodeHealth::kGoodbye;
      break;
    default:
      node.health = NodeHealth::kUnknown;
  }
  if (s.has_mode()) node.mode = s.mode();
  if (s.has_power() && s.power().has_level()) node.power_level = s.power().level();
  if (position) {
    node.position = *position;
    node.position_enu = frame_.ToEnu(*position);
  }
  if (m.has_timestamp()) node.last_status_unix_ns = internal::ToUnixNs(m.timestamp());
  ++node.status_reports;
  return node;
}

Result<SapientDetection> NodeTable::ToDetection(const SapientMessage& m) {
  if (!m.has_detection_report()) return InvalidArgumentError("content: not a DetectionReport");
  const NodeState* known = Find(m.node_id());
  if (config_.require_registration && (known == nullptr || !known->registered)) {
    return FailedPreconditionError("node_id: node " + m.node_id() + " sent a DetectionReport before registering");
  }
  const pb::DetectionReport& d = m.detection_report();
  Measurement measurement;
  if (d.has_location()) {
    const pb::Location& l = d.location();
    KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt p, ToLatLonAlt(l, "detection_report.location"));
    if (!l.has_z()) p.alt_m = config_.frame_origin.alt_m;
    measurement.kind = MeasurementKind::kPosition;
    measurement.z = frame_.ToEnu(p);
    // Horizontal errors in the coordinate system's units unless configured as metres.
    double east_per_unit = 1.0;
    double north_per_unit = 1.0;
    if (!config_.latlon_errors_in_metres && l.coordinate_system() != pb::LOCATION_COORDINATE_SYSTEM_UTM_M) {
      const double radians_per_unit =
          l.coordinate_system() == pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M ? 1.0 : kDegToRad;
      north_per_unit = radians_per_unit * kEarthRadiusM;
      east_per_unit = north_per_unit * std::cos(p.lat_deg * kDegToRad);
    }
    const double sx = l.has_x_error() ? l.x_error() * east_per_unit : config_.default_horizontal_sigma_m;
    const double sy = l.has_y_error() ? l.y_error() * north_per_unit : config_.default_horizontal_sigma_m;
    const double sz = !l.has_z() ? config_.missing_altitude_sigma_m
                                 : (l.has_z_error() ? l.z_error() : config_.default_vertical_sigma_m);
    measurement.noise = Vec3(std::pow(std::max(sx, kMinSigmaM), 2), std::pow(std::max(sy, kMinSigmaM), 2),
                             std::pow(std::max(sz, kMinSigmaM), 2))
                            .asDiagonal();
  } else if (d.has_range_bearing()) {
    const pb::RangeBearing& rb = d.range_bearing();
    const std::string path = "detection_report.range_bearing";
    if (known == nullptr || !known->position_enu) {
      return FailedPreconditionError(path + ": node " + m.node_id() +
                                     " has no known position (no StatusReport node_location, none configured)");
    }
    if (!rb.has_azimuth() || !std::isfinite(rb.azimuth())) {
      return InvalidArgumentError(path + ".azimuth: missing, so the detection cannot be placed");
    }
    double angle_unit = kDegToRad;
    double range_unit = 1.0;
    switch (rb.coordinate_system()) {
      case pb::RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_M:
        break;
      case pb::RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_M:
        angle_unit = 1.0;
        break;
      case pb::RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_KM:
        range_unit = 1000.0;
        break;
      case pb::RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_KM:
        angle_unit = 1.0;
        range_unit = 1000.0;
        break;
      default:
        return InvalidArgumentError(path + ".coordinate_system: " +
                                    pb::RangeBearingCoordinateSystem_Name(rb.coordinate_system()) +
                                    " cannot be converted");
    }
    double azimuth = rb.azimuth() * angle_unit;
    switch (rb.datum()) {
      case pb::RANGE_BEARING_DATUM_TRUE:
      case pb::RANGE_BEARING_DATUM_GRID:  // grid convergence (< 3 degrees in a UTM zone) ignored
        break;
      case pb::RANGE_BEARING_DATUM_MAGNETIC:
        azimuth += config_.magnetic_declination_deg * kDegToRad;
        break;
      default:
        return InvalidArgumentError(path + ".datum: " + pb::RangeBearingDatum_Name(rb.datum()) +
                                    " bearings need the platform's heading, which koepel does not know");
    }
    azimuth = WrapPi(azimuth);
    const bool has_elevation = rb.has_elevation() && std::isfinite(rb.elevation());
    const double elevation = has_elevation ? rb.elevation() * angle_unit : 0.0;
    const double default_angle = config_.default_angle_sigma_deg * kDegToRad;
    const double s_az = rb.has_azimuth_error() ? rb.azimuth_error() * angle_unit : default_angle;
    const double s_el = !has_elevation ? config_.missing_elevation_sigma_deg * kDegToRad
                                       : (rb.has_elevation_error() ? rb.elevation_error() * angle_unit : default_angle);
    constexpr double kMinSigmaRad = 1e-5;
    if (rb.has_range() && std::isfinite(rb.range())) {
      const double s_r = rb.has_range_error() ? rb.range_error() * range_unit : config_.default_range_sigma_m;
      measurement.kind = MeasurementKind::kRangeBearing;
      measurement.z = Vec3(rb.range() * range_unit, azimuth, elevation);
      measurement.noise = Vec3(std::pow(std::max(s_r, kMinSigmaM), 2), std::pow(std::max(s_az, kMinSigmaRad), 2),
                               std::pow(std::max(s_el, kMinSigmaRad), 2))
                              .asDiagonal();
    } else {
      measurement.kind = MeasurementKind::kBearing;
      measurement.z = Vec3(azimuth, elevation, 0.0);
      measurement.noise =
          Vec3(std::pow(std::max(s_az, kMinSigmaRad), 2), std::pow(std::max(s_el, kMinSigmaRad), 2), 1.0)
              .asDiagonal();
    }
  } else {
    return InvalidArgumentError("detection_report.location: missing location or range_bearing");
  }

  NodeState& node = Touch(m.node_id());
  ++node.detection_reports;
  SapientDetection out;
  out.node_id = m.node_id();
  out.object_id = d.object_id();
  out.object_key = m.node_id() + "/" + d.object_id();
  out.report_id = d.report_id();
  Detection& det = out.detection;
  det.id = detection_ids_.Next();
  det.sensor = node.sensor;
  det.sensor_kind = node.sensor_kind;
  det.time = SimTime::FromNanoseconds(internal::ToUnixNs(m.timestamp()) - config_.epoch_unix_ns);
  if (node.position_enu) det.sensor_position = *node.position_enu;
  det.measurement = measurement;
  if (auto best = BestClass(d, config_.default_class_confidence)) {
    det.class_report = ClassReport{*best->object_class, std::clamp(best->confidence, 0.0, 1.0)};
    out.class_path = best->path;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Messages koepel sends

std::string UlidGenerator::Next(int64_t unix_ms) {
  constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const uint64_t time = static_cast<uint64_t>(std::max<int64_t>(unix_ms, 0)) & ((uint64_t{1} << 48) - 1);
  const uint64_t hi = time << 16 | seed_;  // bits 64..127
  const uint64_t lo = counter_++;          // bits 0..63
  std::string out(26, '0');
  for (int i = 0; i < 26; ++i) {
    int value = 0;
    for (int b = 0; b < 5; ++b) {
      const int bit = 129 - (5 * i + b);  // 130 bits, the top two always zero
      int v = 0;
      if (bit < 64) {
        v = static_cast<int>(lo >> bit & 1);
      } else if (bit < 128) {
        v = static_cast<int>(hi >> (bit - 64) & 1);
      }
      value = value << 1 | v;
    }
    out[static_cast<size_t>(i)] = kCrockford[static_cast<size_t>(value)];
  }
  return out;
}

namespace {
SapientMessage WithEnvelope(const Envelope& e) {
  SapientMessage m;
  internal::SetUnixNs(e.unix_ns, m.mutable_timestamp());
  m.set_node_id(e.from_node_id);
  if (!e.to_node_id.empty()) m.set_destination_id(e.to_node_id);
  return m;
}
}  // namespace

SapientMessage MakeRegistrationAck(const Envelope& envelope, bool accepted, std::vector<std::string> reasons) {
  SapientMessage m = WithEnvelope(envelope);
  pb::RegistrationAck* ack = m.mutable_registration_ack();
  ack->set_acceptance(accepted);
  for (auto& r : reasons) ack->add_ack_response_reason(std::move(r));
  return m;
}

SapientMessage MakeLookAtTask(const Envelope& envelope, std::string_view task_id, const geo::LatLonAlt& point) {
  SapientMessage m = WithEnvelope(envelope);
  pb::Task* task = m.mutable_task();
  task->set_task_id(std::string(task_id));
  task->set_task_name("look_at");
  task->set_task_description("koepel: look at this point to confirm a track");
  task->set_control(pb::Task::CONTROL_START);
  pb::Location* l = task->mutable_command()->mutable_look_at()->mutable_location_list()->add_locations();
  l->set_x(point.lon_deg);
  l->set_y(point.lat_deg);
  l->set_z(point.alt_m);
  l->set_coordinate_system(pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  l->set_datum(pb::LOCATION_DATUM_WGS84_E);
  return m;
}

SapientMessage MakeFollowTask(const Envelope& envelope, std::string_view task_id, std::string_view object_id) {
  SapientMessage m = WithEnvelope(envelope);
  pb::Task* task = m.mutable_task();
  task->set_task_id(std::string(task_id));
  task->set_task_name("follow");
  task->set_task_description("koepel: follow this object to confirm a track");
  task->set_control(pb::Task::CONTROL_START);
  task->mutable_command()->mutable_follow()->set_follow_object_id(std::string(object_id));
  return m;
}

}  // namespace koepel::adapters::sapient
