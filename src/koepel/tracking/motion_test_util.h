// IWYU pragma: private, include "koepel/tracking/tracking.h"
// Test helpers shared by the motion-model, filter and IMM tests: detections of each measurement
// kind, and seeded draws from a Gaussian (also for singular covariances such as a CV model's Q).
#pragma once

#include <Eigen/Eigenvalues>
#include <cmath>

#include "koepel/core/core.h"
#include "koepel/model/model.h"
#include "koepel/tracking/motion.h"

namespace koepel::tracking::internal::testing {

inline Detection PositionDetection(const Vec3& z, double sigma, SimTime t = SimTime::Epoch()) {
  Detection d;
  d.time = t;
  d.measurement.kind = MeasurementKind::kPosition;
  d.measurement.z = z;
  d.measurement.noise = sigma * sigma * Mat3::Identity();
  return d;
}

inline Detection PolarDetection(const Vec3& sensor, const Vec3& rae, double sr, double saz, double sel,
                                SimTime t = SimTime::Epoch()) {
  Detection d;
  d.time = t;
  d.sensor_position = sensor;
  d.measurement.kind = MeasurementKind::kRangeBearing;
  d.measurement.z = rae;
  d.measurement.noise = Vec3(sr * sr, saz * saz, sel * sel).asDiagonal();
  return d;
}

inline Detection BearingDetection(const Vec3& sensor, double az, double el, double sigma,
                                  SimTime t = SimTime::Epoch()) {
  Detection d;
  d.time = t;
  d.sensor_position = sensor;
  d.measurement.kind = MeasurementKind::kBearing;
  d.measurement.z = Vec3(az, el, 0.0);
  d.measurement.noise = Mat3::Zero();
  d.measurement.noise(0, 0) = sigma * sigma;
  d.measurement.noise(1, 1) = sigma * sigma;
  return d;
}

// A draw from N(0, cov) for any positive semi-definite cov (symmetric square root).
inline StateVec SampleZeroMean(const StateMat& cov, Rng& rng) {
  const Eigen::SelfAdjointEigenSolver<StateMat> es(cov);
  StateVec n(cov.rows());
  for (int i = 0; i < n.size(); ++i) n[i] = rng.Normal(0.0, std::sqrt(std::max(0.0, es.eigenvalues()[i])));
  return es.eigenvectors() * n;
}

inline Gaussian MakeGaussian(const StateVec& x, const StateMat& p) {
  Gaussian g;
  g.x = x;
  g.P = p;
  return g;
}

}  // namespace koepel::tracking::internal::testing
