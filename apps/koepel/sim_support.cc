#include "apps/koepel/sim_support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "koepel/adapters/geojson/geojson.h"

namespace koepel::app {
namespace {

// Where the shipped data (Dutch warning regions) lives: $KOEPEL_DATA, else the source tree's data/.
std::filesystem::path DataDir() {
  if (const char* env = std::getenv("KOEPEL_DATA"); env != nullptr && *env != '\0') return env;
  return KOEPEL_DATA_DIR;
}

}  // namespace

Result<std::vector<NamedRegion>> LoadWarningRegions(const sim::Scenario& scenario) {
  const std::string& kind = scenario.warning.regions;
  if (kind == "none") return std::vector<NamedRegion>{};
  const std::filesystem::path nl = DataDir() / "nl";
  if (kind == "safety_regions") {
    return adapters::LoadTopoJsonRegions((nl / "nl-vr-gm.topo.json").string(), "vr_features",
                                         (nl / "vr_codes.csv").string());
  }
  return adapters::LoadTopoJsonRegions((nl / "nl-vr-gm.topo.json").string(), "gm_features",
                                       (nl / "gm_to_vr_2023.csv").string());
}

int WorkerThreads(int requested, int runs) {
  int threads = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, std::max(runs, 1));
}

ProgressBar::ProgressBar(std::string what, int total)
    : what_(std::move(what)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) == 1 && total > 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::Update(int done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // At most ten redraws a second, and always the last one.
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  const int filled = total_ > 0 ? done * kWidth / total_ : kWidth;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double left = done > 0 ? elapsed * (total_ - done) / done : 0.0;
  std::fprintf(stderr, "\r%s [%s%s] %d/%d  %.0f s, ~%.0f s left ", what_.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total_, elapsed, left);
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

Status WriteReport(const std::string& dir, const std::string& html) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return UnavailableError(dir + ": cannot create directory: " + ec.message());
  const std::string path = (std::filesystem::path(dir) / "index.html").string();
  std::ofstream out(path, std::ios::binary);
  out << html;
  out.close();
  if (!out) return UnavailableError(path + ": cannot write");
  return OkStatus();
}

}  // namespace koepel::app
