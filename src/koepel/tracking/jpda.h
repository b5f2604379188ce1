// IWYU pragma: private, include "koepel/tracking/tracking.h"
// Joint probabilistic data association (JPDA): the marginal probability that each gated detection
// belongs to each track, and that a track was missed, over all joint association events of one
// scan. The gated bipartite graph is split into connected clusters; a cluster's joint events are
// enumerated exactly while they number at most `max_events`, otherwise its marginals come from
// loopy belief propagation (Williams and Lau, "Approximate evaluation of marginal association
// probabilities with belief propagation", IEEE TAES 2014), which is exact on cluster trees and
// close elsewhere. The solver keeps its scratch buffers between calls.
#pragma once

#include <vector>

namespace koepel::tracking::internal {

// One gated (track, detection) pair. log_weight is the log likelihood ratio of "detection j is
// track t's return" against "detection j is clutter": ln(P_D g_tj / lambda_j), g_tj the Gaussian
// innovation density and lambda_j the clutter density at detection j (both in measurement units).
struct JpdaPair {
  int track = 0;
  int detection = 0;
  double log_weight = 0.0;
};
struct JpdaProblem {
  int num_tracks = 0;
  int num_detections = 0;
  std::vector<double> log_missed_weight;  // per track: ln(1 - P_D P_G)
  std::vector<JpdaPair> pairs;            // any order, at most one per (track, detection)
  void Clear(int tracks, int detections);  // keeps capacity
};

// A joint event assigns each track at most one of its gated detections and each detection to at
// most one track; its weight is the product of the missed weights of the unassigned tracks and
// the pair weights of the assigned ones. Marginals are weights summed over the events that hold
// the pair (or the miss), divided by the sum over all events.
struct JpdaMarginal {
  int detection = 0;
  double probability = 0.0;
};
struct JpdaSolution {
  std::vector<double> missed_probability;  // per track: beta_0 (1 for a track without gated pairs)
  std::vector<int> pair_start;             // per track t: marginals [pair_start[t], pair_start[t + 1])
  std::vector<JpdaMarginal> marginals;     // per track, ascending detection
  int exact_clusters = 0;                  // clusters enumerated exactly
  int approximate_clusters = 0;            // clusters over max_events, by belief propagation
};

class JpdaSolver {
 public:
  // Clusters with more joint events than this use the belief-propagation approximation.
  explicit JpdaSolver(int max_events = 20000) : max_events_(max_events) {}
  const JpdaSolution& Solve(const JpdaProblem& p);

 private:
  int Find(int a);
  // Writes the cluster's marginals into solution_ (slots of tracks_ / options_); false when the
  // cluster has more than max_events_ joint events (nothing written).
  bool Enumerate();
  void BeliefPropagation();
  void Recurse(int t, double w);

  int max_events_;
  std::vector<int> parent_, comp_of_node_, comp_start_, comp_fill_, members_, local_det_;
  std::vector<JpdaPair> sorted_;
  std::vector<int> pair_start_;
  // The cluster being solved: tracks (global index), their options (slot per gated pair, weights
  // normalised per track so the largest option of each track is 1).
  std::vector<int> tracks_;
  std::vector<int> option_start_;       // per local track
  std::vector<int> option_det_;         // local detection of each option
  std::vector<double> option_w_, missed_w_;
  int num_local_dets_ = 0;
  // Enumeration state.
  std::vector<char> det_taken_;
  std::vector<int> choice_;             // per local track: option index, or -1 for missed
  std::vector<double> option_acc_, missed_acc_;
  double total_ = 0.0;
  long events_ = 0;
  bool aborted_ = false;
  // Belief-propagation messages, one per option.
  std::vector<double> mu_, nu_, det_sum_;
  JpdaSolution solution_;
};

// Sums over every joint event by brute force (no clustering, no pruning): a test oracle for
// small problems. Same layout as JpdaSolver's solution.
JpdaSolution BruteForceJpdaForTest(const JpdaProblem& p);

}  // namespace koepel::tracking::internal
