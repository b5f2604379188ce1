// A real flight: the Transavia B737 noise-test flight around Lelystad, 30 May 2018 (OpenSky data shipped with
// the MIT-licensed `traffic` library; see shared/data/adsb/SOURCE.md). 1 Hz state vectors: latitude, longitude,
// altitude (ft), groundspeed (kt), track (deg), vertical_rate (ft/min), icao24 "484506".
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "koepel/threat/threat.h"

namespace koepel::threat {
namespace {

constexpr double kFt = 0.3048;
constexpr double kKt = 1852.0 / 3600.0;
constexpr double kPi = 3.14159265358979323846;

std::string ReadGzip(const std::string& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

struct Sample {
  SimTime time;
  Vec3 p;
  Vec3 v;
};

// The airborne part of the flight (altitude >= 200 ft: a surveillance radar's air picture) as local-frame samples,
// with seeded radar-like noise (position 30 m, velocity 2 m/s per axis).
std::vector<Sample> LoadFlight() {
  const std::string text = ReadGzip(std::string(KOEPEL_SHARED_DATA) + "/adsb/traffic/belevingsvlucht.json.gz");
  std::vector<Sample> out;
  if (text.empty()) return out;
  const nlohmann::json j = nlohmann::json::parse(text);
  const geo::LocalFrame frame({52.46, 5.52, 0.0});  // Lelystad
  const int64_t t0 = j.at(0).at("timestamp").get<int64_t>();
  Rng rng(2018);
  for (const auto& r : j) {
    const double alt_ft = r.at("altitude").get<double>();
    if (alt_ft < 200.0) continue;
    Sample s;
    s.time = SimTime::FromNanoseconds((r.at("timestamp").get<int64_t>() - t0) * 1'000'000);
    Vec3 p = frame.ToEnu({r.at("latitude").get<double>(), r.at("longitude").get<double>(), alt_ft * kFt});
    const double gs = r.at("groundspeed").get<double>() * kKt;
    const double track = r.at("track").get<double>() * kPi / 180.0;
    Vec3 v(gs * std::sin(track), gs * std::cos(track), r.at("vertical_rate").get<double>() * kFt / 60.0);
    s.p = p + Vec3(rng.Normal(0, 30), rng.Normal(0, 30), rng.Normal(0, 30));
    s.v = v + Vec3(rng.Normal(0, 2), rng.Normal(0, 2), rng.Normal(0, 2));
    out.push_back(s);
  }
  return out;
}

Track ToTrack(const Sample& s) {
  Track t;
  t.id = TrackId(1);
  t.status = TrackStatus::kConfirmed;
  t.state.time = s.time;
  t.state.x << s.p, s.v;
  t.last_update = s.time;
  return t;
}

ThreatConfig HostileToEverything() {
  ThreatConfig c;
  for (ObjectClass k : kAllObjectClasses) c.hostile_classes.push_back(k);  // even fixed wing
  return c;
}

TEST(AdsbRecordingTest, TheNoiseTestFlightWithAdsbIsNeverHostile) {
  const std::vector<Sample> flight = LoadFlight();
  ASSERT_GT(flight.size(), 10000u);
  Identifier identifier(HostileToEverything());
  Asset lelystad;
  lelystad.id = AssetId(1);
  lelystad.name = "Lelystad Airport";
  lelystad.value = 100.0;
  lelystad.radius_m = 2000.0;
  int fixed_wing = 0;
  for (const Sample& s : flight) {
    Track t = ToTrack(s);
    t.icao24 = 0x484506;
    t.callsign = "TRA051";
    const std::vector<Track> out = identifier.Identify(s.time, {t});
    ASSERT_EQ(out[0].identity.affiliation, Affiliation::kCivil) << FormatSimTime(s.time) << out[0].identity.reason;
    ASSERT_TRUE(AssessThreats(s.time, out, std::vector<Asset>{lelystad}, HostileToEverything()).empty());
    if (out[0].identity.object_class == ObjectClass::kFixedWing) ++fixed_wing;
  }
  EXPECT_GE(fixed_wing, 0.99 * static_cast<double>(flight.size()));
}

TEST(AdsbRecordingTest, TheSameFlightOnRadarOnlyIsAFixedWing) {
  const std::vector<Sample> flight = LoadFlight();
  ASSERT_GT(flight.size(), 10000u);
  ThreatConfig config;
  config.hostile_classes = {ObjectClass::kSmallDrone, ObjectClass::kOneWayAttackDrone, ObjectClass::kDecoy,
                            ObjectClass::kCruiseMissile, ObjectClass::kBallisticMissile};
  Identifier identifier(config);
  int fixed_wing = 0, hostile = 0, counted = 0;
  for (size_t i = 0; i < flight.size(); ++i) {
    const Identity id = identifier.Identify(flight[i].time, {ToTrack(flight[i])})[0].identity;
    if (id.affiliation == Affiliation::kHostile) ++hostile;
    if (i < 10) continue;  // the first few seconds of a new track carry little evidence
    ++counted;
    if (id.object_class == ObjectClass::kFixedWing) ++fixed_wing;
  }
  EXPECT_EQ(hostile, 0);
  EXPECT_GE(fixed_wing, 0.98 * counted) << fixed_wing << "/" << counted;

  // With fixed wing among the hostile classes, the radar-only track does become hostile: the rules decide.
  config.hostile_classes.push_back(ObjectClass::kFixedWing);
  Identifier strict(config);
  Identity last;
  for (size_t i = 0; i < 100; ++i) last = strict.Identify(flight[i].time, {ToTrack(flight[i])})[0].identity;
  EXPECT_EQ(last.affiliation, Affiliation::kHostile);
}

}  // namespace
}  // namespace koepel::threat
