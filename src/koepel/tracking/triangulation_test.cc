// Bearings-only triangulation: exact geometry, covariance consistency (NEES), ghost intersections.
#include "koepel/tracking/triangulation.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <numbers>

#include "koepel/tracking/filter.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking::internal {
namespace {

SimTime At(double s) { return SimTime::Epoch() + SecondsF(s); }

Detection Bearing(int sensor, const Vec3& at, const Vec3& target, double sigma_az, double sigma_el, Rng* rng,
                  double t = 0.0) {
  Detection d;
  d.id = DetectionId(sensor * 1000 + static_cast<int>(target.x()) % 997);
  d.sensor = SensorId(sensor);
  d.sensor_kind = SensorKind::kEoir;
  d.time = At(t);
  d.sensor_position = at;
  d.measurement.kind = MeasurementKind::kBearing;
  const Vec3 rae = RangeAzimuthElevation(at, target);
  d.measurement.z = Vec3(rae[1], rae[2], 0.0);
  if (rng != nullptr) {
    d.measurement.z[0] = WrapAngle(d.measurement.z[0] + rng->Normal(0, sigma_az));
    d.measurement.z[1] += rng->Normal(0, sigma_el);
  }
  d.measurement.noise = Mat3::Zero();
  d.measurement.noise(0, 0) = sigma_az * sigma_az;
  d.measurement.noise(1, 1) = sigma_el * sigma_el;
  return d;
}

const Vec3 kSensorA(0, 0, 10), kSensorB(10000, 0, 30), kSensorC(5000, -8000, 0);

TEST(TriangulationTest, NoiselessRaysMeetAtTheTarget) {
  const Vec3 target(4000, 9000, 1200);
  const Detection a = Bearing(1, kSensorA, target, 0.001, 0.001, nullptr);
  const Detection b = Bearing(2, kSensorB, target, 0.001, 0.001, nullptr);
  const Detection c = Bearing(3, kSensorC, target, 0.001, 0.001, nullptr);
  for (const std::vector<const Detection*>& rays :
       {std::vector<const Detection*>{&a, &b}, std::vector<const Detection*>{&a, &b, &c}}) {
    const std::optional<Triangulation> tri = IntersectBearings(rays, 0.0);
    ASSERT_TRUE(tri.has_value());
    EXPECT_LT((tri->position - target).norm(), 1e-6);
    EXPECT_LT(tri->chi2, 1e-12);
    EXPECT_EQ(tri->dof, 2 * static_cast<int>(rays.size()) - 3);
    // Covariance from the geometry: about range x sigma across each ray, more along the ray
    // where the crossing angle is shallow; positive definite.
    const Eigen::SelfAdjointEigenSolver<Mat3> es(tri->covariance);
    EXPECT_GT(es.eigenvalues().minCoeff(), 0.0);
    EXPECT_LT(std::sqrt(es.eigenvalues().maxCoeff()), 100.0);
    EXPECT_GT(std::sqrt(es.eigenvalues().minCoeff()), 1.0);
  }
}

TEST(TriangulationTest, DegenerateGeometriesFail) {
  const Vec3 target(4000, 9000, 1200);
  // Both sensors in one place: every ray pair is the same line, nearly.
  const Detection a = Bearing(1, kSensorA, target, 0.001, 0.001, nullptr);
  const Detection a2 = Bearing(2, kSensorA + Vec3(0.01, 0, 0), target, 0.001, 0.001, nullptr);
  EXPECT_FALSE(IntersectBearings(std::vector<const Detection*>{&a, &a2}, 0.0).has_value());
  // Rays pointing away from each other meet only behind a sensor.
  Detection b = Bearing(2, kSensorB, target, 0.001, 0.001, nullptr);
  b.measurement.z[0] = WrapAngle(b.measurement.z[0] + std::numbers::pi);
  b.measurement.z[1] = -b.measurement.z[1];
  EXPECT_FALSE(IntersectBearings(std::vector<const Detection*>{&a, &b}, 0.0).has_value());
}

// NEES e' P^-1 e of the fix over many noisy trials: chi-square with 3 dof if the covariance is
// right, so its mean over N trials is 3 +- 3 sqrt(6 / N) (3 sigma); the residual chi2 has mean 2K-3.
void ExpectConsistent(int sensors) {
  Rng rng(30 + sensors);
  const Vec3 target(4000, 9000, 1200);
  const int n = 600;
  double nees = 0.0, chi2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const Detection a = Bearing(1, kSensorA, target, 0.002, 0.002, &rng);
    const Detection b = Bearing(2, kSensorB, target, 0.002, 0.003, &rng);
    const Detection c = Bearing(3, kSensorC, target, 0.004, 0.002, &rng);
    std::vector<const Detection*> rays = {&a, &b};
    if (sensors == 3) rays.push_back(&c);
    const std::optional<Triangulation> tri = IntersectBearings(rays, 0.0);
    ASSERT_TRUE(tri.has_value());
    const Vec3 e = tri->position - target;
    nees += e.dot(tri->covariance.ldlt().solve(e)) / n;
    chi2 += tri->chi2 / n;
  }
  const double half = 3.0 * std::sqrt(6.0 / n);
  EXPECT_NEAR(nees, 3.0, half) << sensors << " sensors";
  const int dof = 2 * sensors - 3;
  EXPECT_NEAR(chi2, dof, 3.0 * std::sqrt(2.0 * dof / n)) << sensors << " sensors";
}

TEST(TriangulationTest, CovarianceIsConsistentWithTwoSensors) { ExpectConsistent(2); }
TEST(TriangulationTest, CovarianceIsConsistentWithThreeSensors) { ExpectConsistent(3); }

TEST(TriangulationTest, RaysAFractionOfASecondApartStillMeet) {
  // A target at 250 m/s; sensors B and C look 0.4 s after A. Without the motion allowance A's
  // ray misses the B x C crossing by about 100 m at 10 km, 10 mrad against 0.5 mrad of noise;
  // with it the triple is consistent. (Two rays always meet in azimuth: motion shows in 3+.)
  const Vec3 p0(4000, 9000, 1200), v(250, 0, 0);
  const double s = 0.0005;
  const Detection a = Bearing(1, kSensorA, p0, s, s, nullptr, 0.0);
  const Detection b = Bearing(2, kSensorB, p0 + 0.4 * v, s, s, nullptr, 0.4);
  const Detection c = Bearing(3, kSensorC, p0 + 0.4 * v, s, s, nullptr, 0.4);
  const std::vector<const Detection*> rays = {&a, &b, &c};
  const std::optional<Triangulation> strict = IntersectBearings(rays, 0.0);
  ASSERT_TRUE(strict.has_value());
  EXPECT_GT(strict->chi2, ChiSquareQuantile(0.999, 3));
  const std::optional<Triangulation> allowed = IntersectBearings(rays, 300.0);
  ASSERT_TRUE(allowed.has_value());
  EXPECT_LT(allowed->chi2, ChiSquareQuantile(0.999, 3));
  EXPECT_EQ(allowed->time, At(0.4));
  EXPECT_LT((allowed->position - (p0 + 0.4 * v)).norm(), 50.0);
}

// Two targets at one altitude, bearing sensors with a poor elevation (RF direction finders): the
// two sensors' rays cross in four places, and the two ghost crossings pass the residual gate just
// as the true ones do. A third sensor's rays pass through the true crossings only, so the
// consistent triples win and no ghost is reported.
TEST(TriangulationTest, ThirdSensorRemovesGhosts) {
  const Vec3 t1(3000, 9000, 800), t2(7000, 9500, 800);
  const double az = 0.003, el = 0.2;
  const Detection a1 = Bearing(1, kSensorA, t1, az, el, nullptr), a2 = Bearing(1, kSensorA, t2, az, el, nullptr);
  const Detection b1 = Bearing(2, kSensorB, t1, az, el, nullptr), b2 = Bearing(2, kSensorB, t2, az, el, nullptr);
  const Detection c1 = Bearing(3, kSensorC, t1, az, el, nullptr), c2 = Bearing(3, kSensorC, t2, az, el, nullptr);
  // The ghosts are real: a1 x b2 and a2 x b1 are consistent pairs.
  for (const auto& [p, q] : {std::pair{&a1, &b2}, std::pair{&a2, &b1}}) {
    const std::optional<Triangulation> ghost = IntersectBearings(std::vector<const Detection*>{p, q}, 0.0);
    ASSERT_TRUE(ghost.has_value());
    EXPECT_LT(ghost->chi2, ChiSquareQuantile(0.999, 1));
    EXPECT_GT(std::min((ghost->position - t1).norm(), (ghost->position - t2).norm()), 1000.0);
  }
  TriangulationOptions options;
  options.speed_sigma_mps = 0.0;
  // Shuffled input order; the fixes are found regardless.
  const std::vector<const Detection*> all = {&b2, &c1, &a1, &c2, &b1, &a2};
  const std::vector<Triangulation> fixes = FindTriangulations(all, options);
  ASSERT_EQ(fixes.size(), 2u);
  for (const Triangulation& f : fixes) {
    EXPECT_EQ(f.members.size(), 3u);
    EXPECT_LT(std::min((f.position - t1).norm(), (f.position - t2).norm()), 1.0);
  }
  EXPECT_GT((fixes[0].position - fixes[1].position).norm(), 1000.0);
}

// With a good elevation the rays of different targets (at different altitudes here) are skew: two
// sensors suffice, the ghost pairs fail the residual gate.
TEST(TriangulationTest, ElevationRejectsGhostsOfTwoSensors) {
  Rng rng(7);
  const Vec3 t1(3000, 9000, 600), t2(7000, 9500, 1500);
  const double s = 0.001;
  const Detection a1 = Bearing(1, kSensorA, t1, s, s, &rng), a2 = Bearing(1, kSensorA, t2, s, s, &rng);
  const Detection b1 = Bearing(2, kSensorB, t1, s, s, &rng), b2 = Bearing(2, kSensorB, t2, s, s, &rng);
  const std::optional<Triangulation> ghost = IntersectBearings(std::vector<const Detection*>{&a1, &b2}, 0.0);
  EXPECT_TRUE(!ghost.has_value() || ghost->chi2 > ChiSquareQuantile(0.999, 1));
  TriangulationOptions options;
  const std::vector<Triangulation> fixes = FindTriangulations(std::vector<const Detection*>{&a1, &a2, &b1, &b2}, options);
  ASSERT_EQ(fixes.size(), 2u);
  for (const Triangulation& f : fixes) {
    const Vec3& truth = (f.position - t1).norm() < (f.position - t2).norm() ? t1 : t2;
    const Vec3 e = f.position - truth;
    EXPECT_LT(e.dot(f.covariance.ldlt().solve(e)), 16.27);  // within the 99.9 % ellipsoid (3 dof)
  }
}

TEST(TriangulationTest, SameSensorOrFarApartInTimeNeverPair) {
  const Vec3 target(4000, 9000, 1200);
  const Detection a = Bearing(1, kSensorA, target, 0.001, 0.001, nullptr, 0.0);
  Detection a_again = Bearing(1, kSensorB, target, 0.001, 0.001, nullptr, 0.0);  // same sensor id
  const Detection b_late = Bearing(2, kSensorB, target, 0.001, 0.001, nullptr, 2.0);
  TriangulationOptions options;
  EXPECT_TRUE(FindTriangulations(std::vector<const Detection*>{&a, &a_again}, options).empty());
  EXPECT_TRUE(FindTriangulations(std::vector<const Detection*>{&a, &b_late}, options).empty());
  options.max_time_spread = Seconds(3);
  options.speed_sigma_mps = 10.0;
  EXPECT_EQ(FindTriangulations(std::vector<const Detection*>{&a, &b_late}, options).size(), 1u);
}

}  // namespace
}  // namespace koepel::tracking::internal
