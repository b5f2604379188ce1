#include "apps/koepel/recorder.h"

#include <ctime>
#include <iomanip>
#include <sstream>

#include "koepel/adapters/asterix/asterix.h"
#include "koepel/adapters/net/net.h"
#include "koepel/adapters/sapient/sapient.h"
#include "koepel/threat/threat.h"

namespace koepel::app {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

adapters::cot::CotOptions CotOptionsFor(int64_t epoch_unix_ms) {
  adapters::cot::CotOptions cot;
  cot.clock.epoch_unix_ms = epoch_unix_ms;
  return cot;
}

// FNV-1a, 64 bits, from a given basis.
uint64_t Fnv1a(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

constexpr std::string_view kKoepelNodeName = "koepel fusion node";

}  // namespace

std::string NodeUuid(std::string_view name) {
  uint64_t hi = Fnv1a(name, 0xcbf29ce484222325ULL);
  uint64_t lo = Fnv1a(name, 0x84222325cbf29ce4ULL);
  hi = (hi & ~0xF000ULL) | 0x8000ULL;                              // version 8: custom
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);              // variant 10
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32), static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF), static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return text;
}

Result<int64_t> ParseUtc(std::string_view text) {
  std::tm tm{};
  std::istringstream in{std::string(text)};
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail() || in.get() != 'Z' || in.peek() != std::char_traits<char>::eof()) {
    return InvalidArgumentError("time '" + std::string(text) + "': expected UTC as YYYY-MM-DDThh:mm:ssZ");
  }
  return static_cast<int64_t>(::timegm(&tm)) * 1000;
}

Result<std::unique_ptr<RunRecorder>> RunRecorder::Open(const std::filesystem::path& directory,
                                                       const geo::LocalFrame& frame,
                                                       std::vector<NamedRegion> regions,
                                                       const RecordOptions& options) {
  KOEPEL_ASSIGN_OR_RETURN(adapters::cot::DirectoryWriter cot, adapters::cot::DirectoryWriter::Open(directory / "cot"));
  adapters::cap::CapOptions cap_options;
  cap_options.clock_epoch_unix_ms = options.epoch_unix_ms;
  KOEPEL_ASSIGN_OR_RETURN(adapters::cap::DirectorySink cap,
                          adapters::cap::DirectorySink::Open(directory / "cap", cap_options, std::move(regions)));
  auto recorder = std::unique_ptr<RunRecorder>(new RunRecorder(directory, frame, options, std::move(cot), std::move(cap)));
  if (!recorder->asterix_) return UnavailableError(recorder->asterix_path_.string() + ": cannot create");
  if (!recorder->tasks_) return UnavailableError(recorder->tasks_path_.string() + ": cannot create");
  return recorder;
}

RunRecorder::RunRecorder(const std::filesystem::path& directory, const geo::LocalFrame& frame,
                         const RecordOptions& options, adapters::cot::DirectoryWriter cot_writer,
                         adapters::cap::DirectorySink cap)
    : frame_(frame),
      options_(options),
      cot_writer_(std::move(cot_writer)),
      cot_(frame, options.epoch_unix_ms, options.cot_period,
           [this](const adapters::cot::CotEvent& event) { return cot_writer_.Write(event).status(); }),
      cap_(std::move(cap)),
      asterix_path_(directory / "tracks-cat062.ast"),
      tasks_path_(directory / "sapient-tasks.bin") {
  asterix_.open(asterix_path_, std::ios::binary | std::ios::trunc);
  tasks_.open(tasks_path_, std::ios::binary | std::ios::trunc);
}

void RunRecorder::Fail(const Status& status) {
  if (first_error_.ok()) first_error_ = status;
}

Status RunRecorder::status() const {
  if (!first_error_.ok()) return first_error_;
  if (!cot_.status().ok()) return cot_.status();
  return cap_.status();
}

CotFeed::CotFeed(const geo::LocalFrame& frame, int64_t epoch_unix_ms, Duration period, Send send)
    : encoder_(frame, CotOptionsFor(epoch_unix_ms)), period_(period), send_(std::move(send)) {}

void CotFeed::Publish(const ports::Picture& picture) {
  adapters::cot::PictureEncoder::Output out = encoder_.Encode(picture);
  for (const Status& e : out.errors) {
    if (first_error_.ok()) first_error_ = e;
  }
  for (const adapters::cot::CotEvent& event : out.events) {
    auto [it, first] = last_.try_emplace(event.uid);
    const bool dropped = event.stale_unix_ms == event.start_unix_ms;
    const bool due = first || dropped || event.type != it->second.type ||
                     event.time_unix_ms - it->second.unix_ms >= period_.nanoseconds() / 1'000'000;
    if (!due) continue;
    it->second = {event.time_unix_ms, event.type};
    if (Status s = send_(event); !s.ok() && first_error_.ok()) first_error_ = s;
    ++sent_;
    if (dropped) last_.erase(it);
  }
}

Result<std::unique_ptr<CotFeed>> OpenCotOutput(std::string_view spec, const geo::LocalFrame& frame,
                                               int64_t epoch_unix_ms) {
  const bool udp = spec.starts_with("udp:");
  if (!udp && !spec.starts_with("tcp:")) {
    return InvalidArgumentError("--cot-out '" + std::string(spec) + "': expected udp:HOST:PORT or tcp:HOST:PORT");
  }
  KOEPEL_ASSIGN_OR_RETURN(adapters::net::Endpoint to, adapters::net::ParseEndpoint(spec.substr(4)));
  CotFeed::Send send;
  if (udp) {
    KOEPEL_ASSIGN_OR_RETURN(adapters::cot::UdpSender sender, adapters::cot::UdpSender::Open(to));
    auto shared = std::make_shared<adapters::cot::UdpSender>(std::move(sender));
    send = [shared](const adapters::cot::CotEvent& event) -> Status {
      KOEPEL_ASSIGN_OR_RETURN(std::string xml, adapters::cot::ToXml(event));
      return shared->Send(xml);
    };
  } else {
    KOEPEL_ASSIGN_OR_RETURN(adapters::cot::TcpStreamSender sender,
                            adapters::cot::TcpStreamSender::Connect(to, std::chrono::seconds(2)));
    auto shared = std::make_shared<adapters::cot::TcpStreamSender>(std::move(sender));
    send = [shared](const adapters::cot::CotEvent& event) -> Status {
      KOEPEL_ASSIGN_OR_RETURN(std::string xml, adapters::cot::ToXml(event));
      return shared->Send(xml, std::chrono::seconds(2));
    };
  }
  return std::make_unique<CotFeed>(frame, epoch_unix_ms, Seconds(5), std::move(send));
}

// A look from the nearest EO/IR sensor that reaches the track, once per track.
void RunRecorder::TaskSensors(const ports::Picture& picture) {
  if (options_.eoir_sensors.empty()) return;
  for (const Track& track : picture.tracks) {
    if (tasked_.count(track.id) > 0 || !threat::NeedsConfirmation(track)) continue;
    const TaskableSensor* nearest = nullptr;
    double best = 0.0;
    for (const TaskableSensor& s : options_.eoir_sensors) {
      const double d = (s.position - track.state.position()).norm();
      if (d <= s.max_range_m && (nearest == nullptr || d < best)) {
        nearest = &s;
        best = d;
      }
    }
    if (nearest == nullptr) continue;
    tasked_.insert(track.id);
    const int64_t unix_ms = options_.epoch_unix_ms + picture.time.nanoseconds() / 1'000'000;
    const adapters::sapient::Envelope envelope{.from_node_id = NodeUuid(kKoepelNodeName),
                                               .to_node_id = NodeUuid(nearest->name),
                                               .unix_ns = unix_ms * 1'000'000};
    const adapters::sapient::SapientMessage task = adapters::sapient::MakeLookAtTask(
        envelope, task_ids_.Next(unix_ms), frame_.ToGeodetic(track.state.position()));
    if (Status valid = adapters::sapient::Validate(task); !valid.ok()) {
      Fail(valid.WithContext("SAPIENT task for track " + track.id.ToString() + ": "));
      continue;
    }
    const std::vector<uint8_t> frame = adapters::sapient::Frame(task);
    tasks_.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
    ++sapient_tasks_;
  }
  tasks_.flush();
  if (!tasks_) Fail(UnavailableError(tasks_path_.string() + ": write failed"));
}

void RunRecorder::Publish(const ports::Picture& picture) {
  TaskSensors(picture);

  cot_.Publish(picture);

  // ASTERIX CAT062: every picture, as a tracker service would send its system tracks.
  if (picture.tracks.empty()) return;
  adapters::asterix::Cat062EncodeOptions asterix_options;
  asterix_options.sac = options_.sac;
  asterix_options.sic = options_.sic;
  asterix_options.utc_midnight = SimTime::Epoch() - Milliseconds(options_.epoch_unix_ms % kDayMs);
  Result<std::vector<uint8_t>> block = adapters::asterix::EncodeCat062(picture.tracks, frame_, asterix_options);
  if (!block) {
    Fail(block.error().WithContext(FormatSimTime(picture.time) + ": CAT062: "));
    return;
  }
  asterix_.write(reinterpret_cast<const char*>(block->data()), static_cast<std::streamsize>(block->size()));
  asterix_.flush();
  if (!asterix_) Fail(UnavailableError(asterix_path_.string() + ": write failed"));
  ++asterix_blocks_;
}

}  // namespace koepel::app
