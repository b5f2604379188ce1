// The shared benchmark's (Stone Soup's) tracker settings mapped onto TrackerConfig.
#include <algorithm>
#include <cmath>

#include "koepel/tracking/gating.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking {

TrackerConfig FromBenchmarkSettings(const BenchmarkSettings& s) {
  KOEPEL_CHECK(s.q_m2ps3 >= 0.0 && s.confirm_updates >= 1 && s.tentative_delete_misses >= 1 &&
                   s.confirmed_delete_misses >= 1,
               "benchmark settings out of range");
  TrackerConfig c;
  c.process_noise_model = ProcessNoiseModel::kContinuousWhiteNoiseAcceleration;
  c.process_noise_accel_mps2 = std::sqrt(s.q_m2ps3);  // the continuous model uses q = value^2
  // The data are planar (z = 0 exactly), so the z innovation is 0 and the 3-D d^2 equals the 2-D
  // one: use the 3-dof gate mass whose threshold is chi2inv(p, 2).
  c.gate_probability = internal::RegularizedGammaP(1.5, 0.5 * ChiSquareQuantile(s.gate_probability_2d, 2));
  c.association_cost = AssociationCost::kMahalanobis;
  c.confirm_hits = s.confirm_updates;
  // Stone Soup has no window, only the consecutive-miss drop: the longest path to confirmation is
  // hits with (misses - 1) misses between each, e.g. 3 hits, 2-miss drop -> 5 steps.
  c.confirm_window = std::min(32, s.confirm_updates + (s.confirm_updates - 1) * (s.tentative_delete_misses - 1));
  c.confirm_hits = std::min(c.confirm_hits, c.confirm_window);
  c.tentative_max_misses = s.tentative_delete_misses;
  c.confirmed_max_misses = s.confirmed_delete_misses;
  c.delete_after = Seconds(1'000'000);  // deletion by consecutive misses only
  c.max_position_sigma_m = 1e12;
  c.initial_velocity_sigma_mps = s.initial_velocity_sigma_mps;
  c.suppress_initiation_in_confirmed_gate = false;  // Stone Soup initiates from every unused detection
  return c;
}

}  // namespace koepel::tracking
