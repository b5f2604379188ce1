// Static WTA on the public set of ../shared/data/wta: time and gap to reference.csv's ref_value for
// greedy, local search (the real-time budget: 20 ms up to 200x200, 500 ms above) and the exact solver
// (up to 200x200, 10 s budget). Counters: gap_pct (objective vs. reference, %), proven (1/0),
// bound_gap_pct (reference vs. the solver's lower bound). Label bench/slow: not in the default run.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

std::map<std::string, double> ReadReference() {
  std::ifstream in(std::string(KOEPEL_SHARED_DATA) + "/wta/reference.csv");
  std::map<std::string, double> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() > 6) out[f[0]] = std::stod(f[6]);
  }
  return out;
}

void RegisterAll() {
  static const std::map<std::string, double> ref = ReadReference();
  const std::filesystem::path dir = std::filesystem::path(KOEPEL_SHARED_DATA) / "wta" / "instances";
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(dir)) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".wta") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string name = path.stem().string();
    if (!ref.count(name)) continue;
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = ParseWtaInstance(ss.str(), path.string());
    if (!parsed) {
      std::fprintf(stderr, "%s\n", parsed.error().message().c_str());
      continue;
    }
    auto problem = std::make_shared<WtaProblem>(std::move(*parsed));
    const double r = ref.at(name);
    const bool large = problem->weapons > 200 || problem->targets > 200;
    const Duration realtime = large ? Milliseconds(500) : Milliseconds(20);
    auto report = [r](benchmark::State& state, const WtaSolution& s) {
      state.counters["gap_pct"] = 100.0 * (s.objective - r) / r;
      state.counters["proven"] = s.proven_optimal ? 1.0 : 0.0;
      state.counters["bound_gap_pct"] = s.bound > 0.0 ? 100.0 * (r - s.bound) / r : 100.0;
      state.counters["solver_ms"] = s.time_ms;
    };
    benchmark::RegisterBenchmark(("greedy/" + name).c_str(), [problem, report](benchmark::State& state) {
      WtaSolution s;
      for (auto _ : state) benchmark::DoNotOptimize(s = SolveGreedy(*problem));
      report(state, s);
    })->Unit(benchmark::kMillisecond)->Iterations(1);
    benchmark::RegisterBenchmark(("local/" + name).c_str(), [problem, report, realtime](benchmark::State& state) {
      WtaSolution s;
      for (auto _ : state) benchmark::DoNotOptimize(s = SolveLocalSearch(*problem, realtime, 1));
      report(state, s);
    })->Unit(benchmark::kMillisecond)->Iterations(1);
    if (!large) {
      benchmark::RegisterBenchmark(("exact/" + name).c_str(), [problem, report](benchmark::State& state) {
        WtaSolution s;
        for (auto _ : state) benchmark::DoNotOptimize(s = SolveExact(*problem, Seconds(10)));
        report(state, s);
      })->Unit(benchmark::kMillisecond)->Iterations(1);
    }
  }
}

}  // namespace
}  // namespace koepel::wta

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  koepel::wta::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
