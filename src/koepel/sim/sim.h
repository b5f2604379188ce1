// koepel/sim/sim.h
//
// The simulated world and the runs over it. A run is a pure function of (scenario, seed): threats
// fly their routes, sensors produce noisy detections with misses and false alarms, civil aircraft
// fly, the engine (the same one that runs live) decides, a simulated operator approves, and
// outcomes are drawn from the effectors' Pk against the objects' true classes. Leakers hit assets.
//
// Example:
//   KOEPEL_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario("scenarios/volkel_mixed_raid.yaml"));
//   RunResult run = RunScenario(scenario, /*seed=*/7, /*run_index=*/0, options);
//   Summary summary = Summarise(scenario, 7, {run});
//
// Determinism: every random draw comes from a stream derived from (seed, run index, component
// name); the same inputs give the same RunResult, bit for bit.
// Thread-safety: runs share nothing mutable (each owns its engine, world and random streams), so
// replicates run on worker threads (ForEachRun, RunMonteCarlo) and are collected by run index: a
// summary does not depend on the number of threads.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "koepel/engine/engine.h"
#include "koepel/sim/raid_generator.h"  // IWYU pragma: export
#include "koepel/sim/scenario.h"  // IWYU pragma: export

namespace koepel::sim {

// One shot, with the truth behind it (what the engine could not know).
struct ShotRecord {
  EngagementId engagement;
  SimTime time;
  std::string effector;
  EffectorKind effector_kind = EffectorKind::kGun;
  TrackId track;
  ObjectClass tracked_class = ObjectClass::kUnknown;  // what the engine believed
  ObjectClass true_class = ObjectClass::kUnknown;     // what it was (kUnknown: a false track)
  bool true_object_protected = false;                 // civil or friendly: fratricide
  bool cheaper_layer_had_window = false;              // a cheaper effector could have engaged at that time
  std::string cheaper_option;                         // the first such effector, by name
  double cost_eur = 0.0;
  Release released_by = Release::kNone;
  std::string release_rule;
  bool kill = false;
};

// The outcome of one simulated object that was a threat.
struct ThreatOutcome {
  ObjectId object;
  std::string raid;
  ObjectClass object_class = ObjectClass::kUnknown;
  double unit_cost_eur = 0.0;
  bool defeated = false;
  bool leaked = false;         // reached its target (decoys included)
  double damage = 0.0;         // value destroyed
  SimTime end_time;
};

struct RunResult {
  uint64_t seed = 0;
  int run_index = 0;
  std::vector<ThreatOutcome> threats;
  std::vector<ShotRecord> shots;
  std::vector<Warning> warnings;                 // everything the warning stage emitted
  // For every lethal threat that hit the ground inside a warning region: seconds from the alert
  // that was in force for that region to the impact; impacts with no alert in force are counted.
  std::vector<double> impact_lead_times_s;
  int impacts_unwarned = 0;
  std::map<std::string, double> damage_by_asset; // asset name -> value destroyed
  double gospa_mean_m = 0.0;
  std::vector<double> step_latency_ms;           // wall time of each engine step (empty when untimed)
  // Where the run's wall time went (when timed): each engine stage, and the simulator's own work
  // (moving the world, sensing, outcomes, scoring), in ms over the whole run.
  std::array<double, engine::kStageCount> stage_ms{};
  double world_ms = 0.0;
  engine::EngineTotals totals;
  std::vector<ports::Event> events;              // the audit trail (when RunOptions::keep_events)
  int civil_objects = 0;
  std::map<std::string, int> threats_by_class;   // raid members of this run (its raids may be redrawn)
};

struct RunOptions {
  std::vector<NamedRegion> warning_regions;      // empty: no civil warnings
  std::function<int64_t()> monotonic_ns;         // step timer; empty: latency not measured
  bool keep_events = false;
  // Extra observers of the engine (recorders, a live map). Null: none.
  ports::Bus* bus = nullptr;
  ports::WarningSink* warning_sink = nullptr;
  // Real feeds replayed beside the simulated sensors (their detections join each step's scan).
  // A source is consumed by the run: give a fresh one to every run.
  std::vector<ports::DetectionSource*> detection_sources;
};

// The engine configuration a scenario implies.
engine::EngineConfig MakeEngineConfig(const Scenario& scenario, std::vector<NamedRegion> warning_regions);

RunResult RunScenario(const Scenario& scenario, uint64_t seed, int run_index, const RunOptions& options);

// Where the raids of one simulated raid come from: the scenario's own (empty function), or a raid
// generator. `day` is the campaign day (1-based; 0 for `koepel run`). Called from worker threads:
// it must be a pure function of its arguments.
using RaidSource = std::function<std::vector<Raid>(const Scenario& scenario, int day, uint64_t seed, int run_index)>;

// Calls run(i) for every i in [0, count) on up to `threads` worker threads (1: on the calling
// thread), each index exactly once, and progress(done) after each completion (serialised, from the
// thread that finished). run(i) must not touch another index's state; results go to slot i.
void ForEachRun(int count, int threads, const std::function<void(int index)>& run,
                const std::function<void(int done)>& progress = {});

// ---------------------------------------------------------------------------------------------
// Statistics over runs

// A mean over runs with its 95 % confidence interval, mean +- half_width (Student t with
// samples - 1 degrees of freedom). half_width is 0 with fewer than two samples.
struct Estimate {
  double mean = 0.0;
  double half_width = 0.0;
  int samples = 0;
};
// The 0.975 quantile of Student's t with `degrees_of_freedom` >= 1 (12.706 for 1, 1.960 as it grows).
double StudentT975(int degrees_of_freedom);
Estimate MeanEstimate(std::span<const double> samples);
// The ratio of means sum(num) / sum(den) over paired per-run samples, with the delta-method
// interval of a ratio estimator; 0 (and no interval) when the denominators sum to 0.
Estimate RatioEstimate(std::span<const double> num, std::span<const double> den);

// Figures over one or more runs (means where runs > 1).
struct EffectorTally {
  double shots = 0.0;
  double kills = 0.0;
  double cost_eur = 0.0;
};
struct Summary {
  std::string scenario;
  uint64_t seed = 0;
  int runs = 0;
  std::string doctrine;
  int threats_total = 0;
  std::map<std::string, int> threats_by_class;
  double defeated = 0.0;
  double leakers = 0.0;                          // lethal threats that reached their target
  std::map<std::string, double> leakers_by_class;  // every class that reached its target, decoys too
  double asset_damage = 0.0;
  std::map<std::string, double> damage_by_asset;
  double fratricide = 0.0;                       // shots at civil or friendly objects
  std::map<std::string, EffectorTally> engagements;  // by effector kind
  double defender_cost_eur = 0.0;
  double attacker_cost_defeated_eur = 0.0;
  double cost_exchange_ratio = 0.0;              // attacker cost defeated / defender cost (0 when nothing spent)
  double warnings_issued = 0.0;
  double median_lead_time_s = 0.0;               // alert to actual impact; to predicted impact when none hit
  std::string lead_time_basis = "predicted";     // "actual" or "predicted"
  double impacts_warned = 0.0;
  double impacts_unwarned = 0.0;
  double gospa_mean_m = 0.0;
  double latency_p50_ms = 0.0;
  double latency_p99_ms = 0.0;
  bool latency_measured = false;
  std::map<std::string, double> time_ms_by_stage;  // mean per run, engine stages and "world" (when measured)
  double orders_by_operator = 0.0;
  std::map<std::string, double> orders_by_rule;
  double expensive_shots_at_drones_with_cheaper_window = 0.0;

  // 95 % confidence intervals of the means above, over runs (half width 0 for one run).
  Estimate leakers_ci;
  Estimate asset_damage_ci;
  Estimate defender_cost_ci;
  Estimate cost_exchange_ratio_ci;                // ratio estimator over runs
  Estimate lead_time_ci;                          // mean warning lead time (s), same basis as the median
  std::map<std::string, Estimate> shots_ci;       // by effector kind
  // Distributions, for reports: lethal leakers of each run (by run index) and every lead time.
  std::vector<double> leakers_per_run;
  std::vector<double> defender_cost_per_run;
  std::vector<double> attacker_cost_defeated_per_run;
  std::vector<double> lead_times_s;
};

Summary Summarise(const Scenario& scenario, uint64_t seed, const std::vector<RunResult>& runs);

struct MonteCarloOptions {
  int runs = 1;
  int threads = 1;                                 // worker threads (capped by runs)
  RaidSource raids;                                // empty: the scenario's raids
  std::function<void(int done)> progress;          // after each finished run (serialised)
};
// Runs replicates 0..runs-1 of (scenario, seed) and summarises them. With threads > 1, `options`
// must not name observers (bus, warning sink, detection sources): they are not thread-safe.
Summary RunMonteCarlo(const Scenario& scenario, uint64_t seed, const MonteCarloOptions& mc, const RunOptions& options);
Summary RunMonteCarlo(const Scenario& scenario, uint64_t seed, int runs, const RunOptions& options);
// A RaidSource that draws every `generated_raids` entry anew for each replicate (and campaign day)
// from a stream of (seed, run index, day, entry name), so Monte-Carlo runs sample the preset's sizes,
// mixes and windows instead of replaying the one raid the file's seed drew. Written raids are kept;
// in a campaign both go through CampaignDayRaids (tempo and raid_days).
RaidSource RedrawGeneratedRaids();
// The scenario of one replicate: the raids of `source` (when set) in place of the scenario's.
Scenario ScenarioForRun(const Scenario& scenario, const RaidSource& source, int day, uint64_t seed, int run_index);

// The summary as JSON text (stable key order, fixed rounding) and as a readable report.
std::string SummaryToJson(const Summary& summary);
std::string SummaryToText(const Summary& summary);
// A self-contained HTML page (inline SVG plots, no scripts, nothing fetched): the summary with its
// intervals, the leakers distribution, cost per defeated threat by layer, the cost-exchange ratio per
// run and the warning lead times.
std::string SummaryToHtml(const Summary& summary);

// ---------------------------------------------------------------------------------------------
// Campaigns: a scenario's raids day after day against a depot stock that carries over, with
// industrial resupply, for several doctrines side by side.
//
// One day is one simulated raid through the whole chain (RunScenario) with that day's raids (by
// default: the scenario's raids flying that day, counts times the day's tempo). Every munition kind
// with a stock (campaign.stock) is limited: at the start of a day the depot's rounds are loaded into
// that kind's effectors, evenly, up to each one's magazine (an effector that reloads takes any
// number; it fires them without reload pauses), the rest stays in the depot. The rounds fired are
// subtracted, so the stock never goes negative; a kind with no rounds left fires nothing. The day's
// resupply arrives at its end. Assets are repaired overnight: every day starts at full value.
// The stockpile-aware doctrine is told what the campaign plan (the scenario's raids by day) still
// holds from today on, and the rounds it can count on: the depot's plus the resupply still to come.
//
// Determinism: day d of replicate r has the same seed for every doctrine, so doctrines are compared
// on the same raids; results are collected by (doctrine, replicate), whatever the thread count.

struct CampaignOptions {
  int days = 1;
  int runs = 1;                        // independent replicates of the whole campaign
  int threads = 1;                     // worker threads over (doctrine, replicate)
  std::vector<Doctrine> doctrines = {Doctrine::kNaive, Doctrine::kCostAware, Doctrine::kStockpileAware};
  RaidSource raids;                    // empty: CampaignDayRaids
  std::vector<NamedRegion> warning_regions;
  std::function<void(int done)> progress;  // after each finished (doctrine, replicate) campaign
};

// One day of one replicate. Stock arrays are by EffectorKind; for unlimited kinds only `used` counts.
struct CampaignRunDay {
  int day = 0;
  int threats = 0;                     // launched that day
  int leakers = 0;                     // lethal threats that reached their target
  int defeated = 0;
  double damage = 0.0;
  double cost_eur = 0.0;
  double attacker_cost_defeated_eur = 0.0;
  std::array<int64_t, kEffectorKindCount> start{};      // depot stock at the start of the day
  std::array<int64_t, kEffectorKindCount> used{};       // rounds fired
  std::array<int64_t, kEffectorKindCount> remaining{};  // after the day's firing, before resupply
  std::array<int64_t, kEffectorKindCount> resupply{};   // arrived at the end of the day
  std::map<std::string, EffectorTally> engagements;     // by effector kind (counts, not means)
  std::vector<double> lead_times_s;                     // warning lead times of the day's impacts
};

// Means over replicates for one day.
struct CampaignDay {
  int day = 0;
  double threats = 0.0;
  double defeated = 0.0;
  Estimate leakers;
  Estimate damage;
  Estimate cost_eur;
  std::array<double, kEffectorKindCount> start{};
  std::array<double, kEffectorKindCount> used{};
  std::array<double, kEffectorKindCount> remaining{};
  std::array<double, kEffectorKindCount> resupply{};
};

// When a limited munition ran out (remaining 0 after a day's firing).
struct StockOut {
  std::vector<int> day_per_run;        // the first such day of each replicate; 0: never
  double fraction_of_runs = 0.0;       // replicates in which it ran out
  std::optional<int> median_day;       // the day by which half the replicates had run out; none: later or never
};

struct DoctrineCampaign {
  Doctrine doctrine = Doctrine::kCostAware;
  std::vector<std::vector<CampaignRunDay>> runs;  // [replicate][day - 1]
  std::vector<CampaignDay> days;
  std::array<std::optional<StockOut>, kEffectorKindCount> stock_out;  // limited kinds only
  // Over the whole campaign, per replicate, with 95 % intervals.
  Estimate leakers;
  Estimate damage;
  Estimate cost_eur;
  Estimate cost_exchange_ratio;        // ratio estimator over replicates
  double attacker_cost_defeated_eur = 0.0;
  std::map<std::string, EffectorTally> engagements;  // means per campaign, by effector kind
  std::vector<double> lead_times_s;    // pooled over every day and replicate
};

struct CampaignResult {
  std::string scenario;
  uint64_t seed = 0;
  int days = 0;
  int runs = 0;
  std::vector<double> tempo;           // the multiplier of each day
  std::string tempo_preset;            // its preset, or empty
  std::array<std::optional<int64_t>, kEffectorKindCount> stock{};
  std::array<int64_t, kEffectorKindCount> resupply_per_day{};
  std::vector<DoctrineCampaign> doctrines;  // in CampaignOptions::doctrines order
};

// The default raids of a campaign day: the scenario's raids flying on `day` (campaign.raid_days),
// each count times the day's tempo, rounded (a raid rounded to 0 stays home).
std::vector<Raid> CampaignDayRaids(const Scenario& scenario, int day);
// The seed of campaign day `day` (the same for every doctrine).
uint64_t CampaignDaySeed(uint64_t seed, int day);
// Splits `stock` rounds over effectors with these capacities (-1: any number) as evenly as the
// capacities allow, in order; what does not fit stays out of the result's sum.
std::vector<int64_t> AllocateRounds(int64_t stock, const std::vector<int64_t>& capacity);

CampaignResult RunCampaign(const Scenario& scenario, uint64_t seed, const CampaignOptions& options);

// JSON (stable key order, fixed rounding), a readable side-by-side table, and an HTML report with
// the stock curves per munition and doctrine.
std::string CampaignToJson(const CampaignResult& result);
std::string CampaignToText(const CampaignResult& result);
std::string CampaignToHtml(const CampaignResult& result);

}  // namespace koepel::sim
