// The approval step: a human (or an operator-enabled rule) releases every order; nothing is ever
// released against a protected or vanished track.
#include <algorithm>
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

ApprovalWorkflow::ApprovalWorkflow(RulesOfEngagement rules) : rules_(std::move(rules)) {}

ApprovalStep ApprovalWorkflow::Step(SimTime now, std::vector<Engagement> proposals,
                                    std::span<const OperatorDecision> decisions, std::span<const Track> tracks) {
  ApprovalStep out;

  // 1. Merge: new proposals for a (track, effector) pair replace the open ones of that pair, in order,
  //    keeping their ids; surplus open ones are superseded.
  std::vector<Engagement> merged;
  std::vector<char> replaced(open_.size(), 0);
  for (Engagement& p : proposals) {
    p.state = EngagementState::kProposed;
    for (size_t k = 0; k < open_.size(); ++k) {
      if (replaced[k] || open_[k].track != p.track || open_[k].effector != p.effector) continue;
      replaced[k] = 1;
      p.id = open_[k].id;
      p.proposed_at = open_[k].proposed_at;
      break;
    }
    merged.push_back(std::move(p));
  }
  std::vector<Engagement> kept;
  for (size_t k = 0; k < open_.size(); ++k) {
    if (replaced[k]) continue;
    const bool pair_reproposed = std::any_of(merged.begin(), merged.end(), [&](const Engagement& p) {
      return p.track == open_[k].track && p.effector == open_[k].effector;
    });
    if (pair_reproposed) {
      Engagement e = std::move(open_[k]);
      e.state = EngagementState::kExpired;
      AppendReason(e, "expired at " + FormatSimTime(now) + ": superseded, the new plan fires fewer shots on this pair");
      out.expired.push_back(std::move(e));
    } else {
      // The planner re-plans every step; what it no longer proposes is stale (a cheaper layer
      // became free, the threat changed). Approving it later would fire on an outdated plan.
      Engagement e = std::move(open_[k]);
      e.state = EngagementState::kExpired;
      AppendReason(e, "withdrawn at " + FormatSimTime(now) + ": the re-plan no longer proposes it");
      out.expired.push_back(std::move(e));
    }
  }
  kept.insert(kept.end(), std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end()));
  std::vector<Engagement> pending = std::move(kept);
  open_.clear();

  for (Engagement& e : pending) {
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
    const OperatorDecision* decision = nullptr;
    for (const OperatorDecision& d : decisions) {
      if (d.engagement == e.id) decision = &d;
    }
    if (decision != nullptr) {
      const std::string who = decision->operator_name.empty() ? "operator" : decision->operator_name;
      const std::string why = decision->reason.empty() ? "" : " (" + decision->reason + ")";
      if (decision->approve) {
        e.state = EngagementState::kApproved;
        e.released_by = Release::kOperator;
        AppendReason(e, "approved by " + who + why + " at " + FormatSimTime(now));
        out.released.push_back(std::move(e));
      } else {
        e.state = EngagementState::kDenied;
        AppendReason(e, "denied by " + who + why + " at " + FormatSimTime(now));
        out.denied.push_back(std::move(e));
      }
      continue;
    }
    // 5. Operator-enabled auto-release rules, in the order given.
    const AutoReleaseRule* rule = nullptr;
    for (const AutoReleaseRule& r : rules_.auto_release) {
      if (!ContainsOrEmpty(r.effector_kinds, e.effector_kind)) continue;
      if (!ContainsOrEmpty(r.target_classes, track->identity.object_class)) continue;
      if (r.requires_hostile && track->identity.affiliation != Affiliation::kHostile) continue;
      rule = &r;
      break;
    }
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
  }
  out.open = open_;
  return out;
}

}  // namespace koepel::wta
