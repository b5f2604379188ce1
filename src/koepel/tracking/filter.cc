#include "koepel/tracking/filter.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <numbers>

namespace koepel::tracking::internal {
namespace {

// Below this horizontal distance (m) azimuth is undefined and the polar Jacobian blows up.
constexpr double kMinHorizontalRangeM = 1e-3;

template <int M>
TrackState UpdateFixed(const TrackState& prior, const Detection& d, const PredictedMeasurement& pm) {
  const Eigen::Matrix<double, M, 6> h = pm.H.topRows<M>();
  const Eigen::Matrix<double, M, M> s = pm.S.topLeftCorner<M, M>();
  const Eigen::Matrix<double, M, M> r = d.measurement.noise.topLeftCorner<M, M>();
  const Eigen::Matrix<double, M, 1> nu = pm.innovation.head<M>();
  // K = P H' S^-1, i.e. K' = S^-1 (H P) since P and S are symmetric: one LDLT solve, no inverse.
  const Eigen::LDLT<Eigen::Matrix<double, M, M>> ldlt(s);
  const Eigen::Matrix<double, M, 6> hp = h * prior.P;
  const Eigen::Matrix<double, 6, M> k = ldlt.solve(hp).transpose();
  TrackState post;
  post.time = prior.time;
  post.x = prior.x + k * nu;
  const Mat6 ikh = Mat6::Identity() - k * h;
  post.P = ikh * prior.P * ikh.transpose() + k * r * k.transpose();
  Symmetrize(post.P);
  return post;
}

template <int M>
double MahalanobisFixed(const PredictedMeasurement& pm) {
  const Eigen::Matrix<double, M, M> s = pm.S.topLeftCorner<M, M>();
  const Eigen::LLT<Eigen::Matrix<double, M, M>> llt(s);
  if (llt.info() != Eigen::Success) return std::numeric_limits<double>::infinity();
  // d^2 = |L^-1 nu|^2 with S = L L'.
  const Eigen::Matrix<double, M, 1> w = llt.matrixL().solve(pm.innovation.head<M>());
  return w.squaredNorm();
}

template <int M>
double LogDetFixed(const PredictedMeasurement& pm) {
  const Eigen::Matrix<double, M, M> s = pm.S.topLeftCorner<M, M>();
  const Eigen::LLT<Eigen::Matrix<double, M, M>> llt(s);
  if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  return 2.0 * llt.matrixLLT().diagonal().array().log().sum();
}

}  // namespace

double WrapAngle(double a) {
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  a = std::remainder(a, kTwoPi);  // in [-pi, pi]
  if (a <= -std::numbers::pi) a += kTwoPi;
  return a;
}

Mat6 CvTransition(double dt_s) {
  Mat6 f = Mat6::Identity();
  f.topRightCorner<3, 3>() = dt_s * Mat3::Identity();
  return f;
}

Mat6 CvProcessNoise(double dt_s, double sigma, ProcessNoiseModel model) {
  const double dt = std::abs(dt_s);
  const double q = sigma * sigma;
  double pp = 0.0, pv = 0.0, vv = 0.0;
  switch (model) {
    case ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration:
      pp = q * dt * dt * dt * dt / 4.0;
      pv = q * dt * dt * dt / 2.0;
      vv = q * dt * dt;
      break;
    case ProcessNoiseModel::kContinuousWhiteNoiseAcceleration:
      pp = q * dt * dt * dt / 3.0;
      pv = q * dt * dt / 2.0;
      vv = q * dt;
      break;
  }
  Mat6 out = Mat6::Zero();
  out.topLeftCorner<3, 3>() = pp * Mat3::Identity();
  out.topRightCorner<3, 3>() = pv * Mat3::Identity();
  out.bottomLeftCorner<3, 3>() = pv * Mat3::Identity();
  out.bottomRightCorner<3, 3>() = vv * Mat3::Identity();
  return out;
}

TrackState Predict(const TrackState& s, SimTime t, double sigma, ProcessNoiseModel model) {
  const double dt = (t - s.time).seconds();
  TrackState out;
  out.time = t;
  if (dt == 0.0) {
    out.x = s.x;
    out.P = s.P;
    return out;
  }
  const Mat6 f = CvTransition(dt);
  out.x = f * s.x;
  out.P = f * s.P * f.transpose() + CvProcessNoise(dt, sigma, model);
  Symmetrize(out.P);
  return out;
}

Vec3 MeasurementFunction(const Vec6& x, const Detection& d) {
  switch (d.measurement.kind) {
    case MeasurementKind::kPosition:
      return x.head<3>();
    case MeasurementKind::kRangeBearing:
      return RangeAzimuthElevation(d.sensor_position, x.head<3>());
    case MeasurementKind::kBearing: {
      const Vec3 rae = RangeAzimuthElevation(d.sensor_position, x.head<3>());
      return {rae[1], rae[2], 0.0};
    }
  }
  KOEPEL_UNREACHABLE("unknown measurement kind");
}

PredictedMeasurement PredictMeasurement(const TrackState& prior, const Detection& d) {
  PredictedMeasurement pm;
  const Measurement& m = d.measurement;
  pm.dim = m.dimension();
  if (m.kind == MeasurementKind::kPosition) {
    pm.H.leftCols<3>() = Mat3::Identity();
    pm.innovation = m.z - prior.x.head<3>();
    pm.S = prior.P.topLeftCorner<3, 3>() + m.noise;
    pm.valid = true;
    return pm;
  }
  const Vec3 dp = prior.x.head<3>() - d.sensor_position;
  const double rho2 = dp.x() * dp.x() + dp.y() * dp.y();
  const double rho = std::sqrt(rho2);
  if (rho < kMinHorizontalRangeM) return pm;  // invalid
  const double r2 = rho2 + dp.z() * dp.z();
  const double r = std::sqrt(r2);
  // Rows: d az/dp with az = atan2(dx, dy); d el/dp with el = atan2(dz, rho); d r/dp.
  Eigen::RowVector3d d_az(dp.y() / rho2, -dp.x() / rho2, 0.0);
  Eigen::RowVector3d d_el(-dp.z() * dp.x() / (r2 * rho), -dp.z() * dp.y() / (r2 * rho), rho / r2);
  const double az = std::atan2(dp.x(), dp.y());
  const double el = std::atan2(dp.z(), rho);
  if (m.kind == MeasurementKind::kRangeBearing) {
    pm.H.block<1, 3>(0, 0) = dp.transpose() / r;
    pm.H.block<1, 3>(1, 0) = d_az;
    pm.H.block<1, 3>(2, 0) = d_el;
    pm.innovation = Vec3(m.z[0] - r, WrapAngle(m.z[1] - az), m.z[2] - el);
    pm.S = pm.H * prior.P * pm.H.transpose() + m.noise;
  } else {
    pm.H.block<1, 3>(0, 0) = d_az;
    pm.H.block<1, 3>(1, 0) = d_el;
    pm.innovation = Vec3(WrapAngle(m.z[0] - az), m.z[1] - el, 0.0);
    pm.S.topLeftCorner<2, 2>() = pm.H.topRows<2>() * prior.P * pm.H.topRows<2>().transpose() +
                                 m.noise.topLeftCorner<2, 2>();
  }
  pm.S = (0.5 * (pm.S + pm.S.transpose())).eval();
  pm.valid = true;
  return pm;
}

double MahalanobisSquared(const PredictedMeasurement& pm) {
  if (!pm.valid) return std::numeric_limits<double>::infinity();
  return pm.dim == 2 ? MahalanobisFixed<2>(pm) : MahalanobisFixed<3>(pm);
}

double LogDetS(const PredictedMeasurement& pm) {
  if (!pm.valid) return -std::numeric_limits<double>::infinity();
  return pm.dim == 2 ? LogDetFixed<2>(pm) : LogDetFixed<3>(pm);
}

TrackState Update(const TrackState& prior, const Detection& d, const PredictedMeasurement& pm) {
  KOEPEL_CHECK(pm.valid, "update with an invalid predicted measurement");
  return pm.dim == 2 ? UpdateFixed<2>(prior, d, pm) : UpdateFixed<3>(prior, d, pm);
}

}  // namespace koepel::tracking::internal
