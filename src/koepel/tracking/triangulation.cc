#include "koepel/tracking/triangulation.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "koepel/tracking/filter.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking::internal {
namespace {

constexpr double kMinRangeM = 1.0;

Duration AbsDiff(SimTime a, SimTime b) { return a > b ? a - b : b - a; }

Vec3 RayDirection(const Detection& d) {
  const double az = d.measurement.z[0], el = d.measurement.z[1];
  return {std::sin(az) * std::cos(el), std::cos(az) * std::cos(el), std::sin(el)};
}

double MaxSigma(const Mat3& c) {
  Eigen::SelfAdjointEigenSolver<Mat3> es;
  es.computeDirect(c, Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(0.0, es.eigenvalues().maxCoeff()));
}

// The normal equations of the angle residuals at p: J' W J, J' W r and chi2. False when p is on
// (or behind, or next to) a sensor, where the angles are undefined.
struct Normal {
  Mat3 jwj = Mat3::Zero();
  Vec3 jwr = Vec3::Zero();
  double chi2 = 0.0;
};
bool BuildNormal(std::span<const Detection* const> rays, SimTime t_ref, double speed_sigma, const Vec3& p,
                 Normal* out) {
  *out = Normal{};
  for (const Detection* d : rays) {
    const Vec3 dp = p - d->sensor_position;
    const double rho2 = dp.x() * dp.x() + dp.y() * dp.y();
    const double rho = std::sqrt(rho2);
    const double r2 = rho2 + dp.z() * dp.z();
    if (rho < kMinRangeM || dp.dot(RayDirection(*d)) <= 0.0) return false;
    Eigen::Matrix<double, 2, 3> j;
    j << dp.y() / rho2, -dp.x() / rho2, 0.0, -dp.z() * dp.x() / (r2 * rho), -dp.z() * dp.y() / (r2 * rho), rho / r2;
    const Eigen::Vector2d res(WrapAngle(d->measurement.z[0] - std::atan2(dp.x(), dp.y())),
                              d->measurement.z[1] - std::atan2(dp.z(), rho));
    Eigen::Matrix2d r = d->measurement.noise.topLeftCorner<2, 2>();
    // The target moves between this ray and the latest one: an angle error of about v dt / range.
    const double drift = speed_sigma * std::abs((t_ref - d->time).seconds());
    r(0, 0) += drift * drift / rho2;
    r(1, 1) += drift * drift / r2;
    const Eigen::LDLT<Eigen::Matrix2d> ldlt(r);
    if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0.0).all()) return false;
    const Eigen::Matrix<double, 2, 3> wj = ldlt.solve(j);
    out->jwj += j.transpose() * wj;
    out->jwr += wj.transpose() * res;
    out->chi2 += res.dot(ldlt.solve(res));
  }
  return true;
}

}  // namespace

std::optional<Triangulation> IntersectBearings(std::span<const Detection* const> rays, double speed_sigma_mps) {
  if (rays.size() < 2) return std::nullopt;
  SimTime t_ref = rays.front()->time;
  for (const Detection* d : rays) {
    KOEPEL_CHECK(d->measurement.kind == MeasurementKind::kBearing, "IntersectBearings needs bearings");
    t_ref = std::max(t_ref, d->time);
  }
  // Start: the point closest to all lines (each weighted by its angle precision), in closed form.
  Mat3 a = Mat3::Zero();
  Vec3 b = Vec3::Zero();
  for (const Detection* d : rays) {
    const Vec3 u = RayDirection(*d);
    const double w = 1.0 / std::max(d->measurement.noise(0, 0) + d->measurement.noise(1, 1), 1e-18);
    const Mat3 proj = Mat3::Identity() - u * u.transpose();
    a += w * proj;
    b += w * proj * d->sensor_position;
  }
  Eigen::SelfAdjointEigenSolver<Mat3> es;
  es.computeDirect(a, Eigen::EigenvaluesOnly);
  if (!(es.eigenvalues().minCoeff() > 1e-9 * es.eigenvalues().maxCoeff())) return std::nullopt;  // parallel
  Vec3 p = a.ldlt().solve(b);

  // Gauss-Newton on the angle residuals (the maximum-likelihood point for Gaussian angle noise).
  Normal ne;
  bool converged = false;
  for (int iter = 0; iter < 30 && !converged; ++iter) {
    if (!BuildNormal(rays, t_ref, speed_sigma_mps, p, &ne)) return std::nullopt;
    const Eigen::LDLT<Mat3> ldlt(ne.jwj);
    if (ldlt.info() != Eigen::Success) return std::nullopt;
    const Vec3 step = ldlt.solve(ne.jwr);
    if (!step.allFinite()) return std::nullopt;
    p += step;
    converged = step.norm() < 1e-6 * (1.0 + (p - rays.front()->sensor_position).norm());
  }
  if (!converged || !BuildNormal(rays, t_ref, speed_sigma_mps, p, &ne)) return std::nullopt;
  const Eigen::LDLT<Mat3> ldlt(ne.jwj);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array() > 0.0).all()) return std::nullopt;
  Triangulation tri;
  tri.position = p;
  tri.covariance = ldlt.solve(Mat3::Identity());
  tri.covariance = (0.5 * (tri.covariance + tri.covariance.transpose())).eval();
  tri.chi2 = ne.chi2;
  tri.dof = 2 * static_cast<int>(rays.size()) - 3;
  tri.time = t_ref;
  if (!tri.covariance.allFinite()) return std::nullopt;
  return tri;
}

std::vector<Triangulation> FindTriangulations(std::span<const Detection* const> bearings,
                                              const TriangulationOptions& o) {
  const int n = static_cast<int>(bearings.size());
  // Deterministic order: (time, sensor, id).
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int x, int y) {
    const Detection &a = *bearings[x], &b = *bearings[y];
    if (a.time != b.time) return a.time < b.time;
    if (a.sensor != b.sensor) return a.sensor < b.sensor;
    return a.id < b.id;
  });
  std::map<int, double> gate_by_dof;
  auto gate = [&](int dof) {
    auto it = gate_by_dof.find(dof);
    if (it == gate_by_dof.end()) it = gate_by_dof.emplace(dof, ChiSquareQuantile(o.gate_probability, dof)).first;
    return it->second;
  };
  auto compatible = [&](const std::vector<int>& members, int k) {
    const Detection& dk = *bearings[k];
    for (const int m : members) {
      const Detection& dm = *bearings[m];
      if (dm.sensor == dk.sensor) return false;
      if ((dm.sensor_position - dk.sensor_position).norm() < o.min_baseline_m) return false;
      if (AbsDiff(dm.time, dk.time) > o.max_time_spread) return false;
    }
    return true;
  };
  std::vector<const Detection*> rays;
  auto intersect = [&](const std::vector<int>& members) -> std::optional<Triangulation> {
    rays.clear();
    for (const int m : members) rays.push_back(bearings[m]);
    std::optional<Triangulation> tri = IntersectBearings(rays, o.speed_sigma_mps);
    if (!tri || !(tri->chi2 < gate(tri->dof)) || MaxSigma(tri->covariance) > o.max_position_sigma_m) {
      return std::nullopt;
    }
    tri->members = members;
    return tri;
  };

  std::vector<Triangulation> candidates;
  std::vector<std::vector<int>> seen;  // member sets already grown (sorted)
  for (int x = 0; x < n; ++x) {
    for (int y = x + 1; y < n; ++y) {
      const int i = order[x], j = order[y];
      if (!compatible({i}, j)) continue;
      // Cheap screen before the full fit: the closest approach of the two lines, in front of
      // both sensors, against a generous multiple of the angle noise at those ranges.
      const Detection &di = *bearings[i], &dj = *bearings[j];
      const Vec3 ui = RayDirection(di), uj = RayDirection(dj);
      const Vec3 w0 = di.sensor_position - dj.sensor_position;
      const double c = ui.dot(uj), denom = 1.0 - c * c;
      if (denom < 1e-12) continue;
      const double si = (c * uj.dot(w0) - ui.dot(w0)) / denom, sj = (uj.dot(w0) - c * ui.dot(w0)) / denom;
      if (si <= kMinRangeM || sj <= kMinRangeM) continue;
      const double miss2 = (di.sensor_position + si * ui - dj.sensor_position - sj * uj).squaredNorm();
      const double drift = o.speed_sigma_mps * AbsDiff(di.time, dj.time).seconds();
      const double var = si * si * di.measurement.noise.topLeftCorner<2, 2>().trace() +
                         sj * sj * dj.measurement.noise.topLeftCorner<2, 2>().trace() + drift * drift;
      if (miss2 > 16.0 * gate(1) * var) continue;

      std::optional<Triangulation> tri = intersect({std::min(i, j), std::max(i, j)});
      if (!tri) continue;
      // Grow by the ray of a further sensor that fits best.
      while (true) {
        std::optional<Triangulation> best;
        for (int k = 0; k < n; ++k) {
          if (std::find(tri->members.begin(), tri->members.end(), k) != tri->members.end()) continue;
          if (!compatible(tri->members, k)) continue;
          std::vector<int> grown = tri->members;
          grown.insert(std::upper_bound(grown.begin(), grown.end(), k), k);
          std::optional<Triangulation> g = intersect(grown);
          if (g && (!best || g->chi2 < best->chi2)) best = std::move(g);
        }
        if (!best) break;
        tri = std::move(best);
      }
      if (std::find(seen.begin(), seen.end(), tri->members) != seen.end()) continue;
      seen.push_back(tri->members);
      candidates.push_back(std::move(*tri));
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Triangulation& a, const Triangulation& b) {
    if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
    const double qa = a.chi2 / a.dof, qb = b.chi2 / b.dof;
    if (qa != qb) return qa < qb;
    return a.members < b.members;
  });
  std::vector<char> used(n, 0);
  std::vector<Triangulation> out;
  for (Triangulation& c : candidates) {
    if (std::any_of(c.members.begin(), c.members.end(), [&](int m) { return used[m] != 0; })) continue;
    for (const int m : c.members) used[m] = 1;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace koepel::tracking::internal
