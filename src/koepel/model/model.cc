#include "koepel/model/model.h"

#include <algorithm>
#include <cmath>

namespace koepel {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> FromName(std::string_view name, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, kObjectClassCount> kObjectClassNames = {
    "unknown", "bird", "small_drone", "one_way_attack_drone", "decoy", "fixed_wing",
    "helicopter", "cruise_missile", "ballistic_missile"};
constexpr std::array<std::string_view, 5> kSensorKindNames = {"radar", "eoir", "rf", "acoustic", "adsb"};
constexpr std::array<std::string_view, kEffectorKindCount> kEffectorKindNames = {
    "jammer", "laser_dazzler", "high_energy_laser", "gun", "interceptor_drone",
    "short_range_missile", "medium_range_missile", "patriot"};

}  // namespace

std::string_view ObjectClassName(ObjectClass c) { return kObjectClassNames[static_cast<size_t>(c)]; }
std::optional<ObjectClass> ObjectClassFromName(std::string_view name) {
  return FromName<ObjectClass>(name, kObjectClassNames);
}

bool IsDrone(ObjectClass c) {
  return c == ObjectClass::kSmallDrone || c == ObjectClass::kOneWayAttackDrone || c == ObjectClass::kDecoy;
}
bool IsMissile(ObjectClass c) { return c == ObjectClass::kCruiseMissile || c == ObjectClass::kBallisticMissile; }

std::string_view AffiliationName(Affiliation a) {
  static constexpr std::array<std::string_view, 7> kNames = {"pending", "unknown", "civil", "friend",
                                                             "neutral", "suspect", "hostile"};
  return kNames[static_cast<size_t>(a)];
}

bool IsProtected(Affiliation a) {
  return a == Affiliation::kCivil || a == Affiliation::kFriend || a == Affiliation::kNeutral;
}

std::string_view SensorKindName(SensorKind k) { return kSensorKindNames[static_cast<size_t>(k)]; }
std::optional<SensorKind> SensorKindFromName(std::string_view name) {
  return FromName<SensorKind>(name, kSensorKindNames);
}

std::string_view TrackStatusName(TrackStatus s) {
  static constexpr std::array<std::string_view, 4> kNames = {"tentative", "confirmed", "coasting", "deleted"};
  return kNames[static_cast<size_t>(s)];
}

std::string_view EffectorKindName(EffectorKind k) { return kEffectorKindNames[static_cast<size_t>(k)]; }
std::optional<EffectorKind> EffectorKindFromName(std::string_view name) {
  return FromName<EffectorKind>(name, kEffectorKindNames);
}
bool IsKinetic(EffectorKind k) { return k != EffectorKind::kJammer && k != EffectorKind::kLaserDazzler; }

std::string_view EngagementStateName(EngagementState s) {
  static constexpr std::array<std::string_view, 8> kNames = {"proposed", "approved", "denied", "expired",
                                                             "in_flight", "kill", "miss", "aborted"};
  return kNames[static_cast<size_t>(s)];
}

std::string_view WarningKindName(WarningKind k) {
  static constexpr std::array<std::string_view, 3> kNames = {"alert", "update", "all_clear"};
  return kNames[static_cast<size_t>(k)];
}

Vec3 RangeAzimuthElevation(const Vec3& from, const Vec3& target) {
  const Vec3 d = target - from;
  const double ground = std::hypot(d.x(), d.y());
  return {d.norm(), std::atan2(d.x(), d.y()), std::atan2(d.z(), ground)};
}

Vec3 FromRangeAzimuthElevation(const Vec3& from, const Vec3& rae) {
  const double r = rae[0], az = rae[1], el = rae[2];
  return from + Vec3(r * std::cos(el) * std::sin(az), r * std::cos(el) * std::cos(az), r * std::sin(el));
}

std::optional<PositionEstimate> ToPosition(const Detection& d) {
  const Measurement& m = d.measurement;
  switch (m.kind) {
    case MeasurementKind::kPosition:
      return PositionEstimate{m.z, m.noise};
    case MeasurementKind::kRangeBearing: {
      const double r = m.z[0], az = m.z[1], el = m.z[2];
      const double ce = std::cos(el), se = std::sin(el), ca = std::cos(az), sa = std::sin(az);
      // Jacobian of (x, y, z) with respect to (r, az, el).
      Mat3 j;
      j << ce * sa, r * ce * ca, -r * se * sa,  //
          ce * ca, -r * ce * sa, -r * se * ca,  //
          se, 0.0, r * ce;
      return PositionEstimate{FromRangeAzimuthElevation(d.sensor_position, m.z), j * m.noise * j.transpose()};
    }
    case MeasurementKind::kBearing:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string_view DoctrineName(Doctrine d) {
  static constexpr std::array<std::string_view, 3> kNames = {"naive", "cost_aware", "stockpile_aware"};
  return kNames[static_cast<size_t>(d)];
}
std::optional<Doctrine> DoctrineFromName(std::string_view name) {
  static constexpr std::array<std::string_view, 3> kNames = {"naive", "cost_aware", "stockpile_aware"};
  return FromName<Doctrine>(name, kNames);
}

}  // namespace koepel
