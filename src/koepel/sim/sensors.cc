#include "koepel/sim/sensors.h"

#include <algorithm>
#include <cmath>

namespace koepel::sim::internal {
namespace {

constexpr double kFalseAlarmProbability = 1e-6;

bool IsBearingOnly(SensorKind k) {
  return k == SensorKind::kEoir || k == SensorKind::kRf || k == SensorKind::kAcoustic;
}

double WrapAngle(double a) { return std::remainder(a, 2.0 * M_PI); }

ClassReport NoisyLabel(const ScenarioSensor& sensor, ObjectClass truth, Rng& rng) {
  if (rng.Bernoulli(sensor.class_accuracy)) return {truth, sensor.class_accuracy};
  // A wrong label: any other class, uniformly.
  int other = static_cast<int>(rng.UniformInt(1, kObjectClassCount - 2));
  if (other >= static_cast<int>(truth)) ++other;
  return {static_cast<ObjectClass>(other), sensor.class_accuracy};
}

Detection MakeDetection(const ScenarioSensor& sensor, SimTime t, IdSequence<DetectionId>& ids) {
  Detection d;
  d.id = ids.Next();
  d.sensor = sensor.id;
  d.sensor_kind = sensor.kind;
  d.time = t;
  d.sensor_position = sensor.position;
  return d;
}

void SetPolar(Detection& d, const ScenarioSensor& sensor, const Vec3& target, Rng& rng) {
  const Vec3 rae = RangeAzimuthElevation(sensor.position, target);
  const double sb2 = sensor.bearing_sigma_rad * sensor.bearing_sigma_rad;
  if (IsBearingOnly(sensor.kind)) {
    d.measurement.kind = MeasurementKind::kBearing;
    d.measurement.z = Vec3(WrapAngle(rae[1] + rng.Normal(0, sensor.bearing_sigma_rad)),
                           rae[2] + rng.Normal(0, sensor.bearing_sigma_rad), 0.0);
    d.measurement.noise = Vec3(sb2, sb2, 1.0).asDiagonal();
  } else {
    d.measurement.kind = MeasurementKind::kRangeBearing;
    d.measurement.z = Vec3(rae[0] + rng.Normal(0, sensor.range_sigma_m),
                           WrapAngle(rae[1] + rng.Normal(0, sensor.bearing_sigma_rad)),
                           rae[2] + rng.Normal(0, sensor.bearing_sigma_rad));
    d.measurement.noise = Vec3(sensor.range_sigma_m * sensor.range_sigma_m, sb2, sb2).asDiagonal();
  }
}

}  // namespace

double RadarHorizonM(double sensor_height_m, double target_height_m) {
  return 4120.0 * (std::sqrt(std::max(0.0, sensor_height_m)) + std::sqrt(std::max(0.0, target_height_m)));
}

double RadarDetectionProbability(const ScenarioSensor& radar, double rcs_m2, double range_m) {
  // Swerling 1: Pd = Pfa^(1 / (1 + SNR)). The reference SNR follows from the reference Pd.
  const double pd_ref = std::clamp(radar.detection_probability, 1e-6, 0.999999);
  const double snr_ref = std::log(kFalseAlarmProbability) / std::log(pd_ref) - 1.0;
  const double r = std::max(range_m, 1.0);
  const double snr = snr_ref * (rcs_m2 / radar.reference_rcs_m2) * std::pow(radar.max_range_m / r, 4.0);
  return std::pow(kFalseAlarmProbability, 1.0 / (1.0 + snr));
}

bool InCoverage(const ScenarioSensor& sensor, const WorldObject& o) {
  if (!o.airborne()) return false;
  const double range = (o.position - sensor.position).norm();
  if (range < sensor.min_range_m || range > sensor.max_range_m) return false;
  switch (sensor.kind) {
    case SensorKind::kAdsb:
      return o.broadcasts_adsb;
    case SensorKind::kRf:
      if (!o.emits_rf) return false;
      break;
    default:
      break;
  }
  return range <= RadarHorizonM(sensor.position.z(), o.position.z());
}

void Scan(const ScenarioSensor& sensor, const std::vector<WorldObject>& objects, SimTime t, Rng& rng,
          IdSequence<DetectionId>& ids, std::vector<Detection>& out) {
  for (const WorldObject& o : objects) {
    if (!InCoverage(sensor, o)) continue;
    const double range = (o.position - sensor.position).norm();
    const double pd = sensor.kind == SensorKind::kRadar ? RadarDetectionProbability(sensor, o.rcs_m2, range)
                                                        : sensor.detection_probability;
    if (!rng.Bernoulli(pd)) continue;
    Detection d = MakeDetection(sensor, t, ids);
    if (sensor.kind == SensorKind::kAdsb) {
      d.measurement.kind = MeasurementKind::kPosition;
      d.measurement.z = o.position + Vec3(rng.Normal(0, sensor.position_sigma_m), rng.Normal(0, sensor.position_sigma_m),
                                          rng.Normal(0, sensor.position_sigma_m));
      const double s2 = sensor.position_sigma_m * sensor.position_sigma_m;
      d.measurement.noise = Vec3(s2, s2, s2).asDiagonal();
      d.icao24 = o.icao24;
      d.callsign = o.callsign;
    } else {
      SetPolar(d, sensor, o.position, rng);
      if (sensor.reports_class) d.class_report = NoisyLabel(sensor, o.object_class, rng);
      if (sensor.kind == SensorKind::kRadar) {
        d.rcs_m2 = o.rcs_m2 * std::exp(rng.Normal(0.0, 0.5));  // RCS estimates scatter by a factor of ~1.6
        d.friendly_iff = o.friendly_iff;                        // a co-located IFF interrogator answers
      }
    }
    out.push_back(std::move(d));
  }
  // False alarms: uniform over the covered annulus, at low altitude where clutter lives.
  const int64_t n = rng.Poisson(sensor.false_alarms_per_scan);
  for (int64_t i = 0; i < n; ++i) {
    const double r2min = sensor.min_range_m * sensor.min_range_m;
    const double r = std::sqrt(rng.Uniform(r2min, sensor.max_range_m * sensor.max_range_m));
    const double az = rng.Uniform(-M_PI, M_PI);
    const double alt = rng.Uniform(0.0, 1500.0);
    const double el = std::asin(std::clamp((alt - sensor.position.z()) / r, -1.0, 1.0));
    Detection d = MakeDetection(sensor, t, ids);
    SetPolar(d, sensor, FromRangeAzimuthElevation(sensor.position, Vec3(r, az, el)), rng);
    if (sensor.kind == SensorKind::kAdsb) continue;  // ADS-B has no clutter: it decodes addressed messages
    if (sensor.kind == SensorKind::kRadar) d.rcs_m2 = 0.05 * std::exp(rng.Normal(0.0, 1.0));
    out.push_back(std::move(d));
  }
}

}  // namespace koepel::sim::internal
