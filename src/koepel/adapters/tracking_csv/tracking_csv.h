// koepel/adapters/tracking_csv/tracking_csv.h
//
// Reads and writes the shared tracking benchmark format (../shared/data/tracking/README.md, format_version 1):
//   detections.csv  scan,time_s,x_m,y_m          -> one std::vector<Detection> per scan (kPosition, z = 0, R from params)
//   truth.csv       scan,time_s,target_id,x_m,y_m,vx_mps,vy_mps
//   params.json     `scenario` and `tracker` sections -> BenchmarkParams
//   tracks.csv      scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated (read and written)
// Detection rows must be grouped by scan in increasing order (truth and tracks rows may come in any order,
// e.g. truth.csv is grouped by target); a scan without rows is fine.
//
// Example:
//   KOEPEL_ASSIGN_OR_RETURN(BenchmarkParams params, adapters::LoadBenchmarkParams("n10/params.json"));
//   KOEPEL_ASSIGN_OR_RETURN(BenchmarkDetections scans, adapters::LoadDetectionsCsv("n10/detections.csv", params));
//   for (int k = 0; k < params.scenario.n_scans; ++k) tracker.Step(..., scans[k]);
//
// Errors: malformed input gives an InvalidArgument Result "FILE:LINE: column NAME: what" (CSV) or
// "FILE: /scenario/sigma_m: what" (JSON); an unreadable file gives NotFound. No exceptions escape.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/model/model.h"

namespace koepel::adapters {

// params.json `scenario`: what the tracker needs of the generator's settings.
struct BenchmarkScenario {
  uint64_t seed = 0;                       // generator seed
  int n_scans = 100;                       // scans 0..n_scans-1, each run even when empty
  double dt_s = 1.0;                       // scan interval, s; time_s = scan * dt_s
  int n_targets = 0;                       // N
  std::array<double, 4> area_m{};          // [xmin, xmax, ymin, ymax], m
  double q_m2ps3 = 1.0;                    // NCV process noise intensity q, m^2/s^3
  double sigma_m = 50.0;                   // measurement std per axis, m
  std::array<double, 4> r_m2{};            // R row-major 2x2, m^2
  double p_d = 0.9;                        // detection probability
  double clutter_density_per_m2 = 0.0;     // clutter per m^2 per scan
};

// params.json `tracker`: the shared tracker and metric settings (Stone Soup's run).
struct BenchmarkTrackerSettings {
  double gate_prob = 0.999;                // chi-square gate mass for the 2-D innovation
  double gate_mahalanobis = 3.7169;        // sqrt(chi2inv(gate_prob, 2)); also the missed cost
  double init_vel_std_mps = 250.0;         // velocity std of a new tentative track, m/s
  int confirm_updates = 3;                 // detection updates (first included) to confirm
  int tentative_delete_misses = 2;         // consecutive misses that drop a tentative track
  int confirmed_delete_misses = 4;         // consecutive misses that delete a confirmed track
  double kdtree_radius_m = 5000.0;         // candidate prefilter radius (informational), m
  double metric_c_m = 1000.0;              // OSPA/GOSPA cutoff c, m
  double metric_p = 2.0;                   // OSPA/GOSPA order p
  double gospa_alpha = 2.0;                // GOSPA alpha
};

struct BenchmarkParams {
  BenchmarkScenario scenario;
  BenchmarkTrackerSettings tracker;
};

// detections[scan], scan in [0, n_scans); ids count up over the file, sensor SensorId(1).
using BenchmarkDetections = std::vector<std::vector<Detection>>;

struct TruthRow {
  int scan = 0;
  double time_s = 0.0;
  int64_t target_id = 0;
  double x_m = 0.0, y_m = 0.0, vx_mps = 0.0, vy_mps = 0.0;
};

struct TrackRow {
  int scan = 0;
  double time_s = 0.0;
  int64_t track_id = 0;
  double x_m = 0.0, y_m = 0.0, vx_mps = 0.0, vy_mps = 0.0;
  bool updated = false;  // a detection update at this scan (else coasted)
};

// `file` names the input in error messages only.
Result<BenchmarkParams> ParseBenchmarkParams(std::string_view json_text, const std::string& file);
Result<BenchmarkParams> LoadBenchmarkParams(const std::string& path);

// Scans must be in [0, params.scenario.n_scans) and non-decreasing; time_s must equal scan * dt_s (within 1 ms).
Result<BenchmarkDetections> ParseDetectionsCsv(std::string_view text, const std::string& file,
                                               const BenchmarkParams& params);
Result<BenchmarkDetections> LoadDetectionsCsv(const std::string& path, const BenchmarkParams& params);

Result<std::vector<TruthRow>> ParseTruthCsv(std::string_view text, const std::string& file);
Result<std::vector<TruthRow>> LoadTruthCsv(const std::string& path);

Result<std::vector<TrackRow>> ParseTracksCsv(std::string_view text, const std::string& file);
Result<std::vector<TrackRow>> LoadTracksCsv(const std::string& path);

// Header line plus one line per row, in the given order; round-trips through ParseTracksCsv.
std::string FormatTracksCsv(std::span<const TrackRow> rows);
Status WriteTracksCsv(const std::string& path, std::span<const TrackRow> rows);

}  // namespace koepel::adapters
