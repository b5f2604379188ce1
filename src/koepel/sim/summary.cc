#include <cmath>
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
  if (s.latency_measured) {
    j["latency_ms"] = {{"p50", Round(s.latency_p50_ms, 3)}, {"p99", Round(s.latency_p99_ms, 3)}};
  } else {
    j["latency_ms"] = {{"p50", nullptr}, {"p99", nullptr}};
  }
  return j.dump(2) + "\n";
}

std::string SummaryToText(const Summary& s) {
  std::string out;
  auto line = [&out](std::string text) { out += text + "\n"; };
  line(fmt::format("scenario   {}  (doctrine {}, seed {}, {} run{})", s.scenario, s.doctrine, s.seed, s.runs,
                   s.runs == 1 ? "" : "s, means"));
  std::string mix;
  for (const auto& [cls, n] : s.threats_by_class) mix += fmt::format(" {} {}", n, cls);
  line(fmt::format("threats    {}:{}", s.threats_total, mix));
  line(fmt::format("defeated   {:.1f}", s.defeated));
  std::string leak;
  for (const auto& [cls, n] : s.leakers_by_class) leak += fmt::format(" {} {:.1f}", cls, n);
  line(fmt::format("leakers    {:.1f} lethal{}", s.leakers, leak.empty() ? "" : " (reached target:" + leak + ")"));
  line(fmt::format("damage     {:.2f} (asset value units)", s.asset_damage));
  line(fmt::format("fratricide {:.1f} shots at civil or friendly objects", s.fratricide));
  line("engagements by layer:");
  for (const auto& [kind, t] : s.engagements) {
    line(fmt::format("  {:<22} {:>7.1f} shots {:>7.1f} kills {:>14.0f} EUR", kind, t.shots, t.kills, t.cost_eur));
  }
  line(fmt::format("cost       defender {:.0f} EUR, attacker losses {:.0f} EUR, exchange ratio {:.3f}",
                   s.defender_cost_eur, s.attacker_cost_defeated_eur, s.cost_exchange_ratio));
  std::string rules;
  for (const auto& [rule, n] : s.orders_by_rule) rules += fmt::format(", {:.1f} by rule '{}'", n, rule);
  line(fmt::format("orders     {:.1f} by operator{}", s.orders_by_operator, rules));
  line(fmt::format("warnings   {:.1f} alerts, median lead time {:.0f} s ({} impact); impacts warned {:.1f}, unwarned {:.1f}",
                   s.warnings_issued, s.median_lead_time_s, s.lead_time_basis, s.impacts_warned, s.impacts_unwarned));
  line(fmt::format("tracking   GOSPA mean {:.1f} m", s.gospa_mean_m));
  if (s.latency_measured) {
    line(fmt::format("latency    chain step p50 {:.3f} ms, p99 {:.3f} ms", s.latency_p50_ms, s.latency_p99_ms));
  }
  return out;
}

}  // namespace koepel::sim
