// SIAP on small hand-computed cases.
#include <gtest/gtest.h>

#include <vector>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

LabelledPosition At(int64_t id, double x, double y) { return {id, Vec3(x, y, 0.0)}; }

TEST(SiapTest, PerfectPictureHasIdealFigures) {
  const std::vector<SiapScan> scans = {{{At(1, 0, 0), At(2, 5000, 0)}, {At(10, 30, 40), At(20, 5000, 0)}},
                                       {{At(1, 100, 0), At(2, 5100, 0)}, {At(10, 100, 0), At(20, 5100, 0)}}};
  const SiapMetrics m = ScoreSiap(scans, 1000.0);
  EXPECT_DOUBLE_EQ(m.completeness, 1.0);
  EXPECT_DOUBLE_EQ(m.ambiguity, 1.0);
  EXPECT_DOUBLE_EQ(m.spuriousness, 0.0);
  EXPECT_DOUBLE_EQ(m.positional_accuracy_m, 50.0 / 4.0);  // one pair at 3-4-5 * 10 = 50 m, three at 0
  EXPECT_EQ(m.track_id_changes, 0);
  EXPECT_EQ(m.truth_scans, 4);
}

TEST(SiapTest, HandComputedMixedCase) {
  // Scan 0: truths A(0,0), B(10000,0); tracks 1 at 300 m from A, 2 at 600 m from A, 3 far from both.
  //   A tracked by 2 tracks, B untracked, track 3 spurious.
  // Scan 1: truth A only; track 2 at 100 m (now A's best), track 1 at 2000 m (spurious).
  // Scan 2: truth A untracked (gap); no tracks.   Scan 3: A tracked by track 1 again at 0 m.
  const std::vector<SiapScan> scans = {
      {{At(1, 0, 0), At(2, 10000, 0)}, {At(1, 300, 0), At(2, 0, 600), At(3, 50000, 0)}},
      {{At(1, 0, 0)}, {At(2, 100, 0), At(1, 2000, 0)}},
      {{At(1, 0, 0)}, {}},
      {{At(1, 0, 0)}, {At(1, 0, 0)}},
  };
  const SiapMetrics m = ScoreSiap(scans, 1000.0);
  EXPECT_EQ(m.truth_scans, 5);
  EXPECT_EQ(m.tracked_truth_scans, 3);   // A at scans 0, 1, 3
  EXPECT_EQ(m.track_scans, 6);
  EXPECT_EQ(m.associated_track_scans, 4);  // 1 and 2 at scan 0, 2 at scan 1, 1 at scan 3
  EXPECT_DOUBLE_EQ(m.completeness, 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(m.ambiguity, 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.spuriousness, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(m.positional_accuracy_m, (300.0 + 600.0 + 100.0 + 0.0) / 4.0);
  EXPECT_EQ(m.track_id_changes, 2);  // best: 1 (scan 0) -> 2 (scan 1) -> 1 (scan 3, across the gap)
}

TEST(SiapTest, TrackGoesToNearestTruthAndTiesToLowerId) {
  // Track 7 is 400 m from truth 5 and 300 m from truth 9: it belongs to 9 only.
  SiapMetrics m = ScoreSiap(std::vector<SiapScan>{{{At(5, 0, 0), At(9, 700, 0)}, {At(7, 400, 0)}}}, 1000.0);
  EXPECT_EQ(m.tracked_truth_scans, 1);
  EXPECT_DOUBLE_EQ(m.positional_accuracy_m, 300.0);
  // Equidistant (400 m each): track 7 goes to the lower id, truth 5. At scan 1 track 8 sits on
  // truth 9: its first best track, so no id change (there would be one had 7 gone to 9).
  m = ScoreSiap(std::vector<SiapScan>{{{At(9, 800, 0), At(5, 0, 0)}, {At(7, 400, 0)}},
                                      {{At(9, 800, 0), At(5, 0, 0)}, {At(8, 800, 0)}}},
                1000.0);
  EXPECT_EQ(m.tracked_truth_scans, 2);
  EXPECT_DOUBLE_EQ(m.completeness, 0.5);
  EXPECT_EQ(m.track_id_changes, 0);
}

TEST(SiapTest, EmptyRunIsZeroNotNaN) {
  const SiapMetrics m = ScoreSiap(std::vector<SiapScan>{{}, {}}, 1000.0);
  EXPECT_EQ(m.completeness, 0.0);
  EXPECT_EQ(m.ambiguity, 0.0);
  EXPECT_EQ(m.spuriousness, 0.0);
  EXPECT_EQ(m.positional_accuracy_m, 0.0);
}

TEST(SiapTest, FromBenchmarkSettingsMatchesTheReadme) {
  const TrackerConfig c = FromBenchmarkSettings({});
  EXPECT_EQ(c.association_cost, AssociationCost::kMahalanobis);
  EXPECT_EQ(c.process_noise_model, ProcessNoiseModel::kContinuousWhiteNoiseAcceleration);
  EXPECT_DOUBLE_EQ(c.process_noise_accel_mps2, 1.0);
  // The 3-dof mass at the 2-dof 0.999 threshold 13.8155 must give back that threshold.
  EXPECT_NEAR(ChiSquareQuantile(c.gate_probability, 3), 13.8155, 1e-3);
  EXPECT_EQ(c.confirm_hits, 3);
  EXPECT_EQ(c.confirm_window, 5);
  EXPECT_EQ(c.tentative_max_misses, 2);
  EXPECT_EQ(c.confirmed_max_misses, 4);
  EXPECT_DOUBLE_EQ(c.initial_velocity_sigma_mps, 250.0);
  EXPECT_FALSE(c.suppress_initiation_in_confirmed_gate);
}

}  // namespace
}  // namespace koepel::tracking
