#include <gtest/gtest.h>

#include "koepel/warning/warning.h"

namespace koepel::warning {
namespace {

// Boxes standing in for three safety regions (the real shapes are tested with the TopoJSON loader):
// VR17 around Rotterdam, VR18 just south of it, VR01 around Groningen.
geo::GeoRegion Box(double lat0, double lat1, double lon0, double lon1) {
  geo::GeoRegion r;
  r.outers.push_back({{{lat0, lon0, 0}, {lat0, lon1, 0}, {lat1, lon1, 0}, {lat1, lon0, 0}}});
  return r;
}

std::vector<NamedRegion> Regions() {
  return {{"VR01", "Groningen", Box(53.0, 53.5, 6.3, 7.2)},
          {"VR17", "Rotterdam-Rijnmond", Box(51.80, 52.05, 4.00, 4.65)},
          {"VR18", "Zuid-Holland Zuid", Box(51.65, 51.80, 4.40, 5.00)}};
}

geo::LocalFrame Frame() { return geo::LocalFrame({51.92, 4.48, 0.0}); }  // Rotterdam

Threat ThreatAt(int64_t track, double lat, double lon, SimTime impact, double sigma_m = 1000.0) {
  Threat t;
  t.track = TrackId(track);
  t.object_class = ObjectClass::kOneWayAttackDrone;
  t.predicted_impact = Frame().ToEnu({lat, lon, 0.0});
  t.impact_covariance = Mat3::Identity() * sigma_m * sigma_m;
  t.predicted_impact_time = impact;
  return t;
}

SimTime At(int s) { return SimTime() + Seconds(s); }

TEST(WarningDeciderTest, ThreatAtRotterdamAlertsVr17OnceAndNotGroningen) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  const std::vector<Threat> threats = {ThreatAt(7, 51.92, 4.48, At(300))};
  const std::vector<Warning> first = decider.Decide(At(0), threats);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, WarningKind::kAlert);
  EXPECT_EQ(first[0].region_code, "VR17");
  EXPECT_EQ(first[0].region_name, "Rotterdam-Rijnmond");
  EXPECT_EQ(first[0].threats, std::vector<TrackId>{TrackId(7)});
  EXPECT_EQ(first[0].predicted_impact_time, At(300));
  EXPECT_TRUE(first[0].id.valid());
  for (int s = 1; s < 100; s += 5) EXPECT_TRUE(decider.Decide(At(s), threats).empty()) << s;
  ASSERT_EQ(decider.alerts().size(), 1u);
  EXPECT_EQ(decider.alerts()[0].lead_time(), Seconds(300));
  const std::vector<double> p = decider.ImpactProbabilities(threats[0]);
  EXPECT_GT(p[1], 0.99);
  EXPECT_EQ(p[0], 0.0);
}

TEST(WarningDeciderTest, ImpactProbabilitySplitsAcrossABorder) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  // On the VR17/VR18 border (lat 51.80) where both overlap in longitude: about half each side.
  const std::vector<double> p = decider.ImpactProbabilities(ThreatAt(1, 51.80, 4.50, At(100), 2000.0));
  EXPECT_NEAR(p[1], 0.5, 0.1);
  EXPECT_NEAR(p[2], 0.5, 0.1);
  EXPECT_NEAR(p[1] + p[2], 1.0, 1e-3);  // a few far nodes fall west of VR18 and south of VR17
  // A very uncertain impact reaches no region with enough probability: no alert.
  const std::vector<Threat> vague = {ThreatAt(2, 51.92, 4.48, At(100), 200000.0)};
  EXPECT_TRUE(decider.Decide(At(0), vague).empty());
}

TEST(WarningDeciderTest, TurningThreatAlertsTheNewRegionAndAllClearsTheOld) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  for (int s = 0; s < 20; ++s) {
    const auto w = decider.Decide(At(s), std::vector<Threat>{ThreatAt(3, 51.92, 4.48, At(400))});
    if (s == 0) {
      ASSERT_EQ(w.size(), 1u);
    }
  }
  // The drone turns south: its predicted impact is now in VR18.
  std::vector<Warning> all;
  for (int s = 20; s <= 90; ++s) {
    for (Warning& w : decider.Decide(At(s), std::vector<Threat>{ThreatAt(3, 51.72, 4.70, At(420))})) {
      all.push_back(std::move(w));
    }
  }
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, WarningKind::kAlert);
  EXPECT_EQ(all[0].region_code, "VR18");
  EXPECT_EQ(all[0].issued_at, At(20));
  EXPECT_EQ(all[1].kind, WarningKind::kAllClear);
  EXPECT_EQ(all[1].region_code, "VR17");
  EXPECT_EQ(all[1].issued_at, At(19 + 60));  // last threatened at 19, all-clear after 60 s
}

TEST(WarningDeciderTest, AllClearAfterTheThreatIsGone) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  const std::vector<Threat> threats = {ThreatAt(4, 51.92, 4.48, At(300))};
  for (int s = 0; s <= 10; ++s) decider.Decide(At(s), threats);
  for (int s = 11; s < 70; ++s) EXPECT_TRUE(decider.Decide(At(s), {}).empty()) << s;
  const std::vector<Warning> w = decider.Decide(At(70), {});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::kAllClear);
  EXPECT_EQ(w[0].threats, std::vector<TrackId>{TrackId(4)});
  EXPECT_TRUE(decider.Decide(At(71), {}).empty());
  // A new threat after the all-clear is a new alert.
  const std::vector<Warning> again = decider.Decide(At(80), threats);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].kind, WarningKind::kAlert);
}

TEST(WarningDeciderTest, UpdatesForNewThreatsAndMovedImpactTimeOnly) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  ASSERT_EQ(decider.Decide(At(0), std::vector<Threat>{ThreatAt(1, 51.92, 4.48, At(300))}).size(), 1u);
  // Impact time moves by 10 s: not material.
  EXPECT_TRUE(decider.Decide(At(40), std::vector<Threat>{ThreatAt(1, 51.92, 4.48, At(310))}).empty());
  // A second threat joins at 45 s: an update, naming both.
  std::vector<Warning> w = decider.Decide(
      At(45), std::vector<Threat>{ThreatAt(1, 51.92, 4.48, At(310)), ThreatAt(2, 51.90, 4.40, At(350))});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::kUpdate);
  EXPECT_EQ(w[0].threats, (std::vector<TrackId>{TrackId(1), TrackId(2)}));
  // The earliest impact moves 60 s earlier 10 s later: material, but wait for update_min_interval (30 s).
  const std::vector<Threat> sooner = {ThreatAt(1, 51.92, 4.48, At(250)), ThreatAt(2, 51.90, 4.40, At(350))};
  EXPECT_TRUE(decider.Decide(At(55), sooner).empty());
  w = decider.Decide(At(75), sooner);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::kUpdate);
  EXPECT_EQ(w[0].predicted_impact_time, At(250));
  EXPECT_TRUE(decider.Decide(At(120), sooner).empty());
}

TEST(WarningDeciderTest, HoldAndRelease) {
  WarningDecider decider(WarningConfig{}, Regions(), Frame());
  const std::vector<Threat> threats = {ThreatAt(5, 51.92, 4.48, At(300))};
  decider.Hold("VR17");
  EXPECT_TRUE(decider.Decide(At(0), threats).empty());
  EXPECT_TRUE(decider.Decide(At(5), threats).empty());
  decider.Release("VR17");
  std::vector<Warning> w = decider.Decide(At(6), threats);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].kind, WarningKind::kAlert);
  EXPECT_EQ(w[0].issued_at, At(6));

  // Held while the threat came and went: nothing is sent after release, neither alert nor all-clear.
  WarningDecider other(WarningConfig{}, Regions(), Frame());
  other.Hold("VR17");
  other.Decide(At(0), threats);
  other.Decide(At(10), {});
  other.Release("VR17");
  for (int s = 11; s < 200; s += 10) EXPECT_TRUE(other.Decide(At(s), {}).empty()) << s;
  EXPECT_TRUE(other.alerts().empty());
}

TEST(WarningDeciderTest, Deterministic) {
  auto run = [] {
    WarningDecider decider(WarningConfig{}, Regions(), Frame());
    std::vector<std::string> log;
    for (int s = 0; s < 200; s += 3) {
      std::vector<Threat> threats;
      if (s < 100) threats.push_back(ThreatAt(1, 51.92 - 0.002 * s, 4.48 + 0.002 * s, At(300 - s)));
      if (s > 30 && s < 150) threats.push_back(ThreatAt(2, 51.75, 4.6, At(400)));
      for (const Warning& w : decider.Decide(At(s), threats)) {
        log.push_back(w.id.ToString() + " " + w.region_code + " " + std::string(WarningKindName(w.kind)) + " " +
                      w.reason);
      }
    }
    return log;
  };
  const auto a = run();
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, run());
}

}  // namespace
}  // namespace koepel::warning
