#include "koepel/sim/raid_generator.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace koepel::sim {
namespace {

// Figures: ../shared/data/reference/effectors.md, threats table (row named in `source`); a value
// inside the published range. RCS, lethality (fraction of an asset's value one hit destroys),
// loiter, stand-off and manoeuvre figures are not in the table: notional.
constexpr std::array<ThreatTemplate, 8> kTemplates = {{
    {.name = "shahed_136",
     .source = "effectors.md: One-way attack drone, Shahed-136 / Geran-2 (20-70 k, ~50 m/s, ~60 m to a few km)",
     .object_class = ObjectClass::kOneWayAttackDrone,
     .speed_mps = 50.0,
     .altitude = {.cruise_altitude_m = 500.0, .terminal_dive_m = 2000.0},
     .unit_cost_eur = 35000.0,
     .radio_controlled = true,  // GNSS-dependent: open to jamming and spoofing (jammer row)
     .emits_rf = false,         // flies autonomously on GNSS/INS
     .rcs_m2 = 0.2,
     .lethality = 0.3},
    {.name = "gerbera",
     .source = "effectors.md: Decoy, Gerbera (~10 k, ~45 m/s, low)",
     .object_class = ObjectClass::kDecoy,
     .speed_mps = 45.0,
     .altitude = {.cruise_altitude_m = 200.0},
     .unit_cost_eur = 10000.0,
     .radio_controlled = true,
     .emits_rf = false,
     .rcs_m2 = 0.2,  // carries reflectors to look like a Shahed on radar
     .lethality = 0.0},
    {.name = "fpv",
     .source = "effectors.md: FPV drone (300-600, 25-40 m/s, very low, 10-20 km)",
     .object_class = ObjectClass::kSmallDrone,
     .speed_mps = 32.0,
     .altitude = {.cruise_altitude_m = 20.0, .terminal_dive_m = 200.0},
     .unit_cost_eur = 450.0,
     .radio_controlled = true,
     .emits_rf = true,  // video downlink and control uplink
     .rcs_m2 = 0.01,
     .lethality = 0.02},
    {.name = "quadcopter",
     .source = "effectors.md: Small quadcopter (reconnaissance) (1-20 k, 15-20 m/s, < 500 m, < 10 km)",
     .object_class = ObjectClass::kSmallDrone,
     .speed_mps = 17.0,
     .altitude = {.cruise_altitude_m = 150.0},
     .unit_cost_eur = 10000.0,
     .radio_controlled = true,
     .emits_rf = true,
     .rcs_m2 = 0.01,
     .lethality = 0.0,  // watches, does not strike
     .loiter_s = 600.0},
    {.name = "kalibr",
     .source = "effectors.md: Cruise missile, Kalibr (~6.5 M, ~250 m/s, 30-150 m over land, waypoints)",
     .object_class = ObjectClass::kCruiseMissile,
     .speed_mps = 250.0,
     .altitude = {.cruise_altitude_m = 50.0, .terminal_dive_m = 1000.0},
     .unit_cost_eur = 6500000.0,
     .rcs_m2 = 0.5,
     .lethality = 0.5},
    {.name = "kh_101",
     .source = "effectors.md: Cruise missile, Kh-101 (~13 M, ~200-250 m/s, 30 m to several km)",
     .object_class = ObjectClass::kCruiseMissile,
     .speed_mps = 225.0,
     .altitude = {.cruise_altitude_m = 50.0, .terminal_dive_m = 1000.0},
     .unit_cost_eur = 13000000.0,
     .rcs_m2 = 0.3,  // shaped for a low signature
     .lethality = 0.5},
    {.name = "iskander_m",
     .source = "effectors.md: Quasi-ballistic missile, Iskander-M (~3 M, ~2,000 m/s terminal, apogee ~50 km, "
               "terminal manoeuvre)",
     .object_class = ObjectClass::kBallisticMissile,
     .speed_mps = 2000.0,
     // A jink of 1.5 km over the last 25 s: ~5 g lateral at the peak.
     .altitude = {.apogee_m = 50000.0, .terminal_manoeuvre_m = 1500.0, .terminal_manoeuvre_s = 25.0},
     .unit_cost_eur = 3000000.0,
     .rcs_m2 = 0.5,
     .lethality = 0.8},
    {.name = "strike_aircraft",
     .source = "notional (no row in effectors.md): a manned strike aircraft releasing glide bombs 40 km out",
     .object_class = ObjectClass::kFixedWing,
     .speed_mps = 250.0,
     .altitude = {.cruise_altitude_m = 8000.0},
     .unit_cost_eur = 50000000.0,
     .rcs_m2 = 5.0,
     .lethality = 0.5,
     .standoff_m = 40000.0},
}};

// ---------------------------------------------------------------------------------------------
// Presets. Derived once from ../shared/data/ukraine-attacks/missile_attacks_daily.csv (see
// ../shared/standards/ukraine-attacks.md), with these rules, which raid_presets_test.cc applies again:
//  - rows whose `source` starts with "kpszsu" (the national Air Force reports), exact duplicates dropped;
//  - a raid is the rows with one (source, date of time_end);
//  - models map to categories as in the standards file §3: Shahed-136/131 (decoys included); cruise =
//    Kalibr, Iskander-K, X-59, X-59/X-69, X-69, X-59MK2, X-22, X-32, X-31, X-31P, X-35,
//    P-800 Oniks, 3M22 Zircon, Unknown Missile; ballistic = Iskander-M, Iskander-M/KN-23, KN-23,
//    X-47 Kinzhal, C-300, C-400, C-300/C-400, Ballistic Missile, Intercontinental Ballistic Missile;
//    other models (reconnaissance UAVs, guided bombs) are left out. A combined row ("A and B") is split
//    by its launched_details when given, counts as Shahed when it names a Shahed, else is split evenly;
//  - size = Shahed-type + cruise + ballistic launched; fractions are pooled (sum over the raids of a
//    category / sum of the sizes); the decoy share is 1 - sum(is_shahed) / sum(Shahed launched) over
//    the selected raids that report is_shahed;
//  - a window is time_end - time_start of a row that gives both clock times and names one category.

constexpr RaidPresetStatistics kLargeDroneNight{
    .preset = RaidPreset::kLargeDroneNight,
    .selection = "kpszsu raids with >= 300 Shahed-type drones launched (2025-2026)",
    .raids = 57,
    // Mean 489.3 launched per raid.
    .size = {320.246, 333.895, 357.86, 369.123, 385.632, 409.596, 421.807, 440.509, 452.456, 466.947,
             489.281, 498.825, 511.789, 528.807, 550.772, 570.596, 611.281, 630.158, 677.702, 759.035},
    .drone_fraction = 0.94396,
    .cruise_fraction = 0.0410168,
    .ballistic_fraction = 0.0150228,
    .decoy_share = 0.39371,  // 31 raids report is_shahed
    // Mean 14.66 h over 57 rows.
    .drone_window_h = {9.64912, 11.3158, 12.5, 12.9211, 13.0439, 13.8684, 14, 14, 14.4064, 14.8509,
                       15, 15, 15.0088, 15.5, 15.6316, 16, 16.2544, 17.1316, 17.9035, 19.2018},
    // Mean 9.31 h over 98 rows (many missile rows carry the whole night's report window).
    .cruise_window_h = {0.676871, 1.28571, 1.7483, 2.30612, 2.5034, 2.96599, 3, 3.08163, 4.13605, 7.83673,
                        13.2857, 14, 14.3776, 14.8673, 15, 15.1429, 15.5, 15.8265, 17.7959, 20.8367},
    // Mean 8.44 h over 63 rows.
    .ballistic_window_h = {0.166667, 0.201058, 0.417989, 0.92328, 1.59788, 2.1746, 2.97884, 3, 3.03704, 4.02116,
                           9.72222, 13.1984, 14.1005, 14.8307, 15, 15.381, 15.746, 16, 17.1746, 19.1111},
    .templates = {"shahed_136", "gerbera", "kh_101", "iskander_m"},
};

constexpr RaidPresetStatistics kCombinedMissileStrike{
    .preset = RaidPreset::kCombinedMissileStrike,
    .selection = "kpszsu raids with >= 40 cruise and ballistic missiles launched together (2022-2026)",
    .raids = 43,
    // Mean 270.9 launched per raid.
    .size = {42.5581, 52.093, 58.3256, 65.1628, 70, 74.8372, 89.5581, 99.8372, 117.326, 162.86,
             206.395, 238.535, 309.791, 410.302, 481.837, 515.279, 536.442, 564.395, 622.535, 700.07},
    .drone_fraction = 0.765044,
    .cruise_fraction = 0.199845,
    .ballistic_fraction = 0.0351103,
    .decoy_share = 0.412007,  // 10 raids report is_shahed
    // Mean 12.89 h over 26 rows.
    .drone_window_h = {5.11538, 6.19231, 7, 9.87179, 10.7949, 11.3077, 12.3846, 13, 13.2692, 13.8846,
                       14, 14, 14.6923, 15, 15.1923, 15.5, 15.9231, 16, 16.2692, 18.4231},
    // Mean 5.29 h over 78 rows.
    .cruise_window_h = {0.230769, 1.42308, 1.63248, 2, 2.23504, 2.48718, 3, 3, 3, 3,
                        3, 3, 3.30342, 4.37179, 5.44872, 5.9359, 7.38462, 14.5897, 15.7179, 21.0513},
    // Mean 5.58 h over 40 rows.
    .ballistic_window_h = {0.0833333, 0.208333, 0.833333, 1.58333, 2, 2.29167, 3, 3, 3, 3,
                           3, 3, 4, 5.75, 6.5, 7, 14.5, 15.25, 16, 17.5},
    .templates = {"shahed_136", "gerbera", "kh_101", "iskander_m"},
};

constexpr RaidPresetStatistics kBallisticSalvo{
    .preset = RaidPreset::kBallisticSalvo,
    .selection = "kpszsu raids of ballistic missiles alone, no Shahed-type drones or cruise missiles (2023-2026)",
    .raids = 18,
    // Mean 2.28 missiles per raid.
    .size = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2.88889, 3, 3, 3, 3.44444, 4, 4, 4.22222, 6},
    .ballistic_fraction = 1.0,
    // Mean 2.63 h over 13 rows; most salvos arrive within minutes, a few reports span the night.
    .ballistic_window_h = {0, 0, 0, 0, 0, 0, 0.282051, 0.333333, 0.333333, 0.333333,
                           0.371795, 0.5, 0.615385, 0.794872, 1.5, 1.5, 2.46154, 14, 14.5385, 15},
    .templates = {"shahed_136", "gerbera", "kh_101", "iskander_m"},
};

constexpr std::array<std::string_view, 4> kCategoryNames = {"drones", "decoys", "cruise", "ballistic"};

double Draw(const BinMeans& bins, Rng& rng) {
  return bins[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(bins.size()) - 1))];
}

double Max(const BinMeans& bins) { return *std::max_element(bins.begin(), bins.end()); }

}  // namespace

std::string_view RaidPresetName(RaidPreset p) {
  switch (p) {
    case RaidPreset::kLargeDroneNight:
      return "large_drone_night";
    case RaidPreset::kCombinedMissileStrike:
      return "combined_missile_strike";
    case RaidPreset::kBallisticSalvo:
      return "ballistic_salvo";
  }
  return "?";
}

std::optional<RaidPreset> RaidPresetFromName(std::string_view name) {
  for (int i = 0; i < kRaidPresetCount; ++i) {
    const auto p = static_cast<RaidPreset>(i);
    if (RaidPresetName(p) == name) return p;
  }
  return std::nullopt;
}

std::span<const ThreatTemplate> ThreatTemplates() { return kTemplates; }

const ThreatTemplate* FindThreatTemplate(std::string_view name) {
  for (const ThreatTemplate& t : kTemplates) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

void ApplyTemplate(const ThreatTemplate& t, Raid& raid) {
  raid.threat_template = std::string(t.name);
  raid.object_class = t.object_class;
  raid.speed_mps = t.speed_mps;
  raid.altitude = t.altitude;
  raid.unit_cost_eur = t.unit_cost_eur;
  raid.radio_controlled = t.radio_controlled;
  raid.emits_rf = t.emits_rf;
  raid.rcs_m2 = t.rcs_m2;
  raid.lethality = t.lethality;
  raid.loiter_s = t.loiter_s;
  raid.standoff_m = t.standoff_m;
}

const RaidPresetStatistics& PresetStatistics(RaidPreset preset) {
  switch (preset) {
    case RaidPreset::kLargeDroneNight:
      return kLargeDroneNight;
    case RaidPreset::kCombinedMissileStrike:
      return kCombinedMissileStrike;
    case RaidPreset::kBallisticSalvo:
      return kBallisticSalvo;
  }
  KOEPEL_UNREACHABLE("unknown raid preset");
}

std::array<double, 4> CategoryProbabilities(const RaidPresetStatistics& s) {
  return {s.drone_fraction * (1.0 - s.decoy_share), s.drone_fraction * s.decoy_share, s.cruise_fraction,
          s.ballistic_fraction};
}

Duration LongestWindow(const GeneratedRaidSpec& spec) {
  const RaidPresetStatistics& s = PresetStatistics(spec.preset);
  const std::array<double, 4> p = CategoryProbabilities(s);
  double hours = 0.0;
  if (p[0] + p[1] > 0) hours = std::max(hours, Max(s.drone_window_h));
  if (p[2] > 0) hours = std::max(hours, Max(s.cruise_window_h));
  if (p[3] > 0) hours = std::max(hours, Max(s.ballistic_window_h));
  return SecondsF(hours * 3600.0 * spec.time_scale);
}

std::vector<Raid> ExpandGeneratedRaid(const GeneratedRaidSpec& spec, std::span<const ScenarioAsset> assets,
                                      const geo::LocalFrame& frame, Rng& rng) {
  KOEPEL_CHECK(!spec.aim_assets.empty(), "a generated raid needs an aim asset");
  const RaidPresetStatistics& stats = PresetStatistics(spec.preset);
  std::vector<const ScenarioAsset*> aims;
  for (const std::string& name : spec.aim_assets) {
    auto it = std::find_if(assets.begin(), assets.end(), [&](const ScenarioAsset& a) { return a.asset.name == name; });
    KOEPEL_CHECK(it != assets.end(), "a generated raid aims at an asset the scenario does not have");
    aims.push_back(&*it);
  }

  // Size: a 5 % bin of the data, scaled, rounded up with the probability of its fraction (keeps the mean).
  const double size = Draw(stats.size, rng) * spec.scale;
  int64_t members = static_cast<int64_t>(std::floor(size));
  if (rng.Uniform() < size - static_cast<double>(members)) ++members;

  // Each member's category and aim: a multinomial split by the pooled fractions.
  const std::array<double, 4> p = CategoryProbabilities(stats);
  std::vector<std::array<int, 4>> counts(aims.size(), std::array<int, 4>{});
  for (int64_t m = 0; m < members; ++m) {
    const double u = rng.Uniform();
    size_t category = 0;
    double cumulative = p[0];
    while (category + 1 < p.size() && u >= cumulative) cumulative += p[++category];
    const auto aim = static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(aims.size()) - 1));
    ++counts[aim][category];
  }

  // Windows: drones and decoys share one (they fly together); all end together.
  const double drone_window_s = Draw(stats.drone_window_h, rng) * 3600.0 * spec.time_scale;
  const double cruise_window_s = Draw(stats.cruise_window_h, rng) * 3600.0 * spec.time_scale;
  const double ballistic_window_s = Draw(stats.ballistic_window_h, rng) * 3600.0 * spec.time_scale;
  const std::array<double, 4> window_s = {drone_window_s, drone_window_s, cruise_window_s, ballistic_window_s};
  std::array<bool, 4> present{};
  for (const auto& by_category : counts) {
    for (size_t c = 0; c < 4; ++c) present[c] = present[c] || by_category[c] > 0;
  }
  double longest_s = 0.0;
  for (size_t c = 0; c < 4; ++c) {
    if (present[c]) longest_s = std::max(longest_s, window_s[c]);
  }
  const double start_s = rng.Uniform(spec.start_earliest.seconds(), spec.start_latest.seconds());
  const double end_s = start_s + longest_s;

  std::vector<Raid> raids;
  for (size_t c = 0; c < 4; ++c) {
    const ThreatTemplate* t = FindThreatTemplate(spec.templates[c].empty() ? stats.templates[c] : spec.templates[c]);
    KOEPEL_CHECK(t != nullptr, "a generated raid names an unknown threat template");
    for (size_t a = 0; a < aims.size(); ++a) {
      if (counts[a][c] == 0) continue;
      Raid r;
      ApplyTemplate(*t, r);
      r.name = spec.name + "/" + std::string(kCategoryNames[c]) + "/" + aims[a]->asset.name;
      r.count = counts[a][c];
      r.launch_start = SecondsF(end_s - window_s[c]);
      r.launch_end = SecondsF(end_s);
      const LaunchArea& launch = spec.launch[c];
      r.launch_center = launch.center;
      r.launch_radius_m = launch.radius_m;
      r.launch_position = launch.position;
      r.aim_asset = aims[a]->asset.name;
      r.aim_position = aims[a]->asset.position;
      r.aim_spread_m = spec.aim_spread_m;
      if (r.object_class == ObjectClass::kCruiseMissile) {
        // Cruise missiles route around defences: one dog-leg off the straight line, up to a quarter
        // of the distance to either side.
        const Vec2 from = r.launch_position.head<2>();
        const Vec2 to = r.aim_position.head<2>();
        const Vec2 along = to - from;
        const Vec2 side(-along.y(), along.x());
        const Vec2 w = from + 0.5 * along + rng.Uniform(-0.25, 0.25) * side;
        const Vec3 local(w.x(), w.y(), r.altitude.cruise_altitude_m);
        geo::LatLonAlt geodetic = frame.ToGeodetic(Vec3(w.x(), w.y(), 0.0));
        geodetic.alt_m = r.altitude.cruise_altitude_m;
        r.waypoints.push_back(geodetic);
        r.waypoint_positions.push_back(local);
      }
      raids.push_back(std::move(r));
    }
  }
  return raids;
}

}  // namespace koepel::sim
