// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The interacting multiple model (IMM) filter (Blom and Bar-Shalom 1988): a bank of mode-matched
// filters, one per motion model, with Markov switching between the modes. One cycle:
//   mixing      each mode starts from a mixture of all modes' estimates, weighted by the
//               probability of having switched into it (mode-space conversion below);
//   prediction  each mode predicts with its own model (KF for CV/CA; EKF or UKF otherwise);
//   update      each mode updates with the detection; mode probabilities follow the likelihoods;
//   combination the moment-matched [p, v] Gaussian over the modes (what the tracker shows).
// A single motion model is the one-mode case (no mixing, probability 1).
//
// Switching is a continuous-time Markov chain: mode i is left at rate 1 / sojourn_i (to each other
// mode equally), so for scans at any interval dt the transition matrix is expm(G |dt|).
// Modes with different state spaces mix by "unbiased mixing": a mode that lacks another's extra
// states (CV has no turn rate) lends only its [p, v] part; the receiving mode keeps its own
// estimate of the extra states, uncorrelated with the lent [p, v].
#pragma once

#include <array>
#include <span>

#include "koepel/tracking/kalman.h"
#include "koepel/tracking/motion.h"

namespace koepel::tracking::internal {

inline constexpr int kMaxModes = 3;
using ModeMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxModes, kMaxModes>;

struct ImmState {
  int count = 0;
  std::array<Gaussian, kMaxModes> modes;        // each in its own model's state space
  std::array<double, kMaxModes> probability{};  // sum to 1
};

class ImmFilter {
 public:
  // `sojourn_s`: mean time spent in each mode (> 0; ignored for one mode).
  ImmFilter(std::span<const MotionModel> models, std::span<const double> sojourn_s, NonlinearFilter nonlinear,
            UkfParams ukf = {});

  int mode_count() const { return count_; }
  const MotionModel& model(int i) const { return models_[static_cast<size_t>(i)]; }
  NonlinearFilter nonlinear() const { return nonlinear_; }
  const UkfParams& ukf() const { return ukf_; }

  // Pi(dt)[i][j] = P(mode j at t + |dt| | mode i at t).
  ModeMat TransitionMatrix(double dt_s) const;
  // The chain's stationary distribution (proportional to the sojourn times).
  std::array<double, kMaxModes> StationaryProbabilities() const;

  // Mixing and mode-matched prediction over dt; `probability` holds the predicted mode probabilities.
  ImmState Predict(const ImmState& s, double dt_s) const;
  // The mode-matched updates and the new mode probabilities. Modes that cannot see the detection
  // (invalid measurement prediction) keep their prior and get likelihood 0; if none can, returns `prior`.
  ImmState Update(const ImmState& prior, const Detection& d) const;
  // One mode's measurement prediction (EKF or UKF as configured).
  MeasurementPrediction PredictMeasurement(const Gaussian& g, const Detection& d) const;
  // log p(z | prior): the mixture sum_j mu_j N(nu_j; 0, S_j) of the modes' own measurement
  // likelihoods (the IMM's predictive density of d); -inf when no mode with mu_j > 0 can see d.
  double LogLikelihood(const ImmState& prior, const Detection& d) const;
  // The PDA combined update (for JPDA) with association probabilities beta (per detection) and
  // beta0 (missed), computed with LogLikelihood as the detections' densities. Since the modes only
  // change a detection's density, P(detection i, mode j | scan) = beta_i mu_j N_ij / g_i with
  // g_i = sum_k mu_k N_ik; so each mode takes its own PDA update with the mode-conditioned weights
  // beta_0 / L_j and beta_i (N_ij / g_i) / L_j (its own measurement predictions), and its
  // probability becomes mu_j L_j, with L_j = beta_0 + sum_i beta_i N_ij / g_i. A detection no mode
  // can see counts as missed. With one mode this is the plain PDA update in the model's state.
  ImmState PdaUpdate(const ImmState& prior, std::span<const Detection> dets, std::span<const double> beta,
                     double beta0) const;
  // Moment-matched [p, v] (6-D) Gaussian over the modes.
  Gaussian Combine(const ImmState& s) const;
  // `from` (in model `from_model`'s space) in the space of mode j, whose own estimate `own` lends
  // the states `from` lacks.
  static Gaussian ToModeSpace(const Gaussian& from, const MotionModel& from_model, const Gaussian& own,
                              const MotionModel& to_model);

 private:
  Gaussian PredictMode(int j, const Gaussian& g, double dt_s) const;

  int count_ = 0;
  std::array<MotionModel, kMaxModes> models_;
  ModeMat generator_;
  std::array<double, kMaxModes> sojourn_{};
  NonlinearFilter nonlinear_ = NonlinearFilter::kExtended;
  UkfParams ukf_;
};

}  // namespace koepel::tracking::internal
