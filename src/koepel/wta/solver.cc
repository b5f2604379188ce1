// Static WTA solvers: objective, greedy maximal marginal return, local search, brute force.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "koepel/wta/internal.h"
#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

size_t At(const WtaProblem& pr, int i, int j) {
  return static_cast<size_t>(i) * static_cast<size_t>(pr.targets) + static_cast<size_t>(j);
}

void CheckShape(const WtaProblem& pr) {
  KOEPEL_CHECK(pr.weapons >= 0 && pr.targets >= 0, "negative problem size");
  KOEPEL_CHECK(pr.value.size() == static_cast<size_t>(pr.targets), "value size != targets");
  KOEPEL_CHECK(pr.cost.size() == static_cast<size_t>(pr.weapons), "cost size != weapons");
  KOEPEL_CHECK(pr.magazine.size() == static_cast<size_t>(pr.weapons), "magazine size != weapons");
  KOEPEL_CHECK(pr.pk.size() == static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets),
               "pk size != weapons x targets");
}

// Wall time for the report field only; it never steers a search.
double ElapsedMs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Incremental state of a shot matrix: survival per target and shots per weapon.
class State {
 public:
  explicit State(const WtaProblem& pr) : pr_(pr) {
    x_.assign(static_cast<size_t>(pr.weapons) * static_cast<size_t>(pr.targets), 0);
    used_.assign(static_cast<size_t>(pr.weapons), 0);
    q_.assign(static_cast<size_t>(pr.targets), 1.0);
  }
  void Load(const std::vector<int>& shots) {
    x_ = shots;
    for (int i = 0; i < pr_.weapons; ++i) {
      int u = 0;
      for (int j = 0; j < pr_.targets; ++j) u += x_[At(pr_, i, j)];
      used_[static_cast<size_t>(i)] = u;
    }
    for (int j = 0; j < pr_.targets; ++j) Recompute(j);
  }
  const std::vector<int>& shots() const { return x_; }
  int x(int i, int j) const { return x_[At(pr_, i, j)]; }
  int used(int i) const { return used_[static_cast<size_t>(i)]; }
  double q(int j) const { return q_[static_cast<size_t>(j)]; }

  // Survival of target j with one shot of weapon i removed (x_ij >= 1).
  double QWithout(int i, int j) const {
    const double keep = 1.0 - pr_.p(i, j);
    if (keep > 1e-3) return q(j) / keep;
    double s = 1.0;
    for (int w = 0; w < pr_.weapons; ++w) {
      const int n = x(w, j) - (w == i ? 1 : 0);
      for (int k = 0; k < n; ++k) s *= 1.0 - pr_.p(w, j);
    }
    return s;
  }
  void Add(int i, int j) {
    ++x_[At(pr_, i, j)];
    ++used_[static_cast<size_t>(i)];
    q_[static_cast<size_t>(j)] *= 1.0 - pr_.p(i, j);
  }
  void Remove(int i, int j) {
    --x_[At(pr_, i, j)];
    --used_[static_cast<size_t>(i)];
    Recompute(j);
  }
  void Recompute(int j) {
    double s = 1.0;
    for (int w = 0; w < pr_.weapons; ++w) {
      for (int k = 0, n = x(w, j); k < n; ++k) s *= 1.0 - pr_.p(w, j);
    }
    q_[static_cast<size_t>(j)] = s;
  }

 private:
  const WtaProblem& pr_;
  std::vector<int> x_;
  std::vector<int> used_;
  std::vector<double> q_;
};

// Greedy with one of two ranking keys: net return (gain - cost) or return per unit of cost.
std::vector<int> Greedy(const WtaProblem& pr, bool per_unit_cost) {
  State s(pr);
  const int W = pr.weapons;
  const int T = pr.targets;
  auto key = [&](int i, int j) {
    const double gain = pr.value[static_cast<size_t>(j)] * s.q(j) * pr.p(i, j);
    const double net = gain - pr.cost[static_cast<size_t>(i)];
    if (!(net > 0.0)) return -std::numeric_limits<double>::infinity();
    if (!per_unit_cost) return net;
    const double c = pr.cost[static_cast<size_t>(i)];
    return c > 0.0 ? gain / c : gain * 1e12;  // free shots first, by return
  };
  // Each weapon's best target; only weapons whose best target just changed need a rescan, since a
  // shot only lowers the return of its own target.
  std::vector<int> best_target(static_cast<size_t>(W), -1);
  std::vector<double> best_key(static_cast<size_t>(W), -std::numeric_limits<double>::infinity());
  auto rescan = [&](int i) {
    best_target[static_cast<size_t>(i)] = -1;
    best_key[static_cast<size_t>(i)] = -std::numeric_limits<double>::infinity();
    if (s.used(i) >= pr.magazine[static_cast<size_t>(i)]) return;
    for (int j = 0; j < T; ++j) {
      const double k = key(i, j);
      if (k > best_key[static_cast<size_t>(i)]) {
        best_key[static_cast<size_t>(i)] = k;
        best_target[static_cast<size_t>(i)] = j;
      }
    }
  };
  for (int i = 0; i < W; ++i) rescan(i);
  while (true) {
    int bi = -1;
    for (int i = 0; i < W; ++i) {
      if (best_target[static_cast<size_t>(i)] < 0) continue;
      if (bi < 0 || best_key[static_cast<size_t>(i)] > best_key[static_cast<size_t>(bi)]) bi = i;
    }
    if (bi < 0) break;
    const int bj = best_target[static_cast<size_t>(bi)];
    s.Add(bi, bj);
    for (int i = 0; i < W; ++i) {
      if (i == bi || best_target[static_cast<size_t>(i)] == bj) rescan(i);
    }
  }
  return s.shots();
}

// Local search with O(1) move evaluation. Per target it keeps the survival product q_j and the
// weapons firing at it; per weapon the three targets where one more shot would save most
// (V_t q_t p_it), kept up to date on every change of a q_t (a change touches one column, so only
// that target's entry can move in each weapon's list). A move of shot (i, j) is the best of:
//   drop      remove it (pays when its cost exceeds what it saves),
//   relocate  fire it at another target k,
//   chain     fire it at k and move one shot (i2, k) that is then worth less to a target l (l = j:
//             a swap) or drop it: an ejection chain of length two.
// A weapon with a free round has a virtual shot (j = -1) whose removal "saves" its cost.
// The descent works from a queue of weapons whose moves may have changed; iterated local search
// then ruins a few shots, recreates them greedily away from their old targets and descends again,
// keeping the result when it is better (else undoing it from a journal).
// Queuing every weapon that would gain by moving to a target whose survival rose made each kick
// cost a full pass; measured worse at equal time on the public set.
constexpr bool kEnqueueOnGain = false;

class Search {
 public:
  using Clock = std::chrono::steady_clock;

  Search(const WtaProblem& pr, int64_t budget, std::optional<Clock::time_point> deadline)
      : pr_(pr), W_(pr.weapons), T_(pr.targets), budget_(budget), deadline_(deadline) {
    x_.assign(static_cast<size_t>(W_) * static_cast<size_t>(T_), 0);
    q_.assign(static_cast<size_t>(T_), 1.0);
    load_.assign(static_cast<size_t>(W_), 0);
    owners_.assign(static_cast<size_t>(T_), {});
    aim_.assign(static_cast<size_t>(W_), {});
    top_.assign(static_cast<size_t>(W_), {});
    dirty_.assign(static_cast<size_t>(W_), 1);
    last_.assign(static_cast<size_t>(W_), std::numeric_limits<double>::infinity());
    member_.assign(x_.size(), 0);
    pt_.resize(x_.size());
    for (int i = 0; i < W_; ++i) {
      for (int j = 0; j < T_; ++j) {
        pt_[static_cast<size_t>(j) * static_cast<size_t>(W_) + static_cast<size_t>(i)] = P(i, j);
      }
    }
    queued_.assign(static_cast<size_t>(W_), 0);
    double total = 0.0;
    for (double v : pr.value) total += std::abs(v);
    for (double c : pr.cost) total += std::abs(c);
    eps_ = 1e-12 * std::max(1.0, total);
  }

  void Load(const std::vector<int>& shots) {
    for (int i = 0; i < W_; ++i) {
      for (int j = 0; j < T_; ++j) {
        for (int n = shots[At(pr_, i, j)]; n > 0; --n) Add(i, j);
      }
    }
    journal_.clear();
  }
  std::vector<int> Shots() const { return x_; }
  // F from the maintained survivals: O(W + T), exact up to the rounding of the products.
  double Value() const {
    double f = 0.0;
    for (int j = 0; j < T_; ++j) f += V(j) * q_[static_cast<size_t>(j)];
    for (int i = 0; i < W_; ++i) f += C(i) * load_[static_cast<size_t>(i)];
    return f;
  }
  int64_t work() const { return work_; }
  void Charge(int64_t n) { work_ += n; }
  bool Exhausted() {
    if (work_ >= budget_) return true;
    if (deadline_ && work_ >= next_clock_check_) {
      next_clock_check_ = work_ + 256;
      if (Clock::now() >= *deadline_) budget_ = work_;  // stop here (and stay stopped)
    }
    return work_ >= budget_;
  }

  // Descends to a local optimum of drop / relocate / chain moves from the queued weapons.
  void Descend() {
    while (!queue_.empty() && !Exhausted()) {
      const int i = queue_.front();
      queue_.pop_front();
      queued_[static_cast<size_t>(i)] = 0;
      if (ImproveWeapon(i)) Enqueue(i);
    }
  }
  void EnqueueAll() {
    for (int i = 0; i < W_; ++i) Enqueue(i);
  }

  // Ruin and recreate: removes `count` random shots and refires each freed round (and any other
  // free one) greedily by net return, never at the target it left.
  void Perturb(Rng& rng, int count) {
    std::vector<std::pair<int, int>> freed;
    for (int n = 0; n < count; ++n) {
      const int i = static_cast<int>(rng.UniformInt(0, W_ - 1));
      const auto& aims = aim_[static_cast<size_t>(i)];
      if (aims.empty()) continue;
      const int j = aims[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(aims.size()) - 1))];
      Remove(i, j);
      freed.emplace_back(i, j);
    }
    Charge(static_cast<int64_t>(count) * 4);
    while (true) {
      size_t best = freed.size();
      double best_net = eps_;
      int best_t = -1;
      for (size_t n = 0; n < freed.size(); ++n) {
        const auto [i, j] = freed[n];
        if (i < 0 || load_[static_cast<size_t>(i)] >= pr_.magazine[static_cast<size_t>(i)]) continue;
        const Cand c = BestTarget(i, j, -1);
        if (c.t >= 0 && c.gain - C(i) > best_net) {
          best_net = c.gain - C(i);
          best = n;
          best_t = c.t;
        }
      }
      if (best == freed.size()) break;
      Add(freed[best].first, best_t);
      freed[best].first = -1;
    }
    for (const auto& [i, j] : freed) {
      if (i >= 0) Enqueue(i);
    }
  }

  void Checkpoint() { journal_.clear(); }
  size_t Mark() const { return journal_.size(); }
  // Undoes every change after `mark` (0: back to the last checkpoint).
  void Revert(size_t mark = 0) {
    while (journal_.size() > mark) {
      const Step st = journal_.back();
      journal_.pop_back();
      if (st.add) {
        RemoveRaw(st.i, st.j);
      } else {
        AddRaw(st.i, st.j);
      }
    }
    queue_.clear();
    std::fill(queued_.begin(), queued_.end(), 0);
  }

 private:
  struct Cand {
    double gain = -std::numeric_limits<double>::infinity();
    int t = -1;
  };
  static constexpr int kTop = 8;
  struct TopList {
    std::array<Cand, kTop> c{};
    int size = 0;
  };
  struct Step {
    int i;
    int j;
    bool add;
  };

  double V(int j) const { return pr_.value[static_cast<size_t>(j)]; }
  double C(int i) const { return pr_.cost[static_cast<size_t>(i)]; }
  double P(int i, int j) const { return pr_.pk[At(pr_, i, j)]; }
  double Gain(int i, int t) const { return V(t) * q_[static_cast<size_t>(t)] * P(i, t); }

  void Enqueue(int i) {
    if (queued_[static_cast<size_t>(i)]) return;
    queued_[static_cast<size_t>(i)] = 1;
    queue_.push_back(i);
  }

  // Queues w when moving one of its shots (or a free round) to a target now worth `gain` improves F:
  // queuing every weapon whose best target changed would make each kick cost a full pass.
  void EnqueueIfRelocationPays(int w, double gain) {
    if (queued_[static_cast<size_t>(w)]) return;
    double least = load_[static_cast<size_t>(w)] < pr_.magazine[static_cast<size_t>(w)]
                       ? C(w)
                       : std::numeric_limits<double>::infinity();
    for (int j : aim_[static_cast<size_t>(w)]) {
      least = std::min(least, V(j) * QWithout(w, j) * P(w, j));
    }
    if (gain > least + eps_) Enqueue(w);
  }

  // Survival of target j with one shot of weapon i removed (it must fire at j).
  double QWithout(int i, int j) const {
    const double keep = 1.0 - P(i, j);
    if (keep > 1e-3) return q_[static_cast<size_t>(j)] / keep;
    double s = 1.0;
    bool skipped = false;
    for (int w : owners_[static_cast<size_t>(j)]) {
      if (w == i && !skipped) {
        skipped = true;
        continue;
      }
      s *= 1.0 - P(w, j);
    }
    return s;
  }

  void Recompute(int j) {
    double s = 1.0;
    for (int w : owners_[static_cast<size_t>(j)]) s *= 1.0 - P(w, j);
    q_[static_cast<size_t>(j)] = s;
  }

  void AddRaw(int i, int j) {
    ++x_[At(pr_, i, j)];
    ++load_[static_cast<size_t>(i)];
    owners_[static_cast<size_t>(j)].push_back(i);
    aim_[static_cast<size_t>(i)].push_back(j);
    q_[static_cast<size_t>(j)] *= 1.0 - P(i, j);
    Changed(j, false);
  }
  void RemoveRaw(int i, int j) {
    --x_[At(pr_, i, j)];
    --load_[static_cast<size_t>(i)];
    EraseOne(owners_[static_cast<size_t>(j)], i);
    EraseOne(aim_[static_cast<size_t>(i)], j);
    Recompute(j);
    Changed(j, true);
  }
  void Add(int i, int j) {
    AddRaw(i, j);
    journal_.push_back({i, j, true});
  }
  void Remove(int i, int j) {
    RemoveRaw(i, j);
    journal_.push_back({i, j, false});
  }
  static void EraseOne(std::vector<int>& v, int value) {
    for (size_t n = 0; n < v.size(); ++n) {
      if (v[n] == value) {
        v[n] = v.back();
        v.pop_back();
        return;
      }
    }
  }

  // q_j changed: each weapon's list of its best targets may have to take j in or let it go. The
  // list holds the exact top `size` targets (every target outside it is worth at most its last
  // entry); it is rebuilt only when fewer than three are left. Weapons that fire at j (their
  // shots' worth moved) and weapons that would now gain by moving a shot to j are queued.
  void Changed(int j, bool increased) {
    work_ += W_ / 4 + 1;
    for (int w : owners_[static_cast<size_t>(j)]) Enqueue(w);
    const double vq = V(j) * q_[static_cast<size_t>(j)];
    const size_t column = static_cast<size_t>(j) * static_cast<size_t>(W_);
    const double* pj = &pt_[column];
    const char* member = &member_[column];
    for (int w = 0; w < W_; ++w) {
      const double g = vq * pj[w];
      // Fast path (contiguous in w): not listed and no better than the list's last entry.
      if (!member[w] && !(g > last_[static_cast<size_t>(w)])) continue;
      if (dirty_[static_cast<size_t>(w)] || pj[w] <= 0.0) continue;
      TopList& top = top_[static_cast<size_t>(w)];
      if (member[w]) {
        int pos = 0;
        while (top.c[static_cast<size_t>(pos)].t != j) ++pos;
        const bool was_last = pos == top.size - 1;
        for (int n = pos; n + 1 < top.size; ++n) top.c[static_cast<size_t>(n)] = top.c[static_cast<size_t>(n) + 1];
        --top.size;
        member_[column + static_cast<size_t>(w)] = 0;
        // Back in when it still beats the last entry (hence everything outside the list).
        if (increased || (!was_last && top.size > 0 && g >= top.c[static_cast<size_t>(top.size) - 1].gain)) {
          Insert(w, {g, j});
        }
        if (top.size < 3 && top.size < T_) dirty_[static_cast<size_t>(w)] = 1;
      } else {
        if (top.size == kTop) Evict(w);  // the last one goes outside: still no better than the list
        Insert(w, {g, j});
      }
      UpdateLast(w);
      if (increased && kEnqueueOnGain) EnqueueIfRelocationPays(w, g);
    }
  }
  void Evict(int w) {
    TopList& top = top_[static_cast<size_t>(w)];
    --top.size;
    member_[static_cast<size_t>(top.c[static_cast<size_t>(top.size)].t) * static_cast<size_t>(W_) +
            static_cast<size_t>(w)] = 0;
  }
  void UpdateLast(int w) {
    const TopList& top = top_[static_cast<size_t>(w)];
    last_[static_cast<size_t>(w)] = dirty_[static_cast<size_t>(w)] || top.size == 0
                                        ? std::numeric_limits<double>::infinity()
                                        : top.c[static_cast<size_t>(top.size) - 1].gain;
  }
  void Insert(int w, Cand c) {
    TopList& top = top_[static_cast<size_t>(w)];
    int n = top.size;
    while (n > 0 && (top.c[static_cast<size_t>(n) - 1].gain < c.gain ||
                     (top.c[static_cast<size_t>(n) - 1].gain == c.gain && top.c[static_cast<size_t>(n) - 1].t > c.t))) {
      top.c[static_cast<size_t>(n)] = top.c[static_cast<size_t>(n) - 1];
      --n;
    }
    top.c[static_cast<size_t>(n)] = c;
    ++top.size;
    member_[static_cast<size_t>(c.t) * static_cast<size_t>(W_) + static_cast<size_t>(w)] = 1;
  }
  void Rescan(int w) {
    TopList& top = top_[static_cast<size_t>(w)];
    while (top.size > 0) Evict(w);
    for (int t = 0; t < T_; ++t) {
      const double g = V(t) * q_[static_cast<size_t>(t)] * P(w, t);
      if (top.size < kTop) {
        Insert(w, {g, t});
      } else if (g > top.c[kTop - 1].gain) {
        Evict(w);
        Insert(w, {g, t});
      }
    }
    work_ += T_;
    dirty_[static_cast<size_t>(w)] = 0;
    UpdateLast(w);
  }
  // Best target for one more shot of weapon w, other than e1 and e2 (gain 0 where p = 0).
  Cand BestTarget(int w, int e1, int e2) {
    if (dirty_[static_cast<size_t>(w)]) Rescan(w);
    const TopList& top = top_[static_cast<size_t>(w)];
    for (int n = 0; n < top.size; ++n) {
      const Cand& c = top.c[static_cast<size_t>(n)];
      if (c.t != e1 && c.t != e2) return c.gain > 0.0 ? c : Cand{};
    }
    return {};
  }

  struct Move {
    double delta = 0.0;
    int i = -1, j = -1, k = -1, i2 = -1, l = -1;  // j = -1: a free round; k = -1: drop; i2 = -1: no chain; l = -1: drop i2
  };

  // Best move of one shot (i, j) (j = -1: a free round of i) into `best`.
  void EvaluateShot(int i, int j, Move& best) {
    double rem;  // what F rises by when the shot is taken away (net of its cost)
    double qj_without = 0.0;
    if (j >= 0) {
      qj_without = QWithout(i, j);
      rem = V(j) * qj_without * P(i, j) - C(i);
    } else {
      rem = 0.0;  // a free round: nothing to take away
    }
    ++work_;
    if (j >= 0 && rem < best.delta) best = {rem, i, j, -1, -1, -1};
    const Cand reloc = BestTarget(i, j, -1);
    if (reloc.t >= 0) {
      const double d = rem - reloc.gain + C(i);
      if (d < best.delta) best = {d, i, j, reloc.t, -1, -1};
    }
    // Chains: i fires at k, one shot (i2, k) moves on to l or is dropped.
    for (int k = 0; k < T_; ++k) {
      if (k == j) continue;
      const auto& own = owners_[static_cast<size_t>(k)];
      if (own.empty()) continue;
      const double pik = P(i, k);
      if (pik <= 0.0) continue;
      const double qk_with = q_[static_cast<size_t>(k)] * (1.0 - pik);
      const double in = rem - V(k) * q_[static_cast<size_t>(k)] * pik + C(i);  // F change after i moved to k
      for (int i2 : own) {
        if (i2 == i) continue;
        ++work_;
        const double keep2 = 1.0 - P(i2, k);
        const double qk_without = keep2 > 1e-3 ? qk_with / keep2 : QWithout(i2, k) * (1.0 - pik);
        const double out = V(k) * (qk_without - qk_with);  // F rises by this when i2 leaves k
        double best_l_gain = C(i2);                        // drop i2's shot: saves its cost
        int best_l = -1;
        if (j >= 0 && P(i2, j) > 0.0) {
          const double g = V(j) * qj_without * P(i2, j);
          if (g > best_l_gain) {
            best_l_gain = g;
            best_l = j;
          }
        }
        const Cand c = BestTarget(i2, k, j);
        if (c.t >= 0 && c.gain > best_l_gain) {
          best_l_gain = c.gain;
          best_l = c.t;
        }
        const double d = in + out - best_l_gain;  // a moved shot keeps its cost; a dropped one saves it
        if (d < best.delta) best = {d, i, j, k, i2, best_l};
      }
    }
  }

  bool ImproveWeapon(int i) {
    Move best;
    best.delta = -eps_;
    const auto aims = aim_[static_cast<size_t>(i)];  // copy: moves change it
    std::vector<int> seen;
    for (int j : aims) {
      if (std::find(seen.begin(), seen.end(), j) != seen.end()) continue;
      seen.push_back(j);
      EvaluateShot(i, j, best);
    }
    if (load_[static_cast<size_t>(i)] < pr_.magazine[static_cast<size_t>(i)]) EvaluateShot(i, -1, best);
    if (best.i < 0) return false;
    if (best.j >= 0) Remove(best.i, best.j);
    if (best.k >= 0) Add(best.i, best.k);
    if (best.i2 >= 0) {
      Remove(best.i2, best.k);
      if (best.l >= 0) Add(best.i2, best.l);
    }
    return true;
  }

  const WtaProblem& pr_;
  int W_;
  int T_;
  int64_t budget_;
  std::optional<Clock::time_point> deadline_;
  int64_t work_ = 0;
  int64_t next_clock_check_ = 0;
  double eps_ = 0.0;
  std::vector<int> x_;
  std::vector<double> q_;
  std::vector<int> load_;
  std::vector<std::vector<int>> owners_;  // per target: the weapon of each shot at it
  std::vector<std::vector<int>> aim_;     // per weapon: the target of each of its shots
  std::vector<TopList> top_;
  std::vector<char> dirty_;
  std::vector<double> last_;   // gain of each list's last entry (+inf while the list must be rebuilt)
  std::vector<char> member_;   // targets x weapons: target listed for the weapon
  std::vector<double> pt_;     // p transposed (targets x weapons): Changed walks one target's column
  std::deque<int> queue_;
  std::vector<char> queued_;
  std::vector<Step> journal_;
};

// Threshold acceptance, relative to the objective (tried 0, 1e-4, 1e-3, 3e-3: 3e-4 best at 80x80 and
// 200x200 with 20 ms, within noise).
constexpr double kAcceptWorse = 3e-4;

// Iterated local search from `start` with a budget of evaluations (and optionally a wall-clock
// deadline). Returns the best shot matrix found.
std::vector<int> IteratedSearch(const WtaProblem& pr, const std::vector<int>& start, int64_t evaluations,
                                std::optional<Search::Clock::time_point> deadline, uint64_t seed) {
  Search s(pr, std::max<int64_t>(1, evaluations), deadline);
  s.Load(start);
  s.EnqueueAll();
  s.Descend();
  double best_f = s.Value();
  s.Checkpoint();
  if (pr.weapons == 0 || pr.targets < 2) return s.Shots();
  Rng rng(MixSeed(seed));
  const double tol = 1e-12 * std::max(1.0, std::abs(best_f));
  int64_t since_best = 0;
  double current_f = best_f;
  size_t current_mark = 0;
  // Scaled per target beyond 200 targets: a kick changes a few targets, not a share of all of them.
  const double accept = kAcceptWorse * std::abs(best_f) * std::min(1.0, 200.0 / std::max(1, pr.targets));
  // Undoing a change costs O(W) (every weapon's target list): the walk away from the best is capped
  // so that the final return to it stays within the time kept back at 1000x1000.
  const size_t max_journal = std::min<size_t>(64 * static_cast<size_t>(pr.weapons + pr.targets), 16'384);
  while (!s.Exhausted()) {
    const int count = static_cast<int>(rng.UniformInt(2, 4));
    s.Perturb(rng, count);
    s.Descend();
    const double f = s.Value();
    if (f < best_f - tol) {
      best_f = f;
      current_f = f;
      s.Checkpoint();
      current_mark = 0;
      since_best = 0;
    } else if (f < current_f - tol || f < best_f + accept) {
      // Threshold acceptance: a slightly worse local optimum is a new place to kick from.
      current_f = f;
      current_mark = s.Mark();
      ++since_best;
    } else {
      s.Revert(current_mark);
      ++since_best;
    }
    if (s.Mark() > max_journal || since_best % 512 == 511) {  // wandered off: back to the best
      s.Revert(0);
      current_f = best_f;
      current_mark = 0;
    }
  }
  s.Revert(0);
  // Every iteration ends checkpointed (better) or reverted: the state is the best solution.
  return s.Shots();
}

}  // namespace

double Objective(const WtaProblem& pr, const std::vector<int>& shots) {
  CheckShape(pr);
  KOEPEL_CHECK(shots.size() == pr.pk.size(), "shot matrix has the wrong shape");
  double f = 0.0;
  for (int j = 0; j < pr.targets; ++j) {
    double q = 1.0;
    for (int i = 0; i < pr.weapons; ++i) {
      for (int k = 0, n = shots[At(pr, i, j)]; k < n; ++k) q *= 1.0 - pr.p(i, j);
    }
    f += pr.value[static_cast<size_t>(j)] * q;
  }
  for (int i = 0; i < pr.weapons; ++i) {
    int n = 0;
    for (int j = 0; j < pr.targets; ++j) n += shots[At(pr, i, j)];
    f += pr.cost[static_cast<size_t>(i)] * n;
  }
  return f;
}

WtaSolution SolveGreedy(const WtaProblem& pr) {
  CheckShape(pr);
  const auto start = std::chrono::steady_clock::now();
  WtaSolution sol;
  sol.solver = "greedy";
  sol.shots = Greedy(pr, false);
  sol.objective = Objective(pr, sol.shots);
  const bool any_cost = std::any_of(pr.cost.begin(), pr.cost.end(), [](double c) { return c > 0.0; });
  if (any_cost) {
    std::vector<int> ratio = Greedy(pr, true);
    const double f = Objective(pr, ratio);
    if (f < sol.objective) {
      sol.shots = std::move(ratio);
      sol.objective = f;
    }
  }
  sol.time_ms = ElapsedMs(start);
  return sol;
}

namespace {

WtaSolution LocalSearchWithLimits(const WtaProblem& pr, int64_t evaluations,
                                  std::optional<std::chrono::steady_clock::time_point> deadline, uint64_t seed,
                                  std::chrono::steady_clock::time_point start) {
  const WtaSolution greedy = SolveGreedy(pr);
  WtaSolution sol;
  sol.solver = "local_search";
  sol.shots = IteratedSearch(pr, greedy.shots, evaluations, deadline, seed);
  sol.objective = Objective(pr, sol.shots);
  if (greedy.objective < sol.objective) {  // never worse than greedy (cannot happen, but cheap to hold)
    sol.shots = greedy.shots;
    sol.objective = greedy.objective;
  }
  sol.time_ms = ElapsedMs(start);
  return sol;
}

}  // namespace

WtaSolution SolveLocalSearch(const WtaProblem& pr, Duration budget, uint64_t seed) {
  CheckShape(pr);
  const auto start = std::chrono::steady_clock::now();
  const double budget_ms = std::max(0.0, budget.seconds() * 1e3);
  const int64_t evaluations = std::max<int64_t>(
      1, static_cast<int64_t>(budget_ms * static_cast<double>(kEvaluationsPerMillisecond)));
  return LocalSearchWithLimits(pr, evaluations, std::nullopt, seed, start);
}

WtaSolution SolveLocalSearchWallClock(const WtaProblem& pr, Duration time_limit, uint64_t seed) {
  CheckShape(pr);
  const auto start = std::chrono::steady_clock::now();
  // Kept back: 8 % for the clock's granularity (it is looked at between moves) and for a loaded
  // machine, and 15 ns per variable for the final copies and objective (measured: 500 ms at
  // 1000x1000 overran by 5-15 ms with less).
  const int64_t reserve_ns = time_limit.nanoseconds() * 2 / 25 + 15 * static_cast<int64_t>(pr.weapons) * pr.targets;
  const auto deadline = start + std::chrono::nanoseconds(std::max<int64_t>(0, time_limit.nanoseconds() - reserve_ns));
  return LocalSearchWithLimits(pr, std::numeric_limits<int64_t>::max(), deadline, seed, start);
}

namespace internal {

std::vector<int> LocalSearchFrom(const WtaProblem& pr, const std::vector<int>& start, int64_t evaluations,
                                 uint64_t seed) {
  CheckShape(pr);
  return IteratedSearch(pr, start, evaluations, std::nullopt, seed);
}

WtaSolution SolveExactForTest(const WtaProblem& pr) {
  CheckShape(pr);
  KOEPEL_CHECK(pr.weapons * pr.targets <= 16, "brute force is for tiny problems only");
  for (int m : pr.magazine) KOEPEL_CHECK(m <= 3, "brute force is for tiny magazines only");
  const auto start = std::chrono::steady_clock::now();
  // Every distribution of at most m_i shots over the targets, per weapon.
  std::vector<std::vector<std::vector<int>>> options(static_cast<size_t>(pr.weapons));
  for (int i = 0; i < pr.weapons; ++i) {
    std::vector<int> row(static_cast<size_t>(pr.targets), 0);
    auto rec = [&](auto&& self, int j, int left) -> void {
      if (j == pr.targets) {
        options[static_cast<size_t>(i)].push_back(row);
        return;
      }
      for (int n = 0; n <= left; ++n) {
        row[static_cast<size_t>(j)] = n;
        self(self, j + 1, left - n);
      }
      row[static_cast<size_t>(j)] = 0;
    };
    rec(rec, 0, std::max(0, pr.magazine[static_cast<size_t>(i)]));
  }
  WtaSolution best;
  best.objective = std::numeric_limits<double>::infinity();
  std::vector<int> x(pr.pk.size(), 0);
  auto walk = [&](auto&& self, int i) -> void {
    if (i == pr.weapons) {
      const double f = Objective(pr, x);
      if (f < best.objective) {
        best.objective = f;
        best.shots = x;
      }
      return;
    }
    for (const auto& row : options[static_cast<size_t>(i)]) {
      std::copy(row.begin(), row.end(), x.begin() + static_cast<std::ptrdiff_t>(At(pr, i, 0)));
      self(self, i + 1);
    }
  };
  walk(walk, 0);
  best.bound = best.objective;
  best.proven_optimal = true;
  best.solver = "exact_brute_force";
  best.time_ms = ElapsedMs(start);
  return best;
}

}  // namespace internal
}  // namespace koepel::wta
