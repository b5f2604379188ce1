// The standard's rules (shared/standards/sapient.md; the dstl v2.0 validator's checks): mandatory
// fields per message, UUID/ULID ids, the ICD version, ranges. Paths use proto field names.
#include <cctype>
#include <cmath>
#include <limits>

#include "koepel/adapters/sapient/internal.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

using internal::Join;

constexpr std::string_view kMissing = "missing (mandatory)";

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s.substr(0, 64)) {
    out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  }
  if (s.size() > 64) out += "...";
  return out + "\"";
}

bool Blank(std::string_view s) {
  for (const char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Collects violations; each check names the field it looked at.
class Checker {
 public:
  explicit Checker(std::vector<Violation>& out) : out_(out) {}

  void Add(std::string path, std::string reason) { out_.push_back({std::move(path), std::move(reason)}); }

  void RequiredString(const std::string& parent, std::string_view field, bool has, const std::string& value) {
    if (!has || Blank(value)) Add(Join(parent, field), std::string(kMissing));
  }
  // Mandatory enum: present and not *_UNSPECIFIED, and a value the schema knows.
  template <typename IsValid>
  void RequiredEnum(const std::string& parent, std::string_view field, bool has, int value, IsValid is_valid) {
    if (!has) {
      Add(Join(parent, field), std::string(kMissing));
    } else if (value == 0) {
      Add(Join(parent, field), "UNSPECIFIED (mandatory)");
    } else if (!is_valid(value)) {
      Add(Join(parent, field), "unknown value " + std::to_string(value));
    }
  }
  template <typename IsValid>
  void OptionalEnum(const std::string& parent, std::string_view field, bool has, int value, IsValid is_valid) {
    if (has && !is_valid(value)) Add(Join(parent, field), "unknown value " + std::to_string(value));
  }
  void RequiredPresent(const std::string& parent, std::string_view field, bool has) {
    if (!has) Add(Join(parent, field), std::string(kMissing));
  }
  void Finite(const std::string& parent, std::string_view field, bool has, double value) {
    if (has && !std::isfinite(value)) Add(Join(parent, field), "not a finite number");
  }
  void RequiredFinite(const std::string& parent, std::string_view field, bool has, double value) {
    if (!has) {
      Add(Join(parent, field), std::string(kMissing));
    } else {
      Finite(parent, field, has, value);
    }
  }
  void NonNegative(const std::string& parent, std::string_view field, bool has, double value) {
    if (has && !(value >= 0.0 && std::isfinite(value))) {
      Add(Join(parent, field), "must be a finite number >= 0, got " + std::to_string(value));
    }
  }
  void Fraction(const std::string& parent, std::string_view field, bool has, double value) {
    if (has && !(value >= 0.0 && value <= 1.0)) {
      Add(Join(parent, field), "must be in [0, 1], got " + std::to_string(value));
    }
  }
  void Ulid(const std::string& parent, std::string_view field, bool has, const std::string& value, bool required) {
    if (!has || Blank(value)) {
      if (required) Add(Join(parent, field), std::string(kMissing));
    } else if (!IsUlid(value)) {
      Add(Join(parent, field), "not a ULID: " + Quoted(value));
    }
  }
  void Uuid(const std::string& path, bool has, const std::string& value, bool required) {
    if (!has || Blank(value)) {
      if (required) Add(path, std::string(kMissing));
    } else if (!IsUuid(value)) {
      Add(path, "not a UUID: " + Quoted(value));
    }
  }
  void Timestamp(const std::string& path, const google::protobuf::Timestamp& t) {
    // RFC 3339 range, as protobuf's Timestamp defines it: 0001-01-01 .. 9999-12-31.
    constexpr int64_t kMinSeconds = -62135596800;
    constexpr int64_t kMaxSeconds = 253402300799;
    if (t.seconds() < kMinSeconds || t.seconds() > kMaxSeconds || t.nanos() < 0 || t.nanos() > 999'999'999) {
      Add(path, "not a valid timestamp (seconds " + std::to_string(t.seconds()) + ", nanos " +
                    std::to_string(t.nanos()) + ")");
    }
  }

 private:
  std::vector<Violation>& out_;
};

// ---------------------------------------------------------------------------------------------
// Shared sub-messages

void CheckLocation(Checker& c, const std::string& path, const pb::Location& l) {
  c.RequiredFinite(path, "x", l.has_x(), l.x());
  c.RequiredFinite(path, "y", l.has_y(), l.y());
  c.Finite(path, "z", l.has_z(), l.z());
  c.NonNegative(path, "x_error", l.has_x_error(), l.x_error());
  c.NonNegative(path, "y_error", l.has_y_error(), l.y_error());
  c.NonNegative(path, "z_error", l.has_z_error(), l.z_error());
  c.RequiredEnum(path, "coordinate_system", l.has_coordinate_system(), l.coordinate_system(),
                 pb::LocationCoordinateSystem_IsValid);
  c.RequiredEnum(path, "datum", l.has_datum(), l.datum(), pb::LocationDatum_IsValid);
  const double half_turn =
      l.coordinate_system() == pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M ? M_PI : 180.0;
  if (l.coordinate_system() == pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M ||
      l.coordinate_system() == pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M) {
    if (l.has_y() && std::isfinite(l.y()) && std::abs(l.y()) > half_turn / 2) {
      c.Add(Join(path, "y"), "latitude " + std::to_string(l.y()) + " out of range");
    }
    if (l.has_x() && std::isfinite(l.x()) && std::abs(l.x()) > half_turn) {
      c.Add(Join(path, "x"), "longitude " + std::to_string(l.x()) + " out of range");
    }
  }
}

void CheckLocationList(Checker& c, const std::string& path, const pb::LocationList& list) {
  if (list.locations_size() == 0) c.Add(Join(path, "locations"), "empty (at least one location is mandatory)");
  for (int i = 0; i < list.locations_size(); ++i) CheckLocation(c, Join(path, "locations", i), list.locations(i));
}

void CheckRangeBearing(Checker& c, const std::string& path, const pb::RangeBearing& rb) {
  c.Finite(path, "elevation", rb.has_elevation(), rb.elevation());
  c.Finite(path, "azimuth", rb.has_azimuth(), rb.azimuth());
  c.NonNegative(path, "range", rb.has_range(), rb.range());
  c.NonNegative(path, "elevation_error", rb.has_elevation_error(), rb.elevation_error());
  c.NonNegative(path, "azimuth_error", rb.has_azimuth_error(), rb.azimuth_error());
  c.NonNegative(path, "range_error", rb.has_range_error(), rb.range_error());
  c.RequiredEnum(path, "coordinate_system", rb.has_coordinate_system(), rb.coordinate_system(),
                 pb::RangeBearingCoordinateSystem_IsValid);
  c.RequiredEnum(path, "datum", rb.has_datum(), rb.datum(), pb::RangeBearingDatum_IsValid);
}

void CheckRangeBearingCone(Checker& c, const std::string& path, const pb::RangeBearingCone& rb) {
  c.Finite(path, "elevation", rb.has_elevation(), rb.elevation());
  c.Finite(path, "azimuth", rb.has_azimuth(), rb.azimuth());
  c.NonNegative(path, "range", rb.has_range(), rb.range());
  c.NonNegative(path, "horizontal_extent", rb.has_horizontal_extent(), rb.horizontal_extent());
  c.NonNegative(path, "vertical_extent", rb.has_vertical_extent(), rb.vertical_extent());
  c.RequiredEnum(path, "coordinate_system", rb.has_coordinate_system(), rb.coordinate_system(),
                 pb::RangeBearingCoordinateSystem_IsValid);
  c.RequiredEnum(path, "datum", rb.has_datum(), rb.datum(), pb::RangeBearingDatum_IsValid);
}

void CheckLocationOrRangeBearing(Checker& c, const std::string& path, const pb::LocationOrRangeBearing& l) {
  switch (l.fov_oneof_case()) {
    case pb::LocationOrRangeBearing::kRangeBearing:
      CheckRangeBearingCone(c, Join(path, "range_bearing"), l.range_bearing());
      break;
    case pb::LocationOrRangeBearing::kLocationList:
      CheckLocationList(c, Join(path, "location_list"), l.location_list());
      break;
    default:
      c.Add(path, "missing range_bearing or location_list (one is mandatory)");
  }
}

void CheckAssociatedFile(Checker& c, const std::string& path, const pb::AssociatedFile& f) {
  c.RequiredString(path, "type", f.has_type(), f.type());
  c.RequiredString(path, "url", f.has_url(), f.url());
}

void CheckAssociatedDetection(Checker& c, const std::string& path, const pb::AssociatedDetection& a) {
  if (a.has_timestamp()) c.Timestamp(Join(path, "timestamp"), a.timestamp());
  c.Uuid(Join(path, "node_id"), a.has_node_id(), a.node_id(), true);
  c.Ulid(path, "object_id", a.has_object_id(), a.object_id(), true);
  c.OptionalEnum(path, "association_type", a.has_association_type(), a.association_type(),
                 pb::AssociationRelation_IsValid);
}

void CheckEnuVelocity(Checker& c, const std::string& path, const pb::ENUVelocity& v) {
  c.RequiredFinite(path, "east_rate", v.has_east_rate(), v.east_rate());
  c.RequiredFinite(path, "north_rate", v.has_north_rate(), v.north_rate());
  c.Finite(path, "up_rate", v.has_up_rate(), v.up_rate());
}

// ---------------------------------------------------------------------------------------------
// Registration

using Reg = pb::Registration;

void CheckDuration(Checker& c, const std::string& path, const Reg::Duration& d) {
  c.RequiredEnum(path, "units", d.has_units(), d.units(), Reg::TimeUnits_IsValid);
  c.RequiredPresent(path, "value", d.has_value());
  c.NonNegative(path, "value", d.has_value(), d.value());
}

void CheckLocationType(Checker& c, const std::string& path, const Reg::LocationType& t) {
  switch (t.coordinates_oneof_case()) {
    case Reg::LocationType::kLocationUnits:
      c.RequiredEnum(path, "location_units", true, t.location_units(), pb::LocationCoordinateSystem_IsValid);
      break;
    case Reg::LocationType::kRangeBearingUnits:
      c.RequiredEnum(path, "range_bearing_units", true, t.range_bearing_units(),
                     pb::RangeBearingCoordinateSystem_IsValid);
      break;
    default:
      c.Add(Join(path, "location_units"), "missing location_units or range_bearing_units (one is mandatory)");
  }
  switch (t.datum_oneof_case()) {
    case Reg::LocationType::kLocationDatum:
      c.RequiredEnum(path, "location_datum", true, t.location_datum(), pb::LocationDatum_IsValid);
      break;
    case Reg::LocationType::kRangeBearingDatum:
      c.RequiredEnum(path, "range_bearing_datum", true, t.range_bearing_datum(), pb::RangeBearingDatum_IsValid);
      break;
    default:
      c.Add(Join(path, "location_datum"), "missing location_datum or range_bearing_datum (one is mandatory)");
  }
}

void CheckPerformanceValue(Checker& c, const std::string& path, const Reg::PerformanceValue& v) {
  c.RequiredString(path, "type", v.has_type(), v.type());
  c.RequiredString(path, "units", v.has_units(), v.units());
  c.RequiredString(path, "unit_value", v.has_unit_value(), v.unit_value());
}

void CheckRegistrationSubClass(Checker& c, const std::string& path, const Reg::SubClass& s) {
  c.RequiredString(path, "type", s.has_type(), s.type());
  c.RequiredPresent(path, "level", s.has_level());
  for (int i = 0; i < s.sub_class_size(); ++i) CheckRegistrationSubClass(c, Join(path, "sub_class", i), s.sub_class(i));
}

void CheckVelocityType(Checker& c, const std::string& path, const Reg::VelocityType& v) {
  if (v.velocity_units_oneof_case() == Reg::VelocityType::kEnuVelocityUnits) {
    const std::string units = Join(path, "enu_velocity_units");
    c.RequiredEnum(units, "east_north_rate_units", v.enu_velocity_units().has_east_north_rate_units(),
                   v.enu_velocity_units().east_north_rate_units(), pb::SpeedUnits_IsValid);
    c.OptionalEnum(units, "up_rate_units", v.enu_velocity_units().has_up_rate_units(),
                   v.enu_velocity_units().up_rate_units(), pb::SpeedUnits_IsValid);
  } else {
    c.Add(Join(path, "enu_velocity_units"), std::string(kMissing));
  }
  switch (v.datum_oneof_case()) {
    case Reg::VelocityType::kLocationDatum:
      c.RequiredEnum(path, "location_datum", true, v.location_datum(), pb::LocationDatum_IsValid);
      break;
    case Reg::VelocityType::kRangeBearingDatum:
      c.RequiredEnum(path, "range_bearing_datum", true, v.range_bearing_datum(), pb::RangeBearingDatum_IsValid);
      break;
    default:
      c.Add(Join(path, "location_datum"), "missing location_datum or range_bearing_datum (one is mandatory)");
  }
}

void CheckDetectionDefinition(Checker& c, const std::string& path, const Reg::DetectionDefinition& d) {
  if (d.has_location_type()) {
    CheckLocationType(c, Join(path, "location_type"), d.location_type());
  } else {
    c.Add(Join(path, "location_type"), std::string(kMissing));
  }
  for (int i = 0; i < d.detection_performance_size(); ++i) {
    CheckPerformanceValue(c, Join(path, "detection_performance", i), d.detection_performance(i));
  }
  for (int i = 0; i < d.detection_report_size(); ++i) {
    const std::string p = Join(path, "detection_report", i);
    const auto& r = d.detection_report(i);
    c.RequiredEnum(p, "category", r.has_category(), r.category(), Reg::DetectionReportCategory_IsValid);
    c.RequiredString(p, "type", r.has_type(), r.type());
    c.RequiredString(p, "units", r.has_units(), r.units());
  }
  for (int i = 0; i < d.detection_class_definition_size(); ++i) {
    const std::string p = Join(path, "detection_class_definition", i);
    const auto& k = d.detection_class_definition(i);
    c.OptionalEnum(p, "confidence_definition", k.has_confidence_definition(), k.confidence_definition(),
                   Reg::ConfidenceDefinition_IsValid);
    for (int j = 0; j < k.class_performance_size(); ++j) {
      CheckPerformanceValue(c, Join(p, "class_performance", j), k.class_performance(j));
    }
    for (int j = 0; j < k.class_definition_size(); ++j) {
      const std::string q = Join(p, "class_definition", j);
      c.RequiredString(q, "type", k.class_definition(j).has_type(), k.class_definition(j).type());
      for (int s = 0; s < k.class_definition(j).sub_class_size(); ++s) {
        CheckRegistrationSubClass(c, Join(q, "sub_class", s), k.class_definition(j).sub_class(s));
      }
    }
    for (int j = 0; j < k.taxonomy_dock_definition_size(); ++j) {
      const std::string q = Join(p, "taxonomy_dock_definition", j);
      const auto& t = k.taxonomy_dock_definition(j);
      c.RequiredString(q, "Dock_class_namespace", t.has_dock_class_namespace(), t.dock_class_namespace());
      c.RequiredString(q, "Dock_class", t.has_dock_class(), t.dock_class());
      for (int e = 0; e < t.extension_subclass_size(); ++e) {
        const std::string r = Join(q, "Extension_subclass", e);
        const auto& x = t.extension_subclass(e);
        c.RequiredString(r, "Subclass_namespace", x.has_subclass_namespace(), x.subclass_namespace());
        c.RequiredString(r, "Subclass_name", x.has_subclass_name(), x.subclass_name());
      }
    }
  }
  for (int i = 0; i < d.behaviour_definition_size(); ++i) {
    const std::string p = Join(path, "behaviour_definition", i);
    c.RequiredString(p, "type", d.behaviour_definition(i).has_type(), d.behaviour_definition(i).type());
  }
  if (d.has_velocity_type()) CheckVelocityType(c, Join(path, "velocity_type"), d.velocity_type());
  if (d.has_geometric_error()) {
    const std::string p = Join(path, "geometric_error");
    const auto& g = d.geometric_error();
    c.RequiredString(p, "type", g.has_type(), g.type());
    c.RequiredString(p, "units", g.has_units(), g.units());
    c.RequiredString(p, "variation_type", g.has_variation_type(), g.variation_type());
    for (int i = 0; i < g.performance_value_size(); ++i) {
      CheckPerformanceValue(c, Join(p, "performance_value", i), g.performance_value(i));
    }
  }
}

void CheckFilterParameter(Checker& c, const std::string& path, const Reg::FilterParameter& f) {
  c.RequiredString(path, "parameter", f.has_parameter(), f.parameter());
  if (f.operators_size() == 0) c.Add(Join(path, "operators"), "empty (at least one operator is mandatory)");
  for (int i = 0; i < f.operators_size(); ++i) {
    c.RequiredEnum(Join(path, "operators", i), "", true, f.operators(i), pb::Operator_IsValid);
  }
}

void CheckSubClassFilterDefinition(Checker& c, const std::string& path, const Reg::SubClassFilterDefinition& s) {
  for (int i = 0; i < s.filter_parameter_size(); ++i) {
    CheckFilterParameter(c, Join(path, "filter_parameter", i), s.filter_parameter(i));
  }
  c.RequiredPresent(path, "level", s.has_level());
  c.RequiredString(path, "type", s.has_type(), s.type());
  for (int i = 0; i < s.sub_class_definition_size(); ++i) {
    CheckSubClassFilterDefinition(c, Join(path, "sub_class_definition", i), s.sub_class_definition(i));
  }
}

void CheckTaskDefinition(Checker& c, const std::string& path, const Reg::TaskDefinition& t) {
  c.RequiredPresent(path, "concurrent_tasks", t.has_concurrent_tasks());
  if (t.has_concurrent_tasks() && t.concurrent_tasks() < 0) {
    c.Add(Join(path, "concurrent_tasks"), "must be >= 0, got " + std::to_string(t.concurrent_tasks()));
  }
  if (!t.has_region_definition()) {
    c.Add(Join(path, "region_definition"), std::string(kMissing));
  } else {
    const std::string p = Join(path, "region_definition");
    const auto& r = t.region_definition();
    if (r.region_type_size() == 0) c.Add(Join(p, "region_type"), "empty (at least one region type is mandatory)");
    for (int i = 0; i < r.region_type_size(); ++i) {
      c.RequiredEnum(Join(p, "region_type", i), "", true, r.region_type(i), Reg::RegionType_IsValid);
    }
    if (r.has_settle_time()) CheckDuration(c, Join(p, "settle_time"), r.settle_time());
    if (r.region_area_size() == 0) c.Add(Join(p, "region_area"), "empty (at least one region area is mandatory)");
    for (int i = 0; i < r.region_area_size(); ++i) CheckLocationType(c, Join(p, "region_area", i), r.region_area(i));
    for (int i = 0; i < r.class_filter_definition_size(); ++i) {
      const std::string q = Join(p, "class_filter_definition", i);
      const auto& f = r.class_filter_definition(i);
      for (int j = 0; j < f.filter_parameter_size(); ++j) {
        CheckFilterParameter(c, Join(q, "filter_parameter", j), f.filter_parameter(j));
      }
      for (int j = 0; j < f.sub_class_definition_size(); ++j) {
        CheckSubClassFilterDefinition(c, Join(q, "sub_class_definition", j), f.sub_class_definition(j));
      }
      c.RequiredString(q, "type", f.has_type(), f.type());
    }
    for (int i = 0; i < r.behaviour_filter_definition_size(); ++i) {
      const std::string q = Join(p, "behaviour_filter_definition", i);
      const auto& f = r.behaviour_filter_definition(i);
      for (int j = 0; j < f.filter_parameter_size(); ++j) {
        CheckFilterParameter(c, Join(q, "filter_parameter", j), f.filter_parameter(j));
      }
      c.RequiredString(q, "type", f.has_type(), f.type());
    }
  }
  for (int i = 0; i < t.command_size(); ++i) {
    const std::string p = Join(path, "command", i);
    const auto& k = t.command(i);
    c.RequiredString(p, "units", k.has_units(), k.units());
    if (k.has_completion_time()) {
      CheckDuration(c, Join(p, "completion_time"), k.completion_time());
    } else {
      c.Add(Join(p, "completion_time"), std::string(kMissing));
    }
    c.RequiredEnum(p, "type", k.has_type(), k.type(), Reg::CommandType_IsValid);
  }
}

void CheckConfigurationData(Checker& c, const std::string& path, const Reg::ConfigurationData& d) {
  c.RequiredString(path, "manufacturer", d.has_manufacturer(), d.manufacturer());
  c.RequiredString(path, "model", d.has_model(), d.model());
  for (int i = 0; i < d.sub_components_size(); ++i) {
    CheckConfigurationData(c, Join(path, "sub_components", i), d.sub_components(i));
  }
}

void CheckRegistration(Checker& c, const std::string& path, const Reg& r) {
  if (r.node_definition_size() == 0) c.Add(Join(path, "node_definition"), "empty (at least one is mandatory)");
  for (int i = 0; i < r.node_definition_size(); ++i) {
    c.RequiredEnum(Join(path, "node_definition", i), "node_type", r.node_definition(i).has_node_type(),
                   r.node_definition(i).node_type(), Reg::NodeType_IsValid);
  }
  if (!r.has_icd_version() || Blank(r.icd_version())) {
    c.Add(Join(path, "icd_version"), std::string(kMissing));
  } else if (r.icd_version() != kIcdVersion) {
    c.Add(Join(path, "icd_version"), "must be \"" + std::string(kIcdVersion) + "\", got " + Quoted(r.icd_version()));
  }
  if (r.capabilities_size() == 0) c.Add(Join(path, "capabilities"), "empty (at least one is mandatory)");
  for (int i = 0; i < r.capabilities_size(); ++i) {
    const std::string p = Join(path, "capabilities", i);
    c.RequiredString(p, "category", r.capabilities(i).has_category(), r.capabilities(i).category());
    c.RequiredString(p, "type", r.capabilities(i).has_type(), r.capabilities(i).type());
  }
  if (!r.has_status_definition()) {
    c.Add(Join(path, "status_definition"), std::string(kMissing));
  } else {
    const std::string p = Join(path, "status_definition");
    const auto& s = r.status_definition();
    if (s.has_status_interval()) {
      CheckDuration(c, Join(p, "status_interval"), s.status_interval());
    } else {
      c.Add(Join(p, "status_interval"), std::string(kMissing));
    }
    if (s.has_location_definition()) CheckLocationType(c, Join(p, "location_definition"), s.location_definition());
    if (s.has_coverage_definition()) CheckLocationType(c, Join(p, "coverage_definition"), s.coverage_definition());
    if (s.has_obscuration_definition()) {
      CheckLocationType(c, Join(p, "obscuration_definition"), s.obscuration_definition());
    }
    if (s.has_field_of_view_definition()) {
      CheckLocationType(c, Join(p, "field_of_view_definition"), s.field_of_view_definition());
    }
    for (int i = 0; i < s.status_report_size(); ++i) {
      const std::string q = Join(p, "status_report", i);
      c.RequiredEnum(q, "category", s.status_report(i).has_category(), s.status_report(i).category(),
                     Reg::StatusReportCategory_IsValid);
      c.RequiredString(q, "type", s.status_report(i).has_type(), s.status_report(i).type());
    }
  }
  if (r.mode_definition_size() == 0) c.Add(Join(path, "mode_definition"), "empty (at least one is mandatory)");
  for (int i = 0; i < r.mode_definition_size(); ++i) {
    const std::string p = Join(path, "mode_definition", i);
    const auto& m = r.mode_definition(i);
    c.RequiredString(p, "mode_name", m.has_mode_name(), m.mode_name());
    c.RequiredEnum(p, "mode_type", m.has_mode_type(), m.mode_type(), Reg::ModeType_IsValid);
    if (m.has_settle_time()) {
      CheckDuration(c, Join(p, "settle_time"), m.settle_time());
    } else {
      c.Add(Join(p, "settle_time"), std::string(kMissing));
    }
    if (m.has_maximum_latency()) CheckDuration(c, Join(p, "maximum_latency"), m.maximum_latency());
    if (m.has_duration()) CheckDuration(c, Join(p, "duration"), m.duration());
    c.OptionalEnum(p, "scan_type", m.has_scan_type(), m.scan_type(), Reg::ScanType_IsValid);
    c.OptionalEnum(p, "tracking_type", m.has_tracking_type(), m.tracking_type(), Reg::TrackingType_IsValid);
    for (int j = 0; j < m.mode_parameter_size(); ++j) {
      const std::string q = Join(p, "mode_parameter", j);
      c.RequiredString(q, "type", m.mode_parameter(j).has_type(), m.mode_parameter(j).type());
      c.RequiredString(q, "value", m.mode_parameter(j).has_value(), m.mode_parameter(j).value());
    }
    for (int j = 0; j < m.detection_definition_size(); ++j) {
      CheckDetectionDefinition(c, Join(p, "detection_definition", j), m.detection_definition(j));
    }
    if (m.has_task()) {
      CheckTaskDefinition(c, Join(p, "task"), m.task());
    } else {
      c.Add(Join(p, "task"), std::string(kMissing));
    }
  }
  for (int i = 0; i < r.dependent_nodes_size(); ++i) {
    c.Uuid(Join(path, "dependent_nodes", i), true, r.dependent_nodes(i), true);
  }
  for (int i = 0; i < r.reporting_region_size(); ++i) {
    CheckLocationOrRangeBearing(c, Join(path, "reporting_region", i), r.reporting_region(i));
  }
  if (r.config_data_size() == 0) c.Add(Join(path, "config_data"), "empty (at least one is mandatory)");
  for (int i = 0; i < r.config_data_size(); ++i) CheckConfigurationData(c, Join(path, "config_data", i), r.config_data(i));
}

// ---------------------------------------------------------------------------------------------
// The other messages

void CheckStatusReport(Checker& c, const std::string& path, const pb::StatusReport& s) {
  c.Ulid(path, "report_id", s.has_report_id(), s.report_id(), true);
  c.RequiredEnum(path, "system", s.has_system(), s.system(), pb::StatusReport::System_IsValid);
  c.RequiredEnum(path, "info", s.has_info(), s.info(), pb::StatusReport::Info_IsValid);
  c.Ulid(path, "active_task_id", s.has_active_task_id(), s.active_task_id(), false);
  c.RequiredString(path, "mode", s.has_mode(), s.mode());
  if (s.has_power() && s.power().has_level() && (s.power().level() < 0 || s.power().level() > 100)) {
    c.Add(Join(path, "power.level"), "must be in 0..100, got " + std::to_string(s.power().level()));
  }
  if (s.has_node_location()) CheckLocation(c, Join(path, "node_location"), s.node_location());
  if (s.has_field_of_view()) CheckLocationOrRangeBearing(c, Join(path, "field_of_view"), s.field_of_view());
  for (int i = 0; i < s.obscuration_size(); ++i) {
    CheckLocationOrRangeBearing(c, Join(path, "obscuration", i), s.obscuration(i));
  }
  for (int i = 0; i < s.status_size(); ++i) {
    const std::string p = Join(path, "status", i);
    c.RequiredEnum(p, "status_type", s.status(i).has_status_type(), s.status(i).status_type(),
                   pb::StatusReport::StatusType_IsValid);
    c.OptionalEnum(p, "status_level", s.status(i).has_status_level(), s.status(i).status_level(),
                   pb::StatusReport::StatusLevel_IsValid);
  }
  for (int i = 0; i < s.coverage_size(); ++i) CheckLocationOrRangeBearing(c, Join(path, "coverage", i), s.coverage(i));
}

void CheckDetectionSubClass(Checker& c, const std::string& path, const pb::DetectionReport::SubClass& s) {
  c.RequiredString(path, "type", s.has_type(), s.type());
  c.Fraction(path, "confidence", s.has_confidence(), s.confidence());
  c.RequiredPresent(path, "level", s.has_level());
  for (int i = 0; i < s.sub_class_size(); ++i) CheckDetectionSubClass(c, Join(path, "sub_class", i), s.sub_class(i));
}

void CheckDetectionReport(Checker& c, const std::string& path, const pb::DetectionReport& d) {
  c.Ulid(path, "report_id", d.has_report_id(), d.report_id(), true);
  c.Ulid(path, "object_id", d.has_object_id(), d.object_id(), true);
  c.Ulid(path, "task_id", d.has_task_id(), d.task_id(), false);
  switch (d.location_oneof_case()) {
    case pb::DetectionReport::kLocation:
      CheckLocation(c, Join(path, "location"), d.location());
      break;
    case pb::DetectionReport::kRangeBearing:
      CheckRangeBearing(c, Join(path, "range_bearing"), d.range_bearing());
      break;
    default:
      c.Add(Join(path, "location"), "missing location or range_bearing (one is mandatory)");
  }
  c.Fraction(path, "detection_confidence", d.has_detection_confidence(), d.detection_confidence());
  for (int i = 0; i < d.track_info_size(); ++i) {
    const std::string p = Join(path, "track_info", i);
    c.RequiredString(p, "type", d.track_info(i).has_type(), d.track_info(i).type());
    c.RequiredString(p, "value", d.track_info(i).has_value(), d.track_info(i).value());
  }
  if (d.has_prediction_location()) {
    const std::string p = Join(path, "prediction_location");
    const auto& l = d.prediction_location();
    switch (l.predicted_location_oneof_case()) {
      case pb::DetectionReport::PredictedLocation::kLocation:
        CheckLocation(c, Join(p, "location"), l.location());
        break;
      case pb::DetectionReport::PredictedLocation::kRangeBearing:
        CheckRangeBearing(c, Join(p, "range_bearing"), l.range_bearing());
        break;
      default:
        c.Add(Join(p, "location"), "missing location or range_bearing (one is mandatory)");
    }
    if (l.has_predicted_timestamp()) c.Timestamp(Join(p, "predicted_timestamp"), l.predicted_timestamp());
  }
  for (int i = 0; i < d.object_info_size(); ++i) {
    const std::string p = Join(path, "object_info", i);
    c.RequiredString(p, "type", d.object_info(i).has_type(), d.object_info(i).type());
    c.RequiredString(p, "value", d.object_info(i).has_value(), d.object_info(i).value());
  }
  for (int i = 0; i < d.classification_size(); ++i) {
    const std::string p = Join(path, "classification", i);
    const auto& k = d.classification(i);
    c.RequiredString(p, "type", k.has_type(), k.type());
    c.Fraction(p, "confidence", k.has_confidence(), k.confidence());
    for (int j = 0; j < k.sub_class_size(); ++j) CheckDetectionSubClass(c, Join(p, "sub_class", j), k.sub_class(j));
  }
  for (int i = 0; i < d.behaviour_size(); ++i) {
    const std::string p = Join(path, "behaviour", i);
    c.RequiredString(p, "type", d.behaviour(i).has_type(), d.behaviour(i).type());
    c.Fraction(p, "confidence", d.behaviour(i).has_confidence(), d.behaviour(i).confidence());
  }
  for (int i = 0; i < d.associated_file_size(); ++i) {
    CheckAssociatedFile(c, Join(path, "associated_file", i), d.associated_file(i));
  }
  for (int i = 0; i < d.signal_size(); ++i) {
    const std::string p = Join(path, "signal", i);
    c.RequiredFinite(p, "amplitude", d.signal(i).has_amplitude(), d.signal(i).amplitude());
    c.RequiredFinite(p, "centre_frequency", d.signal(i).has_centre_frequency(), d.signal(i).centre_frequency());
  }
  for (int i = 0; i < d.associated_detection_size(); ++i) {
    CheckAssociatedDetection(c, Join(path, "associated_detection", i), d.associated_detection(i));
  }
  for (int i = 0; i < d.derived_detection_size(); ++i) {
    const std::string p = Join(path, "derived_detection", i);
    const auto& x = d.derived_detection(i);
    if (x.has_timestamp()) {
      c.Timestamp(Join(p, "timestamp"), x.timestamp());
    } else {
      c.Add(Join(p, "timestamp"), std::string(kMissing));
    }
    c.Uuid(Join(p, "node_id"), x.has_node_id(), x.node_id(), true);
    c.Ulid(p, "object_id", x.has_object_id(), x.object_id(), true);
  }
  if (d.has_enu_velocity()) CheckEnuVelocity(c, Join(path, "enu_velocity"), d.enu_velocity());
}

void CheckTaskParameter(Checker& c, const std::string& parent, bool has, const pb::Task::Parameter& p) {
  const std::string path = Join(parent, "parameter");
  if (!has) {
    c.Add(path, std::string(kMissing));
    return;
  }
  c.RequiredString(path, "name", p.has_name(), p.name());
  c.RequiredEnum(path, "operator", p.has_operator_(), p.operator_(), pb::Operator_IsValid);
  c.RequiredFinite(path, "value", p.has_value(), p.value());
}

void CheckSubClassFilter(Checker& c, const std::string& path, const pb::Task::SubClassFilter& f) {
  CheckTaskParameter(c, path, f.has_parameter(), f.parameter());
  c.RequiredString(path, "type", f.has_type(), f.type());
  for (int i = 0; i < f.sub_class_filter_size(); ++i) {
    CheckSubClassFilter(c, Join(path, "sub_class_filter", i), f.sub_class_filter(i));
  }
}

void CheckTask(Checker& c, const std::string& path, const pb::Task& t) {
  c.Ulid(path, "task_id", t.has_task_id(), t.task_id(), true);
  if (t.has_task_start_time()) c.Timestamp(Join(path, "task_start_time"), t.task_start_time());
  if (t.has_task_end_time()) c.Timestamp(Join(path, "task_end_time"), t.task_end_time());
  c.RequiredEnum(path, "control", t.has_control(), t.control(), pb::Task::Control_IsValid);
  for (int i = 0; i < t.region_size(); ++i) {
    const std::string p = Join(path, "region", i);
    const auto& r = t.region(i);
    c.RequiredEnum(p, "type", r.has_type(), r.type(), pb::Task::RegionType_IsValid);
    c.Ulid(p, "region_id", r.has_region_id(), r.region_id(), true);
    c.RequiredString(p, "region_name", r.has_region_name(), r.region_name());
    if (r.has_region_area()) {
      CheckLocationOrRangeBearing(c, Join(p, "region_area"), r.region_area());
    } else {
      c.Add(Join(p, "region_area"), std::string(kMissing));
    }
    for (int j = 0; j < r.class_filter_size(); ++j) {
      const std::string q = Join(p, "class_filter", j);
      const auto& f = r.class_filter(j);
      CheckTaskParameter(c, q, f.has_parameter(), f.parameter());
      c.RequiredString(q, "type", f.has_type(), f.type());
      for (int k = 0; k < f.sub_class_filter_size(); ++k) {
        CheckSubClassFilter(c, Join(q, "sub_class_filter", k), f.sub_class_filter(k));
      }
    }
    for (int j = 0; j < r.behaviour_filter_size(); ++j) {
      const std::string q = Join(p, "behaviour_filter", j);
      CheckTaskParameter(c, q, r.behaviour_filter(j).has_parameter(), r.behaviour_filter(j).parameter());
    }
  }
  if (t.has_command()) {
    const std::string p = Join(path, "command");
    const auto& k = t.command();
    switch (k.command_case()) {
      case pb::Task::Command::kRequest:
        c.RequiredString(p, "request", true, k.request());
        break;
      case pb::Task::Command::kDetectionThreshold:
        c.RequiredEnum(p, "detection_threshold", true, k.detection_threshold(), pb::Task::DiscreteThreshold_IsValid);
        break;
      case pb::Task::Command::kDetectionReportRate:
        c.RequiredEnum(p, "detection_report_rate", true, k.detection_report_rate(),
                       pb::Task::DiscreteThreshold_IsValid);
        break;
      case pb::Task::Command::kClassificationThreshold:
        c.RequiredEnum(p, "classification_threshold", true, k.classification_threshold(),
                       pb::Task::DiscreteThreshold_IsValid);
        break;
      case pb::Task::Command::kModeChange:
        c.RequiredString(p, "mode_change", true, k.mode_change());
        break;
      case pb::Task::Command::kLookAt:
        CheckLocationOrRangeBearing(c, Join(p, "look_at"), k.look_at());
        break;
      case pb::Task::Command::kMoveTo:
        CheckLocationList(c, Join(p, "move_to"), k.move_to());
        break;
      case pb::Task::Command::kPatrol:
        CheckLocationList(c, Join(p, "patrol"), k.patrol());
        break;
      case pb::Task::Command::kFollow:
        c.Ulid(Join(p, "follow"), "follow_object_id", k.follow().has_follow_object_id(),
               k.follow().follow_object_id(), true);
        break;
      default:
        c.Add(p, "no command set (one of request, detection_threshold, ..., follow is mandatory)");
    }
  }
}

void CheckContent(Checker& c, const SapientMessage& m) {
  switch (m.content_case()) {
    case SapientMessage::kRegistration:
      CheckRegistration(c, "registration", m.registration());
      break;
    case SapientMessage::kRegistrationAck:
      c.RequiredPresent("registration_ack", "acceptance", m.registration_ack().has_acceptance());
      break;
    case SapientMessage::kStatusReport:
      CheckStatusReport(c, "status_report", m.status_report());
      break;
    case SapientMessage::kDetectionReport:
      CheckDetectionReport(c, "detection_report", m.detection_report());
      break;
    case SapientMessage::kTask:
      CheckTask(c, "task", m.task());
      break;
    case SapientMessage::kTaskAck: {
      const auto& a = m.task_ack();
      c.Ulid("task_ack", "task_id", a.has_task_id(), a.task_id(), true);
      c.RequiredEnum("task_ack", "task_status", a.has_task_status(), a.task_status(),
                     pb::TaskAck::TaskStatus_IsValid);
      if (a.has_associated_file()) CheckAssociatedFile(c, "task_ack.associated_file", a.associated_file());
      break;
    }
    case SapientMessage::kAlert: {
      const auto& a = m.alert();
      c.Ulid("alert", "alert_id", a.has_alert_id(), a.alert_id(), true);
      c.OptionalEnum("alert", "alert_type", a.has_alert_type(), a.alert_type(), pb::Alert::AlertType_IsValid);
      c.OptionalEnum("alert", "status", a.has_status(), a.status(), pb::Alert::AlertStatus_IsValid);
      if (a.has_location()) CheckLocation(c, "alert.location", a.location());
      if (a.has_range_bearing()) CheckRangeBearing(c, "alert.range_bearing", a.range_bearing());
      c.Ulid("alert", "region_id", a.has_region_id(), a.region_id(), false);
      c.Fraction("alert", "ranking", a.has_ranking(), a.ranking());
      c.Fraction("alert", "confidence", a.has_confidence(), a.confidence());
      for (int i = 0; i < a.associated_file_size(); ++i) {
        CheckAssociatedFile(c, Join("alert", "associated_file", i), a.associated_file(i));
      }
      for (int i = 0; i < a.associated_detection_size(); ++i) {
        CheckAssociatedDetection(c, Join("alert", "associated_detection", i), a.associated_detection(i));
      }
      break;
    }
    case SapientMessage::kAlertAck: {
      const auto& a = m.alert_ack();
      c.Ulid("alert_ack", "alert_id", a.has_alert_id(), a.alert_id(), true);
      c.RequiredEnum("alert_ack", "alert_ack_status", a.has_alert_ack_status(), a.alert_ack_status(),
                     pb::AlertAck::AlertAckStatus_IsValid);
      break;
    }
    case SapientMessage::kError: {
      const auto& e = m.error();
      if (!e.has_packet() || e.packet().empty()) c.Add("error.packet", std::string(kMissing));
      if (e.error_message_size() == 0) c.Add("error.error_message", "empty (at least one message is mandatory)");
      break;
    }
    default:
      c.Add("content", "missing (one of registration, registration_ack, status_report, detection_report, "
                       "task, task_ack, alert, alert_ack, error is mandatory)");
  }
}

}  // namespace

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

bool IsUlid(std::string_view text) {
  constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  if (text.size() != 26 || text[0] < '0' || text[0] > '7') return false;
  for (const char c : text) {
    if (kCrockford.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c)))) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::vector<Violation> Violations(const SapientMessage& m) {
  std::vector<Violation> out;
  Checker c(out);
  if (m.has_timestamp()) {
    c.Timestamp("timestamp", m.timestamp());
  } else {
    c.Add("timestamp", std::string(kMissing));
  }
  c.Uuid("node_id", m.has_node_id(), m.node_id(), true);
  c.Uuid("destination_id", m.has_destination_id(), m.destination_id(), false);
  CheckContent(c, m);
  return out;
}

Status Validate(const SapientMessage& m) {
  const std::vector<Violation> v = Violations(m);
  if (v.empty()) return OkStatus();
  std::string message = v.front().ToString();
  if (v.size() > 1) message += " (and " + std::to_string(v.size() - 1) + " more)";
  return InvalidArgumentError(std::move(message));
}

}  // namespace koepel::adapters::sapient
