#include <cmath>
#include <map>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "koepel/sim/sim.h"

namespace koepel::sim {
namespace {

// Fixed rounding keeps the JSON stable and readable; figures are means, not exact counts.
double Round(double x, int decimals = 3) {
  const double f = std::pow(10.0, decimals);
  const double r = std::round(x * f) / f;
  return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

template <typename Map>
nlohmann::ordered_json RoundedMap(const Map& m) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m) out[k] = Round(static_cast<double>(v));
  return out;
}

nlohmann::ordered_json EstimateJson(const Estimate& e, int decimals) {
  nlohmann::ordered_json j;
  j["mean"] = Round(e.mean, decimals);
  if (e.samples >= 2) {
    j["half_width"] = Round(e.half_width, decimals);
  } else {
    j["half_width"] = nullptr;
  }
  return j;
}

// "2.3 +- 0.4" with the interval, "2.3" without.
std::string WithInterval(const Estimate& e, int decimals) {
  if (e.samples < 2) return fmt::format("{:.{}f}", e.mean, decimals);
  return fmt::format("{:.{}f} +- {:.{}f}", e.mean, decimals, e.half_width, decimals);
}

}  // namespace

std::string SummaryToJson(const Summary& s) {
  nlohmann::ordered_json j;
  j["scenario"] = s.scenario;
  j["seed"] = s.seed;
  j["runs"] = s.runs;
  j["doctrine"] = s.doctrine;
  j["threats"] = {{"total", s.threats_total}, {"by_class", RoundedMap(s.threats_by_class)}};
  j["defeated"] = Round(s.defeated);
  j["leakers"] = Round(s.leakers);
  j["leakers_by_class"] = RoundedMap(s.leakers_by_class);
  j["asset_damage"] = Round(s.asset_damage);
  j["damage_by_asset"] = RoundedMap(s.damage_by_asset);
  j["fratricide"] = Round(s.fratricide);
  nlohmann::ordered_json engagements = nlohmann::ordered_json::object();
  for (const auto& [kind, t] : s.engagements) {
    engagements[kind] = {{"shots", Round(t.shots)}, {"kills", Round(t.kills)}, {"cost_eur", Round(t.cost_eur, 0)}};
  }
  j["engagements"] = engagements;
  j["defender_cost_eur"] = Round(s.defender_cost_eur, 0);
  j["attacker_cost_defeated_eur"] = Round(s.attacker_cost_defeated_eur, 0);
  j["cost_exchange_ratio"] = Round(s.cost_exchange_ratio, 4);
  j["expensive_shots_at_drones_with_cheaper_window"] = Round(s.expensive_shots_at_drones_with_cheaper_window);
  j["orders"] = {{"by_operator", Round(s.orders_by_operator)}, {"by_rule", RoundedMap(s.orders_by_rule)}};
  j["warnings"] = {{"issued", Round(s.warnings_issued)},
                   {"median_lead_time_s", Round(s.median_lead_time_s, 1)},
                   {"lead_time_basis", s.lead_time_basis},
                   {"impacts_warned", Round(s.impacts_warned)},
                   {"impacts_unwarned", Round(s.impacts_unwarned)}};
  j["tracking"] = {{"gospa_mean_m", Round(s.gospa_mean_m, 1)}};
  // Means with 95 % confidence intervals over runs (half_width null for one run).
  nlohmann::ordered_json ci;
  ci["leakers"] = EstimateJson(s.leakers_ci, 3);
  ci["asset_damage"] = EstimateJson(s.asset_damage_ci, 3);
  ci["defender_cost_eur"] = EstimateJson(s.defender_cost_ci, 0);
  ci["cost_exchange_ratio"] = EstimateJson(s.cost_exchange_ratio_ci, 4);
  ci["lead_time_s"] = EstimateJson(s.lead_time_ci, 1);
  nlohmann::ordered_json shots = nlohmann::ordered_json::object();
  for (const auto& [kind, e] : s.shots_ci) shots[kind] = EstimateJson(e, 3);
  ci["shots"] = shots;
  j["ci95"] = ci;
  // Runs by number of lethal leakers, in increasing order.
  std::map<long, int> histogram;
  for (double x : s.leakers_per_run) ++histogram[std::lround(x)];
  nlohmann::ordered_json leakers_histogram = nlohmann::ordered_json::object();
  for (const auto& [k, count] : histogram) leakers_histogram[std::to_string(k)] = count;
  j["runs_by_leakers"] = leakers_histogram;
  if (s.latency_measured) {
    j["latency_ms"] = {{"p50", Round(s.latency_p50_ms, 3)},
                       {"p99", Round(s.latency_p99_ms, 3)},
                       {"per_run_by_stage", RoundedMap(s.time_ms_by_stage)}};
  } else {
    j["latency_ms"] = {{"p50", nullptr}, {"p99", nullptr}};
  }
  return j.dump(2) + "\n";
}

std::string SummaryToText(const Summary& s) {
  std::string out;
  auto line = [&out](std::string text) { out += text + "\n"; };
  line(fmt::format("scenario   {}  (doctrine {}, seed {}, {} run{})", s.scenario, s.doctrine, s.seed, s.runs,
                   s.runs == 1 ? "" : "s, means +- 95 % confidence half-widths"));
  std::string mix;
  for (const auto& [cls, n] : s.threats_by_class) mix += fmt::format(" {} {}", n, cls);
  line(fmt::format("threats    {}:{}", s.threats_total, mix));
  line(fmt::format("defeated   {:.1f}", s.defeated));
  std::string leak;
  for (const auto& [cls, n] : s.leakers_by_class) leak += fmt::format(" {} {:.1f}", cls, n);
  line(fmt::format("leakers    {} lethal{}", WithInterval(s.leakers_ci, 1),
                   leak.empty() ? "" : " (reached target:" + leak + ")"));
  line(fmt::format("damage     {} (asset value units)", WithInterval(s.asset_damage_ci, 2)));
  line(fmt::format("fratricide {:.1f} shots at civil or friendly objects", s.fratricide));
  line("engagements by layer:");
  for (const auto& [kind, t] : s.engagements) {
    const auto ci = s.shots_ci.find(kind);
    const std::string pm = ci != s.shots_ci.end() && ci->second.samples >= 2
                               ? fmt::format(" (+- {:.1f})", ci->second.half_width)
                               : "";
    line(fmt::format("  {:<22} {:>7.1f} shots{} {:>7.1f} kills {:>14.0f} EUR", kind, t.shots, pm, t.kills, t.cost_eur));
  }
  line(fmt::format("cost       defender {} EUR, attacker losses {:.0f} EUR, exchange ratio {}",
                   WithInterval(s.defender_cost_ci, 0), s.attacker_cost_defeated_eur,
                   WithInterval(s.cost_exchange_ratio_ci, 3)));
  std::string rules;
  for (const auto& [rule, n] : s.orders_by_rule) rules += fmt::format(", {:.1f} by rule '{}'", n, rule);
  line(fmt::format("orders     {:.1f} by operator{}", s.orders_by_operator, rules));
  line(fmt::format("warnings   {:.1f} alerts, median lead time {:.0f} s, mean {} s ({} impact); impacts warned {:.1f}, "
                   "unwarned {:.1f}",
                   s.warnings_issued, s.median_lead_time_s, WithInterval(s.lead_time_ci, 0), s.lead_time_basis,
                   s.impacts_warned, s.impacts_unwarned));
  line(fmt::format("tracking   GOSPA mean {:.1f} m", s.gospa_mean_m));
  if (s.latency_measured) {
    line(fmt::format("latency    chain step p50 {:.3f} ms, p99 {:.3f} ms", s.latency_p50_ms, s.latency_p99_ms));
    double total = 0.0;
    for (const auto& [stage, ms] : s.time_ms_by_stage) total += ms;
    std::string shares;
    for (const auto& [stage, ms] : s.time_ms_by_stage) {
      if (total > 0) shares += fmt::format(" {} {:.0f}%", stage, 100.0 * ms / total);
    }
    line(fmt::format("time/run   {:.2f} s:{}", total * 1e-3, shares));
  }
  return out;
}

}  // namespace koepel::sim
