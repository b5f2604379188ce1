// The dynamic planner: every step, turn (effector, threat) windows into a priced static WTA problem,
// solve it, and explain every proposal.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "koepel/wta/wta.h"

namespace koepel::wta {
namespace {

std::string Money(double eur) {
  char buf[64];
  const double a = std::abs(eur);
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2f MEUR", eur / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0f kEUR", eur / 1e3);
  } else if (a >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1f kEUR", eur / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f EUR", eur);
  }
  return buf;
}

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string Name(const Effector& e) { return e.name.empty() ? "effector-" + e.id.ToString() : e.name; }

const Track* FindTrack(std::span<const Track> tracks, TrackId id) {
  for (const Track& t : tracks) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// Why a pair was not a candidate this step.
enum class PairState { kNoWindow, kNoCapacity, kOpensLater, kHeld, kCandidate };

struct PairInfo {
  WindowResult window;
  PairState state = PairState::kNoWindow;
  std::string held_for;  // the cheaper effector kept ahead of this one (shoot-look-shoot)
};

struct ThreatInfo {
  const Threat* threat;
  const Track* track;
  double remaining = 1.0;  // survival after committed engagements
  double value_eur = 0.0;  // threat value x value_to_eur x remaining
  double base_eur = 0.0;   // threat value x value_to_eur
};

// P(N >= r) for N ~ Poisson(mean).
double PoissonTailAtLeast(double mean, int r) {
  if (r <= 0) return 1.0;
  double term = std::exp(-mean);  // P(N = 0)
  double below = 0.0;
  for (int n = 0; n < r; ++n) {
    below += term;
    term *= mean / (n + 1);
  }
  return std::clamp(1.0 - below, 0.0, 1.0);
}

// The shadow price of one round of each effector kind, from the threats still expected (see the header).
std::array<double, kEffectorKindCount> OutlookShadowPrices(const StockpileOutlook& outlook,
                                                           std::span<const Effector> effectors,
                                                           std::span<const EffectorStatus> status,
                                                           const std::array<int, kObjectClassCount>& seen,
                                                           const PlannerConfig& config) {
  std::array<double, kEffectorKindCount> rounds = outlook.resupply_rounds;
  for (size_t i = 0; i < effectors.size(); ++i) {
    rounds[static_cast<size_t>(effectors[i].kind)] += std::max(0, status[i].rounds_left);
  }
  std::array<double, kEffectorKindCount> demand{};  // expected rounds
  std::array<double, kEffectorKindCount> value{};   // value those rounds would save
  for (const ExpectedThreats& e : outlook.expected) {
    const size_t c = static_cast<size_t>(e.object_class);
    const double to_come = std::max(0.0, e.count - seen[c]);
    if (to_come <= 0.0) continue;
    double best_pk = 0.0;
    for (const Effector& f : effectors) best_pk = std::max(best_pk, f.pk[c]);
    if (best_pk <= 0.0) continue;
    // The layer that will serve this class: the cheapest adequate one.
    const Effector* serving = nullptr;
    for (const Effector& f : effectors) {
      if (f.pk[c] < config.adequate_pk_ratio * best_pk) continue;
      if (serving == nullptr || f.cost_per_shot_eur < serving->cost_per_shot_eur) serving = &f;
    }
    const size_t k = static_cast<size_t>(serving->kind);
    demand[k] += to_come / serving->pk[c];
    value[k] += to_come * e.value * config.value_to_eur;
  }
  std::array<double, kEffectorKindCount> lambda{};
  for (size_t k = 0; k < kEffectorKindCount; ++k) {
    if (demand[k] <= 0.0) continue;
    const int r = static_cast<int>(std::floor(rounds[k]));
    lambda[k] = PoissonTailAtLeast(demand[k], r) * value[k] / demand[k];
  }
  return lambda;
}

}  // namespace

Plan PlanEngagements(const PlanInput& input, const PlannerConfig& config, IdSequence<EngagementId>& ids) {
  KOEPEL_CHECK(input.status.size() == input.effectors.size(), "status must have one entry per effector");
  const SimTime now = input.now;
  const size_t n_eff = input.effectors.size();
  Plan plan;

  // Effector capacity this step: approved-but-not-launched engagements hold a round and a channel.
  std::vector<EffectorStatus> status(input.status.begin(), input.status.end());
  std::vector<int> capacity(n_eff, 0);
  for (size_t i = 0; i < n_eff; ++i) {
    const Effector& e = input.effectors[i];
    int pending = 0;
    for (const Engagement& c : input.committed) {
      if (c.effector == e.id && c.state == EngagementState::kApproved) ++pending;
    }
    EffectorStatus& s = status[i];
    int rounds = s.rounds_left;
    if (rounds <= 0 && e.reload_time > Duration() && s.reload_done > now) {
      rounds = e.reload_rounds > 0 ? e.reload_rounds : e.magazine;
    }
    rounds -= pending;
    s.busy_channels += pending;
    if (s.rounds_left > 0) s.rounds_left = std::max(0, s.rounds_left - pending);
    capacity[i] = std::max(0, std::min(rounds, e.fire_channels - s.busy_channels));
  }

  // Threats we may engage, with the value left after committed engagements.
  std::vector<ThreatInfo> threats;
  int skipped_protected = 0;
  int skipped_engaged = 0;
  for (const Threat& t : input.threats) {
    const Track* track = FindTrack(input.tracks, t.track);
    if (track == nullptr || IsProtected(t.affiliation) || IsProtected(track->identity.affiliation)) {
      ++skipped_protected;
      continue;
    }
    double remaining = 1.0;
    for (const Engagement& c : input.committed) {
      if (c.track == t.track &&
          (c.state == EngagementState::kApproved || c.state == EngagementState::kInFlight)) {
        remaining *= 1.0 - c.pk;
      }
    }
    if (1.0 - remaining >= config.sufficient_kill_probability) {
      ++skipped_engaged;
      continue;
    }
    threats.push_back({&t, track, remaining, t.value * config.value_to_eur * remaining, t.value * config.value_to_eur});
  }
  const size_t n_thr = threats.size();

  // Windows for every pair.
  std::vector<PairInfo> pairs(n_eff * n_thr);
  auto pair = [&](size_t i, size_t j) -> PairInfo& { return pairs[i * n_thr + j]; };
  for (size_t i = 0; i < n_eff; ++i) {
    for (size_t j = 0; j < n_thr; ++j) {
      PairInfo& p = pair(i, j);
      p.window = FindWindowExplained(input.effectors[i], status[i], *threats[j].track, *threats[j].threat, now,
                                     input.no_fire_zones);
      if (p.window.window && !IsKinetic(input.effectors[i].kind)) {
        const auto same_pair = [&](const Engagement& e) {
          return e.track == threats[j].track->id && e.effector == input.effectors[i].id;
        };
        if (std::any_of(input.finished.begin(), input.finished.end(), [&](const Engagement& f) {
              return f.state == EngagementState::kMiss && same_pair(f);
            })) {
          p.window.window.reset();
          p.window.why_not = "no effect on this target earlier (immune to it)";
        } else if (std::any_of(input.committed.begin(), input.committed.end(), same_pair)) {
          p.window.window.reset();
          p.window.why_not = "already working on this target";
        }
      }
      if (!p.window.window) {
        p.state = PairState::kNoWindow;
      } else if (capacity[i] == 0) {
        p.state = PairState::kNoCapacity;
      } else if (p.window.window->open > now + config.proposal_lead) {
        p.state = PairState::kOpensLater;
      } else {
        p.state = PairState::kCandidate;
      }
    }
  }

  // Price per shot by doctrine.
  std::vector<double> price(n_eff, 0.0);
  for (size_t i = 0; i < n_eff; ++i) price[i] = input.effectors[i].cost_per_shot_eur;
  if (config.doctrine == Doctrine::kStockpileAware && config.outlook) {
    const std::array<double, kEffectorKindCount> lambda =
        OutlookShadowPrices(*config.outlook, input.effectors, status, input.threats_seen, config);
    for (size_t i = 0; i < n_eff; ++i) price[i] += lambda[static_cast<size_t>(input.effectors[i].kind)];
  } else if (config.doctrine == Doctrine::kStockpileAware) {
    std::array<double, kEffectorKindCount> rounds_by_kind{};
    std::array<double, kEffectorKindCount> demand_by_kind{};
    for (size_t i = 0; i < n_eff; ++i) {
      rounds_by_kind[static_cast<size_t>(input.effectors[i].kind)] += std::max(0, status[i].rounds_left);
    }
    for (size_t j = 0; j < n_thr; ++j) {
      std::array<bool, kEffectorKindCount> seen{};
      for (size_t i = 0; i < n_eff; ++i) {
        if (pair(i, j).window.window) seen[static_cast<size_t>(input.effectors[i].kind)] = true;
      }
      for (int k = 0; k < kEffectorKindCount; ++k) demand_by_kind[static_cast<size_t>(k)] += seen[static_cast<size_t>(k)];
    }
    for (size_t i = 0; i < n_eff; ++i) {
      const size_t k = static_cast<size_t>(input.effectors[i].kind);
      const double expected = (1.0 + config.stock_horizon_raids) * demand_by_kind[k];
      if (expected <= 0.0) continue;
      const double shortfall = std::max(0.0, 1.0 - rounds_by_kind[k] / expected);
      double sum = 0.0;
      int n = 0;
      for (size_t j = 0; j < n_thr; ++j) {
        if (!pair(i, j).window.window) continue;
        sum += threats[j].value_eur * pair(i, j).window.window->pk;
        ++n;
      }
      if (n > 0) price[i] += shortfall * sum / n;
    }
  }

  // Shoot-look-shoot: hold a dearer effector while a cheaper one with capacity can engage first and
  // the dearer window is still open after the cheaper intercept.
  if (config.shoot_look_shoot && config.doctrine != Doctrine::kNaive) {
    for (size_t j = 0; j < n_thr; ++j) {
      for (size_t i = 0; i < n_eff; ++i) {
        PairInfo& p = pair(i, j);
        if (p.state != PairState::kCandidate) continue;
        for (size_t k = 0; k < n_eff; ++k) {
          const PairInfo& cheap = pair(k, j);
          if (k == i || capacity[k] == 0 || !cheap.window.window) continue;
          if (!(input.effectors[k].cost_per_shot_eur < input.effectors[i].cost_per_shot_eur)) continue;
          // Hold when, after the cheap intercept, there is time to see the result and to get the
          // dearer shot approved and launched; or when the cheap layer is an adequate substitute
          // (layer discipline: no PATRIOT for a drone a gun can take). Holding for a poor
          // substitute with no time to look again would only let the threat leak.
          const bool time_to_look = p.window.window->close >= cheap.window.window->intercept_time + config.look_time;
          const bool adequate = cheap.window.window->pk >= config.adequate_pk_ratio * p.window.window->pk;
          if (!time_to_look && !adequate) continue;
          p.state = PairState::kHeld;
          p.held_for = Name(input.effectors[k]);
          break;
        }
      }
    }
  }

  // Chosen shots: shots[i][j].
  std::vector<int> shots(n_eff * n_thr, 0);
  if (config.doctrine == Doctrine::kNaive) {
    // Threats by rank (unranked last), then value; each gets the best-Pk capable shooter, closest on ties.
    std::vector<size_t> order(n_thr);
    for (size_t j = 0; j < n_thr; ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const int ra = threats[a].threat->rank > 0 ? threats[a].threat->rank : 1 << 30;
      const int rb = threats[b].threat->rank > 0 ? threats[b].threat->rank : 1 << 30;
      if (ra != rb) return ra < rb;
      return threats[a].value_eur > threats[b].value_eur;
    });
    std::vector<int> left = capacity;
    for (size_t j : order) {
      int best = -1;
      double best_pk = 0.0;
      double best_d = 0.0;
      const Vec3 at = threats[j].track->state.position();
      for (size_t i = 0; i < n_eff; ++i) {
        if (pair(i, j).state != PairState::kCandidate || left[i] == 0) continue;
        const double pk = pair(i, j).window.window->pk;
        const double d = (input.effectors[i].position - at).norm();
        if (best < 0 || pk > best_pk || (pk == best_pk && d < best_d)) {
          best = static_cast<int>(i);
          best_pk = pk;
          best_d = d;
        }
      }
      if (best >= 0) {
        shots[static_cast<size_t>(best) * n_thr + j] = 1;
        --left[static_cast<size_t>(best)];
      }
    }
  } else {
    // Static WTA over the candidate pairs.
    std::vector<size_t> w_of;  // problem weapon -> effector index
    std::vector<size_t> t_of;  // problem target -> threat index
    for (size_t i = 0; i < n_eff; ++i) {
      for (size_t j = 0; j < n_thr; ++j) {
        if (pair(i, j).state == PairState::kCandidate) {
          w_of.push_back(i);
          break;
        }
      }
    }
    for (size_t j = 0; j < n_thr; ++j) {
      for (size_t i = 0; i < n_eff; ++i) {
        if (pair(i, j).state == PairState::kCandidate) {
          t_of.push_back(j);
          break;
        }
      }
    }
    WtaProblem pr;
    pr.weapons = static_cast<int>(w_of.size());
    pr.targets = static_cast<int>(t_of.size());
    for (size_t t : t_of) pr.value.push_back(threats[t].value_eur);
    for (size_t w : w_of) {
      pr.cost.push_back(price[w]);
      pr.magazine.push_back(capacity[w]);
    }
    pr.pk.assign(w_of.size() * t_of.size(), 0.0);
    for (size_t a = 0; a < w_of.size(); ++a) {
      for (size_t b = 0; b < t_of.size(); ++b) {
        const PairInfo& p = pair(w_of[a], t_of[b]);
        if (p.state == PairState::kCandidate) pr.pk[a * t_of.size() + b] = p.window.window->pk;
      }
    }
    if (pr.weapons > 0 && pr.targets > 0) {
      WtaSolution sol = SolveLocalSearch(pr, config.time_budget, config.seed);
      // Keep only shots whose marginal value saved exceeds their price (holds at a local optimum;
      // enforced here in case the budget stopped the search early).
      bool changed = true;
      while (changed) {
        changed = false;
        for (int a = 0; a < pr.weapons && !changed; ++a) {
          for (int b = 0; b < pr.targets && !changed; ++b) {
            const size_t at = static_cast<size_t>(a) * static_cast<size_t>(pr.targets) + static_cast<size_t>(b);
            if (sol.shots[at] == 0) continue;
            double q_without = 1.0;
            for (int a2 = 0; a2 < pr.weapons; ++a2) {
              const int n = sol.shots[static_cast<size_t>(a2) * static_cast<size_t>(pr.targets) +
                                      static_cast<size_t>(b)] - (a2 == a ? 1 : 0);
              for (int k = 0; k < n; ++k) q_without *= 1.0 - pr.p(a2, b);
            }
            if (pr.value[static_cast<size_t>(b)] * q_without * pr.p(a, b) <= pr.cost[static_cast<size_t>(a)]) {
              --sol.shots[at];
              changed = true;
            }
          }
        }
      }
      for (size_t a = 0; a < w_of.size(); ++a) {
        for (size_t b = 0; b < t_of.size(); ++b) shots[w_of[a] * n_thr + t_of[b]] = sol.shots[a * t_of.size() + b];
      }
    }
  }

  // Soft kill works or not on a given target: jamming it twice at once is jamming it once.
  for (size_t i = 0; i < n_eff; ++i) {
    if (IsKinetic(input.effectors[i].kind)) continue;
    for (size_t j = 0; j < n_thr; ++j) shots[i * n_thr + j] = std::min(shots[i * n_thr + j], 1);
  }

  // Shoot-look-shoot within one effector: no salvo while its window stays open past the first
  // intercept (it can fire again after seeing the result).
  if (config.shoot_look_shoot && config.doctrine != Doctrine::kNaive) {
    for (size_t i = 0; i < n_eff; ++i) {
      for (size_t j = 0; j < n_thr; ++j) {
        int& n = shots[i * n_thr + j];
        if (n > 1 && pair(i, j).window.window->close >= pair(i, j).window.window->intercept_time + config.look_time) {
          n = 1;
        }
      }
    }
  }

  // Engagements with explanations, ordered by track id, then effector id.
  std::vector<size_t> thr_order(n_thr);
  for (size_t j = 0; j < n_thr; ++j) thr_order[j] = j;
  std::stable_sort(thr_order.begin(), thr_order.end(),
                   [&](size_t a, size_t b) { return threats[a].threat->track < threats[b].threat->track; });
  std::vector<size_t> eff_order(n_eff);
  for (size_t i = 0; i < n_eff; ++i) eff_order[i] = i;
  std::stable_sort(eff_order.begin(), eff_order.end(),
                   [&](size_t a, size_t b) { return input.effectors[a].id < input.effectors[b].id; });

  double total_saved = 0.0;
  double total_cost = 0.0;
  int engaged_threats = 0;
  int no_window_threats = 0;
  for (size_t j : thr_order) {
    const ThreatInfo& ti = threats[j];
    bool any_window = false;
    for (size_t i = 0; i < n_eff; ++i) any_window |= pair(i, j).window.window.has_value();
    if (!any_window) ++no_window_threats;
    double q = ti.remaining;  // survival as this step's shots are added, in effector order
    bool engaged = false;
    for (size_t i : eff_order) {
      const int n = shots[i * n_thr + j];
      if (n == 0) continue;
      engaged = true;
      const Effector& e = input.effectors[i];
      const EngagementWindow& w = *pair(i, j).window.window;
      const double net_i = ti.base_eur * q * w.pk - price[i];
      // Why no cheaper effector: every cheaper one, with the reason it was not used here.
      std::string others;
      for (size_t k : eff_order) {
        if (k == i) continue;
        const Effector& o = input.effectors[k];
        if (!(o.cost_per_shot_eur < e.cost_per_shot_eur)) continue;
        const PairInfo& op = pair(k, j);
        std::string why;
        if (shots[k * n_thr + j] > 0) {
          why = "also firing";
        } else if (op.state == PairState::kNoWindow) {
          why = op.window.why_not;
        } else if (op.state == PairState::kNoCapacity) {
          why = "no round or fire channel free";
        } else if (op.state == PairState::kOpensLater) {
          why = "window opens only at " + FormatSimTime(op.window.window->open);
        } else if (op.state == PairState::kHeld) {
          why = "held for leakers behind " + op.held_for;
        } else {
          const double net_k = ti.value_eur * op.window.window->pk - price[k];
          int used = 0;
          for (size_t jj = 0; jj < n_thr; ++jj) used += shots[k * n_thr + jj];
          if (config.doctrine == Doctrine::kNaive) {
            why = "Pk " + Fixed(op.window.window->pk, 2) + (used >= capacity[k] ? " and fully assigned" : " (naive: best Pk first)");
          } else if (net_k < ti.value_eur * w.pk - price[i]) {
            why = "Pk " + Fixed(op.window.window->pk, 2) + " gives lower net value (" + Money(net_k) + ")";
          } else if (used >= capacity[k]) {
            why = "fully assigned to other threats";
          } else {
            why = "adds less on top of the chosen shots";
          }
        }
        if (!others.empty()) others += "; ";
        others += Name(o) + " (" + Money(o.cost_per_shot_eur) + ") " + why;
      }
      for (int s = 0; s < n; ++s) {
        Engagement g;
        g.id = ids.Next();
        g.effector = e.id;
        g.effector_kind = e.kind;
        g.track = ti.threat->track;
        g.state = EngagementState::kProposed;
        g.proposed_at = now;
        g.window_open = w.open;
        g.window_close = w.close;
        g.launch_time = std::max(now, w.open);
        g.intercept_time = w.intercept_time;
        g.intercept_point = w.intercept_point;
        g.pk = w.pk;
        g.cost_eur = e.cost_per_shot_eur;
        g.value_saved = ti.base_eur * q * w.pk;
        q *= 1.0 - w.pk;
        total_saved += g.value_saved;
        total_cost += g.cost_eur;
        std::string r = "track " + ti.threat->track.ToString() + " (" +
                        std::string(ObjectClassName(ti.threat->object_class)) + ", rank " +
                        std::to_string(ti.threat->rank) + ", value " + Money(ti.value_eur) + "): " + Name(e) + " (" +
                        Money(e.cost_per_shot_eur) + "/shot) chosen";
        if (n > 1) r += " (shot " + std::to_string(s + 1) + " of " + std::to_string(n) + ")";
        r += ", window " + FormatSimTime(w.open) + ".." + FormatSimTime(w.close) + ", intercept " +
             FormatSimTime(w.intercept_time) + ", Pk " + Fixed(w.pk, 2) + ", value saved " + Money(g.value_saved);
        if (config.doctrine != Doctrine::kNaive) {
          r += ", net " + Money(net_i);
          if (price[i] > e.cost_per_shot_eur) r += " (price incl. scarce-round premium " + Money(price[i] - e.cost_per_shot_eur) + ")";
        }
        r += "; doctrine " + std::string(DoctrineName(config.doctrine));
        r += others.empty() ? "; no cheaper effector" : "; cheaper: " + others;
        g.reason = std::move(r);
        plan.proposals.push_back(std::move(g));
      }
    }
    engaged_threats += engaged ? 1 : 0;
  }

  plan.summary = std::string(DoctrineName(config.doctrine)) + " at " + FormatSimTime(now) + ": " +
                 std::to_string(plan.proposals.size()) + " proposals on " + std::to_string(engaged_threats) + " of " +
                 std::to_string(n_thr) + " threats (" + std::to_string(no_window_threats) + " without a window, " +
                 std::to_string(skipped_engaged) + " already engaged, " + std::to_string(skipped_protected) +
                 " protected or unknown skipped); value saved " + Money(total_saved) + ", cost " + Money(total_cost);
  return plan;
}

}  // namespace koepel::wta
