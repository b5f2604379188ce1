// The sparse assignment solver and GNN against exhaustive search.
#include "koepel/tracking/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "koepel/core/core.h"

namespace koepel::tracking::internal {
namespace {

// The cost of the assignment a solver returned, recomputed from the problem.
double CostOf(const GnnProblem& p, const std::vector<int>& det_for_track) {
  double c = 0.0;
  for (int t = 0; t < p.num_tracks; ++t) {
    if (det_for_track[t] < 0) {
      c += p.missed_cost[t];
      continue;
    }
    bool found = false;
    for (const GatedPair& g : p.pairs) {
      if (g.track == t && g.detection == det_for_track[t]) {
        c += g.cost;
        found = true;
      }
    }
    EXPECT_TRUE(found) << "track " << t << " given a detection outside its gate";
  }
  return c;
}

TEST(GnnTest, MatchesBruteForceOnRandomSmallProblems) {
  Rng rng(20250101);
  GnnSolver solver;
  int nontrivial = 0;
  for (int c = 0; c < 200; ++c) {
    GnnProblem p;
    p.Clear(static_cast<int>(rng.UniformInt(1, 6)), static_cast<int>(rng.UniformInt(0, 6)));
    const double gate = 13.8;
    for (int t = 0; t < p.num_tracks; ++t) {
      p.missed_cost[t] = c % 2 == 0 ? gate : rng.Uniform(1.0, gate);
      for (int d = 0; d < p.num_detections; ++d) {
        if (rng.Bernoulli(0.6)) p.pairs.push_back({t, d, rng.Uniform(0.0, gate)});
      }
    }
    std::reverse(p.pairs.begin(), p.pairs.end());  // any input order
    const GnnSolution& got = solver.Solve(p);
    const GnnSolution want = BruteForceGnnForTest(p);
    EXPECT_NEAR(got.cost, want.cost, 1e-9) << "case " << c;
    EXPECT_NEAR(CostOf(p, got.detection_for_track), got.cost, 1e-9) << "case " << c;
    std::vector<int> used;
    for (const int d : got.detection_for_track) {
      if (d >= 0) used.push_back(d);
    }
    std::sort(used.begin(), used.end());
    EXPECT_EQ(std::adjacent_find(used.begin(), used.end()), used.end()) << "detection used twice, case " << c;
    if (!used.empty() && used.size() < static_cast<size_t>(p.num_tracks)) ++nontrivial;
  }
  EXPECT_GT(nontrivial, 20);  // the cases mix assigned and missed tracks
}

TEST(GnnTest, GlobalBeatsGreedy) {
  // Greedy would give detection 0 to track 0 (cost 1) and leave track 1 missed (10): 11.
  // The optimum is track 0 -> detection 1 (2), track 1 -> detection 0 (2): 4.
  GnnProblem p;
  p.Clear(2, 2);
  p.missed_cost = {10.0, 10.0};
  p.pairs = {{0, 0, 1.0}, {0, 1, 2.0}, {1, 0, 2.0}};
  GnnSolver solver;
  const GnnSolution& s = solver.Solve(p);
  EXPECT_EQ(s.detection_for_track, (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(s.cost, 4.0);
}

TEST(GnnTest, TiesGoToTheLowerIds) {
  GnnSolver solver;
  GnnProblem two_tracks;
  two_tracks.Clear(2, 1);
  two_tracks.missed_cost = {5.0, 5.0};
  two_tracks.pairs = {{1, 0, 2.0}, {0, 0, 2.0}};
  EXPECT_EQ(solver.Solve(two_tracks).detection_for_track, (std::vector<int>{0, -1}));
  GnnProblem two_dets;
  two_dets.Clear(1, 2);
  two_dets.missed_cost = {5.0};
  two_dets.pairs = {{0, 1, 2.0}, {0, 0, 2.0}};
  EXPECT_EQ(solver.Solve(two_dets).detection_for_track, (std::vector<int>{0}));
}

TEST(GnnTest, ClustersAreSolvedIndependently) {
  // Two separate clusters plus a lone track and a lone detection.
  GnnProblem p;
  p.Clear(5, 5);
  p.missed_cost.assign(5, 9.0);
  p.pairs = {{0, 0, 1.0}, {1, 0, 0.5}, {1, 1, 3.0}, {3, 3, 4.0}, {4, 3, 1.0}, {4, 4, 2.0}};
  GnnSolver solver;
  const GnnSolution& s = solver.Solve(p);
  // Cluster A: {t0, t1} x {d0, d1}: t0->d0 + t1->d1 = 4 beats t1->d0 + t0 missed = 9.5.
  // Cluster B: {t3, t4} x {d3, d4}: t3->d3 + t4->d4 = 6 beats t4->d3 + t3 missed = 10.
  EXPECT_EQ(s.detection_for_track, (std::vector<int>{0, 1, -1, 3, 4}));
  EXPECT_DOUBLE_EQ(s.cost, 1.0 + 3.0 + 9.0 + 4.0 + 2.0);
}

// Dense rectangular problems (negative costs too) against all permutations.
TEST(SparseAssignmentTest, MatchesPermutationSearch) {
  Rng rng(99);
  SparseAssignmentSolver solver;
  for (int c = 0; c < 100; ++c) {
    const int rows = static_cast<int>(rng.UniformInt(1, 5));
    const int cols = rows + static_cast<int>(rng.UniformInt(0, 2));
    std::vector<double> cost(rows * cols);
    for (double& x : cost) x = rng.Uniform(-50.0, 50.0);
    SparseCostMatrix m;
    m.Clear(rows, cols);
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) m.AddEntry(j, cost[i * cols + j]);
      m.EndRow();
    }
    std::vector<int> got;
    ASSERT_TRUE(solver.Solve(m, &got));
    double got_cost = 0.0;
    for (int i = 0; i < rows; ++i) got_cost += cost[i * cols + got[i]];
    std::vector<int> perm(cols);
    std::iota(perm.begin(), perm.end(), 0);
    double best = std::numeric_limits<double>::infinity();
    do {
      double s = 0.0;
      for (int i = 0; i < rows; ++i) s += cost[i * cols + perm[i]];
      best = std::min(best, s);
    } while (std::next_permutation(perm.begin(), perm.end()));
    EXPECT_NEAR(got_cost, best, 1e-9) << "case " << c;
  }
}

TEST(SparseAssignmentTest, ReportsInfeasibility) {
  // Two rows that can only use column 0.
  SparseCostMatrix m;
  m.Clear(2, 2);
  m.AddEntry(0, 1.0);
  m.EndRow();
  m.AddEntry(0, 2.0);
  m.EndRow();
  SparseAssignmentSolver solver;
  std::vector<int> out;
  EXPECT_FALSE(solver.Solve(m, &out));
}

}  // namespace
}  // namespace koepel::tracking::internal
