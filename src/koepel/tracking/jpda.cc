#include "koepel/tracking/jpda.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "koepel/core/core.h"

namespace koepel::tracking::internal {

void JpdaProblem::Clear(int tracks, int detections) {
  num_tracks = tracks;
  num_detections = detections;
  log_missed_weight.assign(tracks, 0.0);
  pairs.clear();
}

int JpdaSolver::Find(int a) {
  while (parent_[a] != a) {
    parent_[a] = parent_[parent_[a]];
    a = parent_[a];
  }
  return a;
}

const JpdaSolution& JpdaSolver::Solve(const JpdaProblem& p) {
  const int n = p.num_tracks, m = p.num_detections;
  KOEPEL_CHECK(static_cast<int>(p.log_missed_weight.size()) == n, "one missed weight per track");
  solution_.missed_probability.assign(n, 1.0);
  solution_.pair_start.assign(n + 1, 0);
  solution_.marginals.clear();
  solution_.exact_clusters = solution_.approximate_clusters = 0;

  sorted_.assign(p.pairs.begin(), p.pairs.end());
  std::sort(sorted_.begin(), sorted_.end(), [](const JpdaPair& a, const JpdaPair& b) {
    return a.track != b.track ? a.track < b.track : a.detection < b.detection;
  });
  pair_start_.assign(n + 1, 0);
  for (const JpdaPair& g : sorted_) {
    KOEPEL_CHECK(g.track >= 0 && g.track < n && g.detection >= 0 && g.detection < m, "pair out of range");
    KOEPEL_CHECK(std::isfinite(g.log_weight), "finite pair weight");
    ++pair_start_[g.track + 1];
  }
  for (int t = 0; t < n; ++t) pair_start_[t + 1] += pair_start_[t];
  // The marginals share the sorted pairs' layout.
  solution_.pair_start = pair_start_;
  solution_.marginals.resize(sorted_.size());
  for (size_t q = 0; q < sorted_.size(); ++q) solution_.marginals[q] = {sorted_[q].detection, 0.0};
  if (sorted_.empty()) return solution_;

  // Connected clusters (tracks are nodes [0, n), detections [n, n + m)).
  parent_.resize(n + m);
  for (int a = 0; a < n + m; ++a) parent_[a] = a;
  for (const JpdaPair& g : sorted_) {
    const int ra = Find(g.track), rb = Find(n + g.detection);
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  comp_of_node_.assign(n + m, -1);
  int num_comps = 0;
  std::vector<int>& comp_of_root = local_det_;  // reused as scratch here
  comp_of_root.assign(n + m, -1);
  for (int a = 0; a < n + m; ++a) {
    const int r = Find(a);
    if (comp_of_root[r] < 0) comp_of_root[r] = num_comps++;
    comp_of_node_[a] = comp_of_root[r];
  }
  comp_start_.assign(num_comps + 1, 0);
  for (int a = 0; a < n + m; ++a) ++comp_start_[comp_of_node_[a] + 1];
  for (int c = 0; c < num_comps; ++c) comp_start_[c + 1] += comp_start_[c];
  comp_fill_.assign(comp_start_.begin(), comp_start_.end() - 1);
  members_.resize(n + m);
  for (int a = 0; a < n + m; ++a) members_[comp_fill_[comp_of_node_[a]]++] = a;  // ascending in each
  local_det_.assign(m, -1);

  for (int c = 0; c < num_comps; ++c) {
    const int b = comp_start_[c], e = comp_start_[c + 1];
    int nt = 0;
    while (b + nt < e && members_[b + nt] < n) ++nt;
    const int nd = e - b - nt;
    if (nt == 0 || nd == 0) continue;  // lone detection, or lone track (missed with probability 1)
    for (int k = 0; k < nd; ++k) local_det_[members_[b + nt + k] - n] = k;
    tracks_.assign(members_.begin() + b, members_.begin() + b + nt);
    num_local_dets_ = nd;
    option_start_.assign(1, 0);
    option_det_.clear();
    option_w_.clear();
    missed_w_.clear();
    for (const int t : tracks_) {
      // Weights scaled per track (every event holds exactly one option of each track, so this
      // scales all events alike) to keep products in range.
      double top = p.log_missed_weight[t];
      for (int q = pair_start_[t]; q < pair_start_[t + 1]; ++q) top = std::max(top, sorted_[q].log_weight);
      missed_w_.push_back(std::exp(p.log_missed_weight[t] - top));
      for (int q = pair_start_[t]; q < pair_start_[t + 1]; ++q) {
        option_det_.push_back(local_det_[sorted_[q].detection]);
        option_w_.push_back(std::exp(sorted_[q].log_weight - top));
      }
      option_start_.push_back(static_cast<int>(option_det_.size()));
    }
    if (Enumerate()) {
      ++solution_.exact_clusters;
    } else {
      BeliefPropagation();
      ++solution_.approximate_clusters;
    }
    // option_acc_ / missed_acc_ now hold the cluster's normalised marginals.
    for (int r = 0; r < nt; ++r) {
      const int t = tracks_[r];
      solution_.missed_probability[t] = missed_acc_[r];
      for (int o = option_start_[r]; o < option_start_[r + 1]; ++o) {
        solution_.marginals[pair_start_[t] + (o - option_start_[r])].probability = option_acc_[o];
      }
    }
  }
  return solution_;
}

void JpdaSolver::Recurse(int t, double w) {
  if (aborted_) return;
  const int nt = static_cast<int>(tracks_.size());
  if (t == nt) {
    if (++events_ > max_events_) {
      aborted_ = true;
      return;
    }
    total_ += w;
    for (int r = 0; r < nt; ++r) {
      if (choice_[r] < 0) {
        missed_acc_[r] += w;
      } else {
        option_acc_[choice_[r]] += w;
      }
    }
    return;
  }
  choice_[t] = -1;
  Recurse(t + 1, w * missed_w_[t]);
  for (int o = option_start_[t]; o < option_start_[t + 1]; ++o) {
    const int d = option_det_[o];
    if (det_taken_[d]) continue;
    det_taken_[d] = 1;
    choice_[t] = o;
    Recurse(t + 1, w * option_w_[o]);
    det_taken_[d] = 0;
  }
  choice_[t] = -1;
}

bool JpdaSolver::Enumerate() {
  const int nt = static_cast<int>(tracks_.size());
  // An upper bound on the events first: a cluster that is obviously too big is not tried.
  double bound = 1.0;
  for (int r = 0; r < nt && bound <= 1e18; ++r) bound *= 1.0 + (option_start_[r + 1] - option_start_[r]);
  if (bound > 64.0 * max_events_) return false;
  det_taken_.assign(num_local_dets_, 0);
  choice_.assign(nt, -1);
  option_acc_.assign(option_w_.size(), 0.0);
  missed_acc_.assign(nt, 0.0);
  total_ = 0.0;
  events_ = 0;
  aborted_ = false;
  Recurse(0, 1.0);
  if (aborted_) return false;
  // total_ > 0: the all-missed event alone has weight prod(missed_w_) > 0 unless a missed weight
  // underflowed, in which case the best option's weight (1) keeps some event positive.
  KOEPEL_CHECK(total_ > 0.0, "JPDA cluster without a positive-weight event");
  for (double& a : option_acc_) a /= total_;
  for (double& a : missed_acc_) a /= total_;
  return true;
}

// Messages between tracks and detections (Williams and Lau 2014, weights relative to "clutter",
// whose weight is 1): mu_{t->j} = w_tj / (w_t0 + sum_{j' != j} w_tj' nu_{j'->t}),
// nu_{j->t} = 1 / (1 + sum_{t' != t} mu_{t'->j}). Iterated to a fixed point (it converges), then
// P(t -> j) = w_tj nu_{j->t} / (w_t0 + sum_j' w_tj' nu_{j'->t}).
void JpdaSolver::BeliefPropagation() {
  const int nt = static_cast<int>(tracks_.size());
  const size_t no = option_w_.size();
  nu_.assign(no, 1.0);
  mu_.assign(no, 0.0);
  det_sum_.assign(num_local_dets_, 0.0);
  for (int iter = 0; iter < 1000; ++iter) {
    for (int r = 0; r < nt; ++r) {
      double s = missed_w_[r];
      for (int o = option_start_[r]; o < option_start_[r + 1]; ++o) s += option_w_[o] * nu_[o];
      for (int o = option_start_[r]; o < option_start_[r + 1]; ++o) {
        mu_[o] = option_w_[o] / std::max(s - option_w_[o] * nu_[o], std::numeric_limits<double>::min());
      }
    }
    std::fill(det_sum_.begin(), det_sum_.end(), 1.0);
    for (size_t o = 0; o < no; ++o) det_sum_[option_det_[o]] += mu_[o];
    double change = 0.0;
    for (size_t o = 0; o < no; ++o) {
      const double next = 1.0 / (det_sum_[option_det_[o]] - mu_[o]);
      change = std::max(change, std::abs(next - nu_[o]) / std::max(next, nu_[o]));
      nu_[o] = next;
    }
    if (change < 1e-12) break;
  }
  option_acc_.assign(no, 0.0);
  missed_acc_.assign(nt, 0.0);
  for (int r = 0; r < nt; ++r) {
    double s = missed_w_[r];
    for (int o = option_start_[r]; o < option_start_[r + 1]; ++o) s += option_w_[o] * nu_[o];
    missed_acc_[r] = missed_w_[r] / s;
    for (int o = option_start_[r]; o < option_start_[r + 1]; ++o) option_acc_[o] = option_w_[o] * nu_[o] / s;
  }
}

JpdaSolution BruteForceJpdaForTest(const JpdaProblem& p) {
  const int n = p.num_tracks, m = p.num_detections;
  // Dense log-weight table; -inf marks a pair outside the gate.
  const double kNone = -std::numeric_limits<double>::infinity();
  std::vector<double> lw(static_cast<size_t>(n) * m, kNone);
  for (const JpdaPair& g : p.pairs) lw[static_cast<size_t>(g.track) * m + g.detection] = g.log_weight;
  // Every a in {-1, 0, .., m-1}^n, as an odometer; two passes (the largest event log-weight
  // first, then the sums relative to it) so that huge weights do not overflow.
  std::vector<double> missed(n, 0.0), pair(static_cast<size_t>(n) * m, 0.0);
  double top = kNone, total = 0.0;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<int> a(n, -1);
    while (true) {
      bool ok = true;
      double logw = 0.0;
      for (int t = 0; t < n && ok; ++t) {
        if (a[t] < 0) {
          logw += p.log_missed_weight[t];
          continue;
        }
        if (lw[static_cast<size_t>(t) * m + a[t]] == kNone) ok = false;
        for (int u = 0; u < t && ok; ++u) ok = a[u] != a[t];
        if (ok) logw += lw[static_cast<size_t>(t) * m + a[t]];
      }
      if (ok && pass == 0) top = std::max(top, logw);
      if (ok && pass == 1) {
        const double w = std::exp(logw - top);
        total += w;
        for (int t = 0; t < n; ++t) {
          if (a[t] < 0) {
            missed[t] += w;
          } else {
            pair[static_cast<size_t>(t) * m + a[t]] += w;
          }
        }
      }
      int t = 0;
      while (t < n && a[t] == m - 1) a[t++] = -1;
      if (t == n) break;
      ++a[t];
    }
  }
  JpdaSolution s;
  s.missed_probability.resize(n);
  s.pair_start.assign(n + 1, 0);
  for (int t = 0; t < n; ++t) {
    s.missed_probability[t] = missed[t] / total;
    for (int j = 0; j < m; ++j) {
      if (lw[static_cast<size_t>(t) * m + j] != kNone) s.marginals.push_back({j, pair[static_cast<size_t>(t) * m + j] / total});
    }
    s.pair_start[t + 1] = static_cast<int>(s.marginals.size());
  }
  return s;
}

}  // namespace koepel::tracking::internal
