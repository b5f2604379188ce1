#include "koepel/adapters/adsb/adsb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <map>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace koepel::adapters::adsb {
namespace {

const std::string kData = std::string(KOEPEL_SHARED_DATA) + "/adsb/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<uint8_t> Bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

ModeSMessage Decode(std::string_view hex) {
  auto r = DecodeModeSHex(hex);
  EXPECT_TRUE(r.has_value()) << hex << ": " << r.status().ToString();
  return r.has_value() ? *r : ModeSMessage{};
}

CprFrame Cpr(std::string_view hex) { return std::get<AirbornePosition>(Decode(hex).content).cpr; }

// ---------------------------------------------------------------------------------------------
// Mode S (vectors from shared/standards/adsb.md section 5, from the pyModeS tests)

TEST(ModeS, CrcOfIntactMessageIsZeroAndBitFlipsAreRejected) {
  const auto msg = FromHex("8D406B902015A678D4D220AA4BDA");
  EXPECT_EQ(ModeSCrcRemainder(msg), 0u);
  for (size_t bit = 0; bit < 112; bit += 7) {
    auto bad = msg;
    bad[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    auto r = DecodeModeS(bad);
    if (bit < 5) continue;  // flipping DF bits changes the format itself
    ASSERT_FALSE(r.has_value()) << "bit " << bit;
    EXPECT_NE(r.error().message().find("CRC mismatch"), std::string::npos) << r.error().message();
  }
}

TEST(ModeS, ShortAndMalformedInputAreErrors) {
  EXPECT_FALSE(DecodeModeS(std::vector<uint8_t>{}).has_value());
  EXPECT_FALSE(DecodeModeS(FromHex("8D406B902015A6")).has_value());  // DF17 in 7 bytes
  auto bad_hex = DecodeModeSHex("8D406B902015A678D4D220AA4BDX");
  ASSERT_FALSE(bad_hex.has_value());
  EXPECT_NE(bad_hex.error().message().find("character 27"), std::string::npos) << bad_hex.error().message();
  EXPECT_FALSE(DecodeModeSHex("8D40").has_value());
  EXPECT_TRUE(DecodeModeSHex("*8D406B902015A678D4D220AA4BDA;").has_value());
}

TEST(ModeS, Identification) {
  const ModeSMessage m = Decode("8D406B902015A678D4D220AA4BDA");
  EXPECT_EQ(m.df, 17);
  EXPECT_EQ(m.icao, 0x406B90u);
  EXPECT_EQ(m.type_code, 4);
  EXPECT_EQ(std::get<Identification>(m.content).callsign, "EZY85MH");
}

TEST(Cpr, NlClosedForm) {
  EXPECT_EQ(CprNl(0.0), 59);
  EXPECT_EQ(CprNl(45.0), 42);
  EXPECT_EQ(CprNl(-45.0), 42);
  EXPECT_EQ(CprNl(80.0), 10);
  EXPECT_EQ(CprNl(87.0), 2);
  EXPECT_EQ(CprNl(88.0), 1);
  // The first transition of the DO-260 table: NL = 59 up to 10.47047130 degrees.
  EXPECT_EQ(CprNl(10.4704), 59);
  EXPECT_EQ(CprNl(10.4706), 58);
}

TEST(Cpr, GlobalAndLocalDecoding) {
  const CprFrame even = Cpr("8D40058B58C901375147EFD09357");
  const CprFrame odd = Cpr("8D40058B58C904A87F402D3B8C59");
  EXPECT_FALSE(even.odd);
  EXPECT_TRUE(odd.odd);
  auto odd_newer = CprGlobalAirborne(even, odd, true);
  ASSERT_TRUE(odd_newer.has_value());
  EXPECT_NEAR(odd_newer->lat_deg, 49.81755, 1e-4);
  EXPECT_NEAR(odd_newer->lon_deg, 6.08442, 1e-4);
  auto even_newer = CprGlobalAirborne(even, odd, false);
  ASSERT_TRUE(even_newer.has_value());
  EXPECT_NEAR(even_newer->lat_deg, 49.82410, 1e-4);
  EXPECT_NEAR(even_newer->lon_deg, 6.06785, 1e-4);
  const LatLon e = CprLocalAirborne(even, {49.0, 6.0});
  EXPECT_NEAR(e.lat_deg, 49.82410, 1e-4);
  EXPECT_NEAR(e.lon_deg, 6.06785, 1e-4);
  const LatLon o = CprLocalAirborne(odd, {49.0, 6.0});
  EXPECT_NEAR(o.lat_deg, 49.81755, 1e-4);
  EXPECT_NEAR(o.lon_deg, 6.08442, 1e-4);
}

TEST(Cpr, ZoneBoundaryRegression) {
  const LatLon p = CprLocalAirborne(Cpr("8D06A15358BF17FF7D4A84B47B95"), {30.508474576271183, 36.0});
  EXPECT_NEAR(p.lat_deg, 30.50540, 1e-4);
  EXPECT_NEAR(p.lon_deg, 33.44787, 1e-4);
}

TEST(ModeS, AirborneVelocity) {
  const auto gs = std::get<AirborneVelocity>(Decode("8D485020994409940838175B284F").content);
  EXPECT_EQ(gs.subtype, 1);
  EXPECT_NEAR(*gs.ground_speed_kt, 159.0, 0.5);
  EXPECT_NEAR(*gs.track_deg, 182.88, 0.01);
  EXPECT_EQ(*gs.vertical_rate_fpm, -832);
  const auto as = std::get<AirborneVelocity>(Decode("8DA05F219B06B6AF189400CBC33F").content);
  EXPECT_EQ(as.subtype, 3);
  EXPECT_TRUE(as.true_airspeed);
  EXPECT_NEAR(*as.airspeed_kt, 375.0, 1e-9);
  EXPECT_NEAR(*as.heading_deg, 243.98, 0.01);
  EXPECT_EQ(*as.vertical_rate_fpm, -2304);
}

// Every field of the pyModeS golden file that this decoder covers must agree.
TEST(ModeS, PyModeSGoldenVectors) {
  const auto golden = nlohmann::json::parse(ReadFile(kData + "pymodes/golden_v2.json"));
  ASSERT_EQ(golden.size(), 600u);
  int checked_altitudes = 0, checked_velocities = 0, checked_callsigns = 0, checked_squawks = 0;
  for (const auto& [hex, expected] : golden.items()) {
    SCOPED_TRACE(hex);
    auto r = DecodeModeSHex(hex);
    ASSERT_TRUE(r.has_value()) << r.status().ToString();
    const ModeSMessage& m = *r;
    EXPECT_EQ(m.df, expected["df"].get<int>());
    EXPECT_EQ(m.icao, std::stoul(expected["icao"].get<std::string>(), nullptr, 16));
    if (expected.contains("typecode")) {
      EXPECT_EQ(m.type_code, expected["typecode"].get<int>());
    }
    if (expected.contains("squawk")) {
      ASSERT_TRUE(m.squawk.has_value());
      EXPECT_EQ(*m.squawk, std::stoi(expected["squawk"].get<std::string>()));
      ++checked_squawks;
    }
    if (m.df == 17) {
      if (const auto* p = std::get_if<AirbornePosition>(&m.content)) {
        EXPECT_EQ(p->cpr.odd ? 1 : 0, expected["cpr_format"].get<int>());
        ASSERT_TRUE(p->altitude_ft.has_value());
        EXPECT_EQ(*p->altitude_ft, expected["altitude"].get<int>());
        ++checked_altitudes;
      }
      if (const auto* v = std::get_if<AirborneVelocity>(&m.content)) {
        // pyModeS truncates the speed to an integer.
        EXPECT_EQ(static_cast<int>(*v->ground_speed_kt), expected["groundspeed"].get<int>());
        EXPECT_NEAR(*v->track_deg, expected["track"].get<double>(), 1e-6);
        EXPECT_EQ(*v->vertical_rate_fpm, expected["vertical_rate"].get<int>());
        ++checked_velocities;
      }
      if (const auto* id = std::get_if<Identification>(&m.content)) {
        std::string cs = expected["callsign"].get<std::string>();
        cs.erase(std::remove(cs.begin(), cs.end(), '_'), cs.end());
        EXPECT_EQ(id->callsign, cs);
        ++checked_callsigns;
      }
    } else if (m.altitude_ft.has_value()) {
      ASSERT_TRUE(expected.contains("altitude"));
      EXPECT_EQ(*m.altitude_ft, expected["altitude"].get<int>());
      ++checked_altitudes;
    }
  }
  EXPECT_EQ(checked_velocities, 14);
  EXPECT_EQ(checked_callsigns, 1);
  EXPECT_EQ(checked_squawks, 200);
  EXPECT_GE(checked_altitudes, 185 + 150);  // all DF17 ones and the Q=1 coded DF20 ones
}

// Gillham (Mode C) altitudes have no sample in the data here, so check the defining properties of the code over
// every legal pattern: a one-to-one map onto -1200 .. 126,700 ft in 100 ft steps in which adjacent altitudes differ
// in exactly one pulse (it is a Gray code).
TEST(ModeS, GillhamAltitudeCodeIsAGrayCodeOverTheFullRange) {
  std::map<int, uint32_t> code_of;
  for (uint32_t code = 0; code < (1u << 13); ++code) {
    if ((code & 0x40) || (code & 0x10)) continue;  // M and Q (D1) zero
    std::vector<uint8_t> msg = {0x20, 0, 0, 0, 0, 0, 0};  // DF4
    msg[2] = static_cast<uint8_t>((code >> 8) & 0x1F);
    msg[3] = static_cast<uint8_t>(code & 0xFF);
    auto m = DecodeModeS(msg);
    ASSERT_TRUE(m.has_value());
    if (!m->altitude_ft) continue;
    ASSERT_TRUE(code_of.emplace(*m->altitude_ft, code).second) << "two codes for " << *m->altitude_ft;
  }
  ASSERT_EQ(code_of.size(), 1280u);
  EXPECT_EQ(code_of.begin()->first, -1200);
  EXPECT_EQ(code_of.rbegin()->first, 126700);
  int previous_alt = -1300;
  uint32_t previous_code = 0;
  for (const auto& [alt, code] : code_of) {
    ASSERT_EQ(alt, previous_alt + 100);
    if (alt > -1200) {
      EXPECT_EQ(std::popcount(code ^ previous_code), 1) << alt;
    }
    previous_alt = alt;
    previous_code = code;
  }
}

// The 2000 real DF17 messages of one aircraft (406B90): every position resolves, and successive positions move
// at the broadcast ground speed along the broadcast track (an independent physical check of CPR decoding).
// The file's times are whole seconds, so positions are compared at least 60 s apart.
TEST(ModeS, PyModeSSampleTrackIsPhysicallyConsistent) {
  std::istringstream in(ReadFile(kData + "pymodes/sample_data_adsb.csv"));
  AircraftTable table;
  std::string line;
  int positions = 0, lines = 0;
  std::optional<geo::LatLonAlt> previous;
  double previous_t = 0.0;
  while (std::getline(in, line)) {
    ++lines;
    const double t = std::stod(line.substr(0, line.find(',')));
    const size_t q = line.find('"');
    auto m = DecodeModeSHex(line.substr(q + 1, 28));
    ASSERT_TRUE(m.has_value()) << "line " << lines << ": " << m.status().ToString();
    if (!table.Update(*m, SimTimeFromSeconds(t))) continue;
    ++positions;
    const AircraftState& a = *table.Find(0x406B90);
    if (previous && t - previous_t >= 60.0 && a.velocity) {
      const double dist = geo::GeodesicDistance(*previous, *a.position);
      const double speed_kt = dist / (t - previous_t) / 0.514444;
      EXPECT_NEAR(speed_kt, *a.velocity->ground_speed_kt, 40.0) << "line " << lines;
      const double az = geo::GeodesicAzimuthDeg(*previous, *a.position);
      EXPECT_NEAR(std::remainder(az - *a.velocity->track_deg, 360.0), 0.0, 10.0) << "line " << lines;
    }
    if (!previous || t - previous_t >= 60.0) {
      previous = a.position;
      previous_t = t;
    }
  }
  EXPECT_EQ(lines, 2000);
  EXPECT_GE(positions, 930);  // of 937 position messages, all but the first unpaired ones
}

// ---------------------------------------------------------------------------------------------
// Beast

const std::string kCapture = kData + "beast/ulss7-beast-bin-utc--1522782148.136310917--.log";

std::vector<Result<BeastFrame>> DecodeAll(const std::vector<uint8_t>& bytes, size_t chunk) {
  BeastDecoder d;
  std::vector<Result<BeastFrame>> out;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    const size_t n = std::min(chunk, bytes.size() - i);
    for (auto& r : d.Feed(std::span<const uint8_t>(bytes).subspan(i, n))) out.push_back(std::move(r));
  }
  for (auto& r : d.Finish()) out.push_back(std::move(r));
  return out;
}

TEST(Beast, RealCaptureDecodesFrameByFrame) {
  const auto bytes = Bytes(ReadFile(kCapture));
  ASSERT_EQ(bytes.size(), 227244u);
  const auto frames = DecodeAll(bytes, bytes.size());
  int ok = 0, df17 = 0, df17_crc_ok = 0;
  std::set<uint32_t> icaos;
  for (const auto& f : frames) {
    ASSERT_TRUE(f.has_value()) << f.status().ToString();
    ++ok;
    if (f->payload.size() != 14 || (f->payload[0] >> 3) != 17) continue;
    ++df17;
    auto m = DecodeModeS(f->payload);
    if (m.has_value()) {
      ++df17_crc_ok;
      icaos.insert(m->icao);
    }
  }
  // beastblackbox decoded 13,954 messages from this file (SOURCE.md); dump1090 forwards only CRC-good DF17.
  EXPECT_EQ(ok, 13954);
  EXPECT_EQ(df17, 3436);  // counted independently with a Python scan of the un-escaped frames
  EXPECT_EQ(df17_crc_ok, df17);
  EXPECT_TRUE(icaos.count(0x71BE34));
}

TEST(Beast, ChunkingDoesNotMatter) {
  const auto bytes = Bytes(ReadFile(kCapture));
  const auto whole = DecodeAll(bytes, bytes.size());
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{17}, size_t{4096}}) {
    const auto parts = DecodeAll(bytes, chunk);
    ASSERT_EQ(parts.size(), whole.size()) << chunk;
    for (size_t i = 0; i < whole.size(); ++i) {
      ASSERT_EQ(parts[i].has_value(), whole[i].has_value());
      if (!whole[i].has_value()) continue;
      ASSERT_EQ(parts[i]->offset, whole[i]->offset);
      ASSERT_EQ(parts[i]->payload, whole[i]->payload);
      ASSERT_EQ(parts[i]->timestamp, whole[i]->timestamp);
      ASSERT_EQ(parts[i]->signal, whole[i]->signal);
    }
  }
}

TEST(Beast, EscapingAndFields) {
  // 1A 33 | ts 00 00 00 00 1A 1A 01 (escaped) | signal 1A 1A | payload.
  std::vector<uint8_t> bytes = {0x1A, 0x33, 0, 0, 0, 0, 0x1A, 0x1A, 0x01, 0x1A, 0x1A};
  const auto payload = FromHex("8D406B902015A678D4D220AA4BDA");
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  const auto frames = DecodeAll(bytes, bytes.size());
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(frames[0].has_value());
  EXPECT_EQ(frames[0]->type, BeastFrameType::kModeSLong);
  EXPECT_EQ(frames[0]->timestamp, 0x1A01u);
  EXPECT_EQ(frames[0]->signal, 0x1A);
  EXPECT_EQ(frames[0]->payload, payload);
}

TEST(Beast, CorruptionIsLocatedAndGoodFramesAroundItSurvive) {
  const auto original = Bytes(ReadFile(kCapture));
  const auto clean = DecodeAll(original, original.size());
  // Overwrite 40 bytes in the middle with garbage (no 0x1A), and cut a frame short near the end.
  auto bytes = original;
  const size_t at = 100000;
  for (size_t i = 0; i < 40; ++i) bytes[at + i] = static_cast<uint8_t>(0x40 + i);
  bytes.resize(bytes.size() - 5);
  const auto frames = DecodeAll(bytes, 7);
  int errors = 0, good = 0;
  for (const auto& f : frames) {
    if (!f.has_value()) {
      ++errors;
      EXPECT_EQ(f.error().message().rfind("byte ", 0), 0u) << f.error().message();
      continue;
    }
    ++good;
  }
  EXPECT_GE(errors, 2);  // the damaged region and the truncated tail
  EXPECT_LE(errors, 6);
  // At most the frames overlapping the damage (40 bytes: up to 3 frames) and the last one are lost.
  EXPECT_GE(good, static_cast<int>(clean.size()) - 5);
  // Every frame that starts after the damage is identical to the clean decode.
  std::set<uint64_t> clean_offsets;
  for (const auto& f : clean) clean_offsets.insert(f->offset);
  for (const auto& f : frames) {
    if (f.has_value() && f->offset > at + 40) {
      EXPECT_TRUE(clean_offsets.count(f->offset)) << f->offset;
    }
  }
}

TEST(Beast, GarbageBeforeFrameIsReportedWithOffset) {
  std::vector<uint8_t> bytes = {0x00, 0x01, 0x1A, 0x99, 0x1A, 0x31, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const auto frames = DecodeAll(bytes, 1);
  ASSERT_EQ(frames.size(), 2u);
  ASSERT_FALSE(frames[0].has_value());
  EXPECT_NE(frames[0].error().message().find("byte 0: skipped 4 bytes"), std::string::npos)
      << frames[0].error().message();
  ASSERT_TRUE(frames[1].has_value());
  EXPECT_EQ(frames[1]->offset, 4u);
  EXPECT_EQ(frames[1]->type, BeastFrameType::kModeAC);
}

// Altitude replies and air-air messages (DF0/4/16/20, 25 ft and Gillham codes) agree with the altitudes the
// SBS decode of the same capture gives (MSG 5 and 7), matched per ICAO and altitude value.
TEST(Beast, AltitudeRepliesMatchSbsDecode) {
  std::multiset<std::pair<uint32_t, int>> ours;
  int gillham = 0;
  for (const auto& f : DecodeAll(Bytes(ReadFile(kCapture)), 1 << 20)) {
    ASSERT_TRUE(f.has_value());
    auto m = DecodeModeS(f->payload);
    if (!m.has_value() || !m->altitude_ft) continue;
    ours.insert({m->icao, *m->altitude_ft});
    if ((f->payload[3] & 0x10) == 0) ++gillham;  // Q bit of the AC field (bit 27)
  }
  std::istringstream in(ReadFile(kData + "beast/beast_decoded_sbs.txt"));
  std::string line;
  int n = 0, expected = 0, matched = 0;
  while (std::getline(in, line)) {
    auto r = ParseSbsLine(line, ++n);
    if (!r.has_value() || !r->has_value()) continue;
    const SbsMessage& s = **r;
    if ((s.transmission_type != 5 && s.transmission_type != 7) || !s.altitude_ft) continue;
    ++expected;
    const auto it = ours.find({s.icao, *s.altitude_ft});
    if (it != ours.end()) {
      ++matched;
      ours.erase(it);
    }
  }
  std::printf("altitude replies: %d in SBS, %d matched, %d Gillham-coded decoded\n", expected, matched, gillham);
  EXPECT_GT(expected, 1000);
  EXPECT_EQ(matched, expected);
}

// The 71BE34 positions decoded from the Beast capture lie on the KML track made by beastblackbox.
TEST(Beast, Track71be34MatchesKml) {
  const std::string kml = ReadFile(kData + "beast/71be34.kml");
  std::vector<LatLon> track;
  {
    const size_t begin = kml.find("<coordinates>") + 13;
    std::istringstream in(kml.substr(begin, kml.find("</coordinates>") - begin));
    std::string tok;
    while (in >> tok) {
      LatLon p;
      char c1 = 0, c2 = 0;
      double alt = 0.0;
      std::istringstream t(tok);
      t >> p.lon_deg >> c1 >> p.lat_deg >> c2 >> alt;
      track.push_back(p);
    }
  }
  ASSERT_GT(track.size(), 20u);
  // The same tool's SBS output has the positions to 5 decimals.
  std::vector<LatLon> sbs_positions;
  {
    std::istringstream in(ReadFile(kData + "beast/beast_decoded_sbs.txt"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      auto r = ParseSbsLine(line, ++n);
      if (r.has_value() && r->has_value() && (*r)->icao == 0x71BE34 && (*r)->lat_deg) {
        sbs_positions.push_back({*(*r)->lat_deg, *(*r)->lon_deg});
      }
    }
  }
  ASSERT_GT(sbs_positions.size(), 20u);
  auto nearest = [](const std::vector<LatLon>& points, const geo::LatLonAlt& p) {
    double best = 1e9;
    for (const auto& k : points) best = std::min(best, std::hypot(k.lat_deg - p.lat_deg, k.lon_deg - p.lon_deg));
    return best;
  };
  double worst_kml = 0.0, worst_sbs = 0.0;
  const auto bytes = Bytes(ReadFile(kCapture));
  AircraftTable table;
  int positions = 0;
  for (const auto& f : DecodeAll(bytes, bytes.size())) {
    ASSERT_TRUE(f.has_value());
    auto m = DecodeModeS(f->payload);
    if (!m.has_value() || m->icao != 0x71BE34) continue;
    // 12 MHz counter as time.
    if (!table.Update(*m, SimTime::FromNanoseconds(static_cast<int64_t>(f->timestamp) * 1000 / 12))) continue;
    ++positions;
    const auto& p = *table.Find(0x71BE34)->position;
    worst_kml = std::max(worst_kml, nearest(track, p));
    worst_sbs = std::max(worst_sbs, nearest(sbs_positions, p));
  }
  std::printf("71BE34: %d positions, worst distance to KML %.2e deg, to SBS %.2e deg\n", positions, worst_kml,
              worst_sbs);
  EXPECT_LT(worst_kml, 1e-5);  // the KML and SBS carry 5 decimals
  EXPECT_LT(worst_sbs, 1e-5);
  EXPECT_EQ(positions, static_cast<int>(sbs_positions.size()));
  const auto* a = table.Find(0x71BE34);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(*a->altitude_ft, 35000);
}

// ---------------------------------------------------------------------------------------------
// SBS

TEST(Sbs, RealDecodeParses) {
  std::istringstream in(ReadFile(kData + "beast/beast_decoded_sbs.txt"));
  std::string line;
  int n = 0, msg_lines = 0, messages = 0, errors = 0, with_position = 0;
  std::set<int> types;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("MSG,", 0) == 0) ++msg_lines;
    auto r = ParseSbsLine(line, n);
    if (!r.has_value()) {
      ++errors;
      EXPECT_EQ(r.error().message().rfind("line " + std::to_string(n) + ":", 0), 0u);
      continue;
    }
    if (!r->has_value()) continue;
    ++messages;
    types.insert((*r)->transmission_type);
    if ((*r)->lat_deg) ++with_position;
  }
  // SOURCE.md says 13,954 MSG lines, but that is the tool's count of processed frames; the file holds 8,622.
  EXPECT_EQ(msg_lines, 8622);
  EXPECT_EQ(messages, msg_lines);
  EXPECT_EQ(errors, 2);  // the two tool status lines at the end
  EXPECT_GT(with_position, 100);
  EXPECT_TRUE(types.count(3) && types.count(4) && types.count(8));
}

TEST(Sbs, Fields) {
  auto r = ParseSbsLine("MSG,3,1,1,71BE34,1,2018/04/03,19:02:28.951,2018/04/10,21:24:39.448,,35000,,,59.73459,31.99796,,,,,,0\r", 1);
  ASSERT_TRUE(r.has_value() && r->has_value());
  const SbsMessage& m = **r;
  EXPECT_EQ(m.transmission_type, 3);
  EXPECT_EQ(m.icao, 0x71BE34u);
  EXPECT_EQ(*m.altitude_ft, 35000);
  EXPECT_DOUBLE_EQ(*m.lat_deg, 59.73459);
  EXPECT_DOUBLE_EQ(*m.lon_deg, 31.99796);
  EXPECT_EQ(*m.time_of_day_ms, ((19 * 60 + 2) * 60 + 28) * 1000 + 951);
  EXPECT_FALSE(*m.on_ground);
  EXPECT_FALSE(m.ground_speed_kt.has_value());
  auto v = ParseSbsLine("MSG,4,1,1,42460C,1,2018/04/03,19:02:28.336,2018/04/10,21:24:39.437,,,418,170,,,-640,,,,,0", 2);
  ASSERT_TRUE(v.has_value() && v->has_value());
  EXPECT_EQ(*(*v)->ground_speed_kt, 418);
  EXPECT_EQ(*(*v)->vertical_rate_fpm, -640);
  auto sq = ParseSbsLine("MSG,6,1,1,406B90,1,,,,,EZY85MH ,,,,,,,7700,-1,-1,0,", 3);
  ASSERT_TRUE(sq.has_value() && sq->has_value());
  EXPECT_EQ(*(*sq)->squawk, 7700);
  EXPECT_EQ(*(*sq)->callsign, "EZY85MH");
  EXPECT_TRUE(*(*sq)->emergency);
  EXPECT_FALSE((*sq)->on_ground.has_value());
  auto hb = ParseSbsLine("\r\n", 4);
  ASSERT_TRUE(hb.has_value());
  EXPECT_FALSE(hb->has_value());
  auto sel = ParseSbsLine("SEL,,1,1,4CA2D6,1,2008/11/28,23:48:18.611,2008/11/28,23:53:19.161,RYR1427", 5);
  ASSERT_TRUE(sel.has_value());
  EXPECT_FALSE(sel->has_value());
}

TEST(Sbs, MalformedFieldsNameLineAndField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"MSG,9,1,1,71BE34,1,,,,", "field 2 (transmission type)"},
      {"MSG,3,1,1,71BE3,1,,,,", "field 5 (hex ident)"},
      {"MSG,3,1,1,71BE3G,1,,,,", "field 5 (hex ident)"},
      {"MSG,3,1,1,71BE34,1,2018/04/03,25:00:00.000,,", "field 8 (time generated)"},
      {"MSG,3,1,1,71BE34,1,,,,,,35x00,,,,,,,,,,", "field 12 (altitude)"},
      {"MSG,3,1,1,71BE34,1,,,,,,,,,95.0,31.0,,,,,,", "field 15 (latitude)"},
      {"MSG,3,1,1,71BE34,1,,,,,,,,,59.0,,,,,,,", "field 16 (longitude)"},
      {"MSG,6,1,1,71BE34,1,,,,,,,,,,,,7800,,,,", "field 18 (squawk)"},
      {"MSG,3,1,1,71BE34,1,,,,,,,,,,,,,,,,2", "field 22 (is on ground)"},
      {"MSG,3,1", "fields"},
      {"MSG,3,1,1,71BE34,1,,,,,,,,,,,,,,,,,0,0", "fields"},
      {"garbage", "not an SBS record"},
  };
  for (const auto& [line, reason] : cases) {
    auto r = ParseSbsLine(line, 42);
    ASSERT_FALSE(r.has_value()) << line;
    EXPECT_EQ(r.error().message().rfind("line 42: ", 0), 0u) << r.error().message();
    EXPECT_NE(r.error().message().find(reason), std::string::npos) << r.error().message();
  }
}

// ---------------------------------------------------------------------------------------------
// Aircraft table

TEST(AircraftTable, PairsWithinTimeLimitOnly) {
  const auto even = *DecodeModeSHex("8D40058B58C901375147EFD09357");
  const auto odd = *DecodeModeSHex("8D40058B58C904A87F402D3B8C59");
  {
    AircraftTable table;
    EXPECT_FALSE(table.Update(even, SimTime::Epoch()));
    EXPECT_TRUE(table.Update(odd, SimTime::Epoch() + Seconds(2)));
    const auto& p = *table.Find(0x40058B)->position;
    EXPECT_NEAR(p.lat_deg, 49.81755, 1e-4);
    EXPECT_NEAR(p.lon_deg, 6.08442, 1e-4);
    EXPECT_NEAR(p.alt_m, 39000 * 0.3048, 1.0);  // pyModeS test: altitude 39000 ft
  }
  {
    AircraftTable table;  // too far apart, no reference: no position
    EXPECT_FALSE(table.Update(even, SimTime::Epoch()));
    EXPECT_FALSE(table.Update(odd, SimTime::Epoch() + Seconds(11)));
    EXPECT_FALSE(table.Find(0x40058B)->position.has_value());
  }
  {
    AircraftTable table({.receiver = geo::LatLonAlt{49.0, 6.0, 0.0}});  // a receiver reference decodes one frame
    EXPECT_TRUE(table.Update(even, SimTime::Epoch()));
    EXPECT_NEAR(table.Find(0x40058B)->position->lat_deg, 49.82410, 1e-4);
  }
}

TEST(AircraftTable, DetectionInLocalFrame) {
  AircraftTable table;
  ASSERT_FALSE(table.Update(*DecodeModeSHex("8D406B902015A678D4D220AA4BDA"), SimTime::Epoch()));
  // Two SBS-free Mode S positions of another aircraft, then an identification for it.
  const auto even = *DecodeModeSHex("8D40058B58C901375147EFD09357");
  const auto odd = *DecodeModeSHex("8D40058B58C904A87F402D3B8C59");
  table.Update(even, SimTime::Epoch());
  ASSERT_TRUE(table.Update(odd, SimTime::Epoch() + Seconds(1)));
  const geo::LocalFrame frame({49.8, 6.0, 0.0});
  auto d = table.ToDetection(0x40058B, frame, SensorId(7), DetectionId(3));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->sensor_kind, SensorKind::kAdsb);
  EXPECT_EQ(d->measurement.kind, MeasurementKind::kPosition);
  EXPECT_EQ(*d->icao24, 0x40058Bu);
  EXPECT_EQ(d->time, SimTime::Epoch() + Seconds(1));
  const auto back = frame.ToGeodetic(d->measurement.z);
  EXPECT_NEAR(back.lat_deg, 49.81755, 1e-4);
  EXPECT_NEAR(back.lon_deg, 6.08442, 1e-4);
  // TC 11 (NUCp 7): 185 m containment -> sigma ~ 93 m.
  EXPECT_NEAR(std::sqrt(d->measurement.noise(0, 0)), 185.2 / 2.0, 1.0);
  EXPECT_FALSE(table.ToDetection(0x406B90, frame, SensorId(7), DetectionId(4)).has_value());  // no position
  // SBS positions carry no bound: the default sigma.
  auto sbs = ParseSbsLine("MSG,3,1,1,71BE34,1,,,,,TEST1,35000,,,49.9,6.1,,,,,,0", 1);
  ASSERT_TRUE(sbs.has_value() && sbs->has_value());
  ASSERT_TRUE(table.Update(**sbs, SimTime::Epoch()));
  auto d2 = table.ToDetection(0x71BE34, frame, SensorId(7), DetectionId(5));
  ASSERT_TRUE(d2.has_value());
  EXPECT_EQ(*d2->callsign, "TEST1");
  EXPECT_NEAR(std::sqrt(d2->measurement.noise(1, 1)), AircraftTableConfig{}.default_horizontal_sigma_m, 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Recordings as a sensor

TEST(Recording, BeastAndItsSbsDecodeAgreePerAircraft) {
  const geo::LocalFrame frame({59.7, 30.6, 0.0});  // the receiver, near St Petersburg
  FeedReport beast_report, sbs_report;
  const auto from_beast = BeastRecordingToDetections(Bytes(ReadFile(kCapture)), frame, SensorId(1), beast_report);
  const auto from_sbs = SbsRecordingToDetections(ReadFile(kData + "beast/beast_decoded_sbs.txt"), frame, SensorId(2),
                                                 sbs_report);
  EXPECT_EQ(beast_report.rejected, 0) << beast_report.first_errors.front();
  int mode_s_frames = 0;  // the capture's frames less its Mode A/C replies
  for (const auto& f : DecodeAll(Bytes(ReadFile(kCapture)), 1 << 20)) mode_s_frames += f->payload.size() > 2;
  EXPECT_EQ(beast_report.messages, mode_s_frames);
  // The last two lines of the SBS file are the tool's status text, not data.
  EXPECT_EQ(sbs_report.rejected, 2);
  ASSERT_GT(from_beast.size(), 500u);
  ASSERT_GT(from_sbs.size(), 500u);

  // Times are non-decreasing and the two clocks cover about the same span.
  for (size_t i = 1; i < from_beast.size(); ++i) ASSERT_LE(from_beast[i - 1].time, from_beast[i].time);
  const double beast_span = (from_beast.back().time - from_beast.front().time).seconds();
  const double sbs_span = (from_sbs.back().time - from_sbs.front().time).seconds();
  EXPECT_NEAR(beast_span, sbs_span, 0.05 * sbs_span);

  // The same aircraft, and each aircraft's last position agrees within CPR resolution.
  std::map<uint32_t, Vec3> last_beast, last_sbs;
  for (const auto& d : from_beast) last_beast[*d.icao24] = d.measurement.z;
  for (const auto& d : from_sbs) last_sbs[*d.icao24] = d.measurement.z;
  int compared = 0;
  for (const auto& [icao, z] : last_sbs) {
    ASSERT_TRUE(last_beast.count(icao)) << std::hex << icao;
    EXPECT_LT((last_beast[icao].head<2>() - z.head<2>()).norm(), 100.0) << std::hex << icao;
    ++compared;
  }
  EXPECT_GE(compared, 5);
}

TEST(Recording, GarbageInTheMiddleIsCountedAndLosesNoGoodMessage) {
  const auto clean = Bytes(ReadFile(kCapture));
  // Garbage between two frames, half way through: find a frame start (0x1A then a type byte) there.
  size_t cut = clean.size() / 2;
  while (!(clean[cut] == 0x1A && clean[cut + 1] >= 0x31 && clean[cut + 1] <= 0x34 && clean[cut - 1] != 0x1A)) ++cut;
  std::vector<uint8_t> dirty(clean.begin(), clean.begin() + static_cast<std::ptrdiff_t>(cut));
  for (int i = 0; i < 40; ++i) dirty.push_back(static_cast<uint8_t>(0x55 + i));
  dirty.insert(dirty.end(), clean.begin() + static_cast<std::ptrdiff_t>(cut), clean.end());

  const geo::LocalFrame frame({59.7, 30.6, 0.0});
  FeedReport clean_report, dirty_report;
  const auto a = BeastRecordingToDetections(clean, frame, SensorId(1), clean_report);
  const auto b = BeastRecordingToDetections(dirty, frame, SensorId(1), dirty_report);
  EXPECT_EQ(dirty_report.messages, clean_report.messages);
  EXPECT_EQ(dirty_report.rejected, 1);
  ASSERT_EQ(dirty_report.first_errors.size(), 1u);
  EXPECT_NE(dirty_report.first_errors[0].find("byte " + std::to_string(cut)), std::string::npos)
      << dirty_report.first_errors[0];
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].measurement.z, b[i].measurement.z);
}

}  // namespace
}  // namespace koepel::adapters::adsb
