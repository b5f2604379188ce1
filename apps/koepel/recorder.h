// `koepel run --record DIR`: what a run sent out, as the real interfaces would carry it.
//   DIR/cot/               one Cursor-on-Target event per file: each track at most every `cot_period`,
//                          at once when its affiliation or class changes, and a drop event when it ends
//   DIR/cap/               one CAP 1.2 message per file (alert, update, cancel), status Exercise
//   DIR/tracks-cat062.ast  raw ASTERIX CAT062 data blocks, one per picture, back to back
//   DIR/sapient-tasks.bin  SAPIENT look-at tasks (length-prefixed frames) to the nearest EO/IR sensor for
//                          every track that needs confirmation (threat::NeedsConfirmation), once per track
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "koepel/adapters/cap/cap.h"
#include "koepel/adapters/cot/cot.h"
#include "koepel/adapters/sapient/sapient.h"
#include "koepel/geo/geo.h"
#include "koepel/ports/ports.h"

namespace koepel::app {

// A sensor koepel can task through SAPIENT.
struct TaskableSensor {
  std::string name;
  Vec3 position = Vec3::Zero();  // local frame
  double max_range_m = 0.0;
};

struct RecordOptions {
  int64_t epoch_unix_ms = 0;     // SimTime 0 as UTC
  Duration cot_period = Seconds(5);
  int sac = 25;                  // ASTERIX source of koepel's system tracks (notional)
  int sic = 100;
  std::vector<TaskableSensor> eoir_sensors;
};

// A stable UUID (RFC 9562 version 8) for a named sensor: SAPIENT addresses nodes by UUID.
std::string NodeUuid(std::string_view name);

// Parses "2026-06-01T12:00:00Z" into milliseconds since 1970.
Result<int64_t> ParseUtc(std::string_view text);

// Cursor on Target from the pictures: TAK clients need a track refreshed before it goes stale, not
// every scan, so each track goes out at most every `period`, at once when its type (affiliation or
// class) changes, and a drop event when it ends. `send` delivers an event (a file, a UDP datagram,
// a TAK server stream); its first error is kept in status().
class CotFeed final : public ports::Bus {
 public:
  using Send = std::function<Status(const adapters::cot::CotEvent&)>;
  CotFeed(const geo::LocalFrame& frame, int64_t epoch_unix_ms, Duration period, Send send);
  void Publish(const ports::Picture& picture) override;
  const Status& status() const { return first_error_; }
  int64_t sent() const { return sent_; }

 private:
  adapters::cot::PictureEncoder encoder_;
  Duration period_;
  Send send_;
  struct LastSent {
    int64_t unix_ms = 0;
    std::string type;
  };
  std::map<std::string, LastSent> last_;  // by uid
  Status first_error_;
  int64_t sent_ = 0;
};

// Opens a live CoT output, "udp:HOST:PORT" (one event a datagram) or "tcp:HOST:PORT" (a TAK server's
// streaming input), as a CotFeed.
Result<std::unique_ptr<CotFeed>> OpenCotOutput(std::string_view spec, const geo::LocalFrame& frame,
                                               int64_t epoch_unix_ms);

// Publishes each picture to several buses.
class FanOutBus final : public ports::Bus {
 public:
  void Add(ports::Bus* bus) { buses_.push_back(bus); }
  bool empty() const { return buses_.empty(); }
  void Publish(const ports::Picture& picture) override {
    for (ports::Bus* bus : buses_) bus->Publish(picture);
  }

 private:
  std::vector<ports::Bus*> buses_;
};

class RunRecorder final : public ports::Bus {
 public:
  static Result<std::unique_ptr<RunRecorder>> Open(const std::filesystem::path& directory,
                                                   const geo::LocalFrame& frame, std::vector<NamedRegion> regions,
                                                   const RecordOptions& options);
  RunRecorder(const RunRecorder&) = delete;  // its CoT feed writes through `this`
  RunRecorder& operator=(const RunRecorder&) = delete;
  void Publish(const ports::Picture& picture) override;
  ports::WarningSink& warnings() { return cap_; }

  // The first error met while writing (later output is still attempted), and what was written.
  Status status() const;
  int64_t cot_files() const { return cot_.sent(); }
  int64_t cap_files() const { return static_cast<int64_t>(cap_.files().size()); }
  int64_t asterix_blocks() const { return asterix_blocks_; }
  int64_t sapient_tasks() const { return sapient_tasks_; }

 private:
  RunRecorder(const std::filesystem::path& directory, const geo::LocalFrame& frame, const RecordOptions& options,
              adapters::cot::DirectoryWriter cot_writer, adapters::cap::DirectorySink cap);
  void Fail(const Status& status);
  void TaskSensors(const ports::Picture& picture);

  geo::LocalFrame frame_;
  RecordOptions options_;
  adapters::cot::DirectoryWriter cot_writer_;
  CotFeed cot_;
  adapters::cap::DirectorySink cap_;
  std::ofstream asterix_;
  std::filesystem::path asterix_path_;
  int64_t asterix_blocks_ = 0;
  std::ofstream tasks_;
  std::filesystem::path tasks_path_;
  std::set<TrackId> tasked_;
  adapters::sapient::UlidGenerator task_ids_;
  int64_t sapient_tasks_ = 0;
  Status first_error_;
};

}  // namespace koepel::app
