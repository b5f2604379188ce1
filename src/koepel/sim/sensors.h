// IWYU pragma: private, include "koepel/sim/sim.h"
// Synthetic sensors: what each sensor kind would report of the world at a scan.
#pragma once

#include <vector>

#include "koepel/sim/world.h"

namespace koepel::sim::internal {

// Radar horizon with the 4/3-earth refraction model: about 4.12 km x (sqrt(h1) + sqrt(h2)), heights in m.
double RadarHorizonM(double sensor_height_m, double target_height_m);

// Swerling-1 probability of detection of a target of `rcs_m2` at `range_m` for a radar whose
// detection_probability holds for reference_rcs_m2 at max_range_m (false-alarm probability 1e-6).
double RadarDetectionProbability(const ScenarioSensor& radar, double rcs_m2, double range_m);

// EO/IR probability of detection at `range_m` in the sensor's weather (clouds aside): the sensor's
// detection_probability in clear air, lowered by haze and fog through Koschmieder's extinction.
double EoirDetectionProbability(const ScenarioSensor& eoir, double range_m);

// Whether an acoustic sensor can hear the class at all: anything with an engine or rotors that flies
// low and slow enough; not ballistic missiles, not birds.
bool Audible(ObjectClass c);

// Whether the sensor could see the object at all now (range, horizon, site masking, kind), ignoring Pd.
// An acoustic network covers what any of its nodes could hear.
bool InCoverage(const ScenarioSensor& sensor, const WorldObject& object);

// One scan of `sensor` over the world at time t: detections of objects and false alarms.
void Scan(const ScenarioSensor& sensor, const std::vector<WorldObject>& objects, SimTime t, Rng& rng,
          IdSequence<DetectionId>& ids, std::vector<Detection>& out);

}  // namespace koepel::sim::internal
