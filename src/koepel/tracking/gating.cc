#include "koepel/tracking/gating.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace internal {
namespace {

// P(a, x) by its power series; converges quickly for x < a + 1.
double GammaPSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < 100000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::abs(term) < std::abs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) = 1 - P(a, x) by its continued fraction (modified Lentz); for x >= a + 1.
double GammaQContinuedFraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double RegularizedGammaP(double a, double x) {
  KOEPEL_CHECK(a > 0.0 && x >= 0.0, "RegularizedGammaP needs a > 0, x >= 0");
  if (x == 0.0) return 0.0;
  return x < a + 1.0 ? GammaPSeries(a, x) : 1.0 - GammaQContinuedFraction(a, x);
}

void CandidateIndex::Build(std::span<const Detection* const> scan) {
  keys_.clear();
  positions_.clear();
  max_measurement_var_ = 0.0;
  bearing_only_ = !scan.empty() && scan.front()->measurement.kind == MeasurementKind::kBearing;
  if (scan.empty()) return;
  sensor_position_ = scan.front()->sensor_position;
  for (int i = 0; i < static_cast<int>(scan.size()); ++i) {
    const Detection& d = *scan[i];
    if (bearing_only_) {
      keys_.push_back({d.measurement.z[0], i});
      max_measurement_var_ = std::max(max_measurement_var_, d.measurement.noise(0, 0));
    } else {
      const std::optional<PositionEstimate> pe = ToPosition(d);
      const Vec3 pos = pe ? pe->position : Vec3::Zero();
      positions_.push_back(pos);
      keys_.push_back({pos.x(), i});
      if (pe) max_measurement_var_ = std::max(max_measurement_var_, pe->covariance.trace());
    }
  }
  std::sort(keys_.begin(), keys_.end(),
            [](const Key& a, const Key& b) { return a.key != b.key ? a.key < b.key : a.index < b.index; });
}

void CandidateIndex::AppendRange(double lo, double hi, std::vector<int>* out) const {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), lo, [](const Key& k, double v) { return k.key < v; });
  for (; it != keys_.end() && it->key <= hi; ++it) out->push_back(it->index);
}

void CandidateIndex::Candidates(const TrackState& prior, double gate, double margin, std::vector<int>* out) const {
  const size_t first = out->size();
  if (bearing_only_) {
    const Vec3 dp = prior.position() - sensor_position_;
    const double rho2 = dp.x() * dp.x() + dp.y() * dp.y();
    constexpr double kPi = std::numbers::pi;
    double half = kPi;
    if (rho2 > 1e-6) {
      // Azimuth variance from the position covariance: grad(az) P grad(az)'.
      const Eigen::RowVector3d g(dp.y() / rho2, -dp.x() / rho2, 0.0);
      const double var = g * prior.P.topLeftCorner<3, 3>() * g.transpose();
      half = margin * std::sqrt(gate * (var + max_measurement_var_));
    }
    if (half >= kPi) {
      for (const Key& k : keys_) out->push_back(k.index);
    } else {
      const double az = std::atan2(dp.x(), dp.y());
      AppendRange(az - half, az + half, out);
      if (az - half < -kPi) AppendRange(az - half + 2 * kPi, kPi, out);
      if (az + half > kPi) AppendRange(-kPi, az + half - 2 * kPi, out);
    }
  } else {
    const Vec3 p = prior.position();
    const double r = margin * std::sqrt(gate * (prior.P.topLeftCorner<3, 3>().trace() + max_measurement_var_));
    const size_t before = out->size();
    AppendRange(p.x() - r, p.x() + r, out);
    // Keep those inside the box in y and z as well.
    size_t w = before;
    for (size_t k = before; k < out->size(); ++k) {
      const Vec3& q = positions_[(*out)[k]];
      if (std::abs(q.y() - p.y()) <= r && std::abs(q.z() - p.z()) <= r) (*out)[w++] = (*out)[k];
    }
    out->resize(w);
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(first), out->end()), out->end());
}

}  // namespace internal

double ChiSquareQuantile(double p, int dof) {
  KOEPEL_CHECK(dof >= 1 && p > 0.0 && p < 1.0, "ChiSquareQuantile needs dof >= 1 and 0 < p < 1");
  if (dof == 2) return -2.0 * std::log1p(-p);  // closed form: CDF = 1 - exp(-x/2)
  const double a = 0.5 * dof;
  // Bracket, then bisect on the CDF P(dof/2, x/2), which is monotone.
  double lo = 0.0, hi = std::max(1.0, 2.0 * dof);
  while (internal::RegularizedGammaP(a, 0.5 * hi) < p) {
    lo = hi;
    hi *= 2.0;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (internal::RegularizedGammaP(a, 0.5 * mid) < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

}  // namespace koepel::tracking
