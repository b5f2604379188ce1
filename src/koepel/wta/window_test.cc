#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

constexpr SimTime kNow = SimTime::FromNanoseconds(1000'000'000'000);  // T+1000 s

// A threat flying head-on at the effector along -x at 100 m/s, 100 m up, x = 10 km at kNow
// (its track state is 2 s old, so the window code must propagate it).
Track HeadOnTrack(double y = 0.0, double z = 100.0) {
  Track t;
  t.id = TrackId(7);
  t.state.time = kNow - Seconds(2);
  t.state.x << 10200.0, y, z, -100.0, 0.0, 0.0;
  t.identity.affiliation = Affiliation::kHostile;
  t.identity.object_class = ObjectClass::kOneWayAttackDrone;
  return t;
}

Threat DroneThreat(Duration time_to_go = Seconds(100)) {
  Threat th;
  th.track = TrackId(7);
  th.object_class = ObjectClass::kOneWayAttackDrone;
  th.affiliation = Affiliation::kHostile;
  th.time_to_go = time_to_go;
  th.value = 1.0;
  return th;
}

Effector Missile(double speed = 400.0) {
  Effector e;
  e.id = EffectorId(3);
  e.name = "sam-1";
  e.kind = EffectorKind::kShortRangeMissile;
  e.position = Vec3(0, 0, 100);
  e.min_range_m = 500;
  e.max_range_m = 20000;
  e.min_altitude_m = 0;
  e.max_altitude_m = 5000;
  e.pk.fill(0.0);
  e.pk[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)] = 0.7;
  e.magazine = 4;
  e.fire_channels = 1;
  e.interceptor_speed_mps = speed;
  return e;
}

EffectorStatus Ready(int rounds = 4) {
  EffectorStatus s;
  s.id = EffectorId(3);
  s.rounds_left = rounds;
  return s;
}

double Rel(SimTime t) { return (t - kNow).seconds(); }

TEST(FindWindowTest, HeadOnKnownAnswer) {
  // Launched now: 10000 - 100 T = 400 T -> T = 20 s at x = 8000.
  // Latest launch: intercept at min range 500 m (T = 95 s), flight 500 / 400 = 1.25 s -> 93.75 s.
  const auto w = FindWindow(Missile(), Ready(), HeadOnTrack(), DroneThreat(), kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->open), 0.0, 1e-6);
  EXPECT_NEAR(Rel(w->intercept_time), 20.0, 1e-3);
  EXPECT_NEAR(w->intercept_point.x(), 8000.0, 0.1);
  EXPECT_NEAR(w->intercept_point.z(), 100.0, 1e-9);
  EXPECT_NEAR(Rel(w->close), 93.75, 1e-3);
  EXPECT_DOUBLE_EQ(w->pk, 0.7);
  EXPECT_EQ(w->effector, EffectorId(3));
  EXPECT_EQ(w->track, TrackId(7));
}

TEST(FindWindowTest, MaxRangeDelaysTheWindow) {
  // Intercept only inside 5 km: x = 5000 at T = 50 s, flight 12.5 s -> open at 37.5 s.
  Effector e = Missile();
  e.max_range_m = 5000;
  const auto w = FindWindow(e, Ready(), HeadOnTrack(), DroneThreat(), kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->open), 37.5, 1e-3);
  EXPECT_NEAR(Rel(w->intercept_time), 50.0, 1e-3);
  EXPECT_NEAR(w->intercept_point.x(), 5000.0, 0.1);
}

TEST(FindWindowTest, TimeToGoBoundsTheWindow) {
  // Impact in 60 s: the last intercept is at T = 60 (x = 4000), launched 10 s earlier.
  const auto w = FindWindow(Missile(), Ready(), HeadOnTrack(), DroneThreat(Seconds(60)), kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->close), 50.0, 1e-3);
  EXPECT_FALSE(FindWindow(Missile(), Ready(), HeadOnTrack(), DroneThreat(Duration()), kNow, {}).has_value());
}

TEST(FindWindowTest, InstantaneousEffectorUsesDwellTime) {
  Effector laser = Missile(0.0);
  laser.kind = EffectorKind::kHighEnergyLaser;
  laser.max_range_m = 5000;
  laser.dwell_time = Seconds(3);
  // On target from x = 5000 (T = 50 s): start lasing at 47 s.
  const auto w = FindWindow(laser, Ready(), HeadOnTrack(), DroneThreat(), kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->open), 47.0, 1e-3);
  EXPECT_NEAR(Rel(w->intercept_time), 50.0, 1e-3);
}

TEST(FindWindowTest, OutOfRangeOrAltitudeHasNoWindow) {
  Effector e = Missile();
  e.max_range_m = 5000;
  // Passing 10 km abeam: never within 5 km.
  const WindowResult abeam = FindWindowExplained(e, Ready(), HeadOnTrack(10000.0), DroneThreat(), kNow, {});
  EXPECT_FALSE(abeam.window.has_value());
  EXPECT_NE(abeam.why_not.find("out of range"), std::string::npos) << abeam.why_not;
  // Flying at 4 km above a 3 km ceiling.
  e.max_altitude_m = 3000;
  const WindowResult high = FindWindowExplained(e, Ready(), HeadOnTrack(0.0, 4000.0), DroneThreat(), kNow, {});
  EXPECT_FALSE(high.window.has_value());
  EXPECT_NE(high.why_not.find("altitude"), std::string::npos) << high.why_not;
}

TEST(FindWindowTest, NoFireZoneBlocksKineticOnly) {
  // A no-fire zone over the whole approach path.
  NoFireZone zone{"town", {Vec2(-1000, -1000), Vec2(20000, -1000), Vec2(20000, 1000), Vec2(-1000, 1000)}};
  const std::vector<NoFireZone> zones = {zone};
  const WindowResult kinetic = FindWindowExplained(Missile(), Ready(), HeadOnTrack(), DroneThreat(), kNow, zones);
  EXPECT_FALSE(kinetic.window.has_value());
  EXPECT_NE(kinetic.why_not.find("no-fire zone"), std::string::npos) << kinetic.why_not;

  Effector jammer = Missile(0.0);
  jammer.kind = EffectorKind::kJammer;
  jammer.dwell_time = Seconds(5);
  EXPECT_TRUE(FindWindow(jammer, Ready(), HeadOnTrack(), DroneThreat(), kNow, zones).has_value());

  // A zone over only the far part (x > 4 km) moves the kinetic window: intercept at x = 4000 (T = 60),
  // launched 10 s before.
  NoFireZone far{"far", {Vec2(4000, -1000), Vec2(20000, -1000), Vec2(20000, 1000), Vec2(4000, 1000)}};
  const std::vector<NoFireZone> far_zones = {far};
  const auto w = FindWindow(Missile(), Ready(), HeadOnTrack(), DroneThreat(), kNow, far_zones);
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->open), 50.0, 1e-3);
}

TEST(FindWindowTest, MagazineChannelsAndPk) {
  EXPECT_FALSE(FindWindow(Missile(), Ready(0), HeadOnTrack(), DroneThreat(), kNow, {}).has_value());
  // Empty, but a reload lands in 20 s: the window opens then.
  Effector e = Missile();
  e.reload_time = Seconds(30);
  EffectorStatus reloading = Ready(0);
  reloading.reload_done = kNow + Seconds(20);
  const auto w = FindWindow(e, reloading, HeadOnTrack(), DroneThreat(), kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->open), 20.0, 1e-3);
  // All channels busy.
  EffectorStatus busy = Ready();
  busy.busy_channels = 1;
  EXPECT_FALSE(FindWindow(Missile(), busy, HeadOnTrack(), DroneThreat(), kNow, {}).has_value());
  // Pk 0 against the class.
  Threat bm = DroneThreat();
  bm.object_class = ObjectClass::kCruiseMissile;
  EXPECT_FALSE(FindWindow(Missile(), Ready(), HeadOnTrack(), bm, kNow, {}).has_value());
}

TEST(FindWindowTest, BallisticPathFallsUnderGravity) {
  // From 20 km up, level at 1000 m/s: above the 10 km floor only while 20000 - g t^2 / 2 >= 10000.
  Track t = HeadOnTrack();
  t.state.time = kNow;
  t.state.x << 20000.0, 0.0, 20000.0, -1000.0, 0.0, 0.0;
  Threat bm = DroneThreat(Seconds(60));
  bm.object_class = ObjectClass::kBallisticMissile;
  Effector e = Missile(0.0);
  e.kind = EffectorKind::kHighEnergyLaser;
  e.max_range_m = 1e6;
  e.min_range_m = 0;
  e.min_altitude_m = 10000;
  e.max_altitude_m = 30000;
  e.pk[static_cast<size_t>(ObjectClass::kBallisticMissile)] = 0.5;
  const auto w = FindWindow(e, Ready(), t, bm, kNow, {});
  ASSERT_TRUE(w.has_value());
  EXPECT_NEAR(Rel(w->close), std::sqrt(2.0 * 10000.0 / 9.80665), 1e-3);
}

}  // namespace
}  // namespace koepel::wta
