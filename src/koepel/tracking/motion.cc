#include "koepel/tracking/motion.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "koepel/tracking/filter.h"

namespace koepel::tracking::internal {
namespace {

// Below this |omega dt| the turn terms use their Taylor series: the closed forms divide by omega.
constexpr double kSmallTurnAngle = 1e-4;
// A prediction over a very long interval still takes at most this many RK4 sub-steps.
constexpr int kMaxSubSteps = 20000;

bool HasDrag(double beta) { return std::isfinite(beta) && beta > 0.0; }

// sin(wT)/w, (1 - cos(wT))/w and their derivatives with respect to w.
struct TurnTerms {
  double s, c;      // sin(wT), cos(wT)
  double sw, cw;    // sin(wT)/w, (1 - cos(wT))/w
  double dsw, dcw;  // d/dw of the two
};

TurnTerms MakeTurnTerms(double w, double t) {
  TurnTerms k;
  const double x = w * t;
  k.s = std::sin(x);
  k.c = std::cos(x);
  if (std::abs(x) < kSmallTurnAngle) {
    const double x2 = x * x;
    k.sw = t * (1.0 - x2 / 6.0);
    k.cw = t * x / 2.0 * (1.0 - x2 / 12.0);
    k.dsw = t * t * (-x / 3.0 + x * x2 / 30.0);
    k.dcw = t * t * (0.5 - x2 / 8.0);
  } else {
    k.sw = k.s / w;
    k.cw = (1.0 - k.c) / w;
    k.dsw = (x * k.c - k.s) / (w * w);
    k.dcw = (x * k.s - (1.0 - k.c)) / (w * w);
  }
  return k;
}

// dy/dt of the ballistic state y = [p, v], and (optionally) A = d(dy/dt)/dy.
Vec6 BallisticDerivative(const Vec6& y, double beta, Mat6* a) {
  const Vec3 p = y.head<3>(), v = y.tail<3>();
  Vec6 dy;
  dy.head<3>() = v;
  dy.tail<3>() = BallisticAcceleration(p, v, beta);
  if (a != nullptr) {
    a->setZero();
    a->topRightCorner<3, 3>() = Mat3::Identity();
    const double speed = v.norm();
    if (HasDrag(beta) && speed > 0.0) {
      const double k = kSeaLevelDensityKgpm3 * std::exp(-p.z() / kDensityScaleHeightM) / (2.0 * beta);
      // a_drag = -k(z) |v| v with dk/dz = -k / H.
      a->block<3, 1>(3, 2) = k * speed * v / kDensityScaleHeightM;
      a->bottomRightCorner<3, 3>() = -k * (speed * Mat3::Identity() + v * v.transpose() / speed);
    }
  }
  return dy;
}

// RK4 over dt in equal sub-steps; with `phi`, the variational equation alongside (phi = dy(dt)/dy(0)).
Vec6 IntegrateBallistic(const Vec6& y0, double dt, double beta, double max_step, Mat6* phi) {
  // Without drag the right-hand side is linear in y plus a constant, so one RK4 step is exact.
  int n = 1;
  if (HasDrag(beta)) {
    const double steps = std::ceil(std::abs(dt) / max_step);
    n = static_cast<int>(std::clamp(steps, 1.0, static_cast<double>(kMaxSubSteps)));
  }
  const double h = dt / n;
  Vec6 y = y0;
  if (phi != nullptr) phi->setIdentity();
  Mat6 a1, a2, a3, a4;
  Mat6* pa1 = phi ? &a1 : nullptr;
  Mat6* pa2 = phi ? &a2 : nullptr;
  Mat6* pa3 = phi ? &a3 : nullptr;
  Mat6* pa4 = phi ? &a4 : nullptr;
  for (int i = 0; i < n; ++i) {
    const Vec6 k1 = BallisticDerivative(y, beta, pa1);
    const Vec6 y2 = y + 0.5 * h * k1;
    const Vec6 k2 = BallisticDerivative(y2, beta, pa2);
    const Vec6 y3 = y + 0.5 * h * k2;
    const Vec6 k3 = BallisticDerivative(y3, beta, pa3);
    const Vec6 y4 = y + h * k3;
    const Vec6 k4 = BallisticDerivative(y4, beta, pa4);
    if (phi != nullptr) {
      const Mat6 m1 = a1 * *phi;
      const Mat6 m2 = a2 * (*phi + 0.5 * h * m1);
      const Mat6 m3 = a3 * (*phi + 0.5 * h * m2);
      const Mat6 m4 = a4 * (*phi + h * m3);
      *phi += h / 6.0 * (m1 + 2.0 * m2 + 2.0 * m3 + m4);
    }
    y += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
  }
  return y;
}

}  // namespace

TrackState ToTrackState(const Gaussian& g, SimTime t) {
  TrackState s;
  s.time = t;
  s.x = g.x.head<6>();
  s.P = g.P.topLeftCorner<6, 6>();
  return s;
}

Vec3 BallisticAcceleration(const Vec3& p, const Vec3& v, double beta) {
  Vec3 a(0.0, 0.0, -kGravityMps2);
  if (HasDrag(beta)) {
    const double rho = kSeaLevelDensityKgpm3 * std::exp(-p.z() / kDensityScaleHeightM);
    a -= rho / (2.0 * beta) * v.norm() * v;
  }
  return a;
}

MotionModel MotionModel::ConstantVelocity(double sigma_accel, ProcessNoiseModel noise) {
  MotionModel m;
  m.kind_ = ModelKind::kConstantVelocity;
  m.sigma_accel_ = sigma_accel;
  m.noise_ = noise;
  return m;
}

MotionModel MotionModel::ConstantAcceleration(double sigma_jerk_mps3, ProcessNoiseModel noise) {
  MotionModel m;
  m.kind_ = ModelKind::kConstantAcceleration;
  m.sigma_accel_ = sigma_jerk_mps3;
  m.noise_ = noise;
  return m;
}

MotionModel MotionModel::CoordinatedTurn(double sigma_accel, double sigma_turn_accel_radps2, ProcessNoiseModel noise) {
  MotionModel m;
  m.kind_ = ModelKind::kCoordinatedTurn;
  m.sigma_accel_ = sigma_accel;
  m.sigma_turn_ = sigma_turn_accel_radps2;
  m.noise_ = noise;
  return m;
}

MotionModel MotionModel::Ballistic(double sigma_accel, double ballistic_coefficient_kgpm2, ProcessNoiseModel noise,
                                   double max_step_s) {
  KOEPEL_CHECK(max_step_s > 0.0, "ballistic max_step_s > 0");
  KOEPEL_CHECK(ballistic_coefficient_kgpm2 > 0.0, "ballistic coefficient > 0 (+inf: no drag)");
  MotionModel m;
  m.kind_ = ModelKind::kBallistic;
  m.sigma_accel_ = sigma_accel;
  m.beta_ = ballistic_coefficient_kgpm2;
  m.max_step_s_ = max_step_s;
  m.noise_ = noise;
  return m;
}

int MotionModel::dim() const {
  switch (kind_) {
    case ModelKind::kConstantVelocity:
    case ModelKind::kBallistic:
      return 6;
    case ModelKind::kConstantAcceleration:
      return 9;
    case ModelKind::kCoordinatedTurn:
      return 7;
  }
  KOEPEL_UNREACHABLE("unknown motion model");
}

void MotionModel::PropagateWithJacobian(const StateVec& x, double dt, StateVec* fx, StateMat* jac) const {
  const int n = dim();
  KOEPEL_CHECK(x.size() == n, "state dimension does not match the motion model");
  switch (kind_) {
    case ModelKind::kConstantVelocity:
    case ModelKind::kConstantAcceleration: {
      StateMat f = StateMat::Identity(n, n);
      f.block<3, 3>(0, 3) = dt * Mat3::Identity();
      if (kind_ == ModelKind::kConstantAcceleration) {
        f.block<3, 3>(0, 6) = 0.5 * dt * dt * Mat3::Identity();
        f.block<3, 3>(3, 6) = dt * Mat3::Identity();
      }
      if (fx != nullptr) *fx = f * x;
      if (jac != nullptr) *jac = f;
      return;
    }
    case ModelKind::kCoordinatedTurn: {
      const double vx = x[3], vy = x[4], w = x[6];
      const TurnTerms k = MakeTurnTerms(w, dt);
      if (fx != nullptr) {
        StateVec out = x;
        out[0] = x[0] + k.sw * vx - k.cw * vy;
        out[1] = x[1] + k.cw * vx + k.sw * vy;
        out[2] = x[2] + dt * x[5];
        out[3] = k.c * vx - k.s * vy;
        out[4] = k.s * vx + k.c * vy;
        *fx = out;
      }
      if (jac != nullptr) {
        StateMat f = StateMat::Identity(7, 7);
        f(0, 3) = k.sw;
        f(0, 4) = -k.cw;
        f(1, 3) = k.cw;
        f(1, 4) = k.sw;
        f(2, 5) = dt;
        f(3, 3) = k.c;
        f(3, 4) = -k.s;
        f(4, 3) = k.s;
        f(4, 4) = k.c;
        f(0, 6) = k.dsw * vx - k.dcw * vy;
        f(1, 6) = k.dcw * vx + k.dsw * vy;
        f(3, 6) = -dt * (k.s * vx + k.c * vy);
        f(4, 6) = dt * (k.c * vx - k.s * vy);
        *jac = f;
      }
      return;
    }
    case ModelKind::kBallistic: {
      Mat6 phi;
      const Vec6 y = IntegrateBallistic(x.head<6>(), dt, beta_, max_step_s_, jac != nullptr ? &phi : nullptr);
      if (fx != nullptr) *fx = y;
      if (jac != nullptr) *jac = phi;
      return;
    }
  }
  KOEPEL_UNREACHABLE("unknown motion model");
}

StateVec MotionModel::Propagate(const StateVec& x, double dt_s) const {
  StateVec out;
  PropagateWithJacobian(x, dt_s, &out, nullptr);
  return out;
}

StateMat MotionModel::Jacobian(const StateVec& x, double dt_s) const {
  StateMat out;
  PropagateWithJacobian(x, dt_s, nullptr, &out);
  return out;
}

StateMat MotionModel::ProcessNoise(double dt_s) const {
  const int n = dim();
  const double t = std::abs(dt_s);
  StateMat q = StateMat::Zero(n, n);
  if (kind_ == ModelKind::kConstantAcceleration) {
    // White-noise jerk: per axis over (p, v, a).
    const double s2 = sigma_accel_ * sigma_accel_;
    Mat3 b;
    if (noise_ == ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration) {
      const Vec3 g(t * t * t / 6.0, t * t / 2.0, t);  // jerk held constant over the step
      b = s2 * g * g.transpose();
    } else {
      const double t2 = t * t, t3 = t2 * t;
      b << t3 * t2 / 20.0, t2 * t2 / 8.0, t3 / 6.0,  //
          t2 * t2 / 8.0, t3 / 3.0, t2 / 2.0,         //
          t3 / 6.0, t2 / 2.0, t;
      b *= s2;
    }
    for (int axis = 0; axis < 3; ++axis) {
      for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) q(axis + 3 * r, axis + 3 * c) = b(r, c);
      }
    }
    return q;
  }
  q.topLeftCorner<6, 6>() = CvProcessNoise(t, sigma_accel_, noise_);
  if (kind_ == ModelKind::kCoordinatedTurn) {
    const double s2 = sigma_turn_ * sigma_turn_;
    q(6, 6) = noise_ == ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration ? s2 * t * t : s2 * t;
  }
  return q;
}

}  // namespace koepel::tracking::internal
