// Per-aircraft state: callsign, CPR pairing and local decoding, velocity; conversion to Detection.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "koepel/adapters/adsb/adsb.h"

namespace koepel::adapters::adsb {
namespace {

constexpr double kFeetToMetres = 0.3048;

}  // namespace

AircraftTable::AircraftTable(AircraftTableConfig config) : config_(std::move(config)) {}

bool AircraftTable::Update(const ModeSMessage& message, SimTime time) {
  if (message.df != 17 && message.df != 18) return false;
  AircraftState& a = aircraft_[message.icao];
  a.icao = message.icao;
  a.last_seen = time;
  ++a.messages;
  if (const auto* id = std::get_if<Identification>(&message.content)) {
    if (!id->callsign.empty()) a.callsign = id->callsign;
    return false;
  }
  if (const auto* v = std::get_if<AirborneVelocity>(&message.content)) {
    a.velocity = *v;
    a.velocity_time = time;
    return false;
  }
  const auto* p = std::get_if<AirbornePosition>(&message.content);
  if (p == nullptr) return false;
  if (p->altitude_ft) a.altitude_ft = p->altitude_ft;
  if (p->cpr.odd) {
    a.odd = p->cpr;
    a.odd_time = time;
  } else {
    a.even = p->cpr;
    a.even_time = time;
  }
  std::optional<LatLon> fix;
  Duration gap = a.even_time - a.odd_time;
  if (gap < Duration()) gap = -gap;
  if (a.even && a.odd && gap <= config_.cpr_pair_max_age) {
    fix = CprGlobalAirborne(*a.even, *a.odd, p->cpr.odd);
  }
  if (!fix && a.position && time - a.position_time <= config_.local_reference_max_age) {
    fix = CprLocalAirborne(p->cpr, {a.position->lat_deg, a.position->lon_deg});
  }
  if (!fix && config_.receiver) {
    // Only right within ~180 NM of the receiver; a single frame cannot tell, so the configuration must.
    fix = CprLocalAirborne(p->cpr, {config_.receiver->lat_deg, config_.receiver->lon_deg});
  }
  if (!fix) return false;
  const double alt_m = a.altitude_ft ? *a.altitude_ft * kFeetToMetres : 0.0;
  a.position = geo::LatLonAlt{fix->lat_deg, fix->lon_deg, alt_m};
  a.position_time = time;
  a.containment_radius_m = p->containment_radius_m;
  return true;
}

bool AircraftTable::Update(const SbsMessage& message, SimTime time) {
  AircraftState& a = aircraft_[message.icao];
  a.icao = message.icao;
  a.last_seen = time;
  ++a.messages;
  if (message.callsign) a.callsign = message.callsign;
  if (message.altitude_ft) a.altitude_ft = message.altitude_ft;
  if (message.ground_speed_kt && message.track_deg) {
    AirborneVelocity v;
    v.subtype = 1;
    v.ground_speed_kt = message.ground_speed_kt;
    v.track_deg = message.track_deg;
    const double t = *message.track_deg * std::numbers::pi / 180.0;
    v.velocity_east_kt = *message.ground_speed_kt * std::sin(t);
    v.velocity_north_kt = *message.ground_speed_kt * std::cos(t);
    v.vertical_rate_fpm = message.vertical_rate_fpm;
    a.velocity = v;
    a.velocity_time = time;
  }
  if (!message.lat_deg || !message.lon_deg) return false;
  const double alt_m = a.altitude_ft ? *a.altitude_ft * kFeetToMetres : 0.0;
  a.position = geo::LatLonAlt{*message.lat_deg, *message.lon_deg, alt_m};
  a.position_time = time;
  a.containment_radius_m.reset();
  return true;
}

const AircraftState* AircraftTable::Find(uint32_t icao) const {
  const auto it = aircraft_.find(icao);
  return it == aircraft_.end() ? nullptr : &it->second;
}

void AircraftTable::Expire(SimTime before) {
  std::erase_if(aircraft_, [before](const auto& kv) { return kv.second.last_seen < before; });
}

std::optional<Detection> AircraftTable::ToDetection(uint32_t icao, const geo::LocalFrame& frame, SensorId sensor,
                                                    DetectionId id) const {
  const AircraftState* a = Find(icao);
  if (a == nullptr || !a->position) return std::nullopt;
  Detection d;
  d.id = id;
  d.sensor = sensor;
  d.sensor_kind = SensorKind::kAdsb;
  d.time = a->position_time;
  d.measurement.kind = MeasurementKind::kPosition;
  d.measurement.z = frame.ToEnu(*a->position);
  // The containment radius bounds ~95% of errors: sigma ~ radius / 2, never below the CPR resolution (~5 m).
  const double sigma_h =
      a->containment_radius_m ? std::max(*a->containment_radius_m / 2.0, 5.0) : config_.default_horizontal_sigma_m;
  d.measurement.noise = Mat3::Zero();
  d.measurement.noise(0, 0) = sigma_h * sigma_h;
  d.measurement.noise(1, 1) = sigma_h * sigma_h;
  d.measurement.noise(2, 2) = config_.vertical_sigma_m * config_.vertical_sigma_m;
  d.icao24 = icao;
  d.callsign = a->callsign;
  return d;
}

}  // namespace koepel::adapters::adsb
