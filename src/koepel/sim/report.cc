// The HTML reports of `koepel run --report` and `koepel campaign --report`.
#include <fmt/format.h>

#include <algorithm>

#include "koepel/sim/sim.h"
#include "koepel/sim/svg.h"

namespace koepel::sim {
namespace {

using internal::EscapeXml;

std::string Cell(const Estimate& e, int decimals) {
  if (e.samples < 2) return fmt::format("{:.{}f}", e.mean, decimals);
  return fmt::format("{:.{}f} &#177; {:.{}f}", e.mean, decimals, e.half_width, decimals);
}

// Cost per defeated threat by layer: what a layer spent over the kills it made.
std::string CostPerKillPlot(std::string_view id, std::string_view title,
                            const std::vector<std::pair<std::string, std::map<std::string, EffectorTally>>>& by_series) {
  std::vector<std::string> kinds;
  for (const auto& [name, tallies] : by_series) {
    for (const auto& [kind, t] : tallies) {
      if (t.kills > 0 && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
  }
  std::sort(kinds.begin(), kinds.end());
  std::vector<internal::Series> series;
  for (const auto& [name, tallies] : by_series) {
    internal::Series s{name, {}};
    for (size_t i = 0; i < kinds.size(); ++i) {
      const auto it = tallies.find(kinds[i]);
      if (it != tallies.end() && it->second.kills > 0) {
        s.points.emplace_back(static_cast<double>(i), it->second.cost_eur / it->second.kills);
      }
    }
    series.push_back(std::move(s));
  }
  return internal::BarPlot(id, title, "EUR per kill", kinds, series);
}

}  // namespace

std::string SummaryToHtml(const Summary& s) {
  std::string body;
  body += fmt::format("<p>Scenario <b>{}</b>, doctrine {}, seed {}, {} run{}. Means with 95 % confidence "
                      "intervals (Student t over runs).</p>\n",
                      EscapeXml(s.scenario), EscapeXml(s.doctrine), s.seed, s.runs, s.runs == 1 ? "" : "s");
  body += "<table id=\"summary\">\n<tr><th>figure</th><th>mean</th></tr>\n";
  auto row = [&body](std::string_view name, const std::string& value) {
    body += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", name, value);
  };
  row("threats", std::to_string(s.threats_total));
  row("defeated", fmt::format("{:.2f}", s.defeated));
  row("lethal leakers", Cell(s.leakers_ci, 2));
  row("asset damage", Cell(s.asset_damage_ci, 2));
  row("defender cost (EUR)", Cell(s.defender_cost_ci, 0));
  row("attacker cost defeated (EUR)", fmt::format("{:.0f}", s.attacker_cost_defeated_eur));
  row("cost-exchange ratio", Cell(s.cost_exchange_ratio_ci, 3));
  row(fmt::format("warning lead time, s ({})", EscapeXml(s.lead_time_basis)), Cell(s.lead_time_ci, 1));
  row("fratricide", fmt::format("{:.2f}", s.fratricide));
  body += "</table>\n";
  body += "<table id=\"layers\">\n<tr><th>layer</th><th>shots</th><th>kills</th><th>cost (EUR)</th>"
          "<th>EUR per kill</th></tr>\n";
  for (const auto& [kind, t] : s.engagements) {
    const auto ci = s.shots_ci.find(kind);
    body += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.2f}</td><td>{:.0f}</td><td>{}</td></tr>\n", EscapeXml(kind),
                        ci != s.shots_ci.end() ? Cell(ci->second, 2) : fmt::format("{:.2f}", t.shots), t.kills,
                        t.cost_eur, t.kills > 0 ? fmt::format("{:.0f}", t.cost_eur / t.kills) : "no kills");
  }
  body += "</table>\n";

  body += internal::HistogramPlot("plot-leakers", "Lethal leakers per run", "lethal leakers", s.leakers_per_run);
  body += CostPerKillPlot("plot-cost-per-kill", "Cost per defeated threat by layer", {{s.doctrine, s.engagements}});
  std::vector<double> ratios;
  for (size_t i = 0; i < s.defender_cost_per_run.size(); ++i) {
    if (s.defender_cost_per_run[i] > 0) ratios.push_back(s.attacker_cost_defeated_per_run[i] / s.defender_cost_per_run[i]);
  }
  body += internal::HistogramPlot("plot-exchange-ratio",
                                  fmt::format("Cost-exchange ratio per run (mean of the ratio estimator {})",
                                              Cell(s.cost_exchange_ratio_ci, 3)),
                                  "attacker cost defeated / defender cost", ratios);
  body += internal::HistogramPlot("plot-lead-times",
                                  fmt::format("Warning lead times ({} impact)", s.lead_time_basis),
                                  "seconds from alert to impact", s.lead_times_s);
  return internal::HtmlPage("koepel run: " + s.scenario, body);
}

std::string CampaignToHtml(const CampaignResult& r) {
  std::string body;
  body += fmt::format("<p>Scenario <b>{}</b>: {} day{}, {} run{}, seed {}. Doctrines side by side on the same raids; "
                      "means over runs with 95 % confidence intervals.</p>\n",
                      EscapeXml(r.scenario), r.days, r.days == 1 ? "" : "s", r.runs, r.runs == 1 ? "" : "s", r.seed);
  body += "<table id=\"totals\">\n<tr><th>doctrine</th><th>lethal leakers</th><th>asset damage</th>"
          "<th>defender cost (EUR)</th><th>cost-exchange ratio</th><th>stock runs out</th></tr>\n";
  for (const DoctrineCampaign& d : r.doctrines) {
    std::string out;
    for (size_t k = 0; k < kEffectorKindCount; ++k) {
      if (!d.stock_out[k]) continue;
      if (!out.empty()) out += ", ";
      out += fmt::format("{} {}", EffectorKindName(static_cast<EffectorKind>(k)),
                         d.stock_out[k]->median_day ? fmt::format("day {}", *d.stock_out[k]->median_day) : "never");
    }
    body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        DoctrineName(d.doctrine), Cell(d.leakers, 2), Cell(d.damage, 1), Cell(d.cost_eur, 0),
                        Cell(d.cost_exchange_ratio, 3), out.empty() ? "no stock limits" : out);
  }
  body += "</table>\n";

  // Stock curves: x = 0 is the initial stock, x = d what is left after day d's firing (before its resupply).
  for (size_t k = 0; k < kEffectorKindCount; ++k) {
    if (!r.stock[k]) continue;
    const std::string kind(EffectorKindName(static_cast<EffectorKind>(k)));
    std::vector<internal::Series> series;
    for (const DoctrineCampaign& d : r.doctrines) {
      internal::Series s{std::string(DoctrineName(d.doctrine)), {{0.0, static_cast<double>(*r.stock[k])}}};
      for (const CampaignDay& day : d.days) s.points.emplace_back(day.day, day.remaining[k]);
      series.push_back(std::move(s));
    }
    body += internal::LinePlot("plot-stock-" + kind,
                               fmt::format("{} stock left after each day (resupply {} a day)", kind,
                                           r.resupply_per_day[k]),
                               "day", "rounds", series);
  }
  std::vector<internal::Series> leakers, cost;
  for (const DoctrineCampaign& d : r.doctrines) {
    internal::Series l{std::string(DoctrineName(d.doctrine)), {}};
    internal::Series c{std::string(DoctrineName(d.doctrine)), {}};
    for (const CampaignDay& day : d.days) {
      l.points.emplace_back(day.day, day.leakers.mean);
      c.points.emplace_back(day.day, day.cost_eur.mean);
    }
    leakers.push_back(std::move(l));
    cost.push_back(std::move(c));
  }
  body += internal::LinePlot("plot-leakers-by-day", "Lethal leakers by day", "day", "leakers", leakers);
  body += internal::LinePlot("plot-cost-by-day", "Defender cost by day", "day", "EUR", cost);
  std::vector<std::pair<std::string, std::map<std::string, EffectorTally>>> tallies;
  std::vector<std::string> names;
  internal::Series ratio{"cost-exchange ratio", {}};
  for (size_t i = 0; i < r.doctrines.size(); ++i) {
    const DoctrineCampaign& d = r.doctrines[i];
    names.emplace_back(DoctrineName(d.doctrine));
    tallies.emplace_back(names.back(), d.engagements);
    ratio.points.emplace_back(static_cast<double>(i), d.cost_exchange_ratio.mean);
  }
  body += CostPerKillPlot("plot-cost-per-kill", "Cost per defeated threat by layer", tallies);
  body += internal::BarPlot("plot-exchange-ratio", "Cost-exchange ratio over the campaign (attacker cost defeated / "
                            "defender cost)", "ratio", names, {ratio});
  for (const DoctrineCampaign& d : r.doctrines) {
    const std::string name(DoctrineName(d.doctrine));
    body += internal::HistogramPlot("plot-lead-times-" + name, "Warning lead times at impact: " + name,
                                    "seconds from alert to impact", d.lead_times_s);
  }
  return internal::HtmlPage("koepel campaign: " + r.scenario, body);
}

}  // namespace koepel::sim
