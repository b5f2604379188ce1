// Filters and gating: known-answer KF, EKF polar and bearing updates, NEES consistency,
// chi-square quantiles and the prefilter's completeness.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <numbers>

#include "koepel/tracking/filter.h"
#include "koepel/tracking/gating.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking::internal {
namespace {

constexpr auto kDwna = ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration;

Detection PositionDetection(const Vec3& z, double sigma, SimTime t = SimTime::Epoch()) {
  Detection d;
  d.time = t;
  d.measurement.kind = MeasurementKind::kPosition;
  d.measurement.z = z;
  d.measurement.noise = sigma * sigma * Mat3::Identity();
  return d;
}

Detection PolarDetection(const Vec3& sensor, const Vec3& rae, double sr, double saz, double sel) {
  Detection d;
  d.sensor_position = sensor;
  d.measurement.kind = MeasurementKind::kRangeBearing;
  d.measurement.z = rae;
  d.measurement.noise = Vec3(sr * sr, saz * saz, sel * sel).asDiagonal();
  return d;
}

Detection BearingDetection(const Vec3& sensor, double az, double el, double sigma) {
  Detection d;
  d.sensor_position = sensor;
  d.measurement.kind = MeasurementKind::kBearing;
  d.measurement.z = Vec3(az, el, 0.0);
  d.measurement.noise = Mat3::Zero();
  d.measurement.noise(0, 0) = sigma * sigma;
  d.measurement.noise(1, 1) = sigma * sigma;
  return d;
}

bool IsSymmetricPositiveDefinite(const Mat6& p) {
  if ((p - p.transpose()).cwiseAbs().maxCoeff() != 0.0) return false;
  return Eigen::LLT<Mat6>(p).info() == Eigen::Success;
}

TEST(FilterTest, PredictMatchesAnalyticConstantVelocity) {
  TrackState s;
  s.x << 10, 20, 30, 1, -2, 3;
  s.P = Vec6(4, 4, 4, 9, 9, 9).asDiagonal();
  const double dt = 2.0, sigma = 0.5;
  const TrackState p = Predict(s, SimTime::Epoch() + Seconds(2), sigma, kDwna);
  EXPECT_NEAR(p.x[0], 12.0, 1e-12);
  EXPECT_NEAR(p.x[1], 16.0, 1e-12);
  EXPECT_NEAR(p.x[5], 3.0, 1e-12);
  const double q = sigma * sigma;
  // Per axis: Ppp = 4 + dt^2 9 + q dt^4 / 4, Ppv = dt 9 + q dt^3 / 2, Pvv = 9 + q dt^2.
  EXPECT_NEAR(p.P(0, 0), 4 + dt * dt * 9 + q * std::pow(dt, 4) / 4, 1e-12);
  EXPECT_NEAR(p.P(0, 3), dt * 9 + q * std::pow(dt, 3) / 2, 1e-12);
  EXPECT_NEAR(p.P(3, 3), 9 + q * dt * dt, 1e-12);
  EXPECT_EQ(p.P(0, 1), 0.0);
  // The continuous model: q dt^3 / 3 in position.
  const TrackState c = Predict(s, SimTime::Epoch() + Seconds(2), sigma,
                               ProcessNoiseModel::kContinuousWhiteNoiseAcceleration);
  EXPECT_NEAR(c.P(0, 0), 4 + dt * dt * 9 + q * std::pow(dt, 3) / 3, 1e-12);
}

TEST(FilterTest, PositionUpdateMatchesScalarKalmanFormulas) {
  // Each axis is an independent 2-state (p, v) problem with a position-velocity correlation:
  //   K_p = Ppp / (Ppp + r), K_v = Ppv / (Ppp + r), Ppp+ = Ppp r / (Ppp + r),
  //   Pvv+ = Pvv - Ppv^2 / (Ppp + r), Ppv+ = Ppv r / (Ppp + r).
  const double ppp = 100.0, ppv = 30.0, pvv = 25.0, r = 50.0;
  TrackState s;
  s.x << 0, 0, 0, 5, 5, 5;
  s.P.setZero();
  for (int i = 0; i < 3; ++i) {
    s.P(i, i) = ppp;
    s.P(i + 3, i + 3) = pvv;
    s.P(i, i + 3) = s.P(i + 3, i) = ppv;
  }
  const Vec3 z(15.0, -30.0, 6.0);
  const Detection d = PositionDetection(z, std::sqrt(r));
  const PredictedMeasurement pm = PredictMeasurement(s, d);
  ASSERT_TRUE(pm.valid);
  EXPECT_NEAR(MahalanobisSquared(pm), z.squaredNorm() / (ppp + r), 1e-12);
  const TrackState post = Update(s, d, pm);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(post.x[i], ppp / (ppp + r) * z[i], 1e-10);
    EXPECT_NEAR(post.x[i + 3], 5.0 + ppv / (ppp + r) * z[i], 1e-10);
    EXPECT_NEAR(post.P(i, i), ppp * r / (ppp + r), 1e-10);
    EXPECT_NEAR(post.P(i + 3, i + 3), pvv - ppv * ppv / (ppp + r), 1e-10);
    EXPECT_NEAR(post.P(i, i + 3), ppv * r / (ppp + r), 1e-10);
  }
  EXPECT_TRUE(IsSymmetricPositiveDefinite(post.P));
}

TEST(FilterTest, PolarJacobianMatchesFiniteDifferences) {
  TrackState s;
  s.x << 3000, -4000, 700, 50, 60, 0;
  const Detection d = PolarDetection(Vec3(100, 200, 10), Vec3(1, 0, 0), 10, 0.01, 0.01);
  const PredictedMeasurement pm = PredictMeasurement(s, d);
  ASSERT_TRUE(pm.valid);
  for (int k = 0; k < 3; ++k) {
    Vec6 a = s.x, b = s.x;
    a[k] += 1e-3;
    b[k] -= 1e-3;
    const Vec3 diff = (MeasurementFunction(a, d) - MeasurementFunction(b, d)) / 2e-3;
    for (int row = 0; row < 3; ++row) EXPECT_NEAR(pm.H(row, k), diff[row], 1e-8) << row << "," << k;
  }
  EXPECT_TRUE(pm.H.rightCols<3>().isZero());
}

TEST(FilterTest, PolarUpdateReducesErrorTowardsTruth) {
  const Vec3 sensor(0, 0, 0);
  const Vec3 truth(3000, 4000, 500);
  TrackState prior;
  prior.x << 3300, 3700, 650, 0, 0, 0;
  prior.P = Vec6(500 * 500, 500 * 500, 300 * 300, 100, 100, 100).asDiagonal();
  const Detection d = PolarDetection(sensor, RangeAzimuthElevation(sensor, truth), 5.0, 0.002, 0.002);
  const PredictedMeasurement pm = PredictMeasurement(prior, d);
  const TrackState post = Update(prior, d, pm);
  const double before = (prior.position() - truth).norm();
  const double after = (post.position() - truth).norm();
  EXPECT_LT(after, 0.1 * before);
  const double trace_before = prior.P.topLeftCorner<3, 3>().trace();
  const double trace_after = post.P.topLeftCorner<3, 3>().trace();
  EXPECT_LT(trace_after, 0.05 * trace_before);
  EXPECT_TRUE(IsSymmetricPositiveDefinite(post.P));
}

TEST(FilterTest, AzimuthInnovationIsWrapped) {
  // Truth just west of due south, prior just east of it: azimuths near -pi and +pi.
  const Vec3 sensor(0, 0, 0);
  const Vec3 truth(-5, -5000, 0);
  TrackState prior;
  prior.x << 5, -5000, 0, 0, 0, 0;
  prior.P = 100.0 * Mat6::Identity();
  const Detection d = PolarDetection(sensor, RangeAzimuthElevation(sensor, truth), 5, 0.001, 0.001);
  ASSERT_LT(d.measurement.z[1], -3.0);
  const PredictedMeasurement pm = PredictMeasurement(prior, d);
  // Clockwise from just east of south (az ~ pi) to just west of it (az ~ -pi): +10 m / 5000 m.
  EXPECT_NEAR(pm.innovation[1], 10.0 / 5000.0, 1e-5);
  const TrackState post = Update(prior, d, pm);
  EXPECT_LT(std::abs(post.x[0] - truth.x()), 5.0);
  EXPECT_EQ(WrapAngle(std::numbers::pi), std::numbers::pi);
  EXPECT_NEAR(WrapAngle(-std::numbers::pi), std::numbers::pi, 1e-15);
  EXPECT_NEAR(WrapAngle(3 * std::numbers::pi / 2), -std::numbers::pi / 2, 1e-15);
}

TEST(FilterTest, BearingUpdateCorrectsCrossRangeOnly) {
  const Vec3 sensor(0, 0, 0);
  const Vec3 truth(0, 10000, 0);
  TrackState prior;
  prior.x << 500, 10300, 0, 0, 0, 0;
  prior.P = Vec6(1e6, 1e6, 1e6, 100, 100, 100).asDiagonal();
  const Vec3 rae = RangeAzimuthElevation(sensor, truth);
  const Detection d = BearingDetection(sensor, rae[1], rae[2], 1e-4);
  const PredictedMeasurement pm = PredictMeasurement(prior, d);
  ASSERT_EQ(pm.dim, 2);
  const TrackState post = Update(prior, d, pm);
  // Cross-range (x) error falls from 500 m to the bearing's resolution; range (y) is unobservable.
  EXPECT_LT(std::abs(post.x[0]), 10.0);
  EXPECT_NEAR(post.x[1], 10300.0, 50.0);
  EXPECT_LT(post.P(0, 0), 0.01 * prior.P(0, 0));
  EXPECT_GT(post.P(1, 1), 0.9 * prior.P(1, 1));
  EXPECT_TRUE(IsSymmetricPositiveDefinite(post.P));
}

// NEES of a KF on the very model that generated the data is chi-square with 6 dof.
TEST(FilterTest, NeesIsConsistentOverMonteCarlo) {
  constexpr int kRuns = 50, kSteps = 40;
  const double dt = 1.0, sigma_a = 2.0, sigma_z = 20.0;
  std::vector<double> nees_sum(kSteps, 0.0);
  for (int run = 0; run < kRuns; ++run) {
    Rng rng = Rng::ForComponent(1234, run, "nees");
    Vec6 truth;
    truth << 0, 0, 1000, 100, -50, 0;
    TrackState est;
    est.x = truth;
    est.P = Vec6(400, 400, 400, 100, 100, 100).asDiagonal();
    for (int i = 0; i < 6; ++i) est.x[i] += rng.Normal(0.0, std::sqrt(est.P(i, i)));
    SimTime t = SimTime::Epoch();
    for (int k = 0; k < kSteps; ++k) {
      t += Seconds(1);
      truth = CvTransition(dt) * truth;
      for (int axis = 0; axis < 3; ++axis) {
        const double a = rng.Normal(0.0, sigma_a);
        truth[axis] += 0.5 * dt * dt * a;
        truth[axis + 3] += dt * a;
      }
      const TrackState prior = Predict(est, t, sigma_a, kDwna);
      Vec3 z = truth.head<3>();
      for (int axis = 0; axis < 3; ++axis) z[axis] += rng.Normal(0.0, sigma_z);
      const Detection d = PositionDetection(z, sigma_z, t);
      est = Update(prior, d, PredictMeasurement(prior, d));
      const Vec6 e = truth - est.x;
      nees_sum[k] += e.dot(est.P.ldlt().solve(e));
    }
  }
  // Per step: the run-average NEES lies in [chi2(0.025, 6R), chi2(0.975, 6R)] / R about 95% of the time.
  const double lo = ChiSquareQuantile(0.025, 6 * kRuns) / kRuns;
  const double hi = ChiSquareQuantile(0.975, 6 * kRuns) / kRuns;
  int inside = 0;
  double total = 0.0;
  for (const double s : nees_sum) {
    inside += (s / kRuns >= lo && s / kRuns <= hi) ? 1 : 0;
    total += s;
  }
  EXPECT_GE(inside, static_cast<int>(0.85 * kSteps)) << "bounds " << lo << " " << hi;
  const int dof = 6 * kRuns * kSteps;
  EXPECT_GT(total, ChiSquareQuantile(0.005, dof));
  EXPECT_LT(total, ChiSquareQuantile(0.995, dof));
}

TEST(GatingTest, ChiSquareQuantileMatchesTables) {
  EXPECT_NEAR(ChiSquareQuantile(0.999, 2), 13.816, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.999, 3), 16.266, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.99, 3), 11.345, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.95, 1), 3.841, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.95, 4), 9.488, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.05, 10), 3.940, 1e-3);
  EXPECT_NEAR(ChiSquareQuantile(0.975, 300), 349.874, 1e-2);  // Wilson-Hilferty ~ 349.87
  // P(1, x) = 1 - exp(-x); P(1/2, x) = erf(sqrt(x)).
  EXPECT_NEAR(RegularizedGammaP(1.0, 2.5), 1.0 - std::exp(-2.5), 1e-14);
  EXPECT_NEAR(RegularizedGammaP(0.5, 0.7), std::erf(std::sqrt(0.7)), 1e-13);
  EXPECT_NEAR(RegularizedGammaP(0.5, 9.0), std::erf(3.0), 1e-13);
}

// Every pair inside the exact gate must be among the prefilter's candidates.
TEST(GatingTest, PrefilterNeverDropsAGatedPair) {
  Rng rng(77);
  const double gate3 = ChiSquareQuantile(0.999, 3), gate2 = ChiSquareQuantile(0.999, 2);
  for (int trial = 0; trial < 40; ++trial) {
    const MeasurementKind kind = trial % 3 == 0   ? MeasurementKind::kPosition
                                 : trial % 3 == 1 ? MeasurementKind::kRangeBearing
                                                  : MeasurementKind::kBearing;
    const Vec3 sensor(rng.Uniform(-1000, 1000), rng.Uniform(-1000, 1000), 0);
    std::vector<Detection> dets;
    std::vector<Vec3> truths;
    for (int j = 0; j < 60; ++j) {
      const Vec3& p = truths.emplace_back(rng.Uniform(-10000, 10000), rng.Uniform(-10000, 10000), rng.Uniform(0, 1000));
      const Vec3 rae = RangeAzimuthElevation(sensor, p);
      if (kind == MeasurementKind::kPosition) dets.push_back(PositionDetection(p, 50));
      if (kind == MeasurementKind::kRangeBearing) dets.push_back(PolarDetection(sensor, rae, 30, 0.005, 0.005));
      if (kind == MeasurementKind::kBearing) dets.push_back(BearingDetection(sensor, rae[1], rae[2], 0.02));
    }
    std::vector<const Detection*> ptrs;
    for (const Detection& d : dets) ptrs.push_back(&d);
    CandidateIndex index;
    index.Build(ptrs);
    int gated = 0;
    for (int k = 0; k < 60; ++k) {
      TrackState s;
      // Around the object behind detection k, so that the gate is exercised.
      s.x << truths[k].x() + rng.Uniform(-300, 300), truths[k].y() + rng.Uniform(-300, 300),
          truths[k].z() + rng.Uniform(-100, 100), 0, 0, 0;
      s.P = std::pow(rng.Uniform(20, 200), 2) * Mat6::Identity();
      std::vector<int> cands;
      index.Candidates(s, kind == MeasurementKind::kBearing ? gate2 : gate3, 1.5, &cands);
      for (int j = 0; j < 60; ++j) {
        const PredictedMeasurement pm = PredictMeasurement(s, dets[j]);
        if (MahalanobisSquared(pm) < (pm.dim == 2 ? gate2 : gate3)) {
          ++gated;
          EXPECT_TRUE(std::binary_search(cands.begin(), cands.end(), j)) << "trial " << trial;
        }
      }
      if (kind != MeasurementKind::kBearing) {
        EXPECT_LT(cands.size(), 60u);
      }
    }
    EXPECT_GT(gated, 0) << "trial " << trial << " tests nothing";
  }
}

}  // namespace
}  // namespace koepel::tracking::internal
