// IWYU pragma: private, include "koepel/sim/sim.h"
// The scenario: everything a simulated (or planned) engagement needs, as plain values. Loaded
// from YAML by LoadScenario(), which validates every field and reports file:line: field on error.
// Geodetic inputs are converted to the scenario's local ENU frame (origin) on load; the geodetic
// originals are kept for output (maps, CoT, CAP).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/model/model.h"
#include "koepel/wta/wta.h"

namespace koepel::sim {

struct ScenarioAsset {
  Asset asset;                        // position/footprint in the local frame
  geo::LatLonAlt location;            // centre, geodetic
};

// What the weather does to EO/IR sensors (the other kinds are modelled as all-weather).
struct Weather {
  // Meteorological visibility. The sensors' figures hold in clear air (kClearVisibilityM); less
  // visibility lowers the EO/IR detection probability with range (see sensors.cc).
  double visibility_m = kClearVisibilityM;
  double cloud_base_m = 0.0;          // 0: no cloud
  double cloud_cover = 0.0;           // fraction of the sky covered; hides targets above the base
  static constexpr double kClearVisibilityM = 23000.0;
};

struct ScenarioSensor {
  SensorId id;
  std::string name;
  SensorKind kind = SensorKind::kRadar;
  geo::LatLonAlt location;
  Vec3 position = Vec3::Zero();       // local frame
  double min_range_m = 0.0;
  double max_range_m = 20000.0;
  double range_sigma_m = 10.0;        // radar: range noise; eoir/rf/acoustic: unused (bearings only)
  double bearing_sigma_rad = 0.002;   // azimuth and elevation noise
  double position_sigma_m = 30.0;     // adsb: reported position noise
  double detection_probability = 0.9; // per scan, for a reference target inside range
  double reference_rcs_m2 = 0.1;      // radar: RCS at which detection_probability holds at max range
  Duration scan_period = Seconds(1);
  double false_alarms_per_scan = 0.0; // mean clutter detections per scan, uniform over the coverage
  bool reports_class = false;         // sends a class label with its detections (EO/IR, micro-Doppler)
  double class_accuracy = 0.8;        // probability the label is right, when reports_class
  // Site masking by terrain, trees and buildings: nothing below this elevation angle is seen
  // (radar, EO/IR, RF). Unset: only the 4/3-earth horizon masks.
  std::optional<double> mask_angle_rad;
  Weather weather;                    // EO/IR only: the scenario's weather (copied on load)
  // Acoustic network: many cheap nodes, each hearing to max_range_m with detection_probability;
  // the network reports a position fix (noise position_sigma_m) of an object heard by at least
  // min_nodes nodes in one scan. Empty: a single sensor at `position`.
  std::vector<Vec3> nodes;            // local frame, z = height_m
  int min_nodes = 3;
};

struct ScenarioEffector {
  Effector effector;                  // position in the local frame
  geo::LatLonAlt location;
};

// How a raid's members fly.
struct AltitudeProfile {
  double cruise_altitude_m = 100.0;   // above the ground (flat earth inside the local frame)
  double terminal_dive_m = 0.0;       // horizontal distance before the aim point where a dive starts; 0: none
  double apogee_m = 0.0;              // ballistic only
  // Ballistic only: a lateral jink in the last terminal_manoeuvre_s before impact that takes the
  // missile up to terminal_manoeuvre_m off its ballistic path and back onto its aim (quasi-ballistic).
  double terminal_manoeuvre_m = 0.0;
  double terminal_manoeuvre_s = 0.0;
};

struct Raid {
  std::string name;
  ObjectClass object_class = ObjectClass::kOneWayAttackDrone;
  int count = 1;
  Duration launch_start;              // from scenario start
  Duration launch_end;
  geo::LatLonAlt launch_center;
  double launch_radius_m = 0.0;
  Vec3 launch_position = Vec3::Zero();    // local frame
  std::optional<std::string> aim_asset;   // a defended asset's name...
  std::optional<geo::LatLonAlt> aim_point;// ...or a point
  Vec3 aim_position = Vec3::Zero();       // local frame (resolved on load)
  double aim_spread_m = 50.0;             // 1-sigma scatter of each member's aim point
  double speed_mps = 50.0;
  AltitudeProfile altitude;
  double unit_cost_eur = 0.0;
  bool radio_controlled = false;      // vulnerable to jamming
  bool emits_rf = false;              // visible to RF detectors
  double rcs_m2 = 0.1;
  double lethality = 1.0;             // fraction of the asset's value destroyed by one hit
  std::vector<geo::LatLonAlt> waypoints;  // optional, flown before the aim point
  std::vector<Vec3> waypoint_positions;
  std::string threat_template;        // the template (ThreatTemplates()) its defaults came from; may be empty
  double loiter_s = 0.0;              // hovers over its aim point this long before the end (quadcopters)
  // Manned aircraft: releases a stand-off weapon this far before its aim point, which hits the aim at
  // that moment; the carrier leaves the picture there. 0: flies onto the aim.
  double standoff_m = 0.0;
};

// A raid drawn on load from a preset of the Ukrainian Air Force statistics (raid_generator.h) and
// expanded into ordinary raids, one per (threat category, aimed asset).
enum class RaidPreset { kLargeDroneNight, kCombinedMissileStrike, kBallisticSalvo };
inline constexpr int kRaidPresetCount = 3;
std::string_view RaidPresetName(RaidPreset p);  // "large_drone_night", the scenario spelling
std::optional<RaidPreset> RaidPresetFromName(std::string_view name);

// The threat categories of a generated raid, in this order.
inline constexpr std::array<ObjectClass, 4> kRaidCategories = {
    ObjectClass::kOneWayAttackDrone, ObjectClass::kDecoy, ObjectClass::kCruiseMissile, ObjectClass::kBallisticMissile};

struct LaunchArea {
  geo::LatLonAlt center;
  Vec3 position = Vec3::Zero();       // local frame
  double radius_m = 0.0;
};

struct GeneratedRaidSpec {
  std::string name;
  RaidPreset preset = RaidPreset::kLargeDroneNight;
  double scale = 1.0;                 // multiplies the raid's size (a Dutch site does not see 800 drones)
  double time_scale = 1.0;            // multiplies the attack windows; 1 keeps the data's time spread
  Duration start_earliest;            // the raid starts uniformly in [earliest, latest]
  Duration start_latest;
  std::array<LaunchArea, 4> launch;   // by kRaidCategories
  std::array<std::string, 4> templates;  // threat template by kRaidCategories
  std::vector<std::string> aim_assets;   // each member aims at one of these, uniformly
  double aim_spread_m = 100.0;
};

struct CivilFlight {
  std::string callsign;
  uint32_t icao24 = 0;
  bool broadcasts_adsb = true;
  bool friendly = false;              // military friend: answers IFF
  geo::LatLonAlt from;
  geo::LatLonAlt to;
  Vec3 from_position = Vec3::Zero();
  Vec3 to_position = Vec3::Zero();
  Duration start;
  double speed_mps = 200.0;
  double altitude_m = 3000.0;
  double rcs_m2 = 20.0;
  ObjectClass object_class = ObjectClass::kFixedWing;
};

// A flock of birds wandering over an area: real radar returns that must never be engaged.
struct BirdFlock {
  std::string name;
  int count = 10;
  geo::LatLonAlt center;
  Vec3 center_position = Vec3::Zero();  // local frame
  double radius_m = 2000.0;             // the birds stay within this distance of the centre
  double altitude_m = 100.0;
  double speed_mps = 12.0;
  double rcs_m2 = 0.01;
};

// Rules of engagement as written in the file; polygons also kept geodetic for output.
struct ScenarioRules {
  RulesOfEngagement rules;                            // no-fire zones in the local frame
  std::vector<std::vector<geo::LatLonAlt>> no_fire_zone_polygons;  // same order, geodetic
};

// The simulated operator at the approval desk.
struct OperatorModel {
  Duration reaction_time = Seconds(5);  // from proposal to decision
  double approval_probability = 1.0;    // chance a valid proposal is approved
};

struct WarningSettings {
  std::string regions = "safety_regions";  // safety_regions | municipalities | none
  double min_probability = 0.2;            // alert a region when P(impact in it) exceeds this
};

// What the stockpile-aware doctrine is told to expect before resupply (see wta::StockpileOutlook).
struct StockpileSettings {
  std::vector<wta::ExpectedThreats> expected_threats;
  std::array<double, kEffectorKindCount> resupply_rounds{};  // by EffectorKind
  bool given = false;                                       // the scenario has a stockpile section
};

// A campaign of simulated days (koepel campaign): which raids fly on which day and how many, the
// depot stock of each munition (by effector kind) and what industry delivers each day.
struct RaidDays {
  std::string raid;                   // a raid's name
  int first = 1;                      // the days it flies, 1-based, inclusive
  int last = 1;
};
struct CampaignSettings {
  bool given = false;                 // the scenario has a campaign section
  int days = 0;                       // campaign length; 0: not set (the command line gives it)
  std::string tempo_preset = "steady";  // a preset (see CampaignTempo), or empty when `tempo` lists multipliers
  std::vector<double> tempo;          // multiplier of every raid's count by day (the last value repeats)
  std::vector<RaidDays> raid_days;    // raids not listed fly every day
  // Rounds in the depot on day 1, by EffectorKind; a kind with no stock is unlimited (each raid
  // starts with every effector's full magazine, as a single run does).
  std::array<std::optional<int64_t>, kEffectorKindCount> stock{};
  std::array<int64_t, kEffectorKindCount> resupply_per_day{};  // rounds arriving at the end of each day
};
// The tempo presets: steady (1 every day), surge (2, 1.5, then 1), escalating (0.5 rising by 0.25 a
// day to 2). The multiplier on day `day` (1-based); nullopt for an unknown preset.
std::optional<double> CampaignTempo(std::string_view preset, int day);
// The multiplier on `day` under the campaign's settings (its list, else its preset).
double TempoOnDay(const CampaignSettings& campaign, int day);
inline constexpr const char* kTempoPresets = "steady, surge, escalating";

struct Scenario {
  std::string name;
  std::string description;
  std::string file;                   // where it was loaded from
  geo::LatLonAlt origin;
  Duration duration = Seconds(600);
  Duration time_step = Seconds(1);
  uint64_t seed = 1;
  Doctrine doctrine = Doctrine::kCostAware;
  std::vector<ScenarioAsset> assets;
  std::vector<ScenarioSensor> sensors;
  std::vector<ScenarioEffector> effectors;
  std::vector<Raid> raids;
  std::vector<CivilFlight> civil_traffic;
  std::vector<BirdFlock> birds;
  std::vector<GeneratedRaidSpec> generated_raids;  // as written; their raids are in `raids`
  Weather weather;
  ScenarioRules rules;
  OperatorModel operator_model;
  WarningSettings warning;
  StockpileSettings stockpile;
  CampaignSettings campaign;
  int expected_threats() const;
};

// Loads and validates a scenario. Errors: kInvalidArgument with "FILE:LINE: FIELD: what is wrong".
Result<Scenario> LoadScenario(const std::string& path);
// The same from text; `file` names it in messages.
Result<Scenario> ParseScenario(const std::string& yaml_text, const std::string& file);

}  // namespace koepel::sim
