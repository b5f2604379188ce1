// IWYU pragma: private, include "koepel/sim/sim.h"
// The simulated world's objects and sensors (internal to sim).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "koepel/sim/scenario.h"

namespace koepel::sim::internal {

inline constexpr double kGravity = 9.80665;

// One object in the world: a raid member, a civil or friendly aircraft.
struct WorldObject {
  ObjectId id;
  std::string name;
  ObjectClass object_class = ObjectClass::kUnknown;
  bool is_threat = false;
  bool is_protected = false;      // civil or friend
  int raid = -1;                  // index into Scenario::raids
  double unit_cost_eur = 0.0;
  double lethality = 0.0;
  double rcs_m2 = 1.0;
  bool radio_controlled = false;
  bool emits_rf = false;
  bool broadcasts_adsb = false;
  bool friendly_iff = false;
  std::optional<uint32_t> icao24;
  std::string callsign;

  // Route: a polyline flown at cruise altitude, with an optional dive onto the last point.
  SimTime launch;
  std::vector<Vec3> route;        // route[0] = start; z ignored (cruise altitude)
  double speed_mps = 0.0;
  double cruise_altitude_m = 0.0;
  double dive_distance_m = 0.0;
  bool ends_in_impact = true;     // threats impact; aircraft land/leave
  // Ballistic flight (object_class kBallisticMissile): analytic parabola.
  Vec3 ballistic_start = Vec3::Zero();
  Vec3 ballistic_aim = Vec3::Zero();
  double ballistic_flight_s = 0.0;
  double ballistic_vz0 = 0.0;
  // Quasi-ballistic terminal manoeuvre: in the last jink_s the missile swings up to |jink_m| to the
  // side of its ballistic path (left for > 0) and back, so it still lands on its aim.
  double jink_m = 0.0;
  double jink_s = 0.0;
  double loiter_s = 0.0;          // hovers at the end of its route this long before it ends
  // Stand-off release: the route ends at the release point; the weapon hits here when it ends.
  std::optional<Vec3> weapon_aim;

  // Wandering (birds): a random walk of the heading that keeps within a circle.
  bool wanders = false;
  Vec3 wander_center = Vec3::Zero();
  double wander_radius_m = 0.0;
  double heading_rad = 0.0;

  // State.
  double distance_flown_m = 0.0;
  Vec3 position = Vec3::Zero();
  Vec3 velocity = Vec3::Zero();
  bool launched = false;
  bool killed = false;
  bool finished = false;          // impacted or left
  std::optional<SimTime> finish_time;

  bool airborne() const { return launched && !killed && !finished; }
};

// Moves the object to time `t`; sets finish_time (exact) when it reaches its end in (previous, t].
void Advance(WorldObject& object, SimTime t);
// Moves a wandering object by `dt`, turning at random and back towards its circle's centre.
void Wander(WorldObject& object, Duration dt, Rng& rng);
// Total route length (horizontal).
double RouteLength(const WorldObject& object);
// Where the object's end counts for damage and warnings: its weapon's aim or where it is.
inline Vec3 ImpactPoint(const WorldObject& object) { return object.weapon_aim.value_or(object.position); }
// Cuts the route `standoff_m` short of its end, along the route (at least its start is kept).
void ShortenRoute(WorldObject& object, double standoff_m);
// Whether ground point `p` lies on the asset (its footprint polygon, else its radius).
bool HitsAsset(const Asset& asset, const Vec3& p);

}  // namespace koepel::sim::internal
