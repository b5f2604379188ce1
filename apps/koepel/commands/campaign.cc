// koepel campaign SCENARIO.yaml [--days D] [--runs N] [--threads T] [--seed N] [--tempo PRESET]
//                               [--json FILE] [--report DIR]
#include <cstdio>
#include <fstream>

#include "apps/koepel/commands.h"
#include "apps/koepel/sim_support.h"
#include "koepel/sim/sim.h"

namespace koepel::app {
namespace {

struct CampaignArgs {
  std::string scenario;
  int days = 0;  // 0: the scenario's campaign.days
  int runs = 1;
  int threads = 0;
  uint64_t seed = 0;
  bool seed_given = false;
  std::string tempo;
  bool redraw_raids = false;
  std::string json;
  std::string report;
};

int Campaign(const CampaignArgs& args) {
  Result<sim::Scenario> scenario = sim::LoadScenario(args.scenario);
  if (!scenario) {
    std::fprintf(stderr, "koepel campaign: %s\n", scenario.error().message().c_str());
    return kExitBadInput;
  }
  if (!args.tempo.empty()) {
    if (!sim::CampaignTempo(args.tempo, 1)) {
      std::fprintf(stderr, "koepel campaign: --tempo: unknown preset '%s'; allowed: %s\n", args.tempo.c_str(),
                   sim::kTempoPresets);
      return kExitBadInput;
    }
    scenario->campaign.tempo.clear();
    scenario->campaign.tempo_preset = args.tempo;
  }
  const int days = args.days > 0 ? args.days : scenario->campaign.days;
  if (days <= 0) {
    std::fprintf(stderr, "koepel campaign: give --days (the scenario has no campaign.days)\n");
    return kExitBadInput;
  }
  Result<std::vector<NamedRegion>> regions = LoadWarningRegions(*scenario);
  if (!regions) {
    std::fprintf(stderr, "koepel campaign: warning regions: %s\n", regions.error().message().c_str());
    return kExitFailure;
  }
  const uint64_t seed = args.seed_given ? args.seed : scenario->seed;
  sim::CampaignOptions options;
  options.days = days;
  options.runs = args.runs;
  if (args.redraw_raids) options.raids = sim::RedrawGeneratedRaids();
  const int tasks = args.runs * static_cast<int>(options.doctrines.size());
  options.threads = WorkerThreads(args.threads, tasks);
  options.warning_regions = std::move(*regions);
  ProgressBar progress("koepel campaign", tasks);
  options.progress = [&progress](int done) { progress.Update(done); };
  const sim::CampaignResult result = sim::RunCampaign(*scenario, seed, options);
  progress.Finish();

  std::fputs(sim::CampaignToText(result).c_str(), stdout);
  if (!args.json.empty()) {
    std::ofstream out(args.json, std::ios::binary);
    out << sim::CampaignToJson(result);
    if (!out) {
      std::fprintf(stderr, "koepel campaign: cannot write %s\n", args.json.c_str());
      return kExitFailure;
    }
  }
  if (!args.report.empty()) {
    if (Status st = WriteReport(args.report, sim::CampaignToHtml(result)); !st.ok()) {
      std::fprintf(stderr, "koepel campaign: --report: %s\n", st.message().c_str());
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace

void AddCampaignCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CampaignArgs>();
  CLI::App* cmd = app.add_subcommand(
      "campaign", "Simulate raid days against carried-over stock and resupply, for each doctrine side by side");
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML), with an optional campaign section")->required();
  cmd->add_option("--days", args->days, "Campaign days (default: the scenario's campaign.days)")
      ->check(CLI::Range(1, 3650));
  cmd->add_option("--runs", args->runs, "Independent replicates of the whole campaign; figures are means")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--threads", args->threads,
                  "Worker threads (default: the machine's hardware threads); the results do not depend on it")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--seed", args->seed, "Master seed (default: the scenario's)")
      ->each([args](const std::string&) { args->seed_given = true; });
  cmd->add_option("--tempo", args->tempo,
                  std::string("Raid tempo preset, overriding the scenario's: ") + sim::kTempoPresets);
  cmd->add_flag("--redraw-raids", args->redraw_raids,
               "Draw every generated_raids entry anew for each day and replicate (default: drawn once by the file's "
               "seed, scaled by the day's tempo)");
  cmd->add_option("--json", args->json, "Write the results as JSON to FILE");
  cmd->add_option("--report", args->report,
                  "Write a self-contained HTML report with plots (stock curves, leakers and cost by day, cost per "
                  "kill by layer, exchange ratio, lead times) to DIR/index.html");
  cmd->callback([args, &exit_code] { exit_code = Campaign(*args); });
}

}  // namespace koepel::app
