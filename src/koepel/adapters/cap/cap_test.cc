#include "koepel/adapters/cap/cap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace koepel::adapters::cap {
namespace {

namespace fs = std::filesystem;

const fs::path kCapData = fs::path(KOEPEL_SHARED_DATA) / "cap";
constexpr int64_t kEpoch20250501 = 1746100800000;  // 2025-05-01T12:00:00Z

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// "alert/info[2]/area/polygon" -> an XPath that ignores the CAP namespace, read by libxml2's xmllint.
std::string XPath(const fs::path& file, const std::string& path, const std::string& function = "string") {
  std::string xpath;
  std::stringstream steps(path);
  for (std::string step; std::getline(steps, step, '/');) {
    const size_t bracket = step.find('[');
    xpath += "/*[local-name()='" + step.substr(0, bracket) + "']" + (bracket == std::string::npos ? "" : step.substr(bracket));
  }
  std::string s = Shell("xmllint --xpath \"" + function + "(" + xpath + ")\" '" + file.string() + "' 2>/dev/null");
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// Files that xmllint does not say validate against CAP-v1.2.xsd.
std::vector<std::string> SchemaFailures(const std::vector<fs::path>& files) {
  std::string command = "xmllint --noout --schema '" + (kCapData / "CAP-v1.2.xsd").string() + "'";
  for (const fs::path& f : files) command += " '" + f.string() + "'";
  const std::string out = Shell(command + " 2>&1");
  std::vector<std::string> failures;
  for (const fs::path& f : files) {
    if (out.find(f.string() + " validates") == std::string::npos) failures.push_back(f.string());
  }
  return failures;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("koepel_cap_test_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

geo::GeoPolygon Ring(std::vector<std::pair<double, double>> lat_lon) {
  geo::GeoPolygon p;
  for (auto [lat, lon] : lat_lon) p.ring.push_back({lat, lon, 0.0});
  return p;
}

NamedRegion Square(const std::string& code, const std::string& name) {
  NamedRegion r;
  r.code = code;
  r.name = name;
  r.area.outers = {Ring({{52.0, 5.0}, {52.0, 5.2}, {52.1, 5.2}, {52.1, 5.0}})};
  return r;
}

Warning MakeWarning(int64_t id, WarningKind kind, const std::string& code, const std::string& name, int issued_s,
                    int impact_s, std::vector<TrackId> threats = {TrackId(3)}) {
  Warning w;
  w.id = WarningId(id);
  w.kind = kind;
  w.region_code = code;
  w.region_name = name;
  w.threats = std::move(threats);
  w.issued_at = SimTime() + Seconds(issued_s);
  w.predicted_impact_time = SimTime() + Seconds(impact_s);
  w.reason = "P(impact in " + code + ") 0.80 from track 3";
  return w;
}

CapOptions Options() {
  CapOptions o;
  o.clock_epoch_unix_ms = kEpoch20250501;
  return o;
}

fs::path WriteMessage(const TempDir& dir, const CapMessage& m) {
  auto xml = ToXml(m);
  EXPECT_TRUE(xml.has_value()) << xml.status().ToString();
  const fs::path path = dir.path() / (m.identifier + ".xml");
  WriteFile(path, xml.has_value() ? *xml : std::string());
  return path;
}

// ---------------------------------------------------------------------------------------------

TEST(CapEncoder, AlertUpdateCancelValidateAndReferenceTheirChain) {
  TempDir dir;
  CapEncoder encoder(Options(), {Square("VR09", "Utrecht")});
  auto alert = encoder.Encode(MakeWarning(1, WarningKind::kAlert, "VR09", "Utrecht", 10, 190));
  auto update = encoder.Encode(MakeWarning(2, WarningKind::kUpdate, "VR09", "Utrecht", 70, 160,
                                           {TrackId(3), TrackId(4)}));
  auto cancel = encoder.Encode(MakeWarning(3, WarningKind::kAllClear, "VR09", "Utrecht", 400, 160));
  ASSERT_TRUE(alert && update && cancel);
  const fs::path a = WriteMessage(dir, *alert), u = WriteMessage(dir, *update), c = WriteMessage(dir, *cancel);
  const auto failures = SchemaFailures({a, u, c});
  EXPECT_TRUE(failures.empty()) << failures[0] << "\n" << ReadFile(failures[0]);

  EXPECT_EQ(XPath(a, "alert/msgType"), "Alert");
  EXPECT_EQ(XPath(u, "alert/msgType"), "Update");
  EXPECT_EQ(XPath(c, "alert/msgType"), "Cancel");
  EXPECT_EQ(XPath(a, "alert/identifier"), "KOEPEL-20250501T120000Z-VR09-000001");
  EXPECT_EQ(XPath(a, "alert/sent"), "2025-05-01T12:00:10+00:00");
  EXPECT_EQ(XPath(a, "alert/status"), "Exercise");
  EXPECT_EQ(XPath(a, "alert/scope"), "Public");
  EXPECT_EQ(XPath(a, "alert/references", "count"), "0");
  // The references name the earlier messages exactly as they were sent (read back from their own files).
  const auto reference = [](const fs::path& f) {
    return XPath(f, "alert/sender") + "," + XPath(f, "alert/identifier") + "," + XPath(f, "alert/sent");
  };
  EXPECT_EQ(XPath(u, "alert/references"), reference(a));
  EXPECT_EQ(XPath(c, "alert/references"), reference(a) + " " + reference(u));
  for (const fs::path& f : {a, u, c}) EXPECT_EQ(XPath(f, "alert/incidents"), XPath(a, "alert/identifier"));
  EXPECT_EQ(std::set<std::string>({XPath(a, "alert/identifier"), XPath(u, "alert/identifier"),
                                   XPath(c, "alert/identifier")}).size(), 3u);

  // Two languages, shelter advice, Immediate / Extreme / Observed; the all-clear says Past / AllClear.
  EXPECT_EQ(XPath(a, "alert/info", "count"), "2");
  EXPECT_EQ(XPath(a, "alert/info[1]/language"), "nl-NL");
  EXPECT_EQ(XPath(a, "alert/info[2]/language"), "en-US");
  EXPECT_EQ(XPath(a, "alert/info[1]/category"), "Security");
  EXPECT_EQ(XPath(a, "alert/info[1]/urgency") + XPath(a, "alert/info[1]/severity") +
                XPath(a, "alert/info[1]/certainty"),
            "ImmediateExtremeObserved");
  EXPECT_EQ(XPath(a, "alert/info[1]/responseType"), "Shelter");
  EXPECT_EQ(XPath(a, "alert/info[1]/instruction").rfind("Ga naar binnen, sluit ramen en deuren", 0), 0u);
  EXPECT_EQ(XPath(a, "alert/info[2]/instruction").rfind("Go indoors, close windows and doors", 0), 0u);
  EXPECT_EQ(XPath(a, "alert/info[1]/onset"), "2025-05-01T12:03:10+00:00");
  EXPECT_EQ(XPath(a, "alert/info[1]/expires"), "2025-05-01T13:03:10+00:00");
  EXPECT_NE(XPath(a, "alert/info[1]/description").find("rond 12:03 UTC"), std::string::npos);
  EXPECT_NE(XPath(u, "alert/info[2]/description").find("2 hostile objects"), std::string::npos);
  EXPECT_EQ(XPath(c, "alert/info[1]/responseType"), "AllClear");
  EXPECT_EQ(XPath(c, "alert/info[2]/urgency"), "Past");
  EXPECT_EQ(XPath(c, "alert/info[2]/headline"), "All clear Utrecht");

  // The area: name, the polygon in "lat,lon" order and closed, the region code as geocode.
  EXPECT_EQ(XPath(a, "alert/info[1]/area/areaDesc"), "Veiligheidsregio Utrecht (VR09)");
  EXPECT_EQ(XPath(a, "alert/info[2]/area/areaDesc"), "Safety region Utrecht (VR09)");
  EXPECT_EQ(XPath(a, "alert/info[1]/area/polygon"),
            "52.00000,5.00000 52.00000,5.20000 52.10000,5.20000 52.10000,5.00000 52.00000,5.00000");
  EXPECT_EQ(XPath(a, "alert/info[2]/area/geocode/valueName"), "CBS_VR");
  EXPECT_EQ(XPath(a, "alert/info[2]/area/geocode/value"), "VR09");

  // After the all-clear the region's next alert starts a new chain.
  auto again = encoder.Encode(MakeWarning(4, WarningKind::kAlert, "VR09", "Utrecht", 900, 1000));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->references.empty());
  auto update2 = encoder.Encode(MakeWarning(5, WarningKind::kUpdate, "VR09", "Utrecht", 950, 1000));
  ASSERT_EQ(update2->references.size(), 1u);
  EXPECT_EQ(update2->references[0].identifier, again->identifier);
}

TEST(CapEncoder, ChainsAreKeptPerRegion) {
  CapEncoder encoder(Options(), {Square("VR09", "Utrecht"), Square("VR17", "Rotterdam-Rijnmond")});
  auto a9 = encoder.Encode(MakeWarning(1, WarningKind::kAlert, "VR09", "Utrecht", 10, 100));
  auto a17 = encoder.Encode(MakeWarning(2, WarningKind::kAlert, "VR17", "Rotterdam-Rijnmond", 11, 100));
  auto c17 = encoder.Encode(MakeWarning(3, WarningKind::kAllClear, "VR17", "Rotterdam-Rijnmond", 200, 100));
  auto u9 = encoder.Encode(MakeWarning(4, WarningKind::kUpdate, "VR09", "Utrecht", 210, 150));
  ASSERT_TRUE(a9 && a17 && c17 && u9);
  ASSERT_EQ(c17->references.size(), 1u);
  EXPECT_EQ(c17->references[0].identifier, a17->identifier);
  ASSERT_EQ(u9->references.size(), 1u);
  EXPECT_EQ(u9->references[0].identifier, a9->identifier);
}

TEST(CapEncoder, UpdateWithoutAlertIsRefusedWithTheWarning) {
  CapEncoder encoder(Options(), {});
  auto r = encoder.Encode(MakeWarning(5, WarningKind::kUpdate, "VR17", "Rotterdam-Rijnmond", 10, 100));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("warning 5 (update, VR17): no earlier alert"), std::string::npos)
      << r.error().message();
  auto c = encoder.Encode(MakeWarning(6, WarningKind::kAllClear, "VR17", "", 10, 100));
  EXPECT_FALSE(c.has_value());
}

TEST(CapEncoder, StatusOffsetAndSpecialCharacters) {
  TempDir dir;
  CapOptions options = Options();
  options.status = MessageStatus::kActual;
  options.utc_offset_minutes = 120;  // CEST
  options.sender = "vr-zuid&west@example.nl";  // '&' is not allowed in a sender: ToXml must refuse it
  const std::string awkward = "Zuid & <West> \"Oost\" 'Noord' \xff";
  CapEncoder bad_sender(options, {Square("X1", awkward)});
  auto refused = bad_sender.Encode(MakeWarning(1, WarningKind::kAlert, "X1", awkward, 10, 100));
  ASSERT_TRUE(refused.has_value());
  auto refused_xml = ToXml(*refused);
  ASSERT_FALSE(refused_xml.has_value());
  EXPECT_NE(refused_xml.error().message().find("alert/sender"), std::string::npos);

  options.sender = "koepel@example.nl";
  CapEncoder encoder(options, {Square("X 1,<&", awkward)});
  auto m = encoder.Encode(MakeWarning(1, WarningKind::kAlert, "X 1,<&", awkward, 10, 100));
  ASSERT_TRUE(m.has_value());
  const fs::path f = WriteMessage(dir, *m);
  EXPECT_TRUE(SchemaFailures({f}).empty()) << ReadFile(f);
  EXPECT_EQ(XPath(f, "alert/status"), "Actual");
  EXPECT_EQ(XPath(f, "alert/sent"), "2025-05-01T14:00:10+02:00");
  EXPECT_EQ(XPath(f, "alert/identifier"), "KOEPEL-20250501T120000Z-X_1___-000001");
  EXPECT_EQ(XPath(f, "alert/info[1]/area/areaDesc"),
            "Zuid & <West> \"Oost\" 'Noord' \xEF\xBF\xBD (X 1,<&)");
  EXPECT_EQ(XPath(f, "alert/info[1]/area/geocode/value"), "X 1,<&");
  EXPECT_EQ(XPath(f, "alert/info[1]/area/geocode/valueName"), "KOEPEL_AREA");
  EXPECT_NE(XPath(f, "alert/info[1]/description").find("14:01 (UTC+02:00)"), std::string::npos);

  // A region the encoder does not know: name and geocode, no polygon, still valid.
  auto unknown = encoder.Encode(MakeWarning(2, WarningKind::kAlert, "GM0599", "Rotterdam", 10, 100));
  const fs::path g = WriteMessage(dir, *unknown);
  EXPECT_TRUE(SchemaFailures({g}).empty()) << ReadFile(g);
  EXPECT_EQ(XPath(g, "alert/info[1]/area/polygon", "count"), "0");
  EXPECT_EQ(XPath(g, "alert/info[1]/area/areaDesc"), "Gemeente Rotterdam (GM0599)");
  EXPECT_EQ(XPath(g, "alert/info[1]/area/geocode/valueName"), "CBS_GM");
}

TEST(CapXml, RejectsWhatWouldBreakCapWithThePath) {
  CapEncoder encoder(Options(), {Square("VR09", "Utrecht")});
  const CapMessage good = *encoder.Encode(MakeWarning(1, WarningKind::kAlert, "VR09", "Utrecht", 10, 100));
  ASSERT_TRUE(ToXml(good).has_value());
  struct Case {
    std::function<void(CapMessage&)> spoil;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[](CapMessage& m) { m.identifier = "A B"; }, "alert/identifier"},
      {[](CapMessage& m) { m.identifier = "A,B"; }, "alert/identifier"},
      {[](CapMessage& m) { m.sender = ""; }, "alert/sender"},
      {[](CapMessage& m) { m.utc_offset_minutes = 15 * 60; }, "alert/sent: UTC offset"},
      {[](CapMessage& m) { m.sent_unix_ms = 253402300800000; }, "alert/sent"},  // year 10000
      {[](CapMessage& m) { m.type = MessageType::kUpdate; }, "alert/references"},
      {[](CapMessage& m) { m.infos[1].categories = {"Drones"}; }, "alert/info[2]/category"},
      {[](CapMessage& m) { m.infos[0].urgency = "Now"; }, "alert/info[1]/urgency"},
      {[](CapMessage& m) { m.infos[0].expires_unix_ms = -62135596800001; }, "alert/info[1]/expires"},
      {[](CapMessage& m) { m.infos[1].areas[0].polygons[0].resize(3); }, "alert/info[2]/area[1]/polygon[1]: 3 points"},
      {[](CapMessage& m) { m.infos[0].areas[0].polygons[0].back().lat_deg = 1; }, "polygon[1]: not closed"},
      {[](CapMessage& m) { m.infos[0].areas[0].polygons[0][1].lon_deg = 181; }, "polygon[1]: point 2"},
      {[](CapMessage& m) { m.infos[0].areas[0].description.clear(); }, "alert/info[1]/area[1]/areaDesc"},
  };
  for (const Case& c : cases) {
    CapMessage m = good;
    c.spoil(m);
    auto xml = ToXml(m);
    ASSERT_FALSE(xml.has_value()) << c.expected;
    EXPECT_EQ(xml.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(xml.error().message().find(c.expected), std::string::npos) << xml.error().message();
  }
}

TEST(CapXml, SchemaHarnessAcceptsTheSharedExamplesAndRejectsTheInvalidOne) {
  const fs::path examples = kCapData / "examples";
  const auto failures = SchemaFailures({examples / "nl_drone_threat_alert.xml", examples / "nl_drone_threat_cancel.xml",
                                        examples / "oasis_cap_amber_alert_example.xml",
                                        examples / "invalid_zulu_time_missing_scope.xml"});
  EXPECT_EQ(failures, std::vector<std::string>{(examples / "invalid_zulu_time_missing_scope.xml").string()});
}

// ---------------------------------------------------------------------------------------------

TEST(CapPolygon, ClosesSwapsAndDropsDuplicates) {
  const auto p = CapPolygon(Ring({{52, 5}, {52, 5}, {52, 6}, {53, 6}, {52, 5}}), 100);
  EXPECT_EQ(p, (std::vector<LatLon>{{52, 5}, {52, 6}, {53, 6}, {52, 5}}));
  EXPECT_TRUE(CapPolygon(Ring({{52, 5}, {52, 6}, {52, 5}}), 100).empty());  // two distinct points
  EXPECT_TRUE(CapPolygon(Ring({}), 100).empty());
  // Vertices that are no WGS-84 position are dropped, the rest of the outline stays.
  EXPECT_EQ(CapPolygon(Ring({{52, 5}, {std::nan(""), 5}, {52, 6}, {95, 6}, {53, 6}, {52, 181}}), 100),
            (std::vector<LatLon>{{52, 5}, {52, 6}, {53, 6}, {52, 5}}));
}

TEST(CapPolygon, SimplifiesToTheBudgetKeepingOriginalVertices) {
  // A circle of radius 10 km with 2000 vertices, simplified to 50 points.
  const double lat0 = 52.0, lon0 = 5.0, r = 10'000.0;
  geo::GeoPolygon circle;
  std::set<std::pair<double, double>> original;
  for (int i = 0; i < 2000; ++i) {
    const double a = 2 * std::numbers::pi * i / 2000;
    const geo::LatLonAlt v = geo::GeodesicDirect({lat0, lon0, 0}, a * 180 / std::numbers::pi, r);
    circle.ring.push_back(v);
    original.insert({v.lat_deg, v.lon_deg});
  }
  double deviation = -1;
  const auto p = CapPolygon(circle, 50, &deviation);
  ASSERT_EQ(p.size(), 50u);
  EXPECT_EQ(p.front(), p.back());
  for (const LatLon& v : p) EXPECT_TRUE(original.count({v.lat_deg, v.lon_deg})) << v.lat_deg << "," << v.lon_deg;
  // 49 nearly even chords of a circle: sagitta r (1 - cos(pi / 49)) = 20.5 m; greedy splitting is uneven, so
  // allow up to the sagitta of half as many chords, and insist it is not zero.
  EXPECT_GT(deviation, 10.0);
  EXPECT_LT(deviation, r * (1 - std::cos(std::numbers::pi / 24.5)));
  // The centre stays inside, points far outside stay outside.
  geo::GeoPolygon back;
  for (const LatLon& v : p) back.ring.push_back({v.lat_deg, v.lon_deg, 0});
  EXPECT_TRUE(geo::Contains(back, lat0, lon0));
  EXPECT_FALSE(geo::Contains(back, lat0 + 0.1, lon0));

  // A square with many points on its edges keeps its corners with a budget of 5.
  geo::GeoPolygon square;
  for (int i = 0; i < 100; ++i) square.ring.push_back({52.0, 5.0 + 0.01 * i, 0});
  for (int i = 0; i < 100; ++i) square.ring.push_back({52.0 + 0.01 * i, 6.0, 0});
  for (int i = 0; i < 100; ++i) square.ring.push_back({53.0, 6.0 - 0.01 * i, 0});
  for (int i = 0; i < 100; ++i) square.ring.push_back({53.0 - 0.01 * i, 5.0, 0});
  const auto s = CapPolygon(square, 5, &deviation);
  EXPECT_EQ(s, (std::vector<LatLon>{{52, 5}, {52, 6}, {53, 6}, {53, 5}, {52, 5}}));
  EXPECT_NEAR(deviation, 0.0, 1e-6);
}

// ---------------------------------------------------------------------------------------------

TEST(DirectorySink, OneFilePerMessageNamedByIdentifier) {
  TempDir dir;
  auto sink = DirectorySink::Open(dir.path() / "cap", Options(), {Square("VR09", "Utrecht")});
  ASSERT_TRUE(sink.has_value()) << sink.status().ToString();
  ports::WarningSink& as_port = *sink;
  as_port.Emit(MakeWarning(1, WarningKind::kAlert, "VR09", "Utrecht", 10, 100));
  as_port.Emit(MakeWarning(2, WarningKind::kAllClear, "VR09", "Utrecht", 300, 100));
  EXPECT_TRUE(sink->status().ok()) << sink->status().ToString();
  ASSERT_EQ(sink->files().size(), 2u);
  EXPECT_EQ(sink->files()[0].filename(), "KOEPEL-20250501T120000Z-VR09-000001.xml");
  EXPECT_EQ(XPath(sink->files()[1], "alert/msgType"), "Cancel");
  EXPECT_TRUE(SchemaFailures(sink->files()).empty());

  as_port.Emit(MakeWarning(3, WarningKind::kUpdate, "VR09", "Utrecht", 400, 100));  // chain ended: refused
  EXPECT_EQ(sink->status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(sink->files().size(), 2u);

  WriteFile(dir.path() / "plain_file", "x");
  auto blocked = DirectorySink::Open(dir.path() / "plain_file" / "sub", Options(), {});
  ASSERT_FALSE(blocked.has_value());
  EXPECT_NE(blocked.error().message().find("plain_file"), std::string::npos);
}

}  // namespace
}  // namespace koepel::adapters::cap
