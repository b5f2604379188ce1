// Tests against the dstl BSI Flex 335 v2.0 samples in shared/data/sapient (read in place): 38 valid and
// 193 invalid JSON messages, their protobuf binaries and framed forms, and a 10-message stream.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

const fs::path kData = fs::path(KOEPEL_SHARED_DATA) / "sapient";

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
std::vector<uint8_t> ReadBytes(const fs::path& p) {
  const std::string s = ReadText(p);
  return std::vector<uint8_t>(s.begin(), s.end());
}
std::vector<fs::path> Files(const fs::path& dir, std::string_view ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().string().ends_with(ext)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}
std::string Stem(const fs::path& p) {  // "Task.FullMessage.LookAt.json" -> "Task.FullMessage.LookAt"
  std::string name = p.filename().string();
  while (name.ends_with(".json")) name.resize(name.size() - 5);
  return name;
}
SapientMessage Sample(std::string_view stem) {
  auto m = ParseJson(ReadText(kData / "json/valid" / (std::string(stem) + ".json")));
  EXPECT_TRUE(m.has_value()) << stem << ": " << m.status().ToString();
  return m.has_value() ? *m : SapientMessage();
}

// ---------------------------------------------------------------------------------------------
// Validation against the dstl samples

TEST(SapientValidation, AllValidSamplesAccepted) {
  const auto files = Files(kData / "json/valid", ".json");
  ASSERT_EQ(files.size(), 38u);
  for (const auto& f : files) {
    auto m = ParseAndValidateJson(ReadText(f));
    EXPECT_TRUE(m.has_value()) << f.filename() << ": " << m.status().ToString();
  }
}

// Lower case, no underscores: "Dock_class" and "DockClass" and "dock_class" compare equal.
std::string Normal(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}
std::vector<std::string> Words(std::string_view text) {  // the identifiers in an error message
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && !std::isdigit(static_cast<unsigned char>(word[0]))) out.push_back(Normal(word));
    word.clear();
  };
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// The rule a file name states, as (parent, field) in the name's own words:
// "0108.DetectionReport.ObjectId.Missing" -> ("detectionreport", "objectid").
std::pair<std::string, std::string> StatedRule(const std::string& stem) {
  static const std::set<std::string> kNoise = {"Missing", "Error", "Empty", "Invalid", "Wrong",
                                               "FullMessage", "ForSub", "Sub", "BadId"};
  std::vector<std::string> tokens;
  size_t start = stem.find('.') + 1;  // skip the number
  while (start <= stem.size()) {
    size_t dot = stem.find('.', start);
    if (dot == std::string::npos) dot = stem.size();
    std::string t = stem.substr(start, dot - start);
    start = dot + 1;
    if (t.starts_with("BadId") && t.size() > 5) t = t.substr(5);
    if (t.ends_with("Missing") && t.size() > 7) t.resize(t.size() - 7);
    while (!t.empty() && std::isdigit(static_cast<unsigned char>(t.back()))) t.pop_back();
    if (t.empty() || kNoise.count(t) > 0) continue;
    tokens.push_back(Normal(t));
  }
  if (tokens.empty()) return {"", ""};
  return {tokens.size() > 1 ? tokens[tokens.size() - 2] : "", tokens.back()};
}

TEST(SapientValidation, EveryInvalidSampleRejectedForItsStatedReason) {
  // Where a file name does not name the field its content breaks, the field it does break:
  const std::map<std::string, std::string> kOverrides = {
      // The TaskDefinition sits in ModeDefinition's field "task".
      {"0044.ModeDefinition.TaskDefinition.Missing", "task"},
      // The name misspells dependent_nodes.
      {"0096.DependantNodes.Error", "dependentnodes"},
      {"0189.BadId.Registration.DependantNodes", "dependentnodes"},
      // The location is valid; the file carries "detectionLocation", a v1.0 field unknown in v2.0.
      {"0112.DetectionReport.DetectionLocation.RangeBearing", "detectionlocation"},
      // Named Type, but the file removes track_info[0].value (0116 removes the type).
      {"0117.TrackInfo.Type.Missing", "value"},
  };
  const auto files = Files(kData / "json/invalid", ".json");
  ASSERT_EQ(files.size(), 193u);
  int rejected = 0;
  int field_named = 0;
  int parent_and_field_named = 0;
  std::map<std::string, int> by_content;
  for (const auto& f : files) {
    const std::string stem = Stem(f);
    auto m = ParseAndValidateJson(ReadText(f));
    ASSERT_FALSE(m.has_value()) << stem << " was accepted";
    ++rejected;
    // Each file breaks one rule (two for 0038 and 0160, which drop two fields of one sub-message).
    if (auto lenient = ParseJson(ReadText(f), true); lenient.has_value()) {
      EXPECT_LE(Violations(*lenient).size(), 2u) << stem;
    }
    const std::string& why = m.error().message();
    auto [parent, field] = StatedRule(stem);
    if (auto o = kOverrides.find(stem); o != kOverrides.end()) {
      parent.clear();
      field = o->second;
    }
    ASSERT_FALSE(field.empty()) << stem;
    const std::vector<std::string> words = Words(why);
    bool field_found = false;
    bool pair_found = false;
    for (size_t i = 0; i < words.size(); ++i) {
      if (!words[i].ends_with(field)) continue;
      field_found = true;
      if (!parent.empty() && i > 0 && words[i - 1].ends_with(parent)) pair_found = true;
    }
    EXPECT_TRUE(field_found) << stem << ": error does not name \"" << field << "\": " << why;
    field_named += field_found ? 1 : 0;
    parent_and_field_named += pair_found ? 1 : 0;
    ++by_content[why.substr(0, why.find_first_of(".:["))];
  }
  EXPECT_EQ(rejected, 193);
  EXPECT_EQ(field_named, 193);
  std::printf("invalid samples: %d rejected, %d name the stated field (%zu via the override table), "
              "%d name parent.field exactly as the file name does\n",
              rejected, field_named, kOverrides.size(), parent_and_field_named);
  RecordProperty("parent_and_field_named", parent_and_field_named);
}

TEST(SapientValidation, ViolationsListEveryBrokenRuleWithItsPath) {
  SapientMessage m = Sample("DetectionReport.FullMessage");
  m.mutable_detection_report()->clear_object_id();
  m.mutable_detection_report()->mutable_classification(0)->mutable_sub_class(0)->clear_level();
  m.mutable_detection_report()->set_detection_confidence(1.5f);
  m.set_node_id("not-a-uuid");
  const auto v = Violations(m);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].path, "node_id");
  EXPECT_EQ(v[1].path, "detection_report.object_id");
  EXPECT_EQ(v[1].reason, "missing (mandatory)");
  EXPECT_EQ(v[2].path, "detection_report.detection_confidence");
  EXPECT_EQ(v[3].path, "detection_report.classification[0].sub_class[0].level");
  EXPECT_EQ(Validate(m).message(), "node_id: not a UUID: \"not-a-uuid\" (and 3 more)");
}

TEST(SapientValidation, IdForms) {
  EXPECT_TRUE(IsUuid("a8654cdf-4328-47de-81fa-c495589e30c8"));
  EXPECT_TRUE(IsUuid("A8654CDF-4328-47DE-81FA-C495589E30C8"));
  EXPECT_FALSE(IsUuid("a8654cdf432847de81fac495589e30c8"));
  EXPECT_FALSE(IsUuid("01H4R63D7NVN8444Z5M77WEBY6"));
  EXPECT_FALSE(IsUuid("g8654cdf-4328-47de-81fa-c495589e30c8"));
  EXPECT_TRUE(IsUlid("01H4R63D7NVN8444Z5M77WEBY6"));
  EXPECT_TRUE(IsUlid("01h4r63d7nvn8444z5m77weby6"));
  EXPECT_FALSE(IsUlid("81H4R63D7NVN8444Z5M77WEBY6"));  // more than 48 bits of time
  EXPECT_FALSE(IsUlid("01H4R63D7NVN8444Z5M77WEBYU"));  // U is not Crockford base32
  EXPECT_FALSE(IsUlid("a8654cdf-4328-47de-81fa-c495589e30c8"));
  EXPECT_FALSE(IsUlid("AAA"));
}

// ---------------------------------------------------------------------------------------------
// Codec

TEST(SapientCodec, BinarySamplesEqualTheirJson) {
  int compared = 0;
  for (const auto& f : Files(kData / "json/valid", ".json")) {
    const std::string stem = Stem(f);
    const SapientMessage from_json = Sample(stem);
    auto from_binary = DecodeBinary(ReadBytes(kData / "binary" / (stem + ".pb")));
    ASSERT_TRUE(from_binary.has_value()) << stem << ": " << from_binary.status().ToString();
    EXPECT_TRUE(MessageDifferencer::Equals(from_json, *from_binary)) << stem;
    // Our encoder writes exactly the bytes of the reference encoder (python protobuf 4.21).
    EXPECT_EQ(Frame(from_json), ReadBytes(kData / "binary" / (stem + ".framed.bin"))) << stem;
    // And the JSON we print reads back to the same message.
    auto again = ParseJson(ToJson(from_json));
    ASSERT_TRUE(again.has_value()) << stem << ": " << again.status().ToString();
    EXPECT_TRUE(MessageDifferencer::Equals(from_json, *again)) << stem;
    ++compared;
  }
  EXPECT_EQ(compared, 38);
}

TEST(SapientCodec, JsonFormQuirks) {
  // A UTF-8 byte order mark (Windows tools write one) is skipped. (SOURCE.md mentions BOMs; the copies
  // in shared/data have none, so add one to each.)
  for (const auto& f : Files(kData / "json/valid", ".json")) {
    const std::string text = ReadText(f);
    auto plain = ParseJson(text);
    auto with_bom = ParseJson("\xEF\xBB\xBF" + text);
    ASSERT_TRUE(plain.has_value() && with_bom.has_value()) << f.filename();
    EXPECT_TRUE(MessageDifferencer::Equals(*plain, *with_bom));
  }
  EXPECT_FALSE(ParseJson("\xEF\xBB" + ReadText(kData / "json/valid/StatusReport.Goodbye.json")).has_value());
  // The sample writes "enu_velocity" and "utmZone": proto and camelCase names both parse.
  const SapientMessage d = Sample("DetectionReport.FullMessage");
  EXPECT_TRUE(d.detection_report().has_enu_velocity());
  EXPECT_EQ(d.detection_report().enu_velocity().up_rate(), 3.0);
  EXPECT_EQ(d.detection_report().location().utm_zone(), "30U");
  // Output is one line of canonical JSON.
  const std::string json = ToJson(d);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find("\"enuVelocity\""), std::string::npos);
  EXPECT_NE(json.find("\"LOCATION_COORDINATE_SYSTEM_UTM_M\""), std::string::npos);
  // Unknown fields: an error that names them, unless allowed.
  auto unknown = ParseJson(R"({"nodeId":"a8654cdf-4328-47de-81fa-c495589e30c8","bogusField":1})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("bogusField"), std::string::npos) << unknown.error().message();
  EXPECT_TRUE(ParseJson(R"({"bogusField":1})", true).has_value());
  auto broken = ParseJson("{\"nodeId\": ");
  ASSERT_FALSE(broken.has_value());
  EXPECT_TRUE(broken.error().message().starts_with("json: "));
}

// ---------------------------------------------------------------------------------------------
// Framing

const std::vector<std::string> kStreamOrder = {
    "Registration.Small.Messsage", "RegistrationAck.Succesful.FullMessage", "StatusReport.FullMessage",
    "DetectionReport.FullMessage", "DetectionReport.RangeBearing.FullMessage", "Task.FullMessage.LookAt",
    "TaskAck.Accepted.FullMessage", "Alert.FullMessage", "AlertAck.Accepted.FullMessage", "StatusReport.Goodbye"};

std::vector<Result<FramedMessage>> ReadInChunks(const std::vector<uint8_t>& bytes,
                                                const std::vector<size_t>& chunk_sizes, uint32_t max = 1 << 20) {
  FrameReader reader(max);
  std::vector<Result<FramedMessage>> out;
  size_t pos = 0;
  for (size_t i = 0; pos < bytes.size(); ++i) {
    const size_t n = std::min(chunk_sizes[i % chunk_sizes.size()], bytes.size() - pos);
    for (auto& r : reader.Feed(std::span<const uint8_t>(bytes).subspan(pos, n))) out.push_back(std::move(r));
    pos += n;
  }
  for (auto& r : reader.Finish()) out.push_back(std::move(r));
  return out;
}

TEST(SapientFraming, StreamSequenceInAnyChunking) {
  const std::vector<uint8_t> stream = ReadBytes(kData / "binary/stream_sequence.bin");
  ASSERT_FALSE(stream.empty());
  std::vector<SapientMessage> expected;
  for (const auto& name : kStreamOrder) expected.push_back(Sample(name));

  std::vector<std::vector<size_t>> chunkings = {{1}, {2}, {3}, {7}, {64}, {stream.size()}};
  std::mt19937 rng(20240827);
  for (int k = 0; k < 20; ++k) {
    std::vector<size_t> sizes;
    for (int i = 0; i < 50; ++i) sizes.push_back(std::uniform_int_distribution<size_t>(1, 300)(rng));
    chunkings.push_back(sizes);
  }
  for (const auto& sizes : chunkings) {
    const auto got = ReadInChunks(stream, sizes);
    ASSERT_EQ(got.size(), expected.size()) << "chunk " << sizes[0];
    uint64_t offset = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_TRUE(got[i].has_value()) << got[i].status().ToString();
      EXPECT_EQ(got[i]->offset, offset);
      EXPECT_TRUE(MessageDifferencer::Equals(got[i]->message, expected[i])) << kStreamOrder[i];
      EXPECT_TRUE(Validate(got[i]->message).ok()) << kStreamOrder[i];
      offset += 4 + got[i]->payload_size;
    }
    EXPECT_EQ(offset, stream.size());
  }
}

TEST(SapientFraming, BadFramesAreLocatedAndTheGoodOnesAroundThemKept) {
  const std::vector<uint8_t> a = Frame(Sample("StatusReport.Goodbye"));
  const std::vector<uint8_t> b = Frame(Sample("DetectionReport.FullMessage"));
  const std::vector<uint8_t> c = Frame(Sample("AlertAck.Accepted.FullMessage"));
  std::vector<uint8_t> stream = a;
  const uint64_t bad_length_at = stream.size();
  for (uint8_t x : {0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x02, 0x0A, 0x03}) stream.push_back(x);  // 2^31-1 bytes?
  const uint64_t b_at = stream.size();
  stream.insert(stream.end(), b.begin(), b.end());
  const uint64_t undecodable_at = stream.size();
  for (uint8_t x : {0x03, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF}) stream.push_back(x);  // 3 bytes, not protobuf
  const uint64_t empty_at = stream.size();
  for (uint8_t x : {0x00, 0x00, 0x00, 0x00}) stream.push_back(x);  // an empty frame: skipped
  const uint64_t c_at = stream.size();
  (void)empty_at;
  stream.insert(stream.end(), c.begin(), c.end());
  const uint64_t tail_at = stream.size();
  for (uint8_t x : {0x10, 0x00, 0x00, 0x00, 0x0A}) stream.push_back(x);  // truncated frame at the end

  for (const std::vector<size_t>& sizes : std::vector<std::vector<size_t>>{{1}, {2}, {5}, {13}, {4096}}) {
    const auto got = ReadInChunks(stream, sizes);
    ASSERT_EQ(got.size(), 6u);
    ASSERT_TRUE(got[0].has_value());
    EXPECT_EQ(got[0]->offset, 0u);
    ASSERT_FALSE(got[1].has_value());
    EXPECT_EQ(got[1].error().message(), "byte " + std::to_string(bad_length_at) +
                                            ": bad frame length 2147483647 (allowed 1..1048576); skipped 8 bytes, "
                                            "resynchronised at byte " + std::to_string(b_at));
    ASSERT_TRUE(got[2].has_value());
    EXPECT_EQ(got[2]->offset, b_at);
    EXPECT_TRUE(got[2]->message.has_detection_report());
    ASSERT_FALSE(got[3].has_value());
    EXPECT_TRUE(got[3].error().message().starts_with("byte " + std::to_string(undecodable_at) +
                                                     ": frame of 3 bytes: payload is not a SapientMessage"))
        << got[3].error().message();
    ASSERT_TRUE(got[4].has_value());
    EXPECT_EQ(got[4]->offset, c_at);
    ASSERT_FALSE(got[5].has_value());
    EXPECT_EQ(got[5].error().message(),
              "byte " + std::to_string(tail_at) + ": stream ended inside a frame: 5 bytes of 20");
  }
}

TEST(SapientFraming, NegativeLengthAtTheEndIsReportedOnce) {
  const std::vector<uint8_t> a = Frame(Sample("StatusReport.Goodbye"));
  std::vector<uint8_t> stream = a;
  for (uint8_t x : {0x00, 0x00, 0x00, 0x80, 0x01, 0x02, 0x03}) stream.push_back(x);  // -2^31
  const auto got = ReadInChunks(stream, {3});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].has_value());
  ASSERT_FALSE(got[1].has_value());
  EXPECT_EQ(got[1].error().message(), "byte " + std::to_string(a.size()) +
                                          ": bad frame length -2147483648 (allowed 1..1048576); no frame found in "
                                          "the 7 bytes up to the end of the stream");
}

// ---------------------------------------------------------------------------------------------
// Conversion

constexpr std::string_view kFusionId = "6b6f6570-656c-4000-8000-000000000001";
const geo::LatLonAlt kOrigin{51.17, -1.82, 100.0};

// The samples put latitude in x while claiming UTM; these are the same messages with a real position.
SapientMessage DetectionAt(double lat, double lon, std::optional<double> alt) {
  SapientMessage m = Sample("DetectionReport.FullMessage");
  pb::Location* l = m.mutable_detection_report()->mutable_location();
  l->set_coordinate_system(pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  l->set_x(lon);
  l->set_y(lat);
  if (alt) {
    l->set_z(*alt);
  } else {
    l->clear_z();
  }
  return m;
}

NodeTable RegisteredTable(ConversionConfig config = {}) {
  config.frame_origin = kOrigin;
  NodeTable table(config);
  SapientMessage r = Sample("Registration.Small.Messsage");
  r.set_node_id("a8654cdf-4328-47de-81fa-c495589e30c8");  // the detection samples' sender
  const SapientMessage ack = table.Register(r, kFusionId, 1'700'000'000'000'000'000);
  EXPECT_TRUE(ack.registration_ack().acceptance());
  return table;
}

TEST(SapientConversion, LocationBecomesAPositionInTheLocalFrame) {
  NodeTable table = RegisteredTable();
  const SapientMessage m = DetectionAt(51.18, -1.80, 250.0);
  auto d = table.ToDetection(m);
  ASSERT_TRUE(d.has_value()) << d.status().ToString();
  const Detection& det = d->detection;
  EXPECT_EQ(det.measurement.kind, MeasurementKind::kPosition);
  // Horizontal distance agrees with the geodesic distance on the ellipsoid (independent computation).
  const double geodesic = geo::GeodesicDistance(kOrigin, {51.18, -1.80, 100.0});
  EXPECT_NEAR(det.measurement.z.head<2>().norm(), geodesic, 1.0);
  EXPECT_GT(det.measurement.z.x(), 0.0);  // east of the origin
  EXPECT_GT(det.measurement.z.y(), 0.0);  // north
  EXPECT_NEAR(det.measurement.z.z(), 150.0, 1.0);
  // Errors of 5 (degrees, the coordinate system's unit) are large; in metres when configured.
  EXPECT_NEAR(std::sqrt(det.measurement.noise(1, 1)), 5.0 * M_PI / 180.0 * 6'371'000.0, 1.0);
  EXPECT_NEAR(std::sqrt(det.measurement.noise(2, 2)), 5.0, 1e-9);
  EXPECT_EQ(det.sensor.value(), 1000);
  EXPECT_EQ(det.sensor_kind, SensorKind::kEoir);  // registered as a camera
  EXPECT_EQ(det.time.nanoseconds(), 1688733857027638700);  // 2023-07-07T12:44:17.027638700Z
  EXPECT_EQ(d->object_key, "a8654cdf-4328-47de-81fa-c495589e30c8/01GGYFBAXH4VYRQYEX7S3XGK3H");
  // The sample classifies "Human/Male": a known class, not an air threat.
  ASSERT_TRUE(det.class_report.has_value());
  EXPECT_EQ(det.class_report->object_class, ObjectClass::kUnknown);
  EXPECT_NEAR(det.class_report->confidence, 0.8, 1e-6);

  ConversionConfig metres;
  metres.latlon_errors_in_metres = true;
  NodeTable table2 = RegisteredTable(metres);
  auto d2 = table2.ToDetection(m);
  ASSERT_TRUE(d2.has_value());
  EXPECT_NEAR(std::sqrt(d2->detection.measurement.noise(0, 0)), 5.0, 1e-9);

  // Without errors and altitude: the configured defaults.
  SapientMessage bare = DetectionAt(51.18, -1.80, std::nullopt);
  bare.mutable_detection_report()->mutable_location()->clear_x_error();
  bare.mutable_detection_report()->mutable_location()->clear_y_error();
  auto d3 = table.ToDetection(bare);
  ASSERT_TRUE(d3.has_value());
  EXPECT_NEAR(std::sqrt(d3->detection.measurement.noise(0, 0)), 25.0, 1e-9);
  EXPECT_NEAR(std::sqrt(d3->detection.measurement.noise(2, 2)), 500.0, 1e-9);
  EXPECT_NEAR(d3->detection.measurement.z.z(), 0.0, 1.0);  // the origin's altitude
  // Same object, same key; new detection id.
  EXPECT_EQ(d3->object_key, d->object_key);
  EXPECT_NE(d3->detection.id, d->detection.id);
}

TEST(SapientConversion, UtmLocations) {
  NodeTable table = RegisteredTable();
  // The sample's "UTM" position is latitude/longitude: rejected with the field named.
  auto bad = table.ToDetection(Sample("DetectionReport.FullMessage"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(bad.error().message().starts_with("detection_report.location: easting 51.17")) << bad.error().message();
  pb::Location l;
  l.set_x(500000.0);  // the central meridian of zone 30 is 3 W
  l.set_y(5670000.0);
  l.set_coordinate_system(pb::LOCATION_COORDINATE_SYSTEM_UTM_M);
  l.set_datum(pb::LOCATION_DATUM_WGS84_E);
  l.set_utm_zone("30U");
  auto p = ToLatLonAlt(l, "loc");
  ASSERT_TRUE(p.has_value()) << p.status().ToString();
  EXPECT_NEAR(p->lon_deg, -3.0, 1e-9);
  EXPECT_NEAR(p->lat_deg, 51.17, 0.05);  // northing / 111.2 km per degree, roughly
  l.set_utm_zone("30");
  auto no_band = ToLatLonAlt(l, "loc");
  ASSERT_FALSE(no_band.has_value());
  EXPECT_TRUE(no_band.error().message().starts_with("loc.utm_zone:"));
}

TEST(SapientConversion, RangeBearingIsRelativeToTheNode) {
  ConversionConfig config;
  config.magnetic_declination_deg = 2.0;
  NodeTable table = RegisteredTable(config);
  SapientMessage rb = Sample("DetectionReport.RangeBearing.FullMessage");
  rb.set_node_id("a8654cdf-4328-47de-81fa-c495589e30c8");
  // No position for the node yet: refused, saying why.
  auto unknown = table.ToDetection(rb);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("no known position"), std::string::npos);

  // The node reports where it is.
  SapientMessage status = Sample("StatusReport.FullMessage");
  pb::Location* where = status.mutable_status_report()->mutable_node_location();
  where->set_coordinate_system(pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  where->set_x(-1.81);
  where->set_y(51.17);
  auto state = table.ApplyStatus(status);
  ASSERT_TRUE(state.has_value()) << state.status().ToString();
  EXPECT_EQ(state->health, NodeHealth::kOk);
  EXPECT_EQ(state->mode, "TestMode");
  EXPECT_EQ(state->power_level, 1);
  ASSERT_TRUE(state->position_enu.has_value());

  pb::RangeBearing* r = rb.mutable_detection_report()->mutable_range_bearing();
  r->set_coordinate_system(pb::RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_KM);
  r->set_datum(pb::RANGE_BEARING_DATUM_MAGNETIC);
  r->set_azimuth(88.0);
  r->set_elevation(0.0);
  r->set_range(1.5);
  r->set_range_error(0.01);
  auto d = table.ToDetection(rb);
  ASSERT_TRUE(d.has_value()) << d.status().ToString();
  EXPECT_EQ(d->detection.measurement.kind, MeasurementKind::kRangeBearing);
  EXPECT_NEAR(d->detection.measurement.z(0), 1500.0, 1e-9);
  EXPECT_NEAR(d->detection.measurement.z(1), M_PI / 2, 1e-12);  // 88 magnetic + 2 declination = east
  EXPECT_NEAR(std::sqrt(d->detection.measurement.noise(0, 0)), 10.0, 1e-9);
  EXPECT_EQ(d->detection.sensor_position, *state->position_enu);
  auto position = ToPosition(d->detection);
  ASSERT_TRUE(position.has_value());
  EXPECT_NEAR(position->position.x() - state->position_enu->x(), 1500.0, 1e-6);

  r->clear_range();
  auto bearing = table.ToDetection(rb);
  ASSERT_TRUE(bearing.has_value());
  EXPECT_EQ(bearing->detection.measurement.kind, MeasurementKind::kBearing);

  r->set_datum(pb::RANGE_BEARING_DATUM_PLATFORM);
  auto platform = table.ToDetection(rb);
  ASSERT_FALSE(platform.has_value());
  EXPECT_TRUE(platform.error().message().starts_with("detection_report.range_bearing.datum:"));
}

TEST(SapientConversion, ClassNames) {
  EXPECT_EQ(ObjectClassFromSapient("UAV"), ObjectClass::kSmallDrone);
  EXPECT_EQ(ObjectClassFromSapient("Air Vehicle/UAV Rotary Wing"), ObjectClass::kSmallDrone);
  EXPECT_EQ(ObjectClassFromSapient("Air Vehicle/UAV Fixed Wing/Military"), ObjectClass::kOneWayAttackDrone);
  EXPECT_EQ(ObjectClassFromSapient("air vehicle"), ObjectClass::kUnknown);
  EXPECT_EQ(ObjectClassFromSapient("Animal/Bird"), ObjectClass::kBird);
  EXPECT_EQ(ObjectClassFromSapient("Human"), ObjectClass::kUnknown);
  EXPECT_EQ(ObjectClassFromSapient("Land Vehicle "), ObjectClass::kUnknown);
  EXPECT_EQ(ObjectClassFromSapient("Manned Rotary Wing"), ObjectClass::kHelicopter);
  EXPECT_EQ(ObjectClassFromSapient("Teapot"), std::nullopt);

  NodeTable table = RegisteredTable();
  SapientMessage m = DetectionAt(51.18, -1.80, 250.0);
  auto* classes = m.mutable_detection_report()->mutable_classification();
  classes->Clear();
  auto* bird = classes->Add();
  bird->set_type("Bird");
  bird->set_confidence(0.3f);
  auto* air = classes->Add();
  air->set_type("Air Vehicle");
  air->set_confidence(0.7f);
  auto* uav = air->add_sub_class();
  uav->set_type("UAV Rotary Wing");
  uav->set_level(1);
  uav->set_confidence(0.6f);
  auto d = table.ToDetection(m);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->detection.class_report.has_value());
  EXPECT_EQ(d->detection.class_report->object_class, ObjectClass::kSmallDrone);
  EXPECT_NEAR(d->detection.class_report->confidence, 0.6, 1e-6);
  EXPECT_EQ(d->class_path, "Air Vehicle/UAV Rotary Wing");

  classes->Clear();
  classes->Add()->set_type("Teapot");
  auto none = table.ToDetection(m);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->detection.class_report.has_value());
}

TEST(SapientConversion, RegistrationAnswers) {
  ConversionConfig config;
  config.frame_origin = kOrigin;
  NodeTable table(config);
  // Before registering, a node's detections are refused.
  auto early = table.ToDetection(DetectionAt(51.18, -1.80, 250.0));
  ASSERT_FALSE(early.has_value());
  EXPECT_NE(early.error().message().find("before registering"), std::string::npos);

  SapientMessage r = Sample("Registration.Small.Messsage");
  r.mutable_registration()->set_icd_version("BSI Flex 335 v1.0");
  const SapientMessage refused = table.Register(r, kFusionId, 5);
  EXPECT_FALSE(refused.registration_ack().acceptance());
  ASSERT_EQ(refused.registration_ack().ack_response_reason_size(), 1);
  EXPECT_TRUE(refused.registration_ack().ack_response_reason(0).starts_with("registration.icd_version: must be"));
  EXPECT_EQ(refused.destination_id(), r.node_id());
  EXPECT_TRUE(Validate(refused).ok());
  EXPECT_EQ(table.Find(r.node_id()), nullptr);

  r.mutable_registration()->set_icd_version(std::string(kIcdVersion));
  r.mutable_registration()->mutable_node_definition(0)->set_node_type(pb::Registration::NODE_TYPE_RADAR);
  const SapientMessage accepted = table.Register(r, kFusionId, 5);
  EXPECT_TRUE(accepted.registration_ack().acceptance());
  EXPECT_EQ(accepted.node_id(), kFusionId);
  EXPECT_TRUE(Validate(accepted).ok());
  const NodeState* node = table.Find(r.node_id());
  ASSERT_NE(node, nullptr);
  EXPECT_TRUE(node->registered);
  EXPECT_EQ(node->sensor_kind, SensorKind::kRadar);
  EXPECT_EQ(node->node_types, (std::vector<std::string>{"NODE_TYPE_RADAR", "NODE_TYPE_LIDAR"}));
}

// ---------------------------------------------------------------------------------------------
// Messages koepel sends

TEST(SapientTasks, UlidsAreDeterministicOrderedAndWellFormed) {
  // The ULID specification's example time: 1469918176385 ms -> "01ARYZ6S41".
  UlidGenerator a(7);
  UlidGenerator b(7);
  std::string previous;
  for (int i = 0; i < 100; ++i) {
    const std::string id = a.Next(1469918176385);
    EXPECT_EQ(id, b.Next(1469918176385));
    EXPECT_TRUE(IsUlid(id)) << id;
    EXPECT_EQ(id.substr(0, 10), "01ARYZ6S41");
    EXPECT_GT(id, previous);
    previous = id;
  }
  EXPECT_NE(UlidGenerator(8).Next(1469918176385), UlidGenerator(7).Next(1469918176385));
  EXPECT_EQ(UlidGenerator(0).Next(0), std::string(26, '0'));
}

TEST(SapientTasks, LookAtAndFollowAreValidTasks) {
  UlidGenerator ids;
  const Envelope envelope{std::string(kFusionId), "a8654cdf-4328-47de-81fa-c495589e30c8", 1'700'000'000'123'000'000};
  const SapientMessage look = MakeLookAtTask(envelope, ids.Next(1'700'000'000'123), {51.2, -1.8, 120.0});
  EXPECT_TRUE(Validate(look).ok()) << Validate(look).message();
  const pb::Location& l = look.task().command().look_at().location_list().locations(0);
  EXPECT_EQ(l.x(), -1.8);
  EXPECT_EQ(l.y(), 51.2);
  EXPECT_EQ(look.task().control(), pb::Task::CONTROL_START);
  EXPECT_EQ(look.destination_id(), envelope.to_node_id);
  EXPECT_EQ(look.timestamp().seconds(), 1'700'000'000);
  EXPECT_EQ(look.timestamp().nanos(), 123'000'000);
  auto again = ParseAndValidateJson(ToJson(look));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*again, look));

  const SapientMessage follow = MakeFollowTask(envelope, ids.Next(1'700'000'000'123), "01GGYFBAXH4VYRQYEX7S3XGK3H");
  EXPECT_TRUE(Validate(follow).ok());
  EXPECT_NE(follow.task().task_id(), look.task().task_id());
  const SapientMessage bad = MakeFollowTask(envelope, ids.Next(1), "a8654cdf-4328-47de-81fa-c495589e30c8");
  EXPECT_TRUE(Validate(bad).message().starts_with("task.command.follow.follow_object_id: not a ULID"));
}

}  // namespace
}  // namespace koepel::adapters::sapient
