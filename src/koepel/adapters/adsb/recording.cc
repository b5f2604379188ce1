// Whole ADS-B recordings turned into timed detections: the replay path of `koepel run --input`.
#include <algorithm>
#include <string>

#include "koepel/adapters/adsb/adsb.h"

namespace koepel::adapters::adsb {
namespace {

constexpr int64_t kBeastTicksPerMicrosecond = 12;  // the 12 MHz MLAT counter
constexpr int64_t kDayMs = 24 * 3600 * 1000;

}  // namespace

void FeedReport::Reject(const Status& error) {
  ++rejected;
  if (first_errors.size() < kMaxReportedErrors) first_errors.push_back(error.message());
}

std::vector<Detection> BeastRecordingToDetections(std::span<const uint8_t> bytes, const geo::LocalFrame& frame,
                                                  SensorId sensor, FeedReport& report, AircraftTableConfig config) {
  AircraftTable table(config);
  std::vector<Detection> detections;
  BeastDecoder decoder;
  std::vector<Result<BeastFrame>> frames = decoder.Feed(bytes);
  for (Result<BeastFrame>& f : decoder.Finish()) frames.push_back(std::move(f));

  // Time = ticks since a base; frames arrive with a little jitter in their stamps, so small steps
  // back are clamped, and only a jump back of over a second (a receiver restart) moves the base.
  constexpr uint64_t kRestartTicks = 12'000'000;
  std::optional<uint64_t> base_tick;
  uint64_t latest_tick = 0;
  SimTime base_time = SimTime::Epoch();
  SimTime now = SimTime::Epoch();
  for (const Result<BeastFrame>& f : frames) {
    if (!f) {
      report.Reject(f.error());
      continue;
    }
    if (f->type == BeastFrameType::kStatus || f->type == BeastFrameType::kModeAC) continue;
    if (!base_tick || f->timestamp + kRestartTicks < latest_tick) {
      base_tick = f->timestamp;
      base_time = now;
      latest_tick = f->timestamp;
    }
    latest_tick = std::max(latest_tick, f->timestamp);
    if (f->timestamp > *base_tick) {
      const SimTime stamped =
          base_time + Nanoseconds(static_cast<int64_t>(f->timestamp - *base_tick) * 1000 / kBeastTicksPerMicrosecond);
      if (stamped > now) now = stamped;
    }
    Result<ModeSMessage> m = DecodeModeS(f->payload);
    if (!m) {
      report.Reject(m.error().WithContext("byte " + std::to_string(f->offset) + ": "));
      continue;
    }
    ++report.messages;
    if (table.Update(*m, now)) {
      if (auto d = table.ToDetection(m->icao, frame, sensor, DetectionId(0))) detections.push_back(std::move(*d));
    }
  }
  return detections;
}

std::vector<Detection> SbsRecordingToDetections(std::string_view text, const geo::LocalFrame& frame,
                                                SensorId sensor, FeedReport& report, AircraftTableConfig config) {
  AircraftTable table(config);
  std::vector<Detection> detections;
  std::optional<int64_t> first_ms;
  int64_t day_offset_ms = 0;  // the recording may run past midnight
  int64_t previous_ms = 0;
  int line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    Result<std::optional<SbsMessage>> m = ParseSbsLine(line, line_number);
    if (!m) {
      report.Reject(m.error());
      continue;
    }
    if (!m->has_value()) continue;
    const SbsMessage& message = **m;
    ++report.messages;
    if (!message.time_of_day_ms) continue;
    int64_t ms = *message.time_of_day_ms + day_offset_ms;
    if (first_ms && ms < previous_ms - kDayMs / 2) {  // wrapped past midnight
      day_offset_ms += kDayMs;
      ms += kDayMs;
    }
    if (!first_ms) first_ms = ms;
    previous_ms = ms;
    const SimTime time = SimTime::Epoch() + Milliseconds(ms - *first_ms);
    if (table.Update(message, time)) {
      if (auto d = table.ToDetection(message.icao, frame, sensor, DetectionId(0))) detections.push_back(std::move(*d));
    }
  }
  return detections;
}

}  // namespace koepel::adapters::adsb
