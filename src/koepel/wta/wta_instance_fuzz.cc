// libFuzzer entry for the WTA instance parser: any bytes either parse into a consistent problem or
// give a located error; small parsed problems also go through the objective and greedy.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/wta/wta.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = koepel::wta::ParseWtaInstance(text, "fuzz.wta");
  if (!parsed.has_value()) {
    KOEPEL_CHECK(parsed.error().message().rfind("fuzz.wta:", 0) == 0, "error without a location");
    return 0;
  }
  const koepel::wta::WtaProblem& pr = *parsed;
  KOEPEL_CHECK(pr.weapons > 0 && pr.targets > 0, "parsed an empty problem");
  KOEPEL_CHECK(pr.pk.size() == static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets), "pk shape");
  if (static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets) <= 400) {
    const koepel::wta::WtaSolution greedy = koepel::wta::SolveGreedy(pr);
    const double none = koepel::wta::Objective(pr, std::vector<int>(pr.pk.size(), 0));
    KOEPEL_CHECK(greedy.objective <= none + 1e-9 * (1.0 + none), "greedy worse than firing nothing");
  }
  return 0;
}
