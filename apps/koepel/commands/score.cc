// koepel score --truth FILE --tracks FILE [--cutoff 1000] [--scans N] [--json FILE]
//
// Scores tracks.csv against truth.csv (../shared/data/tracking/README.md): per scan OSPA and GOSPA
// (p = 2, alpha = 2, cutoff c) over one optimal assignment, averaged over all scans 0..n-1 (empty vs
// empty = 0), mean missed/false per scan, and SIAP figures with the cutoff as association distance.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/koepel/commands.h"
#include "koepel/adapters/tracking_csv/tracking_csv.h"
#include "koepel/tracking/tracking.h"

namespace koepel::app {
namespace {

struct ScoreArgs {
  std::string truth, tracks, json;
  double cutoff_m = 1000.0;
  int scans = 0;  // 0: 1 + the last scan in either file
};

int Score(const ScoreArgs& a) {
  Result<std::vector<adapters::TruthRow>> truth = adapters::LoadTruthCsv(a.truth);
  if (!truth) {
    std::fprintf(stderr, "koepel score: %s\n", truth.error().message().c_str());
    return kExitBadInput;
  }
  Result<std::vector<adapters::TrackRow>> tracks = adapters::LoadTracksCsv(a.tracks);
  if (!tracks) {
    std::fprintf(stderr, "koepel score: %s\n", tracks.error().message().c_str());
    return kExitBadInput;
  }
  int n_scans = a.scans;
  if (n_scans == 0) {
    for (const auto& r : *truth) n_scans = std::max(n_scans, r.scan + 1);
    for (const auto& r : *tracks) n_scans = std::max(n_scans, r.scan + 1);
  }
  std::vector<tracking::SiapScan> siap(static_cast<size_t>(n_scans));
  std::vector<std::vector<Vec3>> truth_pos(static_cast<size_t>(n_scans)), track_pos(static_cast<size_t>(n_scans));
  for (const auto& r : *truth) {
    if (r.scan >= n_scans) continue;
    truth_pos[static_cast<size_t>(r.scan)].emplace_back(r.x_m, r.y_m, 0.0);
    siap[static_cast<size_t>(r.scan)].truths.push_back({r.target_id, Vec3(r.x_m, r.y_m, 0.0)});
  }
  for (const auto& r : *tracks) {
    if (r.scan >= n_scans) continue;
    track_pos[static_cast<size_t>(r.scan)].emplace_back(r.x_m, r.y_m, 0.0);
    siap[static_cast<size_t>(r.scan)].tracks.push_back({r.track_id, Vec3(r.x_m, r.y_m, 0.0)});
  }
  double ospa = 0.0, gospa = 0.0, missed = 0.0, false_tracks = 0.0;
  for (int k = 0; k < n_scans; ++k) {
    const tracking::PictureMetrics m =
        tracking::ScorePicture(truth_pos[static_cast<size_t>(k)], track_pos[static_cast<size_t>(k)], a.cutoff_m, 2.0);
    ospa += m.ospa_m;
    gospa += m.gospa_m;
    missed += m.missed;
    false_tracks += m.false_tracks;
  }
  const double n = n_scans > 0 ? n_scans : 1;
  const tracking::SiapMetrics s = tracking::ScoreSiap(siap, a.cutoff_m);
  std::printf("scans: %d (cutoff %.1f m, p = 2, GOSPA alpha = 2)\n", n_scans, a.cutoff_m);
  std::printf("OSPA mean: %.4f m\nGOSPA mean: %.4f m\nmissed per scan: %.3f\nfalse per scan: %.3f\n", ospa / n,
              gospa / n, missed / n, false_tracks / n);
  std::printf("SIAP completeness: %.4f\nSIAP ambiguity: %.4f\nSIAP spuriousness: %.4f\n"
              "SIAP positional accuracy: %.3f m\nSIAP track-id changes: %d\n",
              s.completeness, s.ambiguity, s.spuriousness, s.positional_accuracy_m, s.track_id_changes);
  if (!a.json.empty()) {
    nlohmann::json j;
    j["n_scans"] = n_scans;
    j["cutoff_m"] = a.cutoff_m;
    j["ospa_mean"] = ospa / n;
    j["gospa_mean"] = gospa / n;
    j["missed_mean"] = missed / n;
    j["false_mean"] = false_tracks / n;
    j["siap"] = {{"completeness", s.completeness},
                 {"ambiguity", s.ambiguity},
                 {"spuriousness", s.spuriousness},
                 {"positional_accuracy_m", s.positional_accuracy_m},
                 {"track_id_changes", s.track_id_changes}};
    std::ofstream out(a.json, std::ios::binary);
    out << j.dump(1) << '\n';
    if (!out) {
      std::fprintf(stderr, "koepel score: cannot write %s\n", a.json.c_str());
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace

void AddScoreCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScoreArgs>();
  CLI::App* cmd = app.add_subcommand("score", "OSPA, GOSPA and SIAP of tracks.csv against truth.csv");
  cmd->add_option("--truth", args->truth, "truth.csv (scan,time_s,target_id,x_m,y_m,vx_mps,vy_mps)")->required();
  cmd->add_option("--tracks", args->tracks, "tracks.csv (scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated)")
      ->required();
  cmd->add_option("--cutoff", args->cutoff_m, "OSPA/GOSPA cutoff c and SIAP association distance, m")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--scans", args->scans, "Number of scans to average over (default: 1 + last scan)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--json", args->json, "Also write the figures as JSON to FILE");
  cmd->callback([args, &exit_code] { exit_code = Score(*args); });
}

}  // namespace koepel::app
