// Exact static WTA: Lagrangian relaxation of the magazine constraints + depth-first branch and bound.
//
// With multipliers lambda_i >= 0 on sum_j x_ij <= m_i the problem splits by target:
//   L(lambda) = sum_j h_j(lambda) - sum_i lambda_i m_i,
//   h_j = min_x V_j exp(-sum_i a_ij x_ij) + sum_i (c_i + lambda_i) x_ij,  0 <= x_ij <= m_i,
// a_ij = -log(1 - p_ij). h_j (a "column") is solved exactly by depth-first search over the weapons in
// order of price per unit of log-kill, pruned by the continuous relaxation (a fractional knapsack in
// log space: convex, solved in one pass). Any lambda gives a valid lower bound; subgradient steps
// (Polyak, with the local-search value as target) improve it. The tree assigns weapons in turn
// (each weapon's shots as a multiset of targets) and prunes a node when its own Lagrangian bound,
// with the remaining magazines and the survival already bought, reaches the incumbent.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include "koepel/wta/internal.h"
#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

constexpr double kMaxP = 1.0 - 1e-12;  // p = 1 would give an infinite log-kill
// Subgradient steps. Measured on the public 80x80 instances (1 s, wall clock): deflection 0.5 and
// halving after 20 stale steps stalled 0.2-0.35 % below the optimum (2/5 proven); 0.7 and 50 reach
// the Dantzig-Wolfe bound (= the optimum there) and prove 5/5. Tried too: no deflection, 5 / 30 /
// 100 stale steps, shrink 0.7-0.8, growing the step on success, restarting the steps: all worse.
constexpr double kDeflection = 0.7;  // share of the previous subgradient direction kept
constexpr int kStaleSteps = 50;      // steps without a better bound before the step factor halves
constexpr int kRootRounds = 300;     // subgradient rounds (each followed by the primal heuristic) at most
constexpr int64_t kColumnNodeLimit = 20'000;  // depth-first nodes per column before falling back to its relaxation
constexpr int64_t kExactWorkPerMillisecond = 40'000;  // tree / subgradient work units per ms of budget

size_t Sz(int v) { return static_cast<size_t>(v); }

// Where a search stops: a count of work units (reproducible) and optionally a wall-clock deadline.
struct Limit {
  int64_t work = std::numeric_limits<int64_t>::max();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool Reached(int64_t done) const {
    return done >= work || (deadline && std::chrono::steady_clock::now() >= *deadline);
  }
};

struct Item {
  int weapon = 0;
  double a = 0.0;      // log-kill per shot
  double keep = 1.0;   // 1 - p
  double price = 0.0;  // c_i + lambda_i
  int cap = 0;
};

// Solves one column problem min A e^{-s} + sum price x. Returns a valid lower bound on it (the exact
// optimum unless the node limit stopped the search) and writes the best x found (by item order).
class ColumnSolver {
 public:
  explicit ColumnSolver(int64_t node_limit) : node_limit_(node_limit) {}

  // `items` must be sorted by price / a ascending.
  double Solve(double amplitude, const std::vector<Item>& items, std::vector<int>& best_x, int64_t& work) {
    items_ = &items;
    amplitude_ = amplitude;
    x_.assign(items.size(), 0);
    best_x.assign(items.size(), 0);
    best_x_ = &best_x;
    best_ = amplitude;  // no shots
    nodes_ = 0;
    const double root_bound = Relaxation(0, 1.0, 0.0);
    Dfs(0, 1.0, 0.0);
    work += 2 * nodes_ + 12 * static_cast<int64_t>(items.size());  // items: sorting and relaxation
    if (nodes_ >= node_limit_) return std::min(best_, root_bound);  // stopped: only the relaxation is proven
    return best_;
  }

 private:
  // Continuous minimum of amplitude * survival * e^{-s} + cost over items k.. (survival = e^{-s0}).
  double Relaxation(size_t k, double survival, double cost) const {
    const auto& items = *items_;
    double level = amplitude_ * survival;  // current A e^{-s}
    for (size_t n = k; n < items.size() && level > 0.0; ++n) {
      const Item& it = items[n];
      const double sigma = it.price / it.a;
      const double len = it.a * it.cap;
      if (sigma <= 0.0) {
        cost += it.price * it.cap;
        level *= std::exp(-len);
        continue;
      }
      if (level <= sigma) break;  // derivative -level + sigma >= 0: stop here
      const double step = std::log(level / sigma);
      if (step >= len) {
        cost += sigma * len;
        level *= std::exp(-len);
      } else {
        cost += sigma * step;
        level = sigma;
        break;
      }
    }
    return level + cost;
  }

  void Dfs(size_t k, double survival, double cost) {
    ++nodes_;
    const double here = amplitude_ * survival + cost;
    if (here < best_) {
      best_ = here;
      std::fill(best_x_->begin(), best_x_->end(), 0);
      std::copy(x_.begin(), x_.begin() + static_cast<std::ptrdiff_t>(k), best_x_->begin());
    }
    if (k == items_->size() || nodes_ >= node_limit_) return;
    if (Relaxation(k, survival, cost) >= best_ - 1e-15 * std::max(1.0, best_)) return;
    const Item& it = (*items_)[k];
    // Shots worth firing at most: the n-th shot saves level * keep^(n-1) * p, which must beat its price.
    int useful = 0;
    double level = amplitude_ * survival;
    while (useful < it.cap && (it.price < 0.0 || level * (1.0 - it.keep) > it.price)) {
      ++useful;
      level *= it.keep;
    }
    for (int n = useful; n >= 0; --n) {
      x_[k] = n;
      Dfs(k + 1, survival * std::pow(it.keep, n), cost + it.price * n);
      if (nodes_ >= node_limit_) break;
    }
    x_[k] = 0;
  }

  int64_t node_limit_;
  const std::vector<Item>* items_ = nullptr;
  std::vector<int>* best_x_ = nullptr;
  std::vector<int> x_;
  double amplitude_ = 0.0;
  double best_ = 0.0;
  int64_t nodes_ = 0;
};

// The Lagrangian dual for a partial assignment: amplitude_j = V_j * survival bought so far,
// remaining_i = shots weapon i may still fire.
class Lagrangian {
 public:
  explicit Lagrangian(const WtaProblem& pr) : pr_(pr), column_(kColumnNodeLimit) {}

  struct Eval {
    double bound = 0.0;
    std::vector<int> load;   // shots per weapon in the relaxed solution
    std::vector<int> shots;  // the relaxed solution, weapons x targets (may overfill magazines)
  };

  // L(lambda) (without the fixed cost of shots already bought).
  Eval Evaluate(const std::vector<double>& amplitude, const std::vector<int>& remaining,
                const std::vector<double>& lambda, int64_t& work) {
    Eval e;
    e.load.assign(Sz(pr_.weapons), 0);
    e.shots.assign(pr_.pk.size(), 0);
    for (int i = 0; i < pr_.weapons; ++i) e.bound -= lambda[Sz(i)] * remaining[Sz(i)];
    for (int j = 0; j < pr_.targets; ++j) {
      items_.clear();
      double extra = 0.0;
      for (int i = 0; i < pr_.weapons; ++i) {
        const int cap = remaining[Sz(i)];
        if (cap <= 0) continue;
        const double price = pr_.cost[Sz(i)] + lambda[Sz(i)];
        const double p = std::min(pr_.p(i, j), kMaxP);
        if (p <= 0.0) {
          if (price < 0.0) {  // a free rebate: take every shot
            extra += price * cap;
            e.load[Sz(i)] += cap;
            e.shots[Sz(i) * Sz(pr_.targets) + Sz(j)] += cap;
          }
          continue;
        }
        items_.push_back({i, -std::log1p(-p), 1.0 - p, price, cap});
      }
      std::sort(items_.begin(), items_.end(), [](const Item& l, const Item& r) {
        const double kl = l.price / l.a;
        const double kr = r.price / r.a;
        return kl != kr ? kl < kr : l.weapon < r.weapon;
      });
      e.bound += column_.Solve(amplitude[Sz(j)], items_, x_, work) + extra;
      for (size_t n = 0; n < items_.size(); ++n) {
        e.load[Sz(items_[n].weapon)] += x_[n];
        e.shots[Sz(items_[n].weapon) * Sz(pr_.targets) + Sz(j)] += x_[n];
      }
    }
    return e;
  }

  // Subgradient ascent from `lambda` (updated in place to the best multipliers found).
  double Improve(const std::vector<double>& amplitude, const std::vector<int>& remaining, std::vector<double>& lambda,
                 double target, int iterations, int64_t& work, const Limit& limit) {
    std::vector<double> current = lambda;
    Eval e = Evaluate(amplitude, remaining, current, work);
    double best = e.bound;
    best_shots_ = e.shots;
    double& theta = theta_;
    int stale = 0;
    std::vector<double> dir(Sz(pr_.weapons), 0.0);  // deflected direction: damps the zig-zag
    for (int it = 0; it < iterations && !limit.Reached(work); ++it) {
      if (best >= target - 1e-12 * std::max(1.0, std::abs(target))) break;
      double norm = 0.0;
      double gnorm = 0.0;
      for (int i = 0; i < pr_.weapons; ++i) {
        double g = e.load[Sz(i)] - remaining[Sz(i)];
        if (current[Sz(i)] <= 0.0 && g < 0.0) g = 0.0;  // projected
        gnorm += g * g;
        dir[Sz(i)] = g + kDeflection * dir[Sz(i)];
        if (current[Sz(i)] <= 0.0 && dir[Sz(i)] < 0.0) dir[Sz(i)] = 0.0;
        norm += dir[Sz(i)] * dir[Sz(i)];
      }
      if (gnorm == 0.0) break;  // the relaxed solution is feasible and complementary: optimal for L
      if (norm == 0.0) continue;
      const double step = theta * (target - e.bound) / norm;
      for (int i = 0; i < pr_.weapons; ++i) current[Sz(i)] = std::max(0.0, current[Sz(i)] + step * dir[Sz(i)]);
      e = Evaluate(amplitude, remaining, current, work);
      if (e.bound > best + 1e-12 * std::max(1.0, std::abs(best))) {
        best = e.bound;
        best_shots_ = e.shots;
        lambda = current;
        stale = 0;
      } else if (++stale >= kStaleSteps) {
        theta *= 0.5;
        stale = 0;
        if (theta < 1e-6) break;
      }
    }
    return best;
  }
  // The relaxed solution at the best multipliers of the last Improve.
  const std::vector<int>& best_shots() const { return best_shots_; }
  double theta() const { return theta_; }
  void set_theta(double theta) { theta_ = theta; }

 private:
  const WtaProblem& pr_;
  ColumnSolver column_;
  std::vector<int> best_shots_;
  double theta_ = 1.0;  // Polyak step factor, halved when the bound stalls; kept across calls
  std::vector<Item> items_;
  std::vector<int> x_;
};

// Warm start: a full weapon's multiplier is the least it saves with one of its shots, net of cost.
std::vector<double> MarginalMultipliers(const WtaProblem& pr, const std::vector<int>& shots) {
  std::vector<double> q(Sz(pr.targets), 1.0);
  for (int i = 0; i < pr.weapons; ++i) {
    for (int j = 0; j < pr.targets; ++j) {
      for (int n = 0; n < shots[Sz(i) * Sz(pr.targets) + Sz(j)]; ++n) q[Sz(j)] *= 1.0 - std::min(pr.p(i, j), kMaxP);
    }
  }
  std::vector<double> lambda(Sz(pr.weapons), 0.0);
  for (int i = 0; i < pr.weapons; ++i) {
    int used = 0;
    double least = std::numeric_limits<double>::infinity();
    for (int j = 0; j < pr.targets; ++j) {
      const int n = shots[Sz(i) * Sz(pr.targets) + Sz(j)];
      if (n == 0) continue;
      used += n;
      const double p = std::min(pr.p(i, j), kMaxP);
      least = std::min(least, pr.value[Sz(j)] * q[Sz(j)] / (1.0 - p) * p);
    }
    if (used >= pr.magazine[Sz(i)] && used > 0) lambda[Sz(i)] = std::max(0.0, least - pr.cost[Sz(i)]);
  }
  return lambda;
}

// Lagrangian primal heuristic: drop the shots of overfull weapons that save least until every
// magazine holds.
std::vector<int> Repair(const WtaProblem& pr, std::vector<int> x) {
  const size_t T = Sz(pr.targets);
  std::vector<double> q(T, 1.0);
  for (int i = 0; i < pr.weapons; ++i) {
    for (size_t j = 0; j < T; ++j) {
      for (int n = 0; n < x[Sz(i) * T + j]; ++n) q[j] *= 1.0 - std::min(pr.p(i, static_cast<int>(j)), kMaxP);
    }
  }
  for (int i = 0; i < pr.weapons; ++i) {
    int used = 0;
    for (size_t j = 0; j < T; ++j) used += x[Sz(i) * T + j];
    while (used > std::max(0, pr.magazine[Sz(i)])) {
      size_t worst = 0;
      double least = std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < T; ++j) {
        if (x[Sz(i) * T + j] == 0) continue;
        const double p = std::min(pr.p(i, static_cast<int>(j)), kMaxP);
        const double saves = pr.value[j] * q[j] / (1.0 - p) * p;
        if (saves < least) {
          least = saves;
          worst = j;
        }
      }
      --x[Sz(i) * T + worst];
      q[worst] /= 1.0 - std::min(pr.p(i, static_cast<int>(worst)), kMaxP);
      --used;
    }
  }
  return x;
}

class BranchAndBound {
 public:
  BranchAndBound(const WtaProblem& pr, std::vector<double> lambda, Limit limit)
      : pr_(pr), lagrangian_(pr), lambda_(std::move(lambda)), limit_(limit) {
    order_.resize(Sz(pr.weapons));
    std::iota(order_.begin(), order_.end(), 0);
    // Strong weapons first: their choices move the bound most.
    std::vector<double> strength(Sz(pr.weapons), 0.0);
    for (int i = 0; i < pr.weapons; ++i) {
      for (int j = 0; j < pr.targets; ++j) strength[Sz(i)] += pr.value[Sz(j)] * pr.p(i, j);
      strength[Sz(i)] *= pr.magazine[Sz(i)];
    }
    std::stable_sort(order_.begin(), order_.end(), [&](int l, int r) { return strength[Sz(l)] > strength[Sz(r)]; });
    amplitude_ = pr.value;
    remaining_ = pr.magazine;
    for (int& r : remaining_) r = std::max(r, 0);
    x_.assign(pr.pk.size(), 0);
  }

  // Runs the search from `incumbent`; returns true when it completed (the incumbent is optimal).
  bool Run(std::vector<int>& incumbent, double& incumbent_value, int64_t& work) {
    best_ = &incumbent;
    best_value_ = incumbent_value;
    work_ = &work;
    complete_ = true;
    Node(0, 0, 0.0, lambda_);
    incumbent_value = best_value_;
    return complete_;
  }

 private:
  double Tolerance() const { return 1e-9 * std::max(1.0, std::abs(best_value_)); }

  void Node(size_t depth, int jmin, double fixed_cost, const std::vector<double>& parent_lambda) {
    if (limit_.Reached(*work_)) {
      complete_ = false;
      return;
    }
    ++*work_;
    const double here = std::accumulate(amplitude_.begin(), amplitude_.end(), 0.0) + fixed_cost;
    if (here < best_value_ - Tolerance()) {  // the partial assignment is itself a solution
      best_value_ = here;
      *best_ = x_;
    }
    if (depth == order_.size()) return;
    std::vector<double> lambda = parent_lambda;
    lagrangian_.set_theta(0.5);
    const double bound = fixed_cost + lagrangian_.Improve(amplitude_, remaining_, lambda, best_value_ - fixed_cost,
                                                          depth == 0 ? 0 : 4, *work_, limit_);
    if (bound >= best_value_ - Tolerance()) return;
    const int i = order_[depth];
    // Children: another shot of weapon i at a target >= jmin (best return first), or weapon i is done.
    std::vector<int> targets;
    if (remaining_[Sz(i)] > 0) {
      for (int j = jmin; j < pr_.targets; ++j) {
        if (pr_.p(i, j) > 0.0) targets.push_back(j);
      }
      std::stable_sort(targets.begin(), targets.end(), [&](int l, int r) {
        return amplitude_[Sz(l)] * pr_.p(i, l) > amplitude_[Sz(r)] * pr_.p(i, r);
      });
    }
    for (int j : targets) {
      const double saved = amplitude_[Sz(j)];
      amplitude_[Sz(j)] *= 1.0 - pr_.p(i, j);
      --remaining_[Sz(i)];
      ++x_[Sz(i) * Sz(pr_.targets) + Sz(j)];
      Node(depth, j, fixed_cost + pr_.cost[Sz(i)], lambda);
      --x_[Sz(i) * Sz(pr_.targets) + Sz(j)];
      ++remaining_[Sz(i)];
      amplitude_[Sz(j)] = saved;
      if (!complete_) return;
    }
    const int left = remaining_[Sz(i)];
    remaining_[Sz(i)] = 0;
    Node(depth + 1, 0, fixed_cost, lambda);
    remaining_[Sz(i)] = left;
  }

  const WtaProblem& pr_;
  Lagrangian lagrangian_;
  std::vector<double> lambda_;
  Limit limit_;
  std::vector<int> order_;
  std::vector<double> amplitude_;
  std::vector<int> remaining_;
  std::vector<int> x_;
  std::vector<int>* best_ = nullptr;
  double best_value_ = 0.0;
  int64_t* work_ = nullptr;
  bool complete_ = true;
};

}  // namespace

namespace internal {

double LagrangianBound(const WtaProblem& pr, const std::vector<double>& lambda) {
  Lagrangian lag(pr);
  std::vector<int> remaining = pr.magazine;
  for (int& r : remaining) r = std::max(r, 0);
  int64_t work = 0;
  return lag.Evaluate(pr.value, remaining, lambda, work).bound;
}

}  // namespace internal

namespace {

// The exact search from an incumbent `sol`, within `limit`; `work` already spent; the root may use
// the work up to `root_limit`.
WtaSolution ExactFrom(const WtaProblem& pr, WtaSolution sol, int64_t work, const Limit& limit, const Limit& root_limit,
                      int64_t heuristic_evals, std::chrono::steady_clock::time_point start) {
  sol.solver = "exact";
  Lagrangian lag(pr);
  std::vector<double> lambda = MarginalMultipliers(pr, sol.shots);
  std::vector<int> remaining = pr.magazine;
  for (int& r : remaining) r = std::max(r, 0);
  // Root: rounds of subgradient steps (Polyak target = incumbent) and the Lagrangian primal heuristic
  // (repair the relaxed solution, local search), each round sharpening the other's target.
  double root = -std::numeric_limits<double>::infinity();
  for (int round = 0; round < kRootRounds && !root_limit.Reached(work); ++round) {
    root = std::max(root, lag.Improve(pr.value, remaining, lambda, sol.objective, 150, work, root_limit));
    if (root >= sol.objective - 1e-9 * std::max(1.0, std::abs(sol.objective))) break;
    const std::vector<int> repaired = Repair(pr, lag.best_shots());
    std::vector<int> candidate = internal::LocalSearchFrom(pr, repaired, heuristic_evals, 2 + static_cast<uint64_t>(round));
    work += heuristic_evals;
    const double f = Objective(pr, candidate);
    if (f < sol.objective) {
      sol.objective = f;
      sol.shots = std::move(candidate);
    }
    if (lag.theta() < 1e-6) break;
  }
  sol.bound = std::min(root, sol.objective);
  const double tol = 1e-9 * std::max(1.0, std::abs(sol.objective));
  if (root >= sol.objective - tol) {
    sol.proven_optimal = true;
  } else {
    BranchAndBound bb(pr, lambda, limit);
    double value = sol.objective;
    if (bb.Run(sol.shots, value, work)) {
      sol.proven_optimal = true;
    }
    sol.objective = Objective(pr, sol.shots);
  }
  if (sol.proven_optimal) sol.bound = sol.objective;
  // With no negative values or prices, 0 is a bound too (an early stop can leave L(lambda) < 0).
  const bool nonnegative = std::all_of(pr.value.begin(), pr.value.end(), [](double v) { return v >= 0.0; }) &&
                           std::all_of(pr.cost.begin(), pr.cost.end(), [](double c) { return c >= 0.0; });
  if (nonnegative) sol.bound = std::max(sol.bound, 0.0);
  sol.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return sol;
}

// The incumbent's local-search slice: about 500 evaluations per variable, at most a fifth of the
// budget and the larger of 50 ms and a twentieth of it (large instances need a good Polyak target).
Duration IncumbentBudget(const WtaProblem& pr, Duration budget) {
  const int64_t size_ns = static_cast<int64_t>(pr.weapons) * pr.targets * 500 * 1'000'000 / kExactWorkPerMillisecond;
  return Nanoseconds(std::min({budget.nanoseconds() / 5,
                               std::max(Milliseconds(50).nanoseconds(), budget.nanoseconds() / 20),
                               std::max<int64_t>(size_ns, 1)}));
}

}  // namespace

WtaSolution SolveExact(const WtaProblem& pr, Duration budget) {
  const auto start = std::chrono::steady_clock::now();
  const double budget_ms = std::max(0.0, budget.seconds() * 1e3);
  const int64_t work_limit =
      std::max<int64_t>(1, static_cast<int64_t>(budget_ms * static_cast<double>(kExactWorkPerMillisecond)));
  const Duration ls_budget = IncumbentBudget(pr, budget);
  const int64_t ls_work = static_cast<int64_t>(ls_budget.seconds() * 1e3 * static_cast<double>(kExactWorkPerMillisecond));
  const Limit limit{work_limit, std::nullopt};
  const Limit root_limit{ls_work + (work_limit - ls_work) / 2 + 1, std::nullopt};
  return ExactFrom(pr, SolveLocalSearch(pr, ls_budget, 1), ls_work, limit, root_limit, std::max<int64_t>(1, ls_work / 2),
                   start);
}

WtaSolution SolveExactWallClock(const WtaProblem& pr, Duration time_limit) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::nanoseconds(std::max<int64_t>(0, time_limit.nanoseconds()));
  const Duration ls_budget = IncumbentBudget(pr, time_limit);
  WtaSolution incumbent = SolveLocalSearchWallClock(pr, ls_budget, 1);
  // The root may use four fifths of what is left (it usually stops earlier, when its steps vanish).
  const auto now = std::chrono::steady_clock::now();
  const Limit limit{std::numeric_limits<int64_t>::max(), deadline};
  const Limit root_limit{std::numeric_limits<int64_t>::max(), now + (deadline - now) * 4 / 5};
  const int64_t heuristic_evals =
      std::max<int64_t>(1, static_cast<int64_t>(ls_budget.seconds() * 1e3 * static_cast<double>(kEvaluationsPerMillisecond)) / 2);
  return ExactFrom(pr, std::move(incumbent), 0, limit, root_limit, heuristic_evals, start);
}

}  // namespace koepel::wta
