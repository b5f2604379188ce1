// Motion models against analytic answers: CV and CA exact propagation and their Q, a coordinated
// turn on a known circle, the ballistic model against the drag-free parabola and, with drag,
// against a fine-step integration oracle written out here; Jacobians against finite differences.
#include "koepel/tracking/motion.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <numbers>

#include "koepel/tracking/filter.h"

namespace koepel::tracking::internal {
namespace {

constexpr auto kDwna = ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration;
constexpr auto kCwna = ProcessNoiseModel::kContinuousWhiteNoiseAcceleration;
constexpr double kInf = std::numeric_limits<double>::infinity();

StateVec Vec(std::initializer_list<double> v) {
  StateVec x(static_cast<int>(v.size()));
  int i = 0;
  for (const double e : v) x[i++] = e;
  return x;
}

// Central differences of Propagate, column by column, with a step per state entry.
StateMat NumericJacobian(const MotionModel& m, const StateVec& x, double dt, const StateVec& step) {
  const int n = static_cast<int>(x.size());
  StateMat j(n, n);
  for (int k = 0; k < n; ++k) {
    StateVec a = x, b = x;
    a[k] += step[k];
    b[k] -= step[k];
    j.col(k) = (m.Propagate(a, dt) - m.Propagate(b, dt)) / (2.0 * step[k]);
  }
  return j;
}

TEST(MotionModelTest, ConstantVelocityIsExact) {
  const MotionModel m = MotionModel::ConstantVelocity(1.5, kDwna);
  ASSERT_EQ(m.dim(), 6);
  const StateVec x = Vec({10, 20, 30, 1, -2, 3});
  const StateVec y = m.Propagate(x, 2.5);
  EXPECT_NEAR(y[0], 12.5, 1e-12);
  EXPECT_NEAR(y[1], 15.0, 1e-12);
  EXPECT_NEAR(y[2], 37.5, 1e-12);
  EXPECT_EQ(y.tail<3>(), x.tail<3>());
  EXPECT_EQ(m.Jacobian(x, 2.5), StateMat(CvTransition(2.5)));
  EXPECT_EQ(m.ProcessNoise(2.5), StateMat(CvProcessNoise(2.5, 1.5, kDwna)));
  EXPECT_EQ(MotionModel::ConstantVelocity(1.5, kCwna).ProcessNoise(-2.5), StateMat(CvProcessNoise(2.5, 1.5, kCwna)));
}

TEST(MotionModelTest, ConstantAccelerationIsExact) {
  const double sj = 0.7, t = 3.0;
  const MotionModel m = MotionModel::ConstantAcceleration(sj, kDwna);
  ASSERT_EQ(m.dim(), 9);
  const StateVec x = Vec({1, 2, 3, 10, -20, 5, 0.5, 1.0, -2.0});
  const StateVec y = m.Propagate(x, t);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(y[i], x[i] + x[i + 3] * t + 0.5 * x[i + 6] * t * t, 1e-12);
    EXPECT_NEAR(y[i + 3], x[i + 3] + x[i + 6] * t, 1e-12);
    EXPECT_EQ(y[i + 6], x[i + 6]);
  }
  EXPECT_LT((m.Jacobian(x, t) * x - y).norm(), 1e-12);  // linear: f(x) = F x
  // Discrete white-noise jerk, jerk constant over the step: Gamma = [t^3/6, t^2/2, t] sigma per axis.
  const double s2 = sj * sj;
  const StateMat q = m.ProcessNoise(t);
  EXPECT_NEAR(q(0, 0), s2 * std::pow(t, 6) / 36, 1e-12);
  EXPECT_NEAR(q(0, 3), s2 * std::pow(t, 5) / 12, 1e-12);
  EXPECT_NEAR(q(0, 6), s2 * std::pow(t, 4) / 6, 1e-12);
  EXPECT_NEAR(q(3, 3), s2 * std::pow(t, 4) / 4, 1e-12);
  EXPECT_NEAR(q(6, 6), s2 * t * t, 1e-12);
  EXPECT_EQ(q(0, 1), 0.0);
  EXPECT_EQ(q(0, 4), 0.0);
  // Continuous white-noise jerk (Bar-Shalom, Li and Kirubarajan 6.2.3): q [t^5/20 t^4/8 t^3/6; . t^3/3 t^2/2; . . t].
  const StateMat qc = MotionModel::ConstantAcceleration(sj, kCwna).ProcessNoise(t);
  EXPECT_NEAR(qc(1, 1), s2 * std::pow(t, 5) / 20, 1e-12);
  EXPECT_NEAR(qc(1, 4), s2 * std::pow(t, 4) / 8, 1e-12);
  EXPECT_NEAR(qc(1, 7), s2 * std::pow(t, 3) / 6, 1e-12);
  EXPECT_NEAR(qc(4, 4), s2 * std::pow(t, 3) / 3, 1e-12);
  EXPECT_NEAR(qc(4, 7), s2 * t * t / 2, 1e-12);
  EXPECT_NEAR(qc(7, 7), s2 * t, 1e-12);
}

TEST(MotionModelTest, CoordinatedTurnFollowsAKnownCircle) {
  // 50 m/s at 0.1 rad/s: a circle of radius 500 m about the origin, counter-clockwise from (500, 0)
  // heading north, climbing at 2 m/s.
  const double v = 50.0, w = 0.1, r = v / w;
  const MotionModel m = MotionModel::CoordinatedTurn(1.0, 0.01, kDwna);
  ASSERT_EQ(m.dim(), 7);
  const StateVec x = Vec({r, 0, 100, 0, v, 2, w});
  for (const double t : {1.0, 5.0, 12.3, 2 * std::numbers::pi / w}) {
    const StateVec y = m.Propagate(x, t);
    const double th = w * t;
    EXPECT_NEAR(y[0], r * std::cos(th), 1e-9) << t;
    EXPECT_NEAR(y[1], r * std::sin(th), 1e-9) << t;
    EXPECT_NEAR(y[2], 100 + 2 * t, 1e-12) << t;
    EXPECT_NEAR(y[3], -v * std::sin(th), 1e-9) << t;
    EXPECT_NEAR(y[4], v * std::cos(th), 1e-9) << t;
    EXPECT_EQ(y[5], 2.0);
    EXPECT_EQ(y[6], w);
  }
  // Clockwise (omega < 0) from the same point: the mirror image in the x axis.
  const StateVec cw = m.Propagate(Vec({r, 0, 0, 0, -v, 0, -w}), 3.0);
  EXPECT_NEAR(cw[0], r * std::cos(0.3), 1e-9);
  EXPECT_NEAR(cw[1], -r * std::sin(0.3), 1e-9);
  // Backwards undoes forwards.
  EXPECT_LT((m.Propagate(m.Propagate(x, 4.0), -4.0) - x).norm(), 1e-9);
}

TEST(MotionModelTest, CoordinatedTurnWithoutTurnIsConstantVelocity) {
  const MotionModel ct = MotionModel::CoordinatedTurn(1.0, 0.01, kDwna);
  const MotionModel cv = MotionModel::ConstantVelocity(1.0, kDwna);
  const StateVec x6 = Vec({1, 2, 3, 40, -30, 1});
  for (const double w : {0.0, 1e-9, -1e-7}) {
    StateVec x7(7);
    x7 << x6, w;
    const StateVec y = ct.Propagate(x7, 5.0);
    // The turn moves the position by about omega t^2 |v| / 2: nothing at 0, sub-micrometre here.
    EXPECT_LT((y.head<6>() - cv.Propagate(x6, 5.0)).norm(), 1e-12 + std::abs(w) * 25.0 * 50.0) << w;
  }
  // Q: the CV part plus the turn-rate term.
  const StateMat q = ct.ProcessNoise(2.0);
  EXPECT_EQ(StateMat(q.topLeftCorner(6, 6)), StateMat(CvProcessNoise(2.0, 1.0, kDwna)));
  EXPECT_NEAR(q(6, 6), 0.01 * 0.01 * 4.0, 1e-15);
  EXPECT_NEAR(MotionModel::CoordinatedTurn(1.0, 0.01, kCwna).ProcessNoise(2.0)(6, 6), 0.01 * 0.01 * 2.0, 1e-15);
}

TEST(MotionModelTest, CoordinatedTurnJacobianMatchesFiniteDifferences) {
  const MotionModel m = MotionModel::CoordinatedTurn(1.0, 0.01, kDwna);
  const StateVec step = Vec({1e-3, 1e-3, 1e-3, 1e-4, 1e-4, 1e-4, 1e-7});
  // Closed forms (0.1, -0.3) and the series branch near zero (0, 2e-6).
  for (const double w : {0.1, -0.3, 0.0, 2e-6}) {
    const StateVec x = Vec({100, -200, 50, 30, 40, -2, w});
    const StateMat f = m.Jacobian(x, 2.0);
    const StateMat num = NumericJacobian(m, x, 2.0, step);
    EXPECT_LT((f - num).cwiseAbs().maxCoeff(), 1e-5) << "omega " << w << "\n" << f << "\n" << num;
  }
}

TEST(MotionModelTest, BallisticWithoutDragIsTheParabola) {
  const MotionModel m = MotionModel::Ballistic(1.0, kInf, kDwna);
  const StateVec x = Vec({0, 0, 1000, 100, 50, 200});
  for (const double t : {0.3, 7.3, 40.0}) {
    const StateVec y = m.Propagate(x, t);
    for (int i = 0; i < 3; ++i) {
      const double g = i == 2 ? kGravityMps2 : 0.0;
      EXPECT_NEAR(y[i], x[i] + x[i + 3] * t - 0.5 * g * t * t, 1e-9 * (1 + t * t)) << t;
      EXPECT_NEAR(y[i + 3], x[i + 3] - g * t, 1e-10 * (1 + t)) << t;
    }
    EXPECT_LT((m.Jacobian(x, t) - StateMat(CvTransition(t))).cwiseAbs().maxCoeff(), 1e-12);
  }
}

// An independent oracle: the explicit midpoint method (second order) with 0.1 ms steps, on its own
// copy of the physics (gravity, drag -rho(h) |v| v / (2 beta), rho = 1.227 exp(-1.093e-4 h)).
Vec6 MidpointOracle(Vec6 y, double t, double beta) {
  auto deriv = [beta](const Vec6& s) {
    const double rho = 1.227 * std::exp(-1.093e-4 * s[2]);
    const Vec3 v = s.tail<3>();
    Vec6 d;
    d.head<3>() = v;
    d.tail<3>() = Vec3(0, 0, -9.80665) - rho / (2 * beta) * v.norm() * v;
    return d;
  };
  const int n = static_cast<int>(std::round(t / 1e-4));
  const double h = t / n;
  for (int i = 0; i < n; ++i) y += h * deriv(y + 0.5 * h * deriv(y));
  return y;
}

TEST(MotionModelTest, BallisticWithDragMatchesAFineStepOracle) {
  const double beta = 2000.0, t = 10.0;
  const MotionModel m = MotionModel::Ballistic(1.0, beta, kDwna);
  const StateVec x = Vec({0, 0, 5000, 800, -100, 600});
  const StateVec y = m.Propagate(x, t);
  const Vec6 oracle = MidpointOracle(x.head<6>(), t, beta);
  EXPECT_LT((y.head<3>() - oracle.head<3>()).norm(), 1e-4) << y.transpose() << "\n" << oracle.transpose();
  EXPECT_LT((y.tail<3>() - oracle.tail<3>()).norm(), 1e-5);
  // Drag matters here (so the comparison is not the parabola's): kilometres of difference.
  const StateVec no_drag = MotionModel::Ballistic(1.0, kInf, kDwna).Propagate(x, t);
  EXPECT_GT((no_drag.head<3>() - y.head<3>()).norm(), 1000.0);
}

TEST(MotionModelTest, BallisticJacobianMatchesFiniteDifferences) {
  const MotionModel m = MotionModel::Ballistic(1.0, 1500.0, kDwna);
  const StateVec x = Vec({1000, 2000, 3000, 700, 300, 400});
  const StateMat f = m.Jacobian(x, 3.0);
  const StateMat num = NumericJacobian(m, x, 3.0, Vec({1e-2, 1e-2, 1e-2, 1e-3, 1e-3, 1e-3}));
  EXPECT_LT((f - num).cwiseAbs().maxCoeff(), 1e-6) << f << "\n" << num;
  // With drag, velocity feeds back on itself: the Jacobian differs from CV's.
  EXPECT_GT((f - StateMat(CvTransition(3.0))).cwiseAbs().maxCoeff(), 1e-2);
}

TEST(MotionModelTest, ProcessNoiseIsSymmetricPositiveSemiDefinite) {
  for (const auto nm : {kDwna, kCwna}) {
    for (const MotionModel& m : {MotionModel::ConstantVelocity(2.0, nm), MotionModel::ConstantAcceleration(0.5, nm),
                                 MotionModel::CoordinatedTurn(2.0, 0.05, nm), MotionModel::Ballistic(2.0, 3000, nm)}) {
      const StateMat q = m.ProcessNoise(1.7);
      EXPECT_EQ(q, StateMat(q.transpose()));
      EXPECT_EQ(q, m.ProcessNoise(-1.7));
      EXPECT_GE(Eigen::SelfAdjointEigenSolver<StateMat>(q).eigenvalues().minCoeff(), -1e-12);
      EXPECT_GT(q.trace(), m.ProcessNoise(1.0).trace());
    }
  }
}

}  // namespace
}  // namespace koepel::tracking::internal
