#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "koepel/sim/sensors.h"
#include "koepel/sim/sim.h"
#include "koepel/sim/world.h"

namespace koepel::sim {
namespace {

using internal::WorldObject;

ScenarioSensor Radar() {
  ScenarioSensor r;
  r.kind = SensorKind::kRadar;
  r.position = Vec3(0, 0, 30);
  r.max_range_m = 40000;
  r.detection_probability = 0.9;
  r.reference_rcs_m2 = 0.1;
  return r;
}

TEST(SensorModelTest, SwerlingDetectionProbabilityFollowsRangeAndRcs) {
  const ScenarioSensor radar = Radar();
  EXPECT_NEAR(internal::RadarDetectionProbability(radar, 0.1, 40000), 0.9, 1e-9);  // the reference point
  EXPECT_GT(internal::RadarDetectionProbability(radar, 0.1, 20000), 0.99);         // 16x the SNR
  EXPECT_LT(internal::RadarDetectionProbability(radar, 0.01, 40000), 0.6);         // a tenth of the RCS
  EXPECT_GT(internal::RadarDetectionProbability(radar, 10.0, 40000),
            internal::RadarDetectionProbability(radar, 1.0, 40000));
}

TEST(SensorModelTest, RadarHorizonHidesLowTargetsFarAway) {
  // 4/3-earth horizon: 30 m mast and 50 m target: 4.12 km x (5.48 + 7.07) = 51.7 km.
  EXPECT_NEAR(internal::RadarHorizonM(30, 50), 4120 * (std::sqrt(30.0) + std::sqrt(50.0)), 1e-9);
  ScenarioSensor radar = Radar();
  radar.max_range_m = 100000;
  WorldObject low;
  low.launched = true;
  low.position = Vec3(60000, 0, 50);
  EXPECT_FALSE(internal::InCoverage(radar, low));
  low.position = Vec3(40000, 0, 50);
  EXPECT_TRUE(internal::InCoverage(radar, low));
  WorldObject high = low;
  high.position = Vec3(90000, 0, 3000);
  EXPECT_TRUE(internal::InCoverage(radar, high));
}

TEST(SensorModelTest, RfSeesOnlyEmittersAndAdsbOnlyBroadcasters) {
  ScenarioSensor rf = Radar();
  rf.kind = SensorKind::kRf;
  ScenarioSensor adsb = Radar();
  adsb.kind = SensorKind::kAdsb;
  WorldObject o;
  o.launched = true;
  o.position = Vec3(5000, 0, 500);
  EXPECT_FALSE(internal::InCoverage(rf, o));
  EXPECT_FALSE(internal::InCoverage(adsb, o));
  o.emits_rf = true;
  o.broadcasts_adsb = true;
  EXPECT_TRUE(internal::InCoverage(rf, o));
  EXPECT_TRUE(internal::InCoverage(adsb, o));
}

TEST(SensorModelTest, ScanNoiseAndFalseAlarmsHaveTheStatedStatistics) {
  ScenarioSensor radar = Radar();
  radar.range_sigma_m = 20;
  radar.false_alarms_per_scan = 3.0;
  WorldObject o;
  o.launched = true;
  o.rcs_m2 = 100.0;  // always detected
  o.position = Vec3(0, 10000, 100);
  Rng rng(3);
  IdSequence<DetectionId> ids;
  double sum = 0, sum2 = 0;
  int target_hits = 0, clutter = 0;
  const int scans = 2000;
  for (int i = 0; i < scans; ++i) {
    std::vector<Detection> out;
    internal::Scan(radar, {o}, SimTime::Epoch(), rng, ids, out);
    for (const Detection& d : out) {
      const Vec3 p = ToPosition(d)->position;
      if ((p - o.position).norm() < 200) {
        ++target_hits;
        const double err = d.measurement.z[0] - (o.position - radar.position).norm();
        sum += err;
        sum2 += err * err;
      } else {
        ++clutter;
      }
    }
  }
  EXPECT_EQ(target_hits, scans);
  EXPECT_NEAR(sum / scans, 0.0, 2.0);
  EXPECT_NEAR(std::sqrt(sum2 / scans), 20.0, 1.5);
  EXPECT_NEAR(static_cast<double>(clutter) / scans, 3.0, 0.2);
}

TEST(WorldTest, BallisticMissileReachesApogeeAndLandsOnItsAim) {
  WorldObject m;
  m.object_class = ObjectClass::kBallisticMissile;
  m.ballistic_start = Vec3(300000, 0, 0);
  m.ballistic_aim = Vec3(0, 0, 0);
  m.ballistic_vz0 = std::sqrt(2 * internal::kGravity * 50000.0);
  m.ballistic_flight_s = 2 * m.ballistic_vz0 / internal::kGravity;
  internal::Advance(m, SimTime::Epoch() + SecondsF(m.ballistic_flight_s / 2));
  EXPECT_NEAR(m.position.z(), 50000.0, 1.0);
  EXPECT_NEAR(m.position.x(), 150000.0, 1.0);
  EXPECT_FALSE(m.finished);
  internal::Advance(m, SimTime::Epoch() + Seconds(400));
  EXPECT_TRUE(m.finished);
  EXPECT_NEAR(m.position.x(), 0.0, 1e-6);
  EXPECT_NEAR(m.finish_time->seconds(), m.ballistic_flight_s, 1e-6);
}

TEST(WorldTest, RouteWithTerminalDive) {
  WorldObject d;
  d.object_class = ObjectClass::kOneWayAttackDrone;
  d.route = {Vec3(-10000, 0, 0), Vec3(-5000, 0, 0), Vec3(-5000, 5000, 0)};
  d.speed_mps = 50;
  d.cruise_altitude_m = 200;
  d.dive_distance_m = 1000;
  internal::Advance(d, SimTime::Epoch() + Seconds(100));  // 5 km: the corner
  EXPECT_NEAR(d.position.x(), -5000, 1e-9);
  EXPECT_NEAR(d.position.z(), 200, 1e-9);
  internal::Advance(d, SimTime::Epoch() + Seconds(190));  // 500 m before the end, halfway down the dive
  EXPECT_NEAR(d.position.y(), 4500, 1e-9);
  EXPECT_NEAR(d.position.z(), 100, 1e-9);
  internal::Advance(d, SimTime::Epoch() + Seconds(250));
  EXPECT_TRUE(d.finished);
  EXPECT_NEAR(d.finish_time->seconds(), 200.0, 1e-9);
}

TEST(WorldTest, QuasiBallisticJinksAndStillLandsOnItsAim) {
  WorldObject m;
  m.object_class = ObjectClass::kBallisticMissile;
  m.ballistic_start = Vec3(300000, 0, 0);
  m.ballistic_aim = Vec3(0, 0, 0);
  m.ballistic_vz0 = std::sqrt(2 * internal::kGravity * 50000.0);
  m.ballistic_flight_s = 2 * m.ballistic_vz0 / internal::kGravity;
  m.jink_m = 1500.0;
  m.jink_s = 25.0;
  const double flight = m.ballistic_flight_s;
  const auto at = [&](double s) {
    WorldObject copy = m;
    internal::Advance(copy, SimTime::Epoch() + SecondsF(s));
    return copy;
  };
  // Before the last 25 s it flies the plain parabola (ground track along -x: y = 0).
  EXPECT_NEAR(at(flight - 30.0).position.y(), 0.0, 1e-9);
  // Halfway through the jink it is 1.5 km to the left of its path (left of -x is -y).
  const WorldObject mid = at(flight - 12.5);
  EXPECT_NEAR(mid.position.y(), -1500.0, 1e-6);
  // The reported velocity is the derivative of the position (central difference).
  const WorldObject quarter = at(flight - 18.75);
  const double dy = (at(flight - 18.75 + 1e-3).position.y() - at(flight - 18.75 - 1e-3).position.y()) / 2e-3;
  EXPECT_NEAR(quarter.velocity.y(), dy, 1e-3);
  EXPECT_NEAR(std::abs(quarter.velocity.y()), 1500.0 * M_PI / 25.0, 1e-6);
  // Peak lateral acceleration 2 pi^2 A / T^2 (~47 m/s^2, ~5 g), from the velocities 1 ms apart.
  const double accel = (at(flight - 25.0 + 1e-3).velocity.y() - at(flight - 25.0).velocity.y()) / 1e-3;
  EXPECT_NEAR(std::abs(accel), 2.0 * M_PI * M_PI * 1500.0 / 625.0, 0.1);
  // And it still lands on its aim.
  const WorldObject end = at(flight + 1.0);
  EXPECT_TRUE(end.finished);
  EXPECT_NEAR(end.position.y(), 0.0, 1e-6);
  EXPECT_NEAR(end.position.x(), 0.0, 1e-6);
}

TEST(WorldTest, QuadcopterHoversOverItsAimThenEnds) {
  WorldObject q;
  q.object_class = ObjectClass::kSmallDrone;
  q.route = {Vec3(-1700, 0, 0), Vec3(0, 0, 0)};
  q.speed_mps = 17;
  q.cruise_altitude_m = 150;
  q.loiter_s = 600;
  internal::Advance(q, SimTime::Epoch() + Seconds(50));
  EXPECT_NEAR(q.position.x(), -850, 1e-9);
  internal::Advance(q, SimTime::Epoch() + Seconds(400));  // arrived at 100 s, hovering
  EXPECT_FALSE(q.finished);
  EXPECT_NEAR(q.position.x(), 0, 1e-9);
  EXPECT_NEAR(q.position.z(), 150, 1e-9);
  EXPECT_EQ(q.velocity.norm(), 0.0);
  internal::Advance(q, SimTime::Epoch() + Seconds(800));
  EXPECT_TRUE(q.finished);
  EXPECT_NEAR(q.finish_time->seconds(), 700.0, 1e-9);
}

TEST(WorldTest, StandoffCutsTheRouteAlongItsLegs) {
  WorldObject a;
  a.route = {Vec3(-50000, 0, 0), Vec3(-10000, 0, 0), Vec3(-10000, 30000, 0)};
  internal::ShortenRoute(a, 40000);  // 30 km off the last leg, 10 km off the one before
  ASSERT_EQ(a.route.size(), 2u);
  EXPECT_NEAR(a.route.back().x(), -20000, 1e-9);
  EXPECT_NEAR(a.route.back().y(), 0, 1e-9);
  WorldObject b;
  b.route = {Vec3(0, 0, 0), Vec3(1000, 0, 0)};
  internal::ShortenRoute(b, 5000);  // released at the start
  ASSERT_EQ(b.route.size(), 2u);
  EXPECT_EQ(b.route[0], b.route[1]);
  EXPECT_EQ(internal::ImpactPoint(b), b.position);
  b.weapon_aim = Vec3(1000, 0, 0);
  EXPECT_EQ(internal::ImpactPoint(b), Vec3(1000, 0, 0));
}

ScenarioSensor Eoir() {
  ScenarioSensor e = Radar();
  e.kind = SensorKind::kEoir;
  e.max_range_m = 10000;
  e.detection_probability = 0.8;
  return e;
}

TEST(SensorModelTest, HazeAndFogShortenEoirRange) {
  ScenarioSensor eo = Eoir();
  EXPECT_DOUBLE_EQ(internal::EoirDetectionProbability(eo, 8000), 0.8);  // clear air: the sensor's figure
  // Koschmieder: extinction 3.912 / V; EO/IR takes half of the excess over clear air (23 km).
  // The range where Pd halves: ln 2 / (0.5 * 3.912 * (1/V - 1/23000)).
  const auto half_range = [](double v) { return std::log(2.0) / (0.5 * 3.912 * (1.0 / v - 1.0 / 23000.0)); };
  double previous = 1e9;
  for (double v : {10000.0, 5000.0, 2000.0, 500.0}) {
    SCOPED_TRACE(v);
    eo.weather.visibility_m = v;
    const double r = half_range(v);
    EXPECT_NEAR(internal::EoirDetectionProbability(eo, r), 0.4, 1e-9);
    EXPECT_LT(r, previous);
    previous = r;
  }
  EXPECT_LT(previous, 200.0);  // in fog (500 m) a drone is seen only close in
  eo.weather.visibility_m = 5000;
  EXPECT_NEAR(half_range(5000), 2265.0, 5.0);
  // Radar is all-weather.
  ScenarioSensor radar = Radar();
  radar.weather.visibility_m = 500;
  WorldObject o;
  o.launched = true;
  o.rcs_m2 = 100.0;
  o.position = Vec3(5000, 0, 100);
  Rng rng(1);
  IdSequence<DetectionId> ids;
  std::vector<Detection> out;
  internal::Scan(radar, {o}, SimTime::Epoch(), rng, ids, out);
  EXPECT_EQ(out.size(), 1u);
}

TEST(SensorModelTest, CloudsHideWhatFliesAboveTheBase) {
  ScenarioSensor eo = Eoir();
  eo.detection_probability = 1.0;
  eo.weather.cloud_base_m = 600;
  eo.weather.cloud_cover = 0.75;
  WorldObject low, high;
  low.launched = high.launched = true;
  low.position = Vec3(3000, 0, 300);
  high.position = Vec3(3000, 100, 1500);
  Rng rng(5);
  IdSequence<DetectionId> ids;
  int seen_low = 0, seen_high = 0;
  const int scans = 4000;
  for (int i = 0; i < scans; ++i) {
    std::vector<Detection> out;
    internal::Scan(eo, {low}, SimTime::Epoch(), rng, ids, out);
    seen_low += static_cast<int>(out.size());
    out.clear();
    internal::Scan(eo, {high}, SimTime::Epoch(), rng, ids, out);
    seen_high += static_cast<int>(out.size());
  }
  EXPECT_EQ(seen_low, scans);
  EXPECT_NEAR(static_cast<double>(seen_high) / scans, 0.25, 0.03);  // seen through the gaps only
}

TEST(SensorModelTest, SiteMaskingHidesLowTargetsButNotSound) {
  ScenarioSensor radar = Radar();
  radar.position = Vec3(0, 0, 10);
  radar.mask_angle_rad = 1.0 * M_PI / 180.0;  // trees and buildings around the site
  WorldObject o;
  o.launched = true;
  o.object_class = ObjectClass::kCruiseMissile;
  o.position = Vec3(5000, 0, 50);  // 0.46 degrees up
  EXPECT_FALSE(internal::InCoverage(radar, o));
  o.position = Vec3(5000, 0, 200);  // 2.2 degrees up
  EXPECT_TRUE(internal::InCoverage(radar, o));
  o.position = Vec3(1500, 0, 50);  // 1.5 degrees up: close in it rises above the trees
  EXPECT_TRUE(internal::InCoverage(radar, o));
  ScenarioSensor mic = radar;
  mic.kind = SensorKind::kAcoustic;
  o.position = Vec3(5000, 0, 50);
  EXPECT_TRUE(internal::InCoverage(mic, o));
}

ScenarioSensor AcousticGrid() {
  ScenarioSensor net;
  net.kind = SensorKind::kAcoustic;
  net.max_range_m = 1500;
  net.detection_probability = 1.0;
  net.position_sigma_m = 100;
  net.min_nodes = 3;
  for (int j = -2; j <= 2; ++j) {
    for (int i = -2; i <= 2; ++i) net.nodes.push_back(Vec3(i * 1000.0, j * 1000.0, 3.0));
  }
  return net;
}

TEST(SensorModelTest, AcousticNetworkFixesWhatEnoughNodesHear) {
  ScenarioSensor net = AcousticGrid();
  WorldObject drone;
  drone.launched = true;
  drone.object_class = ObjectClass::kOneWayAttackDrone;
  drone.position = Vec3(200, -300, 150);
  WorldObject missile = drone;
  missile.object_class = ObjectClass::kBallisticMissile;
  WorldObject bird = drone;
  bird.object_class = ObjectClass::kBird;
  WorldObject far = drone;
  far.position = Vec3(9000, 0, 150);
  WorldObject corner = drone;  // 1.1 km outside the grid's corner: only the corner node hears it
  corner.position = Vec3(2800, 2800, 100);
  EXPECT_TRUE(internal::InCoverage(net, drone));
  EXPECT_FALSE(internal::InCoverage(net, missile));
  EXPECT_FALSE(internal::InCoverage(net, far));
  Rng rng(9);
  IdSequence<DetectionId> ids;
  double sum = 0, sum2 = 0;
  const int scans = 2000;
  for (int i = 0; i < scans; ++i) {
    std::vector<Detection> out;
    internal::Scan(net, {drone, missile, bird, far, corner}, SimTime::Epoch(), rng, ids, out);
    ASSERT_EQ(out.size(), 1u);  // one fix: the drone's
    const Detection& d = out[0];
    EXPECT_EQ(d.measurement.kind, MeasurementKind::kPosition);
    EXPECT_EQ(d.sensor_kind, SensorKind::kAcoustic);
    const double err = d.measurement.z.x() - drone.position.x();
    sum += err;
    sum2 += err * err;
  }
  EXPECT_NEAR(sum / scans, 0.0, 10.0);
  EXPECT_NEAR(std::sqrt(sum2 / scans), 100.0, 6.0);
  // Each node hears half the time: fixes need 3 of the 5 nodes within 1.5 km, P = 0.5.
  net.detection_probability = 0.5;
  int fixes = 0;
  for (int i = 0; i < scans; ++i) {
    std::vector<Detection> out;
    internal::Scan(net, {drone}, SimTime::Epoch(), rng, ids, out);
    fixes += static_cast<int>(out.size());
  }
  int in_range = 0;
  for (const Vec3& n : net.nodes) in_range += (drone.position - n).norm() <= 1500 ? 1 : 0;
  double p_fix = 0.0;  // P(Binomial(in_range, 0.5) >= 3)
  for (int k = 3; k <= in_range; ++k) p_fix += std::tgamma(in_range + 1) / (std::tgamma(k + 1) * std::tgamma(in_range - k + 1));
  p_fix /= std::pow(2.0, in_range);
  EXPECT_NEAR(static_cast<double>(fixes) / scans, p_fix, 0.04);
}

// A small complete scenario: one gun defends a depot against five drones; jammers cannot stop
// drones that are not radio-controlled.
constexpr const char* kSmallScenario = R"(
name: small
origin: {lat: 52.0, lon: 5.0}
duration_s: 400
time_step_s: 1
assets:
  - {name: depot, value: 100, lat: 52.0, lon: 5.0, radius_m: 300}
sensors:
  - {name: radar, kind: radar, lat: 52.0, lon: 5.0, height_m: 20, max_range_m: 20000, range_sigma_m: 10,
     bearing_sigma_deg: 0.2, detection_probability: 0.95, reference_rcs_m2: 0.1, scan_period_s: 1,
     false_alarms_per_scan: 0.5, reports_class: true, class_accuracy: 0.9}
effectors:
  - {name: gun, kind: gun, lat: 52.0, lon: 5.01, max_range_m: 4000, max_altitude_m: 3000,
     pk: {one_way_attack_drone: 0.8}, cost_per_shot_eur: 8000, magazine: 40, fire_channels: 2,
     interceptor_speed_mps: 1100}
  - {name: jammer, kind: jammer, lat: 52.0, lon: 4.99, max_range_m: 5000, max_altitude_m: 3000,
     pk: {one_way_attack_drone: 0.9}, cost_per_shot_eur: 0, magazine: 1000, fire_channels: 4}
raids:
  - {name: drones, class: one_way_attack_drone, count: 5, launch_window_s: [0, 30],
     launch: {lat: 52.0, lon: 4.8, radius_m: 500}, aim: {asset: depot}, aim_spread_m: 30, speed_mps: 50,
     altitude: {cruise_m: 150, terminal_dive_m: 1000}, unit_cost_eur: 50000, radio_controlled: false, rcs_m2: 0.5,
     lethality: 0.5}
rules_of_engagement:
  hostile_classes: [one_way_attack_drone]
  auto_release:
    - {name: weapons-free-vs-drones, effectors: [gun, jammer], classes: [one_way_attack_drone]}
warning: {regions: none}
)";

TEST(SimulatorTest, SmallRaidOutcomesAreConsistentAndDeterministic) {
  Result<Scenario> scenario = ParseScenario(kSmallScenario, "small.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.status().message();
  const RunResult a = RunScenario(*scenario, 1, 0, {});
  const RunResult b = RunScenario(*scenario, 1, 0, {});
  ASSERT_EQ(a.threats.size(), 5u);  // every drone ends: defeated or leaked
  int defeated = 0, leaked = 0, kills = 0;
  for (const ThreatOutcome& t : a.threats) {
    EXPECT_NE(t.defeated, t.leaked);
    defeated += t.defeated;
    leaked += t.leaked;
  }
  for (const ShotRecord& s : a.shots) {
    kills += s.kill;
    EXPECT_EQ(s.released_by, Release::kRule);
    if (s.effector_kind == EffectorKind::kJammer) {
      EXPECT_FALSE(s.kill) << "jammed a drone that is not radio-controlled";
    }
  }
  EXPECT_EQ(kills, defeated);
  EXPECT_GE(defeated, 3) << "a gun with Pk 0.8 and 300 s of warning should stop most of five drones";
  EXPECT_NEAR(a.damage_by_asset.count("depot") ? a.damage_by_asset.at("depot") : 0.0,
              100.0 * (1.0 - std::pow(0.5, leaked)), 1e-9);  // lethality 0.5: damage compounds
  EXPECT_EQ(SummaryToJson(Summarise(*scenario, 1, {a})), SummaryToJson(Summarise(*scenario, 1, {b})));
  EXPECT_LT(a.gospa_mean_m, 1000.0);
}

TEST(SimulatorTest, MeansOverRunsUseDerivedSeeds) {
  Result<Scenario> scenario = ParseScenario(kSmallScenario, "small.yaml");
  ASSERT_TRUE(scenario.has_value());
  const Summary three = RunMonteCarlo(*scenario, 9, 3, {});
  std::vector<RunResult> runs;
  for (int i = 0; i < 3; ++i) runs.push_back(RunScenario(*scenario, 9, i, {}));
  EXPECT_EQ(SummaryToJson(three), SummaryToJson(Summarise(*scenario, 9, runs)));
  EXPECT_EQ(three.runs, 3);
  EXPECT_NEAR(three.defeated + three.leakers, 5.0, 1e-9);
}

TEST(StatisticsTest, StudentQuantileMatchesClosedFormsAndTables) {
  EXPECT_NEAR(StudentT975(1), std::tan(0.475 * M_PI), 1e-9);  // Cauchy: tan(pi (p - 1/2))
  // Two degrees of freedom: t = (2p - 1) / sqrt(2 p (1 - p)).
  EXPECT_NEAR(StudentT975(2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-9);
  EXPECT_NEAR(StudentT975(4), 2.776, 5e-4);  // published tables
  EXPECT_NEAR(StudentT975(10), 2.228, 5e-4);
  EXPECT_NEAR(StudentT975(30), 2.042, 5e-4);
  EXPECT_NEAR(StudentT975(120), 1.980, 5e-4);
  EXPECT_NEAR(StudentT975(1000), 1.962339, 1e-6);
  EXPECT_LT(StudentT975(1001), StudentT975(1000));  // the series and the expansion meet smoothly
  EXPECT_NEAR(StudentT975(1001), StudentT975(1000), 5e-6);
  EXPECT_NEAR(StudentT975(1000000), 1.959964, 1e-5);         // the normal quantile
}

TEST(StatisticsTest, MeanAndRatioIntervals) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const Estimate e = MeanEstimate(x);
  EXPECT_DOUBLE_EQ(e.mean, 3.0);
  EXPECT_NEAR(e.half_width, StudentT975(4) * std::sqrt(2.5 / 5.0), 1e-12);  // s^2 = 2.5
  EXPECT_EQ(MeanEstimate(std::vector<double>{7.0}).half_width, 0.0);
  // A ratio that holds in every run has no spread; one that does not has some.
  const std::vector<double> den = {1, 2, 4, 8};
  const Estimate exact = RatioEstimate(std::vector<double>{2, 4, 8, 16}, den);
  EXPECT_DOUBLE_EQ(exact.mean, 2.0);
  EXPECT_NEAR(exact.half_width, 0.0, 1e-12);
  const Estimate noisy = RatioEstimate(std::vector<double>{3, 4, 8, 15}, den);
  EXPECT_DOUBLE_EQ(noisy.mean, 30.0 / 15.0);
  EXPECT_GT(noisy.half_width, 0.0);
  EXPECT_EQ(RatioEstimate(std::vector<double>{1, 2}, std::vector<double>{0, 0}).mean, 0.0);
}

TEST(MonteCarloTest, ForEachRunVisitsEveryIndexOnceAndReportsProgress) {
  for (int threads : {1, 3, 16}) {
    std::vector<int> visits(50, 0);
    std::vector<int> progress;
    ForEachRun(50, threads, [&](int i) { ++visits[static_cast<size_t>(i)]; },
               [&](int done) { progress.push_back(done); });
    EXPECT_EQ(std::count(visits.begin(), visits.end(), 1), 50) << threads << " threads";
    ASSERT_EQ(progress.size(), 50u);
    for (size_t i = 0; i < progress.size(); ++i) EXPECT_EQ(progress[i], static_cast<int>(i) + 1);
  }
}

// Runs share no state: every thread count gives the same runs, so the same summary, byte for byte.
TEST(MonteCarloTest, ResultsDoNotDependOnTheThreadCount) {
  Result<Scenario> scenario = ParseScenario(kSmallScenario, "small.yaml");
  ASSERT_TRUE(scenario.has_value());
  std::vector<std::string> json;
  for (int threads : {1, 2, 4}) {
    MonteCarloOptions mc;
    mc.runs = 6;
    mc.threads = threads;
    json.push_back(SummaryToJson(RunMonteCarlo(*scenario, 21, mc, {})));
  }
  EXPECT_EQ(json[0], json[1]);
  EXPECT_EQ(json[0], json[2]);
  EXPECT_NE(json[0].find("\"ci95\""), std::string::npos);
}

// The 95 % half-width of a mean falls like t(n-1) s / sqrt(n): eight times the runs should give
// well under 0.7 times the half-width (the expected factor is about 0.26).
TEST(MonteCarloTest, ConfidenceIntervalsShrinkAsRunsGrow) {
  Result<Scenario> scenario = ParseScenario(kSmallScenario, "small.yaml");
  ASSERT_TRUE(scenario.has_value());
  MonteCarloOptions mc;
  mc.threads = 2;
  mc.runs = 4;
  const Summary few = RunMonteCarlo(*scenario, 5, mc, {});
  mc.runs = 32;
  const Summary many = RunMonteCarlo(*scenario, 5, mc, {});
  ASSERT_GT(few.defender_cost_ci.half_width, 0.0) << "no spread to measure";
  EXPECT_LT(many.defender_cost_ci.half_width, 0.7 * few.defender_cost_ci.half_width);
  ASSERT_GT(few.shots_ci.at("gun").half_width, 0.0);
  EXPECT_LT(many.shots_ci.at("gun").half_width, 0.7 * few.shots_ci.at("gun").half_width);
  // The interval is about the mean it reports.
  EXPECT_DOUBLE_EQ(many.defender_cost_ci.mean, many.defender_cost_eur);
  EXPECT_EQ(many.leakers_per_run.size(), 32u);
}

TEST(CampaignPlanTest, DayRaidsFollowRaidDaysAndTempo) {
  Result<Scenario> scenario =
      ParseScenario(std::string(kSmallScenario) + "campaign:\n  tempo: [1, 0.5, 1.3, 0]\n  raid_days: {drones: [2, 3]}\n",
                    "small.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.status().message();
  EXPECT_TRUE(CampaignDayRaids(*scenario, 1).empty()) << "before its first day";
  ASSERT_EQ(CampaignDayRaids(*scenario, 2).size(), 1u);
  EXPECT_EQ(CampaignDayRaids(*scenario, 2)[0].count, 3) << "5 x 0.5 rounds to 3";
  EXPECT_EQ(CampaignDayRaids(*scenario, 3)[0].count, 7) << "5 x 1.3 = 6.5 rounds to 7";
  EXPECT_TRUE(CampaignDayRaids(*scenario, 4).empty()) << "after its last day";
  EXPECT_NE(CampaignDaySeed(1, 2), CampaignDaySeed(1, 3));
}

TEST(CampaignPlanTest, RoundsAreSplitEvenlyUpToEachMagazine) {
  EXPECT_EQ(AllocateRounds(10, {4, 4, 4}), (std::vector<int64_t>{4, 3, 3}));
  EXPECT_EQ(AllocateRounds(10, {2, 8}), (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(AllocateRounds(20, {2, 8}), (std::vector<int64_t>{2, 8})) << "the rest stays in the depot";
  EXPECT_EQ(AllocateRounds(9, {2, -1}), (std::vector<int64_t>{2, 7})) << "a reloading effector takes any number";
  EXPECT_EQ(AllocateRounds(0, {5, 5}), (std::vector<int64_t>{0, 0}));
  EXPECT_TRUE(AllocateRounds(5, {}).empty());
  EXPECT_EQ(AllocateRounds(1000000000, {16, 16})[1], 16) << "large stocks without a round-by-round loop";
}

TEST(SimulatorTest, BirdFlocksLoadWanderAndAreNeverThreats) {
  std::string text = kSmallScenario;
  text += "birds:\n  - {name: gulls, count: 12, lat: 52.0, lon: 4.95, radius_m: 1500, altitude_m: 60, speed_mps: 12}\n";
  Result<Scenario> scenario = ParseScenario(text, "small.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.status().message();
  ASSERT_EQ(scenario->birds.size(), 1u);
  EXPECT_EQ(scenario->birds[0].count, 12);
  EXPECT_NEAR(scenario->birds[0].center_position.x(), -3430.0, 50.0);  // 0.05 deg of longitude west at 52 N
  const RunResult run = RunScenario(*scenario, 4, 0, {});
  for (const ShotRecord& shot : run.shots) EXPECT_NE(shot.true_class, ObjectClass::kBird);
  EXPECT_EQ(run.threats.size(), 5u) << "birds are not threats";

  Result<Scenario> bad = ParseScenario(kSmallScenario + std::string("birds:\n  - {name: gulls, lat: 52.0, lon: 5.0, "
                                                                     "speed_mps: 90}\n"),
                                       "small.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("birds[0].speed_mps"), std::string::npos) << bad.status().message();
}

// A strike aircraft releases 40 km out: it never comes near the depot, yet its weapon hits it.
TEST(SimulatorTest, StandOffWeaponHitsTheAimFromTheReleasePoint) {
  Result<Scenario> scenario = ParseScenario(R"(
name: standoff
origin: {lat: 52.0, lon: 5.0}
duration_s: 600
assets:
  - {name: depot, value: 100, lat: 52.0, lon: 5.0, radius_m: 300}
raids:
  - {name: su-34, template: strike_aircraft, launch: {lat: 52.0, lon: 6.0}, aim: {asset: depot}, aim_spread_m: 0}
warning: {regions: none}
)",
                                            "standoff.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.status().message();
  const RunResult run = RunScenario(*scenario, 1, 0, {});
  ASSERT_EQ(run.threats.size(), 1u);
  EXPECT_TRUE(run.threats[0].leaked);
  EXPECT_NEAR(run.damage_by_asset.at("depot"), 50.0, 1e-9);  // the template's lethality 0.5
  // It released when 40 km out: (68.7 km - 40 km) at 250 m/s.
  const double distance = geo::GeodesicDistance({52.0, 5.0, 0.0}, {52.0, 6.0, 0.0});
  EXPECT_NEAR(run.threats[0].end_time.seconds(), (distance - 40000.0) / 250.0, 2.0);
}

// Bearings alone never start a track; an acoustic network's fixes do, so a network of cheap nodes
// can cue a gun on its own.
TEST(SimulatorTest, AcousticNetworkAloneCuesTheGun) {
  Result<Scenario> scenario = ParseScenario(R"(
name: mics
origin: {lat: 52.0, lon: 5.0}
duration_s: 500
assets:
  - {name: depot, value: 100, lat: 52.0, lon: 5.0, radius_m: 300}
sensors:
  - {name: mics, kind: acoustic, grid: {south_west: [51.96, 4.94], north_east: [52.04, 5.06], spacing_m: 1000},
     height_m: 3, max_range_m: 1500, detection_probability: 0.8, scan_period_s: 1, reports_class: true,
     class_accuracy: 0.9}
effectors:
  - {name: gun, kind: gun, lat: 52.0, lon: 5.0, max_range_m: 4000, max_altitude_m: 3000,
     pk: {one_way_attack_drone: 0.8}, cost_per_shot_eur: 8000, magazine: 40, fire_channels: 2,
     interceptor_speed_mps: 1100}
raids:
  - {name: drones, template: shahed_136, count: 4, launch_window_s: [0, 60], launch: {lat: 52.0, lon: 4.75},
     aim: {asset: depot}, altitude: {cruise_m: 150, terminal_dive_m: 1000}}
rules_of_engagement:
  hostile_classes: [one_way_attack_drone]
  auto_release:
    - {name: guns-free, effectors: [gun], classes: [one_way_attack_drone]}
warning: {regions: none}
)",
                                            "mics.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.status().message();
  const RunResult run = RunScenario(*scenario, 2, 0, {});
  EXPECT_GT(run.totals.proposals, 0);
  EXPECT_FALSE(run.shots.empty()) << "no shot on acoustic cues alone";
  // Observed (seed 2): 9 shots, 3 of 4 drones defeated. A gun with Pk 0.8 on two channels and ~100 s
  // of warning from the network's edge should stop at least half of them.
  int defeated = 0;
  for (const ThreatOutcome& t : run.threats) defeated += t.defeated ? 1 : 0;
  EXPECT_GE(defeated, 2);
}

// Monte-Carlo over raids: each replicate draws its own raid from the preset, reproducibly, and the
// raids written in the file stay as they are.
TEST(RaidSourceTest, RedrawGeneratedRaidsVariesByRunAndKeepsWrittenRaids) {
  Result<Scenario> r = ParseScenario(R"(name: g
origin: {lat: 52.0, lon: 5.0}
duration_s: 80000
seed: 7
assets:
  - {name: runway, value: 100, lat: 52.0, lon: 5.0}
raids:
  - {name: probe, class: small_drone, count: 2, launch: {lat: 52.02, lon: 5.0}, aim: {asset: runway}, speed_mps: 20}
generated_raids:
  - name: night
    preset: large_drone_night
    scale: 0.05
    start_window_s: [0, 600]
    launch: {lat: 52.0, lon: 6.5, radius_m: 5000}
    aim_assets: [runway]
campaign:
  days: 3
  tempo: [1, 0, 2]
)", "g.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const RaidSource redraw = RedrawGeneratedRaids();
  const auto total = [](const std::vector<Raid>& raids) {
    int n = 0;
    for (const Raid& raid : raids) n += raid.count;
    return n;
  };
  const auto written = [](const std::vector<Raid>& raids) {
    return std::count_if(raids.begin(), raids.end(), [](const Raid& raid) { return raid.name == "probe"; });
  };
  std::set<int> sizes;
  for (int run = 0; run < 12; ++run) {
    const std::vector<Raid> a = redraw(*r, 0, 99, run);
    const std::vector<Raid> b = redraw(*r, 0, 99, run);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(total(a), total(b)) << "a pure function of (scenario, day, seed, run)";
    EXPECT_EQ(written(a), 1) << "the written raid is kept once";
    for (const Raid& raid : a) EXPECT_TRUE(raid.name == "probe" || raid.name.starts_with("night/")) << raid.name;
    sizes.insert(total(a));
  }
  // Twelve draws of 5 % of a night of about 490 (20 size bins from 320 to 760) cannot all be equal.
  EXPECT_GE(sizes.size(), 3u);
  // Campaign day 2 has tempo 0: nothing flies; day 3 doubles the day's draw.
  EXPECT_TRUE(redraw(*r, 2, 99, 0).empty());
  EXPECT_GT(total(redraw(*r, 3, 99, 0)), 0);
}

}  // namespace
}  // namespace koepel::sim
