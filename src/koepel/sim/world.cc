#include "koepel/sim/world.h"

#include <algorithm>
#include <cmath>

namespace koepel::sim::internal {

double RouteLength(const WorldObject& o) {
  double total = 0.0;
  for (size_t i = 1; i < o.route.size(); ++i) total += (o.route[i] - o.route[i - 1]).head<2>().norm();
  return total;
}

namespace {

void AdvanceBallistic(WorldObject& o, SimTime t) {
  const double s = (t - o.launch).seconds();
  const double flight = o.ballistic_flight_s;
  const double tau = std::min(s, flight);
  const Vec2 ground = (o.ballistic_aim - o.ballistic_start).head<2>();
  const Vec2 v_ground = ground / flight;
  o.position.head<2>() = o.ballistic_start.head<2>() + v_ground * tau;
  o.position.z() = std::max(0.0, o.ballistic_vz0 * tau - 0.5 * kGravity * tau * tau);
  o.velocity << v_ground.x(), v_ground.y(), o.ballistic_vz0 - kGravity * tau;
  if (s >= flight) {
    o.finished = true;
    o.finish_time = o.launch + SecondsF(flight);
  }
}

void AdvanceRoute(WorldObject& o, SimTime t) {
  const double total = RouteLength(o);
  const double flown = std::min(total, o.speed_mps * (t - o.launch).seconds());
  o.distance_flown_m = flown;
  // Locate the leg.
  double along = flown;
  size_t leg = 1;
  while (leg + 1 < o.route.size() && along > (o.route[leg] - o.route[leg - 1]).head<2>().norm()) {
    along -= (o.route[leg] - o.route[leg - 1]).head<2>().norm();
    ++leg;
  }
  const Vec2 a = o.route[leg - 1].head<2>();
  const Vec2 b = o.route[leg].head<2>();
  const double leg_length = (b - a).norm();
  const Vec2 dir = leg_length > 0 ? Vec2((b - a) / leg_length) : Vec2(1, 0);
  const Vec2 ground = a + dir * std::min(along, leg_length);
  const double remaining = total - flown;
  double z = o.cruise_altitude_m;
  double vz = 0.0;
  if (o.dive_distance_m > 0 && remaining < o.dive_distance_m) {
    z = o.cruise_altitude_m * remaining / o.dive_distance_m;
    vz = -o.cruise_altitude_m / o.dive_distance_m * o.speed_mps;
  }
  o.position << ground.x(), ground.y(), z;
  o.velocity << dir.x() * o.speed_mps, dir.y() * o.speed_mps, vz;
  if (flown >= total) {
    o.finished = true;
    o.finish_time = o.launch + SecondsF(total / o.speed_mps);
  }
}

}  // namespace

void Wander(WorldObject& o, Duration dt, Rng& rng) {
  if (o.killed) return;
  const double dt_s = dt.seconds();
  const Vec2 from_center = (o.position - o.wander_center).head<2>();
  if (from_center.norm() > o.wander_radius_m) {
    o.heading_rad = std::atan2(-from_center.y(), -from_center.x());  // head home
  } else {
    o.heading_rad += rng.Normal(0.0, 0.3 * std::sqrt(dt_s));
  }
  o.velocity << o.speed_mps * std::cos(o.heading_rad), o.speed_mps * std::sin(o.heading_rad), 0.0;
  o.position += o.velocity * dt_s;
}

void Advance(WorldObject& o, SimTime t) {
  if (o.killed || o.finished || o.wanders) return;
  if (t < o.launch) return;
  o.launched = true;
  if (o.object_class == ObjectClass::kBallisticMissile) {
    AdvanceBallistic(o, t);
  } else {
    AdvanceRoute(o, t);
  }
}

bool HitsAsset(const Asset& asset, const Vec3& p) {
  if (!asset.footprint.empty()) return geo::Contains(asset.footprint, Vec2(p.head<2>()));
  return (p - asset.position).head<2>().norm() <= asset.radius_m;
}

}  // namespace koepel::sim::internal
