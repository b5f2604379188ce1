// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The gater: chi-square gate thresholds, and a cheap candidate prefilter so that gating one scan
// costs about O((tracks + detections) log detections) instead of tracks x detections.
#pragma once

#include <span>
#include <vector>

#include "koepel/model/model.h"

namespace koepel::tracking::internal {

// Regularised lower incomplete gamma function P(a, x), a > 0, x >= 0.
double RegularizedGammaP(double a, double x);

// Candidate search for one scan (detections of one sensor at one time). Detections with a
// position (kPosition, kRangeBearing) are keyed by their Cartesian x; bearing-only ones by their
// azimuth. A track's search window is conservative: sqrt(gate * (trace of the predicted position
// or azimuth variance + the largest measurement variance)) times `margin`, so every pair inside
// the exact gate is among the candidates, except for strongly curved polar uncertainty, which
// `margin` covers.
class CandidateIndex {
 public:
  // All detections of one scan share one measurement kind (the tracker splits scans by kind).
  void Build(std::span<const Detection* const> scan);
  // Appends (in ascending order) the indices into `scan` of the candidates for `prior`.
  void Candidates(const TrackState& prior, double gate, double margin, std::vector<int>* out) const;

 private:
  struct Key {
    double key;
    int index;
  };
  bool bearing_only_ = false;
  std::vector<Key> keys_;           // ascending (key, index)
  std::vector<Vec3> positions_;     // per detection (position-like scans)
  double max_measurement_var_ = 0;  // largest trace of R in position units, or R(az, az)
  Vec3 sensor_position_ = Vec3::Zero();
  void AppendRange(double lo, double hi, std::vector<int>* out) const;
};

}  // namespace koepel::tracking::internal
