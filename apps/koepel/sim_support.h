// What the simulation commands (run, campaign) share: the warning regions a scenario names, the
// worker-thread default, a progress bar, and writing a report file.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "koepel/sim/sim.h"

namespace koepel::app {

// The regions of the scenario's `warning.regions` (none: empty), from $KOEPEL_DATA or the source tree.
Result<std::vector<NamedRegion>> LoadWarningRegions(const sim::Scenario& scenario);

// Worker threads for `runs` replicates: `requested` (0: the machine's hardware threads), capped by runs.
int WorkerThreads(int requested, int runs);

// A one-line progress bar on stderr, drawn only when stderr is a terminal (quiet in pipes and logs).
// Update() may be called from any thread, but not concurrently (ForEachRun serialises it).
class ProgressBar {
 public:
  ProgressBar(std::string what, int total);
  void Update(int done);
  void Finish();  // clears the line

 private:
  std::string what_;
  int total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// Creates DIR and writes DIR/index.html.
Status WriteReport(const std::string& dir, const std::string& html);

}  // namespace koepel::app
