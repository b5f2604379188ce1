#include "koepel/sim/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace koepel::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9f", v);
  return buf;
}

// A complete scenario touching every section. The radar sits 10 km due north of the origin
// (computed geodesically, independently of the local-frame conversion under test).
std::string FullScenario() {
  const geo::LatLonAlt origin{52.0, 4.0, 0.0};
  const geo::LatLonAlt north = geo::GeodesicDirect(origin, 0.0, 10000.0);
  const geo::LatLonAlt east = geo::GeodesicDirect(origin, 90.0, 5000.0);
  return R"(name: test-full
description: every section once
origin: {lat: 52.0, lon: 4.0, alt: 0}
duration_s: 1200
time_step_s: 0.5
seed: 42
doctrine: stockpile_aware
assets:
  - name: terminal
    category: energy
    value: 250
    lat: 52.0
    lon: 4.0
    radius_m: 800
  - name: yard
    category: port
    value: 100
    lat: 52.01
    lon: 4.02
    polygon: [[52.005, 4.015], [52.005, 4.025], [52.015, 4.025], [52.015, 4.015], [52.005, 4.015]]
sensors:
  - name: radar-north
    kind: radar
    lat: )" +
         Fmt(north.lat_deg) +
         R"(
    lon: )" +
         Fmt(north.lon_deg) +
         R"(
    height_m: 25
    max_range_m: 40000
    range_sigma_m: 15
    bearing_sigma_deg: 0.2
    detection_probability: 0.85
    reference_rcs_m2: 0.05
    scan_period_s: 2
    false_alarms_per_scan: 0.5
    reports_class: true
    class_accuracy: 0.7
  - name: adsb-1
    kind: adsb
    lat: 52.0
    lon: 4.0
    max_range_m: 250000
    position_sigma_m: 20
effectors:
  - name: gun-east
    kind: gun
    lat: )" +
         Fmt(east.lat_deg) +
         R"(
    lon: )" +
         Fmt(east.lon_deg) +
         R"(
    min_range_m: 100
    max_range_m: 4000
    max_altitude_m: 3000
    pk: {one_way_attack_drone: 0.7, decoy: 0.75}
    cost_per_shot_eur: 8000
    magazine: 40
    fire_channels: 1
    reload_time_s: 300
    reload_rounds: 20
    interceptor_speed_mps: 1100
    shot_interval_s: 3
  - name: patriot-1
    kind: patriot
    lat: 52.0
    lon: 4.0
    max_range_m: 35000
    max_altitude_m: 25000
    pk: {ballistic_missile: 0.7, cruise_missile: 0.8}
    cost_per_shot_eur: 4000000
    magazine: 16
    fire_channels: 4
    interceptor_speed_mps: 1700
raids:
  - name: wave-1
    class: one_way_attack_drone
    count: 12
    launch_window_s: [0, 300]
    launch: {lat: 52.0, lon: 3.0, radius_m: 5000}
    aim: {asset: yard}
    aim_spread_m: 100
    speed_mps: 50
    altitude: {cruise_m: 150, terminal_dive_m: 2000}
    unit_cost_eur: 35000
    radio_controlled: false
    emits_rf: true
    rcs_m2: 0.2
    lethality: 0.3
    waypoints: [[52.1, 3.5]]
  - name: iskander
    class: ballistic_missile
    launch_window_s: [60, 60]
    launch: {lat: 52.0, lon: 6.0}
    aim: {lat: 52.0, lon: 4.0}
    speed_mps: 2000
    altitude: {apogee_m: 50000}
civil_traffic:
  - callsign: KLM1234
    icao24: "484506"
    from: [52.3, 4.76]
    to: [51.95, 4.44]
    start_s: 30
    speed_mps: 120
    altitude_m: 900
  - callsign: NAF01
    icao24: 48011F
    adsb: false
    friendly: true
    from: [51.9, 4.2]
    to: [52.0, 4.1]
    class: helicopter
    rcs_m2: 5
rules_of_engagement:
  hostile_classes: [one_way_attack_drone, decoy, ballistic_missile]
  auto_release:
    - name: guns-free-drones
      effectors: [gun, jammer]
      classes: [one_way_attack_drone, decoy]
  no_fire_zones:
    - name: centre
      polygon: [[51.99, 3.99], [51.99, 4.01], [52.01, 4.01], [52.01, 3.99]]
operator: {reaction_time_s: 8, approval_probability: 0.9}
warning: {regions: municipalities, min_probability: 0.3}
)";
}

TEST(ScenarioTest, FullScenarioParsesWithConvertedPositions) {
  Result<Scenario> r = ParseScenario(FullScenario(), "full.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "test-full");
  EXPECT_EQ(s.file, "full.yaml");
  EXPECT_EQ(s.duration, Seconds(1200));
  EXPECT_EQ(s.time_step, Milliseconds(500));
  EXPECT_EQ(s.seed, 42u);
  EXPECT_EQ(s.doctrine, Doctrine::kStockpileAware);

  ASSERT_EQ(s.assets.size(), 2u);
  EXPECT_EQ(s.assets[0].asset.id, AssetId(1));
  EXPECT_EQ(s.assets[1].asset.id, AssetId(2));
  EXPECT_EQ(s.assets[0].asset.category, "energy");
  EXPECT_DOUBLE_EQ(s.assets[0].asset.radius_m, 800.0);
  EXPECT_NEAR(s.assets[0].asset.position.norm(), 0.0, 1e-6);  // at the origin
  // The closed ring's repeated corner is dropped; a 0.01 deg lon square at 52 N is ~686 m wide.
  ASSERT_EQ(s.assets[1].asset.footprint.size(), 4u);
  EXPECT_NEAR(s.assets[1].asset.footprint[1].x() - s.assets[1].asset.footprint[0].x(), 686.0, 3.0);
  EXPECT_NEAR(s.assets[1].asset.footprint[2].y() - s.assets[1].asset.footprint[1].y(), 1113.0, 3.0);

  ASSERT_EQ(s.sensors.size(), 2u);
  const ScenarioSensor& radar = s.sensors[0];
  EXPECT_EQ(radar.id, SensorId(1));
  EXPECT_EQ(s.sensors[1].id, SensorId(2));
  EXPECT_EQ(radar.kind, SensorKind::kRadar);
  EXPECT_NEAR(radar.position.y(), 10000.0, 1.0);
  EXPECT_NEAR(radar.position.x(), 0.0, 1.0);
  EXPECT_DOUBLE_EQ(radar.position.z(), 25.0);  // height above the flat local ground
  EXPECT_NEAR(radar.bearing_sigma_rad, 0.2 * M_PI / 180.0, 1e-12);
  EXPECT_EQ(radar.scan_period, Seconds(2));
  EXPECT_TRUE(radar.reports_class);
  EXPECT_DOUBLE_EQ(radar.class_accuracy, 0.7);
  EXPECT_EQ(s.sensors[1].kind, SensorKind::kAdsb);

  ASSERT_EQ(s.effectors.size(), 2u);
  const Effector& gun = s.effectors[0].effector;
  EXPECT_EQ(gun.id, EffectorId(1));
  EXPECT_EQ(gun.kind, EffectorKind::kGun);
  EXPECT_NEAR(gun.position.x(), 5000.0, 1.0);
  EXPECT_NEAR(gun.position.y(), 0.0, 1.0);
  EXPECT_DOUBLE_EQ(gun.PkAgainst(ObjectClass::kOneWayAttackDrone), 0.7);
  EXPECT_DOUBLE_EQ(gun.PkAgainst(ObjectClass::kDecoy), 0.75);
  EXPECT_DOUBLE_EQ(gun.PkAgainst(ObjectClass::kCruiseMissile), 0.0);  // not listed: cannot kill
  EXPECT_EQ(gun.magazine, 40);
  EXPECT_EQ(gun.reload_time, Seconds(300));
  EXPECT_EQ(gun.reload_rounds, 20);
  EXPECT_EQ(gun.shot_interval, Seconds(3));
  EXPECT_EQ(s.effectors[1].effector.fire_channels, 4);
  EXPECT_DOUBLE_EQ(s.effectors[1].effector.cost_per_shot_eur, 4e6);

  ASSERT_EQ(s.raids.size(), 2u);
  const Raid& wave = s.raids[0];
  EXPECT_EQ(wave.count, 12);
  EXPECT_EQ(wave.launch_start, Seconds(0));
  EXPECT_EQ(wave.launch_end, Seconds(300));
  ASSERT_TRUE(wave.aim_asset.has_value());
  EXPECT_EQ(*wave.aim_asset, "yard");
  EXPECT_NEAR((wave.aim_position - s.assets[1].asset.position).norm(), 0.0, 1e-6);
  // One degree of longitude at 52 N is ~68.7 km: the launch point lies that far west.
  EXPECT_NEAR(wave.launch_position.x(), -68700.0, 400.0);
  ASSERT_EQ(wave.waypoint_positions.size(), 1u);
  EXPECT_DOUBLE_EQ(wave.waypoint_positions[0].z(), 150.0);
  EXPECT_DOUBLE_EQ(wave.altitude.terminal_dive_m, 2000.0);
  EXPECT_TRUE(wave.emits_rf);
  EXPECT_FALSE(wave.radio_controlled);
  const Raid& iskander = s.raids[1];
  EXPECT_EQ(iskander.count, 1);
  EXPECT_FALSE(iskander.aim_asset.has_value());
  ASSERT_TRUE(iskander.aim_point.has_value());
  EXPECT_DOUBLE_EQ(iskander.altitude.apogee_m, 50000.0);
  EXPECT_EQ(s.expected_threats(), 13);

  ASSERT_EQ(s.civil_traffic.size(), 2u);
  EXPECT_EQ(s.civil_traffic[0].icao24, 0x484506u);
  EXPECT_TRUE(s.civil_traffic[0].broadcasts_adsb);
  EXPECT_DOUBLE_EQ(s.civil_traffic[0].from_position.z(), 900.0);
  EXPECT_EQ(s.civil_traffic[0].start, Seconds(30));
  EXPECT_EQ(s.civil_traffic[1].icao24, 0x48011Fu);
  EXPECT_FALSE(s.civil_traffic[1].broadcasts_adsb);
  EXPECT_TRUE(s.civil_traffic[1].friendly);
  EXPECT_EQ(s.civil_traffic[1].object_class, ObjectClass::kHelicopter);

  const RulesOfEngagement& roe = s.rules.rules;
  EXPECT_EQ(roe.hostile_classes.size(), 3u);
  ASSERT_EQ(roe.auto_release.size(), 1u);
  EXPECT_EQ(roe.auto_release[0].effector_kinds, (std::vector<EffectorKind>{EffectorKind::kGun, EffectorKind::kJammer}));
  EXPECT_TRUE(roe.auto_release[0].requires_hostile);
  ASSERT_EQ(roe.no_fire_zones.size(), 1u);
  ASSERT_EQ(s.rules.no_fire_zone_polygons.size(), 1u);
  EXPECT_TRUE(geo::Contains(roe.no_fire_zones[0].polygon, Vec2(0.0, 0.0)));
  EXPECT_FALSE(geo::Contains(roe.no_fire_zones[0].polygon, Vec2(2000.0, 0.0)));

  EXPECT_EQ(s.operator_model.reaction_time, Seconds(8));
  EXPECT_DOUBLE_EQ(s.operator_model.approval_probability, 0.9);
  EXPECT_EQ(s.warning.regions, "municipalities");
  EXPECT_DOUBLE_EQ(s.warning.min_probability, 0.3);
}

// A minimal valid file; error cases below append to it, so their line numbers start at 9.
constexpr const char* kBase = R"(name: t
origin: {lat: 52.0, lon: 4.0}
duration_s: 600
assets:
  - name: port
    value: 10
    lat: 52.0
    lon: 4.0
)";

TEST(ScenarioTest, MinimalScenarioGetsDocumentedDefaults) {
  Result<Scenario> r = ParseScenario(std::string(kBase) + R"(sensors:
  - {name: r, kind: radar, lat: 52.0, lon: 4.1}
effectors:
  - {name: g, kind: gun, lat: 52.0, lon: 4.0, max_range_m: 3000, max_altitude_m: 2000, pk: {decoy: 0.5}, magazine: 5}
raids:
  - {name: w, class: decoy, launch: {lat: 52.0, lon: 3.5}, aim: {asset: port}, speed_mps: 45}
)",
                                     "min.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Scenario& s = *r;
  EXPECT_EQ(s.time_step, Seconds(1));
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.doctrine, Doctrine::kCostAware);
  EXPECT_EQ(s.assets[0].asset.category, "other");
  EXPECT_DOUBLE_EQ(s.assets[0].asset.radius_m, 500.0);
  EXPECT_DOUBLE_EQ(s.sensors[0].position.z(), 10.0);
  EXPECT_DOUBLE_EQ(s.sensors[0].max_range_m, 20000.0);
  EXPECT_DOUBLE_EQ(s.sensors[0].detection_probability, 0.9);
  EXPECT_EQ(s.effectors[0].effector.fire_channels, 1);
  EXPECT_EQ(s.effectors[0].effector.reload_time, Duration());
  EXPECT_EQ(s.raids[0].count, 1);
  EXPECT_EQ(s.raids[0].launch_start, Duration());
  EXPECT_DOUBLE_EQ(s.raids[0].altitude.cruise_altitude_m, 100.0);
  EXPECT_DOUBLE_EQ(s.raids[0].aim_spread_m, 50.0);
  EXPECT_TRUE(s.rules.rules.hostile_classes.empty());
  EXPECT_EQ(s.operator_model.reaction_time, Seconds(5));
  EXPECT_EQ(s.warning.regions, "safety_regions");
}

// A drone night scaled to one air base: ordinary raids come out, with the templates' figures, windows
// inside the scenario that end together, and cruise missiles through a dog-leg.
constexpr const char* kGenerated = R"(name: g
origin: {lat: 52.0, lon: 5.0}
duration_s: 80000
seed: 7
assets:
  - {name: runway, value: 100, lat: 52.0, lon: 5.0}
  - {name: fuel, value: 50, lat: 52.01, lon: 5.01, radius_m: 200}
generated_raids:
  - name: night
    preset: large_drone_night
    scale: 0.1
    start_window_s: [0, 600]
    launch: {lat: 52.0, lon: 6.5, radius_m: 5000}
    launch_by_class:
      cruise_missile: {lat: 53.5, lon: 4.0}
      ballistic_missile: {lat: 52.0, lon: 9.0}
    aim_assets: [runway, fuel]
    aim_spread_m: 80
    templates: {cruise_missile: kalibr}
)";

TEST(ScenarioTest, GeneratedRaidExpandsIntoOrdinaryRaids) {
  Result<Scenario> r = ParseScenario(kGenerated, "g.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Scenario& s = *r;
  ASSERT_EQ(s.generated_raids.size(), 1u);
  EXPECT_EQ(s.generated_raids[0].preset, RaidPreset::kLargeDroneNight);
  ASSERT_FALSE(s.raids.empty());
  // 0.1 of a night of 320-759 launches.
  EXPECT_GE(s.expected_threats(), 30);
  EXPECT_LE(s.expected_threats(), 77);
  const double end = s.raids[0].launch_end.seconds();
  int drones = 0;
  for (const Raid& raid : s.raids) {
    SCOPED_TRACE(raid.name);
    EXPECT_EQ(raid.name.rfind("night/", 0), 0u);
    EXPECT_TRUE(raid.aim_asset == "runway" || raid.aim_asset == "fuel");
    EXPECT_DOUBLE_EQ(raid.aim_spread_m, 80.0);
    EXPECT_DOUBLE_EQ(raid.launch_end.seconds(), end);  // all windows end together
    EXPECT_GE(raid.launch_start.seconds(), 0.0);
    EXPECT_LE(raid.launch_end.seconds(), 600.0 + 20.84 * 3600.0);
    switch (raid.object_class) {
      case ObjectClass::kOneWayAttackDrone:
        drones += raid.count;
        EXPECT_EQ(raid.threat_template, "shahed_136");
        EXPECT_DOUBLE_EQ(raid.speed_mps, 50.0);
        EXPECT_TRUE(raid.radio_controlled);
        EXPECT_NEAR(raid.launch_position.x(), geo::GeodesicDistance({52.0, 5.0, 0.0}, {52.0, 6.5, 0.0}), 200.0);
        break;
      case ObjectClass::kDecoy:
        EXPECT_DOUBLE_EQ(raid.lethality, 0.0);
        break;
      case ObjectClass::kCruiseMissile:
        EXPECT_EQ(raid.threat_template, "kalibr");
        EXPECT_GT(raid.launch_position.y(), 150000.0);
        ASSERT_EQ(raid.waypoint_positions.size(), 1u);
        EXPECT_DOUBLE_EQ(raid.waypoint_positions[0].z(), raid.altitude.cruise_altitude_m);
        break;
      case ObjectClass::kBallisticMissile:
        EXPECT_DOUBLE_EQ(raid.altitude.apogee_m, 50000.0);
        EXPECT_GT(raid.altitude.terminal_manoeuvre_m, 0.0);
        break;
      default:
        ADD_FAILURE() << "class " << ObjectClassName(raid.object_class);
    }
  }
  EXPECT_GT(drones, 0);
  // Drawn with the file's seed: the same file gives the same raid, another seed another.
  Result<Scenario> again = ParseScenario(kGenerated, "g.yaml");
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->raids.size(), s.raids.size());
  for (size_t i = 0; i < s.raids.size(); ++i) {
    EXPECT_EQ(again->raids[i].name, s.raids[i].name);
    EXPECT_EQ(again->raids[i].count, s.raids[i].count);
    EXPECT_EQ(again->raids[i].launch_start, s.raids[i].launch_start);
  }
  std::string reseeded = kGenerated;
  reseeded.replace(reseeded.find("seed: 7"), 7, "seed: 8");
  Result<Scenario> other = ParseScenario(reseeded, "g.yaml");
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->expected_threats() != s.expected_threats() || other->raids[0].launch_end != s.raids[0].launch_end);
}

TEST(ScenarioTest, ThreatTemplateGivesDefaultsAndKeysOverride) {
  Result<Scenario> r = ParseScenario(std::string(kBase) + R"(raids:
  - {name: iskander, template: iskander_m, launch: {lat: 52, lon: 7}, aim: {asset: port}}
  - {name: shahed, template: shahed_136, count: 3, launch: {lat: 52, lon: 4.5}, aim: {asset: port}, lethality: 0.1,
     altitude: {cruise_m: 150}}
  - {name: quad, template: quadcopter, launch: {lat: 52.01, lon: 4}, aim: {asset: port}, speed_mps: 15}
  - {name: su-34, template: strike_aircraft, launch: {lat: 52, lon: 6}, aim: {asset: port}}
)",
                                     "t.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Raid& iskander = r->raids[0];
  EXPECT_EQ(iskander.object_class, ObjectClass::kBallisticMissile);
  EXPECT_DOUBLE_EQ(iskander.altitude.apogee_m, 50000.0);  // effectors.md: apogee ~50 km
  EXPECT_DOUBLE_EQ(iskander.speed_mps, 2000.0);
  EXPECT_DOUBLE_EQ(iskander.unit_cost_eur, 3000000.0);
  EXPECT_GT(iskander.altitude.terminal_manoeuvre_s, 0.0);
  const Raid& shahed = r->raids[1];
  EXPECT_EQ(shahed.object_class, ObjectClass::kOneWayAttackDrone);
  EXPECT_DOUBLE_EQ(shahed.lethality, 0.1);                       // the file's value
  EXPECT_DOUBLE_EQ(shahed.altitude.cruise_altitude_m, 150.0);    // the file's value
  EXPECT_DOUBLE_EQ(shahed.altitude.terminal_dive_m, 2000.0);     // the template's
  EXPECT_DOUBLE_EQ(shahed.speed_mps, 50.0);                      // effectors.md: ~50 m/s
  const Raid& quad = r->raids[2];
  EXPECT_EQ(quad.object_class, ObjectClass::kSmallDrone);
  EXPECT_DOUBLE_EQ(quad.speed_mps, 15.0);
  EXPECT_TRUE(quad.emits_rf);
  EXPECT_GT(quad.loiter_s, 0.0);
  EXPECT_EQ(r->raids[3].object_class, ObjectClass::kFixedWing);
  EXPECT_GT(r->raids[3].standoff_m, 0.0);
}

TEST(ScenarioTest, WeatherNetworksAndMaskingLoad) {
  Result<Scenario> r = ParseScenario(std::string(kBase) + R"(sensors:
  - {name: eo, kind: eoir, lat: 52, lon: 4}
  - {name: radar, kind: radar, lat: 52, lon: 4, mask_angle_deg: 0.5}
  - name: mics
    kind: acoustic
    height_m: 3
    max_range_m: 1500
    grid: {south_west: [52.0, 4.0], north_east: [52.02, 4.03], spacing_m: 1000}
  - {name: posts, kind: acoustic, nodes: [[52, 4], [52.01, 4], [52, 4.01], [52.01, 4.01]], min_nodes: 2,
     position_sigma_m: 50}
weather: {visibility_m: 4000, cloud_base_m: 600}
)",
                                     "w.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Scenario& s = *r;
  EXPECT_DOUBLE_EQ(s.weather.visibility_m, 4000.0);
  EXPECT_DOUBLE_EQ(s.weather.cloud_cover, 1.0);  // a cloud base alone: overcast
  EXPECT_DOUBLE_EQ(s.sensors[0].weather.visibility_m, 4000.0);
  EXPECT_DOUBLE_EQ(s.sensors[0].weather.cloud_base_m, 600.0);
  EXPECT_TRUE(s.sensors[0].nodes.empty());
  ASSERT_TRUE(s.sensors[1].mask_angle_rad.has_value());
  EXPECT_NEAR(*s.sensors[1].mask_angle_rad, 0.5 * M_PI / 180.0, 1e-12);
  EXPECT_FALSE(s.sensors[0].mask_angle_rad.has_value());
  // 0.02 degrees of latitude is 2.2 km and 0.03 degrees of longitude at 52 N is 2.1 km: 3 x 3 nodes.
  const ScenarioSensor& grid = s.sensors[2];
  ASSERT_EQ(grid.nodes.size(), 9u);
  EXPECT_EQ(grid.min_nodes, 3);
  EXPECT_DOUBLE_EQ(grid.position_sigma_m, 100.0);  // a network's default
  EXPECT_NEAR((grid.nodes[1] - grid.nodes[0]).norm(), 1000.0, 1e-9);
  EXPECT_NEAR((grid.nodes[3] - grid.nodes[0]).norm(), 1000.0, 1e-9);
  EXPECT_DOUBLE_EQ(grid.nodes[4].z(), 3.0);
  EXPECT_NEAR((grid.position - grid.nodes[4]).norm(), 0.0, 1e-6);  // the centre node is the centroid
  const ScenarioSensor& posts = s.sensors[3];
  EXPECT_EQ(posts.nodes.size(), 4u);
  EXPECT_EQ(posts.min_nodes, 2);
  EXPECT_DOUBLE_EQ(posts.position_sigma_m, 50.0);
}

TEST(ScenarioTest, CampaignSectionAndTempoPresets) {
  Result<Scenario> r = ParseScenario(std::string(kBase) + R"(raids:
  - {name: w, class: decoy, launch: {lat: 52.0, lon: 3.5}, aim: {asset: port}, speed_mps: 45}
campaign:
  days: 7
  tempo: [1, 0.5, 2]
  raid_days: {w: [2, 4]}
  stock: {patriot: 12, medium_range_missile: 0}
  resupply_per_day: {patriot: 2}
)",
                                     "c.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const CampaignSettings& c = r->campaign;
  EXPECT_TRUE(c.given);
  EXPECT_EQ(c.days, 7);
  EXPECT_TRUE(c.tempo_preset.empty());
  EXPECT_EQ(TempoOnDay(c, 2), 0.5);
  EXPECT_EQ(TempoOnDay(c, 6), 2.0) << "the last multiplier repeats";
  ASSERT_EQ(c.raid_days.size(), 1u);
  EXPECT_EQ(c.raid_days[0].first, 2);
  EXPECT_EQ(c.raid_days[0].last, 4);
  EXPECT_EQ(c.stock[static_cast<size_t>(EffectorKind::kPatriot)], 12);
  EXPECT_EQ(c.stock[static_cast<size_t>(EffectorKind::kMediumRangeMissile)], 0);
  EXPECT_FALSE(c.stock[static_cast<size_t>(EffectorKind::kGun)].has_value()) << "not named: unlimited";
  EXPECT_EQ(c.resupply_per_day[static_cast<size_t>(EffectorKind::kPatriot)], 2);

  Result<Scenario> none = ParseScenario(kBase, "n.yaml");
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->campaign.given);
  EXPECT_EQ(TempoOnDay(none->campaign, 9), 1.0) << "steady by default";
  EXPECT_EQ(CampaignTempo("surge", 1), 2.0);
  EXPECT_EQ(CampaignTempo("surge", 2), 1.5);
  EXPECT_EQ(CampaignTempo("surge", 9), 1.0);
  EXPECT_EQ(CampaignTempo("escalating", 1), 0.5);
  EXPECT_EQ(CampaignTempo("escalating", 3), 1.0);
  EXPECT_EQ(CampaignTempo("escalating", 30), 2.0);
  EXPECT_FALSE(CampaignTempo("blitz", 1).has_value());
}

struct ErrorCase {
  std::string label;
  std::string text;  // the whole file
  int line;
  std::string path;  // expected "FILE:LINE: PATH: " prefix
  std::string what;  // a fragment of the explanation
};

std::vector<ErrorCase> ErrorCases() {
  const std::string b = kBase;
  // A generated raid that fits kBase's 600 s (its windows squeezed by time_scale); callers close the map.
  const std::string gen =
      "generated_raids:\n  - {name: g, preset: ballistic_salvo, time_scale: 0.01, launch: {lat: 52, lon: 6}, "
      "aim_assets: [port]";
  const std::string gun =
      "  - {name: g, kind: gun, lat: 52.0, lon: 4.0, max_range_m: 3000, max_altitude_m: 2000, "
      "pk: {decoy: 0.5}, magazine: 5}\n";
  const std::string raid =
      "raids:\n  - {name: w, class: decoy, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, speed_mps: 45}\n";
  return {
      {"malformed yaml", b + "sensors:\n  - {name: r, kind: radar\n", 11, "(syntax)", "malformed YAML"},
      {"bad indentation", b + "sensors:\n  - name: r\n     kind: radar\n", 11, "(syntax)", "malformed YAML"},
      {"empty document", "", 1, "(top level)", "expected a map"},
      {"top level is a list", "- a\n- b\n", 1, "(top level)", "expected a map"},
      {"unknown top-level key", b + "radars: []\n", 9, "radars", "allowed keys here: name, description, origin"},
      {"unknown nested key", b + "sensors:\n  - name: r\n    kind: radar\n    lat: 52\n    lon: 4\n    colour: red\n",
       14, "sensors[0].colour", "allowed keys here: name, kind, lat"},
      {"second document", b + "---\nname: u\n", 9, "(syntax)", "expected one YAML document"},
      {"key given twice", b + "duration_s: 700\n", 9, "duration_s", "key given twice"},
      {"missing top-level field", "origin: {lat: 52.0, lon: 4.0}\nassets: []\n", 1, "name", "required field missing"},
      {"missing nested field",
       b + "effectors:\n  - name: g\n    kind: gun\n    lat: 52.0\n    lon: 4.0\n    max_altitude_m: 2000\n"
           "    pk: {decoy: 0.5}\n    magazine: 5\n",
       10, "effectors[0].max_range_m", "required field missing"},
      {"number expected", "name: t\norigin: {lat: 52.0, lon: 4.0}\nduration_s: ten\n", 3, "duration_s",
       "expected a number, got 'ten'"},
      {"number expected, got a list", b + "time_step_s: [1]\n", 9, "time_step_s", "expected a number, got a list"},
      {"bool expected",
       b + "raids:\n  - {name: w, class: decoy, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, "
           "speed_mps: 45, emits_rf: maybe}\n",
       10, "raids[0].emits_rf", "expected true or false"},
      {"whole number expected",
       b + "effectors:\n  - {name: g, kind: gun, lat: 52.0, lon: 4.0, max_range_m: 3000, "
           "max_altitude_m: 2000, pk: {decoy: 0.5}, magazine: 5.5}\n",
       10, "effectors[0].magazine", "expected a whole number"},
      {"latitude out of range", b + "sensors:\n  - name: r\n    kind: radar\n    lat: 95\n    lon: 4\n", 12,
       "sensors[0].lat", "between -90 and 90"},
      {"longitude out of range", "name: t\norigin: {lat: 52.0, lon: 200}\n", 2, "origin.lon", "between -180 and 180"},
      {"probability out of range",
       b + "effectors:\n" + gun +
           "  - {name: h, kind: gun, lat: 52.0, lon: 4.0, max_range_m: 3000, max_altitude_m: 2000, "
           "pk: {decoy: 0.5}, magazine: 5}\n"
           "  - name: j\n    kind: gun\n    lat: 52.0\n    lon: 4.0\n    max_range_m: 3000\n    max_altitude_m: 2000\n"
           "    pk:\n      decoy: 0.5\n      one_way_attack_drone: 1.5\n    magazine: 5\n",
       20, "effectors[2].pk.one_way_attack_drone", "between 0 and 1, got 1.5"},
      {"negative range", b + "sensors:\n  - {name: r, kind: radar, lat: 52, lon: 4, max_range_m: -5}\n", 10,
       "sensors[0].max_range_m", "must be > 0, got -5"},
      {"zero speed",
       b + "raids:\n  - {name: w, class: decoy, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, "
           "speed_mps: 0}\n",
       10, "raids[0].speed_mps", "must be > 0"},
      {"min above max",
       b + "effectors:\n  - name: g\n    kind: gun\n    lat: 52.0\n    lon: 4.0\n"
           "    min_range_m: 5000\n    max_range_m: 3000\n    max_altitude_m: 2000\n",
       14, "effectors[0].min_range_m", "must be below max_range_m"},
      {"count zero", b + "raids:\n  - name: w\n    class: decoy\n    count: 0\n", 12, "raids[0].count",
       "between 1 and"},
      {"duration not positive", "name: t\norigin: {lat: 52.0, lon: 4.0}\nduration_s: 0\n", 3, "duration_s", "> 0"},
      {"time step beyond duration", b + "time_step_s: 700\n", 9, "time_step_s", "must not exceed duration_s"},
      {"launch after the end", b + "raids:\n  - name: w\n    class: decoy\n    launch_window_s: [0, 900]\n", 12,
       "raids[0].launch_window_s[1]", "between 0 and 600"},
      {"unknown sensor kind", b + "sensors:\n  - name: r\n    kind: lidar\n", 11, "sensors[0].kind",
       "unknown sensor kind 'lidar'; allowed: radar, eoir, rf, acoustic, adsb"},
      {"unknown doctrine", b + "doctrine: yolo\n", 9, "doctrine", "allowed: naive, cost_aware, stockpile_aware"},
      {"unknown pk class",
       b + "effectors:\n  - name: g\n    kind: gun\n    lat: 52\n    lon: 4\n"
           "    max_range_m: 3000\n    max_altitude_m: 2000\n    pk:\n      tank: 0.5\n",
       17, "effectors[0].pk.tank", "unknown object class; allowed: unknown, bird"},
      {"unknown effector kind in a rule",
       b + "rules_of_engagement:\n  auto_release:\n    - {name: x, effectors: [gun, railgun], classes: [decoy]}\n", 11,
       "rules_of_engagement.auto_release[0].effectors[1]", "unknown effector kind 'railgun'"},
      {"unknown asset reference",
       b + "raids:\n  - name: w\n    class: decoy\n    launch: {lat: 52, lon: 3.5}\n"
           "    aim: {asset: harbour}\n",
       13, "raids[0].aim.asset", "unknown asset 'harbour'; assets are: port"},
      {"duplicate sensor names",
       b + "sensors:\n  - {name: r, kind: radar, lat: 52, lon: 4}\n"
           "  - {name: r, kind: eoir, lat: 52, lon: 4}\n",
       11, "sensors[1].name", "duplicate sensor name 'r'"},
      {"duplicate asset names", b + "  - {name: port, value: 1, lat: 52, lon: 4}\n", 9, "assets[1].name",
       "duplicate asset name 'port'"},
      {"bad icao24", b + "civil_traffic:\n  - callsign: X\n    icao24: 48450G\n    from: [52, 4]\n    to: [52.1, 4]\n",
       11, "civil_traffic[0].icao24", "6 hex digits"},
      {"adsb flight without address", b + "civil_traffic:\n  - {callsign: X, from: [52, 4], to: [52.1, 4]}\n", 10,
       "civil_traffic[0].icao24", "required field missing"},
      {"polygon too small",
       b + "rules_of_engagement:\n  no_fire_zones:\n    - name: z\n"
           "      polygon: [[52, 4], [52.1, 4]]\n",
       12, "rules_of_engagement.no_fire_zones[0].polygon", "at least 3"},
      {"far from origin", b + "sensors:\n  - {name: r, kind: radar, lat: 10, lon: 4}\n", 10, "sensors[0]",
       "km from the origin"},
      {"ballistic without apogee",
       b + "raids:\n  - {name: w, class: ballistic_missile, launch: {lat: 52, lon: 6}, "
           "aim: {asset: port}, speed_mps: 2000}\n",
       10, "raids[0].altitude.apogee_m", "apogee"},
      {"stockpile: unknown class",
       b + "stockpile:\n  expected_threats:\n    - {class: dragon, count: 2, value: 10}\n", 11,
       "stockpile.expected_threats[0].class", "unknown object class"},
      {"stockpile: negative count",
       b + "stockpile:\n  expected_threats:\n    - {class: decoy, count: -2, value: 10}\n", 11,
       "stockpile.expected_threats[0].count", ">= 0"},
      {"stockpile: unknown effector kind",
       b + "stockpile:\n  resupply_rounds: {patriot: 2, railgun: 4}\n", 10,
       "stockpile.resupply_rounds.railgun", "unknown effector kind"},
      // Threats, sensors and weather that behave like the real ones.
      {"unknown raid preset",
       b + "generated_raids:\n  - {name: g, preset: huge_night, launch: {lat: 52, lon: 6}, aim_assets: [port]}\n", 10,
       "generated_raids[0].preset", "unknown raid preset 'huge_night'; allowed: large_drone_night, combined_missile_strike"},
      {"generated raid: scale zero", b + gen + ", scale: 0}\n", 10, "generated_raids[0].scale", "> 0"},
      {"generated raid: windows longer than the scenario",
       b + "generated_raids:\n  - {name: g, preset: large_drone_night, launch: {lat: 52, lon: 6}, aim_assets: [port]}\n",
       10, "generated_raids[0].start_window_s", "attack windows last up to 75013 s"},
      {"generated raid: start after the end", b + gen + ", start_window_s: [0, 700]}\n", 10,
       "generated_raids[0].start_window_s[1]", "between 0 and 600"},
      {"generated raid: unknown asset",
       b + "generated_raids:\n  - {name: g, preset: ballistic_salvo, time_scale: 0.01, launch: {lat: 52, lon: 6}, "
           "aim_assets: [harbour]}\n",
       10, "generated_raids[0].aim_assets[0]", "unknown asset 'harbour'; assets are: port"},
      {"generated raid: no aim", b + "generated_raids:\n  - {name: g, preset: ballistic_salvo, time_scale: 0.01, "
           "launch: {lat: 52, lon: 6}, aim_assets: []}\n", 10, "generated_raids[0].aim_assets", "at least one asset"},
      {"generated raid: template of another class", b + gen + ", templates: {cruise_missile: shahed_136}}\n", 10,
       "generated_raids[0].templates.cruise_missile", "is a one_way_attack_drone, not a cruise_missile"},
      {"generated raid: launch area for a class it has not", b + gen + ", launch_by_class: {bird: {lat: 52, lon: 5}}}\n",
       10, "generated_raids[0].launch_by_class.bird", "unknown key; allowed keys here: one_way_attack_drone, decoy"},
      {"generated raid: name clash",
       b + "raids:\n  - {name: g/ballistic/port, class: decoy, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, "
           "speed_mps: 45}\n" + gen + "}\n", 12, "generated_raids[0].name",
       "makes a raid named 'g/ballistic/port', which exists already"},
      {"unknown threat template",
       b + "raids:\n  - {name: w, template: tomahawk, launch: {lat: 52, lon: 3.5}, aim: {asset: port}}\n", 10,
       "raids[0].template", "unknown threat template 'tomahawk'; allowed: shahed_136, gerbera, fpv"},
      {"raid without class or template",
       b + "raids:\n  - {name: w, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, speed_mps: 45}\n", 10,
       "raids[0].class", "required field missing (or give a template)"},
      {"terminal manoeuvre of a drone",
       b + "raids:\n  - {name: w, class: decoy, launch: {lat: 52, lon: 3.5}, aim: {asset: port}, speed_mps: 45, "
           "altitude: {terminal_manoeuvre_m: 100, terminal_manoeuvre_s: 5}}\n",
       10, "raids[0].altitude.terminal_manoeuvre_m", "only a ballistic_missile raid"},
      {"loitering ballistic missile",
       b + "raids:\n  - {name: w, template: iskander_m, launch: {lat: 52, lon: 6}, aim: {asset: port}, loiter_s: 60}\n",
       10, "raids[0].loiter_s", "neither loiters"},
      {"weather: zero visibility", b + "weather: {visibility_m: 0}\n", 9, "weather.visibility_m", "> 0"},
      {"weather: cloud cover without a base", b + "weather: {cloud_cover: 0.5}\n", 9, "weather.cloud_base_m",
       "needs a cloud_base_m"},
      {"network of radars",
       b + "sensors:\n  - {name: n, kind: radar, grid: {south_west: [52, 4], north_east: [52.1, 4.1], "
           "spacing_m: 1000}}\n",
       10, "sensors[0].grid", "only an acoustic sensor"},
      {"network with a site",
       b + "sensors:\n  - {name: n, kind: acoustic, lat: 52, lon: 4, nodes: [[52, 4], [52.01, 4], [52, 4.01]]}\n", 10,
       "sensors[0].lat", "leave out lat and lon"},
      {"network with too few nodes",
       b + "sensors:\n  - {name: n, kind: acoustic, nodes: [[52, 4], [52.01, 4]]}\n", 10, "sensors[0].min_nodes",
       "must not exceed the number of nodes (2), got 3"},
      {"network grid too large",
       b + "sensors:\n  - {name: n, kind: acoustic, grid: {south_west: [51.5, 3.5], north_east: [52.5, 4.5], "
           "spacing_m: 100}}\n",
       10, "sensors[0].grid", "at most 20000"},
      {"network grid upside down",
       b + "sensors:\n  - {name: n, kind: acoustic, grid: {south_west: [52.1, 4], north_east: [52, 4.1], "
           "spacing_m: 1000}}\n",
       10, "sensors[0].grid.north_east", "north and east of south_west"},
      {"min_nodes on a single sensor",
       b + "sensors:\n  - {name: n, kind: acoustic, lat: 52, lon: 4, min_nodes: 2}\n", 10, "sensors[0].min_nodes",
       "only for an acoustic network"},
      {"mask angle out of range", b + "sensors:\n  - {name: r, kind: radar, lat: 52, lon: 4, mask_angle_deg: 60}\n",
       10, "sensors[0].mask_angle_deg", "between -10 and 45"},
      {"campaign: unknown tempo", b + "campaign:\n  tempo: blitz\n", 10, "campaign.tempo",
       "unknown tempo 'blitz'; give a preset (steady, surge, escalating)"},
      {"campaign: negative multiplier", b + "campaign:\n  tempo: [1, -1]\n", 10, "campaign.tempo[1]",
       "between 0 and 100"},
      {"campaign: no days", b + "campaign:\n  days: 0\n", 10, "campaign.days", "between 1 and 3650"},
      {"campaign: unknown raid", b + raid + "campaign:\n  raid_days: {v: [1, 2]}\n", 12, "campaign.raid_days.v",
       "unknown raid; raids are: w"},
      {"campaign: days reversed", b + raid + "campaign:\n  raid_days:\n    w: [3, 2]\n", 13, "campaign.raid_days.w",
       "last day (2) must not be before the first (3)"},
      {"campaign: negative stock", b + "campaign:\n  stock: {patriot: -1}\n", 10, "campaign.stock.patriot",
       "between 0 and"},
      {"campaign: unknown munition", b + "campaign:\n  stock:\n    patriot: 4\n    railgun: 2\n", 12,
       "campaign.stock.railgun", "unknown effector kind"},
      {"campaign: resupply of an unlimited kind",
       b + "campaign:\n  stock: {gun: 5}\n  resupply_per_day: {patriot: 2}\n", 11,
       "campaign.resupply_per_day.patriot", "no stock (unlimited)"},
  };
}

TEST(ScenarioTest, ErrorsNameFileLineAndField) {
  for (const ErrorCase& c : ErrorCases()) {
    SCOPED_TRACE(c.label);
    Result<Scenario> r = ParseScenario(c.text, "bad.yaml");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), StartsWith("bad.yaml:" + std::to_string(c.line) + ": " + c.path + ": "));
    EXPECT_THAT(r.error().message(), HasSubstr(c.what));
  }
}

TEST(ScenarioTest, HostileInputDoesNotThrowOrCrash) {
  // Deep nesting, aliases, multiple documents, odd keys: each an error, none an exception.
  const std::vector<std::string> inputs = {
      std::string(5000, '[') + std::string(5000, ']'),
      "a: &x [*x]\n",
      "name: a\n---\nname: b\n",
      ",*xa\n -c: d\n",  // made yaml-cpp 0.7's LoadAll loop forever (found by the fuzzer)
      ",\n",
      "? [1, 2]\n: 3\n",
      "name: t\norigin: {lat: 52, lon: 4}\nassets: &a [{name: p, value: 1, lat: 52, lon: 4}]\nsensors: *a\n",
      std::string("name: \x00\xff\xfe", 10),
  };
  for (const std::string& text : inputs) {
    Result<Scenario> r = ParseScenario(text, "x.yaml");
    ASSERT_FALSE(r.has_value()) << text.substr(0, 60);
    EXPECT_THAT(r.error().message(), StartsWith("x.yaml:"));
  }
}

TEST(ScenarioTest, LoadReportsMissingFile) {
  Result<Scenario> r = LoadScenario("/nonexistent/koepel/scenario.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.error().message(), HasSubstr("/nonexistent/koepel/scenario.yaml"));
}

// Path length launch -> waypoints -> aim point, in the local plane.
double PathLength(const Raid& raid) {
  double length = 0.0;
  Vec2 at = raid.launch_position.head<2>();
  for (const Vec3& w : raid.waypoint_positions) {
    length += (w.head<2>() - at).norm();
    at = w.head<2>();
  }
  return length + (raid.aim_position.head<2>() - at).norm();
}

TEST(ScenarioTest, ReferenceScenariosLoadAndArriveInTime) {
  const std::filesystem::path dir = std::filesystem::path(KOEPEL_SOURCE_DIR) / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 2u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    Result<Scenario> r = LoadScenario(file.string());
    ASSERT_TRUE(r.has_value()) << r.status().ToString();
    const Scenario& s = *r;
    EXPECT_EQ(s.file, file.string());
    EXPECT_FALSE(s.sensors.empty());
    EXPECT_FALSE(s.effectors.empty());
    EXPECT_GT(s.expected_threats(), 0);
    for (const Raid& raid : s.raids) {
      SCOPED_TRACE(raid.name);
      // The last member launched reaches its aim point before the run ends (speed_mps is the
      // mean ground speed, so this is the geometry check the file's author must satisfy).
      const double arrival_s = raid.launch_end.seconds() + PathLength(raid) / raid.speed_mps;
      EXPECT_LT(arrival_s, s.duration.seconds());
    }
  }
}

TEST(ScenarioTest, RotterdamScenarioHasTheBriefedForce) {
  Result<Scenario> r = LoadScenario(std::string(KOEPEL_SOURCE_DIR) + "/scenarios/rotterdam_port_drone_swarm.yaml");
  ASSERT_TRUE(r.has_value()) << r.status().ToString();
  const Scenario& s = *r;
  EXPECT_EQ(s.doctrine, Doctrine::kCostAware);
  int drones = 0, decoys = 0;
  for (const Raid& raid : s.raids) {
    if (raid.object_class == ObjectClass::kOneWayAttackDrone) drones += raid.count;
    if (raid.object_class == ObjectClass::kDecoy) decoys += raid.count;
    // Launched over the North Sea, 60-80 km west of the port.
    EXPECT_LT(raid.launch_position.x(), -55000.0);
  }
  EXPECT_GE(drones, 35);
  EXPECT_GE(decoys, 15);
  int patriots = 0;
  for (const ScenarioEffector& e : s.effectors) patriots += e.effector.kind == EffectorKind::kPatriot ? 1 : 0;
  EXPECT_EQ(patriots, 1);
  EXPECT_FALSE(s.rules.rules.no_fire_zones.empty());
}

}  // namespace
}  // namespace koepel::sim
