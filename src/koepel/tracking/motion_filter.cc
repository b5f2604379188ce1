#include "koepel/tracking/motion_filter.h"

#include <vector>

namespace koepel::tracking::internal {
namespace {

ImmFilter MakeFilter(const TrackerConfig& c) {
  const MotionFilterConfig& m = c.motion;
  const double sa = c.process_noise_accel_mps2;
  const ProcessNoiseModel nm = c.process_noise_model;
  std::vector<MotionModel> models;
  std::vector<double> sojourn;
  switch (m.filter) {
    case MotionFilter::kConstantVelocity:
      models.push_back(MotionModel::ConstantVelocity(sa, nm));
      break;
    case MotionFilter::kConstantAcceleration:
      models.push_back(MotionModel::ConstantAcceleration(m.ca_jerk_sigma_mps3, nm));
      break;
    case MotionFilter::kCoordinatedTurn:
      models.push_back(MotionModel::CoordinatedTurn(sa, m.turn_rate_noise_radps2, nm));
      break;
    case MotionFilter::kBallistic:
      models.push_back(MotionModel::Ballistic(sa, m.ballistic_coefficient_kgpm2, nm));
      break;
    case MotionFilter::kImmCvCt:
      models.push_back(MotionModel::ConstantVelocity(sa, nm));
      models.push_back(MotionModel::CoordinatedTurn(sa, m.turn_rate_noise_radps2, nm));
      sojourn = {m.imm_cv_sojourn_s, m.imm_ct_sojourn_s};
      break;
  }
  return ImmFilter(models, sojourn, m.nonlinear, UkfParams{m.ukf_alpha, m.ukf_beta, m.ukf_kappa});
}

}  // namespace

MotionFilterEngine::MotionFilterEngine(const TrackerConfig& config)
    : imm_(MakeFilter(config)), config_(config.motion) {}

TrackState MotionFilterEngine::Combined(const ImmState& s, SimTime t) const { return ToTrackState(imm_.Combine(s), t); }

FilterState MotionFilterEngine::Initialise(const TrackState& s) const {
  FilterState out;
  out.time = s.time;
  out.modes.count = imm_.mode_count();
  out.modes.probability = imm_.StationaryProbabilities();
  for (int j = 0; j < imm_.mode_count(); ++j) {
    const MotionModel& m = imm_.model(j);
    Gaussian& g = out.modes.modes[static_cast<size_t>(j)];
    const int n = m.dim();
    g.x = StateVec::Zero(n);
    g.P = StateMat::Zero(n, n);
    g.x.head<6>() = s.x;
    g.P.topLeftCorner<6, 6>() = s.P;
    if (m.kind() == ModelKind::kConstantAcceleration) {
      const double v = config_.initial_acceleration_sigma_mps2 * config_.initial_acceleration_sigma_mps2;
      g.P.bottomRightCorner<3, 3>() = v * Mat3::Identity();
    } else if (m.kind() == ModelKind::kCoordinatedTurn) {
      g.P(6, 6) = config_.initial_turn_rate_sigma_radps * config_.initial_turn_rate_sigma_radps;
    }
  }
  out.combined = s;  // equal to the modes' combination up to rounding; the track's own is authoritative
  return out;
}

void MotionFilterEngine::Sync(FilterState& s, const TrackState& track) const {
  if (track.time == s.combined.time && track.x == s.combined.x && track.P == s.combined.P) return;
  s.time = track.time;
  for (int j = 0; j < s.modes.count; ++j) {
    Gaussian& g = s.modes.modes[static_cast<size_t>(j)];
    const int extra = g.dim() - 6;
    g.x.head<6>() = track.x;
    g.P.topLeftCorner<6, 6>() = track.P;
    if (extra > 0) {
      g.P.topRightCorner(6, extra).setZero();
      g.P.bottomLeftCorner(extra, 6).setZero();
    }
  }
  s.combined = track;
}

FilterState MotionFilterEngine::Predict(const FilterState& s, SimTime t) const {
  FilterState out;
  out.time = t;
  out.modes = imm_.Predict(s.modes, (t - s.time).seconds());
  out.combined = Combined(out.modes, t);
  return out;
}

PredictedMeasurement MotionFilterEngine::PredictMeasurement(const FilterState& prior, const Detection& d) const {
  if (prior.modes.count == 1) return imm_.PredictMeasurement(prior.modes.modes[0], d).pm;
  // The IMM gates on its combined (moment-matched) prediction: the innovation covariance then
  // covers the spread between the modes as well as each mode's own.
  return imm_.PredictMeasurement(imm_.Combine(prior.modes), d).pm;
}

FilterState MotionFilterEngine::Update(const FilterState& prior, const Detection& d) const {
  FilterState out;
  out.time = prior.time;
  out.modes = imm_.Update(prior.modes, d);
  out.combined = Combined(out.modes, out.time);
  return out;
}

double MotionFilterEngine::LogLikelihood(const FilterState& prior, const Detection& d) const {
  return imm_.LogLikelihood(prior.modes, d);
}

FilterState MotionFilterEngine::CombinedUpdate(const FilterState& prior, std::span<const Detection> dets,
                                               std::span<const double> beta, double beta0) const {
  FilterState out;
  out.time = prior.time;
  out.modes = imm_.PdaUpdate(prior.modes, dets, beta, beta0);
  out.combined = Combined(out.modes, out.time);
  return out;
}

}  // namespace koepel::tracking::internal
