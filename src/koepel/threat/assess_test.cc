#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

#include "koepel/threat/threat.h"

namespace koepel::threat {
namespace {

constexpr double kG = 9.80665;

Track MakeTrack(int64_t id, const Vec3& p, const Vec3& v, ObjectClass c, Affiliation a, SimTime t = SimTime()) {
  Track track;
  track.id = TrackId(id);
  track.status = TrackStatus::kConfirmed;
  track.state.time = t;
  track.state.x << p, v;
  track.state.P = Mat6::Identity();
  track.state.P.topLeftCorner<3, 3>() *= 100.0;  // 10 m position sigma
  track.state.P.bottomRightCorner<3, 3>() *= 1.0;  // 1 m/s velocity sigma
  track.identity.object_class = c;
  track.identity.affiliation = a;
  track.identity.class_confidence = 0.9;
  track.last_update = t;
  return track;
}

Asset MakeAsset(int64_t id, const std::string& name, const Vec3& p, double value, double radius = 500.0) {
  Asset a;
  a.id = AssetId(id);
  a.name = name;
  a.position = p;
  a.value = value;
  a.radius_m = radius;
  return a;
}

ThreatConfig Config() {
  ThreatConfig c;
  c.hostile_classes = {ObjectClass::kOneWayAttackDrone, ObjectClass::kBallisticMissile};
  return c;
}

TEST(NeedsConfirmationTest, OnlyConfirmedTracksAnOperatorCannotYetActOn) {
  Track t;
  t.status = TrackStatus::kConfirmed;
  t.identity.affiliation = Affiliation::kUnknown;
  EXPECT_TRUE(NeedsConfirmation(t));
  t.identity.affiliation = Affiliation::kSuspect;
  EXPECT_TRUE(NeedsConfirmation(t));
  t.identity.affiliation = Affiliation::kHostile;
  t.identity.class_confidence = 0.6;
  EXPECT_TRUE(NeedsConfirmation(t)) << "hostile but unsure what it is";
  t.identity.class_confidence = 0.95;
  EXPECT_FALSE(NeedsConfirmation(t));
  t.identity.affiliation = Affiliation::kCivil;
  EXPECT_FALSE(NeedsConfirmation(t));
  t.identity.affiliation = Affiliation::kUnknown;
  t.identity.operator_declared = true;
  EXPECT_FALSE(NeedsConfirmation(t)) << "an operator already decided";
  t.identity.operator_declared = false;
  t.status = TrackStatus::kTentative;
  EXPECT_FALSE(NeedsConfirmation(t));
}

TEST(BallisticTest, TimeToGroundMatchesKinematics) {
  // Dropped from 1000 m: t = sqrt(2 h / g).
  EXPECT_NEAR(internal::BallisticTimeToGround(1000.0, 0.0), std::sqrt(2000.0 / kG), 1e-9);
  // Thrown up from the ground at 98.0665 m/s: back after 2 v / g = 20 s.
  EXPECT_NEAR(internal::BallisticTimeToGround(0.0, 10.0 * kG), 20.0, 1e-9);
}

TEST(BallisticTest, ImpactOfA45DegreeShotIsTheTextbookRange) {
  // Launched from the origin at 45 degrees with speed u: range u^2 / g, flight time sqrt(2) u / g. The track is
  // observed mid-flight (t = 30 s) and assessed 10 s later, so both the state extrapolation and the impact
  // solution are exercised.
  const double u = 1200.0;
  const double vx0 = u / std::sqrt(2.0), vz0 = u / std::sqrt(2.0);
  const double t_obs = 30.0;
  const Vec3 p(vx0 * t_obs, 0.0, vz0 * t_obs - 0.5 * kG * t_obs * t_obs);
  const Vec3 v(vx0, 0.0, vz0 - kG * t_obs);
  const SimTime observed = SimTimeFromSeconds(t_obs);
  const SimTime now = observed + Seconds(10);
  std::vector<Track> tracks = {
      MakeTrack(1, p, v, ObjectClass::kBallisticMissile, Affiliation::kHostile, observed)};
  const double range = u * u / kG;
  const double flight_time = std::sqrt(2.0) * u / kG;
  for (bool with_asset : {false, true}) {
    std::vector<Asset> assets;
    if (with_asset) assets.push_back(MakeAsset(1, "base", Vec3(range + 200.0, 0, 0), 10.0));
    const std::vector<Threat> threats = AssessThreats(now, tracks, assets, Config());
    ASSERT_EQ(threats.size(), 1u);
    EXPECT_NEAR(threats[0].predicted_impact.x(), range, 1.0);
    EXPECT_NEAR(threats[0].predicted_impact.y(), 0.0, 1.0);
    EXPECT_NEAR(threats[0].time_to_go.seconds(), flight_time - t_obs - 10.0, 1e-3);
    EXPECT_NEAR((threats[0].predicted_impact_time - SimTime()).seconds(), flight_time, 1e-3);
    if (with_asset) {
      ASSERT_TRUE(threats[0].asset_at_risk.has_value());
      EXPECT_NEAR(threats[0].miss_distance_m, 200.0, 1.0);
    }
  }
}

TEST(ProbabilityInDiscTest, CentredIsotropicIsRayleigh) {
  // P(|X| <= R) for X ~ N(0, s^2 I) is 1 - exp(-R^2 / (2 s^2)).
  for (double s : {20.0, 100.0, 500.0, 5000.0}) {
    const double r = 100.0;
    const double expected = 1.0 - std::exp(-r * r / (2.0 * s * s));
    EXPECT_NEAR(internal::ProbabilityInDisc(Vec2::Zero(), s * s * Eigen::Matrix2d::Identity(), r), expected, 1e-6)
        << "sigma " << s;
  }
}

TEST(ProbabilityInDiscTest, OffsetAnisotropicAgreesWithMonteCarlo) {
  Rng rng(42);
  const Vec2 mean(150.0, -60.0);
  Eigen::Matrix2d cov;
  cov << 200.0 * 200.0, 0.6 * 200.0 * 40.0, 0.6 * 200.0 * 40.0, 40.0 * 40.0;
  const Eigen::Matrix2d L = cov.llt().matrixL();
  const double r = 180.0;
  int inside = 0;
  const int n = 400000;
  for (int i = 0; i < n; ++i) {
    const Vec2 x = mean + L * Vec2(rng.Normal(), rng.Normal());
    if (x.norm() <= r) ++inside;
  }
  const double mc = static_cast<double>(inside) / n;  // standard error < 0.0008
  EXPECT_NEAR(internal::ProbabilityInDisc(mean, cov, r), mc, 0.004);
}

TEST(ProbabilityInDiscTest, DegenerateCovariances) {
  EXPECT_NEAR(internal::ProbabilityInDisc(Vec2(10, 0), Eigen::Matrix2d::Zero(), 50.0), 1.0, 1e-6);
  EXPECT_NEAR(internal::ProbabilityInDisc(Vec2(100, 0), Eigen::Matrix2d::Zero(), 50.0), 0.0, 1e-6);
  // A line-shaped Gaussian across the disc: the 1-D answer P(|x| <= R) = erf(R / (s sqrt 2)).
  Eigen::Matrix2d line = Eigen::Matrix2d::Zero();
  line(0, 0) = 100.0 * 100.0;
  EXPECT_NEAR(internal::ProbabilityInDisc(Vec2::Zero(), line, 50.0), std::erf(50.0 / (100.0 * std::sqrt(2.0))), 1e-6);
}

TEST(AssessThreatsTest, DroneAimedAtAnAssetRanksAboveOneFlyingPast) {
  const std::vector<Asset> assets = {MakeAsset(1, "Port of Rotterdam", Vec3::Zero(), 100.0)};
  const std::vector<Track> tracks = {
      // Track 1 passes 1.5 km north of the port; track 2 flies straight at it. Both 5 km out at 50 m/s.
      MakeTrack(1, Vec3(5000, 1500, 300), Vec3(-50, 0, 0), ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
      MakeTrack(2, Vec3(5000, 0, 300), Vec3(-50, 0, 0), ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
  };
  const std::vector<Threat> threats = AssessThreats(SimTime(), tracks, assets, Config());
  ASSERT_EQ(threats.size(), 2u);
  EXPECT_EQ(threats[0].track, TrackId(2));
  EXPECT_EQ(threats[0].rank, 1);
  EXPECT_EQ(threats[1].rank, 2);
  ASSERT_TRUE(threats[0].asset_at_risk.has_value());
  EXPECT_EQ(*threats[0].asset_at_risk, AssetId(1));
  EXPECT_GT(threats[0].p_hit, 0.9);
  EXPECT_NEAR(threats[0].time_to_go.seconds(), 100.0, 1e-6);
  EXPECT_NEAR(threats[0].miss_distance_m, 0.0, 1e-6);
  EXPECT_FALSE(threats[1].asset_at_risk.has_value());
  EXPECT_NEAR(threats[1].miss_distance_m, 1500.0, 1e-6);
  EXPECT_GT(threats[0].value, 10.0 * threats[1].value);
  // Value of the aimed drone: value x P(hit) x lethality (0.5), plus the small undefended remainder.
  EXPECT_NEAR(threats[0].value, 100.0 * threats[0].p_hit * 0.5, 0.05 * 100.0 * 0.5 * (1 - threats[0].p_hit) + 1e-9);
  EXPECT_NE(threats[0].explanation.find("Port of Rotterdam"), std::string::npos);
  EXPECT_NE(threats[0].explanation.find("one_way_attack_drone"), std::string::npos);
}

TEST(AssessThreatsTest, ADroneMovingAwayIsNotAimedAtTheAssetBehindIt) {
  const std::vector<Asset> assets = {MakeAsset(1, "base", Vec3::Zero(), 100.0)};
  const std::vector<Track> tracks = {
      MakeTrack(1, Vec3(5000, 0, 300), Vec3(50, 0, 0), ObjectClass::kOneWayAttackDrone, Affiliation::kHostile)};
  const std::vector<Threat> threats = AssessThreats(SimTime(), tracks, assets, Config());
  ASSERT_EQ(threats.size(), 1u);
  EXPECT_FALSE(threats[0].asset_at_risk.has_value());
  EXPECT_NEAR(threats[0].miss_distance_m, 5000.0, 1e-6);  // closest approach is now
}

TEST(AssessThreatsTest, ProtectedBirdsAndDeletedTracksAreNoThreats) {
  const std::vector<Asset> assets = {MakeAsset(1, "base", Vec3::Zero(), 100.0)};
  const Vec3 p(3000, 0, 300), v(-50, 0, 0);
  std::vector<Track> tracks = {
      MakeTrack(1, p, v, ObjectClass::kFixedWing, Affiliation::kCivil),
      MakeTrack(2, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kFriend),
      MakeTrack(3, p, v, ObjectClass::kBird, Affiliation::kNeutral),
      MakeTrack(4, p, v, ObjectClass::kBird, Affiliation::kUnknown),
      MakeTrack(5, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
      MakeTrack(6, p, v, ObjectClass::kUnknown, Affiliation::kUnknown),
      MakeTrack(7, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kSuspect),
      MakeTrack(8, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
  };
  tracks[7].status = TrackStatus::kDeleted;
  const std::vector<Threat> threats = AssessThreats(SimTime(), tracks, assets, Config());
  std::vector<TrackId> ids;
  for (const Threat& t : threats) ids.push_back(t.track);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<TrackId>{TrackId(5), TrackId(6), TrackId(7)}));
}

TEST(AssessThreatsTest, EqualValuesRankByTrackId) {
  const std::vector<Asset> assets = {MakeAsset(1, "base", Vec3::Zero(), 100.0)};
  const Vec3 p(3000, 0, 300), v(-50, 0, 0);
  const std::vector<Track> tracks = {
      MakeTrack(9, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
      MakeTrack(3, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
      MakeTrack(5, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile),
  };
  const std::vector<Threat> threats = AssessThreats(SimTime(), tracks, assets, Config());
  ASSERT_EQ(threats.size(), 3u);
  EXPECT_EQ(threats[0].track, TrackId(3));
  EXPECT_EQ(threats[1].track, TrackId(5));
  EXPECT_EQ(threats[2].track, TrackId(9));
}

TEST(AssessThreatsTest, DecoyIsWorthItsChanceOfBeingReal) {
  const std::vector<Asset> assets = {MakeAsset(1, "base", Vec3::Zero(), 100.0)};
  const Vec3 p(3000, 0, 300), v(-45, 0, 0);
  ThreatConfig config = Config();
  config.decoy_real_probability = 0.25;
  const std::vector<Threat> owa = AssessThreats(
      SimTime(), std::vector<Track>{MakeTrack(1, p, v, ObjectClass::kOneWayAttackDrone, Affiliation::kHostile)},
      assets, config);
  const std::vector<Threat> decoy = AssessThreats(
      SimTime(), std::vector<Track>{MakeTrack(1, p, v, ObjectClass::kDecoy, Affiliation::kHostile)}, assets, config);
  ASSERT_EQ(owa.size(), 1u);
  ASSERT_EQ(decoy.size(), 1u);
  // Same manoeuvre model for both classes, so the geometry is equal and only the lethality differs.
  EXPECT_NEAR(decoy[0].value, 0.25 * owa[0].value, 1e-9);
}

TEST(AssessThreatsTest, NoAssetsGivesHorizonPositionAndZeroValue) {
  const std::vector<Track> tracks = {
      MakeTrack(1, Vec3(0, 0, 300), Vec3(50, 0, 0), ObjectClass::kOneWayAttackDrone, Affiliation::kHostile)};
  const std::vector<Threat> threats = AssessThreats(SimTime(), tracks, {}, Config());
  ASSERT_EQ(threats.size(), 1u);
  EXPECT_NEAR(threats[0].predicted_impact.x(), 50.0 * 900.0, 1e-6);
  EXPECT_EQ(threats[0].value, 0.0);
}

TEST(AssessThreatsTest, Deterministic) {
  const std::vector<Asset> assets = {MakeAsset(1, "a", Vec3::Zero(), 100.0),
                                     MakeAsset(2, "b", Vec3(2000, 2000, 0), 50.0)};
  std::vector<Track> tracks;
  Rng rng(7);
  for (int i = 0; i < 30; ++i) {
    tracks.push_back(MakeTrack(i + 1, Vec3(rng.Uniform(-9000, 9000), rng.Uniform(-9000, 9000), 200),
                               Vec3(rng.Uniform(-60, 60), rng.Uniform(-60, 60), 0), ObjectClass::kOneWayAttackDrone,
                               Affiliation::kHostile));
  }
  const auto a = AssessThreats(SimTime(), tracks, assets, Config());
  const auto b = AssessThreats(SimTime(), tracks, assets, Config());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].track, b[i].track);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].explanation, b[i].explanation);
    if (i > 0) {
      EXPECT_GE(a[i - 1].value, a[i].value);
    }
  }
}

}  // namespace
}  // namespace koepel::threat
