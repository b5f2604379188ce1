#include "koepel/tracking/assignment.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "koepel/core/core.h"

namespace koepel::tracking::internal {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

void SparseCostMatrix::Clear(int rows, int cols_count) {
  num_rows = rows;
  num_cols = cols_count;
  row_start.clear();
  row_start.push_back(0);
  cols.clear();
  costs.clear();
}

// Shortest augmenting path: rows are added one at a time; each addition runs Dijkstra over
// reduced costs c(i,j) - u(i) - v(j) >= 0 from the new row to the nearest free column, then
// updates the potentials so reduced costs stay non-negative and flips the path. Only the columns
// touched by a search are visited and reset, which keeps sparse problems cheap.
bool SparseAssignmentSolver::Solve(const SparseCostMatrix& m, std::vector<int>* col_for_row) {
  const int n = m.num_rows;
  const int nc = m.num_cols;
  KOEPEL_CHECK(static_cast<int>(m.row_start.size()) == n + 1, "row_start must have num_rows + 1 entries");
  col_for_row->assign(n, -1);
  if (n == 0) return true;
  if (n > nc) return false;
  std::vector<int>& col4row = *col_for_row;
  u_.assign(n, 0.0);
  v_.assign(nc, 0.0);
  shortest_.assign(nc, kInf);
  path_.assign(nc, -1);
  row4col_.assign(nc, -1);
  scanned_col_.assign(nc, 0);
  touched_cols_.clear();
  scanned_rows_.clear();
  // Row minima as initial row potentials: dual feasible with v = 0 for any sign of the costs.
  for (int i = 0; i < n; ++i) {
    const int b = m.row_start[i], e = m.row_start[i + 1];
    if (b == e) return false;
    u_[i] = *std::min_element(m.costs.begin() + b, m.costs.begin() + e);
  }
  for (int cur = 0; cur < n; ++cur) {
    double min_val = 0.0;
    int i = cur;
    int sink = -1;
    while (sink < 0) {
      scanned_rows_.push_back(i);
      for (int e = m.row_start[i]; e < m.row_start[i + 1]; ++e) {
        const int j = m.cols[e];
        if (scanned_col_[j]) continue;
        const double r = min_val + m.costs[e] - u_[i] - v_[j];
        if (r < shortest_[j]) {
          if (shortest_[j] == kInf) touched_cols_.push_back(j);
          path_[j] = i;
          shortest_[j] = r;
        }
      }
      // The closest unscanned column; ties: a free column first, then the lower index.
      int best = -1;
      for (const int j : touched_cols_) {
        if (scanned_col_[j]) continue;
        if (best < 0 || shortest_[j] < shortest_[best]) {
          best = j;
        } else if (shortest_[j] == shortest_[best]) {
          const bool j_free = row4col_[j] < 0, best_free = row4col_[best] < 0;
          if ((j_free && !best_free) || (j_free == best_free && j < best)) best = j;
        }
      }
      if (best < 0) return false;  // no augmenting path: infeasible
      min_val = shortest_[best];
      scanned_col_[best] = 1;
      if (row4col_[best] < 0) {
        sink = best;
      } else {
        i = row4col_[best];
      }
    }
    u_[cur] += min_val;
    for (const int r : scanned_rows_) {
      if (r != cur) u_[r] += min_val - shortest_[col4row[r]];
    }
    for (const int j : touched_cols_) {
      if (scanned_col_[j]) v_[j] -= min_val - shortest_[j];
    }
    for (int j = sink;;) {
      const int r = path_[j];
      row4col_[j] = r;
      std::swap(col4row[r], j);
      if (r == cur) break;
    }
    for (const int j : touched_cols_) {
      shortest_[j] = kInf;
      path_[j] = -1;
      scanned_col_[j] = 0;
    }
    touched_cols_.clear();
    scanned_rows_.clear();
  }
  return true;
}

void GnnProblem::Clear(int tracks, int detections) {
  num_tracks = tracks;
  num_detections = detections;
  missed_cost.assign(tracks, 0.0);
  pairs.clear();
}

int GnnSolver::Find(int a) {
  while (parent_[a] != a) {
    parent_[a] = parent_[parent_[a]];
    a = parent_[a];
  }
  return a;
}

const GnnSolution& GnnSolver::Solve(const GnnProblem& p) {
  const int n = p.num_tracks;
  const int m = p.num_detections;
  KOEPEL_CHECK(static_cast<int>(p.missed_cost.size()) == n, "one missed cost per track");
  solution_.detection_for_track.assign(n, -1);
  solution_.cost = 0.0;
  for (int t = 0; t < n; ++t) solution_.cost += p.missed_cost[t];
  if (p.pairs.empty()) return solution_;

  // Pairs grouped by track, ascending detection inside (deterministic column order).
  sorted_pairs_.assign(p.pairs.begin(), p.pairs.end());
  std::sort(sorted_pairs_.begin(), sorted_pairs_.end(), [](const GatedPair& a, const GatedPair& b) {
    return a.track != b.track ? a.track < b.track : a.detection < b.detection;
  });
  pair_start_.assign(n + 1, 0);
  for (const GatedPair& g : sorted_pairs_) {
    KOEPEL_CHECK(g.track >= 0 && g.track < n && g.detection >= 0 && g.detection < m, "pair out of range");
    ++pair_start_[g.track + 1];
  }
  for (int t = 0; t < n; ++t) pair_start_[t + 1] += pair_start_[t];

  // Connected clusters of the gated graph (tracks are nodes [0, n), detections [n, n + m)).
  parent_.resize(n + m);
  for (int a = 0; a < n + m; ++a) parent_[a] = a;
  for (const GatedPair& g : sorted_pairs_) {
    const int ra = Find(g.track), rb = Find(n + g.detection);
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  comp_of_root_.assign(n + m, -1);
  comp_start_.clear();
  int num_comps = 0;
  local_index_.resize(n + m);  // first: component of each node
  for (int a = 0; a < n + m; ++a) {
    const int r = Find(a);
    if (comp_of_root_[r] < 0) comp_of_root_[r] = num_comps++;
    local_index_[a] = comp_of_root_[r];
  }
  comp_start_.assign(num_comps + 1, 0);
  for (int a = 0; a < n + m; ++a) ++comp_start_[local_index_[a] + 1];
  for (int c = 0; c < num_comps; ++c) comp_start_[c + 1] += comp_start_[c];
  comp_fill_.assign(comp_start_.begin(), comp_start_.end() - 1);
  members_.resize(n + m);
  for (int a = 0; a < n + m; ++a) members_[comp_fill_[local_index_[a]]++] = a;  // ascending in each

  for (int c = 0; c < num_comps; ++c) {
    const int b = comp_start_[c], e = comp_start_[c + 1];
    int nt = 0;
    while (b + nt < e && members_[b + nt] < n) ++nt;
    const int nd = e - b - nt;
    if (nt == 0 || nd == 0) continue;  // lone detection or lone track (missed)
    for (int k = 0; k < nd; ++k) local_index_[members_[b + nt + k]] = k;  // detection -> local column
    matrix_.Clear(nt, nd + nt);
    for (int r = 0; r < nt; ++r) {
      const int t = members_[b + r];
      for (int q = pair_start_[t]; q < pair_start_[t + 1]; ++q) {
        matrix_.AddEntry(local_index_[n + sorted_pairs_[q].detection], sorted_pairs_[q].cost);
      }
      // This track's own "missed" column. Dummies go in reverse track order: when two tracks tie
      // for one detection, the search then prefers to move the later track to its miss, so the
      // lower track id keeps the detection.
      matrix_.AddEntry(nd + (nt - 1 - r), p.missed_cost[t]);
      matrix_.EndRow();
    }
    const bool ok = solver_.Solve(matrix_, &col_for_row_);
    KOEPEL_CHECK(ok, "GNN with missed columns is always feasible");
    for (int r = 0; r < nt; ++r) {
      const int t = members_[b + r];
      const int col = col_for_row_[r];
      if (col >= nd) continue;
      const int det = members_[b + nt + col] - n;
      solution_.detection_for_track[t] = det;
      for (int q = pair_start_[t]; q < pair_start_[t + 1]; ++q) {
        if (sorted_pairs_[q].detection == det) solution_.cost += sorted_pairs_[q].cost - p.missed_cost[t];
      }
    }
  }
  return solution_;
}

namespace {
void BruteForceRecurse(const GnnProblem& p, const std::vector<std::vector<GatedPair>>& by_track, int t,
                       double cost, std::vector<int>& current, std::vector<char>& used, GnnSolution& best) {
  if (t == p.num_tracks) {
    if (cost < best.cost) {
      best.cost = cost;
      best.detection_for_track = current;
    }
    return;
  }
  current[t] = -1;
  BruteForceRecurse(p, by_track, t + 1, cost + p.missed_cost[t], current, used, best);
  for (const GatedPair& g : by_track[t]) {
    if (used[g.detection]) continue;
    used[g.detection] = 1;
    current[t] = g.detection;
    BruteForceRecurse(p, by_track, t + 1, cost + g.cost, current, used, best);
    used[g.detection] = 0;
  }
  current[t] = -1;
}
}  // namespace

GnnSolution BruteForceGnnForTest(const GnnProblem& p) {
  std::vector<std::vector<GatedPair>> by_track(p.num_tracks);
  for (const GatedPair& g : p.pairs) by_track[g.track].push_back(g);
  GnnSolution best;
  best.cost = kInf;
  std::vector<int> current(p.num_tracks, -1);
  std::vector<char> used(p.num_detections, 0);
  BruteForceRecurse(p, by_track, 0, 0.0, current, used, best);
  return best;
}

}  // namespace koepel::tracking::internal
