#include "koepel/geo/geo.h"

#include <GeographicLib/Geocentric.hpp>
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/LocalCartesian.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

namespace koepel::geo {

Eigen::Vector3d ToEcef(const LatLonAlt& p) {
  Eigen::Vector3d out;
  GeographicLib::Geocentric::WGS84().Forward(p.lat_deg, p.lon_deg, p.alt_m, out.x(), out.y(), out.z());
  return out;
}

LatLonAlt FromEcef(const Eigen::Vector3d& ecef) {
  LatLonAlt p;
  GeographicLib::Geocentric::WGS84().Reverse(ecef.x(), ecef.y(), ecef.z(), p.lat_deg, p.lon_deg, p.alt_m);
  return p;
}

double GeodesicDistance(const LatLonAlt& a, const LatLonAlt& b) {
  double s12 = 0.0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12);
  return s12;
}

double GeodesicAzimuthDeg(const LatLonAlt& a, const LatLonAlt& b) {
  double s12 = 0.0, azi1 = 0.0, azi2 = 0.0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12, azi1, azi2);
  return azi1;
}

LatLonAlt GeodesicDirect(const LatLonAlt& start, double azimuth_deg, double distance_m) {
  LatLonAlt out = start;
  GeographicLib::Geodesic::WGS84().Direct(start.lat_deg, start.lon_deg, azimuth_deg, distance_m, out.lat_deg,
                                          out.lon_deg);
  return out;
}

LocalFrame::LocalFrame(const LatLonAlt& origin)
    : origin_(origin),
      impl_(std::make_unique<GeographicLib::LocalCartesian>(origin.lat_deg, origin.lon_deg, origin.alt_m)) {}

LocalFrame::LocalFrame(const LocalFrame& other) : LocalFrame(other.origin_) {}

LocalFrame& LocalFrame::operator=(const LocalFrame& other) {
  if (this != &other) {
    origin_ = other.origin_;
    impl_ = std::make_unique<GeographicLib::LocalCartesian>(origin_.lat_deg, origin_.lon_deg, origin_.alt_m);
  }
  return *this;
}

LocalFrame::~LocalFrame() = default;

Eigen::Vector3d LocalFrame::ToEnu(const LatLonAlt& p) const {
  Eigen::Vector3d out;
  impl_->Forward(p.lat_deg, p.lon_deg, p.alt_m, out.x(), out.y(), out.z());
  return out;
}

LatLonAlt LocalFrame::ToGeodetic(const Eigen::Vector3d& enu) const {
  LatLonAlt p;
  impl_->Reverse(enu.x(), enu.y(), enu.z(), p.lat_deg, p.lon_deg, p.alt_m);
  return p;
}

bool Contains(const GeoPolygon& polygon, double lat_deg, double lon_deg) {
  const auto& r = polygon.ring;
  bool inside = false;
  const size_t n = r.size();
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const double yi = r[i].lat_deg, xi = r[i].lon_deg, yj = r[j].lat_deg, xj = r[j].lon_deg;
    if ((yi > lat_deg) != (yj > lat_deg) && lon_deg < (xj - xi) * (lat_deg - yi) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return n >= 3 && inside;
}

bool Contains(const GeoRegion& region, double lat_deg, double lon_deg) {
  const bool in_outer = std::any_of(region.outers.begin(), region.outers.end(),
                                    [&](const GeoPolygon& p) { return Contains(p, lat_deg, lon_deg); });
  if (!in_outer) return false;
  return std::none_of(region.holes.begin(), region.holes.end(),
                      [&](const GeoPolygon& p) { return Contains(p, lat_deg, lon_deg); });
}

bool Contains(const std::vector<Eigen::Vector2d>& polygon, const Eigen::Vector2d& p) {
  bool inside = false;
  const size_t n = polygon.size();
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const auto& a = polygon[i];
    const auto& b = polygon[j];
    if ((a.y() > p.y()) != (b.y() > p.y()) && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
      inside = !inside;
    }
  }
  return n >= 3 && inside;
}

double DistanceToPolygon(const std::vector<Eigen::Vector2d>& polygon, const Eigen::Vector2d& p) {
  if (Contains(polygon, p)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  const size_t n = polygon.size();
  for (size_t i = 0; i < n; ++i) {
    const Eigen::Vector2d& a = polygon[i];
    const Eigen::Vector2d& b = polygon[(i + 1) % n];
    const Eigen::Vector2d ab = b - a;
    const double len2 = ab.squaredNorm();
    const double t = len2 > 0.0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
    best = std::min(best, (a + t * ab - p).norm());
  }
  return best;
}

}  // namespace koepel::geo
