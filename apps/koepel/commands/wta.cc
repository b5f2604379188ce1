// koepel wta --instance FILE [--solver greedy|local|exact] [--time-limit-ms N]
// Solves a static weapon-target assignment instance (format: ../shared/data/wta/README.md) and
// prints one JSON object: objective, assignment ([weapon, target, shots]), time_ms, proven_optimal,
// bound, solver.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "apps/koepel/commands.h"
#include "koepel/wta/wta.h"

namespace koepel::app {
namespace {

struct WtaArgs {
  std::string instance;
  std::string solver = "local";
  int64_t time_limit_ms = 20;  // wall clock
};

int Wta(const WtaArgs& args) {
  std::ifstream in(args.instance, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "koepel wta: %s: cannot open\n", args.instance.c_str());
    return kExitBadInput;
  }
  std::stringstream text;
  text << in.rdbuf();
  Result<wta::WtaProblem> problem = wta::ParseWtaInstance(text.str(), args.instance);
  if (!problem) {
    std::fprintf(stderr, "koepel wta: %s\n", problem.error().message().c_str());
    return kExitBadInput;
  }
  const Duration limit = Milliseconds(args.time_limit_ms);
  wta::WtaSolution s;
  if (args.solver == "greedy") {
    s = wta::SolveGreedy(*problem);
  } else if (args.solver == "exact") {
    s = wta::SolveExactWallClock(*problem, limit);
  } else {
    s = wta::SolveLocalSearchWallClock(*problem, limit, 1);
  }
  nlohmann::json out;
  out["objective"] = s.objective;
  nlohmann::json assignment = nlohmann::json::array();
  for (int i = 0; i < problem->weapons; ++i) {
    for (int j = 0; j < problem->targets; ++j) {
      const int n = s.shots[static_cast<size_t>(i) * static_cast<size_t>(problem->targets) + static_cast<size_t>(j)];
      if (n > 0) assignment.push_back({i, j, n});
    }
  }
  out["assignment"] = std::move(assignment);
  out["time_ms"] = s.time_ms;
  out["proven_optimal"] = s.proven_optimal;
  out["bound"] = s.bound;
  out["solver"] = s.solver;
  std::printf("%s\n", out.dump().c_str());
  return kExitOk;
}

}  // namespace

void AddWtaCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<WtaArgs>();
  CLI::App* cmd = app.add_subcommand("wta", "Solve a static weapon-target assignment instance; print JSON");
  cmd->add_option("--instance", args->instance, "Instance file (../shared/data/wta format)")->required();
  cmd->add_option("--solver", args->solver, "greedy, local (default) or exact")
      ->check(CLI::IsMember({"greedy", "local", "exact"}));
  cmd->add_option("--time-limit-ms", args->time_limit_ms,
                  "Time limit in ms, wall clock (local search and exact): results can vary with machine load")
      ->check(CLI::Range(int64_t{0}, int64_t{86'400'000}));
  cmd->callback([args, &exit_code] { exit_code = Wta(*args); });
}

}  // namespace koepel::app
