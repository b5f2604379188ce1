// Real feeds for `koepel run --input`: a recording (a file) or a TCP source replayed as one more
// sensor beside the simulated ones. A spec is FORMAT:FILE or FORMAT+tcp:HOST:PORT, e.g.
//   beast:capture.bin   sbs:basestation.txt   beast+tcp:127.0.0.1:30005   sbs+tcp:127.0.0.1:30003
// A TCP source is read until the peer closes it or stays silent for `tcp_idle`; its times come from
// the messages (Beast MLAT counter, SBS time of day), from scenario time 0 at the first message.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/geo/geo.h"
#include "koepel/ports/ports.h"

namespace koepel::app {

struct FeedSpec {
  std::string format;    // asterix, sapient, beast, sbs
  std::string location;  // a path, or host:port when tcp
  bool tcp = false;
};
Result<FeedSpec> ParseFeedSpec(std::string_view text);
std::vector<std::string> FeedFormats();

// What a feed held. Malformed messages are skipped, counted and their first reasons kept.
struct FeedReport {
  std::string spec;
  int64_t messages = 0;
  int64_t rejected = 0;
  int64_t detections = 0;
  std::vector<std::string> first_errors;
  std::vector<std::string> notes;  // what was left out, and why (not malformed input)
};

// A decoded feed, handed out step by step.
class RecordedFeed final : public ports::DetectionSource {
 public:
  explicit RecordedFeed(std::vector<Detection> detections);
  std::vector<Detection> Take(SimTime until) override;

 private:
  std::vector<Detection> detections_;  // in time order
  size_t next_ = 0;
};

Result<std::unique_ptr<RecordedFeed>> OpenFeed(const FeedSpec& spec, const geo::LocalFrame& frame, SensorId sensor,
                                               FeedReport& report,
                                               std::chrono::milliseconds tcp_idle = std::chrono::seconds(3));

}  // namespace koepel::app
