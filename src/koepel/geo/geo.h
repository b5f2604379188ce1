// koepel/geo/geo.h
//
// Geodesy at the edges, a flat local frame inside. Geodetic WGS84 positions (LatLonAlt) come in
// and go out; everything between (filtering, geometry, engagement windows) works in a local
// east-north-up (ENU) tangent frame around the defended area. Wraps GeographicLib.
//
// Example:
//   LocalFrame frame({51.95, 4.05, 0.0});          // origin of the scenario
//   Eigen::Vector3d enu = frame.ToEnu({51.90, 4.20, 120.0});
//   LatLonAlt back = frame.ToGeodetic(enu);
//   double d = GeodesicDistance(a, b);              // metres on the ellipsoid
#pragma once

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace GeographicLib {
class LocalCartesian;
}

namespace koepel::geo {

struct LatLonAlt {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  double alt_m = 0.0;  // height above the WGS84 ellipsoid
  friend bool operator==(const LatLonAlt&, const LatLonAlt&) = default;
};

// Earth-centred, earth-fixed coordinates in metres.
Eigen::Vector3d ToEcef(const LatLonAlt& p);
LatLonAlt FromEcef(const Eigen::Vector3d& ecef);

// Geodesic (shortest path on the WGS84 ellipsoid) distance in metres and initial azimuth in degrees.
double GeodesicDistance(const LatLonAlt& a, const LatLonAlt& b);
double GeodesicAzimuthDeg(const LatLonAlt& a, const LatLonAlt& b);
// The point reached from `start` after `distance_m` along initial azimuth `azimuth_deg` (altitude kept).
LatLonAlt GeodesicDirect(const LatLonAlt& start, double azimuth_deg, double distance_m);

// A local east-north-up frame tangent to the ellipsoid at an origin. Copyable value.
class LocalFrame {
 public:
  explicit LocalFrame(const LatLonAlt& origin);
  LocalFrame(const LocalFrame& other);
  LocalFrame& operator=(const LocalFrame& other);
  ~LocalFrame();

  const LatLonAlt& origin() const { return origin_; }
  Eigen::Vector3d ToEnu(const LatLonAlt& p) const;
  LatLonAlt ToGeodetic(const Eigen::Vector3d& enu) const;

 private:
  LatLonAlt origin_;
  std::unique_ptr<GeographicLib::LocalCartesian> impl_;
};

// A simple polygon (no holes) of geodetic vertices, lon/lat order irrelevant to callers.
// Rings may be open or closed (first == last).
struct GeoPolygon {
  std::vector<LatLonAlt> ring;
};

// A region made of one or more outer rings (a multipolygon without holes, as boundary files
// of regions and municipalities are after generalisation), possibly with holes.
struct GeoRegion {
  std::vector<GeoPolygon> outers;
  std::vector<GeoPolygon> holes;
};

// Even-odd ray casting in the lat/lon plane; adequate at the km scale of warning regions.
bool Contains(const GeoPolygon& polygon, double lat_deg, double lon_deg);
bool Contains(const GeoRegion& region, double lat_deg, double lon_deg);

// 2-D point-in-polygon in a local frame (x east, y north).
bool Contains(const std::vector<Eigen::Vector2d>& polygon, const Eigen::Vector2d& p);
// Distance in metres from p to the polygon's boundary (0 inside).
double DistanceToPolygon(const std::vector<Eigen::Vector2d>& polygon, const Eigen::Vector2d& p);

}  // namespace koepel::geo
