// Feeds arbitrary bytes to every parser of the tracking benchmark format: a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "koepel/adapters/tracking_csv/tracking_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace koepel::adapters;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  BenchmarkParams params;
  params.scenario.n_scans = 10;
  auto dets = ParseDetectionsCsv(text, "fuzz.csv", params);
  if (dets.has_value()) {
    if (dets->size() != 10u) __builtin_trap();
    for (const auto& scan : *dets) {
      for (const koepel::Detection& d : scan) {
        if (!d.measurement.z.allFinite()) __builtin_trap();
      }
    }
  }
  (void)ParseTruthCsv(text, "fuzz.csv");
  auto tracks = ParseTracksCsv(text, "fuzz.csv");
  if (tracks.has_value() && !ParseTracksCsv(FormatTracksCsv(*tracks), "re.csv").has_value()) __builtin_trap();
  auto p = ParseBenchmarkParams(text, "fuzz.json");
  if (p.has_value() && p->scenario.n_scans < 1) __builtin_trap();
  return 0;
}
