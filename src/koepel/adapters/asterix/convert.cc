// Typed views of decoded records and their conversion to koepel's Detection.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "koepel/adapters/asterix/asterix.h"

namespace koepel::adapters::asterix {
namespace {

using Json = nlohmann::ordered_json;

constexpr double kMetresPerNm = 1852.0;
constexpr double kMetresPerFt = 0.3048;
constexpr double kEarthRadiusM = 6'371'000.0;  // mean radius; the elevation below is geometric
constexpr double kSecondsPerDay = 86400.0;

const Json* Find(const Json& items, std::initializer_list<const char*> path) {
  const Json* j = &items;
  for (const char* key : path) {
    if (!j->is_object()) return nullptr;
    auto it = j->find(key);
    if (it == j->end()) return nullptr;
    j = &*it;
  }
  return j;
}

std::optional<double> Number(const Json& items, std::initializer_list<const char*> path) {
  const Json* j = Find(items, path);
  if (j == nullptr || !j->is_number()) return std::nullopt;
  return j->get<double>();
}

std::optional<std::string> String(const Json& items, std::initializer_list<const char*> path) {
  const Json* j = Find(items, path);
  if (j == nullptr || !j->is_string()) return std::nullopt;
  return j->get<std::string>();
}

std::optional<uint32_t> HexAddress(const Json& items, std::initializer_list<const char*> path) {
  std::optional<std::string> s = String(items, path);
  if (!s || s->empty()) return std::nullopt;
  return static_cast<uint32_t>(std::stoul(*s, nullptr, 16));  // the decoder wrote only hex digits
}

std::optional<std::string> Callsign(const Json& items, std::initializer_list<const char*> path) {
  std::optional<std::string> s = String(items, path);
  if (!s) return std::nullopt;
  while (!s->empty() && s->back() == ' ') s->pop_back();
  if (s->empty()) return std::nullopt;
  return s;
}

Status RecordError(const Record& r, const std::string& what) {
  return InvalidArgumentError("byte " + std::to_string(r.offset) + ": CAT" + std::to_string(r.category) +
                              " record " + std::to_string(r.index_in_block) + ": " + what);
}

SimTime TimeOfDay(SimTime utc_midnight, double time_of_day_s) {
  return utc_midnight + SecondsF(std::fmod(time_of_day_s, kSecondsPerDay));
}

std::optional<int> ToInt(std::optional<double> v) {
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace

Result<Cat048Plot> ToCat048Plot(const Record& record) {
  if (record.category != 48 || record.unsupported) return RecordError(record, "not a CAT048 record");
  const Json& items = record.items;
  Cat048Plot p;
  const auto sac = Number(items, {"I010", "SAC"});
  const auto sic = Number(items, {"I010", "SIC"});
  if (!sac || !sic) return RecordError(record, "no I010 (SAC/SIC)");
  p.sac = static_cast<int>(*sac);
  p.sic = static_cast<int>(*sic);
  p.time_of_day_s = Number(items, {"I140", "ToD"});
  p.report_type = ToInt(Number(items, {"I020", "TYP"})).value_or(0);
  if (auto rho = Number(items, {"I040", "RHO"})) p.slant_range_m = *rho * kMetresPerNm;
  if (auto theta = Number(items, {"I040", "THETA"})) p.azimuth_rad = *theta * std::numbers::pi / 180.0;
  p.flight_level = Number(items, {"I090", "FL"});
  p.icao24 = HexAddress(items, {"I220", "ACAddr"});
  p.callsign = Callsign(items, {"I240", "TId"});
  p.track_number = ToInt(Number(items, {"I161", "Tn"}));
  if (auto code = String(items, {"I070", "Mode3A"})) p.mode3a = std::stoi(*code);
  return p;
}

Result<Cat062Track> ToCat062Track(const Record& record) {
  if (record.category != 62 || record.unsupported) return RecordError(record, "not a CAT062 record");
  const Json& items = record.items;
  Cat062Track t;
  const auto sac = Number(items, {"I010", "SAC"});
  const auto sic = Number(items, {"I010", "SIC"});
  if (!sac || !sic) return RecordError(record, "no I010 (SAC/SIC)");
  t.sac = static_cast<int>(*sac);
  t.sic = static_cast<int>(*sic);
  t.time_of_day_s = Number(items, {"I070", "ToT"});
  t.track_number = ToInt(Number(items, {"I040", "TrkN"}));
  t.lat_deg = Number(items, {"I105", "Lat"});
  t.lon_deg = Number(items, {"I105", "Lon"});
  t.x_m = Number(items, {"I100", "X"});
  t.y_m = Number(items, {"I100", "Y"});
  t.vx_mps = Number(items, {"I185", "Vx"});
  t.vy_mps = Number(items, {"I185", "Vy"});
  if (auto ft = Number(items, {"I130", "Alt"})) t.geometric_altitude_m = *ft * kMetresPerFt;
  if (auto ft = Number(items, {"I136", "MFL"})) t.flight_level = *ft / 100.0;
  t.icao24 = HexAddress(items, {"I380", "ADR", "ADR"});
  t.callsign = Callsign(items, {"I380", "ID", "ACID"});
  t.tentative = Number(items, {"I080", "CNF"}).value_or(0) != 0;
  t.coasting = Number(items, {"I080", "CST"}).value_or(0) != 0;
  t.last_message = Number(items, {"I080", "TSE"}).value_or(0) != 0;
  return t;
}

Result<Detection> PlotToDetection(const Cat048Plot& plot, const PlotConversion& config, const geo::LocalFrame& frame,
                                  SimTime utc_midnight, SensorId sensor, DetectionId id) {
  const std::string where = "CAT048 plot from SAC/SIC " + std::to_string(plot.sac) + "/" + std::to_string(plot.sic);
  const RadarSite* site = nullptr;
  for (const RadarSite& s : config.sites) {
    if (s.sac == plot.sac && s.sic == plot.sic) site = &s;
  }
  if (site == nullptr) return NotFoundError(where + ": no radar site configured for this SAC/SIC");
  if (!plot.slant_range_m || !plot.azimuth_rad) return InvalidArgumentError(where + ": no I040 polar position");
  if (!plot.time_of_day_s) return InvalidArgumentError(where + ": no I140 time of day");

  const double range = *plot.slant_range_m;
  double azimuth = *plot.azimuth_rad;
  if (azimuth > std::numbers::pi) azimuth -= 2 * std::numbers::pi;
  // Elevation from the flight level: pressure altitude taken as height above the radar's datum
  // (no QNH or temperature correction, ~+-100 m), on a sphere of the mean earth radius. In the
  // triangle earth centre - radar - target, (R+ht)^2 = (R+hr)^2 + r^2 + 2 r (R+hr) sin(el): the
  // geometric elevation above the radar's horizontal plane, which is what a flat ENU frame needs
  // (curvature alone puts a target at 200 NM 10 km below the horizontal plane).
  double elevation = 0.0;
  double elevation_sigma = config.no_altitude_elevation_sigma_rad;
  if (plot.flight_level && range > 1.0) {
    const double target_r = kEarthRadiusM + *plot.flight_level * 100.0 * kMetresPerFt;
    const double radar_r = kEarthRadiusM + site->position.alt_m;
    const double s = (target_r * target_r - radar_r * radar_r - range * range) / (2.0 * range * radar_r);
    elevation = std::asin(std::clamp(s, -1.0, 1.0));
    elevation_sigma = config.elevation_sigma_rad;
  }
  Detection d;
  d.id = id;
  d.sensor = sensor;
  d.sensor_kind = SensorKind::kRadar;
  d.time = TimeOfDay(utc_midnight, *plot.time_of_day_s);
  d.sensor_position = frame.ToEnu(site->position);
  d.measurement.kind = MeasurementKind::kRangeBearing;
  d.measurement.z = Vec3(range, azimuth, elevation);
  d.measurement.noise = Vec3(config.range_sigma_m * config.range_sigma_m,
                             config.azimuth_sigma_rad * config.azimuth_sigma_rad, elevation_sigma * elevation_sigma)
                            .asDiagonal();
  d.icao24 = plot.icao24;
  d.callsign = plot.callsign;
  return d;
}

Result<Detection> TrackToDetection(const Cat062Track& track, const TrackConversion& config,
                                   const geo::LocalFrame& frame, SimTime utc_midnight, SensorId sensor,
                                   DetectionId id) {
  const std::string where = "CAT062 track " + (track.track_number ? std::to_string(*track.track_number) : "?");
  if (!track.time_of_day_s) return InvalidArgumentError(where + ": no I070 time of track information");
  double altitude = 0.0;
  double vertical_sigma = config.no_altitude_sigma_m;
  if (track.geometric_altitude_m) {
    altitude = *track.geometric_altitude_m;
    vertical_sigma = config.vertical_sigma_m;
  } else if (track.flight_level) {
    altitude = *track.flight_level * 100.0 * kMetresPerFt;  // pressure altitude as height
    vertical_sigma = config.flight_level_sigma_m;
  }
  geo::LatLonAlt position;
  if (track.lat_deg && track.lon_deg) {
    if (std::abs(*track.lat_deg) > 90.0 || std::abs(*track.lon_deg) > 180.0) {
      return InvalidArgumentError(where + ": I105 position " + std::to_string(*track.lat_deg) + ", " +
                                  std::to_string(*track.lon_deg) + " is not on the earth");
    }
    position = {*track.lat_deg, *track.lon_deg, altitude};
  } else if (track.x_m && track.y_m && config.system_reference) {
    // The system plane is a stereographic projection around the reference: x, y are read as
    // azimuth and ground distance from it, true to 1 + (d / 2R)^2 (84 m at 240 km).
    const double azimuth_deg = std::atan2(*track.x_m, *track.y_m) * 180.0 / std::numbers::pi;
    position = geo::GeodesicDirect(*config.system_reference, azimuth_deg, std::hypot(*track.x_m, *track.y_m));
    position.alt_m = altitude;
  } else {
    return InvalidArgumentError(where + ": no I105, and no I100 with a system reference");
  }
  Detection d;
  d.id = id;
  d.sensor = sensor;
  d.sensor_kind = SensorKind::kRadar;
  d.time = TimeOfDay(utc_midnight, *track.time_of_day_s);
  d.measurement.kind = MeasurementKind::kPosition;
  d.measurement.z = frame.ToEnu(position);
  const double h2 = config.horizontal_sigma_m * config.horizontal_sigma_m;
  d.measurement.noise = Vec3(h2, h2, vertical_sigma * vertical_sigma).asDiagonal();
  d.icao24 = track.icao24;
  d.callsign = track.callsign;
  return d;
}

}  // namespace koepel::adapters::asterix
