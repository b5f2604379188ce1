// IWYU pragma: private, include "koepel/core/core.h"
// Seeded random streams. Every stochastic component owns its own stream, derived from
// (master seed, run index, component name), so adding a sensor does not change another's noise
// and a run is a pure function of (scenario, seed). The generator and the distributions are
// written out here (not std::normal_distribution) so results are identical on every platform.
#pragma once

#include <cstdint>
#include <string_view>

namespace koepel {

// SplitMix64 finaliser: a good 64-bit mixing function, used to derive seeds.
uint64_t MixSeed(uint64_t x);
// Stable 64-bit hash of a name (FNV-1a), for component ids.
uint64_t HashName(std::string_view name);
// The seed of Monte-Carlo replicate `run_index` of a run with `master_seed`.
uint64_t DeriveSeed(uint64_t master_seed, uint64_t run_index);

// xoshiro256** generator with distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  static Rng ForComponent(uint64_t master_seed, uint64_t run_index, std::string_view component);

  uint64_t NextU64();
  double Uniform();                          // [0, 1)
  double Uniform(double lo, double hi);       // [lo, hi)
  int64_t UniformInt(int64_t lo, int64_t hi);  // [lo, hi], inclusive
  double Normal(double mean = 0.0, double stddev = 1.0);
  bool Bernoulli(double p);
  int64_t Poisson(double mean);
  double Exponential(double rate);

 private:
  uint64_t s_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace koepel
