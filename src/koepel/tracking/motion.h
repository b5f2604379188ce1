// IWYU pragma: private, include "koepel/tracking/tracking.h"
// Motion models (transition models): constant velocity, constant acceleration, coordinated turn
// and ballistic, each as f(x, dt), its Jacobian F = df/dx and the process noise Q(dt), on a state
// whose first six entries are [p, v] in the local ENU frame (model.h TrackState), followed by the
// model's own extra states. The state is an Eigen vector of run-time size (at most kMaxStateDim)
// with fixed storage, so that one filter implementation serves every model without allocating.
#pragma once

#include <Eigen/Core>

#include "koepel/model/model.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking::internal {

inline constexpr int kMaxStateDim = 9;
using StateVec = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kMaxStateDim, 1>;
using StateMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxStateDim, kMaxStateDim>;

// A Gaussian estimate on a model's state: x (dim), P (dim x dim).
struct Gaussian {
  StateVec x;
  StateMat P;
  int dim() const { return static_cast<int>(x.size()); }
};

// The 6-D [p, v] marginal of a Gaussian, as the rest of koepel sees it.
TrackState ToTrackState(const Gaussian& g, SimTime t);

enum class ModelKind {
  kConstantVelocity,      // [p, v]                      (6)
  kConstantAcceleration,  // [p, v, a]                   (9), white-noise jerk
  kCoordinatedTurn,       // [p, v, omega]               (7), horizontal turn at omega, vertical CV
  kBallistic,             // [p, v]                      (6), gravity and quadratic drag
};

// Standard gravity and the exponential air density of the ballistic model, rho(h) = rho0 exp(-h / H)
// with h the ENU height (Li and Jilkov's low-altitude fit, 1.227 kg/m^3 and 1 / 1.093e-4 m).
inline constexpr double kGravityMps2 = 9.80665;
inline constexpr double kSeaLevelDensityKgpm3 = 1.227;
inline constexpr double kDensityScaleHeightM = 1.0 / 1.093e-4;

class MotionModel {
 public:
  // sigma_accel: white-noise acceleration std (m/s^2) on every axis, as TrackerConfig's
  // process_noise_accel_mps2 (CV, CT, ballistic). noise: discrete (piecewise constant over a step)
  // or continuous white noise; the same choice applies to the jerk of CA and the turn acceleration of CT.
  static MotionModel ConstantVelocity(double sigma_accel, ProcessNoiseModel noise);
  static MotionModel ConstantAcceleration(double sigma_jerk_mps3, ProcessNoiseModel noise);
  // omega > 0 turns counter-clockwise seen from above (from east towards north).
  static MotionModel CoordinatedTurn(double sigma_accel, double sigma_turn_accel_radps2, ProcessNoiseModel noise);
  // beta = m / (Cd A) in kg/m^2; drag acceleration = -rho(h) |v| v / (2 beta); +inf: no drag.
  // RK4 with sub-steps of at most max_step_s.
  static MotionModel Ballistic(double sigma_accel, double ballistic_coefficient_kgpm2, ProcessNoiseModel noise,
                               double max_step_s = 0.05);

  ModelKind kind() const { return kind_; }
  int dim() const;
  // x(t + dt) for x at t. Negative dt predicts backwards (a retrodiction).
  StateVec Propagate(const StateVec& x, double dt_s) const;
  // F = d Propagate / d x at x. For the ballistic model, the exact derivative of the RK4 map
  // (RK4 applied to the variational equation alongside the state).
  StateMat Jacobian(const StateVec& x, double dt_s) const;
  // Q(|dt|): uncertainty never shrinks by predicting, also backwards.
  StateMat ProcessNoise(double dt_s) const;
  // Propagate and Jacobian in one pass (the ballistic model integrates both together).
  void PropagateWithJacobian(const StateVec& x, double dt_s, StateVec* fx, StateMat* jac) const;

  double ballistic_coefficient() const { return beta_; }

 private:
  ModelKind kind_ = ModelKind::kConstantVelocity;
  double sigma_accel_ = 0.0;  // CV, CT, ballistic: acceleration std; CA: jerk std
  double sigma_turn_ = 0.0;   // CT: turn-rate acceleration std, rad/s^2
  double beta_ = 0.0;         // ballistic coefficient, kg/m^2
  double max_step_s_ = 0.05;
  ProcessNoiseModel noise_ = ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration;
};

// The ballistic model's acceleration: gravity and drag at position p, velocity v.
Vec3 BallisticAcceleration(const Vec3& p, const Vec3& v, double ballistic_coefficient_kgpm2);

}  // namespace koepel::tracking::internal
