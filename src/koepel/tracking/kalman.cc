#include "koepel/tracking/kalman.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace koepel::tracking::internal {
namespace {

// As in filter.cc: below this horizontal distance (m) from the sensor, azimuth is undefined.
constexpr double kMinHorizontalRangeM = 1e-3;

template <typename M>
void SymmetrizeInPlace(M& p) {
  p = (0.5 * (p + p.transpose())).eval();
}

// Index of the azimuth in z (wrapped to (-pi, pi]); -1 when z has no angle that can wrap.
// Elevation lies in [-pi/2, pi/2] and needs no wrapping.
int AzimuthIndex(MeasurementKind k) {
  switch (k) {
    case MeasurementKind::kPosition:
      return -1;
    case MeasurementKind::kRangeBearing:
      return 1;
    case MeasurementKind::kBearing:
      return 0;
  }
  KOEPEL_UNREACHABLE("unknown measurement kind");
}

}  // namespace

StateMat SquareRoot(const StateMat& p, bool* fallback) {
  const Eigen::LLT<StateMat> llt(p);
  if (llt.info() == Eigen::Success) {
    if (fallback != nullptr) *fallback = false;
    return llt.matrixL();
  }
  // Not positive definite (rounding, or a degenerate direction): the symmetric square root of the
  // nearest positive semi-definite matrix, so the sigma points stay finite and span what P spans.
  if (fallback != nullptr) *fallback = true;
  const Eigen::SelfAdjointEigenSolver<StateMat> es(p);
  const StateVec root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return es.eigenvectors() * root.asDiagonal();
}

SigmaPoints MakeSigmaPoints(const Gaussian& g, const UkfParams& p) {
  const int n = g.dim();
  const double lambda = p.alpha * p.alpha * (n + p.kappa) - n;
  const double c = n + lambda;
  KOEPEL_CHECK(c > 0.0, "UKF parameters give n + lambda <= 0");
  SigmaPoints sp;
  const StateMat l = std::sqrt(c) * SquareRoot(g.P, &sp.used_fallback);
  sp.points.resize(n, 2 * n + 1);
  sp.points.col(0) = g.x;
  for (int i = 0; i < n; ++i) {
    sp.points.col(1 + i) = g.x + l.col(i);
    sp.points.col(1 + n + i) = g.x - l.col(i);
  }
  sp.wm.setConstant(2 * n + 1, 0.5 / c);
  sp.wc.setConstant(2 * n + 1, 0.5 / c);
  sp.wm[0] = lambda / c;
  sp.wc[0] = lambda / c + 1.0 - p.alpha * p.alpha + p.beta;
  return sp;
}

Gaussian EkfPredict(const MotionModel& m, const Gaussian& g, double dt_s) {
  if (dt_s == 0.0) return g;
  Gaussian out;
  StateMat f;
  m.PropagateWithJacobian(g.x, dt_s, &out.x, &f);
  out.P = f * g.P * f.transpose() + m.ProcessNoise(dt_s);
  SymmetrizeInPlace(out.P);
  return out;
}

Gaussian UkfPredict(const MotionModel& m, const Gaussian& g, double dt_s, const UkfParams& p) {
  if (dt_s == 0.0) return g;
  const SigmaPoints sp = MakeSigmaPoints(g, p);
  const int n = g.dim();
  SigmaMat y(n, 2 * n + 1);
  for (int i = 0; i < 2 * n + 1; ++i) y.col(i) = m.Propagate(sp.points.col(i), dt_s);
  Gaussian out;
  out.x = y * sp.wm.transpose();
  out.P = m.ProcessNoise(dt_s);
  for (int i = 0; i < 2 * n + 1; ++i) {
    const StateVec e = y.col(i) - out.x;
    out.P += sp.wc[i] * e * e.transpose();
  }
  SymmetrizeInPlace(out.P);
  return out;
}

MeasurementPrediction EkfPredictMeasurement(const Gaussian& g, const Detection& d) {
  MeasurementPrediction mp;
  mp.pm = PredictMeasurement(ToTrackState(g, d.time), d);
  if (!mp.pm.valid) return mp;
  const int m = mp.pm.dim, n = g.dim();
  mp.H.setZero(m, n);
  mp.H.leftCols<6>() = mp.pm.H.topRows(m);
  mp.cross = g.P.leftCols<6>() * mp.pm.H.topRows(m).transpose();
  mp.R = d.measurement.noise.topLeftCorner(m, m);
  return mp;
}

MeasurementPrediction UkfPredictMeasurement(const Gaussian& g, const Detection& d, const UkfParams& p) {
  MeasurementPrediction mp;
  const Measurement& meas = d.measurement;
  const int m = meas.dimension(), n = g.dim(), count = 2 * n + 1;
  mp.pm.dim = m;
  const SigmaPoints sp = MakeSigmaPoints(g, p);
  std::array<Vec3, 2 * kMaxStateDim + 1> z;  // images of the sigma points
  z.fill(Vec3::Zero());
  for (int i = 0; i < count; ++i) {
    const Vec6 xi = sp.points.col(i).head<6>();
    if (meas.kind != MeasurementKind::kPosition &&
        (xi.head<2>() - d.sensor_position.head<2>()).norm() < kMinHorizontalRangeM) {
      return mp;  // a sigma point on the sensor's vertical: azimuth undefined
    }
    z[static_cast<size_t>(i)] = MeasurementFunction(xi, d);
  }
  // Angles as differences from the mean's image, so that points across +-pi average correctly.
  const int az = AzimuthIndex(meas.kind);
  const Vec3 ref = z[0];
  Vec3 mean_offset = Vec3::Zero();
  for (int i = 0; i < count; ++i) {
    Vec3& zi = z[static_cast<size_t>(i)];
    zi -= ref;
    if (az >= 0) zi[az] = WrapAngle(zi[az]);
    mean_offset += sp.wm[i] * zi;
  }
  for (int i = 0; i < count; ++i) z[static_cast<size_t>(i)] -= mean_offset;
  MeasMat s = meas.noise.topLeftCorner(m, m);
  mp.cross.setZero(n, m);
  for (int i = 0; i < count; ++i) {
    const MeasVec dz = z[static_cast<size_t>(i)].head(m);
    s += sp.wc[i] * dz * dz.transpose();
    mp.cross += sp.wc[i] * (sp.points.col(i) - g.x) * dz.transpose();
  }
  SymmetrizeInPlace(s);
  Vec3 zhat = ref + mean_offset;
  Vec3 nu = Vec3::Zero();
  nu.head(m) = meas.z.head(m) - zhat.head(m);
  if (az >= 0) nu[az] = WrapAngle(nu[az]);
  // Statistical linearisation H = Pxz' P^-1 (P H' = Pxz by LDLT; a singular P gets its pseudo-solve)
  // and the noise the sigma points saw beyond H P H'.
  const Eigen::LDLT<StateMat> ldlt(g.P);
  mp.H = ldlt.solve(mp.cross).transpose();
  mp.R = s - mp.H * g.P * mp.H.transpose();
  SymmetrizeInPlace(mp.R);
  mp.pm.innovation = nu;
  mp.pm.S.setZero();
  mp.pm.S.topLeftCorner(m, m) = s;
  mp.pm.H.setZero();
  mp.pm.H.topRows(m) = mp.H.leftCols<6>();
  mp.pm.valid = mp.H.allFinite() && s.allFinite();
  return mp;
}

Gaussian KalmanUpdate(const Gaussian& prior, const MeasurementPrediction& mp) {
  KOEPEL_CHECK(mp.pm.valid, "update with an invalid measurement prediction");
  const int m = mp.pm.dim, n = prior.dim();
  const MeasMat s = mp.pm.S.topLeftCorner(m, m);
  const Eigen::LDLT<MeasMat> ldlt(s);
  // K' = S^-1 Pxz' (S symmetric): one LDLT solve, no inverse.
  const CrossMat k = ldlt.solve(mp.cross.transpose()).transpose();
  Gaussian post;
  post.x = prior.x + k * mp.pm.innovation.head(m);
  const StateMat ikh = StateMat::Identity(n, n) - k * mp.H;
  post.P = ikh * prior.P * ikh.transpose() + k * mp.R * k.transpose();
  SymmetrizeInPlace(post.P);
  return post;
}

double LogLikelihood(const PredictedMeasurement& pm) {
  if (!pm.valid) return -std::numeric_limits<double>::infinity();
  const int m = pm.dim;
  const MeasMat s = pm.S.topLeftCorner(m, m);
  const Eigen::LLT<MeasMat> llt(s);
  if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  const MeasVec w = llt.matrixL().solve(pm.innovation.head(m));
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  return -0.5 * (w.squaredNorm() + log_det + m * std::log(2.0 * std::numbers::pi));
}

}  // namespace koepel::tracking::internal
