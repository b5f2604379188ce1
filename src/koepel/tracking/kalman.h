// IWYU pragma: private, include "koepel/tracking/tracking.h"
// Kalman, extended and unscented Kalman filters on a motion model's state (motion.h), for the
// measurement kinds of model.h (position, range/azimuth/elevation, bearings), which all observe the
// position, the first three state entries. Both the EKF and the UKF update solve with S by LDLT
// (no inverse) and use the Joseph-form covariance; the UKF's H is its statistical linearisation
// Pxz' P^-1 and its R the part of S that H P H' does not explain, so the Joseph form equals the
// textbook UKF update P - K S K' while staying symmetric and positive semi-definite.
#pragma once

#include <Eigen/Core>

#include "koepel/tracking/filter.h"
#include "koepel/tracking/motion.h"

namespace koepel::tracking::internal {

using MeasVec = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, 3, 1>;
using MeasMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, 3, 3>;
using ObsMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor, 3, kMaxStateDim>;
using CrossMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxStateDim, 3>;
using SigmaMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxStateDim, 2 * kMaxStateDim + 1>;

// Scaled unscented transform (Julier 2002; Wan and van der Merwe): lambda = alpha^2 (n + kappa) - n.
struct UkfParams {
  double alpha = 1.0;
  double beta = 2.0;
  double kappa = 0.0;
};

// 2n + 1 sigma points of (x, P) and their mean and covariance weights.
struct SigmaPoints {
  SigmaMat points;  // n x (2n + 1), column 0 = mean
  Eigen::Matrix<double, 1, Eigen::Dynamic, Eigen::RowMajor, 1, 2 * kMaxStateDim + 1> wm, wc;
  bool used_fallback = false;  // P was not positive definite: eigen-decomposition square root instead
};
SigmaPoints MakeSigmaPoints(const Gaussian& g, const UkfParams& p);

// A matrix square root L with L L' = P: Cholesky (Eigen LLT) when P is positive definite, else
// from the eigen-decomposition with negative eigenvalues clamped to 0. Sets *fallback accordingly.
StateMat SquareRoot(const StateMat& p, bool* fallback);

// Prediction to dt later (dt < 0: backwards). EKF: x = f(x), P = F P F' + Q (the exact KF for CV
// and CA). UKF: sigma points through f, plus Q.
Gaussian EkfPredict(const MotionModel& m, const Gaussian& g, double dt_s);
Gaussian UkfPredict(const MotionModel& m, const Gaussian& g, double dt_s, const UkfParams& p);

// One detection's view of a predicted state.
struct MeasurementPrediction {
  PredictedMeasurement pm;  // dim, innovation (angles wrapped), S, valid: what gating needs
  ObsMat H;                 // m x n: Jacobian (EKF) or statistical linearisation (UKF)
  CrossMat cross;           // n x m: Pxz = P H' (EKF) or the sigma points' cross covariance (UKF)
  MeasMat R;                // m x m: R (EKF) or S - H P H' (UKF)
};
MeasurementPrediction EkfPredictMeasurement(const Gaussian& g, const Detection& d);
MeasurementPrediction UkfPredictMeasurement(const Gaussian& g, const Detection& d, const UkfParams& p);

// K = Pxz S^-1 (LDLT), x+ = x + K nu, P+ = (I - K H) P (I - K H)' + K R K'. mp must be valid.
Gaussian KalmanUpdate(const Gaussian& prior, const MeasurementPrediction& mp);

// log N(nu; 0, S) (for IMM mode likelihoods); -inf when invalid or S is not positive definite.
double LogLikelihood(const PredictedMeasurement& pm);

}  // namespace koepel::tracking::internal
