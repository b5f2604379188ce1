// The tracker: scans in time order, two-stage association (confirmed tracks first, by GNN or
// JPDA, then tentative tracks by GNN on what is left), initiation from unused positional
// detections and from bearings of several sensors that meet, M-of-N confirmation, deletion, and
// exact re-filtering of tracks that take a late (out-of-sequence) detection. Every prediction and
// update goes through the motion-filter hooks (TrackerConfig::motion).
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <tuple>

#include "koepel/tracking/assignment.h"
#include "koepel/tracking/filter.h"
#include "koepel/tracking/gating.h"
#include "koepel/tracking/jpda.h"
#include "koepel/tracking/motion_filter.h"
#include "koepel/tracking/tracking.h"
#include "koepel/tracking/triangulation.h"

namespace koepel::tracking {
namespace {

// Scans are processed in (time, sensor, measurement kind) order; a track's updates carry that key.
using ScanKey = std::tuple<SimTime, SensorId, MeasurementKind>;
ScanKey KeyOf(const Detection& d) { return {d.time, d.sensor, d.measurement.kind}; }

// What re-applying a detection needs (not its attributes), kept small: one per update and track.
struct StoredMeasurement {
  Vec3 sensor_position = Vec3::Zero();
  Measurement measurement;
};
StoredMeasurement Store(const Detection& d) { return {d.sensor_position, d.measurement}; }
Detection Restore(const StoredMeasurement& m) {
  Detection d;
  d.sensor_position = m.sensor_position;
  d.measurement = m.measurement;
  return d;
}

// One state change of a track, kept for the lag window so that a late detection can be slotted
// in and the later ones re-applied.
struct UpdateRecord {
  ScanKey key;
  TrackState posterior;       // the state after this update (at the key's time)
  int kind = 0;               // 0: the track's first state (not re-appliable); 1: KF update by
                              // `first`; 2: JPDA combined update by `first` and `more`
  StoredMeasurement first;
  std::vector<StoredMeasurement> more;  // JPDA: the other gated detections
  std::vector<double> weights;          // JPDA: beta_j per detection (first, then more)
  double missed_weight = 0.0;           // JPDA: beta_0
  internal::FilterSlot filter;          // non-default motion filters: the full filter state after this
                                        // update (extra states, IMM modes); `posterior` is its [p, v]
};
UpdateRecord FirstState(const ScanKey& key, const TrackState& s, const internal::FilterSlot& f) {
  return {key, s, 0, {}, {}, {}, 0.0, f};
}

struct TrackRecord {
  Track track;                  // track.state is the posterior at its last update (state.time)
  uint32_t history = 0;         // bit k: updated k Steps ago (bit 0: the latest finished Step)
  int age_steps = 0;            // Steps finished since birth
  bool updated_this_step = false;
  SimTime last_ranged_update;   // last update by a detection with range (bearings alone cannot hold range)
  // The last bearing update: a bearing from another sensor soon after it is a cross fix (range).
  bool has_bearing = false;
  SensorId bearing_sensor;
  Vec3 bearing_sensor_position = Vec3::Zero();
  SimTime bearing_time;
  // The key of the track's latest state change (its birth, or its latest update).
  ScanKey last_key;
  // Updates in key order, from the first state or the last one before the lag window on; the
  // last posterior is track.state. Empty while the track has only its first state (that is
  // written on the first update, so short-lived tentative tracks cost nothing here).
  std::vector<UpdateRecord> updates;
  internal::FilterSlot filter;  // non-default motion filters: full state; track.state is its [p, v]
};

bool IsPicture(TrackStatus s) { return s == TrackStatus::kConfirmed || s == TrackStatus::kCoasting; }

void ApplyDetectionAttributes(Track& t, const Detection& d) {
  auto it = std::lower_bound(t.contributing_sensors.begin(), t.contributing_sensors.end(), d.sensor);
  if (it == t.contributing_sensors.end() || *it != d.sensor) t.contributing_sensors.insert(it, d.sensor);
  if (d.icao24) t.icao24 = d.icao24;
  if (d.callsign) t.callsign = d.callsign;
  if (d.class_report) t.last_class_report = d.class_report;
  if (d.rcs_m2 && *d.rcs_m2 > 0.0) {
    // Smoothed in the log domain: single RCS estimates scatter by a factor of two or more.
    t.rcs_m2 = t.rcs_m2 ? std::exp(0.8 * std::log(*t.rcs_m2) + 0.2 * std::log(*d.rcs_m2)) : *d.rcs_m2;
  }
  t.friendly_iff = t.friendly_iff || d.friendly_iff;  // sticky: once friendly, stays friendly
}

// The PDA combined update as a Gaussian mixture collapsed to its moments: x = sum_j beta_j x_j,
// P = sum_j beta_j (P_j + (x_j - x)(x_j - x)'), j = 0 the prior (missed). With one gain for all
// detections this is exactly beta_0 P + (1 - beta_0) P_c + K (sum beta_j nu_j nu_j' - nu nu') K'
// (the spread-of-innovations term); written this way each detection may have its own R. The
// default CV filter's; other motion filters do the same per mode (ImmFilter::PdaUpdate).
TrackState CombinedUpdate(const TrackState& prior, std::span<const Detection> dets, std::span<const double> beta,
                          double beta0) {
  TrackState out;
  out.time = prior.time;
  Vec6 x = beta0 * prior.x;
  std::vector<TrackState> posts;
  posts.reserve(dets.size());
  double used = beta0;
  for (size_t j = 0; j < dets.size(); ++j) {
    const internal::PredictedMeasurement pm = internal::PredictMeasurement(prior, dets[j]);
    posts.push_back(pm.valid ? internal::Update(prior, dets[j], pm) : prior);
    x += beta[j] * posts.back().x;
    used += beta[j];
  }
  x /= used;  // 1 up to rounding
  Mat6 p = beta0 * (prior.P + (prior.x - x) * (prior.x - x).transpose());
  for (size_t j = 0; j < dets.size(); ++j) {
    const Vec6 dx = posts[j].x - x;
    p += beta[j] * (posts[j].P + dx * dx.transpose());
  }
  out.x = x;
  out.P = p / used;
  internal::Symmetrize(out.P);
  return out;
}

// Clutter density at a detection in its own measurement units (JPDA likelihood ratios).
double ClutterDensity(const TrackerConfig& c, const Detection& d) {
  const Vec3& z = d.measurement.z;
  switch (d.measurement.kind) {
    case MeasurementKind::kPosition:
      return c.clutter_density_per_m3;
    case MeasurementKind::kRangeBearing:  // dV = r^2 cos(el) dr daz del
      return c.clutter_density_per_m3 * std::max(z[0] * z[0], 1.0) * std::max(std::cos(z[2]), 1e-6);
    case MeasurementKind::kBearing:  // dOmega = cos(el) daz del
      return c.clutter_density_per_sr * std::max(std::cos(z[1]), 1e-6);
  }
  KOEPEL_UNREACHABLE("unknown measurement kind");
}

// Largest standard deviation of the position part of P.
double MaxPositionSigma(const Mat6& p) {
  Eigen::SelfAdjointEigenSolver<Mat3> es;
  es.computeDirect(p.topLeftCorner<3, 3>(), Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(0.0, es.eigenvalues().maxCoeff()));
}

}  // namespace

struct Tracker::Impl {
  explicit Impl(TrackerConfig c) : config(c) {
    KOEPEL_CHECK(config.gate_probability > 0.0 && config.gate_probability < 1.0, "gate_probability in (0, 1)");
    KOEPEL_CHECK(config.confirm_window >= 1 && config.confirm_window <= 32, "confirm_window in [1, 32]");
    KOEPEL_CHECK(config.confirm_hits >= 1 && config.confirm_hits <= config.confirm_window,
                 "confirm_hits in [1, confirm_window]");
    KOEPEL_CHECK(config.tentative_max_misses >= 1, "tentative_max_misses >= 1");
    KOEPEL_CHECK(config.prefilter_margin >= 1.0, "prefilter_margin >= 1");
    KOEPEL_CHECK(config.detection_probability > 0.0 && config.detection_probability < 1.0,
                 "detection_probability in (0, 1)");
    KOEPEL_CHECK(config.clutter_density_per_m3 > 0.0 && config.clutter_density_per_sr > 0.0,
                 "clutter densities > 0");
    KOEPEL_CHECK(config.jpda_max_events >= 0, "jpda_max_events >= 0");
    KOEPEL_CHECK(config.max_detection_lag >= Duration(), "max_detection_lag >= 0");
    gate[2] = ChiSquareQuantile(config.gate_probability, 2);
    gate[3] = ChiSquareQuantile(config.gate_probability, 3);
    if (internal::MotionFilterEngine::Needed(config.motion)) motion.emplace(config);
  }

  TrackerOutput Step(SimTime now, std::span<const Detection> detections);
  void ProcessScan(SimTime t, std::span<const Detection* const> scan);
  // Associates the tracks whose status matches `confirmed_stage` to the scan's unused detections.
  void AssociateStage(SimTime t, std::span<const Detection* const> scan, bool confirmed_stage);
  void Initiate(SimTime t, std::span<const Detection* const> scan);
  void Triangulate(SimTime now);
  void EndStep(SimTime now, TrackerOutput& out);
  void Prune(SimTime now);

  // The track's state before scan `key`, predicted to its time. In order (the usual case) that is
  // the current state (*base = kAppend); for a late scan it is the state after the last update
  // before it, and *base its index in r.updates (-1: the scan precedes the track's first state,
  // which is then retrodicted).
  static constexpr int kAppend = -2;
  // Under a non-default motion filter, *f_prior receives the full filter prior (else unused).
  TrackState PriorAt(const TrackRecord& r, const ScanKey& key, int* base, internal::FilterState* f_prior) const;
  // Stores an update computed from PriorAt(r, key, base) and, for a late one, re-applies the
  // updates after it in order (predictions and updates through the hooks below, so the filter
  // state, IMM mode probabilities included, is re-filtered with the [p, v] state).
  void Commit(TrackRecord& r, int base, UpdateRecord u);
  // Re-applies a stored update to a new prior (same detections, same weights): sets u.posterior
  // and u.filter.
  void Reapply(const TrackState& prior, const internal::FilterState* f_prior, UpdateRecord& u) const;
  // Hit bookkeeping and attributes for a detection that updated the track.
  void MarkUpdated(TrackRecord& r, const Detection& d, SimTime t);
  void AssociateJpda(SimTime t, std::span<const Detection* const> scan);

  // Motion-filter hooks: every prediction and update of a track goes through these. The default
  // CV filter (`motion` empty) works on the TrackState alone with filter.h, exactly as before the
  // motion filters existed. Any other keeps its full filter state (extra states, IMM modes) beside
  // each TrackState, which is then its [p, v]: TrackRecord::filter beside track.state,
  // UpdateRecord::filter beside each posterior, filter_priors beside priors. `f` arguments are
  // ignored (and may be empty or null) under the default.
  void InitialiseFilter(TrackRecord& r) const;  // a new track: extra states at 0 with their initial spread
  // Predicts to t (a retrodiction when t is earlier); *f_out (may be null) receives the filter prior.
  TrackState FilterPredict(const TrackState& s, const internal::FilterSlot& f, SimTime t,
                           internal::FilterState* f_out) const;
  // The predicted measurement that gates and costs a (track, detection) pair.
  internal::PredictedMeasurement FilterMeasure(const TrackState& prior, const internal::FilterState* f_prior,
                                               const Detection& d) const;
  // ln of the detection's density under the prior, for JPDA (pm, d2: FilterMeasure's and its d^2).
  double FilterLogDensity(const internal::FilterState* f_prior, const Detection& d,
                          const internal::PredictedMeasurement& pm, double d2) const;
  // The update by one detection (the prior itself when the detection cannot be predicted).
  TrackState FilterUpdate(const TrackState& prior, const internal::FilterState* f_prior, const Detection& d,
                          internal::FilterSlot* f_out) const;
  // The JPDA (PDA) combined update; for the IMM per mode (ImmFilter::PdaUpdate).
  TrackState FilterCombinedUpdate(const TrackState& prior, const internal::FilterState* f_prior,
                                  std::span<const Detection> dets, std::span<const double> beta, double beta0,
                                  internal::FilterSlot* f_out) const;
  const internal::FilterState* FilterPrior(int a) const { return motion ? &filter_priors[a] : nullptr; }

  // Squared normalised ln(RCS) difference of a detection and a track (0 when either has none).
  double RcsMismatch(const Track& t, const Detection& d) const {
    if (config.rcs_log_sigma <= 0.0 || !t.rcs_m2 || !d.rcs_m2 || *t.rcs_m2 <= 0.0 || *d.rcs_m2 <= 0.0) return 0.0;
    const double z = (std::log(*d.rcs_m2) - std::log(*t.rcs_m2)) / config.rcs_log_sigma;
    return z * z;
  }
  static constexpr double kRcsGate = 10.83;  // chi-square, 1 degree of freedom, 99.9 %

  double Cost(double d2) const {
    return config.association_cost == AssociationCost::kMahalanobis ? std::sqrt(d2) : d2;
  }

  TrackerConfig config;
  std::optional<internal::MotionFilterEngine> motion;  // empty for the default CV filter
  double gate[4] = {0, 0, 0, 0};  // chi-square gate by measurement dimension
  IdSequence<TrackId> ids;
  std::vector<TrackRecord> tracks;  // ascending id (new ids are larger; erasing keeps order)
  bool stepped = false;
  SimTime last_now;

  // Scratch, reused between Steps.
  std::vector<const Detection*> sorted;
  std::vector<int> active;
  std::vector<TrackState> priors;
  std::vector<internal::FilterState> filter_priors;  // parallel to priors (non-default motion filters)
  std::vector<int> bases;
  std::vector<int> candidates;
  std::vector<char> det_used, det_in_confirmed_gate;
  internal::CandidateIndex index;
  internal::GnnProblem problem;
  internal::GnnSolver gnn;
  internal::JpdaProblem jpda_problem;
  internal::JpdaSolver jpda{config.jpda_max_events};
  std::vector<double> det_weight_sum;
  std::vector<Detection> jpda_dets;
  // Unused bearings of the last triangulation_max_dt, waiting for rays of other sensors.
  std::vector<Detection> pending_bearings;
};

TrackState Tracker::Impl::PriorAt(const TrackRecord& r, const ScanKey& key, int* base,
                                  internal::FilterState* f_prior) const {
  const SimTime t = std::get<0>(key);
  if (r.last_key < key) {
    *base = kAppend;
    return FilterPredict(r.track.state, r.filter, t, f_prior);
  }
  int b = static_cast<int>(r.updates.size()) - 1;
  while (b >= 0 && !(r.updates[b].key < key)) --b;
  *base = b;
  if (b < 0 && r.updates.empty()) return FilterPredict(r.track.state, r.filter, t, f_prior);
  const UpdateRecord& from = r.updates[b >= 0 ? b : 0];
  return FilterPredict(from.posterior, from.filter, t, f_prior);
}

void Tracker::Impl::Commit(TrackRecord& r, int base, UpdateRecord u) {
  if (base == kAppend) {
    if (r.updates.empty()) {
      r.updates.reserve(4);
      r.updates.push_back(FirstState(r.last_key, r.track.state, r.filter));
    }
    r.track.state = u.posterior;
    if (motion) r.filter.Set(*u.filter);
    r.last_key = u.key;
    r.updates.push_back(std::move(u));
    return;
  }
  int at = base + 1;
  if (base < 0) {
    // Older than the track's first state: that state was retrodicted into this update's prior,
    // so it is replaced (the one approximate case).
    if (!r.updates.empty()) r.updates.erase(r.updates.begin());
    at = 0;
  }
  r.updates.insert(r.updates.begin() + at, std::move(u));
  internal::FilterState f_prior;
  for (size_t k = static_cast<size_t>(at) + 1; k < r.updates.size(); ++k) {
    UpdateRecord& next = r.updates[k];
    const TrackState prior =
        FilterPredict(r.updates[k - 1].posterior, r.updates[k - 1].filter, std::get<0>(next.key), &f_prior);
    Reapply(prior, motion ? &f_prior : nullptr, next);
  }
  r.track.state = r.updates.back().posterior;
  if (motion) r.filter.Set(*r.updates.back().filter);
  r.last_key = r.updates.back().key;
}

void Tracker::Impl::Reapply(const TrackState& prior, const internal::FilterState* f_prior, UpdateRecord& u) const {
  KOEPEL_CHECK(u.kind != 0, "a track's first state cannot be re-applied");
  if (u.kind == 1) {
    u.posterior = FilterUpdate(prior, f_prior, Restore(u.first), &u.filter);
    return;
  }
  std::vector<Detection> dets = {Restore(u.first)};
  for (const StoredMeasurement& m : u.more) dets.push_back(Restore(m));
  u.posterior = FilterCombinedUpdate(prior, f_prior, dets, u.weights, u.missed_weight, &u.filter);
}

void Tracker::Impl::InitialiseFilter(TrackRecord& r) const {
  if (motion) r.filter.Set(motion->Initialise(r.track.state));
}

TrackState Tracker::Impl::FilterPredict(const TrackState& s, const internal::FilterSlot& f, SimTime t,
                                        internal::FilterState* f_out) const {
  if (!motion) return internal::Predict(s, t, config.process_noise_accel_mps2, config.process_noise_model);
  KOEPEL_CHECK(f.has_value(), "a track without its filter state");
  internal::FilterState local;
  internal::FilterState& out = f_out != nullptr ? *f_out : local;
  out = motion->Predict(*f, t);
  return out.combined;
}

internal::PredictedMeasurement Tracker::Impl::FilterMeasure(const TrackState& prior,
                                                            const internal::FilterState* f_prior,
                                                            const Detection& d) const {
  if (!motion) return internal::PredictMeasurement(prior, d);
  return motion->PredictMeasurement(*f_prior, d);
}

double Tracker::Impl::FilterLogDensity(const internal::FilterState* f_prior, const Detection& d,
                                       const internal::PredictedMeasurement& pm, double d2) const {
  // The IMM's density of a detection is the mixture over its modes, not the Gaussian of its
  // moment-matched prediction: the per-mode combined update is exact only with the former.
  if (motion && f_prior->modes.count > 1) return motion->LogLikelihood(*f_prior, d);
  static const double log_2pi = std::log(2.0 * std::numbers::pi);
  return -0.5 * d2 - 0.5 * (pm.dim * log_2pi + internal::LogDetS(pm));
}

TrackState Tracker::Impl::FilterUpdate(const TrackState& prior, const internal::FilterState* f_prior,
                                       const Detection& d, internal::FilterSlot* f_out) const {
  if (!motion) {
    const internal::PredictedMeasurement pm = internal::PredictMeasurement(prior, d);
    return pm.valid ? internal::Update(prior, d, pm) : prior;
  }
  f_out->Set(motion->Update(*f_prior, d));
  return (**f_out).combined;
}

TrackState Tracker::Impl::FilterCombinedUpdate(const TrackState& prior, const internal::FilterState* f_prior,
                                               std::span<const Detection> dets, std::span<const double> beta,
                                               double beta0, internal::FilterSlot* f_out) const {
  if (!motion) return CombinedUpdate(prior, dets, beta, beta0);
  f_out->Set(motion->CombinedUpdate(*f_prior, dets, beta, beta0));
  return (**f_out).combined;
}

void Tracker::Impl::MarkUpdated(TrackRecord& r, const Detection& d, SimTime t) {
  ++r.track.hits;
  r.track.consecutive_misses = 0;
  r.track.last_update = std::max(r.track.last_update, t);
  if (d.measurement.kind != MeasurementKind::kBearing) {
    r.last_ranged_update = std::max(r.last_ranged_update, t);
  } else if (config.triangulate_bearings) {
    // Two sensors' bearings close in time fix the range as a triangulation does.
    const Duration dt = t > r.bearing_time ? t - r.bearing_time : r.bearing_time - t;
    if (r.has_bearing && r.bearing_sensor != d.sensor && dt <= config.triangulation_max_dt &&
        (r.bearing_sensor_position - d.sensor_position).norm() >= 1.0) {
      r.last_ranged_update = std::max(r.last_ranged_update, t);
    }
    r.has_bearing = true;
    r.bearing_sensor = d.sensor;
    r.bearing_sensor_position = d.sensor_position;
    r.bearing_time = t;
  }
  r.updated_this_step = true;
  ApplyDetectionAttributes(r.track, d);
}

TrackerOutput Tracker::Impl::Step(SimTime now, std::span<const Detection> detections) {
  TrackerOutput out;
  out.time = now;
  sorted.clear();
  for (const Detection& d : detections) {
    const bool too_new = d.time > now;
    const bool too_old = stepped && d.time < last_now - config.max_detection_lag;
    if (too_new || too_old) {
      ++out.dropped_detections;
    } else {
      sorted.push_back(&d);
    }
  }
  // Scans are (time, sensor, measurement kind); inside one, detection id order (the tie-break).
  std::stable_sort(sorted.begin(), sorted.end(), [](const Detection* a, const Detection* b) {
    if (a->time != b->time) return a->time < b->time;
    if (a->sensor != b->sensor) return a->sensor < b->sensor;
    if (a->measurement.kind != b->measurement.kind) return a->measurement.kind < b->measurement.kind;
    return a->id < b->id;
  });
  for (TrackRecord& r : tracks) r.updated_this_step = false;
  for (size_t b = 0; b < sorted.size();) {
    size_t e = b + 1;
    while (e < sorted.size() && sorted[e]->time == sorted[b]->time && sorted[e]->sensor == sorted[b]->sensor &&
           sorted[e]->measurement.kind == sorted[b]->measurement.kind) {
      ++e;
    }
    ProcessScan(sorted[b]->time, std::span<const Detection* const>(sorted.data() + b, e - b));
    ++out.scans;
    b = e;
  }
  if (config.triangulate_bearings) Triangulate(now);
  EndStep(now, out);
  stepped = true;
  last_now = std::max(last_now, now);
  Prune(last_now);
  return out;
}

void Tracker::Impl::ProcessScan(SimTime t, std::span<const Detection* const> scan) {
  index.Build(scan);
  det_used.assign(scan.size(), 0);
  det_in_confirmed_gate.assign(scan.size(), 0);
  if (config.associator == Associator::kJpda) {
    AssociateJpda(t, scan);
  } else {
    AssociateStage(t, scan, /*confirmed_stage=*/true);
  }
  AssociateStage(t, scan, /*confirmed_stage=*/false);
  Initiate(t, scan);
}

void Tracker::Impl::AssociateStage(SimTime t, std::span<const Detection* const> scan, bool confirmed_stage) {
  const int dim = scan.front()->measurement.dimension();
  const double g = gate[dim];
  const ScanKey key = KeyOf(*scan.front());
  active.clear();
  priors.clear();
  filter_priors.clear();
  bases.clear();
  for (int k = 0; k < static_cast<int>(tracks.size()); ++k) {
    if (IsPicture(tracks[k].track.status) != confirmed_stage) continue;
    active.push_back(k);
    bases.push_back(0);
    if (motion) filter_priors.emplace_back();
    priors.push_back(PriorAt(tracks[k], key, &bases.back(), motion ? &filter_priors.back() : nullptr));
  }
  if (active.empty()) return;
  problem.Clear(static_cast<int>(active.size()), static_cast<int>(scan.size()));
  for (int a = 0; a < static_cast<int>(active.size()); ++a) {
    problem.missed_cost[a] = Cost(g);
    candidates.clear();
    index.Candidates(priors[a], g, config.prefilter_margin, &candidates);
    for (const int j : candidates) {
      const internal::PredictedMeasurement pm = FilterMeasure(priors[a], FilterPrior(a), *scan[j]);
      double d2 = internal::MahalanobisSquared(pm);
      if (!(d2 < g)) continue;
      const double feature = RcsMismatch(tracks[active[a]].track, *scan[j]);
      if (!(feature < kRcsGate)) continue;
      d2 += feature;
      if (confirmed_stage) det_in_confirmed_gate[j] = 1;
      if (det_used[j]) continue;
      problem.pairs.push_back({a, j, Cost(d2)});
    }
  }
  const internal::GnnSolution& sol = gnn.Solve(problem);
  for (int a = 0; a < static_cast<int>(active.size()); ++a) {
    const int j = sol.detection_for_track[a];
    if (j < 0) continue;
    det_used[j] = 1;
    TrackRecord& r = tracks[active[a]];
    const Detection& d = *scan[j];
    UpdateRecord u{key, {}, 1, Store(d), {}, {}, 0.0, {}};
    u.posterior = FilterUpdate(priors[a], FilterPrior(a), d, &u.filter);
    Commit(r, bases[a], std::move(u));
    MarkUpdated(r, d, t);
  }
}

// JPDA for the confirmed tracks: gating as in AssociateStage, then the marginal association
// probabilities of each cluster, then one combined update per track with gated detections.
void Tracker::Impl::AssociateJpda(SimTime t, std::span<const Detection* const> scan) {
  const int dim = scan.front()->measurement.dimension();
  const double g = gate[dim];
  const ScanKey key = KeyOf(*scan.front());
  active.clear();
  priors.clear();
  filter_priors.clear();
  bases.clear();
  for (int k = 0; k < static_cast<int>(tracks.size()); ++k) {
    if (!IsPicture(tracks[k].track.status)) continue;
    active.push_back(k);
    bases.push_back(0);
    if (motion) filter_priors.emplace_back();
    priors.push_back(PriorAt(tracks[k], key, &bases.back(), motion ? &filter_priors.back() : nullptr));
  }
  if (active.empty()) return;
  // P_G: the gate holds the true detection with this probability, so a track is missed by the
  // gate with probability 1 - P_D P_G.
  const double log_missed = std::log1p(-config.detection_probability * config.gate_probability);
  const double log_pd = std::log(config.detection_probability);
  jpda_problem.Clear(static_cast<int>(active.size()), static_cast<int>(scan.size()));
  for (int a = 0; a < static_cast<int>(active.size()); ++a) {
    jpda_problem.log_missed_weight[a] = log_missed;
    candidates.clear();
    index.Candidates(priors[a], g, config.prefilter_margin, &candidates);
    for (const int j : candidates) {
      const internal::PredictedMeasurement pm = FilterMeasure(priors[a], FilterPrior(a), *scan[j]);
      const double d2 = internal::MahalanobisSquared(pm);
      if (!(d2 < g)) continue;
      if (!(RcsMismatch(tracks[active[a]].track, *scan[j]) < kRcsGate)) continue;
      det_in_confirmed_gate[j] = 1;
      const double log_g = FilterLogDensity(FilterPrior(a), *scan[j], pm, d2);
      const double log_w = log_pd + log_g - std::log(ClutterDensity(config, *scan[j]));
      if (std::isfinite(log_w)) jpda_problem.pairs.push_back({a, j, log_w});
    }
  }
  const internal::JpdaSolution& sol = jpda.Solve(jpda_problem);
  det_weight_sum.assign(scan.size(), 0.0);
  for (int a = 0; a < static_cast<int>(active.size()); ++a) {
    const int b = sol.pair_start[a], e = sol.pair_start[a + 1];
    if (b == e) continue;  // nothing gated: a miss
    TrackRecord& r = tracks[active[a]];
    UpdateRecord u{key, {}, 2, Store(*scan[sol.marginals[b].detection]), {}, {}, sol.missed_probability[a], {}};
    jpda_dets.clear();
    int best = -1;
    for (int q = b; q < e; ++q) {
      const internal::JpdaMarginal& m = sol.marginals[q];
      jpda_dets.push_back(*scan[m.detection]);
      if (q > b) u.more.push_back(Store(*scan[m.detection]));
      u.weights.push_back(m.probability);
      det_weight_sum[m.detection] += m.probability;
      if (best < 0 || m.probability > sol.marginals[best].probability) best = q;
    }
    u.posterior = FilterCombinedUpdate(priors[a], FilterPrior(a), jpda_dets, u.weights, u.missed_weight, &u.filter);
    Commit(r, bases[a], std::move(u));
    // The state moves either way. A hit (for coasting and delete_after) when the scan leaves the
    // track's detection at least half as likely as it was before (P_D P_G): a threshold of 0.5
    // would count most scans as misses once P_D P_G is near 0.5 and delete tracks that are held.
    // A track lost in clutter still gets hits; its covariance grows (the spread term) until
    // max_position_sigma_m deletes it.
    if (1.0 - sol.missed_probability[a] >= 0.5 * config.detection_probability * config.gate_probability) {
      MarkUpdated(r, *scan[sol.marginals[best].detection], t);
    }
  }
  for (size_t j = 0; j < scan.size(); ++j) {
    if (det_weight_sum[j] >= 0.5) det_used[j] = 1;
  }
}

void Tracker::Impl::Initiate(SimTime t, std::span<const Detection* const> scan) {
  for (int j = 0; j < static_cast<int>(scan.size()); ++j) {
    if (det_used[j]) continue;
    if (config.suppress_initiation_in_confirmed_gate && det_in_confirmed_gate[j]) continue;
    const Detection& d = *scan[j];
    const std::optional<PositionEstimate> pe = ToPosition(d);
    if (!pe) {
      // A bearing alone starts nothing; it waits for rays of other sensors (Triangulate).
      if (config.triangulate_bearings && d.measurement.kind == MeasurementKind::kBearing) {
        pending_bearings.push_back(d);
      }
      continue;
    }
    TrackRecord r;
    Track& tr = r.track;
    tr.id = ids.Next();
    tr.status = TrackStatus::kTentative;
    tr.state.time = t;
    tr.state.x.head<3>() = pe->position;
    tr.state.x.tail<3>().setZero();
    tr.state.P.setZero();
    tr.state.P.topLeftCorner<3, 3>() = 0.5 * (pe->covariance + pe->covariance.transpose());
    for (int i = 0; i < 3; ++i) {
      tr.state.P(i, i) = std::max(tr.state.P(i, i), config.min_position_variance_m2);
    }
    tr.state.P.bottomRightCorner<3, 3>() =
        config.initial_velocity_sigma_mps * config.initial_velocity_sigma_mps * Mat3::Identity();
    tr.hits = 1;
    tr.first_seen = t;
    tr.last_update = t;
    r.last_ranged_update = t;
    ApplyDetectionAttributes(tr, d);
    r.updated_this_step = true;
    r.last_key = KeyOf(d);
    InitialiseFilter(r);
    tracks.push_back(std::move(r));
  }
}

void Tracker::Impl::Triangulate(SimTime now) {
  if (pending_bearings.size() >= 2) {
    std::vector<const Detection*> rays;
    rays.reserve(pending_bearings.size());
    for (const Detection& d : pending_bearings) rays.push_back(&d);
    internal::TriangulationOptions options;
    options.gate_probability = config.gate_probability;
    options.max_time_spread = config.triangulation_max_dt;
    options.speed_sigma_mps = config.initial_velocity_sigma_mps;
    options.max_position_sigma_m = config.max_position_sigma_m;
    std::vector<char> used(rays.size(), 0);
    for (const internal::Triangulation& fix : internal::FindTriangulations(rays, options)) {
      TrackRecord r;
      Track& tr = r.track;
      tr.id = ids.Next();
      tr.status = TrackStatus::kTentative;
      tr.state.time = fix.time;
      tr.state.x.head<3>() = fix.position;
      tr.state.x.tail<3>().setZero();
      tr.state.P.setZero();
      tr.state.P.topLeftCorner<3, 3>() = fix.covariance;
      for (int i = 0; i < 3; ++i) {
        tr.state.P(i, i) = std::max(tr.state.P(i, i), config.min_position_variance_m2);
      }
      tr.state.P.bottomRightCorner<3, 3>() =
          config.initial_velocity_sigma_mps * config.initial_velocity_sigma_mps * Mat3::Identity();
      tr.first_seen = fix.time;
      tr.last_update = fix.time;
      r.last_ranged_update = fix.time;
      const Detection* latest = rays[fix.members.front()];
      for (const int m : fix.members) {
        used[m] = 1;
        ++tr.hits;
        ApplyDetectionAttributes(tr, *rays[m]);
        if (KeyOf(*rays[m]) > KeyOf(*latest)) latest = rays[m];
      }
      r.has_bearing = true;
      r.bearing_sensor = latest->sensor;
      r.bearing_sensor_position = latest->sensor_position;
      r.bearing_time = latest->time;
      r.updated_this_step = true;
      r.last_key = KeyOf(*latest);
      // Like a positional start: velocity 0 within initial_velocity_sigma_mps, extra states
      // (acceleration, turn rate) 0 within their initial spread, IMM modes at their stationary
      // probabilities; the geometry only fixes the position.
      InitialiseFilter(r);
      tracks.push_back(std::move(r));
    }
    size_t w = 0;
    for (size_t k = 0; k < pending_bearings.size(); ++k) {
      if (used[k]) continue;
      if (w != k) pending_bearings[w] = std::move(pending_bearings[k]);
      ++w;
    }
    pending_bearings.resize(w);
  }
  // Rays older than the time spread cannot meet a later one.
  std::erase_if(pending_bearings, [&](const Detection& d) { return d.time < now - config.triangulation_max_dt; });
}

void Tracker::Impl::Prune(SimTime now) {
  // A later detection is at least now - lag: keep the last update before that as the base.
  const SimTime cutoff = now - config.max_detection_lag;
  for (TrackRecord& r : tracks) {
    size_t drop = 0;
    while (drop + 1 < r.updates.size() && std::get<0>(r.updates[drop + 1].key) < cutoff) ++drop;
    // Erasing at the front moves the rest: only once at least half is stale (amortised O(1)).
    if (drop > 0 && 2 * drop >= r.updates.size()) {
      r.updates.erase(r.updates.begin(), r.updates.begin() + static_cast<std::ptrdiff_t>(drop));
    }
  }
}

void Tracker::Impl::EndStep(SimTime now, TrackerOutput& out) {
  const uint32_t window_mask =
      config.confirm_window >= 32 ? 0xffffffffu : ((uint32_t{1} << config.confirm_window) - 1u);
  size_t w = 0;
  for (size_t k = 0; k < tracks.size(); ++k) {
    TrackRecord& r = tracks[k];
    Track& t = r.track;
    r.history = (r.history << 1) | (r.updated_this_step ? 1u : 0u);
    ++r.age_steps;
    if (!r.updated_this_step) ++t.consecutive_misses;
    bool keep = true;
    if (t.status == TrackStatus::kTentative) {
      if (std::popcount(r.history & window_mask) >= config.confirm_hits) {
        t.status = TrackStatus::kConfirmed;
        out.confirmed.push_back(t.id);
      } else if (t.consecutive_misses >= config.tentative_max_misses || r.age_steps >= config.confirm_window) {
        keep = false;  // never shown, so not reported as deleted
      }
    }
    if (keep && IsPicture(t.status)) {
      t.status = t.consecutive_misses > 0 ? TrackStatus::kCoasting : TrackStatus::kConfirmed;
      const TrackState at_now = FilterPredict(t.state, r.filter, now, nullptr);
      // Bearing-only updates steer a track but cannot hold its range: without a ranged update for
      // delete_after it is as stale as one without any update (else EO/IR plots of birds would
      // keep the ghost of a drone that has already hit alive, and dragged along).
      const bool stale = (t.consecutive_misses > 0 && now - t.last_update >= config.delete_after) ||
                         now - r.last_ranged_update >= config.delete_after;
      const bool too_uncertain = MaxPositionSigma(at_now.P) > config.max_position_sigma_m;
      const bool too_many_misses =
          config.confirmed_max_misses > 0 && t.consecutive_misses >= config.confirmed_max_misses;
      if (stale || too_uncertain || too_many_misses) {
        keep = false;
        out.deleted.push_back(t.id);
      } else {
        Track shown = t;
        shown.state = at_now;
        out.tracks.push_back(std::move(shown));
      }
    }
    if (keep) {
      if (w != k) tracks[w] = std::move(tracks[k]);
      ++w;
    }
  }
  tracks.resize(w);
}

Tracker::Tracker(TrackerConfig config) : impl_(std::make_unique<Impl>(config)) {}
Tracker::~Tracker() = default;
Tracker::Tracker(const Tracker& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Tracker& Tracker::operator=(const Tracker& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Tracker::Tracker(Tracker&&) noexcept = default;
Tracker& Tracker::operator=(Tracker&&) noexcept = default;

TrackerOutput Tracker::Step(SimTime now, std::span<const Detection> detections) {
  return impl_->Step(now, detections);
}

const TrackerConfig& Tracker::config() const { return impl_->config; }

std::vector<Track> Tracker::TentativeTracksForTest() const {
  std::vector<Track> out;
  for (const TrackRecord& r : impl_->tracks) {
    if (r.track.status == TrackStatus::kTentative) out.push_back(r.track);
  }
  return out;
}

}  // namespace koepel::tracking
