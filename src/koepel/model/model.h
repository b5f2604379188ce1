// koepel/model/model.h
//
// The domain value types of the sensor-to-effector chain, named as an air-defence officer names
// them. All are regular values (copyable, comparable where useful, no owning pointers) that refer
// to each other by typed id. Positions and velocities inside are in the run's local ENU frame
// (metres, m/s; x east, y north, z up); geodetic coordinates live only at the edges.
//
//   Detection  one sensor's report of something at one time (position, polar or bearing only)
//   Track      the fused estimate of one object: TrackState (x = [p; v], P) plus its Identity
//   Threat     a hostile/suspect track with a predicted path, the asset at risk and a value
//   Asset      something defended (a port, an air base), with a value
//   Effector   one weapon system of a layer (jammer ... PATRIOT) with its envelope and magazine
//   Engagement a proposed or ordered shot of an effector at a track, with window, Pk, cost, reason
//   Warning    a civil-warning decision for a region (alert, update, all-clear)
#pragma once

#include <Eigen/Core>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/geo/geo.h"

namespace koepel {

using Vec2 = Eigen::Vector2d;
using Vec3 = Eigen::Vector3d;
using Vec6 = Eigen::Matrix<double, 6, 1>;
using Mat3 = Eigen::Matrix3d;
using Mat6 = Eigen::Matrix<double, 6, 6>;

// ---------------------------------------------------------------------------------------------
// Classes and identities

// What an object is (its kind), independent of whose it is.
enum class ObjectClass {
  kUnknown,
  kBird,
  kSmallDrone,         // quadcopters, FPV
  kOneWayAttackDrone,  // Shahed-type
  kDecoy,              // Gerbera-type
  kFixedWing,          // manned aircraft, airliners
  kHelicopter,
  kCruiseMissile,
  kBallisticMissile,
};
inline constexpr int kObjectClassCount = 9;
inline constexpr std::array<ObjectClass, kObjectClassCount> kAllObjectClasses = {
    ObjectClass::kUnknown,          ObjectClass::kBird,       ObjectClass::kSmallDrone,
    ObjectClass::kOneWayAttackDrone, ObjectClass::kDecoy,      ObjectClass::kFixedWing,
    ObjectClass::kHelicopter,       ObjectClass::kCruiseMissile, ObjectClass::kBallisticMissile};
std::string_view ObjectClassName(ObjectClass c);  // "one_way_attack_drone", the scenario spelling
std::optional<ObjectClass> ObjectClassFromName(std::string_view name);
// Drones of any kind (the cheap layers' business).
bool IsDrone(ObjectClass c);
bool IsMissile(ObjectClass c);

// Whose it is (STANAG 1241 / APP-6 standard identities, plus civil).
enum class Affiliation { kPending, kUnknown, kCivil, kFriend, kNeutral, kSuspect, kHostile };
std::string_view AffiliationName(Affiliation a);
// Civil, friend and neutral objects are never engaged.
bool IsProtected(Affiliation a);

struct Identity {
  Affiliation affiliation = Affiliation::kPending;
  ObjectClass object_class = ObjectClass::kUnknown;
  double class_confidence = 0.0;  // probability that object_class is right, in [0, 1]
  std::string reason;             // why: "correlated with ADS-B 484506", "speed 48 m/s, alt 90 m: OWA drone"
  bool operator_declared = false;  // an operator set the affiliation by hand (overrides rules)
  friend bool operator==(const Identity&, const Identity&) = default;
};

// ---------------------------------------------------------------------------------------------
// Sensors and detections

enum class SensorKind { kRadar, kEoir, kRf, kAcoustic, kAdsb };
std::string_view SensorKindName(SensorKind k);
std::optional<SensorKind> SensorKindFromName(std::string_view name);

// How a detection measures the object.
enum class MeasurementKind {
  kPosition,     // z = (x, y, z) in the local frame
  kRangeBearing, // z = (range, azimuth, elevation) from the sensor; azimuth clockwise from north
  kBearing,      // z = (azimuth, elevation) from the sensor; bearings-only
};

struct Measurement {
  MeasurementKind kind = MeasurementKind::kPosition;
  Vec3 z = Vec3::Zero();          // unused trailing components are zero
  Mat3 noise = Mat3::Identity();  // R, the measurement noise covariance (units of z)
  int dimension() const { return kind == MeasurementKind::kBearing ? 2 : 3; }
};

// A class report that came with a detection (micro-Doppler label, EO/IR classifier, SAPIENT).
struct ClassReport {
  ObjectClass object_class = ObjectClass::kUnknown;
  double confidence = 0.0;
};

struct Detection {
  DetectionId id;
  SensorId sensor;
  SensorKind sensor_kind = SensorKind::kRadar;
  SimTime time;
  Vec3 sensor_position = Vec3::Zero();  // local frame, for polar and bearing measurements
  Measurement measurement;
  std::optional<ClassReport> class_report;
  std::optional<double> rcs_m2;        // radar cross-section estimate
  std::optional<uint32_t> icao24;      // ADS-B / Mode S address, when the sensor reports one
  std::optional<std::string> callsign;
  bool friendly_iff = false;           // answered a friendly IFF interrogation
};

// Converts any measurement with range to a Cartesian position and its covariance (first-order).
// Bearing-only measurements have none: returns nullopt.
struct PositionEstimate {
  Vec3 position;
  Mat3 covariance;
};
std::optional<PositionEstimate> ToPosition(const Detection& d);

// Azimuth (clockwise from north, radians, in (-pi, pi]), elevation and range of `target` seen from `from`.
Vec3 RangeAzimuthElevation(const Vec3& from, const Vec3& target);
Vec3 FromRangeAzimuthElevation(const Vec3& from, const Vec3& rae);

// ---------------------------------------------------------------------------------------------
// Tracks

// A Gaussian state estimate at a time: x = [px, py, pz, vx, vy, vz] in the local frame.
struct TrackState {
  SimTime time;
  Vec6 x = Vec6::Zero();
  Mat6 P = Mat6::Identity();
  Vec3 position() const { return x.head<3>(); }
  Vec3 velocity() const { return x.tail<3>(); }
};

enum class TrackStatus { kTentative, kConfirmed, kCoasting, kDeleted };
std::string_view TrackStatusName(TrackStatus s);

struct Track {
  TrackId id;
  TrackStatus status = TrackStatus::kTentative;
  TrackState state;
  Identity identity;
  int hits = 0;                 // detection updates over the track's life
  int consecutive_misses = 0;
  SimTime first_seen;
  SimTime last_update;
  std::vector<SensorId> contributing_sensors;  // sorted, unique
  std::optional<uint32_t> icao24;
  std::optional<std::string> callsign;
  std::optional<ClassReport> last_class_report;
  std::optional<double> rcs_m2;
  bool friendly_iff = false;
};

// ---------------------------------------------------------------------------------------------
// Defended assets and threats

struct Asset {
  AssetId id;
  std::string name;
  std::string category;   // "port", "air_base", "energy", "city", ...
  double value = 1.0;     // relative value at risk (the scenario's unit, e.g. M EUR)
  Vec3 position = Vec3::Zero();    // local frame (centre)
  std::vector<Vec2> footprint;     // local-frame polygon; empty: a circle of radius_m
  double radius_m = 500.0;
};

struct Threat {
  TrackId track;
  ObjectClass object_class = ObjectClass::kUnknown;
  Affiliation affiliation = Affiliation::kUnknown;
  std::optional<AssetId> asset_at_risk;
  double p_hit = 0.0;            // probability the asset at risk is hit if not engaged
  double value = 0.0;            // expected damage: sum over assets of value x p_hit x lethality
  Vec3 predicted_impact = Vec3::Zero();  // local frame; where the threat is predicted to end
  Mat3 impact_covariance = Mat3::Zero();
  SimTime predicted_impact_time;
  Duration time_to_go;           // to impact (or closest approach to the asset at risk)
  double miss_distance_m = 0.0;  // predicted closest approach to the asset at risk
  int rank = 0;                  // 1 = most valuable
  std::string explanation;
};

// ---------------------------------------------------------------------------------------------
// Effectors and engagements

enum class EffectorKind {
  kJammer,            // electronic warfare, soft kill of radio-controlled / GNSS drones
  kLaserDazzler,      // blinds EO seekers
  kHighEnergyLaser,   // hard kill with a dwell time
  kGun,               // programmable air-burst ammunition
  kInterceptorDrone,
  kShortRangeMissile, // Stinger class
  kMediumRangeMissile,// NASAMS / IRIS-T SLM class
  kPatriot,           // PATRIOT PAC-3 / GEM-T class
};
inline constexpr int kEffectorKindCount = 8;
std::string_view EffectorKindName(EffectorKind k);
std::optional<EffectorKind> EffectorKindFromName(std::string_view name);
// Kinetic effectors destroy; soft ones (jammer, dazzler) disrupt.
bool IsKinetic(EffectorKind k);

struct Effector {
  EffectorId id;
  std::string name;
  EffectorKind kind = EffectorKind::kGun;
  Vec3 position = Vec3::Zero();
  double min_range_m = 0.0;
  double max_range_m = 0.0;
  double min_altitude_m = 0.0;
  double max_altitude_m = 0.0;
  std::array<double, kObjectClassCount> pk{};  // single-shot kill probability by ObjectClass
  double cost_per_shot_eur = 0.0;
  int magazine = 0;          // rounds at the start
  int fire_channels = 1;     // simultaneous engagements
  Duration reload_time;      // after the magazine is empty; zero: no reload
  int reload_rounds = 0;     // rounds a reload brings (0: a full magazine)
  double interceptor_speed_mps = 0.0;  // 0: effect at the speed of light (lasers, jammers)
  Duration dwell_time;       // lasers: time on target per kill; jammers: time to effect
  Duration shot_interval;    // minimum time between shots on one channel

  double PkAgainst(ObjectClass c) const { return pk[static_cast<size_t>(c)]; }
};

// What an effector has left now.
struct EffectorStatus {
  EffectorId id;
  int rounds_left = 0;
  int busy_channels = 0;
  SimTime reload_done;  // rounds come back at this time when reloading
};

enum class EngagementState { kProposed, kApproved, kDenied, kExpired, kInFlight, kKill, kMiss, kAborted };
std::string_view EngagementStateName(EngagementState s);

// Who released an engagement.
enum class Release { kNone, kOperator, kRule };

struct Engagement {
  EngagementId id;
  EffectorId effector;
  EffectorKind effector_kind = EffectorKind::kGun;
  TrackId track;
  EngagementState state = EngagementState::kProposed;
  SimTime proposed_at;
  SimTime window_open;      // earliest launch time with an intercept inside the envelope
  SimTime window_close;     // latest launch time that still intercepts before the asset is reached
  SimTime launch_time;
  SimTime intercept_time;
  Vec3 intercept_point = Vec3::Zero();
  double pk = 0.0;
  double cost_eur = 0.0;
  double value_saved = 0.0;  // expected threat value removed by this shot
  Release released_by = Release::kNone;
  std::string release_rule;  // the ROE rule's name when released by rule
  std::string reason;        // the explanation shown to the operator
};

// ---------------------------------------------------------------------------------------------
// Civil warning

enum class WarningKind { kAlert, kUpdate, kAllClear };
std::string_view WarningKindName(WarningKind k);

struct Warning {
  WarningId id;
  WarningKind kind = WarningKind::kAlert;
  std::string region_code;  // "VR17" (safety region) or "GM0599" (municipality) or a scenario area
  std::string region_name;
  std::vector<TrackId> threats;
  SimTime issued_at;
  SimTime predicted_impact_time;
  std::string reason;
};

// ---------------------------------------------------------------------------------------------
// Doctrine, rules of engagement and the operator

// How the assignment prices a shot: naive (closest capable shooter with the best Pk, cost
// ignored), cost-aware (price = cost per shot), stockpile-aware (cost plus the shadow price of
// a scarce round given remaining stock, expected demand and resupply).
enum class Doctrine { kNaive, kCostAware, kStockpileAware };
std::string_view DoctrineName(Doctrine d);
std::optional<Doctrine> DoctrineFromName(std::string_view name);

// An operator-enabled rule that releases proposals without a human decision.
struct AutoReleaseRule {
  std::string name;
  std::vector<EffectorKind> effector_kinds;
  std::vector<ObjectClass> target_classes;
  bool requires_hostile = true;  // only against tracks identified hostile
};

struct NoFireZone {
  std::string name;
  std::vector<Vec2> polygon;  // local frame; no kinetic intercept point inside
};

struct RulesOfEngagement {
  std::vector<ObjectClass> hostile_classes;  // classes declared hostile when not civil/friend
  std::vector<AutoReleaseRule> auto_release;
  std::vector<NoFireZone> no_fire_zones;
};

// An operator's answer to a proposal.
struct OperatorDecision {
  EngagementId engagement;
  bool approve = false;
  std::string operator_name;
  std::string reason;
};

// A named area on the ground: a safety region, a municipality, a scenario-defined zone.
struct NamedRegion {
  std::string code;  // "VR17", "GM0599"
  std::string name;  // "Rotterdam-Rijnmond"
  geo::GeoRegion area;
};

}  // namespace koepel
