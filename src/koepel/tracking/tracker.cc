// The tracker: scans in time order, two-stage GNN (confirmed tracks first, then tentative tracks
// on what is left), initiation from unused positional detections, M-of-N confirmation, deletion.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

#include "koepel/tracking/assignment.h"
#include "koepel/tracking/filter.h"
#include "koepel/tracking/gating.h"
#include "koepel/tracking/motion_filter.h"
#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

struct TrackRecord {
  Track track;                  // track.state is the posterior at its last update (state.time)
  uint32_t history = 0;         // bit k: updated k Steps ago (bit 0: the latest finished Step)
  int age_steps = 0;            // Steps finished since birth
  bool updated_this_step = false;
  SimTime last_ranged_update;   // last update by a detection with range (bearings alone cannot hold range)
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
    gate[2] = ChiSquareQuantile(config.gate_probability, 2);
    gate[3] = ChiSquareQuantile(config.gate_probability, 3);
    if (internal::MotionFilterEngine::Needed(config.motion)) motion.emplace(config);
  }

  TrackerOutput Step(SimTime now, std::span<const Detection> detections);
  void ProcessScan(SimTime t, std::span<const Detection* const> scan);
  // Associates the tracks whose status matches `confirmed_stage` to the scan's unused detections.
  void AssociateStage(SimTime t, std::span<const Detection* const> scan, bool confirmed_stage);
  void Initiate(SimTime t, std::span<const Detection* const> scan);
  void EndStep(SimTime now, TrackerOutput& out);

  // Motion-filter hooks. The default CV filter works on track.state directly (filter.h); any other
  // keeps its full state in TrackRecord::filter, shows its [p, v] as track.state, and its prior
  // for the scan lives in filter_priors (parallel to priors).
  TrackState PredictPrior(TrackRecord& r, SimTime t);
  internal::PredictedMeasurement PriorMeasurement(int a, const Detection& d) const;
  TrackState UpdatePrior(TrackRecord& r, int a, const Detection& d);
  TrackState PredictTo(TrackRecord& r, SimTime t);
  void SyncFilter(TrackRecord& r) const;

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
  std::vector<internal::FilterState> filter_priors;
  std::vector<int> candidates;
  std::vector<char> det_used, det_in_confirmed_gate;
  internal::CandidateIndex index;
  internal::GnnProblem problem;
  internal::GnnSolver gnn;
};

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
  EndStep(now, out);
  stepped = true;
  last_now = std::max(last_now, now);
  return out;
}

void Tracker::Impl::ProcessScan(SimTime t, std::span<const Detection* const> scan) {
  index.Build(scan);
  det_used.assign(scan.size(), 0);
  det_in_confirmed_gate.assign(scan.size(), 0);
  AssociateStage(t, scan, /*confirmed_stage=*/true);
  AssociateStage(t, scan, /*confirmed_stage=*/false);
  Initiate(t, scan);
}

void Tracker::Impl::AssociateStage(SimTime t, std::span<const Detection* const> scan, bool confirmed_stage) {
  const int dim = scan.front()->measurement.dimension();
  const double g = gate[dim];
  active.clear();
  priors.clear();
  filter_priors.clear();
  for (int k = 0; k < static_cast<int>(tracks.size()); ++k) {
    if (IsPicture(tracks[k].track.status) != confirmed_stage) continue;
    active.push_back(k);
    priors.push_back(PredictPrior(tracks[k], t));
  }
  if (active.empty()) return;
  problem.Clear(static_cast<int>(active.size()), static_cast<int>(scan.size()));
  for (int a = 0; a < static_cast<int>(active.size()); ++a) {
    problem.missed_cost[a] = Cost(g);
    candidates.clear();
    index.Candidates(priors[a], g, config.prefilter_margin, &candidates);
    for (const int j : candidates) {
      const internal::PredictedMeasurement pm = PriorMeasurement(a, *scan[j]);
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
    r.track.state = UpdatePrior(r, a, d);
    ++r.track.hits;
    r.track.consecutive_misses = 0;
    r.track.last_update = std::max(r.track.last_update, t);
    if (d.measurement.kind != MeasurementKind::kBearing) r.last_ranged_update = std::max(r.last_ranged_update, t);
    r.updated_this_step = true;
    ApplyDetectionAttributes(r.track, d);
  }
}

TrackState Tracker::Impl::PredictPrior(TrackRecord& r, SimTime t) {
  if (!motion) return PredictTo(r, t);
  SyncFilter(r);
  filter_priors.push_back(motion->Predict(*r.filter, t));
  return filter_priors.back().combined;
}

internal::PredictedMeasurement Tracker::Impl::PriorMeasurement(int a, const Detection& d) const {
  if (!motion) return internal::PredictMeasurement(priors[a], d);
  return motion->PredictMeasurement(filter_priors[a], d);
}

TrackState Tracker::Impl::UpdatePrior(TrackRecord& r, int a, const Detection& d) {
  if (!motion) return internal::Update(priors[a], d, internal::PredictMeasurement(priors[a], d));
  r.filter.Set(motion->Update(filter_priors[a], d));
  return r.filter->combined;
}

TrackState Tracker::Impl::PredictTo(TrackRecord& r, SimTime t) {
  if (!motion) return internal::Predict(r.track.state, t, config.process_noise_accel_mps2, config.process_noise_model);
  SyncFilter(r);
  return motion->Predict(*r.filter, t).combined;
}

// Starts the filter state of a new track, or re-seeds it when something else set track.state.
void Tracker::Impl::SyncFilter(TrackRecord& r) const {
  if (!r.filter.has_value()) {
    r.filter.Set(motion->Initialise(r.track.state));
  } else {
    motion->Sync(*r.filter, r.track.state);
  }
}

void Tracker::Impl::Initiate(SimTime t, std::span<const Detection* const> scan) {
  for (int j = 0; j < static_cast<int>(scan.size()); ++j) {
    if (det_used[j]) continue;
    if (config.suppress_initiation_in_confirmed_gate && det_in_confirmed_gate[j]) continue;
    const Detection& d = *scan[j];
    const std::optional<PositionEstimate> pe = ToPosition(d);
    if (!pe) continue;  // bearings alone never start a track
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
    tracks.push_back(std::move(r));
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
      const TrackState at_now = PredictTo(r, now);
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
