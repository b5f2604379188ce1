// JPDA marginals against a brute-force sum over every joint event.
#include "koepel/tracking/jpda.h"

#include <gtest/gtest.h>

#include <cmath>

#include "koepel/core/core.h"

namespace koepel::tracking::internal {
namespace {

JpdaProblem RandomProblem(Rng& rng, int max_tracks, int max_dets, double pair_probability) {
  JpdaProblem p;
  p.Clear(static_cast<int>(rng.UniformInt(1, max_tracks)), static_cast<int>(rng.UniformInt(0, max_dets)));
  for (int t = 0; t < p.num_tracks; ++t) {
    p.log_missed_weight[t] = std::log(rng.Uniform(0.05, 0.5));
    for (int j = 0; j < p.num_detections; ++j) {
      if (rng.Bernoulli(pair_probability)) p.pairs.push_back({t, j, rng.Uniform(-4.0, 6.0)});
    }
  }
  // Any order in, sorted out.
  for (size_t i = p.pairs.size(); i > 1; --i) {
    std::swap(p.pairs[i - 1], p.pairs[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(i) - 1))]);
  }
  return p;
}

// Largest difference of any marginal; both solutions must list the same pairs.
double MaxDifference(const JpdaSolution& a, const JpdaSolution& b) {
  EXPECT_EQ(a.pair_start, b.pair_start);
  EXPECT_EQ(a.marginals.size(), b.marginals.size());
  double d = 0.0;
  for (size_t t = 0; t < a.missed_probability.size(); ++t) {
    d = std::max(d, std::abs(a.missed_probability[t] - b.missed_probability[t]));
  }
  for (size_t q = 0; q < a.marginals.size() && q < b.marginals.size(); ++q) {
    EXPECT_EQ(a.marginals[q].detection, b.marginals[q].detection);
    d = std::max(d, std::abs(a.marginals[q].probability - b.marginals[q].probability));
  }
  return d;
}

void ExpectConsistent(const JpdaProblem& p, const JpdaSolution& s) {
  std::vector<double> per_det(p.num_detections, 0.0);
  for (int t = 0; t < p.num_tracks; ++t) {
    double sum = s.missed_probability[t];
    for (int q = s.pair_start[t]; q < s.pair_start[t + 1]; ++q) {
      sum += s.marginals[q].probability;
      per_det[s.marginals[q].detection] += s.marginals[q].probability;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12) << "track " << t;
  }
  for (double v : per_det) EXPECT_LE(v, 1.0 + 1e-12);  // the rest is the clutter probability
}

TEST(JpdaTest, ExactMarginalsMatchBruteForce) {
  Rng rng(101);
  JpdaSolver solver;
  int split = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const JpdaProblem p = RandomProblem(rng, 6, 6, trial % 2 == 0 ? 0.3 : 0.7);
    const JpdaSolution& s = solver.Solve(p);
    const JpdaSolution oracle = BruteForceJpdaForTest(p);
    EXPECT_LT(MaxDifference(s, oracle), 1e-12) << "trial " << trial;
    EXPECT_EQ(s.approximate_clusters, 0);
    ExpectConsistent(p, s);
    if (s.exact_clusters >= 2) ++split;
  }
  EXPECT_GT(split, 20);  // the clustering path is exercised, not only single clusters
}

TEST(JpdaTest, HandWorkedTwoTracksOneDetection) {
  // Two tracks gate one detection, weights a and b, missed weights m1, m2. Events: both missed
  // (m1 m2), track 0 takes it (a m2), track 1 takes it (m1 b).
  JpdaProblem p;
  p.Clear(2, 1);
  const double m1 = 0.2, m2 = 0.3, a = 4.0, b = 1.0;
  p.log_missed_weight = {std::log(m1), std::log(m2)};
  p.pairs = {{1, 0, std::log(b)}, {0, 0, std::log(a)}};
  JpdaSolver solver;
  const JpdaSolution& s = solver.Solve(p);
  const double z = m1 * m2 + a * m2 + m1 * b;
  ASSERT_EQ(s.pair_start, (std::vector<int>{0, 1, 2}));
  EXPECT_NEAR(s.marginals[0].probability, a * m2 / z, 1e-15);
  EXPECT_NEAR(s.marginals[1].probability, m1 * b / z, 1e-15);
  EXPECT_NEAR(s.missed_probability[0], (m1 * m2 + m1 * b) / z, 1e-15);
  EXPECT_NEAR(s.missed_probability[1], (m1 * m2 + a * m2) / z, 1e-15);
}

TEST(JpdaTest, HugeWeightsDoNotOverflow) {
  JpdaProblem p;
  p.Clear(3, 3);
  p.log_missed_weight = {-800.0, 0.0, -5.0};
  p.pairs = {{0, 0, 900.0}, {0, 1, 905.0}, {1, 1, -700.0}, {2, 1, 2.0}, {2, 2, 3.0}};
  JpdaSolver solver;
  const JpdaSolution& s = solver.Solve(p);
  EXPECT_LT(MaxDifference(s, BruteForceJpdaForTest(p)), 1e-9);
  ExpectConsistent(p, s);
}

TEST(JpdaTest, LargeClusterFallsBackToBeliefPropagation) {
  // Forced: max_events 0 sends every cluster to belief propagation. It is exact on trees; on
  // these small, dense, loopy cases with extreme weight ratios (up to e^10) it is off by less
  // than 0.02 on average and a few tenths at worst.
  Rng rng(202);
  JpdaSolver bp(0);
  double worst = 0.0, mean = 0.0;
  int n = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const JpdaProblem p = RandomProblem(rng, 5, 5, 0.5);
    const JpdaSolution& s = bp.Solve(p);
    EXPECT_EQ(s.exact_clusters, 0);
    ExpectConsistent(p, s);
    const double d = MaxDifference(s, BruteForceJpdaForTest(p));
    worst = std::max(worst, d);
    mean += d;
    ++n;
  }
  mean /= n;
  EXPECT_LT(worst, 0.3) << "mean " << mean;
  EXPECT_LT(mean, 0.02);
  // A chain (a tree: track i gates detections i and i+1) is exact under belief propagation.
  JpdaProblem chain;
  chain.Clear(6, 7);
  for (int t = 0; t < 6; ++t) {
    chain.log_missed_weight[t] = std::log(0.1 + 0.05 * t);
    chain.pairs.push_back({t, t, 0.3 * t});
    chain.pairs.push_back({t, t + 1, 1.0 - 0.2 * t});
  }
  EXPECT_LT(MaxDifference(bp.Solve(chain), BruteForceJpdaForTest(chain)), 1e-9);
}

TEST(JpdaTest, CapCountsEventsNotTracks) {
  // 12 tracks each gating its own detection only: 12 clusters of 2 events each, all exact with
  // a small cap. One cluster of 8 tracks on 8 shared detections has far more than 100 events.
  JpdaProblem p;
  p.Clear(20, 20);
  for (int t = 0; t < 12; ++t) p.pairs.push_back({t, t, 1.0});
  for (int t = 12; t < 20; ++t) {
    for (int j = 12; j < 20; ++j) p.pairs.push_back({t, j, 0.1 * (t - j)});
  }
  JpdaSolver solver(100);
  const JpdaSolution& s = solver.Solve(p);
  EXPECT_EQ(s.exact_clusters, 12);
  EXPECT_EQ(s.approximate_clusters, 1);
  ExpectConsistent(p, s);
}

}  // namespace
}  // namespace koepel::tracking::internal
