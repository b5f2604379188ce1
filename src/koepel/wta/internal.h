// IWYU pragma: private, include "koepel/wta/wta.h"
// Helpers shared inside the wta module, and the brute-force test oracle.
#pragma once

#include <vector>

#include "koepel/wta/wta.h"

namespace koepel::wta::internal {

// Exhaustive enumeration of every feasible shot matrix: the exact optimum of tiny problems
// (KOEPEL_CHECKs W * T <= 16 and every magazine <= 3). Test oracle only.
WtaSolution SolveExactForTest(const WtaProblem& problem);

// Local search (descent + seeded kicks) from a feasible `start` with a budget of move evaluations;
// returns the best shot matrix found (never worse than `start`).
std::vector<int> LocalSearchFrom(const WtaProblem& problem, const std::vector<int>& start, int64_t evaluations,
                                 uint64_t seed);

// The Lagrangian lower bound L(lambda) of the whole problem for multipliers lambda >= 0 (one per
// weapon): a valid lower bound on the optimum for any such lambda. Exposed for tests.
double LagrangianBound(const WtaProblem& problem, const std::vector<double>& lambda);

}  // namespace koepel::wta::internal
