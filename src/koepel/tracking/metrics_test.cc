// OSPA / GOSPA against hand-computed values and against an exhaustive definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

TEST(MetricsTest, EmptyVersusEmptyIsZero) {
  const PictureMetrics m = ScorePicture({}, {});
  EXPECT_EQ(m.ospa_m, 0.0);
  EXPECT_EQ(m.gospa_m, 0.0);
  EXPECT_EQ(m.missed, 0);
  EXPECT_EQ(m.false_tracks, 0);
}

TEST(MetricsTest, OneTruthNoTrack) {
  const std::vector<Vec3> truth = {Vec3(1, 2, 3)};
  const PictureMetrics m = ScorePicture(truth, {}, 1000.0, 2.0);
  EXPECT_DOUBLE_EQ(m.ospa_m, 1000.0);                 // (c^2 * 1 / 1)^(1/2)
  EXPECT_NEAR(m.gospa_m, 1000.0 / std::sqrt(2.0), 1e-9);  // (c^2 / 2)^(1/2)
  EXPECT_EQ(m.missed, 1);
  EXPECT_EQ(m.false_tracks, 0);
  const PictureMetrics f = ScorePicture({}, truth, 1000.0, 2.0);
  EXPECT_EQ(f.false_tracks, 1);
  EXPECT_NEAR(f.gospa_m, 1000.0 / std::sqrt(2.0), 1e-9);
}

TEST(MetricsTest, HandComputedCases) {
  {  // A 3-4-5 triangle.
    const std::vector<Vec3> t = {Vec3(0, 0, 0)}, e = {Vec3(3, 4, 0)};
    const PictureMetrics m = ScorePicture(t, e);
    EXPECT_NEAR(m.ospa_m, 5.0, 1e-12);
    EXPECT_NEAR(m.gospa_m, 5.0, 1e-12);
    EXPECT_NEAR(m.localisation_m, 5.0, 1e-12);
  }
  {  // Greedy nearest pairing gives 1^2 + 20^2 = 401; the optimum is 9^2 + 10^2 = 181.
    const std::vector<Vec3> t = {Vec3(0, 0, 0), Vec3(10, 0, 0)}, e = {Vec3(9, 0, 0), Vec3(20, 0, 0)};
    const PictureMetrics m = ScorePicture(t, e);
    EXPECT_NEAR(m.ospa_m, std::sqrt(181.0 / 2.0), 1e-9);
    EXPECT_NEAR(m.gospa_m, std::sqrt(181.0), 1e-9);
  }
  {  // Beyond the cutoff: one missed and one false.
    const std::vector<Vec3> t = {Vec3(0, 0, 0)}, e = {Vec3(2000, 0, 0)};
    const PictureMetrics m = ScorePicture(t, e, 1000.0, 2.0);
    EXPECT_NEAR(m.ospa_m, 1000.0, 1e-9);
    EXPECT_NEAR(m.gospa_m, 1000.0, 1e-9);  // (c^2/2 * 2)^(1/2)
    EXPECT_EQ(m.missed, 1);
    EXPECT_EQ(m.false_tracks, 1);
    EXPECT_EQ(m.localisation_m, 0.0);
  }
  {  // Two matched (3 m and 4 m) and one false track.
    const std::vector<Vec3> t = {Vec3(0, 0, 0), Vec3(100, 0, 0)};
    const std::vector<Vec3> e = {Vec3(0, 3, 0), Vec3(100, 4, 0), Vec3(5000, 5000, 0)};
    const PictureMetrics m = ScorePicture(t, e, 1000.0, 2.0);
    EXPECT_NEAR(m.ospa_m, std::sqrt((9.0 + 16.0 + 1e6) / 3.0), 1e-9);
    EXPECT_NEAR(m.gospa_m, std::sqrt(25.0 + 1e6 / 2.0), 1e-9);
    EXPECT_EQ(m.false_tracks, 1);
    EXPECT_EQ(m.missed, 0);
  }
  {  // Order p = 1.
    const std::vector<Vec3> t = {Vec3(0, 0, 0)}, e = {Vec3(3, 4, 0), Vec3(0, 600, 0)};
    const PictureMetrics m = ScorePicture(t, e, 1000.0, 1.0);
    EXPECT_NEAR(m.ospa_m, (5.0 + 1000.0) / 2.0, 1e-9);
    EXPECT_NEAR(m.gospa_m, 5.0 + 1000.0 / 2.0, 1e-9);
  }
}

// OSPA from its definition: minimum over all injections of the smaller set into the larger.
double OspaByEnumeration(const std::vector<Vec3>& x, const std::vector<Vec3>& y, double c, double p) {
  const std::vector<Vec3>& a = x.size() <= y.size() ? x : y;
  const std::vector<Vec3>& b = x.size() <= y.size() ? y : x;
  std::vector<int> perm(b.size());
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i) s += std::pow(std::min((a[i] - b[perm[i]]).norm(), c), p);
    best = std::min(best, s);
  } while (std::next_permutation(perm.begin(), perm.end()));
  const double n = static_cast<double>(b.size());
  return std::pow((best + std::pow(c, p) * (n - static_cast<double>(a.size()))) / n, 1.0 / p);
}

TEST(MetricsTest, OspaMatchesDefinitionOnRandomSets) {
  Rng rng(5);
  for (int c = 0; c < 60; ++c) {
    std::vector<Vec3> x(rng.UniformInt(0, 5)), y(rng.UniformInt(1, 5));
    for (Vec3& v : x) v = Vec3(rng.Uniform(0, 3000), rng.Uniform(0, 3000), 0);
    for (Vec3& v : y) v = Vec3(rng.Uniform(0, 3000), rng.Uniform(0, 3000), 0);
    EXPECT_NEAR(ScorePicture(x, y, 1000.0, 2.0).ospa_m, OspaByEnumeration(x, y, 1000.0, 2.0), 1e-6) << c;
  }
}

}  // namespace
}  // namespace koepel::tracking
