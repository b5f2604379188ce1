#include "koepel/engine/engine.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace koepel::engine {

std::string_view StageName(Stage s) {
  static constexpr std::array<std::string_view, kStageCount> kNames = {"fuse", "identify", "assess", "warn",
                                                                       "assign", "approve", "act"};
  return kNames[static_cast<size_t>(s)];
}

namespace {

threat::ThreatConfig WithRules(threat::ThreatConfig config, const RulesOfEngagement& rules) {
  config.hostile_classes = rules.hostile_classes;
  return config;
}

std::string ReleaseText(const Engagement& e) {
  if (e.released_by == Release::kRule) return "rule '" + e.release_rule + "'";
  if (e.released_by == Release::kOperator) return "operator";
  return "nobody";
}

}  // namespace

Engine::Engine(EngineConfig config, EnginePorts ports)
    : config_(std::move(config)),
      ports_(ports),
      tracker_(config_.tracker),
      identifier_(WithRules(config_.threat, config_.rules)),
      warning_decider_(config_.warning, config_.warning_regions, config_.frame),
      approval_(config_.rules) {
  config_.threat = WithRules(config_.threat, config_.rules);
  for (const Effector& e : config_.effectors) {
    status_.push_back(EffectorStatus{.id = e.id, .rounds_left = e.magazine, .busy_channels = 0,
                                     .reload_done = SimTime::Max()});
  }
}

template <typename Fn>
void Engine::RunStage(Stage stage, StepReport& report, Fn&& fn) {
  if (!config_.stage_enabled[static_cast<size_t>(stage)]) return;
  const int64_t start = config_.monotonic_ns ? config_.monotonic_ns() : 0;
  fn();
  if (config_.monotonic_ns) report.stage_ns[static_cast<size_t>(stage)] = config_.monotonic_ns() - start;
}

void Engine::Log(SimTime t, Stage stage, std::string kind, std::string subject, std::string detail) {
  if (ports_.store == nullptr) return;
  ports_.store->Append(ports::Event{t, std::string(StageName(stage)), std::move(kind), std::move(subject),
                                    std::move(detail)});
}

StepReport Engine::Step(SimTime now, const StepInputs& inputs) {
  StepReport report;
  report.time = now;
  const int64_t step_start = config_.monotonic_ns ? config_.monotonic_ns() : 0;

  ApplyOutcomes(now, inputs.outcomes);
  UpdateReloads(now);

  RunStage(Stage::kFuse, report, [&] {
    tracking::TrackerOutput out = tracker_.Step(now, inputs.detections);
    report.tracks = std::move(out.tracks);
    for (TrackId id : out.confirmed) Log(now, Stage::kFuse, "track_confirmed", "track " + id.ToString(), "");
    for (TrackId id : out.deleted) {
      Log(now, Stage::kFuse, "track_deleted", "track " + id.ToString(), "");
      affiliations_.erase(id);
    }
  });

  RunStage(Stage::kIdentify, report, [&] {
    report.tracks = identifier_.Identify(now, std::move(report.tracks));
    // The audit trail records every change of affiliation with the identifier's reason.
    for (const Track& t : report.tracks) {
      auto [it, inserted] = affiliations_.try_emplace(t.id, Affiliation::kPending);
      if (t.identity.affiliation == it->second) continue;
      it->second = t.identity.affiliation;
      Log(now, Stage::kIdentify, "affiliation", "track " + t.id.ToString(),
          fmt::format("{} {} ({:.0f}%): {}", AffiliationName(t.identity.affiliation),
                      ObjectClassName(t.identity.object_class), 100.0 * t.identity.class_confidence,
                      t.identity.reason));
    }
  });

  RunStage(Stage::kAssess, report, [&] {
    std::vector<Threat> threats = threat::AssessThreats(now, report.tracks, config_.assets, config_.threat);
    // A track assessed as killed is no longer a threat, even while the tracker still coasts it.
    std::erase_if(threats, [&](const Threat& t) {
      return std::binary_search(killed_tracks_.begin(), killed_tracks_.end(), t.track);
    });
    for (size_t i = 0; i < threats.size(); ++i) threats[i].rank = static_cast<int>(i) + 1;
    report.threats = std::move(threats);
  });

  RunStage(Stage::kWarn, report, [&] {
    report.warnings = warning_decider_.Decide(now, report.threats);
    for (const Warning& w : report.warnings) {
      Log(now, Stage::kWarn, std::string("warning_") + std::string(WarningKindName(w.kind)),
          "region " + w.region_code, w.reason);
      if (ports_.warnings != nullptr) ports_.warnings->Emit(w);
    }
  });

  std::vector<Engagement> released;
  RunStage(Stage::kAssign, report, [&] {
    const std::vector<Engagement> committed = Committed();
    std::vector<Engagement> finished;
    for (const Engagement& e : engagements_) {
      if (e.state == EngagementState::kMiss || e.state == EngagementState::kKill) finished.push_back(e);
    }
    wta::PlanInput input{.now = now,
                         .tracks = report.tracks,
                         .threats = report.threats,
                         .effectors = config_.effectors,
                         .status = status_,
                         .committed = committed,
                         .no_fire_zones = config_.rules.no_fire_zones,
                         .finished = finished};
    for (const Threat& t : report.threats) {
      if (t.affiliation == Affiliation::kHostile || t.affiliation == Affiliation::kSuspect) {
        threat_classes_[t.track] = t.object_class;
      }
    }
    for (const auto& [track, object_class] : threat_classes_) ++input.threats_seen[static_cast<size_t>(object_class)];
    wta::Plan plan = wta::PlanEngagements(input, config_.planner, engagement_ids_);
    report.proposals = std::move(plan.proposals);
    totals_.proposals += static_cast<int>(report.proposals.size());
    for (const Engagement& e : report.proposals) {
      Log(now, Stage::kAssign, "proposal", "engagement " + e.id.ToString(), e.reason);
    }
  });

  RunStage(Stage::kApprove, report, [&] {
    std::vector<OperatorDecision> decisions;
    if (ports_.desk != nullptr) {
      std::vector<Engagement> open = approval_.open();
      for (const Engagement& e : report.proposals) open.push_back(e);
      decisions = ports_.desk->Review(now, open, report.tracks);
    }
    wta::ApprovalStep step = approval_.Step(now, report.proposals, decisions, report.tracks);
    for (const Engagement& e : step.denied) {
      ++totals_.denied;
      Log(now, Stage::kApprove, "denied", "engagement " + e.id.ToString(), e.reason);
    }
    for (const Engagement& e : step.expired) {
      ++totals_.expired;
      Log(now, Stage::kApprove, "expired", "engagement " + e.id.ToString(), e.reason);
    }
    released = std::move(step.released);
  });

  RunStage(Stage::kAct, report, [&] { Act(now, std::move(released), report); });

  if (config_.monotonic_ns) report.total_ns = config_.monotonic_ns() - step_start;
  if (ports_.bus != nullptr) {
    std::vector<Engagement> changed = report.proposals;
    changed.insert(changed.end(), report.orders.begin(), report.orders.end());
    ports_.bus->Publish(ports::Picture{now, report.tracks, report.threats, std::move(changed), report.warnings});
  }
  return report;
}

void Engine::Act(SimTime now, std::vector<Engagement> released, StepReport& report) {
  for (Engagement& e : released) {
    auto it = std::find_if(config_.effectors.begin(), config_.effectors.end(),
                           [&](const Effector& f) { return f.id == e.effector; });
    KOEPEL_CHECK(it != config_.effectors.end(), "released engagement names an unknown effector");
    EffectorStatus& s = status_[static_cast<size_t>(it - config_.effectors.begin())];
    const std::string subject = "engagement " + e.id.ToString();
    if (s.rounds_left <= 0 || s.busy_channels >= it->fire_channels) {
      // The planner saw a free round and channel; another release in this step took it.
      e.state = EngagementState::kAborted;
      Log(now, Stage::kAct, "aborted", subject,
          fmt::format("{} has no free {} now", it->name, s.rounds_left <= 0 ? "round" : "fire channel"));
      continue;
    }
    --s.rounds_left;
    ++s.busy_channels;
    e.state = EngagementState::kInFlight;
    e.launch_time = now;
    if (e.released_by == Release::kOperator) ++totals_.released_by_operator;
    if (e.released_by == Release::kRule) ++totals_.released_by_rule[e.release_rule];
    Log(now, Stage::kAct, "order", subject,
        fmt::format("{} fires at track {} (released by {}); {} rounds left. {}", it->name, e.track.value(),
                    ReleaseText(e), s.rounds_left, e.reason));
    if (ports_.effectors != nullptr) ports_.effectors->Order(e);
    engagements_.insert(std::upper_bound(engagements_.begin(), engagements_.end(), e,
                                         [](const Engagement& a, const Engagement& b) { return a.id < b.id; }),
                        e);
    report.orders.push_back(e);
  }
}

void Engine::ApplyOutcomes(SimTime now, std::span<const EngagementOutcome> outcomes) {
  for (const EngagementOutcome& o : outcomes) {
    Engagement* e = FindEngagement(o.engagement);
    if (e == nullptr || e->state != EngagementState::kInFlight) continue;
    e->state = o.kill ? EngagementState::kKill : EngagementState::kMiss;
    for (size_t i = 0; i < config_.effectors.size(); ++i) {
      if (config_.effectors[i].id == e->effector) status_[i].busy_channels = std::max(0, status_[i].busy_channels - 1);
    }
    if (o.kill) {
      auto pos = std::lower_bound(killed_tracks_.begin(), killed_tracks_.end(), e->track);
      if (pos == killed_tracks_.end() || *pos != e->track) killed_tracks_.insert(pos, e->track);
    }
    Log(now, Stage::kAct, o.kill ? "kill" : "miss", "engagement " + e->id.ToString(),
        fmt::format("track {} {}", e->track.value(), o.kill ? "destroyed" : "survived; re-planned next step"));
  }
}

void Engine::UpdateReloads(SimTime now) {
  for (size_t i = 0; i < status_.size(); ++i) {
    const Effector& e = config_.effectors[i];
    EffectorStatus& s = status_[i];
    if (s.rounds_left > 0 || e.reload_time <= Duration()) continue;
    if (s.reload_done == SimTime::Max()) {
      s.reload_done = now + e.reload_time;
      Log(now, Stage::kAct, "reloading", e.name, fmt::format("magazine empty; ready at {}", FormatSimTime(s.reload_done)));
    } else if (now >= s.reload_done) {
      s.rounds_left = e.reload_rounds > 0 ? e.reload_rounds : e.magazine;
      s.reload_done = SimTime::Max();
      Log(now, Stage::kAct, "reloaded", e.name, fmt::format("{} rounds", s.rounds_left));
    }
  }
}

std::vector<Engagement> Engine::Committed() const {
  std::vector<Engagement> committed;
  for (const Engagement& e : engagements_) {
    if (e.state == EngagementState::kInFlight) committed.push_back(e);
  }
  return committed;
}

Engagement* Engine::FindEngagement(EngagementId id) {
  auto it = std::lower_bound(engagements_.begin(), engagements_.end(), id,
                             [](const Engagement& e, EngagementId x) { return e.id < x; });
  return it != engagements_.end() && it->id == id ? &*it : nullptr;
}

void Engine::DeclareIdentity(TrackId track, Affiliation affiliation, std::string reason) {
  Log(SimTime(), Stage::kIdentify, "operator_declared", "track " + track.ToString(),
      std::string(AffiliationName(affiliation)) + ": " + reason);
  identifier_.Declare(track, affiliation, std::move(reason));
}

void Engine::HoldWarnings(const std::string& region_code) { warning_decider_.Hold(region_code); }
void Engine::ReleaseWarnings(const std::string& region_code) { warning_decider_.Release(region_code); }

}  // namespace koepel::engine
