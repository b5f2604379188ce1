// koepel/warning/warning.h
//
// Civil warning decisions (the engine's warn stage): which named regions (safety regions, municipalities,
// scenario areas) to alert for the predicted impacts of threats, when to update them and when to give the
// all-clear. Pure logic: emitting the warnings (CAP, NL-Alert) is an adapter's job.
//
//   P(impact in region) is the Gaussian impact distribution (Threat::predicted_impact, impact_covariance, local
//   ENU) integrated over the region by a fixed 2-D Gauss-Hermite rule: 10 x 10 nodes in the covariance's
//   principal axes, converted to lat/lon with the frame and tested with geo::Contains after a bounding-box
//   prefilter.
//   A region is alerted once when some threat gives P >= min_probability; it gets an update when a new
//   threat joins or the earliest predicted impact time moves by impact_time_update_s or more (at most once per
//   update_min_interval); it gets the all-clear once no threat has reached it for all_clear_after.
//
// Example:
//   WarningDecider decider(WarningConfig{}, regions, frame);
//   for (...) { std::vector<Warning> out = decider.Decide(now, threats); /* send out */ }
//
// Determinism: warnings come in region order (as given), ids from the decider's own IdSequence.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/geo/geo.h"
#include "koepel/model/model.h"

namespace koepel::warning {

struct WarningConfig {
  double min_probability = 0.2;           // alert a region when P(impact in region) >= this for some threat
  Duration all_clear_after = Seconds(60);  // all-clear once no threat has reached the region for this long
  Duration update_min_interval = Seconds(30);  // at most one update per region per interval
  double impact_time_update_s = 30;       // update when the earliest predicted impact time moves this much (s)
};

// The lead time of one alert: how long before the predicted impact the public was warned.
struct AlertRecord {
  WarningId warning;
  std::string region_code;
  SimTime issued_at;
  SimTime predicted_impact_time;
  Duration lead_time() const { return predicted_impact_time - issued_at; }
};

class WarningDecider {
 public:
  WarningDecider(WarningConfig config, std::vector<NamedRegion> regions, geo::LocalFrame frame);

  // The warnings to send now for the threats of this step (alerts, updates, all-clears), in region order.
  std::vector<Warning> Decide(SimTime now, std::span<const Threat> threats);

  // Operator: send nothing for this region until released. Unknown codes are ignored.
  void Hold(const std::string& region_code);
  // Ends a hold; what is still valid then (an alert while threatened, an all-clear for an alert that went out)
  // is sent by the next Decide(). Alerts that lapsed while held are never sent.
  void Release(const std::string& region_code);

  // P(impact in each region) of one threat, in region order (for displays and tests).
  std::vector<double> ImpactProbabilities(const Threat& threat) const;

  // Every alert issued so far, with its lead time.
  const std::vector<AlertRecord>& alerts() const { return alerts_; }
  const std::vector<NamedRegion>& regions() const { return regions_; }

 private:
  struct Box {
    double min_lat, max_lat, min_lon, max_lon;
  };
  struct RegionState {
    bool alerted = false;                 // an alert went out and no all-clear since
    bool held = false;
    std::vector<TrackId> sent_threats;    // threats named in the last alert/update (sorted)
    SimTime sent_impact_time;             // earliest predicted impact time in the last alert/update
    SimTime last_sent;
    SimTime last_threatened;
  };
  struct Sample {
    double lat, lon, weight;
  };
  std::vector<Sample> ImpactSamples(const Threat& threat) const;
  double Probability(size_t region, const std::vector<Sample>& samples) const;

  WarningConfig config_;
  std::vector<NamedRegion> regions_;
  std::vector<Box> boxes_;
  geo::LocalFrame frame_;
  std::vector<RegionState> state_;
  std::map<std::string, size_t> index_;  // region code -> position
  IdSequence<WarningId> ids_;
  std::vector<AlertRecord> alerts_;
};

}  // namespace koepel::warning
