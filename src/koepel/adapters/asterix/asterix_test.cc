#include "koepel/adapters/asterix/asterix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

namespace koepel::adapters::asterix {
namespace {

const std::string kData = std::string(KOEPEL_SHARED_DATA) + "/asterix/";
using Json = nlohmann::json;

std::vector<uint8_t> ReadData(const std::string& name) {
  auto bytes = ReadBinaryFile(kData + name);
  EXPECT_TRUE(bytes.has_value()) << bytes.status().ToString();
  return bytes.has_value() ? *bytes : std::vector<uint8_t>{};
}

std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

// The reference output holds raw bytes (Latin-1, control characters) inside strings; make it JSON.
std::string Latin1LineToJson(const std::string& line) {
  std::string out;
  for (unsigned char c : line) {
    if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::vector<Json> ReadExpected(const std::string& name) {
  std::ifstream in(kData + "expected/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::vector<Json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    out.push_back(Json::parse(Latin1LineToJson(line)));
  }
  return out;
}

struct Tally {
  int values = 0;
  std::vector<std::string> mismatches;
};

// Fields where the reference decoder scales with a rounded constant (CAT034 I120: 0.00002145767
// instead of 180/2^23, 1e-7 relative): compared within one LSB instead of 1e-6.
double Tolerance(const std::string& path) {
  if (path.find("/I120/LAT") != std::string::npos || path.find("/I120/Lon") != std::string::npos) {
    return 180.0 / 8388608;
  }
  return 1e-6;
}

// Every numeric value within 1e-6 (the reference prints 7 decimals; every LSB here is coarser)
// unless Tolerance() says otherwise; every string and key equal, in both directions.
void Compare(const Json& expected, const Json& actual, const std::string& path, Tally& t) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      t.mismatches.push_back(path + ": not an object");
      return;
    }
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) {
        t.mismatches.push_back(path + "/" + k + ": missing");
        continue;
      }
      Compare(v, actual[k], path + "/" + k, t);
    }
    for (const auto& [k, v] : actual.items()) {
      if (!expected.contains(k)) t.mismatches.push_back(path + "/" + k + ": not in the reference");
    }
  } else if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      t.mismatches.push_back(path + ": array size");
      return;
    }
    for (size_t i = 0; i < expected.size(); ++i) Compare(expected[i], actual[i], path + "[" + std::to_string(i) + "]", t);
  } else if (expected.is_number()) {
    ++t.values;
    if (!actual.is_number() || std::abs(expected.get<double>() - actual.get<double>()) > Tolerance(path)) {
      t.mismatches.push_back(path + ": " + expected.dump() + " != " + actual.dump());
    }
  } else {
    ++t.values;
    if (expected != actual) t.mismatches.push_back(path + ": " + expected.dump() + " != " + actual.dump());
  }
}

struct ReferenceResult {
  int expected_records = 0;
  int matched_records = 0;
  int recovered_records = 0;  // matched records koepel found after an error in their block
  int extra_records = 0;      // koepel records with items that the reference does not print
  int values = 0;
  std::vector<std::string> unmatched;  // reference records koepel does not produce
  std::vector<std::string> mismatches;
};

// Matches reference records to koepel's by their bytes (the reference prints each record's hex),
// in order, and compares the decoded values and the record's index in its block (the reference's
// "id", which counts the records it could not decode too).
ReferenceResult CompareWithReference(const std::string& file, const std::string& expected_name) {
  const std::vector<uint8_t> bytes = ReadData(file);
  const auto decoded = DecodeFile(bytes);
  std::vector<const Record*> records;
  for (const auto& r : decoded) {
    if (r.has_value() && !r->items.empty()) records.push_back(&*r);
  }
  ReferenceResult result;
  Tally tally;
  size_t next = 0;
  for (const Json& e : ReadExpected(expected_name)) {
    ++result.expected_records;
    const std::string hex = e["hexdata"].get<std::string>();
    const int cat = e["cat"].get<int>();
    size_t found = records.size();
    for (size_t i = next; i < records.size(); ++i) {
      const Record& r = *records[i];
      if (r.category == cat && ToHex(std::span(bytes).subspan(r.offset, r.length)) == hex) {
        found = i;
        break;
      }
    }
    if (found == records.size()) {
      result.unmatched.push_back(hex);
      continue;
    }
    next = found + 1;
    ++result.matched_records;
    const Record& r = *records[found];
    const std::string where = file + " record@" + std::to_string(r.offset);
    if (r.index_in_block != e["id"].get<int>()) {
      tally.mismatches.push_back(where + ": index in block " + std::to_string(r.index_in_block) + " != id " +
                                 e["id"].dump());
    }
    char key[8];
    std::snprintf(key, sizeof key, "CAT%03d", cat);
    Json mine = Json::parse(r.ToJson().dump());
    mine.erase("CAT");
    // koepel's own mark, not printed by the reference.
    if (r.recovered != (mine.value("recovered", false) == true)) tally.mismatches.push_back(where + ": recovered mark");
    mine.erase("recovered");
    if (r.recovered) ++result.recovered_records;
    Compare(e[key], mine, where, tally);
  }
  result.extra_records = static_cast<int>(records.size()) - result.matched_records;
  result.values = tally.values;
  result.mismatches = tally.mismatches;
  std::printf(
      "%s: %d/%d reference records matched (%d recovered), %d values compared, %zu mismatches, %d records "
      "not in the reference\n",
      file.c_str(), result.matched_records, result.expected_records, result.recovered_records, result.values,
      result.mismatches.size(), result.extra_records);
  return result;
}

void ExpectNoMismatch(const ReferenceResult& r) {
  for (size_t i = 0; i < std::min<size_t>(r.mismatches.size(), 20); ++i) ADD_FAILURE() << r.mismatches[i];
}

// ---------------------------------------------------------------------------------------------
// Decoder against the reference decoder's output

TEST(Reference, Cat048Raw) {
  const ReferenceResult r = CompareWithReference("cat048.raw", "cat048_raw.generated.jsonl");
  EXPECT_EQ(r.matched_records, 1);
  EXPECT_TRUE(r.unmatched.empty());
  EXPECT_EQ(r.extra_records, 0);
  EXPECT_GT(r.values, 55);
  ExpectNoMismatch(r);
}

TEST(Reference, Cat062Cat065Raw) {
  const ReferenceResult r = CompareWithReference("cat062cat065.raw", "cat062cat065_raw.generated.jsonl");
  EXPECT_EQ(r.matched_records, 3);
  EXPECT_TRUE(r.unmatched.empty());
  EXPECT_EQ(r.extra_records, 0);
  ExpectNoMismatch(r);
}

TEST(Reference, Cat034Cat048Pcap) {
  const ReferenceResult r = CompareWithReference("cat_034_048.pcap", "cat_034_048.generated.jsonl");
  EXPECT_EQ(r.expected_records, 162);
  EXPECT_EQ(r.matched_records, 162);
  EXPECT_EQ(r.recovered_records, 0);
  EXPECT_EQ(r.extra_records, 0);
  ExpectNoMismatch(r);
  for (const auto& e : DecodeFile(ReadData("cat_034_048.pcap"))) EXPECT_TRUE(e.has_value()) << e.status().ToString();
}

// asterix.pcap holds CAT062 of an older edition: under ed. 1.18 many records run past their block.
// The reference decoder then resumes at the first byte of the item that failed and prints what it
// finds there (decoder.cc explains the rule); koepel does the same, so every reference record must
// be there with its values and its index in the block, and nothing else with items.
TEST(Reference, AsterixPcapOlderEdition) {
  const ReferenceResult r = CompareWithReference("asterix.pcap", "asterix_pcap.generated.jsonl");
  ExpectNoMismatch(r);
  EXPECT_EQ(r.expected_records, 84);
  EXPECT_EQ(r.matched_records, 84);
  EXPECT_TRUE(r.unmatched.empty());
  EXPECT_EQ(r.extra_records, 0);
  // Every record after the first of a block follows an error here (the reference never prints id 2).
  int later_in_block = 0;
  for (const Json& e : ReadExpected("asterix_pcap.generated.jsonl")) later_in_block += e["id"].get<int>() > 1;
  EXPECT_EQ(r.recovered_records, later_in_block);
  EXPECT_GT(later_in_block, 30);

  // The overrunning records stay errors at their byte offset. The first datagram's payload starts
  // at file byte 82: record 1 (byte 85) overruns in I390/CSN (byte 131), and the reference's next record
  // is id 4 at payload byte 50 ({"id":4,"hexdata":"01080000"}), after two records whose FSPEC
  // names the spare FRN 2 (bytes 129 and 131).
  const std::vector<uint8_t> file = ReadData("asterix.pcap");
  const auto decoded = DecodeFile(file);
  ASSERT_GE(decoded.size(), 4u);
  ASSERT_FALSE(decoded[0].has_value());
  EXPECT_EQ(decoded[0].error().message(), "byte 131: CAT062 record 1, I390/CSN: 7 bytes needed, 6 left");
  ASSERT_FALSE(decoded[1].has_value());
  EXPECT_EQ(decoded[1].error().message(), "byte 129: CAT062 record 2: FRN 2 is not in the CAT062 ed. 1.18 UAP");
  ASSERT_FALSE(decoded[2].has_value());
  EXPECT_EQ(decoded[2].error().message(), "byte 131: CAT062 record 3: FRN 2 is not in the CAT062 ed. 1.18 UAP");
  ASSERT_TRUE(decoded[3].has_value()) << decoded[3].status().ToString();
  EXPECT_EQ(decoded[3]->offset, 82u + 50);
  EXPECT_EQ(decoded[3]->index_in_block, 4);
  EXPECT_TRUE(decoded[3]->recovered);
  EXPECT_EQ(decoded[3]->ToJson().dump(), R"({"CAT":62,"recovered":true,"I040":{"TrkN":0}})");
  int errors = 0;
  for (const auto& rec : decoded) {
    if (rec.has_value()) continue;
    ++errors;
    const std::string& m = rec.error().message();
    ASSERT_EQ(m.rfind("byte ", 0), 0u) << m;
    EXPECT_LT(std::stoul(m.substr(5)), file.size()) << m;
  }
  EXPECT_GT(errors, 72);
  std::printf("asterix.pcap: %d errors reported\n", errors);
}

// ---------------------------------------------------------------------------------------------
// Worked examples (shared/standards/asterix.md section 6)

TEST(Decoder, Cat048WorkedExample) {
  const auto records = DecodeFile(ReadData("cat048.raw"));
  ASSERT_EQ(records.size(), 1u);
  ASSERT_TRUE(records[0].has_value()) << records[0].status().ToString();
  EXPECT_EQ(records[0]->offset, 3u);
  EXPECT_EQ(records[0]->length, 45u);
  const auto plot = ToCat048Plot(*records[0]);
  ASSERT_TRUE(plot.has_value());
  EXPECT_EQ(plot->sac, 25);
  EXPECT_EQ(plot->sic, 201);
  EXPECT_DOUBLE_EQ(*plot->time_of_day_s, 0x356D4D / 128.0);
  EXPECT_DOUBLE_EQ(*plot->slant_range_m, 0xC5AF / 256.0 * 1852.0);
  EXPECT_DOUBLE_EQ(*plot->azimuth_rad, 0xF1E0 * 2 * std::numbers::pi / 65536);
  EXPECT_DOUBLE_EQ(*plot->flight_level, 330.0);
  EXPECT_EQ(*plot->icao24, 0x3C660Cu);
  EXPECT_EQ(*plot->callsign, "DLH65A");
  EXPECT_EQ(*plot->track_number, 3563);
  EXPECT_EQ(*plot->mode3a, 1000);
  EXPECT_EQ(plot->report_type, 5);
}

TEST(Decoder, Cat062WorkedExample) {
  const auto records = DecodeFile(ReadData("cat062cat065.raw"));
  ASSERT_EQ(records.size(), 3u);
  const auto track = ToCat062Track(*records[0]);
  ASSERT_TRUE(track.has_value());
  EXPECT_NEAR(*track->lat_deg, 0x007F3E9B * 180.0 / 33554432, 1e-12);
  EXPECT_NEAR(*track->lon_deg, 0x0025188D * 180.0 / 33554432, 1e-12);
  EXPECT_DOUBLE_EQ(*track->x_m, -239083.0);
  EXPECT_DOUBLE_EQ(*track->vx_mps, -51.25);
  EXPECT_DOUBLE_EQ(*track->vy_mps, 170.0);
  EXPECT_EQ(*track->track_number, 4980);
  EXPECT_EQ(records[2]->category, 65);
  const auto second = ToCat062Track(*records[1]);
  EXPECT_EQ(*second->icao24, 0x3C0A55u);
  EXPECT_EQ(*second->callsign, "SXD4723");
}

// ---------------------------------------------------------------------------------------------
// Malformed input

TEST(Decoder, TruncatedItemNamesOffsetRecordAndItem) {
  // CAT062, record 1: FSPEC 0x88 = I010, I105; I105 cut to 3 of 8 bytes.
  const auto bytes = FromHex("3E0009" "88" "1964" "001122");
  const auto r = DecodeBlocks(bytes, 100);
  ASSERT_GE(r.size(), 1u);
  ASSERT_FALSE(r[0].has_value());
  EXPECT_EQ(r[0].error().message(), "byte 106: CAT062 record 1, I105: 8 bytes needed, 3 left");
  // Decoding resumes at I105's first byte: 00 is an empty FSPEC, 11 22 names I070 with 0 bytes left.
  ASSERT_EQ(r.size(), 3u);
  ASSERT_TRUE(r[1].has_value());
  EXPECT_EQ(r[1]->offset, 106u);
  EXPECT_TRUE(r[1]->recovered);
  EXPECT_TRUE(r[1]->items.empty());
  ASSERT_FALSE(r[2].has_value());
  EXPECT_EQ(r[2].error().message(), "byte 109: CAT062 record 3, I070: 3 bytes needed, 0 left");
}

TEST(Decoder, ResumesAtTheFailingItemAsTheReferenceDecoder) {
  // Block 1, CAT062. Record 1: FSPEC 81 10 = I010, I380; I380 presence 40 = ID (6 bytes), but only
  // 3 bytes are left. The next record starts at I380's first byte, not at the failing subfield:
  // record 2 = FSPEC 40 (spare FRN 2) and record 3 = FSPEC 80, I010 19 65. Block 2 is not affected.
  const auto bytes = FromHex("3E000B" "8110" "1964" "40" "801965" "3E0006" "80" "1966");
  const auto r = DecodeBlocks(bytes);
  ASSERT_EQ(r.size(), 4u);
  ASSERT_FALSE(r[0].has_value());
  EXPECT_EQ(r[0].error().message(), "byte 8: CAT062 record 1, I380/ID: 6 bytes needed, 3 left");
  ASSERT_FALSE(r[1].has_value());
  EXPECT_EQ(r[1].error().message(), "byte 7: CAT062 record 2: FRN 2 is not in the CAT062 ed. 1.18 UAP");
  ASSERT_TRUE(r[2].has_value()) << r[2].status().ToString();
  EXPECT_EQ(r[2]->offset, 8u);
  EXPECT_EQ(r[2]->length, 3u);
  EXPECT_EQ(r[2]->index_in_block, 3);
  EXPECT_TRUE(r[2]->recovered);
  EXPECT_EQ(r[2]->ToJson().dump(), R"({"CAT":62,"recovered":true,"I010":{"SAC":25,"SIC":101}})");
  ASSERT_TRUE(r[3].has_value());
  EXPECT_FALSE(r[3]->recovered);
  EXPECT_EQ(r[3]->index_in_block, 1);
  EXPECT_EQ(r[3]->ToJson().dump(), R"({"CAT":62,"I010":{"SAC":25,"SIC":102}})");

  // An FSPEC running off the block ends it; every resume moves forward, so a block of spare FRNs
  // gives one error per byte and stops.
  auto fspec = DecodeBlocks(FromHex("3E0005" "8101"));
  ASSERT_EQ(fspec.size(), 1u);
  EXPECT_NE(fspec[0].error().message().find("FSPEC extends past the end"), std::string::npos);
  const auto spare = DecodeBlocks(FromHex("3E0008" "4040404040"));
  ASSERT_EQ(spare.size(), 5u);
  for (const auto& e : spare) EXPECT_FALSE(e.has_value());
  EXPECT_EQ(spare[4].error().message(), "byte 7: CAT062 record 5: FRN 2 is not in the CAT062 ed. 1.18 UAP");
}

TEST(Decoder, BadBlockDoesNotStopTheNextOne) {
  // Block 1: CAT048 whose record announces I040 but ends; block 2: a good CAT048 record (I010 only).
  const auto bytes = FromHex("300006" "90" "0102" "300006" "80" "0A0B");
  const auto r = DecodeBlocks(bytes);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[0].has_value());
  EXPECT_EQ(r[0].error().message(), "byte 6: CAT048 record 1, I040: 4 bytes needed, 0 left");
  ASSERT_TRUE(r[1].has_value());
  EXPECT_EQ(r[1]->offset, 9u);
  EXPECT_EQ(r[1]->items["I010"]["SIC"], 11);
}

TEST(Decoder, BlockLengthErrorsAndUnsupportedCategories) {
  auto r = DecodeBlocks(FromHex("300040" "80"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error().message(), "byte 0: CAT048 data block: LEN 64 but only 4 bytes left");
  r = DecodeBlocks(FromHex("300002"));
  EXPECT_NE(r[0].error().message().find("shorter than the 3-byte header"), std::string::npos);
  r = DecodeBlocks(FromHex("150005AAAA" "300006800A0B"));  // CAT021 is not decoded
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0].has_value());
  EXPECT_TRUE(r[0]->unsupported);
  EXPECT_EQ(r[0]->ToJson().dump(), R"({"CAT":21,"unsupported":true})");
  EXPECT_TRUE(r[1].has_value());
}

TEST(Decoder, UndefinedFrnAndCompoundSubfieldAreErrors) {
  // CAT062 FRN 2 is spare.
  auto r = DecodeBlocks(FromHex("3E0006" "C0" "1964"));
  EXPECT_NE(r[0].error().message().find("FRN 2 is not in the CAT062 ed. 1.18 UAP"), std::string::npos)
      << r[0].error().message();
  // CAT034 I050 subfield 2 is spare: FSPEC 0x04 = FRN 6.
  r = DecodeBlocks(FromHex("220006" "04" "4000"));
  EXPECT_NE(r[0].error().message().find("I050: subfield 2 is not defined"), std::string::npos) << r[0].error().message();
}

TEST(Decoder, ExplicitAndRepetitiveItemsAreSkippedByLength) {
  // CAT048: I010, then FSPEC octet 4 with SP (FRN 27): length 3 + 2 bytes; then a second record.
  const auto bytes = FromHex("30000F" "810101" "04" "0102" "03AABB" "80" "0304");
  const auto r = DecodeBlocks(bytes);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0].has_value()) << r[0].status().ToString();
  EXPECT_EQ(r[0]->items["SP"]["VAL"], "AABB");
  ASSERT_TRUE(r[1].has_value()) << r[1].status().ToString();
  EXPECT_EQ(r[1]->items["I010"]["SAC"], 3);
}

// ---------------------------------------------------------------------------------------------
// pcap

TEST(Pcap, ReadsTheSampleAndBothByteOrders) {
  const auto bytes = ReadData("cat_062_065.pcap");
  const auto d = ReadPcap(bytes);
  ASSERT_EQ(d.size(), 1u);
  ASSERT_TRUE(d[0].has_value());
  EXPECT_EQ(d[0]->dst_port, 10001);
  EXPECT_EQ(d[0]->payload.size(), 173u);
  EXPECT_EQ(d[0]->time_ns, 1393332227LL * 1'000'000'000 + 401501LL * 1000);
  EXPECT_EQ(d[0]->offset + d[0]->payload.size(), bytes.size());

  // The same file with every header field big-endian (IP/UDP stay network order).
  std::vector<uint8_t> be = bytes;
  auto swap = [&](size_t at) { std::reverse(be.begin() + static_cast<long>(at), be.begin() + static_cast<long>(at) + 4); };
  swap(0);
  std::swap(be[4], be[5]);
  std::swap(be[6], be[7]);
  for (size_t at : {8, 12, 16, 20}) swap(at);
  for (size_t at : {24, 28, 32, 36}) swap(at);
  const auto d2 = ReadPcap(be);
  ASSERT_EQ(d2.size(), 1u);
  ASSERT_TRUE(d2[0].has_value()) << d2[0].status().ToString();
  EXPECT_EQ(d2[0]->payload, d[0]->payload);
  EXPECT_EQ(d2[0]->time_ns, d[0]->time_ns);
}

TEST(Pcap, WriteReadRoundTripAndTruncation) {
  std::vector<UdpDatagram> in(2);
  in[0] = {.time_ns = 1'700'000'000'123'456'000, .offset = 0, .src_ip = 0x0A000001, .dst_ip = 0xE0000001,
           .src_port = 5000, .dst_port = 8600, .payload = {1, 2, 3}};
  in[1] = {.time_ns = 1'700'000'001'000'000'000, .offset = 0, .src_ip = 1, .dst_ip = 2, .src_port = 1, .dst_port = 2,
           .payload = {}};
  const auto file = WritePcap(in);
  const auto out = ReadPcap(file);
  ASSERT_EQ(out.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(out[i].has_value());
    EXPECT_EQ(out[i]->payload, in[i].payload);
    EXPECT_EQ(out[i]->time_ns, in[i].time_ns);
    EXPECT_EQ(out[i]->dst_port, in[i].dst_port);
    EXPECT_EQ(out[i]->src_ip, in[i].src_ip);
  }
  const std::vector<uint8_t> cut(file.begin(), file.end() - 2);
  const auto truncated = ReadPcap(cut);
  ASSERT_EQ(truncated.size(), 2u);
  EXPECT_TRUE(truncated[0].has_value());
  ASSERT_FALSE(truncated[1].has_value());
  EXPECT_NE(truncated[1].error().message().find("packet 2"), std::string::npos) << truncated[1].error().message();
  EXPECT_EQ(truncated[1].error().message().rfind("byte 85: ", 0), 0u) << truncated[1].error().message();
  EXPECT_EQ(ReadPcap(std::vector<uint8_t>{1, 2, 3, 4})[0].error().message(), "byte 0: not a pcap file (no libpcap magic)");
}

// ---------------------------------------------------------------------------------------------
// Conversion to the model

// Slant range and elevation of a point at height ht seen from height hr, central angle phi, on a
// sphere: computed forward (the decoder inverts it), so a bisection on phi checks the inversion.
TEST(Model, PlotToDetectionRangeBearingWithElevationFromFlightLevel) {
  const auto records = DecodeFile(ReadData("cat048.raw"));
  const auto plot = ToCat048Plot(*records[0]);
  ASSERT_TRUE(plot.has_value());
  const geo::LatLonAlt site_pos{45.0, 16.0, 300.0};
  PlotConversion config;
  config.sites.push_back({25, 201, site_pos});
  const geo::LocalFrame frame(site_pos);
  const SimTime midnight = SimTime::FromNanoseconds(1'000'000'000'000);
  const auto d = PlotToDetection(*plot, config, frame, midnight, SensorId(7), DetectionId(9));
  ASSERT_TRUE(d.has_value()) << d.status().ToString();
  EXPECT_EQ(d->measurement.kind, MeasurementKind::kRangeBearing);
  EXPECT_DOUBLE_EQ(d->measurement.z[0], *plot->slant_range_m);
  EXPECT_NEAR(d->measurement.z[1], (340.13671875 - 360.0) * std::numbers::pi / 180, 1e-12);
  EXPECT_NEAR(d->sensor_position.norm(), 0.0, 1e-6);
  EXPECT_EQ(d->time, midnight + SecondsF(27354.6015625));
  EXPECT_EQ(*d->icao24, 0x3C660Cu);
  EXPECT_EQ(*d->callsign, "DLH65A");

  const double re = 6'371'000.0, hr = 300.0, ht = 330 * 100 * 0.3048, range = *plot->slant_range_m;
  double lo = 0.0, hi = 0.2;
  for (int i = 0; i < 200; ++i) {
    const double phi = 0.5 * (lo + hi);
    const double dx = (re + ht) * std::sin(phi), dz = (re + ht) * std::cos(phi) - (re + hr);
    (std::hypot(dx, dz) < range ? lo : hi) = phi;
  }
  const double dx = (re + ht) * std::sin(lo), dz = (re + ht) * std::cos(lo) - (re + hr);
  EXPECT_NEAR(d->measurement.z[2], std::atan2(dz, dx), 1e-9);
  EXPECT_LT(d->measurement.z[2], 0.0);  // FL330 at 198 NM is below the radar's horizontal plane

  config.sites.clear();
  const auto unknown = PlotToDetection(*plot, config, frame, midnight, SensorId(7), DetectionId(9));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), StatusCode::kNotFound);
}

TEST(Model, TrackToDetectionPosition) {
  const auto records = DecodeFile(ReadData("cat062cat065.raw"));
  const auto track = ToCat062Track(*records[0]);
  ASSERT_TRUE(track.has_value());
  const geo::LocalFrame frame({44.5, 13.5, 0.0});
  const auto d = TrackToDetection(*track, {}, frame, SimTime(), SensorId(1), DetectionId(2));
  ASSERT_TRUE(d.has_value()) << d.status().ToString();
  EXPECT_EQ(d->measurement.kind, MeasurementKind::kPosition);
  const geo::LatLonAlt back = frame.ToGeodetic(d->measurement.z);
  EXPECT_NEAR(back.lat_deg, *track->lat_deg, 1e-9);
  EXPECT_NEAR(back.lon_deg, *track->lon_deg, 1e-9);
  EXPECT_NEAR(back.alt_m, 43300 * 0.3048, 1e-3);  // I130 geometric altitude
  EXPECT_DOUBLE_EQ(d->measurement.noise(0, 0), 50.0 * 50.0);

  // Without I105 the position comes from I100 and the system reference: the system plane's x, y
  // taken as azimuth and ground distance from the reference.
  Cat062Track cartesian = *track;
  cartesian.lat_deg.reset();
  cartesian.lon_deg.reset();
  EXPECT_FALSE(TrackToDetection(cartesian, {}, frame, SimTime(), SensorId(1), DetectionId(2)).has_value());
  TrackConversion config;
  config.system_reference = geo::LatLonAlt{44.5, 13.5, 0.0};
  const auto d2 = TrackToDetection(cartesian, config, frame, SimTime(), SensorId(1), DetectionId(2));
  ASSERT_TRUE(d2.has_value());
  const geo::LatLonAlt p = frame.ToGeodetic(d2->measurement.z);
  EXPECT_NEAR(geo::GeodesicDistance(*config.system_reference, {p.lat_deg, p.lon_deg, 0.0}),
              std::hypot(*track->x_m, *track->y_m), 1e-3);
  EXPECT_NEAR(geo::GeodesicAzimuthDeg(*config.system_reference, p),
              std::atan2(*track->x_m, *track->y_m) * 180 / std::numbers::pi, 1e-6);
  EXPECT_NEAR(p.alt_m, 43300 * 0.3048, 1e-3);
}

// ---------------------------------------------------------------------------------------------
// Encoder

std::vector<Track> SampleTracks(SimTime t) {
  std::vector<Track> tracks(3);
  tracks[0].id = TrackId(17);
  tracks[0].status = TrackStatus::kConfirmed;
  tracks[0].state.time = t;
  tracks[0].state.x << 12345.6, -23456.7, 3048.0, 120.3, -45.6, 2.0;
  tracks[0].icao24 = 0x484506;
  tracks[0].callsign = "KLM1234";
  tracks[0].contributing_sensors = {SensorId(1), SensorId(2)};
  tracks[1].id = TrackId(70001);  // beyond 16 bits: sent mod 65536
  tracks[1].status = TrackStatus::kTentative;
  tracks[1].state.time = t + Milliseconds(250);
  tracks[1].state.x << -800.0, 950.25, 120.0, -30.0, 25.5, 0.0;
  tracks[2].id = TrackId(3);
  tracks[2].status = TrackStatus::kCoasting;
  tracks[2].state.time = t;
  tracks[2].state.x << 60000.0, 80000.0, 500.0, -8000.0, 8000.0, 0.0;
  tracks[2].icao24 = 0xABCDEF;
  return tracks;
}

TEST(Encoder, RoundTripThroughOwnDecoder) {
  const geo::LocalFrame frame({51.95, 4.05, 0.0});
  const SimTime midnight = SimTime::FromNanoseconds(1'000'000'000);
  const SimTime t = midnight + SecondsF(45296.5);  // 12:34:56.5
  const auto tracks = SampleTracks(t);
  const auto block = EncodeCat062(tracks, frame, {.sac = 25, .sic = 100, .service_id = 4, .utc_midnight = midnight});
  ASSERT_TRUE(block.has_value()) << block.status().ToString();
  const auto records = DecodeBlocks(*block);
  ASSERT_EQ(records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(records[i].has_value()) << records[i].status().ToString();
    const auto got = ToCat062Track(*records[i]);
    ASSERT_TRUE(got.has_value());
    const Track& want = tracks[i];
    const geo::LatLonAlt lla = frame.ToGeodetic(want.state.position());
    EXPECT_EQ(got->sac, 25);
    EXPECT_EQ(got->sic, 100);
    EXPECT_EQ(records[i]->items["I015"]["SID"], 4);
    EXPECT_NEAR(*got->time_of_day_s, (want.state.time - midnight).seconds(), 0.5 / 128);
    EXPECT_NEAR(*got->lat_deg, lla.lat_deg, 0.5 * 180.0 / 33554432);
    EXPECT_NEAR(*got->lon_deg, lla.lon_deg, 0.5 * 180.0 / 33554432);
    EXPECT_NEAR(*got->x_m, want.state.x[0], 0.25);
    EXPECT_NEAR(*got->y_m, want.state.x[1], 0.25);
    EXPECT_NEAR(*got->vx_mps, want.state.x[3], 0.125);
    EXPECT_NEAR(*got->vy_mps, want.state.x[4], 0.125);
    EXPECT_NEAR(*got->geometric_altitude_m, lla.alt_m, 0.5 * 6.25 * 0.3048);
    EXPECT_EQ(*got->track_number, want.id.value() % 65536);
    EXPECT_EQ(got->tentative, want.status == TrackStatus::kTentative);
    EXPECT_EQ(got->coasting, want.status == TrackStatus::kCoasting);
    EXPECT_EQ(got->icao24, want.icao24);
    EXPECT_EQ(got->callsign, want.callsign);
    EXPECT_EQ(records[i]->items["I080"]["MON"], want.contributing_sensors.size() <= 1 ? 1 : 0);
  }
}

TEST(Encoder, OutOfRangeValuesAreErrors) {
  const geo::LocalFrame frame({51.95, 4.05, 0.0});
  auto tracks = SampleTracks(SimTime());
  tracks[1].state.x[3] = 9000.0;
  const auto block = EncodeCat062(tracks, frame, {});
  ASSERT_FALSE(block.has_value());
  EXPECT_NE(block.error().message().find("track 70001: I185 vx 9000"), std::string::npos) << block.error().message();
  EXPECT_FALSE(EncodeCat062({}, frame, {}).has_value());
  Cat062EncodeOptions bad_sac;
  bad_sac.sac = 300;
  EXPECT_FALSE(EncodeCat062(tracks, frame, bad_sac).has_value());
}

// Debian's tshark (Wireshark's ASTERIX dissector) is an independent decoder of koepel's output.
TEST(Encoder, TsharkDecodesOurCat062) {
  if (std::system("command -v tshark > /dev/null 2>&1") != 0) {
    FAIL() << "tshark is not installed (scripts/setup installs it; CI needs it for this test)";
  }
  const geo::LocalFrame frame({51.95, 4.05, 0.0});
  const SimTime midnight;
  const auto tracks = SampleTracks(midnight + SecondsF(45296.5));
  std::vector<UdpDatagram> datagrams;
  for (const Track& track : tracks) {
    const auto block = EncodeCat062(std::span(&track, 1), frame, {.sac = 25, .sic = 100, .utc_midnight = midnight});
    ASSERT_TRUE(block.has_value());
    datagrams.push_back({.time_ns = 1'700'000'000'000'000'000, .offset = 0, .src_ip = 0x7F000001,
                         .dst_ip = 0x7F000001, .src_port = 40000, .dst_port = 8600, .payload = *block});
  }
  const auto pcap = WritePcap(datagrams);
  const auto dir = std::filesystem::path(testing::TempDir()) / "koepel_asterix_tshark";
  std::filesystem::create_directories(dir);
  const auto path = dir / "cat062.pcap";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(pcap.data()), static_cast<std::streamsize>(pcap.size()));
  const std::string command =
      "tshark -r " + path.string() +
      " -d udp.port==8600,asterix -T fields -E separator=/t -E occurrence=f"
      " -e asterix.062_010_SAC -e asterix.062_010_SIC -e asterix.062_040_VALUE -e asterix.062_070_VALUE"
      " -e asterix.062_105_LAT -e asterix.062_105_LON -e asterix.062_185_VX -e asterix.062_185_VY"
      " -e asterix.062_130_VALUE -e asterix.062_380_ID_VALUE 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << output;
  std::istringstream lines(output);
  std::string line;
  size_t i = 0;
  for (; std::getline(lines, line) && i < tracks.size(); ++i) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) f.push_back(cell);
    ASSERT_GE(f.size(), 9u) << line;
    const Track& want = tracks[i];
    const geo::LatLonAlt lla = frame.ToGeodetic(want.state.position());
    EXPECT_EQ(std::stoi(f[0], nullptr, 0), 25) << line;  // tshark prints 0x19
    EXPECT_EQ(std::stoi(f[1], nullptr, 0), 100) << line;
    EXPECT_EQ(std::stol(f[2], nullptr, 0), want.id.value() % 65536) << line;
    EXPECT_NEAR(std::stod(f[3]), (want.state.time - midnight).seconds(), 0.5 / 128) << line;
    EXPECT_NEAR(std::stod(f[4]), lla.lat_deg, 180.0 / 33554432) << line;
    EXPECT_NEAR(std::stod(f[5]), lla.lon_deg, 180.0 / 33554432) << line;
    EXPECT_NEAR(std::stod(f[6]), want.state.x[3], 0.25) << line;
    EXPECT_NEAR(std::stod(f[7]), want.state.x[4], 0.25) << line;
    EXPECT_NEAR(std::stod(f[8]) * 0.3048, lla.alt_m, 6.25 * 0.3048) << line;
    if (want.callsign) {
      ASSERT_GE(f.size(), 10u) << line;
      EXPECT_EQ(f[9].substr(0, want.callsign->size()), *want.callsign) << line;
    }
  }
  EXPECT_EQ(i, tracks.size()) << output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace koepel::adapters::asterix
