// OSPA and GOSPA (alpha = 2) between a truth set and an estimate set, over one optimal assignment.
#include <algorithm>
#include <cmath>
#include <vector>

#include "koepel/tracking/assignment.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking {

PictureMetrics ScorePicture(std::span<const Vec3> truth, std::span<const Vec3> estimates, double cutoff_m,
                            double order_p) {
  KOEPEL_CHECK(cutoff_m > 0.0 && order_p >= 1.0, "ScorePicture needs cutoff > 0 and order >= 1");
  PictureMetrics out;
  const int m = static_cast<int>(truth.size());
  const int n = static_cast<int>(estimates.size());
  const double cp = std::pow(cutoff_m, order_p);
  if (m == 0 && n == 0) return out;

  // Rows are the smaller set so that every row is assigned. Both OSPA and GOSPA with alpha = 2
  // are minimised by the assignment of cost min(d, c)^p: a pair at d >= c costs c^p either as a
  // pair or as one missed plus one false (2 x c^p / 2).
  const bool truth_rows = m <= n;
  const std::span<const Vec3> rows = truth_rows ? truth : estimates;
  const std::span<const Vec3> cols = truth_rows ? estimates : truth;
  internal::SparseCostMatrix matrix;
  matrix.Clear(static_cast<int>(rows.size()), static_cast<int>(cols.size()));
  for (const Vec3& a : rows) {
    for (int j = 0; j < static_cast<int>(cols.size()); ++j) {
      matrix.AddEntry(j, std::pow(std::min((a - cols[j]).norm(), cutoff_m), order_p));
    }
    matrix.EndRow();
  }
  std::vector<int> col_for_row;
  internal::SparseAssignmentSolver solver;
  const bool ok = solver.Solve(matrix, &col_for_row);
  KOEPEL_CHECK(ok, "a dense assignment is always feasible");

  double capped_sum = 0.0, localisation = 0.0;
  int matched = 0;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const double d = (rows[i] - cols[col_for_row[i]]).norm();
    if (d < cutoff_m) {
      const double dp = std::pow(d, order_p);
      localisation += dp;
      capped_sum += dp;
      ++matched;
    } else {
      capped_sum += cp;
    }
  }
  const int unmatched_by_size = std::abs(m - n);
  out.ospa_m = std::pow((capped_sum + cp * unmatched_by_size) / std::max(m, n), 1.0 / order_p);
  out.missed = m - matched;
  out.false_tracks = n - matched;
  out.gospa_m = std::pow(localisation + 0.5 * cp * (out.missed + out.false_tracks), 1.0 / order_p);
  out.localisation_m = std::pow(localisation, 1.0 / order_p);
  return out;
}

}  // namespace koepel::tracking
