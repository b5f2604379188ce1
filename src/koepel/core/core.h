// koepel/core/core.h
//
// The vocabulary every other module speaks: errors as values (Status, Result<T>), integer time
// (SimTime, Duration), typed ids, seeded random streams and always-on checks. No I/O, no clocks.
//
// Example:
//   Result<double> ParseRange(std::string_view s);
//   KOEPEL_ASSIGN_OR_RETURN(double r, ParseRange(text));
//   Rng rng = Rng::ForComponent(master_seed, run_index, "radar-1");
//   double noise = rng.Normal(0.0, sigma);
#pragma once

#include "koepel/core/check.h"   // IWYU pragma: export
#include "koepel/core/ids.h"     // IWYU pragma: export
#include "koepel/core/random.h"  // IWYU pragma: export
#include "koepel/core/status.h"  // IWYU pragma: export
#include "koepel/core/time.h"    // IWYU pragma: export
