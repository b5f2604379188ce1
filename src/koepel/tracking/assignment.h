// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The associator's engine: a sparse rectangular linear-sum-assignment solver (shortest augmenting
// path with dual potentials, the Jonker-Volgenant family as described by Crouse, 2016), and global
// nearest neighbour (GNN) built on it, with a "missed" option per track. GNN splits the gated
// bipartite graph into connected clusters first, so its cost grows with the cluster sizes, not
// with tracks x detections. The solvers keep their scratch buffers between calls.
#pragma once

#include <vector>

namespace koepel::tracking::internal {

// A sparse cost matrix in compressed-row form. Absent entries are forbidden pairs.
struct SparseCostMatrix {
  int num_rows = 0;
  int num_cols = 0;
  std::vector<int> row_start;  // size num_rows + 1; row i's entries are [row_start[i], row_start[i+1])
  std::vector<int> cols;       // column of each entry
  std::vector<double> costs;   // finite cost of each entry (may be negative)

  void Clear(int rows, int cols_count);  // keeps capacity
  void AddEntry(int col, double cost) {
    cols.push_back(col);
    costs.push_back(cost);
  }
  void EndRow() { row_start.push_back(static_cast<int>(cols.size())); }
};

// Minimises the total cost of assigning every row to a distinct column (num_rows <= num_cols).
// Ties are broken towards lower column indices, so equal inputs give equal outputs.
class SparseAssignmentSolver {
 public:
  // Writes the column of each row to col_for_row. Returns false when no complete assignment exists.
  bool Solve(const SparseCostMatrix& m, std::vector<int>* col_for_row);

 private:
  std::vector<double> u_, v_, shortest_;
  std::vector<int> path_, row4col_, touched_cols_, scanned_rows_;
  std::vector<char> scanned_col_;
};

// One scan's association problem. Track and detection indices are positions in the caller's
// arrays, which are sorted by (track id) and (detection id): lower index wins ties.
struct GatedPair {
  int track = 0;
  int detection = 0;
  double cost = 0.0;
};
struct GnnProblem {
  int num_tracks = 0;
  int num_detections = 0;
  std::vector<double> missed_cost;  // per track: the cost of leaving it unassigned
  std::vector<GatedPair> pairs;     // gated pairs, any order, at most one per (track, detection)
  void Clear(int tracks, int detections);  // keeps capacity
};
struct GnnSolution {
  std::vector<int> detection_for_track;  // -1: missed
  double cost = 0.0;
};

class GnnSolver {
 public:
  const GnnSolution& Solve(const GnnProblem& p);

 private:
  int Find(int a);
  std::vector<int> parent_, comp_of_root_, comp_start_, comp_fill_, members_, local_index_, local_cols_;
  std::vector<GatedPair> sorted_pairs_;
  std::vector<int> pair_start_;
  SparseCostMatrix matrix_;
  SparseAssignmentSolver solver_;
  std::vector<int> col_for_row_;
  GnnSolution solution_;
};

// Exhaustive search over every joint assignment: a test oracle for small problems only.
GnnSolution BruteForceGnnForTest(const GnnProblem& p);

}  // namespace koepel::tracking::internal
