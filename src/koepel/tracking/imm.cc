#include "koepel/tracking/imm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace koepel::tracking::internal {
namespace {

bool IsLinear(ModelKind k) { return k == ModelKind::kConstantVelocity || k == ModelKind::kConstantAcceleration; }

// expm(a) of a small matrix by scaling and squaring with a Taylor series (a is a Markov generator
// times dt here: its norm is modest and all terms are well scaled).
ModeMat MatrixExponential(const ModeMat& a) {
  const int n = static_cast<int>(a.rows());
  const double norm = a.cwiseAbs().rowwise().sum().maxCoeff();
  int squarings = 0;
  if (norm > 0.5) squarings = static_cast<int>(std::ceil(std::log2(norm / 0.5)));
  const ModeMat scaled = a / std::ldexp(1.0, squarings);
  ModeMat sum = ModeMat::Identity(n, n);
  ModeMat term = ModeMat::Identity(n, n);
  for (int k = 1; k <= 18; ++k) {
    term = (term * scaled / k).eval();
    sum += term;
  }
  for (int i = 0; i < squarings; ++i) sum = (sum * sum).eval();
  return sum;
}

// log sum exp(v), -inf for an empty sum or one of -inf only.
double LogSumExp(std::span<const double> v) {
  double top = -std::numeric_limits<double>::infinity();
  for (const double x : v) top = std::max(top, x);
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (const double x : v) sum += std::exp(x - top);
  return top + std::log(sum);
}

}  // namespace

ImmFilter::ImmFilter(std::span<const MotionModel> models, std::span<const double> sojourn_s, NonlinearFilter nonlinear,
                     UkfParams ukf)
    : count_(static_cast<int>(models.size())), nonlinear_(nonlinear), ukf_(ukf) {
  KOEPEL_CHECK(count_ >= 1 && count_ <= kMaxModes, "IMM: 1 to kMaxModes motion models");
  KOEPEL_CHECK(count_ == 1 || static_cast<int>(sojourn_s.size()) == count_, "IMM: one sojourn time per mode");
  std::copy(models.begin(), models.end(), models_.begin());
  generator_ = ModeMat::Zero(count_, count_);
  for (int i = 0; i < count_; ++i) {
    sojourn_[static_cast<size_t>(i)] = count_ == 1 ? 1.0 : sojourn_s[static_cast<size_t>(i)];
    KOEPEL_CHECK(sojourn_[static_cast<size_t>(i)] > 0.0, "IMM: sojourn times > 0");
    if (count_ == 1) continue;
    const double rate = 1.0 / sojourn_[static_cast<size_t>(i)];
    for (int j = 0; j < count_; ++j) generator_(i, j) = i == j ? -rate : rate / (count_ - 1);
  }
}

ModeMat ImmFilter::TransitionMatrix(double dt_s) const {
  if (count_ == 1) return ModeMat::Identity(1, 1);
  return MatrixExponential(generator_ * std::abs(dt_s));
}

std::array<double, kMaxModes> ImmFilter::StationaryProbabilities() const {
  std::array<double, kMaxModes> p{};
  double total = 0.0;
  for (int i = 0; i < count_; ++i) total += sojourn_[static_cast<size_t>(i)];
  for (int i = 0; i < count_; ++i) p[static_cast<size_t>(i)] = sojourn_[static_cast<size_t>(i)] / total;
  return p;
}

Gaussian ImmFilter::ToModeSpace(const Gaussian& from, const MotionModel& from_model, const Gaussian& own,
                                const MotionModel& to_model) {
  if (from_model.kind() == to_model.kind() || (from.dim() == 6 && to_model.dim() == 6)) return from;
  Gaussian out = own;  // extra states (and their covariance) from the receiving mode
  out.x.head<6>() = from.x.head<6>();
  out.P.topLeftCorner<6, 6>() = from.P.topLeftCorner<6, 6>();
  const int extra = to_model.dim() - 6;
  if (extra > 0) {
    out.P.topRightCorner(6, extra).setZero();
    out.P.bottomLeftCorner(extra, 6).setZero();
  }
  return out;
}

Gaussian ImmFilter::PredictMode(int j, const Gaussian& g, double dt_s) const {
  const MotionModel& m = models_[static_cast<size_t>(j)];
  if (IsLinear(m.kind()) || nonlinear_ == NonlinearFilter::kExtended) return EkfPredict(m, g, dt_s);
  return UkfPredict(m, g, dt_s, ukf_);
}

MeasurementPrediction ImmFilter::PredictMeasurement(const Gaussian& g, const Detection& d) const {
  return nonlinear_ == NonlinearFilter::kUnscented ? UkfPredictMeasurement(g, d, ukf_) : EkfPredictMeasurement(g, d);
}

ImmState ImmFilter::Predict(const ImmState& s, double dt_s) const {
  KOEPEL_CHECK(s.count == count_, "IMM state does not match the filter");
  ImmState out;
  out.count = count_;
  if (count_ == 1) {
    out.modes[0] = PredictMode(0, s.modes[0], dt_s);
    out.probability[0] = 1.0;
    return out;
  }
  const ModeMat pi = TransitionMatrix(dt_s);
  for (int j = 0; j < count_; ++j) {
    double c = 0.0;
    for (int i = 0; i < count_; ++i) c += pi(i, j) * s.probability[static_cast<size_t>(i)];
    std::array<double, kMaxModes> w{};
    if (c > std::numeric_limits<double>::min()) {
      for (int i = 0; i < count_; ++i) w[static_cast<size_t>(i)] = pi(i, j) * s.probability[static_cast<size_t>(i)] / c;
    } else {
      w[static_cast<size_t>(j)] = 1.0;  // no way into mode j (dt = 0 and mode j dead): keep its own
    }
    const Gaussian& own = s.modes[static_cast<size_t>(j)];
    std::array<Gaussian, kMaxModes> conv;
    Gaussian mixed;
    mixed.x = StateVec::Zero(own.dim());
    mixed.P = StateMat::Zero(own.dim(), own.dim());
    for (int i = 0; i < count_; ++i) {
      conv[static_cast<size_t>(i)] = ToModeSpace(s.modes[static_cast<size_t>(i)], models_[static_cast<size_t>(i)], own,
                                                 models_[static_cast<size_t>(j)]);
      mixed.x += w[static_cast<size_t>(i)] * conv[static_cast<size_t>(i)].x;
    }
    for (int i = 0; i < count_; ++i) {
      const StateVec e = conv[static_cast<size_t>(i)].x - mixed.x;
      mixed.P += w[static_cast<size_t>(i)] * (conv[static_cast<size_t>(i)].P + e * e.transpose());
    }
    out.modes[static_cast<size_t>(j)] = PredictMode(j, mixed, dt_s);
    out.probability[static_cast<size_t>(j)] = c;
  }
  // Pi's rows sum to 1, so the predicted probabilities do too, up to rounding.
  double total = 0.0;
  for (int j = 0; j < count_; ++j) total += out.probability[static_cast<size_t>(j)];
  for (int j = 0; j < count_; ++j) out.probability[static_cast<size_t>(j)] /= total;
  return out;
}

ImmState ImmFilter::Update(const ImmState& prior, const Detection& d) const {
  ImmState post = prior;
  std::array<double, kMaxModes> log_l;
  log_l.fill(-std::numeric_limits<double>::infinity());
  double best = -std::numeric_limits<double>::infinity();
  for (int j = 0; j < count_; ++j) {
    const auto uj = static_cast<size_t>(j);
    const MeasurementPrediction mp = PredictMeasurement(prior.modes[uj], d);
    if (!mp.pm.valid) continue;
    post.modes[uj] = KalmanUpdate(prior.modes[uj], mp);
    log_l[uj] = internal::LogLikelihood(mp.pm);
    if (prior.probability[uj] > 0.0) best = std::max(best, log_l[uj]);
  }
  if (!(best > -std::numeric_limits<double>::infinity())) return prior;
  double total = 0.0;
  for (int j = 0; j < count_; ++j) {
    const auto uj = static_cast<size_t>(j);
    post.probability[uj] = prior.probability[uj] * std::exp(log_l[uj] - best);
    total += post.probability[uj];
  }
  for (int j = 0; j < count_; ++j) post.probability[static_cast<size_t>(j)] /= total;
  return post;
}

double ImmFilter::LogLikelihood(const ImmState& prior, const Detection& d) const {
  std::array<double, kMaxModes> terms;
  terms.fill(-std::numeric_limits<double>::infinity());
  for (int j = 0; j < count_; ++j) {
    const auto uj = static_cast<size_t>(j);
    if (!(prior.probability[uj] > 0.0)) continue;
    terms[uj] = std::log(prior.probability[uj]) +
                internal::LogLikelihood(PredictMeasurement(prior.modes[uj], d).pm);
  }
  return LogSumExp(std::span<const double>(terms.data(), static_cast<size_t>(count_)));
}

ImmState ImmFilter::PdaUpdate(const ImmState& prior, std::span<const Detection> dets, std::span<const double> beta,
                              double beta0) const {
  KOEPEL_CHECK(beta.size() == dets.size(), "PDA: one weight per detection");
  const size_t m = dets.size();
  // Per mode and detection: the mode-matched posterior and log N_ij.
  std::vector<Gaussian> post(static_cast<size_t>(count_) * m);
  std::vector<double> log_n(static_cast<size_t>(count_) * m, -std::numeric_limits<double>::infinity());
  for (int j = 0; j < count_; ++j) {
    const auto uj = static_cast<size_t>(j);
    for (size_t i = 0; i < m; ++i) {
      const MeasurementPrediction mp = PredictMeasurement(prior.modes[uj], dets[i]);
      Gaussian& g = post[uj * m + i];
      if (!mp.pm.valid) {
        g = prior.modes[uj];
        continue;
      }
      g = KalmanUpdate(prior.modes[uj], mp);
      log_n[uj * m + i] = internal::LogLikelihood(mp.pm);
    }
  }
  // r_ij = N_ij / g_i; a detection that no (live) mode sees moves its weight to "missed".
  std::vector<double> ratio(static_cast<size_t>(count_) * m, 0.0);
  double missed = beta0;
  for (size_t i = 0; i < m; ++i) {
    std::array<double, kMaxModes> terms;
    terms.fill(-std::numeric_limits<double>::infinity());
    for (int j = 0; j < count_; ++j) {
      const auto uj = static_cast<size_t>(j);
      if (prior.probability[uj] > 0.0) terms[uj] = std::log(prior.probability[uj]) + log_n[uj * m + i];
    }
    const double log_g = LogSumExp(std::span<const double>(terms.data(), static_cast<size_t>(count_)));
    if (!std::isfinite(log_g)) {
      missed += beta[i];
      continue;
    }
    for (int j = 0; j < count_; ++j) {
      const auto uj = static_cast<size_t>(j);
      if (std::isfinite(log_n[uj * m + i])) ratio[uj * m + i] = std::exp(log_n[uj * m + i] - log_g);
    }
  }
  ImmState out = prior;
  double total = 0.0;
  for (int j = 0; j < count_; ++j) {
    const auto uj = static_cast<size_t>(j);
    double lambda = missed;
    for (size_t i = 0; i < m; ++i) lambda += beta[i] * ratio[uj * m + i];
    out.probability[uj] = prior.probability[uj] * lambda;
    total += out.probability[uj];
    if (!(lambda > 0.0)) continue;  // the mode cannot explain the scan: it keeps its prior (and gets mu 0)
    // The mode's mixture of "missed" and each detection's update, collapsed to its moments.
    const Gaussian& g0 = prior.modes[uj];
    const double w0 = missed / lambda;
    StateVec x = w0 * g0.x;
    for (size_t i = 0; i < m; ++i) x += (beta[i] * ratio[uj * m + i] / lambda) * post[uj * m + i].x;
    StateVec e = g0.x - x;
    StateMat p = w0 * (g0.P + e * e.transpose());
    for (size_t i = 0; i < m; ++i) {
      const double w = beta[i] * ratio[uj * m + i] / lambda;
      if (w == 0.0) continue;
      e = post[uj * m + i].x - x;
      p += w * (post[uj * m + i].P + e * e.transpose());
    }
    out.modes[uj].x = x;
    out.modes[uj].P = (0.5 * (p + p.transpose())).eval();
  }
  if (!(total > 0.0)) return prior;
  for (int j = 0; j < count_; ++j) out.probability[static_cast<size_t>(j)] /= total;
  return out;
}

Gaussian ImmFilter::Combine(const ImmState& s) const {
  Gaussian out;
  if (s.count == 1) {
    out.x = s.modes[0].x.head<6>();
    out.P = s.modes[0].P.topLeftCorner<6, 6>();
    return out;
  }
  out.x = StateVec::Zero(6);
  out.P = StateMat::Zero(6, 6);
  for (int j = 0; j < s.count; ++j) {
    out.x += s.probability[static_cast<size_t>(j)] * s.modes[static_cast<size_t>(j)].x.head<6>();
  }
  for (int j = 0; j < s.count; ++j) {
    const Gaussian& g = s.modes[static_cast<size_t>(j)];
    const StateVec e = g.x.head<6>() - out.x;
    out.P += s.probability[static_cast<size_t>(j)] * (g.P.topLeftCorner<6, 6>() + e * e.transpose());
  }
  out.P = (0.5 * (out.P + out.P.transpose())).eval();
  return out;
}

}  // namespace koepel::tracking::internal
