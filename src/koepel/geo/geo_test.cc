#include <gtest/gtest.h>

#include <cmath>

#include "koepel/geo/geo.h"

namespace koepel::geo {
namespace {

double Dms(double d, double m, double s) { return std::copysign(std::abs(d) + m / 60.0 + s / 3600.0, d); }

// Geoscience Australia's published check of Vincenty's formulae: Flinders Peak to Buninyong.
TEST(GeodesyTest, FlindersPeakToBuninyong) {
  LatLonAlt flinders{Dms(-37, 57, 3.72030), Dms(144, 25, 29.52440), 0};
  LatLonAlt buninyong{Dms(-37, 39, 10.15610), Dms(143, 55, 35.38390), 0};
  EXPECT_NEAR(GeodesicDistance(flinders, buninyong), 54972.271, 0.001);
  double az = GeodesicAzimuthDeg(flinders, buninyong);
  if (az < 0) az += 360.0;
  EXPECT_NEAR(az, Dms(306, 52, 5.37), 1e-5);
}

// GeographicLib's documented example: JFK to LHR.
TEST(GeodesyTest, JfkToLhr) {
  EXPECT_NEAR(GeodesicDistance({40.6, -73.8, 0}, {51.6, -0.5, 0}), 5551759.400319, 1e-3);
  LatLonAlt p = GeodesicDirect({40.6, -73.8, 0}, 51.0, 5.5e6);
  EXPECT_NEAR(p.lat_deg, 51.884565, 1e-5);
  EXPECT_NEAR(p.lon_deg, -1.141173, 1e-5);
}

// ECEF against the closed-form WGS84 formulas (a = 6378137 m, f = 1/298.257223563).
TEST(GeodesyTest, EcefMatchesClosedForm) {
  const double a = 6378137.0, f = 1.0 / 298.257223563, e2 = f * (2 - f);
  for (LatLonAlt p : {LatLonAlt{0, 0, 0}, LatLonAlt{52.0, 5.0, 100.0}, LatLonAlt{-33.9, 151.2, 2000.0},
                      LatLonAlt{90.0, 0.0, 0.0}}) {
    const double lat = p.lat_deg * M_PI / 180, lon = p.lon_deg * M_PI / 180;
    const double n = a / std::sqrt(1 - e2 * std::sin(lat) * std::sin(lat));
    Eigen::Vector3d expected((n + p.alt_m) * std::cos(lat) * std::cos(lon),
                             (n + p.alt_m) * std::cos(lat) * std::sin(lon),
                             (n * (1 - e2) + p.alt_m) * std::sin(lat));
    EXPECT_LT((ToEcef(p) - expected).norm(), 1e-6);
    LatLonAlt back = FromEcef(expected);
    EXPECT_NEAR(back.lat_deg, p.lat_deg, 1e-9);
    EXPECT_NEAR(back.alt_m, p.alt_m, 1e-6);
  }
  EXPECT_NEAR(ToEcef({90, 0, 0}).z(), 6356752.314245, 1e-6);  // the polar semi-axis
}

TEST(LocalFrameTest, EnuAxesAndRoundTrip) {
  LocalFrame frame({51.95, 4.05, 0.0});
  EXPECT_LT(frame.ToEnu({51.95, 4.05, 0.0}).norm(), 1e-9);
  // 0.01 degree north is about 1113 m north, nothing east.
  Eigen::Vector3d north = frame.ToEnu({51.96, 4.05, 0.0});
  EXPECT_NEAR(north.x(), 0.0, 1e-6);
  EXPECT_NEAR(north.y(), 1113.0, 2.0);
  EXPECT_LT(north.z(), 0.0);  // the earth curves away from the tangent plane
  Eigen::Vector3d up = frame.ToEnu({51.95, 4.05, 500.0});
  EXPECT_NEAR(up.z(), 500.0, 1e-6);
  // Round trip and agreement with the geodesic distance at 30 km.
  LatLonAlt p{51.80, 4.40, 300.0};
  Eigen::Vector3d enu = frame.ToEnu(p);
  LatLonAlt q = frame.ToGeodetic(enu);
  EXPECT_NEAR(q.lat_deg, p.lat_deg, 1e-10);
  EXPECT_NEAR(q.lon_deg, p.lon_deg, 1e-10);
  EXPECT_NEAR(q.alt_m, p.alt_m, 1e-6);
  EXPECT_NEAR(enu.head<2>().norm(), GeodesicDistance({51.95, 4.05, 0}, {51.80, 4.40, 0}), 30.0);
  LocalFrame copy = frame;
  EXPECT_EQ(copy.ToEnu(p), enu);
}

TEST(PolygonTest, ContainsAndDistance) {
  GeoPolygon square{{{51.0, 4.0, 0}, {51.0, 5.0, 0}, {52.0, 5.0, 0}, {52.0, 4.0, 0}}};
  EXPECT_TRUE(Contains(square, 51.5, 4.5));
  EXPECT_FALSE(Contains(square, 52.5, 4.5));
  EXPECT_FALSE(Contains(square, 51.5, 3.9));
  GeoRegion region{{square}, {GeoPolygon{{{51.4, 4.4, 0}, {51.4, 4.6, 0}, {51.6, 4.6, 0}, {51.6, 4.4, 0}}}}};
  EXPECT_FALSE(Contains(region, 51.5, 4.5));  // in the hole
  EXPECT_TRUE(Contains(region, 51.2, 4.2));

  std::vector<Eigen::Vector2d> local{{0, 0}, {100, 0}, {100, 100}, {0, 100}};
  EXPECT_TRUE(Contains(local, Eigen::Vector2d(50, 50)));
  EXPECT_DOUBLE_EQ(DistanceToPolygon(local, Eigen::Vector2d(50, 50)), 0.0);
  EXPECT_DOUBLE_EQ(DistanceToPolygon(local, Eigen::Vector2d(130, 50)), 30.0);
  EXPECT_DOUBLE_EQ(DistanceToPolygon(local, Eigen::Vector2d(103, 104)), 5.0);
}

}  // namespace
}  // namespace koepel::geo
