// The warning stage over the real safety-region shapes (the loader and the decider together).
#include <gtest/gtest.h>

#include "koepel/adapters/geojson/geojson.h"
#include "koepel/warning/warning.h"

namespace koepel {
namespace {

TEST(RegionsWarningTest, ThreatAimedAtRotterdamAlertsRotterdamRijnmondOnly) {
  const std::string dir = std::string(KOEPEL_SOURCE_DIR) + "/data/nl/";
  auto regions = adapters::LoadTopoJsonRegions(dir + "nl-vr-gm.topo.json", "vr_features", dir + "vr_codes.csv");
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  const geo::LocalFrame frame({51.95, 4.05, 0.0});  // Maasvlakte
  warning::WarningDecider decider(warning::WarningConfig{}, *regions, frame);
  Threat t;
  t.track = TrackId(11);
  t.predicted_impact = frame.ToEnu({51.92, 4.48, 0.0});  // Rotterdam centre
  t.impact_covariance = Mat3::Identity() * 1500.0 * 1500.0;
  t.predicted_impact_time = SimTime() + Seconds(240);
  const std::vector<Warning> w = decider.Decide(SimTime(), std::vector<Threat>{t});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].region_code, "VR17");
  EXPECT_EQ(w[0].region_name, "Rotterdam-Rijnmond");
  EXPECT_TRUE(decider.Decide(SimTime() + Seconds(5), std::vector<Threat>{t}).empty());

  // Volkel air base lies in Brabant-Noord.
  t.track = TrackId(12);
  t.predicted_impact = frame.ToEnu({51.657, 5.708, 0.0});
  t.impact_covariance = Mat3::Identity() * 500.0 * 500.0;
  const std::vector<Warning> v = decider.Decide(SimTime() + Seconds(10), std::vector<Threat>{t});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].region_code, "VR21");
}

}  // namespace
}  // namespace koepel
