// Whole-scenario tests: the two reference scenarios through the whole chain, outcomes checked
// against stated expectations (see each test's comment for the bound and why).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "koepel/adapters/geojson/geojson.h"
#include "koepel/sim/sim.h"

namespace koepel::sim {
namespace {

const std::string kSource = KOEPEL_SOURCE_DIR;

// Stated expectations. Observed on seeds 1-3 (2026-11-27): Rotterdam 3 lethal leakers of 40 drones,
// 51-52 of 60 threats defeated, first alert 1600-1700 s before the impacts it covered; Volkel 0
// leakers, all 26 defeated. The bounds keep a margin for model changes that are not regressions.
constexpr double kRotterdamMaxLeakers = 6;
constexpr double kRotterdamMinDefeatedShare = 0.75;
constexpr double kRotterdamMinLeadTimeS = 600;
constexpr double kVolkelMaxLeakers = 2;
// Undefended Volkel: every lethal threat hits. Observed: 20 impacts, all warned, lead 1084-1699 s.
constexpr double kVolkelUndefendedMinLeadTimeS = 300;

Scenario Load(const std::string& name) {
  Result<Scenario> s = LoadScenario(kSource + "/scenarios/" + name);
  KOEPEL_CHECK(s.has_value(), s.status().message());
  return *s;
}

std::vector<NamedRegion> SafetyRegions() {
  auto r = adapters::LoadTopoJsonRegions(kSource + "/data/nl/nl-vr-gm.topo.json", "vr_features",
                                         kSource + "/data/nl/vr_codes.csv");
  KOEPEL_CHECK(r.has_value(), r.status().message());
  return *r;
}

struct Outcome {
  RunResult run;
  Summary summary;
};

Outcome RunOnce(const Scenario& scenario, uint64_t seed) {
  RunOptions options;
  options.warning_regions = SafetyRegions();
  RunResult run = RunScenario(scenario, seed, 0, options);
  Summary summary = Summarise(scenario, seed, {run});
  return {std::move(run), std::move(summary)};
}

// Checks that hold in every scenario, for every seed: human control and the smart mix.
void ExpectSafeAndSensible(const Outcome& o) {
  EXPECT_EQ(o.summary.fratricide, 0.0) << "a civil or friendly object was engaged";
  int birds = 0;
  for (const ShotRecord& shot : o.run.shots) {
    EXPECT_FALSE(shot.true_object_protected) << shot.effector << " fired at a protected object";
    EXPECT_NE(shot.released_by, Release::kNone) << "a shot without a release";
    const bool expensive = shot.effector_kind == EffectorKind::kPatriot;
    EXPECT_FALSE(expensive && IsDrone(shot.true_class) && shot.cheaper_layer_had_window)
        << "PATRIOT fired at a drone while a cheaper layer had a window: " << shot.effector << " at "
        << FormatSimTime(shot.time);
    birds += shot.true_class == ObjectClass::kBird ? 1 : 0;
    if (shot.released_by == Release::kRule) {
      EXPECT_FALSE(shot.release_rule.empty()) << "rule release without a name";
    }
  }
  // Birds: the identification waits for a known velocity and several updates, and a track that
  // moves like a bird loses its hostile identity. One shot per run near a flock may still be
  // attributed to a bird by the simulator (a drone ghost next to the gulls); more is a regression.
  EXPECT_LE(birds, 1) << "shots at birds";
}

TEST(RotterdamScenarioTest, DroneSwarmFromTheSea) {
  const Scenario scenario = Load("rotterdam_port_drone_swarm.yaml");
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Outcome o = RunOnce(scenario, seed);
    ExpectSafeAndSensible(o);
    EXPECT_LE(o.summary.leakers, kRotterdamMaxLeakers);
    EXPECT_GE(o.summary.defeated, kRotterdamMinDefeatedShare * o.summary.threats_total);
    EXPECT_GT(o.summary.warnings_issued, 0.0);
    EXPECT_EQ(o.summary.impacts_unwarned, 0.0) << "a drone hit a region that had no alert in force";
    if (o.summary.lead_time_basis == "actual") {
      EXPECT_GE(o.summary.median_lead_time_s, kRotterdamMinLeadTimeS);
    }
    // PATRIOT is the last resort against drones: at most a round or two per raid of sixty.
    const auto patriot = o.summary.engagements.find("patriot");
    EXPECT_LE(patriot == o.summary.engagements.end() ? 0.0 : patriot->second.shots, 2.0);
    EXPECT_LT(o.summary.gospa_mean_m, 1500.0);
  }
}

TEST(VolkelScenarioTest, MixedRaidWithBallisticMissile) {
  const Scenario scenario = Load("volkel_mixed_raid.yaml");
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Outcome o = RunOnce(scenario, seed);
    ExpectSafeAndSensible(o);
    EXPECT_LE(o.summary.leakers, kVolkelMaxLeakers);
    EXPECT_GT(o.summary.warnings_issued, 0.0);
    EXPECT_EQ(o.summary.impacts_unwarned, 0.0);
    // The ballistic missile is the PATRIOT's job, and only PATRIOT's.
    bool patriot_at_ballistic = false;
    for (const ShotRecord& s : o.run.shots) {
      patriot_at_ballistic |= s.effector_kind == EffectorKind::kPatriot && s.true_class == ObjectClass::kBallisticMissile;
      if (s.true_class == ObjectClass::kBallisticMissile) {
        EXPECT_EQ(s.effector_kind, EffectorKind::kPatriot);
      }
    }
    EXPECT_TRUE(patriot_at_ballistic);
  }
}

TEST(VolkelScenarioTest, UndefendedEveryImpactIsWarnedInTime) {
  Scenario scenario = Load("volkel_mixed_raid.yaml");
  scenario.effectors.clear();
  const Outcome o = RunOnce(scenario, 1);
  EXPECT_TRUE(o.run.shots.empty());
  ASSERT_GE(o.run.impact_lead_times_s.size(), 15u) << "most lethal threats should hit an undefended base";
  EXPECT_EQ(o.run.impacts_unwarned, 0);
  for (double lead : o.run.impact_lead_times_s) EXPECT_GE(lead, kVolkelUndefendedMinLeadTimeS);
}

// A large drone night drawn from the preset and scaled to one base (scenarios/volkel_drone_night.yaml):
// ~24 threats over ~15 h against the layered defence that holds the 26-threat mixed raid. Observed on
// seed 1 (2026-11-28): 28 threats, all defeated, no shots at protected objects or birds. Spread over a
// night the defence is never saturated, so at most 2 lethal leakers (the mixed raid's bound).
TEST(VolkelScenarioTest, DroneNightFromThePreset) {
  const Scenario scenario = Load("volkel_drone_night.yaml");
  ASSERT_EQ(scenario.generated_raids.size(), 1u);
  int drones_and_decoys = 0;
  for (const Raid& r : scenario.raids) {
    EXPECT_TRUE(std::find(kRaidCategories.begin(), kRaidCategories.end(), r.object_class) != kRaidCategories.end());
    if (r.object_class == ObjectClass::kOneWayAttackDrone || r.object_class == ObjectClass::kDecoy) {
      drones_and_decoys += r.count;
    }
  }
  EXPECT_GE(drones_and_decoys, scenario.expected_threats() / 2) << "a drone night is mostly drones";
  const Outcome o = RunOnce(scenario, 1);
  ExpectSafeAndSensible(o);
  EXPECT_LE(o.summary.leakers, kVolkelMaxLeakers);
}

TEST(DeterminismTest, SameSeedSameJsonDifferentSeedDifferentRun) {
  const Scenario scenario = Load("volkel_mixed_raid.yaml");
  RunOptions options;
  options.warning_regions = SafetyRegions();
  const std::string a = SummaryToJson(Summarise(scenario, 11, {RunScenario(scenario, 11, 0, options)}));
  const std::string b = SummaryToJson(Summarise(scenario, 11, {RunScenario(scenario, 11, 0, options)}));
  const std::string c = SummaryToJson(Summarise(scenario, 12, {RunScenario(scenario, 12, 0, options)}));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(DoctrineTest, CostAwareSpendsLessThanNaiveWithNoMoreLeakers) {
  for (const char* name : {"rotterdam_port_drone_swarm.yaml", "volkel_mixed_raid.yaml"}) {
    SCOPED_TRACE(name);
    Scenario cost_aware = Load(name);
    cost_aware.doctrine = Doctrine::kCostAware;
    Scenario naive = cost_aware;
    naive.doctrine = Doctrine::kNaive;
    RunOptions options;
    options.warning_regions = SafetyRegions();
    const Summary smart = RunMonteCarlo(cost_aware, 5, 3, options);
    const Summary baseline = RunMonteCarlo(naive, 5, 3, options);
    // Observed (seed 5, 3 runs): Rotterdam 29 M EUR / 2.0 leakers vs naive 89 M EUR / 4.0;
    // Volkel 16 M EUR / 1.0 vs naive 82 M EUR / 2.3.
    EXPECT_LT(smart.defender_cost_eur, 0.5 * baseline.defender_cost_eur);
    EXPECT_LE(smart.leakers, baseline.leakers);
    std::printf("%s: cost-aware %.0f EUR, %.1f leakers; naive %.0f EUR, %.1f leakers\n", name,
                smart.defender_cost_eur, smart.leakers, baseline.defender_cost_eur, baseline.leakers);
  }
}

// Two waves (test/scenarios/volkel_two_waves.yaml): cruise missiles first, then a ballistic wave that
// intelligence expects and only PATRIOT can stop, with a magazine of 4. Stated expectation: the
// stockpile-aware doctrine fires no PATRIOT round at a cruise missile and keeps the magazine for the
// ballistic wave, and so lets fewer ballistic missiles through than the cost-aware doctrine, which
// (observed 2026-11-28, seeds 1-3) fires 1-3 PATRIOT rounds at cruise-missile leakers.
TEST(DoctrineTest, StockpileAwareKeepsPatriotRoundsForTheExpectedBallisticWave) {
  Result<Scenario> loaded = LoadScenario(kSource + "/test/scenarios/volkel_two_waves.yaml");
  ASSERT_TRUE(loaded.has_value()) << loaded.status().message();
  struct Tally {
    int patriot_at_cruise = 0;
    int patriot_at_ballistic = 0;
    double ballistic_leakers = 0;
  };
  auto run_all = [&](Doctrine doctrine) {
    Scenario s = *loaded;
    s.doctrine = doctrine;
    Tally tally;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      const RunResult run = RunScenario(s, seed, 0, RunOptions{});
      for (const ShotRecord& shot : run.shots) {
        if (shot.effector_kind != EffectorKind::kPatriot) continue;
        tally.patriot_at_cruise += shot.true_class == ObjectClass::kCruiseMissile;
        tally.patriot_at_ballistic += shot.true_class == ObjectClass::kBallisticMissile;
      }
      for (const ThreatOutcome& t : run.threats) {
        tally.ballistic_leakers += t.object_class == ObjectClass::kBallisticMissile && t.leaked;
      }
    }
    return tally;
  };
  const Tally stockpile = run_all(Doctrine::kStockpileAware);
  const Tally cost = run_all(Doctrine::kCostAware);
  EXPECT_EQ(stockpile.patriot_at_cruise, 0);
  EXPECT_GE(stockpile.patriot_at_ballistic, 3 * 3) << "at least 3 of the 4 rounds a run at the ballistic wave";
  EXPECT_GT(cost.patriot_at_cruise, 0) << "the scenario no longer shows the dilemma";
  EXPECT_LT(stockpile.ballistic_leakers, cost.ballistic_leakers);
}

}  // namespace
}  // namespace koepel::sim
