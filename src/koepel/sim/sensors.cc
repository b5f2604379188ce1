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

// Koschmieder: visibility V is where a black object's contrast falls to 2 %, so the extinction
// coefficient is ln(50) / V = 3.912 / V. Thermal infrared sees through haze roughly twice as far as
// the eye; an EO/IR turret has both, so its extinction is taken as half the visible one (notional).
constexpr double kKoschmieder = 3.912;
constexpr double kEoirExtinctionShare = 0.5;

bool IsLineOfSight(SensorKind k) { return k == SensorKind::kRadar || k == SensorKind::kEoir || k == SensorKind::kRf; }

bool InNetworkCoverage(const ScenarioSensor& network, const WorldObject& o) {
  const double r2 = network.max_range_m * network.max_range_m;
  for (const Vec3& node : network.nodes) {
    if ((o.position - node).squaredNorm() <= r2) return true;
  }
  return false;
}

// An acoustic network: every node that hears the object votes; enough votes make a position fix
// (a TDOA solution over the nodes, modelled as the truth plus Gaussian noise).
void ScanNetwork(const ScenarioSensor& network, const std::vector<WorldObject>& objects, SimTime t, Rng& rng,
                 IdSequence<DetectionId>& ids, std::vector<Detection>& out) {
  const double r2 = network.max_range_m * network.max_range_m;
  const double sigma = network.position_sigma_m;
  for (const WorldObject& o : objects) {
    if (!o.airborne() || !Audible(o.object_class)) continue;
    int heard = 0;
    Vec3 sum = Vec3::Zero();
    for (const Vec3& node : network.nodes) {
      if ((o.position - node).squaredNorm() > r2 || !rng.Bernoulli(network.detection_probability)) continue;
      ++heard;
      sum += node;
    }
    if (heard < network.min_nodes) continue;
    Detection d = MakeDetection(network, t, ids);
    d.sensor_position = sum / heard;
    d.measurement.kind = MeasurementKind::kPosition;
    d.measurement.z = o.position + Vec3(rng.Normal(0, sigma), rng.Normal(0, sigma), rng.Normal(0, sigma));
    d.measurement.noise = Vec3(sigma * sigma, sigma * sigma, sigma * sigma).asDiagonal();
    if (network.reports_class) d.class_report = NoisyLabel(network, o.object_class, rng);
    out.push_back(std::move(d));
  }
  // False fixes: uniform over the nodes' bounding box, low, where engines and echoes confuse the nodes.
  const int64_t n = rng.Poisson(network.false_alarms_per_scan);
  if (n == 0) return;
  Vec2 lo = network.nodes.front().head<2>();
  Vec2 hi = lo;
  for (const Vec3& node : network.nodes) {
    lo = lo.cwiseMin(node.head<2>());
    hi = hi.cwiseMax(node.head<2>());
  }
  for (int64_t i = 0; i < n; ++i) {
    Detection d = MakeDetection(network, t, ids);
    d.measurement.kind = MeasurementKind::kPosition;
    d.measurement.z = Vec3(rng.Uniform(lo.x(), hi.x() + 1e-9), rng.Uniform(lo.y(), hi.y() + 1e-9), rng.Uniform(0.0, 300.0));
    d.measurement.noise = Vec3(sigma * sigma, sigma * sigma, sigma * sigma).asDiagonal();
    out.push_back(std::move(d));
  }
}

}  // namespace

bool Audible(ObjectClass c) {
  switch (c) {
    case ObjectClass::kSmallDrone:
    case ObjectClass::kOneWayAttackDrone:
    case ObjectClass::kDecoy:
    case ObjectClass::kFixedWing:
    case ObjectClass::kHelicopter:
    case ObjectClass::kCruiseMissile:
      return true;
    case ObjectClass::kUnknown:
    case ObjectClass::kBird:
    case ObjectClass::kBallisticMissile:
      return false;
  }
  return false;
}

double EoirDetectionProbability(const ScenarioSensor& eoir, double range_m) {
  const double clear = Weather::kClearVisibilityM;
  if (eoir.weather.visibility_m >= clear) return eoir.detection_probability;
  const double extra_extinction_per_m =
      kEoirExtinctionShare * kKoschmieder * (1.0 / eoir.weather.visibility_m - 1.0 / clear);
  return eoir.detection_probability * std::exp(-extra_extinction_per_m * std::max(0.0, range_m));
}

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
  if (!sensor.nodes.empty()) return Audible(o.object_class) && InNetworkCoverage(sensor, o);
  const Vec3 delta = o.position - sensor.position;
  const double range = delta.norm();
  if (range < sensor.min_range_m || range > sensor.max_range_m) return false;
  switch (sensor.kind) {
    case SensorKind::kAdsb:
      return o.broadcasts_adsb;
    case SensorKind::kRf:
      if (!o.emits_rf) return false;
      break;
    case SensorKind::kAcoustic:
      if (!Audible(o.object_class)) return false;
      break;
    default:
      break;
  }
  if (sensor.mask_angle_rad && IsLineOfSight(sensor.kind) &&
      std::atan2(delta.z(), delta.head<2>().norm()) < *sensor.mask_angle_rad) {
    return false;
  }
  return range <= RadarHorizonM(sensor.position.z(), o.position.z());
}

void Scan(const ScenarioSensor& sensor, const std::vector<WorldObject>& objects, SimTime t, Rng& rng,
          IdSequence<DetectionId>& ids, std::vector<Detection>& out) {
  if (!sensor.nodes.empty()) {
    ScanNetwork(sensor, objects, t, rng, ids, out);
    return;
  }
  const Weather& weather = sensor.weather;
  for (const WorldObject& o : objects) {
    if (!InCoverage(sensor, o)) continue;
    const double range = (o.position - sensor.position).norm();
    double pd = sensor.detection_probability;
    if (sensor.kind == SensorKind::kRadar) pd = RadarDetectionProbability(sensor, o.rcs_m2, range);
    if (sensor.kind == SensorKind::kEoir) {
      // Above a cloud base a ground sensor sees the target only through the gaps.
      if (weather.cloud_cover > 0.0 && o.position.z() > weather.cloud_base_m && rng.Bernoulli(weather.cloud_cover)) {
        continue;
      }
      pd = EoirDetectionProbability(sensor, range);
    }
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
