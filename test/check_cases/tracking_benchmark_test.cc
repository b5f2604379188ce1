// The shared tracking benchmark (../shared/data/tracking) through the tracking_csv adapter: with the
// settings Stone Soup used, koepel's mean OSPA and GOSPA must be no worse than Stone Soup's recorded
// ones (stonesoup_results.json), within 0.5 %.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "koepel/adapters/tracking_csv/tracking_csv.h"
#include "koepel/tracking/tracking.h"

namespace koepel {
namespace {

struct Means {
  double ospa = 0.0, gospa = 0.0;
};

Means RunScenario(const std::string& name) {
  const std::string dir = std::string(KOEPEL_SHARED_DATA) + "/tracking/" + name + "/";
  Result<adapters::BenchmarkParams> params = adapters::LoadBenchmarkParams(dir + "params.json");
  EXPECT_TRUE(params.has_value()) << params.error().message();
  Result<adapters::BenchmarkDetections> scans = adapters::LoadDetectionsCsv(dir + "detections.csv", *params);
  EXPECT_TRUE(scans.has_value()) << scans.error().message();
  Result<std::vector<adapters::TruthRow>> truth = adapters::LoadTruthCsv(dir + "truth.csv");
  EXPECT_TRUE(truth.has_value()) << truth.error().message();
  if (!params || !scans || !truth) return {1e9, 1e9};

  const adapters::BenchmarkParams& p = *params;
  tracking::BenchmarkSettings settings;
  settings.q_m2ps3 = p.scenario.q_m2ps3;
  settings.gate_probability_2d = p.tracker.gate_prob;
  settings.initial_velocity_sigma_mps = p.tracker.init_vel_std_mps;
  settings.confirm_updates = p.tracker.confirm_updates;
  settings.tentative_delete_misses = p.tracker.tentative_delete_misses;
  settings.confirmed_delete_misses = p.tracker.confirmed_delete_misses;
  tracking::Tracker tracker(tracking::FromBenchmarkSettings(settings));

  const int n = p.scenario.n_scans;
  std::vector<std::vector<Vec3>> truth_at(static_cast<size_t>(n));
  for (const adapters::TruthRow& r : *truth) truth_at[static_cast<size_t>(r.scan)].emplace_back(r.x_m, r.y_m, 0.0);
  Means m;
  for (int k = 0; k < n; ++k) {
    const tracking::TrackerOutput out =
        tracker.Step(SimTime::Epoch() + SecondsF(k * p.scenario.dt_s), (*scans)[static_cast<size_t>(k)]);
    std::vector<Vec3> est;
    for (const Track& t : out.tracks) est.push_back(t.state.position());
    const tracking::PictureMetrics pm =
        tracking::ScorePicture(truth_at[static_cast<size_t>(k)], est, p.tracker.metric_c_m, p.tracker.metric_p);
    m.ospa += pm.ospa_m / n;
    m.gospa += pm.gospa_m / n;
  }
  return m;
}

Means StoneSoup(const std::string& name) {
  std::ifstream in(std::string(KOEPEL_SHARED_DATA) + "/tracking/" + name + "/stonesoup_results.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  return {j.at("metrics").at("ospa_mean").get<double>(), j.at("metrics").at("gospa_mean").get<double>()};
}

class TrackingBenchmarkTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TrackingBenchmarkTest, NoWorseThanStoneSoup) {
  const Means ours = RunScenario(GetParam());
  const Means ref = StoneSoup(GetParam());
  EXPECT_LE(ours.ospa, ref.ospa * 1.005) << "Stone Soup OSPA " << ref.ospa;
  EXPECT_LE(ours.gospa, ref.gospa * 1.005) << "Stone Soup GOSPA " << ref.gospa;
  // A tracker reporting nothing scores OSPA = c; make sure the figures are real ones.
  EXPECT_GT(ours.ospa, 0.0);
  EXPECT_LT(ours.ospa, 500.0);
}

INSTANTIATE_TEST_SUITE_P(Shared, TrackingBenchmarkTest, ::testing::Values("n10", "n100"));

}  // namespace
}  // namespace koepel
