// Writes one CoT event per file for every affiliation x object class and the edge cases into a folder, each
// NAME.xml with a NAME.json beside it holding the values the generator meant (uid, type, lat/lon/hae, course,
// speed, callsign, both SIDCs). check_cot.mjs then parses the XML with @tak-ps/node-cot and compares.
// Usage: generate_cot_events OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "koepel/adapters/cot/cot.h"

namespace cot = koepel::adapters::cot;
using koepel::Affiliation;
using koepel::ObjectClass;
using koepel::Vec3;

namespace {

koepel::Track MakeTrack(int64_t id, Affiliation a, ObjectClass c, Vec3 position, Vec3 velocity) {
  koepel::Track t;
  t.id = koepel::TrackId(id);
  t.status = koepel::TrackStatus::kConfirmed;
  t.state.x << position, velocity;
  t.state.P = koepel::Mat6::Identity() * 400.0;
  t.identity.affiliation = a;
  t.identity.object_class = c;
  t.identity.class_confidence = 0.75;
  return t;
}

bool Write(const std::filesystem::path& dir, const std::string& name, const cot::CotEvent& e) {
  auto xml = cot::ToXml(e);
  if (!xml) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), xml.error().ToString().c_str());
    return false;
  }
  std::ofstream(dir / (name + ".xml"), std::ios::binary) << *xml;
  // What we meant, in the units of the event; the symbols again from the table for the SIDC checks.
  nlohmann::json expected = {{"uid", e.uid},          {"type", e.type},     {"lat", e.lat_deg},
                             {"lon", e.lon_deg},      {"hae", e.hae_m},     {"ce", e.ce_m},
                             {"le", e.le_m},          {"sidc_2525d", e.milsym_id}};
  expected["course"] = e.course_deg ? nlohmann::json(*e.course_deg) : nlohmann::json(nullptr);
  expected["speed"] = e.speed_mps ? nlohmann::json(*e.speed_mps) : nlohmann::json(nullptr);
  expected["callsign"] = e.callsign.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.callsign);
  std::ofstream(dir / (name + ".json"), std::ios::binary) << expected.dump(2) << "\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  cot::CotOptions options;
  options.clock.epoch_unix_ms = 1746100800000;  // 2025-05-01T12:00:00Z
  const koepel::geo::LocalFrame rotterdam({51.95, 4.05, 0.0});
  const koepel::SimTime now = koepel::SimTime() + koepel::Seconds(42);
  bool ok = true;
  int64_t id = 1;
  auto add = [&](const std::string& name, const koepel::Track& track, const koepel::geo::LocalFrame& frame) {
    auto e = cot::TrackEvent(track, {}, frame, now, options);
    if (!e) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), e.error().ToString().c_str());
      ok = false;
      return;
    }
    ok = Write(dir, name, *e) && ok;
  };
  for (int a = 0; a < 7; ++a) {
    for (ObjectClass c : koepel::kAllObjectClasses) {
      const auto affiliation = static_cast<Affiliation>(a);
      add(std::string(koepel::AffiliationName(affiliation)) + "_" + std::string(koepel::ObjectClassName(c)),
          MakeTrack(id++, affiliation, c, Vec3(1500, -2500, 120), Vec3(-35, 20, 1)), rotterdam);
    }
  }
  const Vec3 here = Vec3::Zero();
  const Vec3 moving(12, -5, 0);
  add("north_pole", MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, here, moving),
      koepel::geo::LocalFrame({90, 0, 0}));
  add("south_pole", MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, here, moving),
      koepel::geo::LocalFrame({-90, 0, 0}));
  add("lon_plus_180", MakeTrack(id++, Affiliation::kUnknown, ObjectClass::kFixedWing, here, moving),
      koepel::geo::LocalFrame({10, 180, 0}));
  add("lon_minus_180", MakeTrack(id++, Affiliation::kUnknown, ObjectClass::kFixedWing, here, moving),
      koepel::geo::LocalFrame({-10, -180, 0}));
  add("zero_speed", MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, Vec3(0, 0, 40), Vec3::Zero()),
      rotterdam);
  koepel::Track awkward = MakeTrack(id++, Affiliation::kSuspect, ObjectClass::kDecoy, here, moving);
  awkward.callsign = "A&B <\"x'y\"> caf\xc3\xa9";
  awkward.state.P(0, 0) = std::numeric_limits<double>::infinity();
  add("xml_specials_unknown_error", awkward, rotterdam);
  koepel::Track adsb = MakeTrack(id++, Affiliation::kCivil, ObjectClass::kFixedWing, Vec3(0, 0, 10000),
                                 Vec3(200, 100, 0));
  adsb.callsign = "KLM1234";
  add("adsb_callsign", adsb, rotterdam);
  options.synthesize_callsign = false;
  add("no_callsign", MakeTrack(id++, Affiliation::kHostile, ObjectClass::kCruiseMissile, here, moving), rotterdam);
  auto drop = cot::DropEvent(MakeTrack(7, Affiliation::kHostile, ObjectClass::kSmallDrone, here, moving), rotterdam,
                             now, options);
  ok = drop.has_value() && Write(dir, "drop", *drop) && ok;
  return ok ? 0 : 1;
}
