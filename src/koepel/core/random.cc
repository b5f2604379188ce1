#include "koepel/core/random.h"

#include <cmath>

#include "koepel/core/check.h"

namespace koepel {
namespace {
uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

uint64_t MixSeed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashName(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t DeriveSeed(uint64_t master_seed, uint64_t run_index) {
  return MixSeed(MixSeed(master_seed) ^ (run_index * 0xd1b54a32d192ed03ULL));
}

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (auto& s : s_) {
    x = MixSeed(x);
    s = x;
  }
}

Rng Rng::ForComponent(uint64_t master_seed, uint64_t run_index, std::string_view component) {
  return Rng(MixSeed(DeriveSeed(master_seed, run_index) ^ HashName(component)));
}

uint64_t Rng::NextU64() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

double Rng::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

int64_t Rng::UniformInt(int64_t lo, int64_t hi) {
  KOEPEL_CHECK(lo <= hi, "UniformInt needs lo <= hi");
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  if (span == 0) return static_cast<int64_t>(NextU64());  // the full 64-bit range
  // Rejection sampling removes modulo bias.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  uint64_t r;
  do {
    r = NextU64();
  } while (r >= limit);
  return lo + static_cast<int64_t>(r % span);
}

double Rng::Normal(double mean, double stddev) {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  // Marsaglia's polar method: exact, two normals per accepted pair.
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_normal_ = true;
  return mean + stddev * u * f;
}

bool Rng::Bernoulli(double p) { return Uniform() < p; }

int64_t Rng::Poisson(double mean) {
  KOEPEL_CHECK(mean >= 0.0, "Poisson mean must be non-negative");
  if (mean == 0.0) return 0;
  if (mean < 30.0) {
    // Knuth's multiplication method: fine for small means.
    const double limit = std::exp(-mean);
    int64_t k = 0;
    double p = Uniform();
    while (p > limit) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  // Large means: the sum of Poisson(mean/n) pieces keeps the method exact and bounded.
  const int pieces = static_cast<int>(std::ceil(mean / 25.0));
  int64_t total = 0;
  for (int i = 0; i < pieces; ++i) total += Poisson(mean / pieces);
  return total;
}

double Rng::Exponential(double rate) {
  KOEPEL_CHECK(rate > 0.0, "Exponential rate must be positive");
  return -std::log1p(-Uniform()) / rate;
}

}  // namespace koepel
