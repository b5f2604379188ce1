// koepel decode --format asterix|sapient|sapient-json|sbs|beast FILE
// Prints what a recording holds, one JSON object per message or record (with its byte offset or line),
// and one {"error": ...} object for each malformed or invalid one; exits 2 if any was. For operators
// who must see what a feed really sends.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "apps/koepel/commands.h"
#include "koepel/adapters/adsb/adsb.h"
#include "koepel/adapters/asterix/asterix.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::app {
namespace {

namespace adsb = adapters::adsb;
using nlohmann::ordered_json;

// Counts and prints, one JSON object per line.
class Printer {
 public:
  void Record(const ordered_json& j) {
    std::puts(j.dump().c_str());
    ++records_;
  }
  void Error(const std::string& where_and_why) {
    std::puts(ordered_json{{"error", where_and_why}}.dump().c_str());
    ++errors_;
  }
  int Finish(const std::string& file) const {
    std::fprintf(stderr, "koepel decode: %s: %lld records, %lld malformed or invalid\n", file.c_str(),
                 static_cast<long long>(records_), static_cast<long long>(errors_));
    return errors_ == 0 ? kExitOk : kExitBadInput;
  }

 private:
  int64_t records_ = 0;
  int64_t errors_ = 0;
};

std::string Hex(uint32_t value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "%0*x", digits, value);
  return text;
}

template <typename T>
void PutIf(ordered_json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

ordered_json ModeSToJson(const adsb::ModeSMessage& m) {
  ordered_json j;
  j["df"] = m.df;
  j["icao"] = Hex(m.icao, 6);
  if (m.type_code != 0) j["type_code"] = m.type_code;
  PutIf(j, "altitude_ft", m.altitude_ft);
  PutIf(j, "squawk", m.squawk);
  if (const auto* id = std::get_if<adsb::Identification>(&m.content)) {
    j["category"] = id->category;
    j["callsign"] = id->callsign;
  } else if (const auto* p = std::get_if<adsb::AirbornePosition>(&m.content)) {
    PutIf(j, "altitude_ft", p->altitude_ft);
    if (p->gnss_altitude) j["gnss_altitude"] = true;
    j["cpr_format"] = p->cpr.odd ? "odd" : "even";
    j["cpr_lat"] = p->cpr.lat_cpr;
    j["cpr_lon"] = p->cpr.lon_cpr;
    PutIf(j, "containment_radius_m", p->containment_radius_m);
  } else if (const auto* v = std::get_if<adsb::AirborneVelocity>(&m.content)) {
    j["velocity_subtype"] = v->subtype;
    PutIf(j, "ground_speed_kt", v->ground_speed_kt);
    PutIf(j, "track_deg", v->track_deg);
    PutIf(j, "airspeed_kt", v->airspeed_kt);
    PutIf(j, "heading_deg", v->heading_deg);
    PutIf(j, "vertical_rate_fpm", v->vertical_rate_fpm);
  }
  return j;
}

void DecodeBeast(const std::vector<uint8_t>& bytes, Printer& out) {
  adsb::BeastDecoder decoder;
  std::vector<Result<adsb::BeastFrame>> frames = decoder.Feed(bytes);
  for (auto& f : decoder.Finish()) frames.push_back(std::move(f));
  for (const Result<adsb::BeastFrame>& f : frames) {
    if (!f) {
      out.Error(f.error().message());
      continue;
    }
    ordered_json j;
    j["offset"] = f->offset;
    j["mlat_ticks"] = f->timestamp;
    j["signal"] = f->signal;
    if (f->type == adsb::BeastFrameType::kModeAC || f->type == adsb::BeastFrameType::kStatus) {
      j["frame"] = f->type == adsb::BeastFrameType::kModeAC ? "mode_ac" : "status";
      out.Record(j);
      continue;
    }
    Result<adsb::ModeSMessage> m = adsb::DecodeModeS(f->payload);
    if (!m) {
      out.Error("byte " + std::to_string(f->offset) + ": " + m.error().message());
      continue;
    }
    j["frame"] = "mode_s";
    j.update(ModeSToJson(*m));
    out.Record(j);
  }
}

// Calls visit(line, number) for each line of `text` (numbers from 1).
template <typename Visit>
void ForEachLine(std::string_view text, Visit visit) {
  int line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    visit(text.substr(0, end), ++line_number);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
}

void DecodeSbs(const std::string& text, Printer& out) {
  ForEachLine(text, [&](std::string_view line, int line_number) {
    Result<std::optional<adsb::SbsMessage>> r = adsb::ParseSbsLine(line, line_number);
    if (!r) {
      out.Error(r.error().message());
      return;
    }
    if (!r->has_value()) return;
    const adsb::SbsMessage& m = **r;
    ordered_json j;
    j["line"] = line_number;
    j["transmission_type"] = m.transmission_type;
    j["icao"] = Hex(m.icao, 6);
    j["time"] = m.time_generated;
    PutIf(j, "callsign", m.callsign);
    PutIf(j, "altitude_ft", m.altitude_ft);
    PutIf(j, "ground_speed_kt", m.ground_speed_kt);
    PutIf(j, "track_deg", m.track_deg);
    PutIf(j, "lat", m.lat_deg);
    PutIf(j, "lon", m.lon_deg);
    PutIf(j, "vertical_rate_fpm", m.vertical_rate_fpm);
    PutIf(j, "squawk", m.squawk);
    PutIf(j, "on_ground", m.on_ground);
    out.Record(j);
  });
}

void DecodeAsterix(const std::vector<uint8_t>& bytes, Printer& out) {
  for (const Result<adapters::asterix::Record>& r : adapters::asterix::DecodeFile(bytes)) {
    if (!r) {
      out.Error(r.error().message());
      continue;
    }
    // An empty FSPEC is no record (the reference decoder prints none).
    if (!r->unsupported && r->items.empty()) continue;
    ordered_json j;
    j["offset"] = r->offset;
    j.update(r->ToJson());
    out.Record(j);
  }
}

// One SAPIENT message: its JSON form, or why it breaks the standard's rules.
void PrintSapient(const adapters::sapient::SapientMessage& message, const std::string& where, ordered_json j,
                  Printer& out) {
  if (Status valid = adapters::sapient::Validate(message); !valid.ok()) {
    out.Error(where + ": invalid: " + valid.message());
    return;
  }
  j["message"] = ordered_json::parse(adapters::sapient::ToJson(message));
  out.Record(j);
}

// Length-prefixed binary frames, as on the TCP link.
void DecodeSapientStream(const std::vector<uint8_t>& bytes, Printer& out) {
  adapters::sapient::FrameReader reader;
  std::vector<Result<adapters::sapient::FramedMessage>> frames = reader.Feed(bytes);
  for (auto& f : reader.Finish()) frames.push_back(std::move(f));
  for (const auto& f : frames) {
    if (!f) {
      out.Error(f.error().message());
      continue;
    }
    PrintSapient(f->message, "byte " + std::to_string(f->offset), {{"offset", f->offset}}, out);
  }
}

// Protobuf JSON: one message per file (the form of the standard's samples), or JSON Lines (one message
// a line) when the first line is a whole JSON object by itself.
void DecodeSapientJson(const std::string& text, Printer& out) {
  const size_t first_line_end = text.find('\n');
  const std::string first_line = text.substr(0, first_line_end);
  const bool json_lines = first_line_end != std::string::npos && ordered_json::accept(first_line);
  if (!json_lines) {
    Result<adapters::sapient::SapientMessage> m = adapters::sapient::ParseAndValidateJson(text);
    if (!m) {
      out.Error("message 1: " + m.error().message());
      return;
    }
    PrintSapient(*m, "message 1", {{"message_index", 1}}, out);
    return;
  }
  ForEachLine(text, [&](std::string_view line, int line_number) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    Result<adapters::sapient::SapientMessage> m = adapters::sapient::ParseAndValidateJson(line);
    if (!m) {
      out.Error("line " + std::to_string(line_number) + ": " + m.error().message());
      return;
    }
    PrintSapient(*m, "line " + std::to_string(line_number), {{"line", line_number}}, out);
  });
}

struct DecodeArgs {
  std::string format;
  std::string file;
};

int Decode(const DecodeArgs& args) {
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "koepel decode: %s: cannot open\n", args.file.c_str());
    return kExitBadInput;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Printer out;
  if (args.format == "beast") {
    DecodeBeast(bytes, out);
  } else if (args.format == "sbs") {
    DecodeSbs(std::string(bytes.begin(), bytes.end()), out);
  } else if (args.format == "asterix") {
    DecodeAsterix(bytes, out);
  } else if (args.format == "sapient") {
    DecodeSapientStream(bytes, out);
  } else {
    DecodeSapientJson(std::string(bytes.begin(), bytes.end()), out);
  }
  return out.Finish(args.file);
}

}  // namespace

void AddDecodeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DecodeArgs>();
  CLI::App* decode = app.add_subcommand(
      "decode", "Print what a recording holds, one JSON object per message; name each malformed one (exit 2 if any)");
  decode->add_option("--format", args->format,
                     "asterix (raw blocks or pcap), sapient (length-prefixed protobuf frames), sapient-json "
                     "(protobuf JSON), sbs (BaseStation text), beast (binary)")
      ->required()
      ->check(CLI::IsMember({"asterix", "sapient", "sapient-json", "sbs", "beast"}));
  decode->add_option("file", args->file, "The recording")->required();
  decode->callback([args, &exit_code] { exit_code = Decode(*args); });
}

}  // namespace koepel::app
