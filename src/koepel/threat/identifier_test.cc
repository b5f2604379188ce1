#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "koepel/threat/threat.h"

namespace koepel::threat {
namespace {

constexpr double kPi = 3.14159265358979323846;

ThreatConfig Config() {
  ThreatConfig c;
  c.hostile_classes = {ObjectClass::kSmallDrone, ObjectClass::kOneWayAttackDrone, ObjectClass::kDecoy,
                       ObjectClass::kCruiseMissile, ObjectClass::kBallisticMissile};
  return c;
}

Track MakeTrack(int64_t id, const Vec3& p, const Vec3& v, SimTime t) {
  Track track;
  track.id = TrackId(id);
  track.status = TrackStatus::kConfirmed;
  track.state.time = t;
  track.state.x << p, v;
  track.last_update = t;
  return track;
}

// Feeds `updates` one-second updates of a track flying with constant velocity; returns the last identity.
Identity Fly(Identifier& identifier, Track track, int updates, const std::function<void(int, Track&)>& edit = {}) {
  Identity last;
  for (int i = 0; i < updates; ++i) {
    track.state.time = SimTime() + Seconds(i);
    track.last_update = track.state.time;
    if (edit) edit(i, track);
    last = identifier.Identify(track.state.time, {track})[0].identity;
  }
  return last;
}

TEST(IdentifierTest, AdsbTrackIsCivilEvenAtDroneSpeedAndNeverAThreat) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  t.icao24 = 0x484506;
  t.callsign = "TRA051";
  for (int i = 0; i < 30; ++i) {
    t.state.time = SimTime() + Seconds(i);
    t.last_update = t.state.time;
    const std::vector<Track> out = identifier.Identify(t.state.time, {t});
    EXPECT_EQ(out[0].identity.affiliation, Affiliation::kCivil);
    EXPECT_FALSE(out[0].identity.operator_declared);
    EXPECT_NE(out[0].identity.reason.find("ADS-B 484506"), std::string::npos) << out[0].identity.reason;
    Asset asset;
    asset.id = AssetId(1);
    asset.position = Vec3(5000, 0, 0);
    EXPECT_TRUE(AssessThreats(t.state.time, out, std::vector<Asset>{asset}, Config()).empty());
  }
}

TEST(IdentifierTest, AdsbWithImplausibleKinematicsIsFlaggedButStaysCivil) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 1000), Vec3(12, 0, 0), SimTime());
  t.icao24 = 0xabcdef;
  const Identity id = Fly(identifier, t, 5);
  EXPECT_EQ(id.affiliation, Affiliation::kCivil);
  EXPECT_NE(id.reason.find("implausible"), std::string::npos) << id.reason;
  // A normal airliner is not flagged.
  Track ok = MakeTrack(2, Vec3(0, 0, 3000), Vec3(180, 0, 0), SimTime());
  ok.icao24 = 0x123456;
  const Identity fine = Fly(identifier, ok, 5);
  EXPECT_EQ(fine.reason.find("implausible"), std::string::npos) << fine.reason;
  EXPECT_EQ(fine.object_class, ObjectClass::kFixedWing);
}

TEST(IdentifierTest, CivilAndFriendAreSticky) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  const Identity id = Fly(identifier, t, 20, [](int i, Track& tr) {
    if (i < 3) tr.icao24 = 0x484506;  // ADS-B lost after three updates
    else tr.icao24.reset();
  });
  EXPECT_EQ(id.affiliation, Affiliation::kCivil);

  Track f = MakeTrack(2, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  const Identity fid = Fly(identifier, f, 20, [](int i, Track& tr) { tr.friendly_iff = i < 2; });
  EXPECT_EQ(fid.affiliation, Affiliation::kFriend);
  EXPECT_EQ(fid.object_class, ObjectClass::kOneWayAttackDrone);  // its class is still what it looks like
}

TEST(IdentifierTest, BirdIsNeutralAndNoThreat) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 120), Vec3(8, 9, 0.5), SimTime());
  t.rcs_m2 = 0.01;
  const Identity id = Fly(identifier, t, 10);
  EXPECT_EQ(id.object_class, ObjectClass::kBird);
  EXPECT_EQ(id.affiliation, Affiliation::kNeutral);
  Track out = t;
  out.identity = id;
  EXPECT_TRUE(AssessThreats(SimTime(), std::vector<Track>{out}, {}, Config()).empty());
}

TEST(IdentifierTest, OperatorDeclarationOverridesEverything) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  t.icao24 = 0x484506;
  EXPECT_EQ(Fly(identifier, t, 3).affiliation, Affiliation::kCivil);
  identifier.Declare(TrackId(1), Affiliation::kHostile, "spoofed transponder, visual ID Shahed");
  Identity id = Fly(identifier, t, 3);
  EXPECT_EQ(id.affiliation, Affiliation::kHostile);
  EXPECT_TRUE(id.operator_declared);
  EXPECT_NE(id.reason.find("spoofed transponder"), std::string::npos);

  // And the other way round: a hostile-looking drone declared friend.
  Track d = MakeTrack(2, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  EXPECT_EQ(Fly(identifier, d, 10).affiliation, Affiliation::kHostile);
  identifier.Declare(TrackId(2), Affiliation::kFriend, "own test drone");
  id = Fly(identifier, d, 2);
  EXPECT_EQ(id.affiliation, Affiliation::kFriend);
  EXPECT_TRUE(id.operator_declared);
}

TEST(IdentifierTest, HostilityFollowsTheRulesOfEngagement) {
  Track t = MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  Identifier with_rules(Config());
  EXPECT_EQ(Fly(with_rules, t, 10).affiliation, Affiliation::kHostile);
  Identifier no_rules(ThreatConfig{});
  const Identity id = Fly(no_rules, t, 10);
  EXPECT_EQ(id.object_class, ObjectClass::kOneWayAttackDrone);
  EXPECT_EQ(id.affiliation, Affiliation::kUnknown);
}

TEST(IdentifierTest, EvidenceAccumulatesOncePerUpdate) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), SimTime());
  const double p1 = identifier.Identify(SimTime(), {t})[0].identity.class_confidence;
  const auto again = identifier.Posterior(TrackId(1));
  identifier.Identify(SimTime(), {t});  // same update time: no new evidence
  EXPECT_EQ(identifier.Posterior(TrackId(1)), again);
  const double p10 = Fly(identifier, t, 10).class_confidence;
  EXPECT_GT(p10, p1);
  // A deleted track's memory is dropped.
  t.status = TrackStatus::kDeleted;
  identifier.Identify(SimTime() + Seconds(20), {t});
  EXPECT_EQ(identifier.Posterior(TrackId(1))[0], 0.0);
}

TEST(IdentifierTest, SensorClassReportSeparatesDecoyFromDrone) {
  Identifier identifier(Config());
  Track t = MakeTrack(1, Vec3(0, 0, 800), Vec3(47, 0, 0), SimTime());
  t.last_class_report = ClassReport{ObjectClass::kDecoy, 0.8};
  const Identity id = Fly(identifier, t, 8);
  EXPECT_EQ(id.object_class, ObjectClass::kDecoy);
  EXPECT_NE(id.reason.find("sensor says decoy"), std::string::npos);
}

// Draws a true object of the class, then feeds 10 noisy track estimates (position sigma 20 m, velocity sigma
// 3 m/s per axis). The figures for the truth come from open descriptions, independent of the classifier's bands.
struct Truth {
  Vec3 p;
  Vec3 v;
  double rcs;
};

Truth Draw(ObjectClass c, Rng& rng) {
  const double heading = rng.Uniform(0.0, 2.0 * kPi);
  auto horizontal = [&](double speed, double climb) {
    return Vec3(speed * std::sin(heading), speed * std::cos(heading), climb);
  };
  switch (c) {
    case ObjectClass::kBird:
      return {Vec3(0, 0, rng.Uniform(20, 300)), horizontal(rng.Uniform(8, 18), rng.Uniform(-1, 1)), 0.005};
    case ObjectClass::kSmallDrone:
      return {Vec3(0, 0, rng.Uniform(20, 150)), horizontal(rng.Uniform(2, 20), rng.Uniform(-2, 2)), 0.02};
    case ObjectClass::kOneWayAttackDrone:
      return {Vec3(0, 0, rng.Uniform(100, 2000)), horizontal(rng.Uniform(46, 56), 0), 0.2};
    case ObjectClass::kFixedWing:
      return {Vec3(0, 0, rng.Uniform(500, 10000)), horizontal(rng.Uniform(80, 250), rng.Uniform(-8, 8)), 20.0};
    case ObjectClass::kCruiseMissile:
      return {Vec3(0, 0, rng.Uniform(30, 150)), horizontal(rng.Uniform(220, 260), 0), 0.1};
    case ObjectClass::kBallisticMissile: {
      const double speed = rng.Uniform(1000, 2000);
      const double gamma = rng.Uniform(30, 60) * kPi / 180.0;
      return {Vec3(0, 0, rng.Uniform(5000, 40000)), horizontal(speed * std::cos(gamma), -speed * std::sin(gamma)),
              0.1};
    }
    default:
      return {Vec3::Zero(), Vec3::Zero(), 1.0};
  }
}

enum class Evidence { kKinematics, kWithRcs, kWithClassReport };

// Small drones and birds fly alike (10 m/s at 100 m) and their radar cross-sections overlap: only a class
// report (micro-Doppler) separates them reliably, so small drones are scored with class reports only. The
// class reports are weak: confidence 0.6, right only 70% of the time (otherwise a random other class).
TEST(IdentifierTest, ClassifiesNoisyKinematicsOfEachMainClassMostlyRight) {
  for (Evidence evidence : {Evidence::kKinematics, Evidence::kWithRcs, Evidence::kWithClassReport}) {
    for (ObjectClass c : {ObjectClass::kBird, ObjectClass::kSmallDrone, ObjectClass::kOneWayAttackDrone,
                          ObjectClass::kFixedWing, ObjectClass::kCruiseMissile, ObjectClass::kBallisticMissile}) {
      if (c == ObjectClass::kSmallDrone && evidence != Evidence::kWithClassReport) continue;
      Rng rng(1000 + 10 * static_cast<uint64_t>(c) + static_cast<uint64_t>(evidence));
      Identifier identifier(Config());
      const int n = 50;
      int right = 0;
      for (int k = 0; k < n; ++k) {
        const Truth truth = Draw(c, rng);
        Identity id;
        for (int i = 0; i < 10; ++i) {
          const SimTime t = SimTime() + Seconds(i);
          Track track = MakeTrack(k + 1, truth.p + Vec3(rng.Normal(0, 20), rng.Normal(0, 20), rng.Normal(0, 20)),
                                  truth.v + Vec3(rng.Normal(0, 3), rng.Normal(0, 3), rng.Normal(0, 3)), t);
          if (evidence == Evidence::kWithRcs) track.rcs_m2 = truth.rcs * std::pow(10.0, rng.Normal(0, 0.3));
          if (evidence == Evidence::kWithClassReport) {
            ObjectClass reported = c;
            if (rng.Uniform() >= 0.7) {
              do {
                reported = kAllObjectClasses[static_cast<size_t>(rng.UniformInt(1, kObjectClassCount - 1))];
              } while (reported == c);
            }
            track.last_class_report = ClassReport{reported, 0.6};
          }
          id = identifier.Identify(t, {track})[0].identity;
        }
        if (id.object_class == c) ++right;
      }
      EXPECT_GE(right, 0.9 * n) << ObjectClassName(c) << " evidence " << static_cast<int>(evidence) << ": " << right
                                << "/" << n;
    }
  }
}

TEST(IdentifierTest, Deterministic) {
  auto run = [] {
    Identifier identifier(Config());
    Rng rng(5);
    std::vector<Identity> out;
    for (int i = 0; i < 20; ++i) {
      Track t = MakeTrack(i % 4, Vec3(0, 0, rng.Uniform(0, 3000)), Vec3(rng.Uniform(0, 300), 0, 0),
                          SimTime() + Seconds(i));
      out.push_back(identifier.Identify(t.state.time, {t})[0].identity);
    }
    return out;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace koepel::threat
