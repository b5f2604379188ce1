#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "koepel/sim/sensors.h"
#include "koepel/sim/sim.h"
#include "koepel/sim/world.h"

namespace koepel::sim {
namespace {

using internal::HitsAsset;
using internal::WorldObject;

std::vector<WorldObject> BuildWorld(const Scenario& scenario, uint64_t seed, int run_index) {
  std::vector<WorldObject> objects;
  IdSequence<ObjectId> ids;
  for (size_t r = 0; r < scenario.raids.size(); ++r) {
    const Raid& raid = scenario.raids[r];
    Rng rng = Rng::ForComponent(seed, static_cast<uint64_t>(run_index), "raid:" + raid.name);
    for (int k = 0; k < raid.count; ++k) {
      WorldObject o;
      o.id = ids.Next();
      o.name = fmt::format("{}-{}", raid.name, k + 1);
      o.object_class = raid.object_class;
      o.is_threat = true;
      o.raid = static_cast<int>(r);
      o.unit_cost_eur = raid.unit_cost_eur;
      o.lethality = raid.lethality;
      o.rcs_m2 = raid.rcs_m2;
      o.radio_controlled = raid.radio_controlled;
      o.emits_rf = raid.emits_rf;
      o.speed_mps = raid.speed_mps;
      o.cruise_altitude_m = raid.altitude.cruise_altitude_m;
      o.dive_distance_m = raid.altitude.terminal_dive_m;
      const double launch_s = rng.Uniform(raid.launch_start.seconds(), raid.launch_end.seconds());
      o.launch = SimTime::Epoch() + SecondsF(launch_s);
      // Launch point uniform over the launch disc; aim point scattered around the aim.
      const double rr = raid.launch_radius_m * std::sqrt(rng.Uniform());
      const double th = rng.Uniform(0.0, 2.0 * M_PI);
      const Vec3 start = raid.launch_position + Vec3(rr * std::cos(th), rr * std::sin(th), 0.0);
      const Vec3 aim = raid.aim_position + Vec3(rng.Normal(0, raid.aim_spread_m), rng.Normal(0, raid.aim_spread_m), 0.0);
      if (raid.object_class == ObjectClass::kBallisticMissile) {
        o.ballistic_start = start;
        o.ballistic_aim = aim;
        o.ballistic_vz0 = std::sqrt(2.0 * internal::kGravity * std::max(raid.altitude.apogee_m, 1000.0));
        o.ballistic_flight_s = 2.0 * o.ballistic_vz0 / internal::kGravity;
        if (raid.altitude.terminal_manoeuvre_m > 0.0) {
          o.jink_m = rng.Bernoulli(0.5) ? raid.altitude.terminal_manoeuvre_m : -raid.altitude.terminal_manoeuvre_m;
          o.jink_s = raid.altitude.terminal_manoeuvre_s;
        }
      } else {
        o.route.push_back(start);
        for (const Vec3& w : raid.waypoint_positions) o.route.push_back(w);
        o.route.push_back(aim);
        o.loiter_s = raid.loiter_s;
        if (raid.standoff_m > 0.0) {
          o.weapon_aim = aim;
          internal::ShortenRoute(o, raid.standoff_m);
        }
      }
      objects.push_back(std::move(o));
    }
  }
  for (const CivilFlight& f : scenario.civil_traffic) {
    WorldObject o;
    o.id = ids.Next();
    o.name = f.callsign;
    o.object_class = f.object_class;
    o.is_protected = true;
    o.rcs_m2 = f.rcs_m2;
    o.broadcasts_adsb = f.broadcasts_adsb;
    o.friendly_iff = f.friendly;
    if (f.broadcasts_adsb) o.icao24 = f.icao24;
    o.callsign = f.callsign;
    o.launch = SimTime::Epoch() + f.start;
    o.route = {f.from_position, f.to_position};
    o.speed_mps = f.speed_mps;
    o.cruise_altitude_m = f.altitude_m;
    o.ends_in_impact = false;
    objects.push_back(std::move(o));
  }
  for (const BirdFlock& flock : scenario.birds) {
    Rng rng = Rng::ForComponent(seed, static_cast<uint64_t>(run_index), "birds:" + flock.name);
    for (int k = 0; k < flock.count; ++k) {
      WorldObject o;
      o.id = ids.Next();
      o.name = fmt::format("{}-{}", flock.name, k + 1);
      o.object_class = ObjectClass::kBird;
      o.rcs_m2 = flock.rcs_m2;
      o.speed_mps = flock.speed_mps;
      o.wanders = true;
      o.launched = true;
      o.wander_center = flock.center_position;
      o.wander_radius_m = flock.radius_m;
      const double r = flock.radius_m * std::sqrt(rng.Uniform());
      const double th = rng.Uniform(0.0, 2.0 * M_PI);
      o.position = flock.center_position + Vec3(r * std::cos(th), r * std::sin(th), rng.Normal(0.0, 20.0));
      o.position.z() = std::max(5.0, o.position.z());
      o.heading_rad = rng.Uniform(-M_PI, M_PI);
      objects.push_back(std::move(o));
    }
  }
  return objects;
}

// Receives the engine's orders; the simulator resolves them when the interceptor arrives.
class SimEffectorLink final : public ports::EffectorLink {
 public:
  void Order(const Engagement& e) override { new_orders_.push_back(e); }
  std::vector<Engagement> TakeNewOrders() { return std::exchange(new_orders_, {}); }

 private:
  std::vector<Engagement> new_orders_;
};

// The operator at the approval desk: after a reaction time, looks at the track behind each
// proposal. Approves (with the modelled probability) only what is identified hostile now, denies
// what is civil, friendly or neutral, and keeps the rest waiting for a clearer picture.
class SimulatedOperator final : public ports::ApprovalDesk {
 public:
  SimulatedOperator(OperatorModel model, Rng rng) : model_(model), rng_(rng) {}
  std::vector<OperatorDecision> Review(SimTime now, const std::vector<Engagement>& open,
                                       std::span<const Track> tracks) override {
    std::vector<OperatorDecision> decisions;
    for (const Engagement& e : open) {
      if (now - e.proposed_at < model_.reaction_time) continue;
      if (std::binary_search(decided_.begin(), decided_.end(), e.id)) continue;
      const auto track = std::find_if(tracks.begin(), tracks.end(), [&](const Track& t) { return t.id == e.track; });
      if (track == tracks.end()) continue;
      const Affiliation a = track->identity.affiliation;
      if (a != Affiliation::kHostile && !IsProtected(a)) continue;  // not sure yet: wait
      decided_.insert(std::upper_bound(decided_.begin(), decided_.end(), e.id), e.id);
      if (IsProtected(a)) {
        decisions.push_back({e.id, false, "sim-operator", "track is " + std::string(AffiliationName(a))});
        continue;
      }
      const bool approve = rng_.Bernoulli(model_.approval_probability);
      decisions.push_back({e.id, approve, "sim-operator", approve ? "hostile, approved" : "not convinced"});
    }
    return decisions;
  }

 private:
  OperatorModel model_;
  Rng rng_;
  std::vector<EngagementId> decided_;
};

class WarningCollector final : public ports::WarningSink {
 public:
  explicit WarningCollector(ports::WarningSink* forward) : forward_(forward) {}
  void Emit(const Warning& w) override {
    warnings.push_back(w);
    if (forward_ != nullptr) forward_->Emit(w);
  }
  std::vector<Warning> warnings;

 private:
  ports::WarningSink* forward_;
};

struct PendingShot {
  Engagement engagement;
  int object_index = -1;  // the true object aimed at; -1: a false track
  size_t shot_record = 0;
};

// The true object a track follows: the closest in position and velocity together (a decoy
// crossing a flock of gulls is near the birds but three times as fast). -1: none is close enough
// (the track is false, or follows clutter).
int FollowedObject(const std::vector<WorldObject>& objects, const TrackState& track) {
  constexpr double kPositionScaleM = 300.0;
  constexpr double kVelocityScaleMps = 15.0;
  constexpr double kMaxDistance2 = 2.0 * 2.0;
  int best = -1;
  double best_d2 = kMaxDistance2;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (!objects[i].airborne()) continue;
    // Fast objects are tracked with a larger lag: the scales grow with the object's speed.
    const double speed = objects[i].velocity.norm();
    const double dp = (objects[i].position - track.position()).norm() / std::max(kPositionScaleM, 1.0 * speed);
    const double dv = (objects[i].velocity - track.velocity()).norm() / std::max(kVelocityScaleMps, 0.2 * speed);
    const double d2 = dp * dp + dv * dv;
    if (d2 < best_d2) {
      best_d2 = d2;
      best = static_cast<int>(i);
    }
  }
  return best;
}

const Effector& FindEffector(const std::vector<Effector>& effectors, EffectorId id) {
  auto it = std::find_if(effectors.begin(), effectors.end(), [&](const Effector& e) { return e.id == id; });
  KOEPEL_CHECK(it != effectors.end(), "an order names an effector the scenario does not have");
  return *it;
}

// Lead time of the civil warning for one impact: from the alert in force for the region hit.
void RecordWarningLead(const WorldObject& o, const std::vector<Warning>& warnings,
                       const std::vector<NamedRegion>& regions, const geo::LocalFrame& frame, RunResult& result) {
  const Vec3 impact = internal::ImpactPoint(o);
  const geo::LatLonAlt where = frame.ToGeodetic(Vec3(impact.x(), impact.y(), 0.0));
  for (const NamedRegion& region : regions) {
    if (!geo::Contains(region.area, where.lat_deg, where.lon_deg)) continue;
    std::optional<SimTime> active_since;
    for (const Warning& w : warnings) {
      if (w.region_code != region.code || w.issued_at > *o.finish_time) continue;
      if (w.kind == WarningKind::kAllClear) {
        active_since.reset();
      } else if (!active_since) {
        active_since = w.issued_at;
      }
    }
    if (active_since) {
      result.impact_lead_times_s.push_back((*o.finish_time - *active_since).seconds());
    } else {
      ++result.impacts_unwarned;
    }
    return;
  }
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

engine::EngineConfig MakeEngineConfig(const Scenario& scenario, std::vector<NamedRegion> warning_regions) {
  engine::EngineConfig config;
  config.frame = geo::LocalFrame(scenario.origin);
  for (const ScenarioAsset& a : scenario.assets) config.assets.push_back(a.asset);
  for (const ScenarioEffector& e : scenario.effectors) config.effectors.push_back(e.effector);
  config.warning_regions = std::move(warning_regions);
  config.rules = scenario.rules.rules;
  // Air defence sees everything from hovering drones to ballistic missiles at ~2 km/s: a new track's
  // velocity prior must let the second plot of a fast target fall inside the gate.
  config.tracker.initial_velocity_sigma_mps = 800.0;
  // Radars report RCS; using it in association keeps drone tracks off birds and clutter.
  config.tracker.rcs_log_sigma = 0.8;
  config.planner.doctrine = scenario.doctrine;
  if (scenario.stockpile.given) {
    config.planner.outlook = wta::StockpileOutlook{.expected = scenario.stockpile.expected_threats,
                                                   .resupply_rounds = scenario.stockpile.resupply_rounds};
  }
  config.warning.min_probability = scenario.warning.min_probability;
  return config;
}

RunResult RunScenario(const Scenario& scenario, uint64_t seed, int run_index, const RunOptions& options) {
  RunResult result;
  for (const Raid& r : scenario.raids) result.threats_by_class[std::string(ObjectClassName(r.object_class))] += r.count;
  result.seed = seed;
  result.run_index = run_index;
  const auto run = static_cast<uint64_t>(run_index);

  std::vector<WorldObject> objects = BuildWorld(scenario, seed, run_index);
  std::vector<Rng> sensor_rngs;
  for (const ScenarioSensor& s : scenario.sensors) sensor_rngs.push_back(Rng::ForComponent(seed, run, "sensor:" + s.name));
  Rng outcome_rng = Rng::ForComponent(seed, run, "outcomes");
  Rng bird_rng = Rng::ForComponent(seed, run, "bird-flight");

  ports::MemoryEventStore store;
  SimEffectorLink link;
  SimulatedOperator desk(scenario.operator_model, Rng::ForComponent(seed, run, "operator"));
  WarningCollector warnings(options.warning_sink);
  engine::EngineConfig config = MakeEngineConfig(scenario, options.warning_regions);
  config.monotonic_ns = options.monotonic_ns;
  engine::Engine engine(config, {.store = options.keep_events ? &store : nullptr,
                                 .bus = options.bus,
                                 .warnings = &warnings,
                                 .effectors = &link,
                                 .desk = &desk});

  std::vector<double> asset_remaining;
  for (const ScenarioAsset& a : scenario.assets) asset_remaining.push_back(a.asset.value);
  std::vector<PendingShot> pending;
  std::map<std::pair<ObjectId, EffectorId>, bool> susceptible;  // soft-kill effect per (object, effector)
  std::vector<engine::EngagementOutcome> outcomes;
  IdSequence<DetectionId> detection_ids;
  double gospa_sum = 0.0;
  int gospa_steps = 0;

  const SimTime end = SimTime::Epoch() + scenario.duration;
  SimTime previous = SimTime::Epoch() - scenario.time_step;
  const bool timed = static_cast<bool>(options.monotonic_ns);
  for (SimTime t = SimTime::Epoch(); t <= end; t += scenario.time_step) {
    const int64_t step_start_ns = timed ? options.monotonic_ns() : 0;
    // 1. Move.
    for (WorldObject& o : objects) {
      if (o.wanders) {
        if (t > SimTime::Epoch()) internal::Wander(o, scenario.time_step, bird_rng);
      } else {
        internal::Advance(o, t);
      }
    }

    // 2. Interceptors that arrive now, before this step's impacts are final: a shot counts when
    //    it arrives before the threat reaches its target.
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->engagement.intercept_time > t) {
        ++it;
        continue;
      }
      const Engagement& e = it->engagement;
      ShotRecord& record = result.shots[it->shot_record];
      bool kill = false;
      bool target_dead = false;
      if (it->object_index >= 0) {
        WorldObject& o = objects[static_cast<size_t>(it->object_index)];
        const bool alive_then = !o.killed && (!o.finish_time || *o.finish_time >= e.intercept_time);
        const Effector& eff = FindEffector(config.effectors, e.effector);
        const bool jam_immune = eff.kind == EffectorKind::kJammer && !o.radio_controlled;
        const bool in_envelope = (o.position - eff.position).norm() <= eff.max_range_m + 1000.0;
        bool effect = false;
        if (alive_then && !jam_immune && in_envelope) {
          if (IsKinetic(eff.kind)) {
            effect = outcome_rng.Bernoulli(eff.PkAgainst(o.object_class));
          } else {
            // Soft kill works or not by the target's make: drawn once per (object, effector).
            const auto key = std::make_pair(o.id, eff.id);
            auto found = susceptible.find(key);
            if (found == susceptible.end()) {
              found = susceptible.emplace(key, outcome_rng.Bernoulli(eff.PkAgainst(o.object_class))).first;
            }
            effect = found->second;
          }
        }
        if (effect) {
          kill = true;
          o.killed = true;
          o.finished = false;
          o.finish_time = e.intercept_time;
        }
        target_dead = o.killed;
      }
      record.kill = kill;
      outcomes.push_back({e.id, target_dead, t});
      it = pending.erase(it);
    }

    // 3. Impacts and arrivals in (previous, t].
    for (WorldObject& o : objects) {
      if (!o.finished || !o.finish_time || *o.finish_time <= previous || o.killed) continue;
      if (!o.is_threat) continue;
      ThreatOutcome out{o.id, scenario.raids[static_cast<size_t>(o.raid)].name, o.object_class, o.unit_cost_eur,
                        false, true, 0.0, *o.finish_time};
      for (size_t a = 0; a < scenario.assets.size(); ++a) {
        if (o.lethality > 0 && HitsAsset(scenario.assets[a].asset, internal::ImpactPoint(o))) {
          const double damage = asset_remaining[a] * o.lethality;
          asset_remaining[a] -= damage;
          out.damage += damage;
          result.damage_by_asset[scenario.assets[a].asset.name] += damage;
        }
      }
      if (o.lethality > 0) RecordWarningLead(o, warnings.warnings, options.warning_regions, config.frame, result);
      result.threats.push_back(out);
    }

    // 4. Sense.
    std::vector<Detection> detections;
    for (size_t s = 0; s < scenario.sensors.size(); ++s) {
      const ScenarioSensor& sensor = scenario.sensors[s];
      const int64_t period = sensor.scan_period.nanoseconds();
      if (t.nanoseconds() / period == previous.nanoseconds() / period && previous >= SimTime::Epoch()) continue;
      internal::Scan(sensor, objects, t, sensor_rngs[s], detection_ids, detections);
    }
    for (ports::DetectionSource* source : options.detection_sources) {
      for (Detection& d : source->Take(t)) {
        d.id = detection_ids.Next();
        detections.push_back(std::move(d));
      }
    }

    // 5. Decide.
    engine::StepReport report = engine.Step(t, {.detections = detections, .outcomes = outcomes});
    outcomes.clear();
    if (report.total_ns > 0) result.step_latency_ms.push_back(static_cast<double>(report.total_ns) * 1e-6);
    for (size_t i = 0; i < report.stage_ns.size(); ++i) result.stage_ms[i] += static_cast<double>(report.stage_ns[i]) * 1e-6;

    // 6. Shots fired this step: find what each one is really aimed at.
    for (const Engagement& e : link.TakeNewOrders()) {
      const Track* track = nullptr;
      for (const Track& tr : report.tracks) {
        if (tr.id == e.track) track = &tr;
      }
      const Threat* threat = nullptr;
      for (const Threat& th : report.threats) {
        if (th.track == e.track) threat = &th;
      }
      const int target = track ? FollowedObject(objects, track->state) : -1;
      ShotRecord record;
      record.engagement = e.id;
      record.time = t;
      const Effector& fired = FindEffector(config.effectors, e.effector);
      record.effector = fired.name;
      record.effector_kind = e.effector_kind;
      record.track = e.track;
      record.tracked_class = track ? track->identity.object_class : ObjectClass::kUnknown;
      record.true_class = target >= 0 ? objects[static_cast<size_t>(target)].object_class : ObjectClass::kUnknown;
      record.true_object_protected = target >= 0 && objects[static_cast<size_t>(target)].is_protected;
      record.cost_eur = e.cost_eur;
      record.released_by = e.released_by;
      record.release_rule = e.release_rule;
      if (track != nullptr && threat != nullptr) {
        for (size_t i = 0; i < config.effectors.size(); ++i) {
          const Effector& other = config.effectors[i];
          // A cheaper layer counts when it is an adequate substitute (the planner's layer discipline).
          const double adequate = config.planner.adequate_pk_ratio * fired.PkAgainst(threat->object_class);
          if (other.cost_per_shot_eur >= e.cost_eur || other.PkAgainst(threat->object_class) < adequate ||
              other.PkAgainst(threat->object_class) <= 0.0) {
            continue;
          }
          if (!record.cheaper_layer_had_window &&
              wta::FindWindow(other, engine.effector_status()[i], *track, *threat, t, config.rules.no_fire_zones)) {
            record.cheaper_layer_had_window = true;
            record.cheaper_option = other.name;
          }
        }
      }
      result.shots.push_back(record);
      pending.push_back({e, target, result.shots.size() - 1});
    }

    // 7. Score the air picture against the truth that any track-starting sensor could see.
    std::vector<Vec3> truth, estimates;
    for (const WorldObject& o : objects) {
      const bool covered = std::any_of(scenario.sensors.begin(), scenario.sensors.end(), [&](const ScenarioSensor& s) {
        return (s.kind == SensorKind::kRadar || s.kind == SensorKind::kAdsb) && internal::InCoverage(s, o);
      });
      if (covered) truth.push_back(o.position);
    }
    for (const Track& tr : report.tracks) estimates.push_back(tr.state.position());
    gospa_sum += tracking::ScorePicture(truth, estimates).gospa_m;
    ++gospa_steps;
    previous = t;
    if (timed) result.world_ms += static_cast<double>(options.monotonic_ns() - step_start_ns - report.total_ns) * 1e-6;
  }

  // Threats that were killed are defeated; those still flying at the end are neither.
  for (const WorldObject& o : objects) {
    if (o.is_threat && o.killed) {
      result.threats.push_back({o.id, scenario.raids[static_cast<size_t>(o.raid)].name, o.object_class, o.unit_cost_eur,
                                true, false, 0.0, o.finish_time.value_or(end)});
    }
    if (o.is_protected) ++result.civil_objects;
  }
  std::sort(result.threats.begin(), result.threats.end(),
            [](const ThreatOutcome& a, const ThreatOutcome& b) { return a.object < b.object; });
  result.warnings = std::move(warnings.warnings);
  result.gospa_mean_m = gospa_steps > 0 ? gospa_sum / gospa_steps : 0.0;
  result.totals = engine.totals();
  if (options.keep_events) result.events = store.events();
  return result;
}

Summary Summarise(const Scenario& scenario, uint64_t seed, const std::vector<RunResult>& runs) {
  Summary s;
  s.scenario = scenario.name;
  s.seed = seed;
  s.runs = static_cast<int>(runs.size());
  s.doctrine = std::string(DoctrineName(scenario.doctrine));
  if (runs.empty()) {
    for (const Raid& r : scenario.raids) {
      s.threats_total += r.count;
      s.threats_by_class[std::string(ObjectClassName(r.object_class))] += r.count;
    }
    return s;
  }
  // The runs' own raids (the same as the scenario's unless a RaidSource redrew them): rounded means.
  std::map<std::string, double> mean_by_class;
  for (const RunResult& run : runs) {
    for (const auto& [cls, count] : run.threats_by_class) mean_by_class[cls] += count / static_cast<double>(runs.size());
  }
  for (const auto& [cls, mean] : mean_by_class) {
    s.threats_by_class[cls] = static_cast<int>(std::lround(mean));
    s.threats_total += s.threats_by_class[cls];
  }
  const double n = static_cast<double>(runs.size());
  std::vector<double> lead_times;
  std::vector<double> predicted_lead_times;
  std::vector<double> latencies;
  // Per-run figures for the confidence intervals.
  std::vector<double> damage_per_run;
  std::vector<double> lead_mean_per_run;
  std::vector<double> predicted_lead_mean_per_run;
  std::map<std::string, std::vector<double>> shots_per_run;
  for (const RunResult& run : runs) {
    for (const ShotRecord& shot : run.shots) shots_per_run.try_emplace(std::string(EffectorKindName(shot.effector_kind)));
  }
  for (size_t r = 0; r < runs.size(); ++r) {
    const RunResult& run = runs[r];
    double leakers = 0.0, damage = 0.0, cost = 0.0, attacker = 0.0;
    for (const ThreatOutcome& t : run.threats) {
      if (t.defeated) {
        s.defeated += 1.0 / n;
        attacker += t.unit_cost_eur;
      }
      if (t.leaked) {
        s.leakers_by_class[std::string(ObjectClassName(t.object_class))] += 1.0 / n;
        if (scenario.raids.empty() || t.object_class != ObjectClass::kDecoy) leakers += 1.0;
      }
      damage += t.damage;
    }
    for (const auto& [name, d] : run.damage_by_asset) s.damage_by_asset[name] += d / n;
    for (auto& [kind, v] : shots_per_run) v.push_back(0.0);
    for (const ShotRecord& shot : run.shots) {
      const std::string kind(EffectorKindName(shot.effector_kind));
      EffectorTally& tally = s.engagements[kind];
      tally.shots += 1.0 / n;
      tally.kills += (shot.kill ? 1.0 : 0.0) / n;
      tally.cost_eur += shot.cost_eur / n;
      shots_per_run[kind].back() += 1.0;
      cost += shot.cost_eur;
      if (shot.true_object_protected) s.fratricide += 1.0 / n;
      const bool expensive = shot.effector_kind == EffectorKind::kPatriot ||
                             shot.effector_kind == EffectorKind::kMediumRangeMissile;
      if (expensive && IsDrone(shot.true_class) && shot.cheaper_layer_had_window) {
        s.expensive_shots_at_drones_with_cheaper_window += 1.0 / n;
      }
    }
    double predicted_sum = 0.0;
    int predicted_count = 0;
    for (const Warning& w : run.warnings) {
      if (w.kind != WarningKind::kAlert) continue;
      s.warnings_issued += 1.0 / n;
      predicted_lead_times.push_back((w.predicted_impact_time - w.issued_at).seconds());
      predicted_sum += predicted_lead_times.back();
      ++predicted_count;
    }
    if (predicted_count > 0) predicted_lead_mean_per_run.push_back(predicted_sum / predicted_count);
    if (!run.impact_lead_times_s.empty()) {
      double sum = 0.0;
      for (double x : run.impact_lead_times_s) sum += x;
      lead_mean_per_run.push_back(sum / static_cast<double>(run.impact_lead_times_s.size()));
    }
    lead_times.insert(lead_times.end(), run.impact_lead_times_s.begin(), run.impact_lead_times_s.end());
    s.impacts_warned += static_cast<double>(run.impact_lead_times_s.size()) / n;
    s.impacts_unwarned += run.impacts_unwarned / n;
    s.gospa_mean_m += run.gospa_mean_m / n;
    latencies.insert(latencies.end(), run.step_latency_ms.begin(), run.step_latency_ms.end());
    if (!run.step_latency_ms.empty()) {
      for (size_t i = 0; i < run.stage_ms.size(); ++i) {
        s.time_ms_by_stage[std::string(engine::StageName(static_cast<engine::Stage>(i)))] += run.stage_ms[i] / n;
      }
      s.time_ms_by_stage["world"] += run.world_ms / n;
    }
    s.orders_by_operator += run.totals.released_by_operator / n;
    for (const auto& [rule, count] : run.totals.released_by_rule) s.orders_by_rule[rule] += count / n;
    s.leakers_per_run.push_back(leakers);
    s.defender_cost_per_run.push_back(cost);
    s.attacker_cost_defeated_per_run.push_back(attacker);
    damage_per_run.push_back(damage);
  }
  s.leakers_ci = MeanEstimate(s.leakers_per_run);
  s.asset_damage_ci = MeanEstimate(damage_per_run);
  s.defender_cost_ci = MeanEstimate(s.defender_cost_per_run);
  s.cost_exchange_ratio_ci = RatioEstimate(s.attacker_cost_defeated_per_run, s.defender_cost_per_run);
  for (const auto& [kind, v] : shots_per_run) s.shots_ci[kind] = MeanEstimate(v);
  // Sums of per-run values divided once: the means match their intervals exactly.
  s.leakers = s.leakers_ci.mean;
  s.asset_damage = s.asset_damage_ci.mean;
  s.defender_cost_eur = s.defender_cost_ci.mean;
  s.attacker_cost_defeated_eur = MeanEstimate(s.attacker_cost_defeated_per_run).mean;
  s.cost_exchange_ratio = s.cost_exchange_ratio_ci.mean;
  if (!lead_times.empty()) {
    s.median_lead_time_s = Percentile(lead_times, 0.5);
    s.lead_time_basis = "actual";
    s.lead_time_ci = MeanEstimate(lead_mean_per_run);
    s.lead_times_s = std::move(lead_times);
  } else {
    s.median_lead_time_s = Percentile(predicted_lead_times, 0.5);
    s.lead_time_ci = MeanEstimate(predicted_lead_mean_per_run);
    s.lead_times_s = std::move(predicted_lead_times);
  }
  s.latency_measured = !latencies.empty();
  s.latency_p50_ms = Percentile(latencies, 0.5);
  s.latency_p99_ms = Percentile(latencies, 0.99);
  return s;
}

}  // namespace koepel::sim
