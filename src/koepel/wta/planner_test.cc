#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

constexpr SimTime kNow = SimTime::FromNanoseconds(50'000'000'000);

Effector MakeEffector(int64_t id, const std::string& name, EffectorKind kind, double cost, double max_range,
                      double speed, int channels) {
  Effector e;
  e.id = EffectorId(id);
  e.name = name;
  e.kind = kind;
  e.cost_per_shot_eur = cost;
  e.max_range_m = max_range;
  e.max_altitude_m = 25000;
  e.interceptor_speed_mps = speed;
  e.fire_channels = channels;
  e.magazine = 100;
  e.pk.fill(0.0);
  return e;
}

struct World {
  std::vector<Track> tracks;
  std::vector<Threat> threats;
  std::vector<Effector> effectors;
  std::vector<EffectorStatus> status;
  std::vector<Engagement> committed;
  std::vector<Engagement> finished;

  World() {
    Effector gun = MakeEffector(1, "gun-1", EffectorKind::kGun, 8000, 4000, 1000, 2);
    gun.max_altitude_m = 3000;
    gun.pk[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)] = 0.7;
    Effector patriot = MakeEffector(2, "patriot-1", EffectorKind::kPatriot, 4e6, 35000, 1700, 4);
    patriot.pk[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)] = 0.9;
    patriot.pk[static_cast<size_t>(ObjectClass::kCruiseMissile)] = 0.7;
    patriot.pk[static_cast<size_t>(ObjectClass::kBallisticMissile)] = 0.7;
    Effector jammer = MakeEffector(3, "jammer-1", EffectorKind::kJammer, 100, 1000, 0, 4);
    jammer.position = Vec3(0, 10000, 0);
    jammer.dwell_time = Seconds(2);
    jammer.pk[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)] = 0.3;
    effectors = {gun, patriot, jammer};
    for (const Effector& e : effectors) status.push_back({e.id, 100, 0, SimTime()});
  }

  // value in M EUR (PlannerConfig::value_to_eur = 1e6).
  void AddThreat(int64_t id, ObjectClass c, Vec3 p, Vec3 v, double value, Duration ttg,
                 Affiliation a = Affiliation::kHostile) {
    Track t;
    t.id = TrackId(id);
    t.status = TrackStatus::kConfirmed;
    t.state.time = kNow;
    t.state.x << p, v;
    t.identity.affiliation = a;
    t.identity.object_class = c;
    tracks.push_back(t);
    Threat th;
    th.track = t.id;
    th.object_class = c;
    th.affiliation = a;
    th.value = value;
    th.time_to_go = ttg;
    th.rank = static_cast<int>(threats.size()) + 1;
    threats.push_back(th);
  }
  void AddDroneNearGun(int64_t id, double value) {
    AddThreat(id, ObjectClass::kOneWayAttackDrone, Vec3(3000, 0, 100), Vec3(-50, 0, 0), value, Seconds(50));
  }

  Plan Run(PlannerConfig config) {
    IdSequence<EngagementId> ids;
    PlanInput in{kNow, tracks, threats, effectors, status, committed, {}, finished};
    return PlanEngagements(in, config, ids);
  }
};

int Count(const Plan& p, EffectorKind k, int64_t track = -1) {
  return static_cast<int>(std::count_if(p.proposals.begin(), p.proposals.end(), [&](const Engagement& e) {
    return e.effector_kind == k && (track < 0 || e.track == TrackId(track));
  }));
}

TEST(PlanEngagementsTest, NoPatriotAtACheapDroneWhileAGunHasAWindow) {
  World w;
  w.AddDroneNearGun(10, 0.05);  // 50 kEUR of expected damage
  PlannerConfig config;
  config.shoot_look_shoot = false;
  const Plan plan = w.Run(config);
  EXPECT_EQ(Count(plan, EffectorKind::kPatriot), 0) << plan.summary;
  // Without shoot-look-shoot a second burst (saving 0.3 x 0.7 x 50 k = 10.5 k > 8 k) is worth it.
  ASSERT_EQ(Count(plan, EffectorKind::kGun, 10), 2) << plan.summary;
  // With it, one burst now and another after the look.
  EXPECT_EQ(Count(w.Run(PlannerConfig{}), EffectorKind::kGun, 10), 1);
  EXPECT_EQ(Count(w.Run(PlannerConfig{}), EffectorKind::kPatriot), 0);
  const Engagement& e = plan.proposals[0];
  EXPECT_EQ(e.state, EngagementState::kProposed);
  EXPECT_DOUBLE_EQ(e.cost_eur, 8000);
  EXPECT_NEAR(e.value_saved, 0.7 * 50000, 1e-6);
  EXPECT_TRUE(e.id.valid());
  EXPECT_EQ(e.launch_time, kNow);
  // The explanation names the threat, the effector, Pk, and why the cheaper jammer was not used.
  EXPECT_NE(e.reason.find("gun-1"), std::string::npos) << e.reason;
  EXPECT_NE(e.reason.find("Pk 0.70"), std::string::npos) << e.reason;
  EXPECT_NE(e.reason.find("jammer-1"), std::string::npos) << e.reason;
  EXPECT_NE(e.reason.find("out of range"), std::string::npos) << e.reason;
}

TEST(PlanEngagementsTest, ShootLookShootKeepsThePatriotForLeakers) {
  // A drone threatening 50 M EUR: a PATRIOT shot after a gun miss is still worth its price, so
  // without shoot-look-shoot both fire now; with it, the PATRIOT waits for the gun's result.
  World w;
  w.AddDroneNearGun(10, 50.0);
  PlannerConfig salvo;
  salvo.shoot_look_shoot = false;
  EXPECT_GE(Count(w.Run(salvo), EffectorKind::kPatriot), 1);
  PlannerConfig sls;
  const Plan plan = w.Run(sls);
  EXPECT_EQ(Count(plan, EffectorKind::kPatriot), 0) << plan.summary;
  EXPECT_GE(Count(plan, EffectorKind::kGun), 1) << plan.summary;
}

TEST(PlanEngagementsTest, PatriotHeldWhileTheGunWindowIsStillToCome) {
  // The drone is 20 km out: only the PATRIOT can fire now, but the gun will have a window later.
  World w;
  w.AddThreat(10, ObjectClass::kOneWayAttackDrone, Vec3(20000, 0, 100), Vec3(-50, 0, 0), 50.0, Seconds(390));
  const Plan plan = w.Run(PlannerConfig{});
  EXPECT_TRUE(plan.proposals.empty()) << plan.summary;
}

TEST(PlanEngagementsTest, PatriotProposedAgainstABallisticMissile) {
  World w;
  w.AddThreat(20, ObjectClass::kBallisticMissile, Vec3(30000, 0, 20000), Vec3(-1500, 0, -300), 100.0, Seconds(20));
  const Plan plan = w.Run(PlannerConfig{});
  EXPECT_GE(Count(plan, EffectorKind::kPatriot, 20), 1) << plan.summary;
  EXPECT_EQ(Count(plan, EffectorKind::kGun), 0);
  for (const Engagement& e : plan.proposals) {
    EXPECT_GT(e.value_saved, e.cost_eur);
    EXPECT_NE(e.reason.find("gun-1"), std::string::npos) << e.reason;  // the cheaper gun: Pk 0
  }
}

TEST(PlanEngagementsTest, NaiveDoctrineUsesTheExpensiveEffector) {
  World w;
  w.AddDroneNearGun(10, 0.05);
  PlannerConfig naive;
  naive.doctrine = Doctrine::kNaive;
  const Plan plan = w.Run(naive);
  ASSERT_EQ(plan.proposals.size(), 1u) << plan.summary;
  EXPECT_EQ(plan.proposals[0].effector_kind, EffectorKind::kPatriot);  // best Pk 0.9, cost ignored
}

TEST(PlanEngagementsTest, NeverAgainstAProtectedTrack) {
  World w;
  w.AddThreat(10, ObjectClass::kOneWayAttackDrone, Vec3(3000, 0, 100), Vec3(-50, 0, 0), 50.0, Seconds(50),
              Affiliation::kCivil);
  w.AddThreat(11, ObjectClass::kOneWayAttackDrone, Vec3(3000, 100, 100), Vec3(-50, 0, 0), 50.0, Seconds(50),
              Affiliation::kHostile);
  w.tracks[1].identity.affiliation = Affiliation::kFriend;  // the threat stage lagged: the track is friendly now
  for (Doctrine d : {Doctrine::kNaive, Doctrine::kCostAware, Doctrine::kStockpileAware}) {
    PlannerConfig config;
    config.doctrine = d;
    EXPECT_TRUE(w.Run(config).proposals.empty()) << DoctrineName(d);
  }
}

TEST(PlanEngagementsTest, HonoursCommittedEngagements) {
  World w;
  w.AddDroneNearGun(10, 0.05);
  // Already two approved gun shots (0.97 together): enough, and they hold both gun channels.
  Engagement c;
  c.effector = EffectorId(1);
  c.effector_kind = EffectorKind::kGun;
  c.track = TrackId(10);
  c.state = EngagementState::kApproved;
  c.pk = 0.83;
  w.committed = {c, c};
  EXPECT_TRUE(w.Run(PlannerConfig{}).proposals.empty());
  // A second drone: the gun's channels are taken by the approved shots, so it cannot be proposed.
  w.AddThreat(11, ObjectClass::kOneWayAttackDrone, Vec3(3000, 200, 100), Vec3(-50, 0, 0), 0.05, Seconds(50));
  EXPECT_EQ(Count(w.Run(PlannerConfig{}), EffectorKind::kGun), 0);
  // Rounds: one round left and no channel held -> at most one gun shot for two drones.
  w.committed.clear();
  w.status[0].rounds_left = 1;
  EXPECT_EQ(Count(w.Run(PlannerConfig{}), EffectorKind::kGun), 1);
}

TEST(PlanEngagementsTest, StockpileAwareKeepsScarceRoundsForTheValuableThreat) {
  World w;
  w.status[1].rounds_left = 3;  // three PATRIOT rounds
  w.AddThreat(20, ObjectClass::kBallisticMissile, Vec3(30000, 0, 20000), Vec3(-1500, 0, -300), 100.0, Seconds(20));
  w.AddThreat(21, ObjectClass::kCruiseMissile, Vec3(20000, 0, 100), Vec3(-250, 0, 0), 10.0, Seconds(80));
  PlannerConfig cost;
  const Plan spend = w.Run(cost);
  EXPECT_EQ(Count(spend, EffectorKind::kPatriot, 21), 1) << spend.summary;
  // The window closes (~13 s) before a first intercept (~9 s) plus a look (10 s): no second chance,
  // so a two-round salvo, as PATRIOT doctrine fires at a ballistic missile.
  EXPECT_EQ(Count(spend, EffectorKind::kPatriot, 20), 2) << spend.summary;
  PlannerConfig stock;
  stock.doctrine = Doctrine::kStockpileAware;
  const Plan keep = w.Run(stock);
  EXPECT_EQ(Count(keep, EffectorKind::kPatriot, 21), 0) << keep.summary;
  EXPECT_GE(Count(keep, EffectorKind::kPatriot, 20), 1) << keep.summary;
  EXPECT_NE(keep.proposals[0].reason.find("scarce-round premium"), std::string::npos) << keep.proposals[0].reason;
}

// With intelligence on the threats to come, a scarce round is priced at what it would save then:
// P(later demand reaches this round) x value per round. Two PATRIOT rounds, two ballistic missiles
// expected (value 640 each, Pk 0.7: demand ~2.9 rounds, P(N >= 2) ~ 0.78): a cruise missile worth 50
// is not worth the round; once the two expected missiles have been seen, nothing is left to keep it for.
TEST(PlanEngagementsTest, OutlookPricesARoundAtWhatTheExpectedLaterThreatsWouldCostUs) {
  World w;
  w.status[1].rounds_left = 2;
  w.AddThreat(21, ObjectClass::kCruiseMissile, Vec3(20000, 0, 100), Vec3(-250, 0, 0), 50.0, Seconds(80));
  PlannerConfig stock;
  stock.doctrine = Doctrine::kStockpileAware;
  stock.outlook = StockpileOutlook{.expected = {{ObjectClass::kBallisticMissile, 2.0, 640.0}}};
  const Plan keep = w.Run(stock);
  EXPECT_EQ(Count(keep, EffectorKind::kPatriot, 21), 0) << keep.summary;

  // Resupply that covers the expected demand makes the round cheap again.
  PlannerConfig resupplied = stock;
  resupplied.outlook->resupply_rounds[static_cast<size_t>(EffectorKind::kPatriot)] = 20;
  EXPECT_EQ(Count(w.Run(resupplied), EffectorKind::kPatriot, 21), 1);

  // The expected missiles already came (and went): the round is free to use.
  IdSequence<EngagementId> ids;
  PlanInput in{kNow, w.tracks, w.threats, w.effectors, w.status, w.committed, {}, w.finished};
  in.threats_seen[static_cast<size_t>(ObjectClass::kBallisticMissile)] = 2;
  EXPECT_EQ(Count(PlanEngagements(in, stock, ids), EffectorKind::kPatriot, 21), 1);

  // A visible ballistic missile is still worth a round of the two.
  World b;
  b.status[1].rounds_left = 2;
  b.AddThreat(20, ObjectClass::kBallisticMissile, Vec3(30000, 0, 20000), Vec3(-1500, 0, -300), 640.0, Seconds(20));
  const Plan fire = b.Run(stock);
  EXPECT_GE(Count(fire, EffectorKind::kPatriot, 20), 1) << fire.summary;
  ASSERT_FALSE(fire.proposals.empty());
  EXPECT_NE(fire.proposals[0].reason.find("scarce-round premium"), std::string::npos) << fire.proposals[0].reason;
}

TEST(PlanEngagementsTest, DeterministicAndOrdered) {
  World w;
  w.AddDroneNearGun(12, 0.05);
  w.AddDroneNearGun(10, 0.08);
  w.tracks[1].state.x(1) = 300;
  const Plan a = w.Run(PlannerConfig{});
  const Plan b = w.Run(PlannerConfig{});
  ASSERT_EQ(a.proposals.size(), b.proposals.size());
  ASSERT_EQ(a.proposals.size(), 2u) << a.summary;
  EXPECT_EQ(a.proposals[0].track, TrackId(10));
  EXPECT_EQ(a.proposals[1].track, TrackId(12));
  for (size_t k = 0; k < a.proposals.size(); ++k) EXPECT_EQ(a.proposals[k].reason, b.proposals[k].reason);
  EXPECT_EQ(a.summary, b.summary);
}

TEST(PlannerTest, SoftKillThatFailedOnATrackIsNotRepeated) {
  World w;
  w.effectors[2].position = Vec3(2500, 0, 0);  // the jammer covers the drone's path
  w.effectors[2].max_range_m = 5000;
  w.AddDroneNearGun(7, 50.0);
  const int before = Count(w.Run(PlannerConfig{}), EffectorKind::kJammer, 7);
  EXPECT_EQ(before, 1) << "the free jammer is the cheapest first try";
  // While the jammer works on the track, it is not proposed on it again.
  Engagement working;
  working.id = EngagementId(98);
  working.track = TrackId(7);
  working.effector = EffectorId(3);
  working.effector_kind = EffectorKind::kJammer;
  working.state = EngagementState::kInFlight;
  working.pk = 0.3;
  w.committed.push_back(working);
  EXPECT_EQ(Count(w.Run(PlannerConfig{}), EffectorKind::kJammer, 7), 0);
  w.committed.clear();
  Engagement missed;
  missed.id = EngagementId(99);
  missed.track = TrackId(7);
  missed.effector = EffectorId(3);
  missed.effector_kind = EffectorKind::kJammer;
  missed.state = EngagementState::kMiss;
  w.finished.push_back(missed);
  const Plan after = w.Run(PlannerConfig{});
  EXPECT_EQ(Count(after, EffectorKind::kJammer, 7), 0);
  EXPECT_GE(Count(after, EffectorKind::kGun, 7), 1) << "the next layer takes over";
  // A kinetic miss does not rule the gun out: its next burst is an independent try.
  Engagement gun_missed = missed;
  gun_missed.id = EngagementId(100);
  gun_missed.effector = EffectorId(1);
  gun_missed.effector_kind = EffectorKind::kGun;
  w.finished.push_back(gun_missed);
  EXPECT_GE(Count(w.Run(PlannerConfig{}), EffectorKind::kGun, 7), 1);
}

}  // namespace
}  // namespace koepel::wta
