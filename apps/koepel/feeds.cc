#include "apps/koepel/feeds.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "koepel/adapters/adsb/adsb.h"
#include "koepel/adapters/asterix/asterix.h"
#include "koepel/adapters/net/net.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::app {
namespace {

Result<std::vector<uint8_t>> ReadAllFromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Reads a TCP source until it closes or stays silent for `idle`.
Result<std::vector<uint8_t>> ReadAllFromTcp(const std::string& location, std::chrono::milliseconds idle) {
  KOEPEL_ASSIGN_OR_RETURN(adapters::net::Endpoint endpoint, adapters::net::ParseEndpoint(location));
  KOEPEL_ASSIGN_OR_RETURN(adapters::net::TcpStream stream, adapters::net::TcpStream::Connect(endpoint, idle));
  std::vector<uint8_t> bytes;
  for (;;) {
    KOEPEL_ASSIGN_OR_RETURN(std::vector<uint8_t> chunk, stream.Receive(idle));
    if (chunk.empty()) break;  // closed, or silent for `idle`
    bytes.insert(bytes.end(), chunk.begin(), chunk.end());
  }
  return bytes;
}

template <typename AdapterReport>
void CopyReport(const AdapterReport& from, FeedReport& to) {
  to.messages = from.messages;
  to.rejected = from.rejected;
  to.first_errors = from.first_errors;
}

void Reject(FeedReport& report, const std::string& why) {
  ++report.rejected;
  if (report.first_errors.size() < 20) report.first_errors.push_back(why);
}

// ASTERIX: CAT062 system tracks (WGS-84) and CAT048 plots from radars whose position a CAT034 service
// message in the same recording gives (I120). Times run from the first record's time of day.
std::vector<Detection> AsterixToDetections(std::span<const uint8_t> bytes, const geo::LocalFrame& frame,
                                           SensorId sensor, FeedReport& report) {
  namespace asterix = adapters::asterix;
  std::vector<asterix::Record> records;
  asterix::PlotConversion plots;
  for (Result<asterix::Record>& r : asterix::DecodeFile(bytes)) {
    if (!r) {
      Reject(report, r.error().message());
      continue;
    }
    if (r->unsupported || r->items.empty()) continue;
    ++report.messages;
    if (r->category == 34 && r->items.contains("I120") && r->items.contains("I010")) {
      const auto& p = r->items["I120"];
      const auto& source = r->items["I010"];
      plots.sites.push_back({source.value("SAC", 0), source.value("SIC", 0),
                             geo::LatLonAlt{p.value("LAT", 0.0), p.value("Lon", 0.0), p.value("Height", 0.0)}});
    }
    records.push_back(std::move(*r));
  }
  std::optional<double> first_tod;
  std::vector<Detection> detections;
  int64_t plots_without_site = 0;
  for (const asterix::Record& r : records) {
    std::optional<Result<Detection>> d;
    if (r.category == 48) {
      Result<asterix::Cat048Plot> plot = asterix::ToCat048Plot(r);
      if (!plot || !plot->time_of_day_s) continue;
      if (!first_tod) first_tod = plot->time_of_day_s;
      const SimTime midnight = SimTime::Epoch() - SecondsF(*first_tod);
      d = asterix::PlotToDetection(*plot, plots, frame, midnight, sensor, DetectionId(0));
      if (!*d && d->error().code() == StatusCode::kNotFound) {
        ++plots_without_site;
        continue;
      }
    } else if (r.category == 62) {
      Result<asterix::Cat062Track> track = asterix::ToCat062Track(r);
      if (!track || !track->time_of_day_s) continue;
      if (!first_tod) first_tod = track->time_of_day_s;
      const SimTime midnight = SimTime::Epoch() - SecondsF(*first_tod);
      d = asterix::TrackToDetection(*track, {}, frame, midnight, sensor, DetectionId(0));
    }
    if (!d) continue;
    if (!*d) {
      Reject(report, "byte " + std::to_string(r.offset) + ": " + d->error().message());
      continue;
    }
    if ((*d)->time < SimTime::Epoch()) continue;  // before the first record: a wrap at midnight is not handled
    detections.push_back(std::move(**d));
  }
  if (plots_without_site > 0) {
    report.notes.push_back(std::to_string(plots_without_site) +
                           " CAT048 plots skipped: no CAT034 position (I120) for their radar in the recording");
  }
  return detections;
}

// SAPIENT: a recorded framed stream (as on the TCP link): registrations, status and detection reports,
// validated as the fusion node validates them. A recording may start after a node registered, so
// reports of unregistered nodes are accepted here. Times run from the first status or detection
// report (a registration may be days older).
std::vector<Detection> SapientToDetections(std::span<const uint8_t> bytes, const geo::LocalFrame& frame,
                                           FeedReport& report) {
  namespace sapient = adapters::sapient;
  sapient::FrameReader reader;
  std::vector<Result<sapient::FramedMessage>> frames = reader.Feed(bytes);
  for (auto& f : reader.Finish()) frames.push_back(std::move(f));
  std::optional<sapient::NodeTable> nodes;
  std::vector<Detection> detections;
  for (const Result<sapient::FramedMessage>& f : frames) {
    if (!f) {
      Reject(report, f.error().message());
      continue;
    }
    const std::string where = "byte " + std::to_string(f->offset) + ": ";
    if (Status valid = sapient::Validate(f->message); !valid.ok()) {
      Reject(report, where + valid.message());
      continue;
    }
    ++report.messages;
    if (!nodes && (f->message.has_status_report() || f->message.has_detection_report())) {
      sapient::ConversionConfig config;
      config.require_registration = false;
      config.frame_origin = frame.origin();
      config.epoch_unix_ns = f->message.timestamp().seconds() * 1'000'000'000 + f->message.timestamp().nanos();
      config.first_sensor_id = 2000;
      nodes.emplace(config);
    }
    if (!nodes) continue;
    if (f->message.has_registration()) {
      nodes->Register(f->message, "koepel", 0);
    } else if (f->message.has_status_report()) {
      if (Result<sapient::NodeState> s = nodes->ApplyStatus(f->message); !s) Reject(report, where + s.error().message());
    } else if (f->message.has_detection_report()) {
      Result<sapient::SapientDetection> d = nodes->ToDetection(f->message);
      if (!d) {
        Reject(report, where + d.error().message());
        continue;
      }
      if (d->detection.time >= SimTime::Epoch()) detections.push_back(std::move(d->detection));
    }
  }
  return detections;
}

}  // namespace

std::vector<std::string> FeedFormats() { return {"asterix", "sapient", "beast", "sbs"}; }

Result<FeedSpec> ParseFeedSpec(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    return InvalidArgumentError("--input '" + std::string(text) + "': expected FORMAT:FILE or FORMAT+tcp:HOST:PORT");
  }
  FeedSpec spec;
  spec.format = std::string(text.substr(0, colon));
  spec.location = std::string(text.substr(colon + 1));
  if (spec.format.size() > 4 && spec.format.ends_with("+tcp")) {
    spec.format.resize(spec.format.size() - 4);
    spec.tcp = true;
  }
  const std::vector<std::string> formats = FeedFormats();
  if (std::find(formats.begin(), formats.end(), spec.format) == formats.end()) {
    std::string known;
    for (const std::string& f : formats) known += (known.empty() ? "" : ", ") + f;
    return InvalidArgumentError("--input '" + std::string(text) + "': unknown format '" + spec.format +
                                "'; formats are " + known);
  }
  return spec;
}

RecordedFeed::RecordedFeed(std::vector<Detection> detections) : detections_(std::move(detections)) {
  std::stable_sort(detections_.begin(), detections_.end(),
                   [](const Detection& a, const Detection& b) { return a.time < b.time; });
}

std::vector<Detection> RecordedFeed::Take(SimTime until) {
  std::vector<Detection> out;
  while (next_ < detections_.size() && detections_[next_].time <= until) out.push_back(detections_[next_++]);
  return out;
}

Result<std::unique_ptr<RecordedFeed>> OpenFeed(const FeedSpec& spec, const geo::LocalFrame& frame, SensorId sensor,
                                               FeedReport& report, std::chrono::milliseconds tcp_idle) {
  Result<std::vector<uint8_t>> bytes =
      spec.tcp ? ReadAllFromTcp(spec.location, tcp_idle) : ReadAllFromFile(spec.location);
  if (!bytes) return bytes.error().WithContext("--input " + spec.format + ": ");
  std::vector<Detection> detections;
  adapters::adsb::FeedReport adsb_report;
  if (spec.format == "beast") {
    detections = adapters::adsb::BeastRecordingToDetections(*bytes, frame, sensor, adsb_report);
    CopyReport(adsb_report, report);
  } else if (spec.format == "sbs") {
    const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    detections = adapters::adsb::SbsRecordingToDetections(text, frame, sensor, adsb_report);
    CopyReport(adsb_report, report);
  } else if (spec.format == "asterix") {
    detections = AsterixToDetections(*bytes, frame, sensor, report);
  } else {
    detections = SapientToDetections(*bytes, frame, report);
  }
  report.detections = static_cast<int64_t>(detections.size());
  return std::make_unique<RecordedFeed>(std::move(detections));
}

}  // namespace koepel::app
