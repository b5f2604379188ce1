// IWYU pragma: private, include "koepel/wta/wta.h"
// Helpers shared inside the wta module, and the brute-force test oracle.
#pragma once

#include <vector>

#include "koepel/wta/wta.h"

namespace koepel::wta::internal {

// Even-odd point-in-polygon test in the local frame.
bool InsidePolygon(const std::vector<Vec2>& polygon, const Vec2& point);

// Exhaustive enumeration of every feasible shot matrix: the exact optimum of tiny problems
// (KOEPEL_CHECKs W * T <= 16 and every magazine <= 3). Test oracle only.
WtaSolution SolveExactForTest(const WtaProblem& problem);

}  // namespace koepel::wta::internal
