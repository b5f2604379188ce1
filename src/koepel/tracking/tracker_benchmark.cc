// The shared tracking benchmark (../shared/data/tracking/README.md): 2-D CV targets with clutter,
// 100 scans, tracker settings as Stone Soup's GNN run. Reports per-scan latency (mean, p50, p99,
// max), the total over the run, and the mean OSPA / GOSPA, to compare with stonesoup_results.json.
// The jpda_* runs swap the associator for JPDA (P_D 0.9 as generated; the planar clutter density
// spread over the z likelihood of the 50 m noise the loader gives z: lambda_2 / (sqrt(2 pi) 50 m))
// for its cost; their OSPA / GOSPA are not Stone Soup's setting. N = 2000 (generated) and the
// same figures for every N: `koepel track --bench` (ctest track_bench).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

struct Scenario {
  int n_scans = 100;
  std::vector<std::vector<Detection>> scans;
  std::vector<std::vector<Vec3>> truth;
};

std::vector<std::vector<double>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

Scenario Load(const std::string& name) {
  const std::string dir = std::string(KOEPEL_SHARED_DATA) + "/tracking/" + name + "/";
  Scenario s;
  s.scans.resize(s.n_scans);
  s.truth.resize(s.n_scans);
  const double sigma = 50.0;  // params.json scenario.sigma_m
  int64_t id = 0;
  for (const auto& r : ReadCsv(dir + "detections.csv")) {
    Detection d;
    d.id = DetectionId(id++);
    d.sensor = SensorId(1);
    d.time = SimTime::Epoch() + SecondsF(r[1]);
    d.measurement.kind = MeasurementKind::kPosition;
    d.measurement.z = Vec3(r[2], r[3], 0.0);
    d.measurement.noise = sigma * sigma * Mat3::Identity();
    s.scans[static_cast<int>(r[0])].push_back(d);
  }
  for (const auto& r : ReadCsv(dir + "truth.csv")) s.truth[static_cast<int>(r[0])].emplace_back(r[3], r[4], 0.0);
  return s;
}

void BM_SharedScenario(benchmark::State& state, const std::string& name, bool jpda) {
  const Scenario s = Load(name);
  TrackerConfig config = FromBenchmarkSettings({});  // params.json `tracker` (the defaults)
  if (jpda) {
    config.associator = Associator::kJpda;
    config.detection_probability = 0.9;                                    // params.json scenario.p_d
    config.clutter_density_per_m3 = 1.25e-8 / (std::sqrt(2.0 * 3.14159265358979) * 50.0);  // see top
  }
  std::vector<double> scan_ms;
  double ospa = 0, gospa = 0;
  for (auto _ : state) {
    Tracker tracker(config);
    scan_ms.clear();
    ospa = gospa = 0;
    for (int k = 0; k < s.n_scans; ++k) {
      const SimTime now = SimTime::Epoch() + Seconds(k);
      const auto t0 = std::chrono::steady_clock::now();
      const TrackerOutput out = tracker.Step(now, s.scans[k]);
      const auto t1 = std::chrono::steady_clock::now();
      scan_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      state.PauseTiming();
      std::vector<Vec3> est;
      for (const Track& t : out.tracks) est.push_back(t.state.position());
      const PictureMetrics m = ScorePicture(s.truth[k], est, 1000.0, 2.0);
      ospa += m.ospa_m / s.n_scans;
      gospa += m.gospa_m / s.n_scans;
      state.ResumeTiming();
    }
  }
  std::sort(scan_ms.begin(), scan_ms.end());
  double total = 0;
  for (double v : scan_ms) total += v;
  state.counters["mean_ms_per_scan"] = total / static_cast<double>(scan_ms.size());
  state.counters["p50_ms_per_scan"] = scan_ms[static_cast<size_t>(0.50 * (scan_ms.size() - 1))];
  state.counters["p99_ms_per_scan"] = scan_ms[static_cast<size_t>(0.99 * (scan_ms.size() - 1))];
  state.counters["total_ms"] = total;
  state.counters["max_ms_per_scan"] = scan_ms.back();
  state.counters["ospa_mean_m"] = ospa;
  state.counters["gospa_mean_m"] = gospa;
}

BENCHMARK_CAPTURE(BM_SharedScenario, n10, std::string("n10"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SharedScenario, n100, std::string("n100"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SharedScenario, n500, std::string("n500"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SharedScenario, n1000, std::string("n1000"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SharedScenario, jpda_n100, std::string("n100"), true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SharedScenario, jpda_n1000, std::string("n1000"), true)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace koepel::tracking

BENCHMARK_MAIN();
