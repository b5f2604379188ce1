// Identification: ADS-B / IFF correlation, a naive-Bayes kinematic + sensor-report classifier with
// per-track evidence, and hostility by the rules of engagement.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "koepel/threat/threat.h"

namespace koepel::threat {
namespace {

constexpr size_t kN = kObjectClassCount;
constexpr double kPi = 3.14159265358979323846;

size_t Index(ObjectClass c) { return static_cast<size_t>(c); }

// A band model for one feature: uniform on [lo, hi] smoothed by a Gaussian of width `soft` (a proper
// density: a uniform convolved with a Gaussian), mixed with a small floor so one outlier cannot veto a class.
struct Band {
  double lo;
  double hi;
  double soft;
};

// The range each feature can take at all; the floor and the "unknown" class are uniform over it.
constexpr double kSpeedRange = 4000.0;   // m/s, 0 .. 4000
constexpr double kAltRange = 200500.0;   // m, -500 .. 200000
constexpr double kGammaRange = 180.0;    // deg, flight path angle -90 .. 90
constexpr double kLogRcsRange = 8.0;     // log10(m^2), -5 .. 3
constexpr double kFloor = 0.02;          // weight of the uniform floor in each band density
constexpr double kUnknownDensity = 0.3;  // "unknown" is 0.3 x uniform: it wins only when nothing else fits
constexpr double kMinSpeedForGamma = 3.0;  // m/s; below it the flight path angle is noise

// Per-class feature bands. Figures from open descriptions of each kind of object:
//   bird           5-20 m/s, below 1.5 km, level-ish, RCS 0.001-0.02 m^2
//   small drone    0-30 m/s (hovers), below 500 m, any climb angle, RCS 0.005-0.2 m^2
//   OWA drone      42-58 m/s (Shahed-136 cruises ~50 m/s), 50-2500 m, level, RCS 0.03-1 m^2
//   decoy          35-50 m/s (Gerbera ~45 m/s), 50-2500 m, level, RCS as the OWA drone (reflectors)
//   fixed wing     55-300 m/s, 0-13 km, climb -20..+25 deg, RCS 1-100 m^2
//   helicopter     0-70 m/s, below 3 km, RCS 1-30 m^2
//   cruise missile 190-290 m/s, 10-300 m (terrain following), level, RCS 0.03-0.5 m^2
//   ballistic      600-4000 m/s, 0-200 km, any flight path angle (steep in descent), RCS 0.01-1 m^2
struct ClassModel {
  Band speed;
  Band alt;
  Band gamma;
  Band log_rcs;
};
constexpr std::array<ClassModel, kN> kModels = {{
    {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}},  // unknown: not a band (see kUnknownDensity)
    {{5, 20, 3}, {0, 1500, 150}, {-20, 20, 10}, {-3.0, -1.7, 0.4}},
    {{0, 30, 4}, {0, 500, 80}, {-90, 90, 5}, {-2.3, -0.7, 0.4}},
    {{42, 58, 4}, {50, 2500, 150}, {-15, 15, 5}, {-1.5, 0.0, 0.4}},
    {{35, 50, 5}, {50, 2500, 150}, {-15, 15, 5}, {-1.5, 0.0, 0.4}},
    {{55, 300, 15}, {0, 13000, 300}, {-20, 25, 5}, {0.0, 2.0, 0.5}},
    {{0, 70, 6}, {0, 3000, 200}, {-30, 30, 10}, {0.0, 1.5, 0.5}},
    {{190, 290, 20}, {10, 300, 60}, {-10, 10, 5}, {-1.5, -0.3, 0.4}},
    {{600, 4000, 150}, {0, 200000, 1000}, {-90, 90, 5}, {-2.0, 0.0, 0.5}},
}};

// Prior class probabilities of a non-cooperative track in a contested air picture (sum 1). Birds and
// aircraft are common; missiles rare.
constexpr std::array<double, kN> kPrior = {0.02, 0.20, 0.10, 0.15, 0.08, 0.25, 0.08, 0.07, 0.05};
// Prior of a track that transmits ADS-B: a manned aircraft almost surely.
constexpr std::array<double, kN> kAdsbPrior = {0.01, 0.005, 0.01, 0.005, 0.005, 0.85, 0.10, 0.0075, 0.0075};

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double BandDensity(const Band& b, double x, double range) {
  const double core = (NormalCdf((x - b.lo) / b.soft) - NormalCdf((x - b.hi) / b.soft)) / (b.hi - b.lo);
  return (1.0 - kFloor) * core + kFloor / range;
}

std::string Format(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, a);
  return buf;
}

std::string Hex24(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%06x", v & 0xffffffU);
  return buf;
}

bool Contains(const std::vector<ObjectClass>& v, ObjectClass c) { return std::find(v.begin(), v.end(), c) != v.end(); }

std::array<double, kN> PosteriorOf(const std::array<double, kN>& log_evidence, const std::array<double, kN>& prior) {
  std::array<double, kN> log_post{};
  double best = -1e300;
  for (size_t i = 0; i < kN; ++i) {
    log_post[i] = std::log(prior[i]) + log_evidence[i];
    best = std::max(best, log_post[i]);
  }
  std::array<double, kN> post{};
  double sum = 0.0;
  for (size_t i = 0; i < kN; ++i) {
    post[i] = std::exp(log_post[i] - best);
    sum += post[i];
  }
  for (double& p : post) p /= sum;
  return post;
}

size_t ArgMax(const std::array<double, kN>& p) {
  return static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());  // first max: lowest enum
}

}  // namespace

namespace internal {

std::array<double, kObjectClassCount> KinematicLogLikelihood(const Vec3& velocity, double altitude_m,
                                                             std::optional<double> rcs_m2) {
  const double speed = velocity.norm();
  const double horizontal = velocity.head<2>().norm();
  const double gamma_deg = std::atan2(velocity.z(), horizontal) * 180.0 / kPi;
  const bool use_gamma = speed >= kMinSpeedForGamma;
  const bool use_rcs = rcs_m2.has_value() && *rcs_m2 > 0.0;
  const double log_rcs = use_rcs ? std::log10(*rcs_m2) : 0.0;

  std::array<double, kN> ll{};
  for (size_t i = 0; i < kN; ++i) {
    if (i == Index(ObjectClass::kUnknown)) {
      double l = std::log(kUnknownDensity / kSpeedRange) + std::log(kUnknownDensity / kAltRange);
      if (use_gamma) l += std::log(kUnknownDensity / kGammaRange);
      if (use_rcs) l += std::log(kUnknownDensity / kLogRcsRange);
      ll[i] = l;
      continue;
    }
    const ClassModel& m = kModels[i];
    double l = std::log(BandDensity(m.speed, speed, kSpeedRange)) + std::log(BandDensity(m.alt, altitude_m, kAltRange));
    if (use_gamma) l += std::log(BandDensity(m.gamma, gamma_deg, kGammaRange));
    if (use_rcs) l += std::log(BandDensity(m.log_rcs, log_rcs, kLogRcsRange));
    ll[i] = l;
  }
  return ll;
}

}  // namespace internal

Identifier::Identifier(ThreatConfig config) : config_(std::move(config)) {
  KOEPEL_CHECK(config_.evidence_forgetting > 0.0 && config_.evidence_forgetting <= 1.0,
               "evidence_forgetting must be in (0, 1]");
}

void Identifier::Declare(TrackId track, Affiliation affiliation, std::string reason) {
  TrackMemory& m = memory_[track];
  m.declared = true;
  m.declared_affiliation = affiliation;
  m.declared_reason = std::move(reason);
}

std::array<double, kObjectClassCount> Identifier::Posterior(TrackId track) const {
  auto it = memory_.find(track);
  if (it == memory_.end()) return {};
  return PosteriorOf(it->second.log_evidence, it->second.civil ? kAdsbPrior : kPrior);
}

std::vector<Track> Identifier::Identify(SimTime /*now*/, std::vector<Track> tracks) {
  for (Track& track : tracks) {
    if (track.status == TrackStatus::kDeleted) {
      memory_.erase(track.id);
      continue;
    }
    TrackMemory& memory = memory_[track.id];
    track.identity = IdentifyOne(track, memory);
  }
  return tracks;
}

Identity Identifier::IdentifyOne(const Track& track, TrackMemory& memory) const {
  const Vec3 v = track.state.velocity();
  // Height above the ellipsoid from the tangent-plane z: the plane rises above the earth by rho^2 / 2R at a
  // horizontal distance rho from the origin (125 m at 40 km), which would make distant aircraft look low.
  constexpr double kEarthRadius = 6371000.0;
  const double alt = track.state.x(2) + track.state.x.head<2>().squaredNorm() / (2.0 * kEarthRadius);
  const double speed = v.norm();

  // Evidence: once per new update of the track, decayed so a changed behaviour can still win.
  const SimTime update_time = std::max(track.last_update, track.state.time);
  if (update_time > memory.last_evidence_time) {
    // Kinematics count only once the track's velocity is known: a newly confirmed track's speed is
    // still mostly its initiation prior, and a bird must not look like a decoy for its first seconds.
    const double velocity_sigma = std::sqrt(std::max(0.0, track.state.P.bottomRightCorner<3, 3>().trace() / 3.0));
    std::array<double, kN> ll{};
    if (velocity_sigma <= config_.max_velocity_sigma_for_kinematics_mps) {
      ll = internal::KinematicLogLikelihood(v, alt, track.rcs_m2);
    }
    memory.latest_kinematics = ll;
    if (track.last_class_report.has_value() && track.last_class_report->object_class != ObjectClass::kUnknown) {
      const double c = std::clamp(track.last_class_report->confidence, 1.0 / kN, 0.99);
      const size_t reported = Index(track.last_class_report->object_class);
      for (size_t i = 0; i < kN; ++i) ll[i] += std::log(i == reported ? c : (1.0 - c) / (kN - 1));
    }
    // One update may move the evidence by at most e^15 between classes: bounds the cost of an outlier.
    const double best = *std::max_element(ll.begin(), ll.end());
    for (size_t i = 0; i < kN; ++i) {
      memory.log_evidence[i] = config_.evidence_forgetting * memory.log_evidence[i] + std::max(ll[i] - best, -15.0);
    }
    memory.last_evidence_time = update_time;
    ++memory.updates;
  }

  // Cooperative identification is sticky for the life of the track.
  if (track.icao24.has_value() && !memory.civil) {
    memory.civil = true;
    memory.civil_reason = "correlated with ADS-B " + Hex24(*track.icao24);
    if (track.callsign.has_value() && !track.callsign->empty()) memory.civil_reason += " (" + *track.callsign + ")";
  }
  if (track.friendly_iff) memory.friendly = true;

  const std::array<double, kN> post = PosteriorOf(memory.log_evidence, memory.civil ? kAdsbPrior : kPrior);
  const size_t best = ArgMax(post);
  Identity id;
  id.object_class = kAllObjectClasses[best];
  id.class_confidence = post[best];
  const std::string kinematics = "speed " + Format("%.0f", speed) + " m/s, alt " + Format("%.0f", alt) +
                                 " m, climb " + Format("%.0f", v.z()) + " m/s";
  std::string class_text = std::string(ObjectClassName(id.object_class)) + " (p=" + Format("%.2f", post[best]) + ")";
  if (track.last_class_report.has_value() && track.last_class_report->object_class != ObjectClass::kUnknown) {
    class_text += ", sensor says " + std::string(ObjectClassName(track.last_class_report->object_class)) + " " +
                  Format("%.2f", track.last_class_report->confidence);
  }

  if (memory.declared) {
    id.affiliation = memory.declared_affiliation;
    id.operator_declared = true;
    id.reason = "operator declared " + std::string(AffiliationName(id.affiliation)) + ": " + memory.declared_reason +
                "; " + kinematics + ": " + class_text;
    return id;
  }
  if (memory.civil) {
    id.affiliation = Affiliation::kCivil;
    id.reason = memory.civil_reason;
    // An airliner neither hovers in the air nor flies supersonic; a transponder that says otherwise may be
    // spoofed or mis-correlated: say so, but the rules keep it civil until an operator declares it.
    const bool airborne = alt > 100.0;
    if ((airborne && speed < 30.0) || speed > 350.0) {
      id.reason += "; WARNING kinematics implausible for an airliner (" + kinematics + ")";
    }
    id.reason += "; " + class_text;
    return id;
  }
  if (memory.friendly) {
    id.affiliation = Affiliation::kFriend;
    id.reason = "answered friendly IFF; " + class_text;
    return id;
  }

  // Rules of engagement: the probability mass on hostile classes decides between hostile and suspect.
  double hostile_mass = 0.0;
  for (size_t i = 0; i < kN; ++i) {
    if (Contains(config_.hostile_classes, kAllObjectClasses[i])) hostile_mass += post[i];
  }
  const bool best_hostile = Contains(config_.hostile_classes, id.object_class);
  // Accumulated evidence lags: a track that has drifted onto a bird (or whose drone is gone) keeps
  // its old class for a while. When what it does now fits a bird far better than its class, it is
  // no longer hostile: no rule may fire on it, and an operator sees why.
  constexpr double kMisfitNats = 4.0;  // the latest kinematics favour a bird by more than ~50:1
  const bool moves_like_bird =
      memory.latest_kinematics[Index(ObjectClass::kBird)] - memory.latest_kinematics[best] > kMisfitNats;
  if (best_hostile && hostile_mass >= 0.5 && moves_like_bird) {
    id.affiliation = Affiliation::kSuspect;
    id.reason = kinematics + ": " + class_text + ", but it now moves like a bird: hostile identity suspended";
  } else if (best_hostile && hostile_mass >= 0.5 && memory.updates < config_.min_updates_for_hostile) {
    // Never hostile at first sight: one mislabelled plot must not release a weapon.
    id.affiliation = Affiliation::kSuspect;
    id.reason = kinematics + ": " + class_text + ", hostile class but only " + std::to_string(memory.updates) +
                " update(s) of evidence so far";
  } else if (best_hostile && hostile_mass >= 0.5) {
    id.affiliation = Affiliation::kHostile;
    id.reason = kinematics + ": " + class_text + ", hostile class by ROE (P(hostile class)=" +
                Format("%.2f", hostile_mass) + ")";
  } else if (best_hostile || hostile_mass >= 0.5) {
    id.affiliation = Affiliation::kSuspect;
    id.reason = kinematics + ": " + class_text + ", possibly hostile (P(hostile class)=" +
                Format("%.2f", hostile_mass) + ")";
  } else if (id.object_class == ObjectClass::kBird) {
    id.affiliation = Affiliation::kNeutral;
    id.reason = kinematics + ": " + class_text;
  } else {
    id.affiliation = Affiliation::kUnknown;
    id.reason = kinematics + ": " + class_text;
  }
  return id;
}

}  // namespace koepel::threat
