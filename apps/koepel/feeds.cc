#include "apps/koepel/feeds.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "koepel/adapters/adsb/adsb.h"
#include "koepel/adapters/net/net.h"

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

}  // namespace

std::vector<std::string> FeedFormats() { return {"beast", "sbs"}; }

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
  if (!bytes) return bytes.error().WithContext("--input " + spec.format);
  std::vector<Detection> detections;
  adapters::adsb::FeedReport adsb_report;
  if (spec.format == "beast") {
    detections = adapters::adsb::BeastRecordingToDetections(*bytes, frame, sensor, adsb_report);
  } else {
    const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    detections = adapters::adsb::SbsRecordingToDetections(text, frame, sensor, adsb_report);
  }
  CopyReport(adsb_report, report);
  report.detections = static_cast<int64_t>(detections.size());
  return std::make_unique<RecordedFeed>(std::move(detections));
}

}  // namespace koepel::app
