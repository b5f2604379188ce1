// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The bearings-only initiator's geometry: the least-squares intersection of bearing rays
// (azimuth, elevation) from two or more sensors, its covariance from the geometry, a residual
// test, and the choice of consistent, disjoint ray sets among all the bearings of a time window
// (ghost intersections of rays of different targets are the trap: see FindTriangulations).
#pragma once

#include <span>
#include <vector>

#include "koepel/model/model.h"

namespace koepel::tracking::internal {

struct Triangulation {
  Vec3 position = Vec3::Zero();      // least-squares point, local frame, m
  Mat3 covariance = Mat3::Zero();    // (J' R^-1 J)^-1 at the solution, m^2
  double chi2 = 0.0;                 // sum of squared normalised angle residuals
  int dof = 0;                       // 2 K - 3 for K rays
  SimTime time;                      // the latest ray's time: the position is for this time
  std::vector<int> members;          // indices of the rays in the caller's span, ascending
};

// Intersects the bearing detections `rays` (kBearing, distinct sensors). The angle noise of each
// ray is its R plus the target's motion between the ray's time and the latest one, at
// `speed_sigma_mps` (so rays a little apart in time still meet). Fails (nullopt) when the rays do
// not fix a point: (nearly) parallel, meeting behind a sensor or closer than 1 m to one, or when
// Gauss-Newton does not settle. `members` is left empty.
std::optional<Triangulation> IntersectBearings(std::span<const Detection* const> rays, double speed_sigma_mps);

struct TriangulationOptions {
  double gate_probability = 0.999;   // chi-square mass of the residual gate (dof 2K - 3)
  Duration max_time_spread = Milliseconds(500);  // rays of one set lie within this time span
  double speed_sigma_mps = 300.0;    // target speed scale for the time-spread allowance
  double max_position_sigma_m = 3000.0;  // a fix less certain than this is no fix
  double min_baseline_m = 1.0;       // sensors closer than this are one viewpoint
};

// All consistent ray sets among `bearings` (any order), disjoint, best first. Candidates are the
// gated pairs of rays from different sensors (residual gate), each grown greedily by the ray of
// a further sensor that keeps the gate with the smallest chi-square. Candidates are then taken by
// more rays first, then smaller chi2 / dof, skipping those that reuse a ray. So with three or
// more sensors a consistent triple wins over the ghost pairs that share its rays; with two
// sensors, two targets at one altitude give four intersections that all pass the gate (a ghost
// pair is then as likely as the true one: M-of-N confirmation has to sort them out), but at
// different elevations the rays of different targets are skew and ghosts fail the gate.
std::vector<Triangulation> FindTriangulations(std::span<const Detection* const> bearings,
                                              const TriangulationOptions& options);

}  // namespace koepel::tracking::internal
