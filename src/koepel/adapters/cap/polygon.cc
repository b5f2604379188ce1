// Region rings -> CAP polygons: "lat,lon" order, closed, and no more points than a cell-broadcast centre takes.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <queue>

#include "koepel/adapters/cap/cap.h"

namespace koepel::adapters::cap {
namespace {

struct Plane {
  double x, y;  // metres east and north of the ring's first point (equirectangular: fine at region scale)
};

double DistanceToSegment(const Plane& p, const Plane& a, const Plane& b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0.0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// A stretch of the ring between two kept vertices, with its farthest interior vertex.
struct Segment {
  size_t first, last;
  size_t farthest;
  double distance;
  bool operator<(const Segment& o) const { return distance < o.distance; }
};

Segment MakeSegment(const std::vector<Plane>& p, size_t first, size_t last) {
  Segment s{first, last, first, 0.0};
  for (size_t i = first + 1; i < last; ++i) {
    const double d = DistanceToSegment(p[i], p[first], p[last]);
    if (d > s.distance) s.distance = d, s.farthest = i;
  }
  return s;
}

}  // namespace

std::vector<LatLon> CapPolygon(const geo::GeoPolygon& ring, size_t max_points, double* max_deviation_m) {
  if (max_deviation_m != nullptr) *max_deviation_m = 0.0;
  std::vector<LatLon> points;
  for (const geo::LatLonAlt& v : ring.ring) {
    // A vertex that is no WGS-84 position cannot go into CAP; dropping it keeps the rest of the outline.
    if (!std::isfinite(v.lat_deg) || !std::isfinite(v.lon_deg) || std::abs(v.lat_deg) > 90.0 ||
        std::abs(v.lon_deg) > 180.0) {
      continue;
    }
    const LatLon p{v.lat_deg, v.lon_deg};
    if (points.empty() || !(points.back() == p)) points.push_back(p);
  }
  while (points.size() > 1 && points.front() == points.back()) points.pop_back();  // open the ring
  if (points.size() < 3) return {};
  max_points = std::max<size_t>(max_points, 4);
  const size_t n = points.size();  // distinct vertices; the output has n + 1 with the closing one

  if (n + 1 > max_points) {
    // Greedy Douglas-Peucker on the closed sequence 0..n (n = 0 again): start from vertex 0 and the vertex
    // farthest from it, then keep splitting the stretch whose farthest vertex is farthest from the outline.
    const double lat0 = points[0].lat_deg * std::numbers::pi / 180.0;
    constexpr double kMetresPerDegree = 111'195.0;  // mean Earth radius
    std::vector<Plane> plane;
    plane.reserve(n + 1);
    for (size_t i = 0; i <= n; ++i) {
      const LatLon& p = points[i % n];
      plane.push_back({(p.lon_deg - points[0].lon_deg) * std::cos(lat0) * kMetresPerDegree,
                       (p.lat_deg - points[0].lat_deg) * kMetresPerDegree});
    }
    size_t far = 1;
    for (size_t i = 1; i < n; ++i) {
      if (std::hypot(plane[i].x, plane[i].y) > std::hypot(plane[far].x, plane[far].y)) far = i;
    }
    std::vector<bool> keep(n + 1, false);
    keep[0] = keep[far] = keep[n] = true;
    size_t kept = 2;  // distinct: 0 and far
    std::priority_queue<Segment> queue;
    queue.push(MakeSegment(plane, 0, far));
    queue.push(MakeSegment(plane, far, n));
    while (kept + 1 < max_points && !queue.empty() && queue.top().distance > 0.0) {
      const Segment s = queue.top();
      queue.pop();
      keep[s.farthest] = true;
      ++kept;
      queue.push(MakeSegment(plane, s.first, s.farthest));
      queue.push(MakeSegment(plane, s.farthest, s.last));
    }
    if (max_deviation_m != nullptr && !queue.empty()) *max_deviation_m = queue.top().distance;
    std::vector<LatLon> simplified;
    for (size_t i = 0; i < n; ++i) {
      if (keep[i]) simplified.push_back(points[i]);
    }
    points = std::move(simplified);
  }
  if (points.size() < 3) return {};
  points.push_back(points.front());
  return points;
}

}  // namespace koepel::adapters::cap
