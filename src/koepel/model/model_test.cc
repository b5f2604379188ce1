#include <gtest/gtest.h>

#include <cmath>

#include "koepel/model/model.h"

namespace koepel {
namespace {

TEST(ModelTest, NamesRoundTrip) {
  for (ObjectClass c : kAllObjectClasses) EXPECT_EQ(ObjectClassFromName(ObjectClassName(c)), c);
  EXPECT_EQ(ObjectClassFromName("shahed"), std::nullopt);
  for (int i = 0; i < kEffectorKindCount; ++i) {
    auto k = static_cast<EffectorKind>(i);
    EXPECT_EQ(EffectorKindFromName(EffectorKindName(k)), k);
  }
  EXPECT_EQ(SensorKindFromName("eoir"), SensorKind::kEoir);
  EXPECT_FALSE(IsKinetic(EffectorKind::kJammer));
  EXPECT_TRUE(IsKinetic(EffectorKind::kPatriot));
  EXPECT_TRUE(IsProtected(Affiliation::kCivil));
  EXPECT_TRUE(IsProtected(Affiliation::kFriend));
  EXPECT_FALSE(IsProtected(Affiliation::kUnknown));
  EXPECT_FALSE(IsProtected(Affiliation::kHostile));
}

TEST(ModelTest, PolarRoundTripAndConventions) {
  Vec3 sensor(100, 200, 10);
  Vec3 target(1100, 200, 10);  // due east
  Vec3 rae = RangeAzimuthElevation(sensor, target);
  EXPECT_NEAR(rae[0], 1000.0, 1e-9);
  EXPECT_NEAR(rae[1], M_PI / 2, 1e-12);  // azimuth clockwise from north
  EXPECT_NEAR(rae[2], 0.0, 1e-12);
  Vec3 other(-3000, 5000, 1500);
  EXPECT_LT((FromRangeAzimuthElevation(sensor, RangeAzimuthElevation(sensor, other)) - other).norm(), 1e-9);
}

TEST(ModelTest, PolarCovarianceGrowsAcrossRange) {
  Detection d;
  d.sensor_position = Vec3::Zero();
  d.measurement.kind = MeasurementKind::kRangeBearing;
  d.measurement.z = Vec3(10000.0, 0.0, 0.0);  // 10 km due north
  d.measurement.noise = Vec3(10.0 * 10.0, 0.001 * 0.001, 0.001 * 0.001).asDiagonal();
  auto p = ToPosition(d);
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR(p->position.y(), 10000.0, 1e-9);
  EXPECT_NEAR(std::sqrt(p->covariance(1, 1)), 10.0, 1e-6);  // along range: range noise
  EXPECT_NEAR(std::sqrt(p->covariance(0, 0)), 10.0, 1e-6);  // across: 1 mrad x 10 km
  d.measurement.kind = MeasurementKind::kBearing;
  EXPECT_FALSE(ToPosition(d).has_value());
}

}  // namespace
}  // namespace koepel
