// The subcommands of the koepel program, one file each under commands/. Each Add*Command registers
// its CLI11 subcommand on `app`; when it runs, its callback stores the process exit code in
// `exit_code`: 0 success, 1 runtime failure, 2 bad input (a malformed file, a bad option).
#pragma once

#include <CLI/CLI.hpp>

namespace koepel::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

void AddRunCommand(CLI::App& app, int& exit_code);    // simulate a scenario through the chain
void AddCampaignCommand(CLI::App& app, int& exit_code);  // raid days against stock and resupply, by doctrine
void AddTrackCommand(CLI::App& app, int& exit_code);  // track a detections file (benchmark format)
void AddScoreCommand(CLI::App& app, int& exit_code);  // OSPA/GOSPA/SIAP of tracks against truth
void AddWtaCommand(CLI::App& app, int& exit_code);    // solve a static weapon-target assignment instance
void AddDecodeCommand(CLI::App& app, int& exit_code); // print what a recording (ASTERIX, SAPIENT, ADS-B) holds

}  // namespace koepel::app
