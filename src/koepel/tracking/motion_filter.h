// IWYU pragma: private, include "koepel/tracking/tracking.h"
// The tracker's view of TrackerConfig::motion: one motion filter (a single model, or the IMM of CV
// and CT) that keeps each track's full filter state (extra states, mode probabilities) and shows
// the tracker only 6-D [p, v] TrackStates and, for gating, the predicted measurement (for JPDA
// also the detection's density and the combined update).
//
// The default (CV with KF/EKF) does not come through here: the tracker calls filter.h directly,
// so its results stay bit for bit what they were.
#pragma once

#include <memory>
#include <span>

#include "koepel/tracking/imm.h"

namespace koepel::tracking::internal {

// A track's filter state at `time`, and the [p, v] combination last shown to the tracker.
struct FilterState {
  SimTime time;
  ImmState modes;
  TrackState combined;
};

// A track's FilterState kept off its record, so that records stay small under the default filter
// (which has none); copies are deep, as for every other part of a Tracker.
class FilterSlot {
 public:
  FilterSlot() = default;
  FilterSlot(const FilterSlot& o) : p_(o.p_ ? std::make_unique<FilterState>(*o.p_) : nullptr) {}
  FilterSlot& operator=(const FilterSlot& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<FilterState>(*o.p_) : nullptr;
    return *this;
  }
  FilterSlot(FilterSlot&&) noexcept = default;
  FilterSlot& operator=(FilterSlot&&) noexcept = default;

  bool has_value() const { return p_ != nullptr; }
  FilterState& operator*() { return *p_; }
  const FilterState& operator*() const { return *p_; }
  FilterState* operator->() { return p_.get(); }
  // Stores `s`, reusing the allocation when there is one.
  void Set(const FilterState& s) {
    if (p_) {
      *p_ = s;
    } else {
      p_ = std::make_unique<FilterState>(s);
    }
  }

 private:
  std::unique_ptr<FilterState> p_;
};

class MotionFilterEngine {
 public:
  explicit MotionFilterEngine(const TrackerConfig& config);

  // True unless the configuration is the default CV with KF/EKF (which filter.h serves directly).
  static bool Needed(const MotionFilterConfig& c) {
    return c.filter != MotionFilter::kConstantVelocity || c.nonlinear != NonlinearFilter::kExtended;
  }

  const ImmFilter& imm() const { return imm_; }

  // A new filter state from a track's [p, v]: extra states at 0 with the configured initial
  // spread, mode probabilities at the switching chain's stationary distribution.
  FilterState Initialise(const TrackState& s) const;
  // If something outside the filter replaced the track's [p, v] estimate (`track`, e.g. a
  // re-initiation), re-seeds every mode's [p, v] from it, keeping the modes' extra states. (The
  // Tracker does not need it: it starts the filter state with the track and only ever sets a
  // track's [p, v] from it, also when re-filtering.)
  void Sync(FilterState& s, const TrackState& track) const;
  FilterState Predict(const FilterState& s, SimTime t) const;
  // For gating and cost: one mode's own prediction, or for the IMM the combined prediction's.
  PredictedMeasurement PredictMeasurement(const FilterState& prior, const Detection& d) const;
  FilterState Update(const FilterState& prior, const Detection& d) const;
  // JPDA: a detection's density under the prior (for the IMM the mixture over the modes, which
  // the combined update needs its association probabilities to be computed with), and the PDA
  // combined update with those probabilities (per mode for the IMM; see ImmFilter::PdaUpdate).
  double LogLikelihood(const FilterState& prior, const Detection& d) const;
  FilterState CombinedUpdate(const FilterState& prior, std::span<const Detection> dets, std::span<const double> beta,
                             double beta0) const;

 private:
  TrackState Combined(const ImmState& s, SimTime t) const;

  ImmFilter imm_;
  MotionFilterConfig config_;
};

}  // namespace koepel::tracking::internal
