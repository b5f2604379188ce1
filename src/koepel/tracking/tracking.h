// koepel/tracking/tracking.h
//
// Multi-sensor, multi-target tracking (the engine's "fuse" stage): turns time-stamped detections
// from any number of sensors into fused tracks, and scores a track picture against truth.
//
// The tracker is a fixed composition of small roles (after Stone Soup), each in its own file:
//   predictor    constant-velocity motion model, 6-D state in the local ENU frame  (filter.h)
//   updater      KF for positions, EKF for range/azimuth/elevation and bearings     (filter.h)
//   motion       CV, CA, coordinated turn, ballistic: f(x, dt), Jacobian, Q(dt)      (motion.h)
//   filters      KF/EKF/UKF on a model's state, Joseph form, LDLT solves           (kalman.h)
//   IMM          interacting multiple models, e.g. CV + CT for manoeuvring drones   (imm.h)
//                TrackerConfig::motion picks one; the default is the CV KF/EKF above (motion_filter.h);
//                every predict and update below (JPDA, re-filtering) goes through the chosen one
//   gater        chi-square gate on the Mahalanobis distance, sorted-key prefilter (gating.h)
//   associator   global nearest neighbour as a sparse 2-D assignment (assignment.h), or JPDA
//                with exact per-cluster enumeration and a PDA combined update, per mode for
//                the IMM (jpda.h)
//   initiator    tentative tracks from unused positional detections, and from bearings of two
//                or more sensors that meet (triangulation.h); M-of-N confirmation  (tracker.cc)
//   re-filter    late (out-of-sequence) detections: per-track updates of the lag window, with
//                their filter states, re-filtered in time order                   (tracker.cc)
//   deleter      time since update, covariance growth, consecutive misses          (tracker.cc)
//
// Example:
//   tracking::Tracker tracker({.gate_probability = 0.999});
//   for (each engine tick at time now, with the detections that arrived since the last one) {
//     tracking::TrackerOutput out = tracker.Step(now, detections);
//     // out.tracks: confirmed and coasting tracks, predicted to `now`, sorted by id
//   }
//   tracking::PictureMetrics m = tracking::ScorePicture(truth_positions, track_positions);
//
// Determinism: for equal inputs (and equal history), Step() returns identical output, track ids
// and order included. Association ties are broken by (track id, detection id).
// Thread-safety: a Tracker is not thread-safe; use one per engine thread. Copying a Tracker
// copies its whole state (useful to branch a Monte-Carlo run).
// Errors: Step() never fails. Detections stamped after `now`, or older than the previous `now`
// minus `max_detection_lag`, are dropped and counted in TrackerOutput::dropped_detections.
// Late detections (within the lag) are not approximated: each track keeps its updates of the lag
// window (with the full filter state: extra states, IMM mode probabilities), and one that takes a
// late detection is re-filtered from its state before it, in time order, so it ends as if the
// detection had come in time (same association decisions and JPDA weights assumed).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/model/model.h"

namespace koepel::tracking {

// How the process noise of the constant-velocity model is built from process_noise_accel_mps2.
enum class ProcessNoiseModel {
  kDiscreteWhiteNoiseAcceleration,   // Q = G G' sigma^2, G = [dt^2/2; dt] per axis; sigma in m/s^2
  kContinuousWhiteNoiseAcceleration, // Q = q [dt^3/3, dt^2/2; dt^2/2, dt] per axis; q = value^2 in m^2/s^3
};

// What a (track, detection) pair costs in the global-nearest-neighbour assignment. Leaving a track
// unassigned costs the gate threshold in the same unit, so any gated pair is preferred to a miss
// unless it is needed by another track.
enum class AssociationCost {
  kMahalanobisSquared,  // d^2 = nu' S^-1 nu; missed cost = chi-square gate quantile G
  kMahalanobis,         // d; missed cost = sqrt(G) (Stone Soup DistanceHypothesiser + GNNWith2DAssignment)
};

// The motion model and filter of every track. Tracks always expose the 6-D TrackState [p, v];
// extra states (acceleration, turn rate, mode probabilities) stay inside the tracker.
enum class MotionFilter {
  kConstantVelocity,      // 6-D CV; with kExtended the KF/EKF of filter.h (the default, Stone Soup's)
  kConstantAcceleration,  // 9-D [p, v, a], white-noise jerk (ca_jerk_sigma_mps3)
  kCoordinatedTurn,       // 7-D [p, v, omega]: horizontal turn at rate omega (CCW > 0), vertical CV
  kBallistic,             // 6-D under gravity and quadratic drag (ballistic_coefficient_kgpm2), RK4
  kImmCvCt,               // IMM of CV and CT (Markov switching): straight flight and turns, e.g. drones
};

// How non-linear steps (CT and ballistic motion; polar and bearing measurements) are filtered.
enum class NonlinearFilter {
  kExtended,   // EKF: first-order linearisation (Jacobians)
  kUnscented,  // UKF: scaled sigma points (ukf_alpha, ukf_beta, ukf_kappa), for every step incl. updates
};

struct MotionFilterConfig {
  MotionFilter filter = MotionFilter::kConstantVelocity;  // see enum
  NonlinearFilter nonlinear = NonlinearFilter::kExtended; // see enum
  double ca_jerk_sigma_mps3 = 1.0;              // CA: white-noise jerk std, m/s^3 (same noise model as CV)
  double initial_acceleration_sigma_mps2 = 10.0;  // CA: acceleration std of a new track (mean 0), m/s^2
  double turn_rate_noise_radps2 = 0.05;         // CT: white-noise turn-rate acceleration std, rad/s^2
  double initial_turn_rate_sigma_radps = 0.2;   // CT: turn-rate std of a new track (mean 0), rad/s
  double ballistic_coefficient_kgpm2 = 5000.0;  // ballistic: m / (Cd A), kg/m^2; +inf: gravity only
  double imm_cv_sojourn_s = 30.0;               // IMM: mean time in CV before switching to CT, s
  double imm_ct_sojourn_s = 10.0;               // IMM: mean time in CT before switching to CV, s
  double ukf_alpha = 1.0;                       // UKF sigma-point spread (1: no negative weights)
  double ukf_beta = 2.0;                        // UKF prior-distribution term (2: Gaussian)
  double ukf_kappa = 0.0;                       // UKF secondary scaling
};

// How a scan's detections are shared among the confirmed tracks (tentative tracks always use GNN:
// M-of-N confirmation asks whether one detection per scan follows the track, and a soft update
// would let clutter confirm it).
enum class Associator {
  kGlobalNearestNeighbour,  // the best joint one-to-one assignment (sparse 2-D assignment), KF update
  kJpda,                    // joint probabilistic data association: every gated detection updates the
                            // track, weighted by its marginal association probability over the joint
                            // events of its cluster (PDA combined update with the spread-of-innovations term)
};

struct TrackerConfig {
  double process_noise_accel_mps2 = 3.0;   // white-noise acceleration std of the CV model (q = sigma^2), m/s^2
  ProcessNoiseModel process_noise_model = ProcessNoiseModel::kDiscreteWhiteNoiseAcceleration;  // see enum
  double gate_probability = 0.999;          // chi-square gate mass in (0, 1), for the measurement dimension
  AssociationCost association_cost = AssociationCost::kMahalanobisSquared;  // pair cost, see enum
  int confirm_hits = 3;                     // M of M-of-N confirmation: steps with an update, first included
  int confirm_window = 5;                   // N of M-of-N: the last N Steps of a tentative track (<= 32)
  int tentative_max_misses = 2;             // tentative track dropped after this many consecutive missed Steps
  Duration delete_after = Seconds(8);       // confirmed track deleted when not updated for this long (and coasting),
                                            // or without a ranged update (range, position, two-sensor bearings) for this long
  double max_position_sigma_m = 3000.0;     // ... or when its largest position std (at `now`) grows past this, m
  int confirmed_max_misses = 0;             // ... or after this many consecutive missed Steps; 0: off
  double initial_velocity_sigma_mps = 300.0;  // velocity std of a new track (velocity mean 0), m/s, per axis
  double min_position_variance_m2 = 1.0;    // floor on a new track's position variances (2-D sensors give 0 in z), m^2
  bool suppress_initiation_in_confirmed_gate = true;  // no new track from a detection gated by a confirmed track
  Duration max_detection_lag = Seconds(10); // detections older than the previous `now` minus this are dropped
  double prefilter_margin = 1.5;            // >= 1: scales the conservative search window of the spatial prefilter
  // Feature-aided association: the std of ln(RCS) between a detection's RCS estimate and its track's
  // smoothed RCS. A pair whose RCS differs by more than the 99.9 % gate is not associated, and the
  // squared normalised difference is added to the cost, so a drone track does not jump onto a bird
  // with a twentieth of its cross-section. 0: off (detections without RCS are never affected).
  double rcs_log_sigma = 0.0;
  // Motion model and filter (default: CV with KF/EKF). The translational process noise of every
  // model is process_noise_accel_mps2 under process_noise_model.
  MotionFilterConfig motion;

  Associator associator = Associator::kGlobalNearestNeighbour;  // for confirmed tracks, see enum
  // JPDA only. A JPDA track counts as updated (hit) in a scan when its posterior detection
  // probability 1 - beta_0 is at least half its prior P_D P_G; a detection whose association
  // probabilities sum to 0.5 or more is not offered to tentative tracks or initiation.
  double detection_probability = 0.9;       // P_D of a track in a scan of a sensor that covers it
  double clutter_density_per_m3 = 1e-9;     // false detections per m^3 (positions; range/az/el via r^2 cos el)
  double clutter_density_per_sr = 1e-3;     // false bearings per steradian (bearing-only detections)
  int jpda_max_events = 20000;              // per cluster: exact up to this many joint events, else loopy
                                            // belief propagation (Williams and Lau 2014)

  // Bearings from two or more sensors fix a position: unused bearings that meet (least-squares
  // point within the chi-square residual gate of gate_probability) start a tentative track there,
  // with the covariance of the geometry; and a track updated by bearings of two sensors (at least
  // 1 m apart) within triangulation_max_dt counts as ranged (see delete_after).
  bool triangulate_bearings = true;
  Duration triangulation_max_dt = Milliseconds(500);  // the rays of one fix lie within this time span
};

// The shared benchmark's tracker settings (../shared/data/tracking/README.md, params.json `tracker`;
// Stone Soup's GNN run), as plain values. FromBenchmarkSettings maps them onto a TrackerConfig:
// continuous white-noise CV model, cost d (not d^2), initiation from every unused detection,
// deletion by consecutive misses only.
struct BenchmarkSettings {
  double q_m2ps3 = 1.0;                     // process noise intensity q of the CV model, m^2/s^3
  double gate_probability_2d = 0.999;       // chi-square gate mass for the planar (2-dof) innovation
  double initial_velocity_sigma_mps = 250.0;  // velocity std of a new tentative track, m/s
  int confirm_updates = 3;                  // detection updates (first included) that confirm a track
  int tentative_delete_misses = 2;          // consecutive misses that drop a tentative track
  int confirmed_delete_misses = 4;          // consecutive misses that delete a confirmed track
};
TrackerConfig FromBenchmarkSettings(const BenchmarkSettings& settings);

struct TrackerOutput {
  SimTime time;
  std::vector<Track> tracks;        // confirmed and coasting tracks after the step, sorted by id, predicted to `time`
  std::vector<TrackId> confirmed;   // confirmed during this step, ascending
  std::vector<TrackId> deleted;     // deleted during this step (only tracks that had been confirmed), ascending
  int dropped_detections = 0;       // detections ignored: time > now or older than the lag window
  int scans = 0;                    // (time, sensor) batches processed in this step
};

class Tracker {
 public:
  explicit Tracker(TrackerConfig config = {});
  ~Tracker();
  Tracker(const Tracker& other);
  Tracker& operator=(const Tracker& other);
  Tracker(Tracker&&) noexcept;
  Tracker& operator=(Tracker&&) noexcept;

  // Processes detections (any sensors, any order; each with time <= now and > previous now - lag)
  // in time order, grouped into scans by (time, sensor): each scan is associated as one batch (GNN/JPDA)
  // to the tracks predicted to the scan's time; then predicts all tracks to `now` for the output.
  // Pure w.r.t. time: no wall clock. `now` should not decrease between calls.
  TrackerOutput Step(SimTime now, std::span<const Detection> detections);

  const TrackerConfig& config() const;
  // Tracks not yet confirmed (not part of the picture), for tests and diagnostics; sorted by id.
  std::vector<Track> TentativeTracksForTest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The chi-square quantile: x with P(X <= x) = p for X ~ chi^2(dof). dof >= 1, 0 < p < 1.
double ChiSquareQuantile(double p, int dof);

// Metrics between truth positions and track positions (any dimension via Vec3; z may be 0), over
// one optimal assignment with cost min(d, c)^p:
//   OSPA  = ((sum_assigned min(d,c)^p + c^p |m - n|) / max(m, n))^(1/p), 0 when both are empty;
//   GOSPA (alpha = 2) = (sum_{pairs with d < c} d^p + c^p / 2 (missed + false))^(1/p).
struct PictureMetrics {
  double ospa_m = 0.0;
  double gospa_m = 0.0;
  int missed = 0;              // truths not matched to an estimate within the cutoff
  int false_tracks = 0;        // estimates not matched to a truth within the cutoff
  double localisation_m = 0.0; // GOSPA localisation part: (sum_{pairs with d < c} d^p)^(1/p)
};
PictureMetrics ScorePicture(std::span<const Vec3> truth, std::span<const Vec3> estimates,
                            double cutoff_m = 1000.0, double order_p = 2.0);

// SIAP (Single Integrated Air Picture) figures over a run. Per scan, each track is associated to
// the nearest truth closer than `association_distance_m` (ties: lower truth id), so a truth may
// hold several tracks; a truth's "best" track is its nearest associated one (ties: lower id).
struct LabelledPosition {
  int64_t id = 0;                 // truth target id or track id
  Vec3 position = Vec3::Zero();   // m
};
struct SiapScan {
  std::vector<LabelledPosition> truths;
  std::vector<LabelledPosition> tracks;
};
struct SiapMetrics {
  double completeness = 0.0;          // tracked truth-scans / truth-scans (1 ideal; 0 when no truths)
  double ambiguity = 0.0;             // associated track-scans / tracked truth-scans (1 ideal; 0 when none tracked)
  double spuriousness = 0.0;          // unassociated track-scans / track-scans (0 ideal; 0 when no tracks)
  double positional_accuracy_m = 0.0; // mean distance over associated (track, truth) pairs, m (0 when none)
  int track_id_changes = 0;           // times a truth's best track id differs from its previous best (gaps skipped)
  int truth_scans = 0;                // sum over scans of the number of truths
  int tracked_truth_scans = 0;        // ... of truths with at least one associated track
  int track_scans = 0;                // sum over scans of the number of tracks
  int associated_track_scans = 0;     // ... of tracks associated to a truth
};
SiapMetrics ScoreSiap(std::span<const SiapScan> scans, double association_distance_m = 1000.0);

}  // namespace koepel::tracking
