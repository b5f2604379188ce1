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
  const double jink_s = std::min(o.jink_s, flight);
  if (o.jink_m != 0.0 && jink_s > 0.0 && tau > flight - jink_s && ground.norm() > 0.0) {
    // Offset (1 - cos 2 pi u) / 2: smooth out and back, peak lateral acceleration 2 pi^2 |jink_m| / jink_s^2.
    const double u = (tau - (flight - jink_s)) / jink_s;
    const Vec2 side = Vec2(-ground.y(), ground.x()) / ground.norm();
    const double offset = o.jink_m * 0.5 * (1.0 - std::cos(2.0 * M_PI * u));
    const double rate = o.jink_m * M_PI / jink_s * std::sin(2.0 * M_PI * u);
    o.position.head<2>() += side * offset;
    o.velocity.head<2>() += side * rate;
  }
  if (s >= flight) {
    o.finished = true;
    o.finish_time = o.launch + SecondsF(flight);
  }
}

void AdvanceRoute(WorldObject& o, SimTime t) {
  const double total = RouteLength(o);
  const double elapsed_s = (t - o.launch).seconds();
  const double flown = std::min(total, o.speed_mps * elapsed_s);
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
    const double end_s = total / o.speed_mps + o.loiter_s;
    if (elapsed_s < end_s) {
      o.velocity.setZero();  // hovering over the end of its route
      return;
    }
    o.finished = true;
    o.finish_time = o.launch + SecondsF(end_s);
  }
}

}  // namespace

void ShortenRoute(WorldObject& o, double standoff_m) {
  double cut = standoff_m;
  while (cut > 0.0 && o.route.size() > 1) {
    const Vec3 from = o.route[o.route.size() - 2];
    Vec3& to = o.route.back();
    const double leg = (to - from).head<2>().norm();
    if (leg > cut) {
      to.head<2>() = from.head<2>() + (to - from).head<2>() * ((leg - cut) / leg);
      return;
    }
    cut -= leg;
    o.route.pop_back();
  }
  // All of it was inside the stand-off distance: release at the start.
  if (o.route.size() == 1) o.route.push_back(o.route.front());
}

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
