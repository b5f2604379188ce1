// koepel/threat/threat.h
//
// Threat evaluation: the engine's identify and assess stages.
//
//   Identifier     says what each track is (ObjectClass, from kinematics and sensor class reports in a
//                  small naive-Bayes whose evidence accumulates per track) and whose it is (civil by
//                  ADS-B, friend by IFF, hostile/suspect by the rules of engagement' hostile classes,
//                  neutral for birds). Civil and friend are sticky; an operator declaration beats all.
//   AssessThreats  predicts where each non-protected track goes (ballistic arc with gravity, or a
//                  straight line at the current altitude), which defended asset it would hit with what
//                  probability and when, and ranks the threats by expected damage.
//
// Example:
//   ThreatConfig config;
//   config.hostile_classes = rules.hostile_classes;
//   Identifier identifier(config);
//   tracks = identifier.Identify(now, std::move(tracks));
//   std::vector<Threat> threats = AssessThreats(now, tracks, assets, config);  // threats[0].rank == 1
//
// Determinism: equal inputs give equal outputs; ties in value are broken by track id.
// Thread-safety: an Identifier is not thread-safe; AssessThreats is a pure function.
#pragma once

#include <array>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/model/model.h"

namespace koepel::threat {

// Default lethality per ObjectClass (index = enum value): the fraction of an asset's value one hit destroys.
inline constexpr std::array<double, kObjectClassCount> kDefaultLethality = {
    0.3,   // unknown: as a drone
    0.0,   // bird
    0.3,   // small drone (FPV, dropped munitions)
    0.5,   // one-way attack drone (~50 kg warhead)
    0.0,   // decoy (no warhead; see decoy_real_probability)
    0.5,   // fixed wing (a manned aircraft delivering weapons)
    0.4,   // helicopter
    0.8,   // cruise missile (~450 kg warhead)
    1.0,   // ballistic missile
};

struct ThreatConfig {
  std::vector<ObjectClass> hostile_classes;  // from the rules of engagement; empty: nothing is declared hostile
  std::array<double, kObjectClassCount> lethality = kDefaultLethality;  // fraction of value a hit destroys, by class
  double undefended_weight = 0.05;   // value factor (x max asset value) for a threat predicted to hit nothing defended
  Duration horizon = Seconds(900);   // straight-line prediction horizon; closest approaches later than this are ignored
  double decoy_real_probability = 0.2;  // a "decoy" is worth this chance x the lethality of a one-way attack drone
  double miss_margin_sigma = 2.0;    // asset at risk if closest approach <= radius + this x predicted position sigma
  double evidence_forgetting = 0.99;  // per-update decay of accumulated class evidence (1: never forget), in (0, 1]
  double max_velocity_sigma_for_kinematics_mps = 10.0;  // speed/climb evidence waits until the velocity std is below this
  int min_updates_for_hostile = 5;  // evidence updates before a track may be declared hostile (suspect until then)
};

// Identifies tracks. Keeps per track id the accumulated class evidence and sticky civil/friend/operator
// decisions; state of tracks that arrive with status kDeleted is dropped.
class Identifier {
 public:
  explicit Identifier(ThreatConfig config);

  // Fills track.identity for every track and returns the tracks (same order). Class evidence is added
  // once per new track update (track.last_update advanced), so calling twice at one time adds nothing.
  std::vector<Track> Identify(SimTime now, std::vector<Track> tracks);

  // Operator override: the track keeps `affiliation` (operator_declared = true) until declared again.
  void Declare(TrackId track, Affiliation affiliation, std::string reason);

  // The current class posterior of a track (index = ObjectClass), or all zero if the track is unknown.
  std::array<double, kObjectClassCount> Posterior(TrackId track) const;

 private:
  struct TrackMemory {
    std::array<double, kObjectClassCount> log_evidence{};  // accumulated log-likelihood per class
    std::array<double, kObjectClassCount> latest_kinematics{};  // the latest update's kinematic log-likelihood
    SimTime last_evidence_time = SimTime::FromNanoseconds(INT64_MIN);
    int updates = 0;
    bool civil = false;       // sticky: once correlated with ADS-B
    bool friendly = false;    // sticky: once answered friendly IFF
    std::string civil_reason;
    bool declared = false;
    Affiliation declared_affiliation = Affiliation::kUnknown;
    std::string declared_reason;
  };
  Identity IdentifyOne(const Track& track, TrackMemory& memory) const;

  ThreatConfig config_;
  std::map<TrackId, TrackMemory> memory_;
};

// A track an operator cannot act on yet: confirmed, not declared by an operator, and still pending,
// unknown or only suspect, or classified with less than `min_class_confidence`. Such a track is worth
// a sensor's look (an EO/IR camera tasked through SAPIENT) before anyone decides on it.
bool NeedsConfirmation(const Track& track, double min_class_confidence = 0.8);

// One Threat per track that is neither protected (civil, friend, neutral) nor a bird nor deleted, ranked by
// value (rank 1 = highest), ties by track id. `now` is the time the tracks are extrapolated to.
std::vector<Threat> AssessThreats(SimTime now, std::span<const Track> tracks, std::span<const Asset> assets,
                                  const ThreatConfig& config);

// Exposed for tests and for the warning stage's explanations.
namespace internal {

// Time (s, >= 0) for a ballistic body at height z0 (m) with vertical speed vz (m/s, up) to reach z = 0
// under gravity g = 9.80665 m/s^2 without drag.
double BallisticTimeToGround(double z0, double vz);

// P(|X - c| <= radius) for X ~ N(mean, cov) in 2-D, c the origin: deterministic Gauss-Legendre quadrature.
double ProbabilityInDisc(const Vec2& mean, const Eigen::Matrix2d& cov, double radius);

// Class log-likelihoods of one kinematic observation (speed m/s, altitude m, climb m/s, RCS m^2 optional).
std::array<double, kObjectClassCount> KinematicLogLikelihood(const Vec3& velocity, double altitude_m,
                                                             std::optional<double> rcs_m2);

}  // namespace internal

}  // namespace koepel::threat
