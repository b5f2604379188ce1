// Static WTA solvers: objective, greedy maximal marginal return, local search, brute force.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
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

// Improving moves to a local optimum. Returns false when the evaluation budget ran out.
class LocalSearch {
 public:
  LocalSearch(const WtaProblem& pr, int64_t budget) : pr_(pr), s_(pr), budget_(budget) {
    double total = 0.0;
    for (double v : pr.value) total += std::abs(v);
    for (double c : pr.cost) total += std::abs(c);
    eps_ = 1e-12 * std::max(1.0, total);
  }
  State& state() { return s_; }
  bool exhausted() const { return work_ >= budget_; }
  int64_t work() const { return work_; }
  void Charge(int64_t n) { work_ += n; }

  double V(int j) const { return pr_.value[static_cast<size_t>(j)]; }
  double C(int i) const { return pr_.cost[static_cast<size_t>(i)]; }

  void Descend() {
    bool improved = true;
    while (improved && !exhausted()) {
      improved = false;
      improved |= AddDropRelocate();
      if (exhausted()) break;
      improved |= Swaps();
    }
  }

 private:
  bool AddDropRelocate() {
    bool improved = false;
    const int W = pr_.weapons;
    const int T = pr_.targets;
    for (int i = 0; i < W; ++i) {
      for (int j = 0; j < T; ++j) {
        if (s_.x(i, j) == 0) continue;
        const double loss = V(j) * s_.QWithout(i, j) * pr_.p(i, j);  // F rises by this without the shot
        int best_k = -1;
        double best_gain = 0.0;
        for (int k = 0; k < T; ++k) {
          if (k == j) continue;
          const double g = V(k) * s_.q(k) * pr_.p(i, k);
          if (g > best_gain) {
            best_gain = g;
            best_k = k;
          }
        }
        work_ += T;
        if (loss - C(i) < -eps_ && loss - C(i) <= loss - best_gain) {
          s_.Remove(i, j);
          improved = true;
        } else if (best_k >= 0 && loss - best_gain < -eps_) {
          s_.Remove(i, j);
          s_.Add(i, best_k);
          improved = true;
        }
      }
      while (s_.used(i) < pr_.magazine[static_cast<size_t>(i)]) {
        int best_k = -1;
        double best_net = eps_;
        for (int k = 0; k < T; ++k) {
          const double net = V(k) * s_.q(k) * pr_.p(i, k) - C(i);
          if (net > best_net) {
            best_net = net;
            best_k = k;
          }
        }
        work_ += T;
        if (best_k < 0) break;
        s_.Add(i, best_k);
        improved = true;
      }
      if (exhausted()) break;
    }
    return improved;
  }

  bool Swaps() {
    bool improved = false;
    std::vector<std::pair<int, int>> shots;
    for (int i = 0; i < pr_.weapons; ++i) {
      for (int j = 0; j < pr_.targets; ++j) {
        if (s_.x(i, j) > 0) shots.emplace_back(i, j);
      }
    }
    for (size_t a = 0; a < shots.size(); ++a) {
      for (size_t b = a + 1; b < shots.size(); ++b) {
        const auto [i, j] = shots[a];
        const auto [i2, k] = shots[b];
        if (i == i2 || j == k || s_.x(i, j) == 0 || s_.x(i2, k) == 0) continue;
        ++work_;
        const double qj = s_.QWithout(i, j) * (1.0 - pr_.p(i2, j));
        const double qk = s_.QWithout(i2, k) * (1.0 - pr_.p(i, k));
        const double delta = V(j) * (qj - s_.q(j)) + V(k) * (qk - s_.q(k));
        if (delta < -eps_) {
          s_.Remove(i, j);
          s_.Remove(i2, k);
          s_.Add(i, k);
          s_.Add(i2, j);
          shots[a] = {i, k};
          shots[b] = {i2, j};
          improved = true;
        }
      }
      if (exhausted()) break;
    }
    return improved;
  }

  const WtaProblem& pr_;
  State s_;
  int64_t budget_;
  int64_t work_ = 0;
  double eps_;
};

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

WtaSolution SolveLocalSearch(const WtaProblem& pr, Duration budget, uint64_t seed) {
  CheckShape(pr);
  const auto start = std::chrono::steady_clock::now();
  const WtaSolution greedy = SolveGreedy(pr);
  const double budget_ms = std::max(0.0, budget.seconds() * 1e3);
  const int64_t evaluations = std::max<int64_t>(
      1, static_cast<int64_t>(budget_ms * static_cast<double>(kEvaluationsPerMillisecond)));
  std::vector<int> best = internal::LocalSearchFrom(pr, greedy.shots, evaluations, seed);
  double best_f = Objective(pr, best);

  WtaSolution sol;
  sol.solver = "local_search";
  sol.shots = std::move(best);
  sol.objective = best_f;
  if (greedy.objective < sol.objective) {  // never worse than greedy (cannot happen, but cheap to hold)
    sol.shots = greedy.shots;
    sol.objective = greedy.objective;
  }
  sol.time_ms = ElapsedMs(start);
  return sol;
}

namespace internal {

std::vector<int> LocalSearchFrom(const WtaProblem& pr, const std::vector<int>& start, int64_t evaluations,
                                 uint64_t seed) {
  CheckShape(pr);
  LocalSearch ls(pr, std::max<int64_t>(1, evaluations));
  ls.state().Load(start);
  ls.Descend();
  std::vector<int> best = ls.state().shots();
  double best_f = Objective(pr, best);

  // Iterated local search: relocate a few random shots, descend, keep if better.
  Rng rng(MixSeed(seed));
  while (!ls.exhausted() && pr.weapons > 0 && pr.targets > 1) {
    std::vector<std::pair<int, int>> shots;
    for (int i = 0; i < pr.weapons; ++i) {
      for (int j = 0; j < pr.targets; ++j) {
        if (ls.state().x(i, j) > 0) shots.emplace_back(i, j);
      }
    }
    ls.Charge(static_cast<int64_t>(pr.weapons) * pr.targets / 8 + 1);
    if (shots.empty()) break;
    const int kicks = static_cast<int>(std::min<size_t>(shots.size(), static_cast<size_t>(rng.UniformInt(2, 4))));
    for (int k = 0; k < kicks; ++k) {
      const auto [i, j] = shots[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(shots.size()) - 1))];
      if (ls.state().x(i, j) == 0) continue;
      const int to = static_cast<int>(rng.UniformInt(0, pr.targets - 1));
      ls.state().Remove(i, j);
      if (pr.p(i, to) > 0.0) ls.state().Add(i, to);
    }
    ls.Descend();
    const double f = Objective(pr, ls.state().shots());
    ls.Charge(static_cast<int64_t>(pr.weapons) * pr.targets / 8 + 1);
    if (f < best_f) {
      best_f = f;
      best = ls.state().shots();
    } else {
      ls.state().Load(best);
    }
  }

  return best;
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
