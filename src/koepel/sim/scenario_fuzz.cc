// Fuzz target: ParseScenario on arbitrary bytes must return a value or a located error, never
// crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "koepel/sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  koepel::Result<koepel::sim::Scenario> scenario = koepel::sim::ParseScenario(text, "fuzz.yaml");
  if (scenario) {
    KOEPEL_CHECK(scenario->expected_threats() >= 0, "negative threat count");
    KOEPEL_CHECK(!scenario->assets.empty(), "a valid scenario has an asset");
    KOEPEL_CHECK(scenario->time_step <= scenario->duration, "time step beyond the duration");
  } else {
    KOEPEL_CHECK(scenario.error().code() == koepel::StatusCode::kInvalidArgument, scenario.error().message());
    KOEPEL_CHECK(scenario.error().message().rfind("fuzz.yaml:", 0) == 0, scenario.error().message());
  }
  return 0;
}
