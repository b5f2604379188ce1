// SIAP figures: completeness, ambiguity, spuriousness, positional accuracy, track-id changes.
#include <algorithm>
#include <map>
#include <vector>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {

SiapMetrics ScoreSiap(std::span<const SiapScan> scans, double association_distance_m) {
  KOEPEL_CHECK(association_distance_m > 0.0, "ScoreSiap needs an association distance > 0");
  SiapMetrics m;
  double distance_sum = 0.0;
  std::map<int64_t, int64_t> last_best;  // truth id -> best track id when last tracked
  std::vector<int> by_x;                 // truth indices sorted by x, for a windowed nearest search
  for (const SiapScan& scan : scans) {
    const auto& truths = scan.truths;
    by_x.resize(truths.size());
    for (size_t i = 0; i < truths.size(); ++i) by_x[i] = static_cast<int>(i);
    std::sort(by_x.begin(), by_x.end(), [&](int a, int b) {
      return truths[a].position.x() < truths[b].position.x() ||
             (truths[a].position.x() == truths[b].position.x() && a < b);
    });
    // best[i]: (distance, track id) of truth i's nearest associated track; -1 distance = none.
    std::vector<std::pair<double, int64_t>> best(truths.size(), {-1.0, 0});
    std::vector<int> n_assoc(truths.size(), 0);
    for (const LabelledPosition& track : scan.tracks) {
      const double x = track.position.x();
      auto lo = std::lower_bound(by_x.begin(), by_x.end(), x - association_distance_m,
                                 [&](int i, double v) { return truths[i].position.x() < v; });
      int nearest = -1;
      double nearest_d = 0.0;
      for (auto it = lo; it != by_x.end() && truths[*it].position.x() <= x + association_distance_m; ++it) {
        const double d = (truths[*it].position - track.position).norm();
        if (d >= association_distance_m) continue;
        if (nearest < 0 || d < nearest_d || (d == nearest_d && truths[*it].id < truths[nearest].id)) {
          nearest = *it;
          nearest_d = d;
        }
      }
      ++m.track_scans;
      if (nearest < 0) continue;
      ++m.associated_track_scans;
      distance_sum += nearest_d;
      ++n_assoc[nearest];
      auto& b = best[nearest];
      if (b.first < 0.0 || nearest_d < b.first || (nearest_d == b.first && track.id < b.second)) {
        b = {nearest_d, track.id};
      }
    }
    m.truth_scans += static_cast<int>(truths.size());
    for (size_t i = 0; i < truths.size(); ++i) {
      if (n_assoc[i] == 0) continue;
      ++m.tracked_truth_scans;
      const auto [it, inserted] = last_best.try_emplace(truths[i].id, best[i].second);
      if (!inserted && it->second != best[i].second) {
        ++m.track_id_changes;
        it->second = best[i].second;
      }
    }
  }
  auto ratio = [](double a, int b) { return b > 0 ? a / b : 0.0; };
  m.completeness = ratio(m.tracked_truth_scans, m.truth_scans);
  m.ambiguity = ratio(m.associated_track_scans, m.tracked_truth_scans);
  m.spuriousness = ratio(m.track_scans - m.associated_track_scans, m.track_scans);
  m.positional_accuracy_m = ratio(distance_sum, m.associated_track_scans);
  return m;
}

}  // namespace koepel::tracking
