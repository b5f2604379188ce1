// koepel: the one program. Reads configuration, wires adapters, and runs the chain.
// Each subcommand lives in commands/; `koepel --help` lists them.
#include <CLI/CLI.hpp>

#include "apps/koepel/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"koepel: layered air and drone defence, the sensor-to-effector chain, live and simulated"};
  app.require_subcommand(1);
  int exit_code = koepel::app::kExitOk;
  koepel::app::AddRunCommand(app, exit_code);
  koepel::app::AddCampaignCommand(app, exit_code);
  koepel::app::AddTrackCommand(app, exit_code);
  koepel::app::AddScoreCommand(app, exit_code);
  koepel::app::AddWtaCommand(app, exit_code);
  koepel::app::AddDecodeCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? koepel::app::kExitOk : koepel::app::kExitBadInput;
  }
  return exit_code;
}
