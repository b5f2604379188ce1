// Threat assessment: path prediction by class, impact point and covariance, P(hit) per asset, value, rank.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "koepel/threat/threat.h"

namespace koepel::threat {
namespace {

constexpr double kGravity = 9.80665;  // m/s^2, standard gravity
constexpr double kPi = 3.14159265358979323846;
constexpr double kMinMovingSpeed = 0.5;  // m/s; slower tracks are treated as hovering (closest approach now)

// Manoeuvre spectral density q (m^2/s^3) per class: horizontal position variance grows by q t^3 / 3 over a
// prediction of t seconds (a random-walk velocity). A Shahed-type drone flying a programmed route deviates
// little from a straight line (q = 0.05: sigma 60 m after 60 s, 1.9 km after 600 s); quadcopters, aircraft
// and helicopters turn at will; a ballistic body follows its arc (q = 0.01 for unmodelled drag and lift).
constexpr std::array<double, kObjectClassCount> kManoeuvreQ = {0.5, 0.5, 1.0, 0.05, 0.05, 1.0, 0.5, 0.1, 0.01};

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct GaussLegendre {
  std::array<double, 48> x{};
  std::array<double, 48> w{};
};

// Nodes and weights on [-1, 1] by Newton iteration on the Legendre polynomial.
GaussLegendre MakeGaussLegendre() {
  GaussLegendre g;
  const int n = static_cast<int>(g.x.size());
  for (int i = 0; i < n; ++i) {
    double z = std::cos(kPi * (i + 0.75) / (n + 0.5));
    double dp = 1.0;
    for (int iter = 0; iter < 100; ++iter) {
      double p0 = 1.0, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1.0);
      const double dz = p1 / dp;
      z -= dz;
      if (std::abs(dz) < 1e-15) break;
    }
    g.x[static_cast<size_t>(i)] = z;
    g.w[static_cast<size_t>(i)] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
  return g;
}

std::string Fmt(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, a);
  return buf;
}

std::string Distance(double m) { return m >= 10000.0 ? Fmt("%.1f km", m / 1000.0) : Fmt("%.0f m", m); }

double EffectiveLethality(ObjectClass c, const ThreatConfig& config) {
  const double own = config.lethality[static_cast<size_t>(c)];
  if (c != ObjectClass::kDecoy) return own;
  return std::max(own, config.decoy_real_probability *
                           config.lethality[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)]);
}

// P(X in polygon), X ~ N(mean, cov), by a 12 x 12 Gauss-Hermite product rule in the principal axes:
// coarse (each node stands for a patch of the Gaussian) but deterministic and cheap.
double ProbabilityInPolygon(const Vec2& mean, const Eigen::Matrix2d& cov, const std::vector<Vec2>& polygon) {
  // Probabilists' Gauss-Hermite rule, n = 12 (the positive half; weights sum to 1 over all 12 nodes).
  static constexpr std::array<double, 6> kNode = {0.4444030019441390, 1.3403751971516167, 2.2594644510007993,
                                                  3.2237098287700974, 4.2718258479322815, 5.5009017044677480};
  static constexpr std::array<double, 6> kWeight = {3.2166436151283001e-01, 1.4696704804533001e-01,
                                                    2.9116687912364120e-02, 2.2033806875332005e-03,
                                                    4.8371849225906415e-05, 1.4999271676371599e-07};
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(cov);
  const Eigen::Vector2d sd = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  double p = 0.0;
  for (int i = 0; i < 12; ++i) {
    const double ui = (i < 6 ? -1.0 : 1.0) * kNode[static_cast<size_t>(i < 6 ? 5 - i : i - 6)];
    const double wi = kWeight[static_cast<size_t>(i < 6 ? 5 - i : i - 6)];
    for (int j = 0; j < 12; ++j) {
      const double uj = (j < 6 ? -1.0 : 1.0) * kNode[static_cast<size_t>(j < 6 ? 5 - j : j - 6)];
      const double wj = kWeight[static_cast<size_t>(j < 6 ? 5 - j : j - 6)];
      const Vec2 point = mean + eig.eigenvectors() * Vec2(ui * sd(0), uj * sd(1));
      if (geo::Contains(polygon, point)) p += wi * wj;
    }
  }
  return std::clamp(p, 0.0, 1.0);
}

// Covariance of the horizontal position after t seconds of constant velocity (F P F^T) plus manoeuvre.
Eigen::Matrix3d PropagatePosition(const Mat6& P, double t, double q) {
  Eigen::Matrix<double, 3, 6> F;
  F << Mat3::Identity(), t * Mat3::Identity();
  Eigen::Matrix3d c = F * P * F.transpose();
  const double m = q * t * t * t / 3.0;
  c(0, 0) += m;
  c(1, 1) += m;
  return 0.5 * (c + c.transpose());
}

// Cross-track covariance: a drone that arrives early or late still arrives; only the error across its
// path makes it miss. The along-track variance is replaced by the cross-track one.
Eigen::Matrix2d CrossTrackCovariance(const Eigen::Matrix2d& c, const Vec2& velocity) {
  const double speed = velocity.norm();
  if (speed < kMinMovingSpeed) return c;
  const Vec2 along = velocity / speed;
  const Vec2 cross(-along.y(), along.x());
  const double var = cross.dot(c * cross);
  return var * Eigen::Matrix2d::Identity();
}

struct AssetHit {
  double p_hit = 0.0;
  double miss_m = std::numeric_limits<double>::infinity();
  double margin_m = 0.0;     // radius + k sigma: closer than this is "at risk"
  double time_to_go_s = 0.0;
  Vec3 point = Vec3::Zero();  // the predicted position at closest approach (or impact)
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();
};

double PHit(const Asset& asset, const Vec2& point, const Eigen::Matrix2d& cov) {
  if (!asset.footprint.empty()) return ProbabilityInPolygon(point, cov, asset.footprint);
  return internal::ProbabilityInDisc(point - asset.position.head<2>(), cov, asset.radius_m);
}

double MissDistance(const Asset& asset, const Vec2& point) {
  if (!asset.footprint.empty()) return geo::DistanceToPolygon(asset.footprint, point);
  return (point - asset.position.head<2>()).norm();
}

}  // namespace

namespace internal {

double BallisticTimeToGround(double z0, double vz) {
  const double z = std::max(z0, 0.0);
  // z(t) = z + vz t - g t^2 / 2 = 0, the later root.
  return (vz + std::sqrt(vz * vz + 2.0 * kGravity * z)) / kGravity;
}

double ProbabilityInDisc(const Vec2& mean, const Eigen::Matrix2d& cov, double radius) {
  if (radius <= 0.0) return 0.0;
  // Principal axes; x along the smaller sigma so its narrow Gaussian is handled by clipping the interval,
  // y along the larger one integrated in closed form (normal CDF):
  //   P = int_{-R}^{R} phi_x(x) [Phi((h(x) - my) / sy) - Phi((-h(x) - my) / sy)] dx,  h(x) = sqrt(R^2 - x^2),
  // with x = R sin(theta) (smooth at the disc's edges) and 48-point Gauss-Legendre over theta.
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(0.5 * (cov + cov.transpose()));
  const Vec2 m = eig.eigenvectors().transpose() * mean;
  const double floor_sd = 1e-9 * radius + 1e-12;
  const double sx = std::max(std::sqrt(std::max(eig.eigenvalues()(0), 0.0)), floor_sd);
  const double sy = std::max(std::sqrt(std::max(eig.eigenvalues()(1), 0.0)), floor_sd);
  const double a = std::max(-radius, m.x() - 9.0 * sx);
  const double b = std::min(radius, m.x() + 9.0 * sx);
  if (a >= b) return 0.0;
  const double ta = std::asin(std::clamp(a / radius, -1.0, 1.0));
  const double tb = std::asin(std::clamp(b / radius, -1.0, 1.0));
  static const GaussLegendre kRule = MakeGaussLegendre();  // an immutable table, built once
  double p = 0.0;
  for (size_t i = 0; i < kRule.x.size(); ++i) {
    const double theta = 0.5 * (ta + tb) + 0.5 * (tb - ta) * kRule.x[i];
    const double x = radius * std::sin(theta);
    const double h = radius * std::cos(theta);
    const double zx = (x - m.x()) / sx;
    const double phi = std::exp(-0.5 * zx * zx) / (sx * std::sqrt(2.0 * kPi));
    const double band = NormalCdf((h - m.y()) / sy) - NormalCdf((-h - m.y()) / sy);
    p += kRule.w[i] * phi * band * h;  // dx = R cos(theta) dtheta = h dtheta
  }
  p *= 0.5 * (tb - ta);
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace internal

std::vector<Threat> AssessThreats(SimTime now, std::span<const Track> tracks, std::span<const Asset> assets,
                                  const ThreatConfig& config) {
  double max_value = 0.0;
  for (const Asset& a : assets) max_value = std::max(max_value, a.value);
  const double horizon_s = config.horizon.seconds();

  std::vector<Threat> threats;
  for (const Track& track : tracks) {
    const Identity& id = track.identity;
    if (track.status == TrackStatus::kDeleted) continue;
    if (IsProtected(id.affiliation) || id.object_class == ObjectClass::kBird) continue;

    const ObjectClass cls = id.object_class;
    const double q = kManoeuvreQ[static_cast<size_t>(cls)];
    const bool ballistic = cls == ObjectClass::kBallisticMissile;

    // Bring the state to `now` along the class's motion model.
    const double dt = std::max(0.0, (now - track.state.time).seconds());
    Vec6 x = track.state.x;
    Mat6 P = track.state.P;
    {
      Mat6 F = Mat6::Identity();
      F.block<3, 3>(0, 3) = dt * Mat3::Identity();
      x = F * x;
      if (ballistic) {
        x(2) -= 0.5 * kGravity * dt * dt;
        x(5) -= kGravity * dt;
      }
      P = F * P * F.transpose();
    }
    const Vec3 p0 = x.head<3>();
    const Vec3 v0 = x.tail<3>();

    std::vector<AssetHit> hits(assets.size());
    if (ballistic) {
      // Analytic impact on z = 0 (no drag); first-order covariance through the impact time's dependence on
      // (z0, vz): t = (vz + sqrt(vz^2 + 2 g z0)) / g.
      const double t = internal::BallisticTimeToGround(p0.z(), v0.z());
      const double root = std::sqrt(v0.z() * v0.z() + 2.0 * kGravity * std::max(p0.z(), 0.0));
      const double dt_dz = root > 1e-9 ? 1.0 / root : 0.0;
      const double dt_dvz = root > 1e-9 ? (1.0 + v0.z() / root) / kGravity : 0.0;
      const Vec3 impact(p0.x() + v0.x() * t, p0.y() + v0.y() * t, 0.0);
      Eigen::Matrix<double, 3, 6> J = Eigen::Matrix<double, 3, 6>::Zero();
      J(0, 0) = 1.0;
      J(1, 1) = 1.0;
      J(0, 3) = t;
      J(1, 4) = t;
      J(0, 2) = v0.x() * dt_dz;
      J(1, 2) = v0.y() * dt_dz;
      J(0, 5) = v0.x() * dt_dvz;
      J(1, 5) = v0.y() * dt_dvz;
      Eigen::Matrix3d cov = J * P * J.transpose();
      cov(0, 0) += q * t * t * t / 3.0;
      cov(1, 1) += q * t * t * t / 3.0;
      cov = 0.5 * (cov + cov.transpose());
      const Eigen::Matrix2d c2 = cov.topLeftCorner<2, 2>();
      for (size_t i = 0; i < assets.size(); ++i) {
        AssetHit& h = hits[i];
        h.point = impact;
        h.covariance = cov;
        h.time_to_go_s = t;
        h.miss_m = MissDistance(assets[i], impact.head<2>());
        const double sigma = std::sqrt(std::max(c2.eigenvalues().real().maxCoeff(), 0.0));
        h.margin_m = (assets[i].footprint.empty() ? assets[i].radius_m : 0.0) + config.miss_margin_sigma * sigma;
        h.p_hit = PHit(assets[i], impact.head<2>(), c2);
      }
    } else {
      // Straight line at the current altitude; the closest approach to each asset within the horizon.
      const Vec2 vh = v0.head<2>();
      const double speed2 = vh.squaredNorm();
      for (size_t i = 0; i < assets.size(); ++i) {
        AssetHit& h = hits[i];
        const Vec2 d = p0.head<2>() - assets[i].position.head<2>();
        double t = 0.0;
        if (speed2 > kMinMovingSpeed * kMinMovingSpeed) t = std::clamp(-d.dot(vh) / speed2, 0.0, horizon_s);
        const Vec2 ca = p0.head<2>() + vh * t;
        h.point = Vec3(ca.x(), ca.y(), p0.z());
        h.time_to_go_s = t;
        Eigen::Matrix3d cov = PropagatePosition(P, t, q);
        const Eigen::Matrix2d cross = CrossTrackCovariance(cov.topLeftCorner<2, 2>(), vh);
        h.miss_m = MissDistance(assets[i], ca);
        const double sigma = std::sqrt(cross(0, 0));
        h.margin_m = (assets[i].footprint.empty() ? assets[i].radius_m : 0.0) + config.miss_margin_sigma * sigma;
        h.p_hit = PHit(assets[i], ca, cross);
        cov.topLeftCorner<2, 2>() = cross;
        h.covariance = cov;
      }
    }

    // The asset at risk: the one passed closest (relative to its margin) among those within the margin.
    std::optional<size_t> at_risk;
    std::optional<size_t> nearest;
    double sum_p = 0.0, max_p = 0.0, damage = 0.0;
    for (size_t i = 0; i < assets.size(); ++i) {
      const AssetHit& h = hits[i];
      sum_p += h.p_hit;
      max_p = std::max(max_p, h.p_hit);
      damage += assets[i].value * h.p_hit;
      auto better = [&](std::optional<size_t> other) {
        if (!other.has_value()) return true;
        const double mine = h.miss_m - h.margin_m;
        const double theirs = hits[*other].miss_m - hits[*other].margin_m;
        return mine < theirs || (mine == theirs && assets[i].id < assets[*other].id);
      };
      if (h.miss_m <= h.margin_m && better(at_risk)) at_risk = i;
      if (better(nearest)) nearest = i;
    }

    const double lethality = EffectiveLethality(cls, config);
    Threat threat;
    threat.track = track.id;
    threat.object_class = cls;
    threat.affiliation = id.affiliation;
    // Expected damage to defended assets, plus the leftover chance of hitting something undefended.
    threat.value = lethality * damage + config.undefended_weight * max_value * lethality * (1.0 - std::min(sum_p, 1.0));

    std::optional<size_t> shown = at_risk.has_value() ? at_risk : nearest;
    if (shown.has_value()) {
      const AssetHit& h = hits[*shown];
      if (at_risk.has_value()) threat.asset_at_risk = assets[*at_risk].id;
      threat.p_hit = at_risk.has_value() ? h.p_hit : max_p;
      threat.predicted_impact = h.point;
      threat.impact_covariance = h.covariance;
      threat.time_to_go = SecondsF(h.time_to_go_s);
      threat.miss_distance_m = h.miss_m;
    } else {
      // No assets at all: where it will be at the end of the horizon (ballistic: its impact point).
      const double t = ballistic ? internal::BallisticTimeToGround(p0.z(), v0.z()) : horizon_s;
      threat.predicted_impact = ballistic ? Vec3(p0.x() + v0.x() * t, p0.y() + v0.y() * t, 0.0)
                                          : Vec3(p0.x() + v0.x() * t, p0.y() + v0.y() * t, p0.z());
      threat.impact_covariance = PropagatePosition(P, t, q);
      threat.time_to_go = SecondsF(t);
      threat.miss_distance_m = std::numeric_limits<double>::infinity();
    }
    threat.predicted_impact_time = now + threat.time_to_go;

    // One line for the operator.
    const double heading = std::fmod(std::atan2(v0.x(), v0.y()) * 180.0 / kPi + 360.0, 360.0);
    std::string e = "track " + track.id.ToString() + ": " + std::string(ObjectClassName(cls)) + " (p=" +
                    Fmt("%.2f", id.class_confidence) + ", " + std::string(AffiliationName(id.affiliation)) + "), " +
                    Fmt("%.0f m/s", v0.norm()) + " heading " + Fmt("%03.0f", heading) + ", alt " +
                    Fmt("%.0f m", p0.z());
    if (at_risk.has_value()) {
      e += " -> " + assets[*at_risk].name + " (miss " + Distance(threat.miss_distance_m) + ", P(hit) " +
           Fmt("%.2f", threat.p_hit) + ")";
    } else if (nearest.has_value()) {
      e += " -> no defended asset (nearest " + assets[*nearest].name + ", miss " + Distance(threat.miss_distance_m) +
           ")";
    } else {
      e += " -> no defended asset";
    }
    e += (ballistic ? " impact in " : " in ") + Fmt("%.0f s", threat.time_to_go.seconds()) + "; value " +
         Fmt("%.3g", threat.value);
    threat.explanation = std::move(e);
    threats.push_back(std::move(threat));
  }

  std::sort(threats.begin(), threats.end(), [](const Threat& a, const Threat& b) {
    if (a.value != b.value) return a.value > b.value;
    return a.track < b.track;
  });
  for (size_t i = 0; i < threats.size(); ++i) threats[i].rank = static_cast<int>(i) + 1;
  return threats;
}

bool NeedsConfirmation(const Track& track, double min_class_confidence) {
  if (track.status != TrackStatus::kConfirmed || track.identity.operator_declared) return false;
  switch (track.identity.affiliation) {
    case Affiliation::kPending:
    case Affiliation::kUnknown:
    case Affiliation::kSuspect:
      return true;
    case Affiliation::kHostile:
      return track.identity.class_confidence < min_class_confidence;
    case Affiliation::kCivil:
    case Affiliation::kFriend:
    case Affiliation::kNeutral:
      return false;
  }
  return false;
}

}  // namespace koepel::threat
