// The KF/EKF/UKF on motion-model states: the UKF equals the KF on linear models; the UKF's range
// prediction carries the second-order bias its sigma points imply (closed form); EKF and UKF polar
// updates against gains derived by hand for an axis-aligned geometry; azimuth wrapping; the
// square-root fallback; and NEES consistency over seeded Monte-Carlo runs for KF-CV, KF-CA,
// EKF/UKF-CT, EKF/UKF polar and EKF-ballistic.
#include "koepel/tracking/kalman.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <vector>

#include "koepel/tracking/motion_test_util.h"

namespace koepel::tracking::internal {
namespace {

using testing::BearingDetection;
using testing::MakeGaussian;
using testing::PolarDetection;
using testing::PositionDetection;
using testing::SampleZeroMean;

constexpr auto kDwna = ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration;

// A random, well-conditioned covariance: A A' + diag, seeded.
StateMat RandomCovariance(int n, Rng& rng, double scale) {
  StateMat a(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) a(i, j) = rng.Normal();
  }
  StateMat p = scale * (a * a.transpose() + StateMat::Identity(n, n));
  return (0.5 * (p + p.transpose())).eval();
}

double MaxRelDiff(const StateMat& a, const StateMat& b) {
  return (a - b).cwiseAbs().maxCoeff() / std::max(1.0, b.cwiseAbs().maxCoeff());
}

TEST(UkfTest, EqualsKalmanOnLinearModels) {
  Rng rng(2024);
  for (const MotionModel& m :
       {MotionModel::ConstantVelocity(2.0, kDwna), MotionModel::ConstantAcceleration(0.5, kDwna)}) {
    for (const UkfParams params : {UkfParams{}, UkfParams{0.5, 2.0, 1.0}}) {
      const int n = m.dim();
      StateVec x(n);
      for (int i = 0; i < n; ++i) x[i] = rng.Normal(0.0, 100.0);
      const Gaussian g = MakeGaussian(x, RandomCovariance(n, rng, 30.0));
      const Gaussian kf = EkfPredict(m, g, 1.5);
      const Gaussian ukf = UkfPredict(m, g, 1.5, params);
      EXPECT_LT((ukf.x - kf.x).norm(), 1e-9 * kf.x.norm());
      EXPECT_LT(MaxRelDiff(ukf.P, kf.P), 1e-11);
      const Detection d = PositionDetection(kf.x.head<3>() + Vec3(12, -7, 3), 8.0);
      const MeasurementPrediction mk = EkfPredictMeasurement(kf, d);
      const MeasurementPrediction mu = UkfPredictMeasurement(kf, d, params);
      ASSERT_TRUE(mk.pm.valid && mu.pm.valid);
      EXPECT_LT((mu.pm.innovation - mk.pm.innovation).norm(), 1e-9);
      EXPECT_LT((mu.pm.S - mk.pm.S).cwiseAbs().maxCoeff(), 1e-9 * mk.pm.S.norm());
      const Gaussian pk = KalmanUpdate(kf, mk);
      const Gaussian pu = KalmanUpdate(kf, mu);
      EXPECT_LT((pu.x - pk.x).norm(), 1e-9 * pk.x.norm());
      EXPECT_LT(MaxRelDiff(pu.P, pk.P), 1e-9);
    }
  }
}

TEST(UkfTest, RangePredictionCarriesTheSigmaPointBias) {
  // Target due north at range R, uncertain across the line of sight: each cross-range sigma point
  // at +-sqrt(c) sigma lies at range sqrt(R^2 + c sigma^2) (c = n + lambda = 6 with alpha 1, kappa 0;
  // weights 1/(2c), centre 0), so the predicted range exceeds R by a known amount; the EKF sees none.
  const double r = 5000.0, sx = 400.0, sy = 30.0, sz = 300.0, c = 6.0, w = 1.0 / (2 * c);
  StateVec x(6);
  x << 0, r, 0, 10, 0, 0;
  const Gaussian g = MakeGaussian(x, Vec6(sx * sx, sy * sy, sz * sz, 4, 4, 4).asDiagonal().toDenseMatrix());
  const Detection d = PolarDetection(Vec3::Zero(), Vec3(r, 0, 0), 10.0, 1e-3, 1e-3);
  const double rx = std::sqrt(r * r + c * sx * sx), rz = std::sqrt(r * r + c * sz * sz);
  // Points: 2 at rx, 2 at rz, 2 at R +- sqrt(c) sy (mean R), 6 velocity points at R.
  const double mean_r = w * (2 * rx + 2 * rz + 2 * r + 6 * r);
  const MeasurementPrediction mu = UkfPredictMeasurement(g, d, UkfParams{});
  ASSERT_TRUE(mu.pm.valid);
  EXPECT_NEAR(mu.pm.innovation[0], r - mean_r, 1e-9);
  EXPECT_NEAR(mu.pm.innovation[1], 0.0, 1e-12);
  EXPECT_NEAR(mu.pm.innovation[2], 0.0, 1e-12);
  // S: the centre point (weight 2 = lambda/c + 1 - alpha^2 + beta) sits at R, off the mean.
  const double sy_pt = std::sqrt(c) * sy;
  const double var_r =
      2 * std::pow(r - mean_r, 2) +
      w * (2 * std::pow(rx - mean_r, 2) + 2 * std::pow(rz - mean_r, 2) + std::pow(r + sy_pt - mean_r, 2) +
           std::pow(r - sy_pt - mean_r, 2) + 6 * std::pow(r - mean_r, 2));
  EXPECT_NEAR(mu.pm.S(0, 0), var_r + 100.0, 1e-6);
  const double az = std::atan(std::sqrt(c) * sx / r);
  EXPECT_NEAR(mu.pm.S(1, 1), w * 2 * az * az + 1e-6, 1e-12);
  // First order sees no bias: the EKF's innovation is 0.
  EXPECT_NEAR(EkfPredictMeasurement(g, d).pm.innovation[0], 0.0, 1e-9);
  EXPECT_GT(mean_r - r, 0.9 * (sx * sx + sz * sz) / (2 * r));  // ~ (sx^2 + sz^2) / 2R = 25 m
}

TEST(EkfUkfTest, PolarUpdateMatchesHandDerivedGains) {
  // Sensor at the origin, prior at (0, R, 0) with a diagonal covariance. There
  // H = [0 1 0; 1/R 0 0; 0 0 1/R] on the position, so every axis is a scalar Kalman update:
  //   y+ = R + b / (b + sr^2) dr,  x+ = (a/R) / (a/R^2 + saz^2) daz,  z+ = (c/R) / (c/R^2 + sel^2) del,
  //   Pyy+ = b sr^2 / (b + sr^2),  Pxx+ = a - (a/R)^2 / (a/R^2 + saz^2),  likewise Pzz+.
  const double r = 10000.0, a = 400.0, b = 900.0, c = 100.0, sr = 5.0, sa = 1e-3, dr = 30.0, daz = 0.004, del = -0.002;
  StateVec x(6);
  x << 0, r, 0, 5, -5, 0;
  const Gaussian g = MakeGaussian(x, Vec6(a, b, c, 25, 25, 25).asDiagonal().toDenseMatrix());
  const Detection d = PolarDetection(Vec3::Zero(), Vec3(r + dr, daz, del), sr, sa, sa);
  const double xa = (a / r) / (a / (r * r) + sa * sa) * daz;
  const double ya = r + b / (b + sr * sr) * dr;
  const double za = (c / r) / (c / (r * r) + sa * sa) * del;
  const double pxx = a - (a / r) * (a / r) / (a / (r * r) + sa * sa);
  const double pyy = b * sr * sr / (b + sr * sr);
  const double pzz = c - (c / r) * (c / r) / (c / (r * r) + sa * sa);
  const Gaussian ekf = KalmanUpdate(g, EkfPredictMeasurement(g, d));
  EXPECT_NEAR(ekf.x[0], xa, 1e-9);
  EXPECT_NEAR(ekf.x[1], ya, 1e-9);
  EXPECT_NEAR(ekf.x[2], za, 1e-9);
  EXPECT_NEAR(ekf.P(0, 0), pxx, 1e-9);
  EXPECT_NEAR(ekf.P(1, 1), pyy, 1e-9);
  EXPECT_NEAR(ekf.P(2, 2), pzz, 1e-9);
  EXPECT_EQ(ekf.x.tail<3>(), x.tail<3>());  // uncorrelated velocity is not touched
  // The UKF linearises statistically: here sigma / R ~ 1e-3, so it agrees to second order
  // (range bias ~ (a + c) / 2R = 0.025 m; azimuth-range coupling ~ sy / R of the correction).
  const Gaussian ukf = KalmanUpdate(g, UkfPredictMeasurement(g, d, UkfParams{}));
  EXPECT_NEAR(ukf.x[0], xa, 0.01 * std::abs(xa));
  EXPECT_NEAR(ukf.x[1], ya, 0.1);
  EXPECT_NEAR(ukf.x[2], za, 0.01 * std::abs(za));
  EXPECT_NEAR(ukf.P(0, 0), pxx, 0.01 * pxx);
  EXPECT_NEAR(ukf.P(1, 1), pyy, 0.01 * pyy);
  EXPECT_NEAR(ukf.P(2, 2), pzz, 0.01 * pzz);
  EXPECT_TRUE(Eigen::LLT<StateMat>(ukf.P).info() == Eigen::Success);
}

TEST(UkfTest, AzimuthIsWrappedAcrossSouth) {
  // Prior just east of due south (azimuth ~ +pi), truth just west (~ -pi); the sigma points straddle
  // the cut. Clockwise from prior to truth: +10 m / 5000 m.
  const Vec3 truth(-5, -5000, 0);
  StateVec x(6);
  x << 5, -5000, 0, 0, 0, 0;
  const Gaussian g = MakeGaussian(x, 100.0 * StateMat::Identity(6, 6));
  const Vec3 rae = RangeAzimuthElevation(Vec3::Zero(), truth);
  for (const Detection& d :
       {PolarDetection(Vec3::Zero(), rae, 5, 0.001, 0.001), BearingDetection(Vec3::Zero(), rae[1], rae[2], 0.001)}) {
    const MeasurementPrediction mp = UkfPredictMeasurement(g, d, UkfParams{});
    ASSERT_TRUE(mp.pm.valid);
    const int az = d.measurement.kind == MeasurementKind::kBearing ? 0 : 1;
    EXPECT_NEAR(mp.pm.innovation[az], 10.0 / 5000.0, 1e-5);
    const Gaussian post = KalmanUpdate(g, mp);
    EXPECT_LT(std::abs(post.x[0] - truth.x()), 5.0);
  }
}

TEST(UkfTest, SigmaPointsReproduceMeanAndCovarianceAndFallBack) {
  Rng rng(5);
  StateVec x(7);
  for (int i = 0; i < 7; ++i) x[i] = rng.Normal(0, 10);
  StateMat pd = RandomCovariance(7, rng, 2.0);
  // Rank-deficient (a CV-like Q), and slightly indefinite by rounding.
  StateMat singular = StateMat::Zero(7, 7);
  singular.topLeftCorner(3, 3) = Mat3::Identity();
  singular(3, 3) = 2.0;
  StateMat indefinite = pd;
  {
    const Eigen::SelfAdjointEigenSolver<StateMat> es(pd);
    StateVec ev = es.eigenvalues();
    ev[0] = -1e-9;
    indefinite = es.eigenvectors() * ev.asDiagonal() * es.eigenvectors().transpose();
    indefinite = (0.5 * (indefinite + indefinite.transpose())).eval();
  }
  for (const StateMat& p : {pd, singular, indefinite}) {
    const SigmaPoints sp = MakeSigmaPoints(MakeGaussian(x, p), UkfParams{});
    ASSERT_TRUE(sp.points.allFinite());
    const StateVec mean = sp.points * sp.wm.transpose();
    StateMat cov = StateMat::Zero(7, 7);
    for (int i = 0; i < sp.points.cols(); ++i) {
      const StateVec e = sp.points.col(i) - x;
      cov += sp.wc[i] * e * e.transpose();
    }
    EXPECT_LT((mean - x).norm(), 1e-9);
    // Reproduces P up to the clamped negative part.
    EXPECT_LT((cov - p).cwiseAbs().maxCoeff(), 1e-8) << p;
  }
  EXPECT_FALSE(MakeSigmaPoints(MakeGaussian(x, pd), UkfParams{}).used_fallback);
  EXPECT_TRUE(MakeSigmaPoints(MakeGaussian(x, singular), UkfParams{}).used_fallback);
  EXPECT_TRUE(MakeSigmaPoints(MakeGaussian(x, indefinite), UkfParams{}).used_fallback);
  // A UKF prediction from the singular covariance stays finite and symmetric.
  const MotionModel ct = MotionModel::CoordinatedTurn(1.0, 0.01, kDwna);
  const Gaussian pred = UkfPredict(ct, MakeGaussian(x, singular), 1.0, UkfParams{});
  EXPECT_TRUE(pred.P.allFinite());
  EXPECT_EQ(pred.P, StateMat(pred.P.transpose()));
}

TEST(KalmanTest, LogLikelihoodIsTheGaussianDensity) {
  PredictedMeasurement pm;
  pm.dim = 2;
  pm.valid = true;
  pm.innovation = Vec3(3.0, -1.0, 0.0);
  pm.S.setZero();
  pm.S(0, 0) = 4.0;
  pm.S(1, 1) = 9.0;
  // Independent: sum of two scalar normal log-densities.
  const double expected = -0.5 * (9.0 / 4.0 + std::log(2 * std::numbers::pi * 4.0)) -
                          0.5 * (1.0 / 9.0 + std::log(2 * std::numbers::pi * 9.0));
  EXPECT_NEAR(LogLikelihood(pm), expected, 1e-12);
  pm.valid = false;
  EXPECT_EQ(LogLikelihood(pm), -std::numeric_limits<double>::infinity());
}

// ---------------------------------------------------------------------------------------------
// NEES: with the filter's own model generating the data, e' P^-1 e ~ chi^2(n) per run, so the
// average over R runs lies in [chi2(0.025, nR), chi2(0.975, nR)] / R with probability 95 % per step.

struct NeesCase {
  const char* name;
  MotionModel model;
  bool ukf = false;
  StateVec x0;
  StateMat p0;
  double dt = 1.0;
  int steps = 40;
  // The detection of the truth at time t (noise drawn from rng).
  Detection (*measure)(const StateVec& truth, Rng& rng, SimTime t) = nullptr;
};

struct NeesResult {
  double mean = 0.0;  // time average of the run-averaged NEES
  int inside = 0;     // steps with the run average inside the two-sided 95 % bounds
  double lo = 0.0, hi = 0.0;
};

NeesResult RunNees(const NeesCase& c, int runs, uint64_t seed) {
  const int n = c.model.dim();
  std::vector<double> sum(static_cast<size_t>(c.steps), 0.0);
  for (int run = 0; run < runs; ++run) {
    Rng rng = Rng::ForComponent(seed, static_cast<uint64_t>(run), c.name);
    StateVec truth = c.x0;
    Gaussian est = MakeGaussian(c.x0 + SampleZeroMean(c.p0, rng), c.p0);
    SimTime t = SimTime::Epoch();
    for (int k = 0; k < c.steps; ++k) {
      t += SecondsF(c.dt);
      truth = c.model.Propagate(truth, c.dt) + SampleZeroMean(c.model.ProcessNoise(c.dt), rng);
      const Gaussian prior = c.ukf ? UkfPredict(c.model, est, c.dt, UkfParams{}) : EkfPredict(c.model, est, c.dt);
      const Detection d = c.measure(truth, rng, t);
      const MeasurementPrediction mp =
          c.ukf ? UkfPredictMeasurement(prior, d, UkfParams{}) : EkfPredictMeasurement(prior, d);
      est = mp.pm.valid ? KalmanUpdate(prior, mp) : prior;
      const StateVec e = truth - est.x;
      sum[static_cast<size_t>(k)] += e.dot(est.P.ldlt().solve(e));
    }
  }
  NeesResult r;
  r.lo = ChiSquareQuantile(0.025, n * runs) / runs;
  r.hi = ChiSquareQuantile(0.975, n * runs) / runs;
  for (const double s : sum) {
    const double avg = s / runs;
    r.mean += avg / c.steps;
    r.inside += (avg >= r.lo && avg <= r.hi) ? 1 : 0;
  }
  return r;
}

Detection MeasurePosition10(const StateVec& truth, Rng& rng, SimTime t) {
  Vec3 z = truth.head<3>();
  for (int i = 0; i < 3; ++i) z[i] += rng.Normal(0.0, 10.0);
  return PositionDetection(z, 10.0, t);
}

Detection MeasurePolar(const StateVec& truth, Rng& rng, SimTime t) {
  constexpr double kSr = 10.0, kSa = 2e-3;
  Vec3 rae = RangeAzimuthElevation(Vec3::Zero(), truth.head<3>());
  rae += Vec3(rng.Normal(0, kSr), rng.Normal(0, kSa), rng.Normal(0, kSa));
  return PolarDetection(Vec3::Zero(), rae, kSr, kSa, kSa, t);
}

StateMat Diag(std::initializer_list<double> v) {
  StateVec d(static_cast<int>(v.size()));
  int i = 0;
  for (const double e : v) d[i++] = e;
  return d.asDiagonal();
}

StateVec Vec(std::initializer_list<double> v) {
  StateVec x(static_cast<int>(v.size()));
  int i = 0;
  for (const double e : v) x[i++] = e;
  return x;
}

class NeesTest : public ::testing::TestWithParam<int> {};

std::vector<NeesCase> NeesCases() {
  const StateMat p6 = Diag({400, 400, 400, 25, 25, 25});
  return {
      {"kf_cv", MotionModel::ConstantVelocity(2.0, kDwna), false, Vec({0, 0, 1000, 100, -50, 0}), p6, 1.0, 40,
       MeasurePosition10},
      {"kf_ca", MotionModel::ConstantAcceleration(0.5, kDwna), false, Vec({0, 0, 100, 20, 10, 0, 1, -0.5, 0}),
       Diag({100, 100, 100, 25, 25, 25, 1, 1, 1}), 1.0, 40, MeasurePosition10},
      {"ekf_ct", MotionModel::CoordinatedTurn(0.5, 0.01, kDwna), false, Vec({0, 0, 100, 50, 0, 0, 0.1}),
       Diag({100, 100, 100, 4, 4, 4, 4e-4}), 1.0, 40, MeasurePosition10},
      {"ukf_ct", MotionModel::CoordinatedTurn(0.5, 0.01, kDwna), true, Vec({0, 0, 100, 50, 0, 0, 0.1}),
       Diag({100, 100, 100, 4, 4, 4, 4e-4}), 1.0, 40, MeasurePosition10},
      {"ekf_cv_polar", MotionModel::ConstantVelocity(1.0, kDwna), false, Vec({6000, 3000, 500, -50, 30, 0}), p6, 1.0,
       40, MeasurePolar},
      {"ukf_cv_polar", MotionModel::ConstantVelocity(1.0, kDwna), true, Vec({6000, 3000, 500, -50, 30, 0}), p6, 1.0, 40,
       MeasurePolar},
      {"ekf_ballistic", MotionModel::Ballistic(2.0, 3000.0, kDwna), false, Vec({0, 0, 8000, 600, 0, 300}), p6, 0.5, 40,
       MeasurePosition10},
      {"ukf_ballistic", MotionModel::Ballistic(2.0, 3000.0, kDwna), true, Vec({0, 0, 8000, 600, 0, 300}), p6, 0.5, 40,
       MeasurePosition10},
  };
}

TEST_P(NeesTest, AverageNeesInsideChiSquareBounds) {
  const NeesCase c = NeesCases()[static_cast<size_t>(GetParam())];
  constexpr int kRuns = 100;
  const NeesResult r = RunNees(c, kRuns, 4242);
  std::printf("NEES %-14s n=%d mean %.3f, steps inside [%.3f, %.3f]: %d/%d\n", c.name, c.model.dim(), r.mean, r.lo,
              r.hi, r.inside, c.steps);
  // 95 % of the steps are expected inside; successive steps are correlated, so allow 80 %.
  EXPECT_GE(r.inside, static_cast<int>(0.8 * c.steps)) << c.name;
  EXPECT_GT(r.mean, r.lo) << c.name;
  EXPECT_LT(r.mean, r.hi) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Filters, NeesTest, ::testing::Range(0, 8));

}  // namespace
}  // namespace koepel::tracking::internal
