#include "koepel/adapters/tracking_csv/tracking_csv.h"

#include <gtest/gtest.h>

#include <string>

namespace koepel::adapters {
namespace {

constexpr const char* kParams = R"({
  "scenario": {"seed": 7, "n_scans": 4, "dt_s": 2.0, "n_targets": 1, "q_m2ps3": 1.0, "sigma_m": 50.0,
               "p_d": 0.9, "clutter_density_per_m2": 1e-8, "area_m": [0, 100, 0, 200],
               "R_m2": [[2500.0, 0.0], [0.0, 3600.0]]},
  "tracker": {"gate_prob": 0.999, "gate_mahalanobis": 3.7169, "init_vel_std_mps": 250.0, "confirm_updates": 3,
              "tentative_delete_misses": 2, "confirmed_delete_misses": 4, "kdtree_radius_m": 5000.0,
              "metric_c_m": 1000.0, "metric_p": 2.0, "gospa_alpha": 2.0}})";

BenchmarkParams Params() {
  Result<BenchmarkParams> p = ParseBenchmarkParams(kParams, "params.json");
  EXPECT_TRUE(p.has_value()) << p.error().message();
  return *p;
}

std::string ErrorOf(std::string_view csv) {
  Result<BenchmarkDetections> r = ParseDetectionsCsv(csv, "detections.csv", Params());
  return r.has_value() ? std::string("ok") : r.error().message();
}

TEST(TrackingCsvTest, ParsesParams) {
  const BenchmarkParams p = Params();
  EXPECT_EQ(p.scenario.seed, 7u);
  EXPECT_EQ(p.scenario.n_scans, 4);
  EXPECT_DOUBLE_EQ(p.scenario.dt_s, 2.0);
  EXPECT_DOUBLE_EQ(p.scenario.r_m2[3], 3600.0);
  EXPECT_DOUBLE_EQ(p.scenario.area_m[3], 200.0);
  EXPECT_EQ(p.tracker.confirmed_delete_misses, 4);
  EXPECT_DOUBLE_EQ(p.tracker.init_vel_std_mps, 250.0);
}

TEST(TrackingCsvTest, ParamsErrorsAreLocated) {
  Result<BenchmarkParams> bad = ParseBenchmarkParams("{\"scenario\": 3", "p.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("p.json"), std::string::npos);
  std::string text = kParams;
  text.replace(text.find("\"sigma_m\": 50.0"), 15, "\"sigma_m\": \"x\"");
  bad = ParseBenchmarkParams(text, "p.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("/scenario/sigma_m"), std::string::npos) << bad.error().message();
}

TEST(TrackingCsvTest, ReadsDetectionsPerScanWithEmptyScans) {
  Result<BenchmarkDetections> r = ParseDetectionsCsv(
      "scan,time_s,x_m,y_m\n0,0.000,1.5,2.5\n0,0.0,3,4\n2,4.000,5,6\r\n", "detections.csv", Params());
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 4u);  // n_scans, trailing scan 3 empty
  EXPECT_EQ((*r)[0].size(), 2u);
  EXPECT_TRUE((*r)[1].empty());
  ASSERT_EQ((*r)[2].size(), 1u);
  const Detection& d = (*r)[2][0];
  EXPECT_EQ(d.id, DetectionId(2));
  EXPECT_EQ(d.measurement.kind, MeasurementKind::kPosition);
  EXPECT_EQ(d.measurement.z, Vec3(5, 6, 0));
  EXPECT_DOUBLE_EQ(d.measurement.noise(1, 1), 3600.0);
  EXPECT_DOUBLE_EQ(d.measurement.noise(2, 2), 0.0);
  EXPECT_EQ(d.time, SimTime::Epoch() + Seconds(4));
}

TEST(TrackingCsvTest, RejectsMalformedDetectionsWithLineAndColumn) {
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n0,0,1,2\n1,2,nan,4\n"),
            "detections.csv:3: column x_m: not a finite number 'nan'");
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n0,0,1,2x\n"), "detections.csv:2: column y_m: not a number '2x'");
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n0,0,1\n"), "detections.csv:2: column y_m: missing column");
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n0,0,1,inf\n").find("detections.csv:2: column y_m:"), 0u);
  EXPECT_EQ(ErrorOf("scan,time,x_m,y_m\n").find("detections.csv:1: header"), 0u);
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n1,2,1,1\n0,0,1,1\n").find("detections.csv:3: column scan: scan 0 after"), 0u);
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n4,8,1,1\n").find("detections.csv:2: column scan: scan 4 out of range"), 0u);
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n1,1.5,1,1\n").find("detections.csv:2: column time_s:"), 0u);
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n1,2,1,1,9\n").find("detections.csv:2: 5 columns"), 0u);
  EXPECT_EQ(ErrorOf(""), "detections.csv:1: empty file, expected header");
  EXPECT_EQ(ErrorOf("scan,time_s,x_m,y_m\n"), "ok");  // all scans empty
}

TEST(TrackingCsvTest, TruthAndTracksRoundTrip) {
  Result<std::vector<TruthRow>> truth =
      ParseTruthCsv("scan,time_s,target_id,x_m,y_m,vx_mps,vy_mps\n3,3.0,7,1,2,3,4\n", "truth.csv");
  ASSERT_TRUE(truth.has_value()) << truth.error().message();
  ASSERT_EQ(truth->size(), 1u);
  // truth.csv is grouped by target: scans may go back.
  EXPECT_TRUE(ParseTruthCsv("scan,time_s,target_id,x_m,y_m,vx_mps,vy_mps\n9,9,1,0,0,0,0\n2,2,2,0,0,0,0\n", "t.csv")
                  .has_value());
  EXPECT_EQ((*truth)[0].target_id, 7);
  EXPECT_DOUBLE_EQ((*truth)[0].vy_mps, 4.0);

  const std::vector<TrackRow> rows = {{0, 0.0, 5, 1.25, -2.5, 100.0, -50.0, true},
                                      {1, 1.0, 5, 101.25, -52.5, 100.0, -50.0, false}};
  const std::string csv = FormatTracksCsv(rows);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated");
  Result<std::vector<TrackRow>> back = ParseTracksCsv(csv, "tracks.csv");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].track_id, 5);
  EXPECT_DOUBLE_EQ((*back)[1].x_m, 101.25);
  EXPECT_FALSE((*back)[1].updated);
  EXPECT_TRUE((*back)[0].updated);

  Result<std::vector<TrackRow>> bad =
      ParseTracksCsv("scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated\n0,0,1.5,0,0,0,0,1\n", "tracks.csv");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "tracks.csv:2: column track_id: not an integer '1.5'");
}

TEST(TrackingCsvTest, RejectsMalformedTruthAndTracksWithLineAndColumn) {
  const std::string truth_header = "scan,time_s,target_id,x_m,y_m,vx_mps,vy_mps\n";
  auto truth_error = [&](const std::string& rows) {
    Result<std::vector<TruthRow>> r = ParseTruthCsv(truth_header + rows, "truth.csv");
    return r.has_value() ? std::string("ok") : r.error().message();
  };
  EXPECT_EQ(truth_error("0,0,1,0,0,0,0\n1,1,1,nan,0,0,0\n").find("truth.csv:3: column x_m:"), 0u);
  EXPECT_EQ(truth_error("0,0,1,0,0,0,abc\n").find("truth.csv:2: column vy_mps:"), 0u);
  EXPECT_EQ(truth_error("0,0,1,0,0,0\n").find("truth.csv:2: column vy_mps: missing column"), 0u);
  EXPECT_EQ(truth_error(""), "ok");
  const std::string tracks_header = "scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated\n";
  auto tracks_error = [&](const std::string& rows) {
    Result<std::vector<TrackRow>> r = ParseTracksCsv(tracks_header + rows, "tracks.csv");
    return r.has_value() ? std::string("ok") : r.error().message();
  };
  EXPECT_EQ(tracks_error("0,0,1,0,0,0,0,1\n0,0,2,0,nan,0,0,1\n").find("tracks.csv:3: column y_m:"), 0u);
  EXPECT_EQ(tracks_error("0,0,1,0,0,0,0\n").find("tracks.csv:2: column updated: missing column"), 0u);
  EXPECT_EQ(tracks_error(""), "ok");
}

TEST(TrackingCsvTest, ReadsTheSharedN10Scenario) {
  const std::string dir = std::string(KOEPEL_SHARED_DATA) + "/tracking/n10/";
  Result<BenchmarkParams> p = LoadBenchmarkParams(dir + "params.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  Result<BenchmarkDetections> d = LoadDetectionsCsv(dir + "detections.csv", *p);
  ASSERT_TRUE(d.has_value()) << d.error().message();
  size_t total = 0;
  for (const auto& scan : *d) total += scan.size();
  EXPECT_EQ(total, 2777u);  // params.json counts.n_detections
  Result<std::vector<TruthRow>> t = LoadTruthCsv(dir + "truth.csv");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->size(), 848u);  // counts.n_truth_rows
  EXPECT_FALSE(LoadTruthCsv(dir + "nope.csv").has_value());
}

}  // namespace
}  // namespace koepel::adapters
