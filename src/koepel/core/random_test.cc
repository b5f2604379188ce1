#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "koepel/core/core.h"

namespace koepel {
namespace {

TEST(RngTest, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.NextU64();
    EXPECT_EQ(x, b.NextU64());
    (void)c;
  }
  EXPECT_NE(Rng(42).NextU64(), Rng(43).NextU64());
}

TEST(RngTest, ComponentStreamsAreIndependentOfEachOther) {
  Rng radar = Rng::ForComponent(7, 0, "radar-1");
  Rng radar_again = Rng::ForComponent(7, 0, "radar-1");
  Rng eoir = Rng::ForComponent(7, 0, "eoir-1");
  Rng next_run = Rng::ForComponent(7, 1, "radar-1");
  uint64_t r = radar.NextU64();
  EXPECT_EQ(r, radar_again.NextU64());
  EXPECT_NE(r, eoir.NextU64());
  EXPECT_NE(r, next_run.NextU64());
}

TEST(RngTest, NormalMomentsMatch) {
  Rng rng(1);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    double x = rng.Normal(3.0, 2.0);
    sum += x;
    sum2 += x * x;
  }
  double mean = sum / n;
  double var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 3.0, 0.03);  // 5 standard errors
  EXPECT_NEAR(var, 4.0, 0.07);
}

TEST(RngTest, UniformIntCoversRangeWithoutBias) {
  Rng rng(5);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) counts[static_cast<size_t>(rng.UniformInt(0, 5))]++;
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(RngTest, PoissonMeanSmallAndLarge) {
  Rng rng(9);
  for (double mean : {0.5, 4.0, 200.0}) {
    double sum = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) sum += static_cast<double>(rng.Poisson(mean));
    EXPECT_NEAR(sum / n, mean, 5 * std::sqrt(mean / n)) << "mean " << mean;
  }
}

TEST(RngTest, DerivedSeedsDiffer) {
  EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(1, 1));
  EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(2, 0));
  EXPECT_EQ(DeriveSeed(1, 5), DeriveSeed(1, 5));
}

}  // namespace
}  // namespace koepel
