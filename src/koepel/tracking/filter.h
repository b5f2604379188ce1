// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The predictor and the updaters: constant-velocity motion in the local ENU frame, and the
// Kalman (position) and extended Kalman (range/azimuth/elevation, bearings) measurement updates.
// State x = [px, py, pz, vx, vy, vz] (model.h TrackState). Pure functions, no allocation.
#pragma once

#include <Eigen/Core>

#include "koepel/model/model.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking::internal {

using Mat36 = Eigen::Matrix<double, 3, 6>;

// F(dt) of the constant-velocity model.
Mat6 CvTransition(double dt_s);
// Q(dt) of the constant-velocity model; `sigma` is process_noise_accel_mps2. A negative dt (a
// retrodiction for an out-of-sequence scan) uses |dt|, so uncertainty never shrinks by predicting.
Mat6 CvProcessNoise(double dt_s, double sigma, ProcessNoiseModel model);

// Predicts `s` to time `t` (x = F x, P = F P F' + Q), keeping P symmetric.
TrackState Predict(const TrackState& s, SimTime t, double sigma, ProcessNoiseModel model);

// A state's linearised view through one detection's measurement model. Rows/columns [0, dim) used.
struct PredictedMeasurement {
  int dim = 3;
  Vec3 innovation = Vec3::Zero();  // z - h(x); azimuth wrapped to (-pi, pi]
  Mat36 H = Mat36::Zero();         // Jacobian of h at x
  Mat3 S = Mat3::Zero();           // H P H' + R
  bool valid = false;              // false when h is singular at x (target on the sensor's vertical)
};

// h(x) for a detection's measurement kind, seen from the detection's sensor position.
Vec3 MeasurementFunction(const Vec6& x, const Detection& d);
PredictedMeasurement PredictMeasurement(const TrackState& prior, const Detection& d);

// nu' S^-1 nu via an LDLT solve; +inf when S is not positive definite.
double MahalanobisSquared(const PredictedMeasurement& pm);
// log det S (for likelihood-type costs); -inf when S is singular.
double LogDetS(const PredictedMeasurement& pm);

// The (E)KF update with the Joseph-form covariance: P+ = (I-KH) P (I-KH)' + K R K', K from an
// LDLT solve of S. `pm` must come from PredictMeasurement(prior, d).
TrackState Update(const TrackState& prior, const Detection& d, const PredictedMeasurement& pm);

// Makes a symmetric matrix exactly symmetric (averages the off-diagonal pairs).
inline void Symmetrize(Mat6& p) { p = (0.5 * (p + p.transpose())).eval(); }

// Wraps an angle to (-pi, pi].
double WrapAngle(double a);

}  // namespace koepel::tracking::internal
