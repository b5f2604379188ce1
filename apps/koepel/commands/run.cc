// koepel run SCENARIO.yaml [--seed N] [--runs N] [--threads T] [--json FILE] [--report DIR] [--events FILE]
//                          [--no-timing] [--input FORMAT:SOURCE]... [--record DIR] [--cot-out udp|tcp:HOST:PORT]
//                          [--start-utc TIME]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>

#include "apps/koepel/commands.h"
#include "apps/koepel/feeds.h"
#include "apps/koepel/recorder.h"
#include "apps/koepel/sim_support.h"
#include "koepel/sim/sim.h"

namespace koepel::app {
namespace {

int64_t SteadyNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct RunArgs {
  std::string scenario;
  uint64_t seed = 0;
  bool seed_given = false;
  int runs = 1;
  int threads = 0;  // 0: hardware threads
  std::string json;
  std::string report;
  std::string events;
  bool no_timing = false;
  bool redraw_raids = false;
  std::vector<std::string> inputs;
  std::string record;
  std::string start_utc = "2026-06-01T12:00:00Z";
  std::string cot_out;
};

// Sensor ids for real feeds start here, clear of the scenario's own sensors.
constexpr int64_t kFirstFeedSensorId = 1000;

// Opens every --input afresh (a feed is consumed by one run) and says what each held.
Result<std::vector<std::unique_ptr<RecordedFeed>>> OpenFeeds(const std::vector<FeedSpec>& specs,
                                                             const sim::Scenario& scenario, bool print) {
  const geo::LocalFrame frame(scenario.origin);
  std::vector<std::unique_ptr<RecordedFeed>> feeds;
  for (size_t i = 0; i < specs.size(); ++i) {
    FeedReport report;
    KOEPEL_ASSIGN_OR_RETURN(std::unique_ptr<RecordedFeed> feed,
                            OpenFeed(specs[i], frame, SensorId(kFirstFeedSensorId + static_cast<int64_t>(i)), report));
    if (print) {
      std::printf("input      %s:%s: %lld messages, %lld rejected, %lld detections\n", specs[i].format.c_str(),
                  specs[i].location.c_str(), static_cast<long long>(report.messages),
                  static_cast<long long>(report.rejected), static_cast<long long>(report.detections));
      for (const std::string& e : report.first_errors) std::fprintf(stderr, "koepel run: input rejected: %s\n", e.c_str());
      for (const std::string& n : report.notes) std::fprintf(stderr, "koepel run: input note: %s\n", n.c_str());
    }
    feeds.push_back(std::move(feed));
  }
  return feeds;
}

int Run(const RunArgs& args) {
  Result<sim::Scenario> scenario = sim::LoadScenario(args.scenario);
  if (!scenario) {
    std::fprintf(stderr, "koepel run: %s\n", scenario.error().message().c_str());
    return kExitBadInput;
  }
  Result<std::vector<NamedRegion>> regions = LoadWarningRegions(*scenario);
  if (!regions) {
    std::fprintf(stderr, "koepel run: warning regions: %s\n", regions.error().message().c_str());
    return kExitFailure;
  }
  const uint64_t seed = args.seed_given ? args.seed : scenario->seed;
  sim::RunOptions options;
  options.warning_regions = std::move(*regions);
  if (!args.no_timing) options.monotonic_ns = SteadyNanoseconds;
  options.keep_events = !args.events.empty();

  std::vector<FeedSpec> specs;
  for (const std::string& text : args.inputs) {
    Result<FeedSpec> spec = ParseFeedSpec(text);
    if (!spec) {
      std::fprintf(stderr, "koepel run: %s\n", spec.error().message().c_str());
      return kExitBadInput;
    }
    specs.push_back(*spec);
  }

  // The first run's output as the real interfaces carry it.
  Result<int64_t> epoch = ParseUtc(args.start_utc);
  if (!epoch) {
    std::fprintf(stderr, "koepel run: --start-utc: %s\n", epoch.error().message().c_str());
    return kExitBadInput;
  }
  FanOutBus outputs;
  std::unique_ptr<RunRecorder> recorder;
  std::unique_ptr<CotFeed> cot_out;
  if (!args.cot_out.empty()) {
    Result<std::unique_ptr<CotFeed>> opened = OpenCotOutput(args.cot_out, geo::LocalFrame(scenario->origin), *epoch);
    if (!opened) {
      std::fprintf(stderr, "koepel run: %s\n", opened.error().message().c_str());
      return opened.error().code() == StatusCode::kInvalidArgument ? kExitBadInput : kExitFailure;
    }
    cot_out = std::move(*opened);
    outputs.Add(cot_out.get());
  }
  if (!args.record.empty()) {
    RecordOptions record;
    record.epoch_unix_ms = *epoch;
    for (const sim::ScenarioSensor& s : scenario->sensors) {
      if (s.kind == SensorKind::kEoir) record.eoir_sensors.push_back({s.name, s.position, s.max_range_m});
    }
    Result<std::unique_ptr<RunRecorder>> opened =
        RunRecorder::Open(args.record, geo::LocalFrame(scenario->origin), options.warning_regions, record);
    if (!opened) {
      std::fprintf(stderr, "koepel run: --record: %s\n", opened.error().message().c_str());
      return kExitFailure;
    }
    recorder = std::move(*opened);
    outputs.Add(recorder.get());
  }

  // Replicates on worker threads, each with its own engine and streams; results by run index, so
  // the summary is the same for any thread count. Only run 0 feeds the recorder and CoT output.
  // Real feeds are read afresh by every run and may be live: with --input, runs go one at a time.
  const int threads = specs.empty() ? WorkerThreads(args.threads, args.runs) : 1;
  std::vector<sim::RunResult> results(static_cast<size_t>(args.runs));
  std::mutex error_mutex;
  Status feed_error = OkStatus();
  const sim::RaidSource redraw = sim::RedrawGeneratedRaids();
  ProgressBar progress("koepel run", args.runs);
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  sim::ForEachRun(
      args.runs, threads,
      [&](int i) {
        sim::RunOptions run_options = options;
        run_options.bus = i == 0 && !outputs.empty() ? &outputs : nullptr;
        run_options.warning_sink = i == 0 && recorder ? &recorder->warnings() : nullptr;
        Result<std::vector<std::unique_ptr<RecordedFeed>>> feeds = OpenFeeds(specs, *scenario, i == 0);
        if (!feeds) {
          std::lock_guard<std::mutex> lock(error_mutex);
          feed_error = feeds.error();
          return;
        }
        for (auto& feed : *feeds) run_options.detection_sources.push_back(feed.get());
        results[static_cast<size_t>(i)] =
            args.redraw_raids ? sim::RunScenario(sim::ScenarioForRun(*scenario, redraw, 0, seed, i), seed, i, run_options)
                              : sim::RunScenario(*scenario, seed, i, run_options);
      },
      [&](int done) { progress.Update(done); });
  progress.Finish();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Process CPU time over all threads: a per-run cost that other load on the machine does not inflate.
  const double cpu_s = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  if (!feed_error.ok()) {
    std::fprintf(stderr, "koepel run: %s\n", feed_error.message().c_str());
    return kExitBadInput;
  }
  const sim::Summary summary = sim::Summarise(*scenario, seed, results);
  std::fputs(sim::SummaryToText(summary).c_str(), stdout);
  if (!args.no_timing && wall_s > 0) {
    std::printf("throughput %d runs in %.2f s on %d thread%s: %.1f raids per minute (%.2f CPU-s per run: %.1f raids "
                "per minute per busy core)\n",
                args.runs, wall_s, threads, threads == 1 ? "" : "s", 60.0 * args.runs / wall_s, cpu_s / args.runs,
                cpu_s > 0 ? 60.0 * args.runs / cpu_s : 0.0);
  }
  if (cot_out) {
    std::printf("cot out    %s: %lld events\n", args.cot_out.c_str(), static_cast<long long>(cot_out->sent()));
    if (!cot_out->status().ok()) {
      std::fprintf(stderr, "koepel run: --cot-out: %s\n", cot_out->status().message().c_str());
      return kExitFailure;
    }
  }
  if (recorder) {
    std::printf("recorded   %s: %lld CoT events, %lld CAP messages, %lld ASTERIX CAT062 blocks, %lld SAPIENT tasks\n",
                args.record.c_str(), static_cast<long long>(recorder->cot_files()),
                static_cast<long long>(recorder->cap_files()), static_cast<long long>(recorder->asterix_blocks()),
                static_cast<long long>(recorder->sapient_tasks()));
    if (Status s = recorder->status(); !s.ok()) {
      std::fprintf(stderr, "koepel run: --record: %s\n", s.message().c_str());
      return kExitFailure;
    }
  }

  if (!args.json.empty()) {
    std::ofstream out(args.json, std::ios::binary);
    out << sim::SummaryToJson(summary);
    if (!out) {
      std::fprintf(stderr, "koepel run: cannot write %s\n", args.json.c_str());
      return kExitFailure;
    }
  }
  if (!args.report.empty()) {
    if (Status st = WriteReport(args.report, sim::SummaryToHtml(summary)); !st.ok()) {
      std::fprintf(stderr, "koepel run: --report: %s\n", st.message().c_str());
      return kExitFailure;
    }
  }
  if (!args.events.empty()) {
    std::ofstream out(args.events, std::ios::binary);
    for (const ports::Event& e : results.front().events) {
      out << FormatSimTime(e.time) << '\t' << e.stage << '\t' << e.kind << '\t' << e.subject << '\t' << e.detail
          << '\n';
    }
    if (!out) {
      std::fprintf(stderr, "koepel run: cannot write %s\n", args.events.c_str());
      return kExitFailure;
    }
  }
  return 0;
}


}  // namespace

void AddRunCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand("run", "Simulate a scenario through the whole chain and summarise it");
  run->add_option("scenario", args->scenario, "Scenario file (YAML)")->required();
  run->add_option("--seed", args->seed, "Master seed (default: the scenario's)")
      ->each([args](const std::string&) { args->seed_given = true; });
  run->add_option("--runs", args->runs, "Monte-Carlo runs with derived seeds; figures are means")
      ->check(CLI::Range(1, 1000000));
  run->add_option("--threads", args->threads,
                  "Worker threads for the runs (default: the machine's hardware threads, at most --runs; 1 with "
                  "--input); the results do not depend on it")
      ->check(CLI::Range(1, 1024));
  run->add_option("--json", args->json, "Write the summary as JSON to FILE");
  run->add_option("--report", args->report,
                  "Write a self-contained HTML report with plots (leakers, cost by layer, exchange ratio, lead "
                  "times) to DIR/index.html");
  run->add_option("--events", args->events, "Write the first run's audit trail (one event a line) to FILE");
  run->add_flag("--no-timing", args->no_timing,
                "Do not measure chain latency (latency_ms becomes null and the JSON is byte-identical per seed)");
  run->add_flag("--redraw-raids", args->redraw_raids,
                "Draw every generated_raids entry anew for each run from the run's seed (default: the file's seed "
                "draws it once and every run flies that raid)");
  run->add_option("--input", args->inputs,
                  "Replay a real feed as one more sensor: FORMAT:FILE or FORMAT+tcp:HOST:PORT, FORMAT one of asterix, "
                  "sapient, beast, sbs (repeatable)");
  run->add_option("--record", args->record,
                  "Write the first run's output to DIR: cot/ (CoT events), cap/ (CAP 1.2 messages), "
                  "tracks-cat062.ast (ASTERIX CAT062 blocks), sapient-tasks.bin (SAPIENT look-at tasks)");
  run->add_option("--cot-out", args->cot_out,
                  "Send the first run's tracks as Cursor on Target to TAK: udp:HOST:PORT or tcp:HOST:PORT");
  run->add_option("--start-utc", args->start_utc, "UTC time of scenario time 0 in recorded output")
      ->capture_default_str();
  run->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace koepel::app
