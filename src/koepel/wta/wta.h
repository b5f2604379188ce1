// koepel/wta/wta.h
//
// Weapon-target assignment: the engine's assign and approve stages.
//
//   FindWindow        when (and whether) one effector can engage one threat: intercept geometry,
//                     envelope, magazine/reload, fire channels, no-fire zones, the threat's time to go.
//   PlanEngagements   the dynamic planner the engine calls every step: windows -> a static WTA problem
//                     priced by doctrine -> greedy + local search -> explained proposals.
//   ApprovalWorkflow  proposals -> released (operator or auto-release rule), denied or expired.
//   Static WTA        F(x) = sum_j V_j prod_i (1-p_ij)^x_ij + sum_i c_i sum_j x_ij, sum_j x_ij <= m_i:
//                     Objective, SolveGreedy, SolveLocalSearch, SolveExact, and the instance parser of
//                     ../shared/data/wta (ParseWtaInstance).
//
// Example:
//   IdSequence<EngagementId> ids;
//   wta::Plan plan = wta::PlanEngagements(input, wta::PlannerConfig{}, ids);
//   wta::ApprovalWorkflow approval(roe);
//   wta::ApprovalStep step = approval.Step(now, plan.proposals, decisions, tracks);
//   for (const Engagement& e : step.released) ...;   // orders
//
// Determinism: every function is a pure function of its inputs (the local search's budget is
// counted in move evaluations, not wall time), ties are broken by input order / id. The only
// exceptions are SolveLocalSearchWallClock and SolveExactWallClock, which stop on the clock.
// Errors: only ParseWtaInstance reads outside bytes; it returns a located error.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/model/model.h"

namespace koepel::wta {

// ---------------------------------------------------------------------------------------------
// Engagement windows

struct EngagementWindow {
  EffectorId effector;
  TrackId track;
  SimTime open;            // earliest launch time whose intercept lies inside the envelope
  SimTime close;           // latest launch time that still intercepts before the threat reaches its asset/impact
  SimTime intercept_time;  // intercept if launched at `open`
  Vec3 intercept_point = Vec3::Zero();
  double pk = 0.0;         // single-shot Pk against the threat's class at that point
};

// Intercept geometry: the threat moves on a constant-velocity path from the track state (a
// ballistic missile with gravity); the interceptor flies straight at interceptor_speed_mps from
// the effector position (speed 0: instantaneous effect, intercept = launch + dwell_time).
// The window is the set of launch times >= max(now, ready) whose intercept lies inside the envelope
// (min/max slant range, min/max altitude at the intercept point), outside every no-fire zone
// (kinetic effectors only) and no later than now + threat.time_to_go. Ready: rounds_left > 0 now,
// or the reload completes (status.reload_done) for an empty magazine with reload_time > 0.
// No window when: no free fire channel, no rounds and no reload coming, Pk 0 against the class,
// time_to_go <= 0, or no intercept satisfies the envelope.
std::optional<EngagementWindow> FindWindow(const Effector& effector, const EffectorStatus& status,
                                           const Track& track, const Threat& threat, SimTime now,
                                           std::span<const NoFireZone> no_fire_zones);
// The same, with a short human-readable reason when there is no window ("out of range",
// "magazine empty", ...). Used by the planner's explanations.
struct WindowResult {
  std::optional<EngagementWindow> window;
  std::string why_not;  // empty when a window exists
};
WindowResult FindWindowExplained(const Effector& effector, const EffectorStatus& status, const Track& track,
                                 const Threat& threat, SimTime now, std::span<const NoFireZone> no_fire_zones);

// ---------------------------------------------------------------------------------------------
// The dynamic planner

// What intelligence expects before industry resupplies: the stockpile-aware doctrine prices a scarce
// round at what it would save against these later threats.
struct ExpectedThreats {
  ObjectClass object_class = ObjectClass::kUnknown;
  double count = 0.0;  // over the whole campaign until resupply, those already seen included
  double value = 0.0;  // value at risk per threat, in asset value units (PlannerConfig::value_to_eur)
};
struct StockpileOutlook {
  std::vector<ExpectedThreats> expected;
  std::array<double, kEffectorKindCount> resupply_rounds{};  // rounds by EffectorKind arriving before then
};

struct PlannerConfig {
  Doctrine doctrine = Doctrine::kCostAware;  // how a shot is priced (see PlanEngagements)
  double value_to_eur = 1.0e6;         // EUR per unit of threat value (asset values are in M EUR in scenarios)
  Duration time_budget = Milliseconds(5);  // local-search budget per step (counted in move evaluations)
  bool shoot_look_shoot = true;        // keep a later, dearer layer for leakers instead of salvoing now
  double stock_horizon_raids = 3.0;    // stockpile-aware, no outlook: expected further raids like the one seen now
  std::optional<StockpileOutlook> outlook;  // stockpile-aware: the expected later threats (see PlanEngagements)
  Duration proposal_lead = Seconds(10);  // propose shots whose window opens within this time from now
  Duration look_time = Seconds(10);      // shoot-look-shoot: time to assess a shot and release the next one
  double adequate_pk_ratio = 0.7;        // a cheaper layer with at least this share of a dearer one's Pk holds it
  double sufficient_kill_probability = 0.95;  // a track whose committed engagements reach this Pk is not re-engaged
  uint64_t seed = 1;                   // local-search perturbation seed (results are reproducible)
};

struct PlanInput {
  SimTime now;
  std::span<const Track> tracks;            // identified tracks
  std::span<const Threat> threats;          // ranked, with value (same unit as asset values)
  std::span<const Effector> effectors;
  std::span<const EffectorStatus> status;   // same order as effectors
  std::span<const Engagement> committed;    // approved / in-flight engagements (already spending Pk and channels)
  std::span<const NoFireZone> no_fire_zones;
  // Engagements that ended (kKill, kMiss). A soft-kill effector (jammer, dazzler) that missed a
  // track is not proposed on it again: soft kill works or not by the target's make (an anti-jam
  // receiver, no camera), so repeating it buys nothing.
  std::span<const Engagement> finished;
  // Distinct threats seen so far in the campaign, by ObjectClass: they are no longer "to come".
  std::array<int, kObjectClassCount> threats_seen{};
};

struct Plan {
  std::vector<Engagement> proposals;  // state kProposed, ordered by track id then effector id
  std::string summary;                // one line: counts, doctrine, expected value saved, cost
};

// Proposals for this step. Never against a protected affiliation (civil/friend/neutral, on the
// threat or on its track). Prices per shot by doctrine:
//   naive            cost ignored: each threat gets one shot from the capable effector with the best
//                    Pk (ties: the closest), whenever one can fire.
//   cost_aware       price_i = cost_per_shot_eur.
//   stockpile_aware  price_i = c_i + lambda_i, lambda_i = s_k * vbar_i, where for effector kind k
//                    s_k = max(0, 1 - R_k / ((1 + stock_horizon_raids) * d_k)) is the shortfall of the
//                    rounds left of that kind (R_k) against the expected demand (d_k = threats with
//                    a window for that kind now), and vbar_i the mean value one round of effector i saves
//                    now (mean over its threats of V_j p_ij): a scarce round is priced at what it
//                    would save in a later raid.
//                    With an outlook (intelligence on the threats to come before resupply), instead
//                    lambda_k = P(N_k >= R_k) * v_k: each expected class c not yet seen goes to the
//                    cheapest kind whose Pk is adequate (as layer discipline will assign it), needing
//                    1/p_kc rounds a kill; N_k ~ Poisson(d_k), d_k = sum (count_c - seen_c) / p_kc, is the
//                    rounds of kind k those threats will demand, R_k the rounds left plus resupply, and
//                    v_k = sum (count_c - seen_c) V_c / d_k the value one of those rounds saves. A round
//                    spent now costs what the R_k-th round would have saved: something only when the
//                    later demand reaches it.
// A shot is proposed only when its marginal expected value saved exceeds its price (except naive).
// With shoot_look_shoot, an effector is held back from a threat while a cheaper effector with
// capacity has a window on it and the dearer one's window stays open after the cheaper intercept.
// Committed engagements (kApproved, kInFlight) lower the threat's remaining value; kApproved ones
// also hold a round and a channel (kInFlight ones are assumed already counted in status).
Plan PlanEngagements(const PlanInput& input, const PlannerConfig& config, IdSequence<EngagementId>& ids);

// ---------------------------------------------------------------------------------------------
// Approval

struct ApprovalStep {
  std::vector<Engagement> released;  // state kApproved, released_by set
  std::vector<Engagement> denied;    // state kDenied
  std::vector<Engagement> expired;   // state kExpired (window closed, or superseded)
  std::vector<Engagement> open;      // still waiting for a decision
};

class ApprovalWorkflow {
 public:
  // `withdraw_after`: how long an open proposal survives while the re-plan no longer proposes it
  // (a plan may flicker for a step; a proposal the planner has dropped for longer is stale).
  explicit ApprovalWorkflow(RulesOfEngagement rules, Duration withdraw_after = Seconds(3));
  // `proposals` is the whole of this step's plan. In order:
  //  1. merge: a new proposal for an open (track, effector) pair replaces it and keeps its id, so an
  //     operator's decision on it still applies; surplus open ones for that pair expire as superseded;
  //     open ones not re-proposed for longer than withdraw_after are withdrawn;
  //  2. expire proposals whose window closed;
  //  3. deny those whose track is now protected (civil/friend/neutral) or gone, whatever was decided;
  //  4. apply operator decisions: deny at once; an approval is kept with the proposal;
  //  5. release what is approved (by the operator, or by a matching operator-enabled rule:
  //     released_by kRule, release_rule its name; an empty kind/class list matches any), but only
  //     while this step's plan still proposes it: an approval never fires an outdated plan.
  // Decisions naming no open proposal are ignored. Every outcome appends its reason.
  ApprovalStep Step(SimTime now, std::vector<Engagement> proposals, std::span<const OperatorDecision> decisions,
                    std::span<const Track> tracks);
  const std::vector<Engagement>& open() const { return open_; }

 private:
  RulesOfEngagement rules_;
  Duration withdraw_after_;
  std::vector<Engagement> open_;                        // waiting, by id
  std::vector<SimTime> last_proposed_;                  // parallel to open_
  std::vector<std::optional<OperatorDecision>> approval_;  // parallel to open_
};

// ---------------------------------------------------------------------------------------------
// Static WTA (the benchmark form, issue 5). Instance format: ../shared/data/wta/README.md.

struct WtaProblem {
  int weapons = 0;
  int targets = 0;
  std::vector<double> value;  // V_j, size targets
  std::vector<double> cost;   // c_i per shot, size weapons
  std::vector<int> magazine;  // m_i, size weapons
  std::vector<double> pk;     // p_ij, weapons x targets, row-major (row = weapon)
  double p(int i, int j) const { return pk[static_cast<size_t>(i) * static_cast<size_t>(targets) + static_cast<size_t>(j)]; }
};

struct WtaSolution {
  std::vector<int> shots;  // x_ij, weapons x targets, row-major
  double objective = 0.0;
  double bound = 0.0;      // a valid lower bound on the optimum (0 when none was computed)
  bool proven_optimal = false;
  double time_ms = 0.0;    // measured, for reports only (never steers the search)
  std::string solver;      // "greedy", "local_search", ...
};

// F(x) for a shot matrix of the problem's shape (KOEPEL_CHECKs the shape).
double Objective(const WtaProblem& problem, const std::vector<int>& shots);
// Maximal marginal return: repeatedly fires the shot with the largest V_j q_j p_ij - c_i while it is
// positive (with costs, also the variant that ranks by return per unit of cost; the better is kept).
WtaSolution SolveGreedy(const WtaProblem& problem);
// Greedy, then best-improvement moves per weapon, each evaluated in O(1) from cached survival
// products and each weapon's best targets: add (a free round), drop, relocate, and ejection chains
// of length two (fire at k, move one of k's shots on to l or drop it; l = the freed target is a
// swap), to a local optimum; then iterated local search (ruin a few shots, recreate them greedily
// elsewhere, descend; threshold acceptance) while the budget lasts. The budget is converted to a
// count of move evaluations (about kEvaluationsPerMillisecond), so the result depends only on
// inputs and seed.
WtaSolution SolveLocalSearch(const WtaProblem& problem, Duration budget, uint64_t seed);
inline constexpr int64_t kEvaluationsPerMillisecond = 25'000;  // measured: 20 ms budget -> ~20 ms at 200x200 on the dev box
// The same search stopped by the wall clock after `time_limit` (greedy included): for callers that
// promise a response time (the `koepel wta` command). Not reproducible across machines or loads.
WtaSolution SolveLocalSearchWallClock(const WtaProblem& problem, Duration time_limit, uint64_t seed);
// Exact: Lagrangian relaxation of the magazine constraints (per-target columns solved exactly,
// deflected Polyak subgradient multipliers warm-started from the incumbent's marginal returns) inside
// a depth-first branch and bound over the weapons, started from the local search. proven_optimal
// when the search completes (to 1e-9 relative); otherwise the best solution found and the root
// Lagrangian bound. The budget is a count of work units (reproducible).
WtaSolution SolveExact(const WtaProblem& problem, Duration budget);
// The same stopped by the wall clock after `time_limit` (incumbent search included); for the
// `koepel wta` command. Not reproducible across machines or loads.
WtaSolution SolveExactWallClock(const WtaProblem& problem, Duration time_limit);

// Parses the text instance format; errors name the file, line and what was expected.
Result<WtaProblem> ParseWtaInstance(std::string_view text, const std::string& file);

}  // namespace koepel::wta
