#include "koepel/adapters/cot/cot.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace koepel::adapters::cot {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

const fs::path kCotData = fs::path(KOEPEL_SHARED_DATA) / "cot";
constexpr int64_t kEpoch20250501 = 1746100800000;  // 2025-05-01T12:00:00Z, the examples' time

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Runs a shell command and returns its stdout and exit status.
struct Run {
  std::string out;
  int status = -1;
};
Run Shell(const std::string& command) {
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  r.status = pclose(pipe);
  return r;
}

// An XPath 1.0 string() through libxml2's xmllint: an independent reader of what we wrote.
std::string XPath(const fs::path& file, const std::string& expression) {
  std::string s = Shell("xmllint --xpath 'string(" + expression + ")' '" + file.string() + "' 2>/dev/null").out;
  if (!s.empty() && s.back() == '\n') s.pop_back();  // xmllint ends its answer with a newline
  return s;
}
double XPathNumber(const fs::path& file, const std::string& expression) {
  const std::string s = XPath(file, expression);
  return s.empty() ? std::nan("") : std::stod(s);
}

// Validates files against Event.xsd with one xmllint call; returns the files xmllint did not say validate.
std::vector<std::string> SchemaFailures(const std::vector<fs::path>& files) {
  std::string command = "xmllint --noout --schema '" + (kCotData / "Event.xsd").string() + "'";
  for (const fs::path& f : files) command += " '" + f.string() + "'";
  const Run r = Shell(command + " 2>&1");
  std::vector<std::string> failures;
  for (const fs::path& f : files) {
    if (r.out.find(f.string() + " validates") == std::string::npos) failures.push_back(f.string());
  }
  return failures;
}

class TempDir {
 public:
  TempDir() {
    // One folder per test (ctest runs tests of this binary as separate processes, maybe in parallel).
    path_ = fs::temp_directory_path() /
            ("koepel_cot_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Track MakeTrack(int64_t id, Affiliation affiliation, ObjectClass object_class, Vec3 position = Vec3(0, 0, 100),
                Vec3 velocity = Vec3(10, 0, 0)) {
  Track t;
  t.id = TrackId(id);
  t.status = TrackStatus::kConfirmed;
  t.state.x << position, velocity;
  t.state.P = Mat6::Identity() * 25.0;
  t.identity.affiliation = affiliation;
  t.identity.object_class = object_class;
  t.identity.class_confidence = 0.8;
  return t;
}

std::string Xml(const CotEvent& e) {
  auto x = ToXml(e);
  EXPECT_TRUE(x.has_value()) << x.status().ToString();
  return x.has_value() ? *x : std::string();
}

// The mechanical CoT type -> letter SIDC rule of cot.md section 3, written independently of SymbolFor.
std::string LetterSidcFromType(const std::string& type) {
  std::string function;
  for (size_t i = 5; i < type.size(); ++i) {  // after "a-x-A"
    if (type[i] != '-') function += type[i];
  }
  function.resize(6, '-');
  return std::string("S") + static_cast<char>(std::toupper(type[2])) + type[4] + "P" + function + "-----";
}

// ---------------------------------------------------------------------------------------------
// Symbology

// What each shared example is, by its name and remarks (shared/data/cot/examples).
struct ExampleTruth {
  Affiliation affiliation;
  ObjectClass object_class;
  bool exact;  // false: the example's type is a more specific child of ours
};
const std::map<std::string, ExampleTruth> kExamples = {
    {"hostile_uav_track.xml", {Affiliation::kHostile, ObjectClass::kSmallDrone, true}},
    {"hostile_cruise_missile_track.xml", {Affiliation::kHostile, ObjectClass::kCruiseMissile, true}},
    {"hostile_rotary_track.xml", {Affiliation::kHostile, ObjectClass::kHelicopter, true}},
    {"friend_fixed_wing_track.xml", {Affiliation::kFriend, ObjectClass::kFixedWing, true}},
    {"unknown_air_track.xml", {Affiliation::kUnknown, ObjectClass::kUnknown, true}},
    {"xmlvalidate_globalhawk_cot.xml", {Affiliation::kFriend, ObjectClass::kFixedWing, false}},  // a-f-A-M-F-R-X
    {"invalid_lat_out_of_range.xml", {Affiliation::kHostile, ObjectClass::kUnknown, true}},      // a-h-A
    {"invalid_missing_how_and_point.xml", {Affiliation::kHostile, ObjectClass::kUnknown, true}},
};

TEST(SymbolTable, EveryExampleTypeComesFromTheTable) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kCotData / "examples")) {
    const std::string name = entry.path().filename().string();
    ASSERT_TRUE(kExamples.count(name)) << "an example without a stated truth: " << name;
    const ExampleTruth truth = kExamples.at(name);
    std::smatch m;
    const std::string text = ReadFile(entry.path());
    ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(type="([^"]+)\")"))) << name;
    const std::string type = m[1];
    const AirSymbol s = SymbolFor(truth.affiliation, truth.object_class);
    if (truth.exact) {
      EXPECT_EQ(s.cot_type, type) << name;
    } else {
      EXPECT_EQ(type.rfind(s.cot_type + "-", 0), 0u) << name << ": " << type << " is not under " << s.cot_type;
    }
    EXPECT_EQ(s.sidc_2525c, LetterSidcFromType(s.cot_type)) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST(SymbolTable, CodesListedAsValidInTheFactSheet) {
  // milstd2525-sidc.md: "All VALID in milsymbol 3.0.4" tables and cot.md examples.
  struct Row {
    Affiliation a;
    ObjectClass c;
    const char* type;
    const char* letter;
    const char* number;
  };
  const Row rows[] = {
      {Affiliation::kHostile, ObjectClass::kSmallDrone, "a-h-A-M-F-Q", "SHAPMFQ--------", "10060100001103000000"},
      {Affiliation::kUnknown, ObjectClass::kSmallDrone, "a-u-A-M-F-Q", "SUAPMFQ--------", "10010100001103000000"},
      {Affiliation::kFriend, ObjectClass::kSmallDrone, "a-f-A-M-F-Q", "SFAPMFQ--------", "10030100001103000000"},
      {Affiliation::kSuspect, ObjectClass::kSmallDrone, "a-s-A-M-F-Q", "SSAPMFQ--------", "10050100001103000000"},
      {Affiliation::kPending, ObjectClass::kOneWayAttackDrone, "a-p-A-M-F-Q", "SPAPMFQ--------",
       "10000100001103000000"},
      {Affiliation::kHostile, ObjectClass::kFixedWing, "a-h-A-M-F", "SHAPMF---------", "10060100001101000000"},
      {Affiliation::kHostile, ObjectClass::kHelicopter, "a-h-A-M-H", "SHAPMH---------", "10060100001102000000"},
      {Affiliation::kHostile, ObjectClass::kCruiseMissile, "a-h-A-W-M-C-M", "SHAPWMCM-------",
       "10060200001100000700"},
      {Affiliation::kHostile, ObjectClass::kBallisticMissile, "a-h-A-W-M-B", "SHAPWMB--------",
       "10060200001100000600"},
      {Affiliation::kNeutral, ObjectClass::kFixedWing, "a-n-A-C-F", "SNAPCF---------", "10040100001201000000"},
      {Affiliation::kCivil, ObjectClass::kFixedWing, "a-n-A-C-F", "SNAPCF---------", "10040100001201000000"},
      {Affiliation::kCivil, ObjectClass::kSmallDrone, "a-n-A-C", "SNAPC----------", "10040100001203000000"},
      {Affiliation::kUnknown, ObjectClass::kUnknown, "a-u-A", "SUAP-----------", "10010100000000000000"},
      {Affiliation::kPending, ObjectClass::kUnknown, "a-p-A", "SPAP-----------", "10000100000000000000"},
  };
  for (const Row& r : rows) {
    const AirSymbol s = SymbolFor(r.a, r.c);
    EXPECT_EQ(s.cot_type, r.type) << AffiliationName(r.a) << " " << ObjectClassName(r.c);
    EXPECT_EQ(s.sidc_2525c, r.letter) << r.type;
    EXPECT_EQ(s.sidc_2525d, r.number) << r.type;
  }
}

TEST(SymbolTable, EveryCombinationIsWellFormed) {
  const std::map<Affiliation, char> identity_digit = {
      {Affiliation::kPending, '0'}, {Affiliation::kUnknown, '1'}, {Affiliation::kCivil, '4'},
      {Affiliation::kFriend, '3'},  {Affiliation::kNeutral, '4'}, {Affiliation::kSuspect, '5'},
      {Affiliation::kHostile, '6'}};
  const std::regex type_pattern(R"(a-[pufnsh]-A(-[A-Z])*)");
  for (const auto& [a, digit] : identity_digit) {
    for (ObjectClass c : kAllObjectClasses) {
      const AirSymbol s = SymbolFor(a, c);
      EXPECT_TRUE(std::regex_match(s.cot_type, type_pattern)) << s.cot_type;
      EXPECT_EQ(s.sidc_2525c, LetterSidcFromType(s.cot_type));
      ASSERT_EQ(s.sidc_2525d.size(), 20u);
      EXPECT_EQ(s.sidc_2525d.find_first_not_of("0123456789"), std::string::npos) << s.sidc_2525d;
      EXPECT_EQ(s.sidc_2525d.substr(0, 3), "100");  // 2525D, reality
      EXPECT_EQ(s.sidc_2525d[3], digit) << s.sidc_2525d;
      EXPECT_EQ(s.sidc_2525d.substr(4, 2), IsMissile(c) ? "02" : "01") << s.sidc_2525d;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Events

// Rebuilds each synthetic example from a track with the example's position, motion and errors: the XML we
// write must carry the same values, read back by libxml2.
TEST(TrackEvent, ReproducesTheSharedExamples) {
  TempDir dir;
  int checked = 0;
  for (const auto& [name, truth] : kExamples) {
    if (name.find("_track.xml") == std::string::npos) continue;
    const fs::path example = kCotData / "examples" / name;
    const double lat = XPathNumber(example, "/event/point/@lat");
    const double lon = XPathNumber(example, "/event/point/@lon");
    const double hae = XPathNumber(example, "/event/point/@hae");
    const double ce = XPathNumber(example, "/event/point/@ce");
    const double le = XPathNumber(example, "/event/point/@le");
    const double course = XPathNumber(example, "/event/detail/track/@course");
    const double speed = XPathNumber(example, "/event/detail/track/@speed");
    const double rad = course * M_PI / 180.0;

    const geo::LocalFrame frame({lat, lon, hae});
    Track track = MakeTrack(checked + 1, truth.affiliation, truth.object_class, Vec3::Zero(),
                            Vec3(speed * std::sin(rad), speed * std::cos(rad), 0.0));
    track.state.P = Mat6::Identity();
    track.state.P(0, 0) = track.state.P(1, 1) = ce * ce;
    track.state.P(2, 2) = le * le;
    track.callsign = XPath(example, "/event/detail/contact/@callsign");
    CotOptions options;
    options.clock.epoch_unix_ms = kEpoch20250501;
    options.stale_after = Seconds(30);
    auto event = TrackEvent(track, {}, frame, SimTime::Epoch(), options);
    ASSERT_TRUE(event.has_value()) << event.status().ToString();
    const fs::path ours = dir.path() / name;
    WriteFile(ours, Xml(*event));

    for (const char* attribute : {"type", "time", "start", "stale"}) {
      EXPECT_EQ(XPath(ours, std::string("/event/@") + attribute), XPath(example, std::string("/event/@") + attribute))
          << name << " @" << attribute;
    }
    EXPECT_EQ(XPath(ours, "/event/@how"), "m-f");
    EXPECT_NEAR(XPathNumber(ours, "/event/point/@lat"), lat, 1e-7) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/point/@lon"), lon, 1e-7) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/point/@hae"), hae, 0.05) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/point/@ce"), ce, 0.05) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/point/@le"), le, 0.05) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/detail/track/@course"), course, 0.005) << name;
    EXPECT_NEAR(XPathNumber(ours, "/event/detail/track/@speed"), speed, 0.005) << name;
    EXPECT_EQ(XPath(ours, "/event/detail/contact/@callsign"), *track.callsign);
    EXPECT_EQ(XPath(ours, "/event/detail/__milsym/@id"),
              SymbolFor(truth.affiliation, truth.object_class).sidc_2525d);
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(TrackEvent, EveryAffiliationClassAndEdgeCaseValidatesAgainstTheSchema) {
  TempDir dir;
  std::vector<fs::path> files;
  CotOptions options;
  options.clock.epoch_unix_ms = kEpoch20250501;
  const geo::LocalFrame rotterdam({51.95, 4.05, 0.0});
  int64_t id = 1;
  auto add = [&](const Track& track, const geo::LocalFrame& frame, const std::string& label) {
    auto event = TrackEvent(track, {}, frame, SimTime() + Seconds(12) + Milliseconds(345), options);
    ASSERT_TRUE(event.has_value()) << label << ": " << event.status().ToString();
    files.push_back(dir.path() / (label + ".xml"));
    WriteFile(files.back(), Xml(*event));
  };
  for (int a = 0; a < 7; ++a) {
    for (ObjectClass c : kAllObjectClasses) {
      const auto affiliation = static_cast<Affiliation>(a);
      add(MakeTrack(id++, affiliation, c), rotterdam,
          std::string(AffiliationName(affiliation)) + "_" + std::string(ObjectClassName(c)));
    }
  }
  // Edge cases: the poles and the antimeridian (frames there), a hovering track, no callsign, awkward text,
  // huge and NaN covariances (-> 9999999), a time before the epoch.
  add(MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, Vec3::Zero()), geo::LocalFrame({90, 0, 0}),
      "north_pole");
  add(MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, Vec3::Zero()), geo::LocalFrame({-90, 0, 0}),
      "south_pole");
  add(MakeTrack(id++, Affiliation::kUnknown, ObjectClass::kFixedWing, Vec3::Zero()), geo::LocalFrame({0, 180, 0}),
      "lon_plus_180");
  add(MakeTrack(id++, Affiliation::kUnknown, ObjectClass::kFixedWing, Vec3::Zero()), geo::LocalFrame({0, -180, 0}),
      "lon_minus_180");
  add(MakeTrack(id++, Affiliation::kUnknown, ObjectClass::kFixedWing, Vec3(-1, 0, 0)), geo::LocalFrame({0, 180, 0}),
      "west_of_antimeridian");
  add(MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone, Vec3(0, 0, 30), Vec3::Zero()), rotterdam,
      "zero_speed");
  Track odd = MakeTrack(id++, Affiliation::kSuspect, ObjectClass::kDecoy);
  odd.callsign = "A&B <\"x'y\"> \t\n\r\x01 \xff\xfe caf\xc3\xa9";
  odd.identity.reason = "]]> <!-- & -->";
  odd.state.P(0, 0) = std::numeric_limits<double>::infinity();
  odd.state.P(2, 2) = std::nan("");
  add(odd, rotterdam, "awkward_text_and_covariance");
  Track plain = MakeTrack(id++, Affiliation::kHostile, ObjectClass::kSmallDrone);
  options.synthesize_callsign = false;
  add(plain, rotterdam, "no_callsign");
  options.clock.epoch_unix_ms = 0;
  options.opex = "e-koepel";
  add(plain, rotterdam, "before_1970_exercise");  // SimTime 12 s after 1970: still fine

  const auto failures = SchemaFailures(files);
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << files.size() << " fail, first " << failures[0];
  EXPECT_EQ(files.size(), 7u * 9u + 9u);

  // What the edge cases wrote, read back by libxml2.
  const fs::path d = dir.path();
  EXPECT_EQ(XPath(d / "north_pole.xml", "/event/point/@lat"), "90.0000000");
  EXPECT_EQ(XPath(d / "south_pole.xml", "/event/point/@lat"), "-90.0000000");
  EXPECT_NEAR(std::abs(XPathNumber(d / "lon_plus_180.xml", "/event/point/@lon")), 180.0, 1e-7);
  EXPECT_NEAR(XPathNumber(d / "west_of_antimeridian.xml", "/event/point/@lon"), 180.0 - 1 / 111319.49, 1e-6);
  EXPECT_EQ(XPath(d / "zero_speed.xml", "/event/detail/track/@speed"), "0.00");
  EXPECT_EQ(XPath(d / "zero_speed.xml", "/event/detail/track/@course"), "0.00");
  EXPECT_EQ(XPath(d / "no_callsign.xml", "count(/event/detail/contact)"), "0");
  EXPECT_EQ(XPath(d / "hostile_small_drone.xml", "/event/detail/contact/@callsign"), "HOSTILE-SMALL_DRONE-57");
  EXPECT_EQ(XPath(d / "awkward_text_and_covariance.xml", "/event/detail/contact/@callsign"),
            "A&B <\"x'y\"> \t\n\r\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD caf\xc3\xa9");
  EXPECT_NE(XPath(d / "awkward_text_and_covariance.xml", "/event/detail/remarks").find("]]> <!-- & -->"),
            std::string::npos);
  EXPECT_EQ(XPath(d / "awkward_text_and_covariance.xml", "/event/point/@ce"), "9999999.0");
  EXPECT_EQ(XPath(d / "awkward_text_and_covariance.xml", "/event/point/@le"), "9999999.0");
  EXPECT_EQ(XPath(d / "before_1970_exercise.xml", "/event/@time"), "1970-01-01T00:00:12.345Z");
  EXPECT_EQ(XPath(d / "before_1970_exercise.xml", "/event/@opex"), "e-koepel");
  EXPECT_EQ(XPath(d / "hostile_cruise_missile.xml", "/event/@stale"), "2025-05-01T12:00:32.345Z");  // + 20 s
}

TEST(TrackEvent, SchemaHarnessRejectsTheInvalidExamples) {
  // The validation above could only fail if the harness can: the shared negative examples must fail it.
  const std::vector<fs::path> invalid = {kCotData / "examples" / "invalid_lat_out_of_range.xml",
                                         kCotData / "examples" / "invalid_missing_how_and_point.xml",
                                         kCotData / "examples" / "hostile_uav_track.xml"};
  const auto failures = SchemaFailures(invalid);
  EXPECT_EQ(failures, std::vector<std::string>(invalid.begin(), invalid.begin() + 2));
}

TEST(TrackEvent, ErrorsFromTheCovarianceAndCourseFromTheVelocity) {
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  Track t = MakeTrack(3, Affiliation::kHostile, ObjectClass::kOneWayAttackDrone, Vec3(100, 200, 300),
                      Vec3(-30, -30, 5));
  t.state.P.block<3, 3>(0, 0) << 400, 120, 0, 120, 100, 0, 0, 0, 49;
  auto e = TrackEvent(t, {}, frame, SimTime::Epoch(), {});
  ASSERT_TRUE(e.has_value());
  // Largest eigenvalue of [[400,120],[120,100]]: 250 + sqrt(150^2 + 120^2).
  EXPECT_NEAR(e->ce_m, std::sqrt(250 + std::sqrt(150.0 * 150 + 120 * 120)), 1e-9);
  EXPECT_NEAR(e->le_m, 7.0, 1e-12);
  EXPECT_NEAR(*e->course_deg, 225.0, 1e-9);  // south-west
  EXPECT_NEAR(*e->speed_mps, std::sqrt(1800.0), 1e-9);  // horizontal only
  const geo::LatLonAlt p = frame.ToGeodetic(Vec3(100, 200, 300));
  EXPECT_DOUBLE_EQ(e->lat_deg, p.lat_deg);
  EXPECT_DOUBLE_EQ(e->hae_m, p.alt_m);
  EXPECT_EQ(e->uid, "KOEPEL-TRK-3");

  t.state.x = Vec6::Zero();
  t.state.x(3) = 1.0;  // due east
  EXPECT_NEAR(*TrackEvent(t, {}, frame, SimTime::Epoch(), {})->course_deg, 90.0, 1e-9);
}

TEST(TrackEvent, ThreatAddsRankToRemarks) {
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  Track t = MakeTrack(9, Affiliation::kHostile, ObjectClass::kCruiseMissile);
  t.identity.class_confidence = 0.93;
  Threat other;
  other.track = TrackId(8);
  other.rank = 1;
  Threat mine;
  mine.track = TrackId(9);
  mine.rank = 2;
  mine.asset_at_risk = AssetId(4);
  mine.p_hit = 0.5;
  mine.time_to_go = Seconds(42);
  const std::vector<Threat> threats = {other, mine};
  auto e = TrackEvent(t, threats, frame, SimTime::Epoch(), {});
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->remarks.find("class cruise_missile (confidence 0.93)"), std::string::npos) << e->remarks;
  EXPECT_NE(e->remarks.find("threat rank 2, asset 4, p_hit 0.50, time to go 42.0 s"), std::string::npos)
      << e->remarks;
  auto without = TrackEvent(t, {}, frame, SimTime::Epoch(), {});
  EXPECT_NE(without->remarks.find("no threat"), std::string::npos);
}

TEST(TrackEvent, RejectsWhatWouldBreakTheSchemaWithTheField) {
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  Track t = MakeTrack(7, Affiliation::kHostile, ObjectClass::kSmallDrone);
  t.state.x(1) = std::nan("");
  auto bad = TrackEvent(t, {}, frame, SimTime::Epoch(), {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("track 7"), std::string::npos) << bad.error().message();

  const CotEvent good = *TrackEvent(MakeTrack(7, Affiliation::kHostile, ObjectClass::kSmallDrone), {}, frame,
                                    SimTime::Epoch(), {});
  struct Case {
    std::function<void(CotEvent&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](CotEvent& e) { e.lat_deg = 95; }, "event/point/@lat: 95.0000000 outside [-90, 90]"},
      {[](CotEvent& e) { e.lon_deg = -180.5; }, "event/point/@lon"},
      {[](CotEvent& e) { e.hae_m = std::nan(""); }, "event/point/@hae"},
      {[](CotEvent& e) { e.ce_m = -1; }, "event/point/@ce"},
      {[](CotEvent& e) { e.type = "a h A"; }, "event/@type"},
      {[](CotEvent& e) { e.type = "a-h-A;x;y"; }, "event/@type"},
      {[](CotEvent& e) { e.how = "mf-f"; }, "event/@how"},
      {[](CotEvent& e) { e.how = ""; }, "event/@how"},
      {[](CotEvent& e) { e.uid = ""; }, "event/@uid"},
      {[](CotEvent& e) { e.opex = "x"; }, "event/@opex"},
      {[](CotEvent& e) { e.stale_unix_ms = 253402300800000; }, "event/@stale"},  // year 10000
      {[](CotEvent& e) { e.time_unix_ms = -62135596800001; }, "event/@time"},    // year 0
      {[](CotEvent& e) { e.course_deg = 361; }, "event/detail/track/@course"},
  };
  for (const Case& c : cases) {
    CotEvent e = good;
    c.spoil(e);
    auto x = ToXml(e);
    ASSERT_FALSE(x.has_value()) << c.field;
    EXPECT_EQ(x.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(x.error().message().find(c.field), std::string::npos) << x.error().message();
  }
  CotEvent with_suffix = good;
  with_suffix.type = "a-h-A;free text";
  EXPECT_TRUE(ToXml(with_suffix).has_value());
}

TEST(DropEvent, SameUidAndTypeStaleNow) {
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  const Track t = MakeTrack(5, Affiliation::kHostile, ObjectClass::kHelicopter);
  CotOptions options;
  options.clock.epoch_unix_ms = kEpoch20250501;
  const CotEvent live = *TrackEvent(t, {}, frame, SimTime() + Seconds(10), options);
  const CotEvent drop = *DropEvent(t, frame, SimTime() + Seconds(15), options);
  EXPECT_EQ(drop.uid, live.uid);
  EXPECT_EQ(drop.type, live.type);
  EXPECT_EQ(drop.time_unix_ms, kEpoch20250501 + 15000);
  EXPECT_EQ(drop.start_unix_ms, drop.time_unix_ms);
  EXPECT_EQ(drop.stale_unix_ms, drop.time_unix_ms);
  EXPECT_FALSE(drop.course_deg.has_value());
  TempDir dir;
  WriteFile(dir.path() / "drop.xml", Xml(drop));
  EXPECT_TRUE(SchemaFailures({dir.path() / "drop.xml"}).empty());
}

// ---------------------------------------------------------------------------------------------
// Out

ports::Picture PictureOf(SimTime time, std::vector<Track> tracks) {
  ports::Picture p;
  p.time = time;
  p.tracks = std::move(tracks);
  return p;
}

TEST(PictureEncoder, DropsTracksThatDisappearOrAreDeleted) {
  PictureEncoder encoder(geo::LocalFrame({52.0, 5.0, 0.0}), {});
  const Track a = MakeTrack(1, Affiliation::kHostile, ObjectClass::kSmallDrone);
  Track b = MakeTrack(2, Affiliation::kUnknown, ObjectClass::kUnknown);
  Track broken = MakeTrack(3, Affiliation::kHostile, ObjectClass::kSmallDrone);
  broken.state.x(0) = std::nan("");

  auto out = encoder.Encode(PictureOf(SimTime() + Seconds(1), {a, b, broken}));
  ASSERT_EQ(out.events.size(), 2u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_NE(out.errors[0].message().find("track 3"), std::string::npos);
  EXPECT_EQ(out.events[0].uid, "KOEPEL-TRK-1");

  out = encoder.Encode(PictureOf(SimTime() + Seconds(2), {b}));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].uid, "KOEPEL-TRK-2");
  EXPECT_GT(out.events[0].stale_unix_ms, out.events[0].start_unix_ms);
  EXPECT_EQ(out.events[1].uid, "KOEPEL-TRK-1");  // the drop
  EXPECT_EQ(out.events[1].stale_unix_ms, out.events[1].start_unix_ms);

  b.status = TrackStatus::kDeleted;
  out = encoder.Encode(PictureOf(SimTime() + Seconds(3), {b}));
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].uid, "KOEPEL-TRK-2");
  EXPECT_EQ(out.events[0].stale_unix_ms, out.events[0].start_unix_ms);
  EXPECT_TRUE(encoder.Encode(PictureOf(SimTime() + Seconds(4), {})).events.empty());
}

TEST(DirectoryBus, RecordsOneEventPerFileInOrder) {
  TempDir dir;
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  auto bus = DirectoryBus::Open(dir.path() / "cot", frame, {});
  ASSERT_TRUE(bus.has_value()) << bus.status().ToString();
  const Track a = MakeTrack(1, Affiliation::kHostile, ObjectClass::kSmallDrone);
  const Track b = MakeTrack(22, Affiliation::kFriend, ObjectClass::kFixedWing);
  bus->Publish(PictureOf(SimTime() + Seconds(1), {a, b}));
  bus->Publish(PictureOf(SimTime() + Seconds(2), {b}));
  EXPECT_TRUE(bus->status().ok()) << bus->status().ToString();
  EXPECT_EQ(bus->files_written(), 4);
  std::vector<std::string> names;
  for (const auto& f : fs::directory_iterator(dir.path() / "cot")) names.push_back(f.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"000001-KOEPEL-TRK-1.xml", "000002-KOEPEL-TRK-22.xml",
                                             "000003-KOEPEL-TRK-22.xml", "000004-KOEPEL-TRK-1.xml"}));
  const std::string expected =
      *ToXml(*TrackEvent(b, {}, frame, SimTime() + Seconds(2), {}));
  EXPECT_EQ(ReadFile(dir.path() / "cot" / names[2]), expected);

  // A path that cannot be a directory is an error with the path.
  WriteFile(dir.path() / "plain_file", "x");
  auto blocked = DirectoryBus::Open(dir.path() / "plain_file" / "sub", frame, {});
  ASSERT_FALSE(blocked.has_value());
  EXPECT_NE(blocked.error().message().find("plain_file"), std::string::npos);
}

std::vector<std::string> SomeEvents(int n) {
  std::vector<std::string> out;
  const geo::LocalFrame frame({52.0, 5.0, 0.0});
  for (int i = 0; i < n; ++i) {
    out.push_back(Xml(*TrackEvent(MakeTrack(100 + i, Affiliation::kHostile, ObjectClass::kSmallDrone), {}, frame,
                                  SimTime() + Seconds(i), {})));
  }
  return out;
}

TEST(UdpSender, OneEventPerDatagramOnLoopback) {
  auto receiver = net::UdpSocket::Bind({"127.0.0.1", 0});
  ASSERT_TRUE(receiver.has_value()) << receiver.status().ToString();
  auto sender = UdpSender::Open({"127.0.0.1", receiver->port()});
  ASSERT_TRUE(sender.has_value()) << sender.status().ToString();
  const auto events = SomeEvents(3);
  for (const std::string& e : events) ASSERT_TRUE(sender->Send(e).ok());
  for (const std::string& e : events) {
    auto d = receiver->Receive(milliseconds(2000));
    ASSERT_TRUE(d.has_value() && d->has_value()) << "datagram missing";
    EXPECT_EQ(std::string((*d)->bytes.begin(), (*d)->bytes.end()), e);
  }
  const Status too_big = sender->Send(std::string(70000, 'x'));
  EXPECT_EQ(too_big.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_big.message().find("127.0.0.1:" + std::to_string(receiver->port())), std::string::npos);
}

// Reads from a stream until `n` events (split on "</event>") arrived or 2 s passed.
std::vector<std::string> ReceiveEvents(net::TcpStream& stream, size_t n) {
  std::string buffer;
  std::vector<std::string> events;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (events.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto bytes = stream.Receive(milliseconds(100));
    if (!bytes.has_value()) break;
    buffer.append(bytes->begin(), bytes->end());
    for (size_t end; (end = buffer.find("</event>")) != std::string::npos;) {
      events.push_back(buffer.substr(0, end + 8));
      buffer.erase(0, end + 8);
    }
  }
  EXPECT_TRUE(buffer.empty()) << "bytes after the last </event>: " << buffer;
  return events;
}

TEST(TcpStreamSender, EventsBackToBackAndReconnectAfterThePeerCloses) {
  auto listener = net::TcpListener::Listen({"127.0.0.1", 0});
  ASSERT_TRUE(listener.has_value()) << listener.status().ToString();
  auto sender = TcpStreamSender::Connect({"127.0.0.1", listener->port()}, milliseconds(1000));
  ASSERT_TRUE(sender.has_value()) << sender.status().ToString();
  auto accepted = listener->Accept(milliseconds(1000));
  ASSERT_TRUE(accepted.has_value() && accepted->has_value());
  const auto events = SomeEvents(5);
  for (const std::string& e : events) ASSERT_TRUE(sender->Send(e, milliseconds(1000)).ok());
  EXPECT_EQ(ReceiveEvents(**accepted, 5), events);

  // The server goes away: sends fail (the first may still land in the kernel buffer), then a Send reconnects.
  accepted->reset();
  bool failed = false;
  for (int i = 0; i < 20 && !failed; ++i) {
    failed = !sender->Send(events[0], milliseconds(200)).ok();
    if (!failed) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(failed) << "sending into a closed connection never failed";
  EXPECT_FALSE(sender->connected());
  ASSERT_TRUE(sender->Send(events[1], milliseconds(1000)).ok());
  auto again = listener->Accept(milliseconds(1000));
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ(ReceiveEvents(**again, 1), std::vector<std::string>{events[1]});

  auto refused = TcpStreamSender::Connect({"127.0.0.1", 1}, milliseconds(500));
  EXPECT_FALSE(refused.has_value());
}

}  // namespace
}  // namespace koepel::adapters::cot
