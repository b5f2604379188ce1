// IWYU pragma: private, include "koepel/sim/sim.h"
// Threat templates (defaults for a raid of one kind of threat, from the reference figures) and
// raid presets (a whole attack drawn from the Ukrainian Air Force statistics).
//
// Example:
//   GeneratedRaidSpec spec{.name = "night", .preset = RaidPreset::kLargeDroneNight, .scale = 0.05, ...};
//   Rng rng = Rng::ForComponent(seed, 0, "generated:night");
//   std::vector<Raid> raids = ExpandGeneratedRaid(spec, assets, frame, rng);
//
// The presets' numbers were derived once from ../shared/data/ukraine-attacks/missile_attacks_daily.csv
// (statistics named beside each number in raid_generator.cc); test/check_cases/raid_presets_test.cc
// recomputes them from the file and checks that generated raids reproduce them.
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "koepel/sim/scenario.h"

namespace koepel::sim {

// Defaults for a raid of one kind of threat, from ../shared/data/reference/effectors.md (a value
// inside the published range). RCS, lethality and manoeuvre figures are notional.
struct ThreatTemplate {
  std::string_view name;              // the scenario spelling, e.g. "shahed_136"
  std::string_view source;            // where the figures come from
  ObjectClass object_class = ObjectClass::kUnknown;
  double speed_mps = 0.0;
  AltitudeProfile altitude;
  double unit_cost_eur = 0.0;
  bool radio_controlled = false;
  bool emits_rf = false;
  double rcs_m2 = 0.1;
  double lethality = 1.0;
  double loiter_s = 0.0;
  double standoff_m = 0.0;
};

std::span<const ThreatTemplate> ThreatTemplates();
const ThreatTemplate* FindThreatTemplate(std::string_view name);  // null: no such template
// Sets every field the template covers (class, speed, altitude, cost, RF, RCS, lethality, loiter, stand-off).
void ApplyTemplate(const ThreatTemplate& t, Raid& raid);

// A distribution as 20 equally likely values, each the mean of 5 % of the sorted data: its mean is
// the data's mean, its spread the data's to within the 5 % bins.
using BinMeans = std::array<double, 20>;

// What a preset reproduces, as derived from the data.
struct RaidPresetStatistics {
  RaidPreset preset = RaidPreset::kLargeDroneNight;
  std::string_view selection;         // which raids of the data the preset summarises
  int raids = 0;                      // how many raids that selection holds
  BinMeans size{};                    // launched per raid: Shahed-type (decoys included) + cruise + ballistic
  double drone_fraction = 0.0;        // pooled share of Shahed-type drones (decoys included) in the total
  double cruise_fraction = 0.0;
  double ballistic_fraction = 0.0;
  double decoy_share = 0.0;           // decoys among the Shahed-type launches
  BinMeans drone_window_h{};          // reported attack window of the category's rows, hours
  BinMeans cruise_window_h{};
  BinMeans ballistic_window_h{};
  std::array<std::string_view, 4> templates;  // threat template by kRaidCategories
};

const RaidPresetStatistics& PresetStatistics(RaidPreset preset);

// Probability that one member of the preset's raid is of kRaidCategories[i].
std::array<double, 4> CategoryProbabilities(const RaidPresetStatistics& stats);

// The longest attack window the spec can draw (after time_scale).
Duration LongestWindow(const GeneratedRaidSpec& spec);

// Draws one raid: size (times scale, rounded at random so the mean is kept), each member's category
// and aimed asset, one attack window per category (all ending together; members launch uniformly in
// their window). Returns one raid per (category, asset) with members, named NAME/CATEGORY/ASSET, with
// the category's template applied; cruise missiles get a dog-leg waypoint. Assets must exist.
std::vector<Raid> ExpandGeneratedRaid(const GeneratedRaidSpec& spec, std::span<const ScenarioAsset> assets,
                                      const geo::LocalFrame& frame, Rng& rng);

}  // namespace koepel::sim
