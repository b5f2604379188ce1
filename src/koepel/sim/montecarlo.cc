// Monte-Carlo: replicates on worker threads, and the statistics over them.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numbers>
#include <thread>

#include "koepel/sim/raid_generator.h"
#include "koepel/sim/sim.h"

namespace koepel::sim {
namespace {

// P(|T| <= t) for Student's t with an integer number of degrees of freedom: the closed-form
// finite series (Abramowitz and Stegun 26.7.3/26.7.4), exact up to rounding.
double TwoSidedCdf(double t, int dof) {
  const double theta = std::atan(t / std::sqrt(static_cast<double>(dof)));
  const double c2 = std::cos(theta) * std::cos(theta);
  const double sn = std::sin(theta);
  if (dof % 2 == 0) {
    double term = 1.0, sum = 1.0;
    for (int k = 2; k <= dof - 2; k += 2) {
      term *= c2 * (k - 1) / k;
      sum += term;
    }
    return sn * sum;
  }
  if (dof == 1) return 2.0 * theta / std::numbers::pi;
  double term = 1.0, sum = 1.0;
  for (int k = 3; k <= dof - 2; k += 2) {
    term *= c2 * (k - 1) / k;
    sum += term;
  }
  return 2.0 / std::numbers::pi * (theta + sn * std::cos(theta) * sum);
}

double SampleVariance(std::span<const double> x, double mean) {
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(x.size() - 1);
}

}  // namespace

double StudentT975(int degrees_of_freedom) {
  KOEPEL_CHECK(degrees_of_freedom >= 1, "Student t needs at least one degree of freedom");
  if (degrees_of_freedom > 1000) {
    // Cornish-Fisher expansion around the normal quantile; its error is below 1e-9 here.
    const double z = 1.959963984540054;
    const double v = degrees_of_freedom;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
  }
  // Bisection on the exact CDF: 0.975 one-sided is 0.95 two-sided.
  double lo = 1.9, hi = 13.0;
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    (TwoSidedCdf(mid, degrees_of_freedom) < 0.95 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Estimate MeanEstimate(std::span<const double> samples) {
  Estimate e;
  e.samples = static_cast<int>(samples.size());
  if (samples.empty()) return e;
  double sum = 0.0;
  for (double v : samples) sum += v;
  e.mean = sum / static_cast<double>(samples.size());
  if (samples.size() >= 2) {
    e.half_width = StudentT975(e.samples - 1) * std::sqrt(SampleVariance(samples, e.mean) / e.samples);
  }
  return e;
}

Estimate RatioEstimate(std::span<const double> num, std::span<const double> den) {
  KOEPEL_CHECK(num.size() == den.size(), "a ratio needs paired samples");
  Estimate e;
  e.samples = static_cast<int>(num.size());
  double sum_num = 0.0, sum_den = 0.0;
  for (size_t i = 0; i < num.size(); ++i) {
    sum_num += num[i];
    sum_den += den[i];
  }
  if (!(sum_den > 0.0)) return e;
  e.mean = sum_num / sum_den;
  if (num.size() >= 2) {
    // Delta method: Var(R) ~ Var(num - R den) / (n mean(den)^2), with the residuals' sample variance.
    std::vector<double> residual(num.size());
    for (size_t i = 0; i < num.size(); ++i) residual[i] = num[i] - e.mean * den[i];
    const double n = static_cast<double>(num.size());
    const double mean_den = sum_den / n;
    const double var = SampleVariance(residual, 0.0);
    e.half_width = StudentT975(e.samples - 1) * std::sqrt(var / n) / mean_den;
  }
  return e;
}

void ForEachRun(int count, int threads, const std::function<void(int index)>& run,
                const std::function<void(int done)>& progress) {
  if (count <= 0) return;
  threads = std::clamp(threads, 1, count);
  std::mutex progress_mutex;
  int done = 0;
  auto finished = [&] {
    if (!progress) return;
    std::lock_guard<std::mutex> lock(progress_mutex);
    progress(++done);
  };
  if (threads == 1) {
    for (int i = 0; i < count; ++i) {
      run(i);
      finished();
    }
    return;
  }
  // Workers pull the next index: uneven runs balance themselves; results land by index.
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      run(i);
      finished();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

RaidSource RedrawGeneratedRaids() {
  return [](const Scenario& scenario, int day, uint64_t seed, int run_index) {
    const auto generated_by = [&](const Raid& r) {
      return std::any_of(scenario.generated_raids.begin(), scenario.generated_raids.end(),
                         [&](const GeneratedRaidSpec& g) { return r.name.starts_with(g.name + "/"); });
    };
    Scenario drawn = scenario;
    drawn.raids.clear();
    for (const Raid& r : scenario.raids) {
      if (!generated_by(r)) drawn.raids.push_back(r);
    }
    const geo::LocalFrame frame(scenario.origin);
    for (const GeneratedRaidSpec& spec : scenario.generated_raids) {
      Rng rng = Rng::ForComponent(seed, static_cast<uint64_t>(run_index),
                                  "generated:" + spec.name + ":day" + std::to_string(day));
      for (Raid& r : ExpandGeneratedRaid(spec, scenario.assets, frame, rng)) drawn.raids.push_back(std::move(r));
    }
    return day > 0 ? CampaignDayRaids(drawn, day) : drawn.raids;
  };
}

Scenario ScenarioForRun(const Scenario& scenario, const RaidSource& source, int day, uint64_t seed, int run_index) {
  Scenario s = scenario;
  if (source) s.raids = source(scenario, day, seed, run_index);
  return s;
}

Summary RunMonteCarlo(const Scenario& scenario, uint64_t seed, const MonteCarloOptions& mc, const RunOptions& options) {
  const bool observed = options.bus != nullptr || options.warning_sink != nullptr || !options.detection_sources.empty();
  KOEPEL_CHECK(mc.threads <= 1 || !observed, "observers of a run are not thread-safe: run them on one thread");
  std::vector<RunResult> results(static_cast<size_t>(std::max(mc.runs, 0)));
  ForEachRun(
      mc.runs, mc.threads,
      [&](int i) {
        if (mc.raids) {
          results[static_cast<size_t>(i)] = RunScenario(ScenarioForRun(scenario, mc.raids, 0, seed, i), seed, i, options);
        } else {
          results[static_cast<size_t>(i)] = RunScenario(scenario, seed, i, options);
        }
      },
      mc.progress);
  return Summarise(scenario, seed, results);
}

Summary RunMonteCarlo(const Scenario& scenario, uint64_t seed, int runs, const RunOptions& options) {
  MonteCarloOptions mc;
  mc.runs = runs;
  return RunMonteCarlo(scenario, seed, mc, options);
}

}  // namespace koepel::sim
