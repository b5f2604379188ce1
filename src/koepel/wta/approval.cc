// The approval step: a human (or an operator-enabled rule) releases every order; nothing is ever
// released against a protected or vanished track.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

const Track* FindTrack(std::span<const Track> tracks, TrackId id) {
  for (const Track& t : tracks) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

void AppendReason(Engagement& e, const std::string& why) {
  if (!e.reason.empty()) e.reason += "; ";
  e.reason += why;
}

template <typename T>
bool ContainsOrEmpty(const std::vector<T>& list, T value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

// Why the track may not be engaged now; empty when it may.
std::string ProtectedWhy(const Track* track, TrackId id) {
  if (track == nullptr) return "track " + id.ToString() + " no longer exists";
  if (IsProtected(track->identity.affiliation)) {
    return "track " + id.ToString() + " is now " + std::string(AffiliationName(track->identity.affiliation)) +
           ": never engaged";
  }
  return {};
}

}  // namespace

ApprovalWorkflow::ApprovalWorkflow(RulesOfEngagement rules, Duration withdraw_after)
    : rules_(std::move(rules)), withdraw_after_(withdraw_after) {}

namespace {

// One proposal waiting for release, with what the workflow remembers about it.
struct Waiting {
  Engagement engagement;
  SimTime last_proposed;
  std::optional<OperatorDecision> approval;
  bool in_current_plan = false;
};

const AutoReleaseRule* MatchingRule(const RulesOfEngagement& rules, const Engagement& e, const Track& track) {
  for (const AutoReleaseRule& r : rules.auto_release) {
    if (!ContainsOrEmpty(r.effector_kinds, e.effector_kind)) continue;
    if (!ContainsOrEmpty(r.target_classes, track.identity.object_class)) continue;
    if (r.requires_hostile && track.identity.affiliation != Affiliation::kHostile) continue;
    return &r;
  }
  return nullptr;
}

}  // namespace

ApprovalStep ApprovalWorkflow::Step(SimTime now, std::vector<Engagement> proposals,
                                    std::span<const OperatorDecision> decisions, std::span<const Track> tracks) {
  ApprovalStep out;

  // 1. Merge this step's plan into what is waiting.
  std::vector<Waiting> waiting;
  for (size_t k = 0; k < open_.size(); ++k) {
    waiting.push_back({std::move(open_[k]), last_proposed_[k], approval_[k], false});
  }
  std::vector<Waiting> fresh;
  for (Engagement& p : proposals) {
    p.state = EngagementState::kProposed;
    auto same_pair = std::find_if(waiting.begin(), waiting.end(), [&](const Waiting& w) {
      return !w.in_current_plan && w.engagement.track == p.track && w.engagement.effector == p.effector;
    });
    if (same_pair != waiting.end()) {
      // The planner still stands behind it: refresh window and reason, keep id, age and approval.
      p.id = same_pair->engagement.id;
      p.proposed_at = same_pair->engagement.proposed_at;
      same_pair->engagement = std::move(p);
      same_pair->last_proposed = now;
      same_pair->in_current_plan = true;
    } else {
      fresh.push_back({std::move(p), now, std::nullopt, true});
    }
  }
  std::vector<Waiting> pending;
  for (Waiting& w : waiting) {
    if (w.in_current_plan) {
      pending.push_back(std::move(w));
      continue;
    }
    const bool pair_reproposed = std::any_of(waiting.begin(), waiting.end(), [&](const Waiting& o) {
      return o.in_current_plan && o.engagement.track == w.engagement.track &&
             o.engagement.effector == w.engagement.effector;
    });
    if (pair_reproposed) {
      w.engagement.state = EngagementState::kExpired;
      AppendReason(w.engagement,
                   "expired at " + FormatSimTime(now) + ": superseded, the new plan fires fewer shots on this pair");
      out.expired.push_back(std::move(w.engagement));
    } else if (now - w.last_proposed > withdraw_after_) {
      // The planner re-plans every step; what it has dropped (a cheaper layer became free, the
      // threat changed) is stale: approving it later would fire on an outdated plan.
      w.engagement.state = EngagementState::kExpired;
      AppendReason(w.engagement, "withdrawn at " + FormatSimTime(now) + ": the re-plan no longer proposes it");
      out.expired.push_back(std::move(w.engagement));
    } else {
      pending.push_back(std::move(w));
    }
  }
  for (Waiting& w : fresh) pending.push_back(std::move(w));
  std::sort(pending.begin(), pending.end(),
            [](const Waiting& a, const Waiting& b) { return a.engagement.id < b.engagement.id; });

  open_.clear();
  last_proposed_.clear();
  approval_.clear();
  for (Waiting& w : pending) {
    Engagement& e = w.engagement;
    // 2. A closed window cannot be fired any more, whatever was decided.
    if (e.window_close < now) {
      e.state = EngagementState::kExpired;
      AppendReason(e, "expired: window closed at " + FormatSimTime(e.window_close));
      out.expired.push_back(std::move(e));
      continue;
    }
    // 3. Never against a protected or vanished track.
    const Track* track = FindTrack(tracks, e.track);
    const std::string protected_why = ProtectedWhy(track, e.track);
    if (!protected_why.empty()) {
      e.state = EngagementState::kDenied;
      AppendReason(e, "denied: " + protected_why);
      out.denied.push_back(std::move(e));
      continue;
    }
    // 4. The operator's decision (the last one given for this id wins).
    for (const OperatorDecision& d : decisions) {
      if (d.engagement == e.id) w.approval = d;
    }
    if (w.approval && !w.approval->approve) {
      const std::string who = w.approval->operator_name.empty() ? "operator" : w.approval->operator_name;
      const std::string why = w.approval->reason.empty() ? "" : " (" + w.approval->reason + ")";
      e.state = EngagementState::kDenied;
      AppendReason(e, "denied by " + who + why + " at " + FormatSimTime(now));
      out.denied.push_back(std::move(e));
      continue;
    }
    // 5. Release only what the current plan still proposes.
    if (w.in_current_plan && w.approval) {
      const std::string who = w.approval->operator_name.empty() ? "operator" : w.approval->operator_name;
      const std::string why = w.approval->reason.empty() ? "" : " (" + w.approval->reason + ")";
      e.state = EngagementState::kApproved;
      e.released_by = Release::kOperator;
      AppendReason(e, "approved by " + who + why + ", released at " + FormatSimTime(now));
      out.released.push_back(std::move(e));
      continue;
    }
    const AutoReleaseRule* rule = w.in_current_plan ? MatchingRule(rules_, e, *track) : nullptr;
    if (rule != nullptr) {
      e.state = EngagementState::kApproved;
      e.released_by = Release::kRule;
      e.release_rule = rule->name;
      AppendReason(e, "released by rule '" + rule->name + "' (" + std::string(EffectorKindName(e.effector_kind)) +
                          " vs " + std::string(ObjectClassName(track->identity.object_class)) +
                          (rule->requires_hostile ? ", hostile" : "") + ") at " + FormatSimTime(now));
      out.released.push_back(std::move(e));
      continue;
    }
    open_.push_back(std::move(e));
    last_proposed_.push_back(w.last_proposed);
    approval_.push_back(w.approval);
  }
  out.open = open_;
  return out;
}

}  // namespace koepel::wta
