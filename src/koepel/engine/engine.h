// koepel/engine/engine.h
//
// The chain: one Step(time, inputs) runs the named stages in order over the ports.
//
//   fuse      detections -> tracks                  (tracking::Tracker)
//   identify  tracks -> identities                  (threat::Identifier)
//   assess    tracks -> ranked threats              (threat::AssessThreats)
//   warn      threats -> civil warnings             (warning::WarningDecider -> WarningSink)
//   assign    threats x effectors -> proposals      (wta::PlanEngagements)
//   approve   proposals + operator + ROE -> releases (wta::ApprovalWorkflow, ApprovalDesk)
//   act       releases -> orders                    (EffectorLink), magazines and channels booked
//
// The engine does not know whether it runs live, simulated or in bulk: time comes with the input,
// and every stage is timed by an injected monotonic counter (none: no timing), never the wall clock.
//
// Example:
//   Engine engine(config, {.store = &store, .bus = &bus, .warnings = &sink, .effectors = &link, .desk = &desk});
//   StepReport r = engine.Step(t, {.detections = detections, .outcomes = outcomes});
//
// Thread-safety: one Engine per thread. Determinism: equal inputs give equal outputs.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "koepel/model/model.h"
#include "koepel/ports/ports.h"
#include "koepel/threat/threat.h"
#include "koepel/tracking/tracking.h"
#include "koepel/warning/warning.h"
#include "koepel/wta/wta.h"

namespace koepel::engine {

enum class Stage { kFuse, kIdentify, kAssess, kWarn, kAssign, kApprove, kAct };
inline constexpr int kStageCount = 7;
std::string_view StageName(Stage s);

struct EngineConfig {
  geo::LocalFrame frame{geo::LatLonAlt{}};        // the local ENU frame of the defended area
  std::vector<Asset> assets;                      // what is defended
  std::vector<Effector> effectors;                // what can shoot
  std::vector<NamedRegion> warning_regions;       // where civil warnings go
  RulesOfEngagement rules;                        // hostile classes, auto-release rules, no-fire zones
  tracking::TrackerConfig tracker;
  threat::ThreatConfig threat;                    // hostile_classes are taken from `rules`
  warning::WarningConfig warning;
  wta::PlannerConfig planner;
  std::array<bool, kStageCount> stage_enabled{true, true, true, true, true, true, true};
  std::function<int64_t()> monotonic_ns;          // stage timer; empty: stages are not timed
};

// The ports an engine talks through. Any may be null (that output is dropped).
struct EnginePorts {
  ports::EventStore* store = nullptr;
  ports::Bus* bus = nullptr;
  ports::WarningSink* warnings = nullptr;
  ports::EffectorLink* effectors = nullptr;
  ports::ApprovalDesk* desk = nullptr;
};

// What an effector reports after an engagement.
struct EngagementOutcome {
  EngagementId engagement;
  bool kill = false;
  SimTime time;
};

struct StepInputs {
  std::span<const Detection> detections;
  std::span<const EngagementOutcome> outcomes;
};

struct StepReport {
  SimTime time;
  std::vector<Track> tracks;                      // identified, confirmed/coasting
  std::vector<Threat> threats;                    // ranked
  std::vector<Warning> warnings;                  // issued this step
  std::vector<Engagement> proposals;              // new this step
  std::vector<Engagement> orders;                 // released this step
  std::array<int64_t, kStageCount> stage_ns{};    // time spent in each stage (0 when untimed)
  int64_t total_ns = 0;
};

// Counters over the engine's life, for the run summary.
struct EngineTotals {
  int proposals = 0;
  int released_by_operator = 0;
  int denied = 0;
  int expired = 0;
  std::map<std::string, int> released_by_rule;   // rule name -> orders
};

class Engine {
 public:
  Engine(EngineConfig config, EnginePorts ports);

  StepReport Step(SimTime now, const StepInputs& inputs);

  // Operator actions outside a step.
  void DeclareIdentity(TrackId track, Affiliation affiliation, std::string reason);
  void HoldWarnings(const std::string& region_code);
  void ReleaseWarnings(const std::string& region_code);

  const std::vector<EffectorStatus>& effector_status() const { return status_; }
  const std::vector<Engagement>& engagements() const { return engagements_; }
  const EngineTotals& totals() const { return totals_; }
  const EngineConfig& config() const { return config_; }

 private:
  template <typename Fn>
  void RunStage(Stage stage, StepReport& report, Fn&& fn);
  void Log(SimTime t, Stage stage, std::string kind, std::string subject, std::string detail);
  void ApplyOutcomes(SimTime now, std::span<const EngagementOutcome> outcomes);
  void UpdateReloads(SimTime now);
  void Act(SimTime now, std::vector<Engagement> released, StepReport& report);
  std::vector<Engagement> Committed() const;
  Engagement* FindEngagement(EngagementId id);

  EngineConfig config_;
  EnginePorts ports_;
  tracking::Tracker tracker_;
  threat::Identifier identifier_;
  warning::WarningDecider warning_decider_;
  wta::ApprovalWorkflow approval_;
  IdSequence<EngagementId> engagement_ids_;
  std::vector<EffectorStatus> status_;            // same order as config_.effectors
  std::vector<Engagement> engagements_;           // every released engagement, sorted by id
  std::vector<TrackId> killed_tracks_;            // sorted; battle-damage assessed kills
  std::map<TrackId, Affiliation> affiliations_;   // last logged affiliation per live track
  std::map<TrackId, ObjectClass> threat_classes_; // every track ever assessed a threat: its latest class
  EngineTotals totals_;
};

}  // namespace koepel::engine
