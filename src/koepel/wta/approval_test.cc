#include <vector>

#include <gtest/gtest.h>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

constexpr SimTime kNow = SimTime::FromNanoseconds(100'000'000'000);

Track MakeTrack(int64_t id, Affiliation a, ObjectClass c) {
  Track t;
  t.id = TrackId(id);
  t.identity.affiliation = a;
  t.identity.object_class = c;
  return t;
}

Engagement Proposal(int64_t id, int64_t track, EffectorKind kind, int64_t effector = 1) {
  Engagement e;
  e.id = EngagementId(id);
  e.track = TrackId(track);
  e.effector = EffectorId(effector);
  e.effector_kind = kind;
  e.proposed_at = kNow;
  e.window_open = kNow;
  e.window_close = kNow + Seconds(30);
  e.reason = "planner reason";
  return e;
}

RulesOfEngagement GunsOnDrones() {
  RulesOfEngagement roe;
  roe.auto_release.push_back({"guns-vs-drones", {EffectorKind::kGun, EffectorKind::kJammer},
                              {ObjectClass::kOneWayAttackDrone, ObjectClass::kSmallDrone}, true});
  return roe;
}

TEST(ApprovalWorkflowTest, OperatorApprovalReleasesAsOperator) {
  ApprovalWorkflow wf(RulesOfEngagement{});
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  ApprovalStep s1 = wf.Step(kNow, {Proposal(11, 5, EffectorKind::kMediumRangeMissile)}, {}, tracks);
  EXPECT_TRUE(s1.released.empty());
  ASSERT_EQ(s1.open.size(), 1u);
  ASSERT_EQ(wf.open().size(), 1u);

  const std::vector<OperatorDecision> approve = {{EngagementId(11), true, "lt. de Vries", "confirmed visually"}};
  // The planner re-proposes the pair every step (as the engine does); the decision still applies.
  ApprovalStep s2 = wf.Step(kNow + Seconds(1), {Proposal(12, 5, EffectorKind::kMediumRangeMissile)}, approve, tracks);
  ASSERT_EQ(s2.released.size(), 1u);
  EXPECT_EQ(s2.released[0].id, EngagementId(11));
  EXPECT_EQ(s2.released[0].state, EngagementState::kApproved);
  EXPECT_EQ(s2.released[0].released_by, Release::kOperator);
  EXPECT_NE(s2.released[0].reason.find("lt. de Vries"), std::string::npos);
  EXPECT_NE(s2.released[0].reason.find("planner reason"), std::string::npos);
  EXPECT_TRUE(wf.open().empty());
}

TEST(ApprovalWorkflowTest, OperatorDenial) {
  ApprovalWorkflow wf(RulesOfEngagement{});
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  const std::vector<OperatorDecision> deny = {{EngagementId(11), false, "op", "hold fire"}};
  ApprovalStep s = wf.Step(kNow, {Proposal(11, 5, EffectorKind::kPatriot)}, deny, tracks);
  ASSERT_EQ(s.denied.size(), 1u);
  EXPECT_EQ(s.denied[0].state, EngagementState::kDenied);
  EXPECT_NE(s.denied[0].reason.find("hold fire"), std::string::npos);
  EXPECT_TRUE(s.released.empty());
}

TEST(ApprovalWorkflowTest, RuleReleasesWithItsName) {
  ApprovalWorkflow wf(GunsOnDrones());
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kOneWayAttackDrone),
                                     MakeTrack(6, Affiliation::kSuspect, ObjectClass::kOneWayAttackDrone),
                                     MakeTrack(7, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  ApprovalStep s = wf.Step(kNow,
                           {Proposal(11, 5, EffectorKind::kGun), Proposal(12, 6, EffectorKind::kGun),
                            Proposal(13, 7, EffectorKind::kGun), Proposal(14, 5, EffectorKind::kPatriot, 2)},
                           {}, tracks);
  ASSERT_EQ(s.released.size(), 1u);
  EXPECT_EQ(s.released[0].id, EngagementId(11));
  EXPECT_EQ(s.released[0].released_by, Release::kRule);
  EXPECT_EQ(s.released[0].release_rule, "guns-vs-drones");
  // Suspect (rule wants hostile), cruise missile (class not listed), PATRIOT (kind not listed) wait.
  EXPECT_EQ(s.open.size(), 3u);
}

TEST(ApprovalWorkflowTest, NeverReleasedAgainstAProtectedOrVanishedTrack) {
  ApprovalWorkflow wf(GunsOnDrones());
  std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kCruiseMissile),
                               MakeTrack(6, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  (void)wf.Step(kNow, {Proposal(11, 5, EffectorKind::kGun), Proposal(12, 6, EffectorKind::kGun)}, {}, tracks);
  // Track 5 turns out to be an airliner; track 6 is dropped. The operator approves both anyway.
  tracks = {MakeTrack(5, Affiliation::kCivil, ObjectClass::kOneWayAttackDrone)};
  const std::vector<OperatorDecision> approve = {{EngagementId(11), true, "op", ""},
                                                 {EngagementId(12), true, "op", ""}};
  ApprovalStep s = wf.Step(kNow + Seconds(1), {Proposal(13, 5, EffectorKind::kGun), Proposal(14, 6, EffectorKind::kGun)},
                           approve, tracks);
  EXPECT_TRUE(s.released.empty());
  ASSERT_EQ(s.denied.size(), 2u);
  EXPECT_NE(s.denied[0].reason.find("civil"), std::string::npos) << s.denied[0].reason;
  EXPECT_NE(s.denied[1].reason.find("no longer exists"), std::string::npos) << s.denied[1].reason;
  // A new proposal against the civil track (even matching a rule) is denied too.
  ApprovalStep s2 = wf.Step(kNow + Seconds(2), {Proposal(15, 5, EffectorKind::kGun)}, {}, tracks);
  EXPECT_TRUE(s2.released.empty());
  EXPECT_EQ(s2.denied.size(), 1u);
}

TEST(ApprovalWorkflowTest, ExpiresWhenTheWindowCloses) {
  ApprovalWorkflow wf(RulesOfEngagement{});
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  (void)wf.Step(kNow, {Proposal(11, 5, EffectorKind::kPatriot)}, {}, tracks);
  ApprovalStep still = wf.Step(kNow + Seconds(30), {Proposal(12, 5, EffectorKind::kPatriot)}, {}, tracks);  // close == now: still open
  EXPECT_EQ(still.open.size(), 1u);
  // The approval comes too late.
  const std::vector<OperatorDecision> approve = {{EngagementId(11), true, "op", ""}};
  ApprovalStep late = wf.Step(kNow + Seconds(31), {Proposal(13, 5, EffectorKind::kPatriot)}, approve, tracks);
  EXPECT_TRUE(late.released.empty());
  ASSERT_EQ(late.expired.size(), 1u);
  EXPECT_EQ(late.expired[0].state, EngagementState::kExpired);
  EXPECT_NE(late.expired[0].reason.find("window closed"), std::string::npos);
  EXPECT_TRUE(wf.open().empty());
}

TEST(ApprovalWorkflowTest, AnApprovalNeverFiresAPlanTheReplanDropped) {
  ApprovalWorkflow wf(RulesOfEngagement{}, Seconds(3));
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kOneWayAttackDrone)};
  (void)wf.Step(kNow, {Proposal(11, 5, EffectorKind::kMediumRangeMissile, 3)}, {}, tracks);
  // A jammer became free: the new plan uses it instead. The operator's approval of the missile
  // arrives now; the missile is not in the plan, so it does not fire.
  const std::vector<OperatorDecision> approve = {{EngagementId(11), true, "op", ""}};
  ApprovalStep s = wf.Step(kNow + Seconds(1), {Proposal(12, 5, EffectorKind::kJammer, 1)}, approve, tracks);
  EXPECT_TRUE(s.released.empty());
  EXPECT_EQ(s.open.size(), 2u) << "a dropped proposal waits out a short grace period (plans flicker)";
  // The plan flickers back within the grace period: the kept approval now releases it.
  ApprovalStep back = wf.Step(kNow + Seconds(2), {Proposal(13, 5, EffectorKind::kMediumRangeMissile, 3)}, {}, tracks);
  ASSERT_EQ(back.released.size(), 1u);
  EXPECT_EQ(back.released[0].id, EngagementId(11));
  EXPECT_EQ(back.released[0].released_by, Release::kOperator);
  // Dropped for longer than the grace period: withdrawn, never fired.
  (void)wf.Step(kNow + Seconds(3), {Proposal(14, 5, EffectorKind::kMediumRangeMissile, 4)}, {}, tracks);
  const std::vector<OperatorDecision> late = {{EngagementId(14), true, "op", ""}};
  ApprovalStep gone = wf.Step(kNow + Seconds(8), {}, late, tracks);
  EXPECT_TRUE(gone.released.empty());
  ASSERT_EQ(gone.expired.size(), 2u);  // the jammer proposal and the second missile
  EXPECT_NE(gone.expired[1].reason.find("withdrawn"), std::string::npos) << gone.expired[1].reason;
}

TEST(ApprovalWorkflowTest, NewProposalForThePairReplacesTheOpenOneAndKeepsItsId) {
  ApprovalWorkflow wf(RulesOfEngagement{});
  const std::vector<Track> tracks = {MakeTrack(5, Affiliation::kHostile, ObjectClass::kCruiseMissile)};
  (void)wf.Step(kNow, {Proposal(11, 5, EffectorKind::kPatriot)}, {}, tracks);
  Engagement update = Proposal(20, 5, EffectorKind::kPatriot);
  update.pk = 0.8;
  // The operator approves id 11 while the planner re-proposes the same pair as id 20.
  const std::vector<OperatorDecision> approve = {{EngagementId(11), true, "op", ""}};
  ApprovalStep s = wf.Step(kNow + Seconds(1), {update}, approve, tracks);
  ASSERT_EQ(s.released.size(), 1u);
  EXPECT_EQ(s.released[0].id, EngagementId(11));
  EXPECT_DOUBLE_EQ(s.released[0].pk, 0.8);  // the fresher plan's figures
  EXPECT_TRUE(s.open.empty());
}

}  // namespace
}  // namespace koepel::wta
