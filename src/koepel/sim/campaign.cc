// Campaigns: raid days against a depot stock that carries over (see sim.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "koepel/sim/sim.h"
#include "koepel/sim/world.h"

namespace koepel::sim {
namespace {

constexpr size_t kKinds = kEffectorKindCount;
// Rounds the stockpile-aware doctrine counts on for an unlimited kind: never the binding constraint.
constexpr double kUnlimitedRounds = 1.0e9;

bool Limited(const CampaignSettings& c, size_t k) { return c.stock[k].has_value(); }

// The value one member of `raid` puts at risk: its lethality times the asset it is aimed at (by
// name, or the asset its aim point lies on; none: nothing at risk).
double ValueAtRisk(const Scenario& scenario, const Raid& raid) {
  for (const ScenarioAsset& a : scenario.assets) {
    const bool aimed = raid.aim_asset ? *raid.aim_asset == a.asset.name : internal::HitsAsset(a.asset, raid.aim_position);
    if (aimed) return raid.lethality * a.asset.value;
  }
  return 0.0;
}

// What the campaign plan still holds from `day` to the end, by class, for the stockpile-aware doctrine.
std::vector<wta::ExpectedThreats> ExpectedFrom(const Scenario& scenario, int day, int days) {
  std::array<double, kObjectClassCount> count{};
  std::array<double, kObjectClassCount> value{};
  for (int d = day; d <= days; ++d) {
    for (const Raid& r : CampaignDayRaids(scenario, d)) {
      const auto c = static_cast<size_t>(r.object_class);
      count[c] += r.count;
      value[c] += r.count * ValueAtRisk(scenario, r);
    }
  }
  std::vector<wta::ExpectedThreats> out;
  for (size_t c = 0; c < kObjectClassCount; ++c) {
    if (count[c] > 0) out.push_back({static_cast<ObjectClass>(c), count[c], value[c] / count[c]});
  }
  return out;
}

// One replicate of the campaign under one doctrine.
std::vector<CampaignRunDay> RunOneCampaign(const Scenario& scenario, uint64_t seed, Doctrine doctrine, int run,
                                           const CampaignOptions& options) {
  const CampaignSettings& c = scenario.campaign;
  std::array<int64_t, kKinds> stock{};
  for (size_t k = 0; k < kKinds; ++k) stock[k] = c.stock[k].value_or(0);
  RunOptions run_options;
  run_options.warning_regions = options.warning_regions;
  std::vector<CampaignRunDay> days;
  for (int day = 1; day <= options.days; ++day) {
    const uint64_t day_seed = CampaignDaySeed(seed, day);
    Scenario s = scenario;
    s.doctrine = doctrine;
    s.raids = options.raids ? options.raids(scenario, day, day_seed, run) : CampaignDayRaids(scenario, day);
    CampaignRunDay out;
    out.day = day;
    out.start = stock;
    for (const Raid& r : s.raids) out.threats += r.count;

    // Load the depot's rounds into the limited kinds' effectors.
    std::array<int64_t, kKinds> loaded{};
    for (size_t k = 0; k < kKinds; ++k) {
      if (!Limited(c, k)) continue;
      std::vector<size_t> members;
      std::vector<int64_t> capacity;
      for (size_t i = 0; i < s.effectors.size(); ++i) {
        const Effector& e = s.effectors[i].effector;
        if (static_cast<size_t>(e.kind) != k) continue;
        members.push_back(i);
        capacity.push_back(e.reload_time > Duration() ? -1 : e.magazine);
      }
      const std::vector<int64_t> alloc = AllocateRounds(stock[k], capacity);
      for (size_t m = 0; m < members.size(); ++m) {
        Effector& e = s.effectors[members[m]].effector;
        e.magazine = static_cast<int>(alloc[m]);
        e.reload_time = Duration();  // its reloads come out of the same depot: all loaded now
        e.reload_rounds = 0;
        loaded[k] += alloc[m];
      }
    }
    // What the stockpile-aware doctrine may count on besides what is loaded.
    s.stockpile.given = true;
    s.stockpile.expected_threats = ExpectedFrom(scenario, day, options.days);
    for (size_t k = 0; k < kKinds; ++k) {
      s.stockpile.resupply_rounds[k] =
          Limited(c, k) ? static_cast<double>(stock[k] - loaded[k] + c.resupply_per_day[k] * (options.days - day))
                        : kUnlimitedRounds;
    }

    const RunResult result = RunScenario(s, day_seed, run, run_options);
    for (const ThreatOutcome& t : result.threats) {
      if (t.defeated) {
        ++out.defeated;
        out.attacker_cost_defeated_eur += t.unit_cost_eur;
      }
      if (t.leaked && t.object_class != ObjectClass::kDecoy) ++out.leakers;
      out.damage += t.damage;
    }
    for (const ShotRecord& shot : result.shots) {
      ++out.used[static_cast<size_t>(shot.effector_kind)];
      out.cost_eur += shot.cost_eur;
      EffectorTally& tally = out.engagements[std::string(EffectorKindName(shot.effector_kind))];
      tally.shots += 1;
      tally.kills += shot.kill ? 1 : 0;
      tally.cost_eur += shot.cost_eur;
    }
    out.lead_times_s = result.impact_lead_times_s;
    for (size_t k = 0; k < kKinds; ++k) {
      if (!Limited(c, k)) continue;
      KOEPEL_CHECK(out.used[k] <= loaded[k], "an effector fired more rounds than it was loaded with");
      out.remaining[k] = stock[k] - out.used[k];
      out.resupply[k] = c.resupply_per_day[k];
      stock[k] = out.remaining[k] + out.resupply[k];
    }
    days.push_back(std::move(out));
  }
  return days;
}

DoctrineCampaign Aggregate(Doctrine doctrine, std::vector<std::vector<CampaignRunDay>> runs, const CampaignSettings& c,
                           int days) {
  DoctrineCampaign d;
  d.doctrine = doctrine;
  d.runs = std::move(runs);
  const size_t n = d.runs.size();
  const double nd = static_cast<double>(n);
  for (int day = 1; day <= days; ++day) {
    CampaignDay m;
    m.day = day;
    std::vector<double> leakers, damage, cost;
    for (const auto& run : d.runs) {
      const CampaignRunDay& r = run[static_cast<size_t>(day - 1)];
      m.threats += r.threats / nd;
      m.defeated += r.defeated / nd;
      leakers.push_back(r.leakers);
      damage.push_back(r.damage);
      cost.push_back(r.cost_eur);
      for (size_t k = 0; k < kKinds; ++k) {
        m.start[k] += static_cast<double>(r.start[k]) / nd;
        m.used[k] += static_cast<double>(r.used[k]) / nd;
        m.remaining[k] += static_cast<double>(r.remaining[k]) / nd;
        m.resupply[k] += static_cast<double>(r.resupply[k]) / nd;
      }
    }
    m.leakers = MeanEstimate(leakers);
    m.damage = MeanEstimate(damage);
    m.cost_eur = MeanEstimate(cost);
    d.days.push_back(m);
  }
  for (size_t k = 0; k < kKinds; ++k) {
    if (!Limited(c, k)) continue;
    StockOut out;
    std::vector<int> sorted;
    for (const auto& run : d.runs) {
      int first = 0;
      for (const CampaignRunDay& r : run) {
        if (r.remaining[k] == 0) {
          first = r.day;
          break;
        }
      }
      out.day_per_run.push_back(first);
      sorted.push_back(first == 0 ? std::numeric_limits<int>::max() : first);
    }
    std::sort(sorted.begin(), sorted.end());
    out.fraction_of_runs = static_cast<double>(std::count_if(sorted.begin(), sorted.end(), [](int x) {
                             return x != std::numeric_limits<int>::max();
                           })) / nd;
    const int median = sorted[(n - 1) / 2];  // the day by which at least half had run out
    if (median != std::numeric_limits<int>::max()) out.median_day = median;
    d.stock_out[k] = std::move(out);
  }
  std::vector<double> leakers, damage, cost, attacker;
  for (const auto& run : d.runs) {
    double l = 0, dm = 0, co = 0, at = 0;
    for (const CampaignRunDay& r : run) {
      l += r.leakers;
      dm += r.damage;
      co += r.cost_eur;
      at += r.attacker_cost_defeated_eur;
      for (const auto& [kind, t] : r.engagements) {
        EffectorTally& total = d.engagements[kind];
        total.shots += t.shots / nd;
        total.kills += t.kills / nd;
        total.cost_eur += t.cost_eur / nd;
      }
      d.lead_times_s.insert(d.lead_times_s.end(), r.lead_times_s.begin(), r.lead_times_s.end());
    }
    leakers.push_back(l);
    damage.push_back(dm);
    cost.push_back(co);
    attacker.push_back(at);
  }
  d.leakers = MeanEstimate(leakers);
  d.damage = MeanEstimate(damage);
  d.cost_eur = MeanEstimate(cost);
  d.cost_exchange_ratio = RatioEstimate(attacker, cost);
  d.attacker_cost_defeated_eur = MeanEstimate(attacker).mean;
  return d;
}

double Round(double x, int decimals = 3) {
  const double f = std::pow(10.0, decimals);
  const double r = std::round(x * f) / f;
  return r == 0.0 ? 0.0 : r;
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

std::string KindName(size_t k) { return std::string(EffectorKindName(static_cast<EffectorKind>(k))); }

// Kinds that fired in any doctrine, or have a stock.
std::vector<size_t> KindsToShow(const CampaignResult& r) {
  std::vector<size_t> kinds;
  for (size_t k = 0; k < kKinds; ++k) {
    bool show = r.stock[k].has_value();
    for (const DoctrineCampaign& d : r.doctrines) {
      for (const CampaignDay& day : d.days) show = show || day.used[k] > 0;
    }
    if (show) kinds.push_back(k);
  }
  return kinds;
}

}  // namespace

std::vector<Raid> CampaignDayRaids(const Scenario& scenario, int day) {
  const double tempo = TempoOnDay(scenario.campaign, day);
  std::vector<Raid> raids;
  for (const Raid& r : scenario.raids) {
    const auto days = std::find_if(scenario.campaign.raid_days.begin(), scenario.campaign.raid_days.end(),
                                   [&](const RaidDays& d) { return d.raid == r.name; });
    if (days != scenario.campaign.raid_days.end() && (day < days->first || day > days->last)) continue;
    Raid scaled = r;
    scaled.count = static_cast<int>(std::lround(r.count * tempo));
    if (scaled.count > 0) raids.push_back(std::move(scaled));
  }
  return raids;
}

uint64_t CampaignDaySeed(uint64_t seed, int day) {
  return DeriveSeed(seed ^ HashName("campaign-day"), static_cast<uint64_t>(day));
}

std::vector<int64_t> AllocateRounds(int64_t stock, const std::vector<int64_t>& capacity) {
  std::vector<int64_t> alloc(capacity.size(), 0);
  auto open = [&](size_t i) { return capacity[i] < 0 || alloc[i] < capacity[i]; };
  // Water-filling: an equal share to every effector with room, until the rounds or the room run out.
  while (stock > 0) {
    std::vector<size_t> room;
    for (size_t i = 0; i < capacity.size(); ++i) {
      if (open(i)) room.push_back(i);
    }
    if (room.empty()) break;
    const int64_t share = stock / static_cast<int64_t>(room.size());
    if (share == 0) {
      for (size_t j = 0; j < room.size() && stock > 0; ++j, --stock) ++alloc[room[j]];
      break;
    }
    for (size_t i : room) {
      const int64_t give = capacity[i] < 0 ? share : std::min(share, capacity[i] - alloc[i]);
      alloc[i] += give;
      stock -= give;
    }
  }
  return alloc;
}

CampaignResult RunCampaign(const Scenario& scenario, uint64_t seed, const CampaignOptions& options) {
  KOEPEL_CHECK(options.days >= 1 && options.runs >= 1, "a campaign needs a day and a run");
  CampaignResult result;
  result.scenario = scenario.name;
  result.seed = seed;
  result.days = options.days;
  result.runs = options.runs;
  result.tempo_preset = scenario.campaign.tempo.empty() ? scenario.campaign.tempo_preset : "";
  for (int day = 1; day <= options.days; ++day) result.tempo.push_back(TempoOnDay(scenario.campaign, day));
  result.stock = scenario.campaign.stock;
  result.resupply_per_day = scenario.campaign.resupply_per_day;

  const size_t doctrines = options.doctrines.size();
  const size_t runs = static_cast<size_t>(options.runs);
  std::vector<std::vector<CampaignRunDay>> all(doctrines * runs);
  ForEachRun(
      static_cast<int>(all.size()), options.threads,
      [&](int task) {
        const size_t t = static_cast<size_t>(task);
        all[t] = RunOneCampaign(scenario, seed, options.doctrines[t / runs], static_cast<int>(t % runs), options);
      },
      options.progress);
  for (size_t d = 0; d < doctrines; ++d) {
    std::vector<std::vector<CampaignRunDay>> of_doctrine(std::make_move_iterator(all.begin() + d * runs),
                                                         std::make_move_iterator(all.begin() + (d + 1) * runs));
    result.doctrines.push_back(Aggregate(options.doctrines[d], std::move(of_doctrine), scenario.campaign, options.days));
  }
  return result;
}

std::string CampaignToJson(const CampaignResult& r) {
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["days"] = r.days;
  j["runs"] = r.runs;
  j["tempo"] = {{"preset", r.tempo_preset.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.tempo_preset)},
                {"by_day", nlohmann::ordered_json::array()}};
  for (double t : r.tempo) j["tempo"]["by_day"].push_back(Round(t));
  nlohmann::ordered_json stock = nlohmann::ordered_json::object();
  for (size_t k = 0; k < kKinds; ++k) {
    if (r.stock[k]) stock[KindName(k)] = {{"initial", *r.stock[k]}, {"resupply_per_day", r.resupply_per_day[k]}};
  }
  j["stock"] = stock;
  const std::vector<size_t> kinds = KindsToShow(r);
  nlohmann::ordered_json doctrines = nlohmann::ordered_json::object();
  for (const DoctrineCampaign& d : r.doctrines) {
    nlohmann::ordered_json dj;
    nlohmann::ordered_json days = nlohmann::ordered_json::array();
    for (const CampaignDay& day : d.days) {
      nlohmann::ordered_json x;
      x["day"] = day.day;
      x["threats"] = Round(day.threats);
      x["defeated"] = Round(day.defeated);
      x["leakers"] = EstimateJson(day.leakers, 3);
      x["damage"] = EstimateJson(day.damage, 3);
      x["cost_eur"] = EstimateJson(day.cost_eur, 0);
      nlohmann::ordered_json rounds = nlohmann::ordered_json::object();
      for (size_t k : kinds) {
        if (r.stock[k]) {
          rounds[KindName(k)] = {{"start", Round(day.start[k])},
                                 {"used", Round(day.used[k])},
                                 {"remaining", Round(day.remaining[k])},
                                 {"resupply", Round(day.resupply[k])}};
        } else {
          rounds[KindName(k)] = {{"used", Round(day.used[k])}, {"remaining", nullptr}};
        }
      }
      x["rounds"] = rounds;
      days.push_back(x);
    }
    dj["days"] = days;
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (size_t k = 0; k < kKinds; ++k) {
      if (!d.stock_out[k]) continue;
      const StockOut& s = *d.stock_out[k];
      out[KindName(k)] = {{"median_day", s.median_day ? nlohmann::ordered_json(*s.median_day) : nlohmann::ordered_json(nullptr)},
                          {"fraction_of_runs", Round(s.fraction_of_runs)},
                          {"day_per_run", s.day_per_run}};
    }
    dj["stock_out"] = out;
    nlohmann::ordered_json engagements = nlohmann::ordered_json::object();
    for (const auto& [kind, t] : d.engagements) {
      engagements[kind] = {{"shots", Round(t.shots)}, {"kills", Round(t.kills)}, {"cost_eur", Round(t.cost_eur, 0)}};
    }
    dj["totals"] = {{"leakers", EstimateJson(d.leakers, 3)},
                    {"damage", EstimateJson(d.damage, 3)},
                    {"cost_eur", EstimateJson(d.cost_eur, 0)},
                    {"attacker_cost_defeated_eur", Round(d.attacker_cost_defeated_eur, 0)},
                    {"cost_exchange_ratio", EstimateJson(d.cost_exchange_ratio, 4)},
                    {"engagements", engagements}};
    doctrines[std::string(DoctrineName(d.doctrine))] = dj;
  }
  j["doctrines"] = doctrines;
  return j.dump(2) + "\n";
}

std::string CampaignToText(const CampaignResult& r) {
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  std::string tempo = r.tempo_preset.empty() ? "by day" : r.tempo_preset;
  tempo += " (";
  for (size_t i = 0; i < r.tempo.size() && i < 10; ++i) tempo += fmt::format("{}{:g}", i ? " " : "", r.tempo[i]);
  tempo += r.tempo.size() > 10 ? " ...)" : ")";
  line(fmt::format("campaign   {}: {} day{}, {} run{}{}, seed {}, tempo {}", r.scenario, r.days, r.days == 1 ? "" : "s",
                   r.runs, r.runs == 1 ? "" : "s", r.runs == 1 ? "" : " (means)", r.seed, tempo));
  std::string stock;
  for (size_t k = 0; k < kKinds; ++k) {
    if (r.stock[k]) stock += fmt::format("{}{} {} (+{}/day)", stock.empty() ? "" : ", ", KindName(k), *r.stock[k],
                                         r.resupply_per_day[k]);
  }
  line(fmt::format("stock      {}; other munitions unlimited", stock.empty() ? "none limited" : stock));

  constexpr int kCol = 18;
  std::string header = fmt::format("{:<24}", "");
  for (const DoctrineCampaign& d : r.doctrines) header += fmt::format("{:>{}}", DoctrineName(d.doctrine), kCol);
  auto block = [&](const std::string& title, const std::function<std::string(const DoctrineCampaign&, size_t)>& cell,
                   const std::function<std::string(const DoctrineCampaign&)>& total) {
    line("");
    line(title);
    line(header);
    for (int day = 1; day <= r.days; ++day) {
      std::string row = fmt::format("{:<24}", fmt::format("  day {}", day));
      for (const DoctrineCampaign& d : r.doctrines) row += fmt::format("{:>{}}", cell(d, static_cast<size_t>(day - 1)), kCol);
      line(row);
    }
    if (total) {
      std::string row = fmt::format("{:<24}", "  campaign");
      for (const DoctrineCampaign& d : r.doctrines) row += fmt::format("{:>{}}", total(d), kCol);
      line(row);
    }
  };
  auto pm = [](const Estimate& e, int decimals, double scale = 1.0) {
    if (e.samples < 2) return fmt::format("{:.{}f}", e.mean / scale, decimals);
    return fmt::format("{:.{}f}+-{:.{}f}", e.mean / scale, decimals, e.half_width / scale, decimals);
  };
  block("lethal leakers", [&](const DoctrineCampaign& d, size_t i) { return pm(d.days[i].leakers, 1); },
        [&](const DoctrineCampaign& d) { return pm(d.leakers, 1); });
  block("asset damage", [&](const DoctrineCampaign& d, size_t i) { return pm(d.days[i].damage, 1); },
        [&](const DoctrineCampaign& d) { return pm(d.damage, 1); });
  block("defender cost (M EUR)", [&](const DoctrineCampaign& d, size_t i) { return pm(d.days[i].cost_eur, 1, 1e6); },
        [&](const DoctrineCampaign& d) { return pm(d.cost_eur, 1, 1e6); });
  for (size_t k : KindsToShow(r)) {
    if (r.stock[k]) {
      block(KindName(k) + " rounds used / left after the day",
            [&](const DoctrineCampaign& d, size_t i) {
              return fmt::format("{:.1f} / {:.1f}", d.days[i].used[k], d.days[i].remaining[k]);
            },
            {});
    } else {
      block(KindName(k) + " rounds used (unlimited)",
            [&](const DoctrineCampaign& d, size_t i) { return fmt::format("{:.1f}", d.days[i].used[k]); }, {});
    }
  }
  line("");
  line("stock runs out (median day over runs)");
  line(header);
  for (size_t k = 0; k < kKinds; ++k) {
    if (!r.stock[k]) continue;
    std::string row = fmt::format("{:<24}", "  " + KindName(k));
    for (const DoctrineCampaign& d : r.doctrines) {
      const StockOut& s = *d.stock_out[k];
      std::string cell = s.median_day ? fmt::format("day {}", *s.median_day) : "never";
      if (r.runs > 1) cell += fmt::format(" ({:.0f}%)", 100.0 * s.fraction_of_runs);
      row += fmt::format("{:>{}}", cell, kCol);
    }
    line(row);
  }
  std::string row = fmt::format("{:<24}", "exchange");
  for (const DoctrineCampaign& d : r.doctrines) row += fmt::format("{:>{}}", pm(d.cost_exchange_ratio, 3), kCol);
  line("");
  line("cost-exchange ratio (attacker cost defeated per euro spent)");
  line(header);
  line(row);
  return out;
}

}  // namespace koepel::sim
