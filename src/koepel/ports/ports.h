// koepel/ports/ports.h
//
// The interfaces the engine talks through. Adapters implement them (an in-process bus, SQLite
// event store, CAP emitter, effector links); the simulator implements them with fakes of the
// world. Nothing here does I/O itself.
//
//   EventStore    append-only audit trail of every decision, replayable
//   Bus           publishes the picture (tracks, threats, proposals, orders, warnings)
//   WarningSink   receives civil-warning decisions (a CAP emitter, a siren system)
//   EffectorLink  carries released orders to the effectors (or to the simulator)
//   ApprovalDesk  where proposals meet a human: returns the operator's decisions
//   Clock         the time source of live operation (stages never read the wall clock)
#pragma once

#include <span>
#include <string>
#include <vector>

#include "koepel/model/model.h"

namespace koepel::ports {

// One audit record. `stage` and `kind` are stable identifiers ("approve", "engagement_released");
// `detail` is a human-readable reason.
struct Event {
  SimTime time;
  std::string stage;
  std::string kind;
  std::string subject;  // "track 12", "engagement 4", "warning VR17"
  std::string detail;
  friend bool operator==(const Event&, const Event&) = default;
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  virtual void Append(const Event& event) = 0;
};

// The air picture and the decisions, published after every engine step.
struct Picture {
  SimTime time;
  std::vector<Track> tracks;       // confirmed and coasting tracks
  std::vector<Threat> threats;     // ranked
  std::vector<Engagement> engagements;  // proposals and orders changed this step
  std::vector<Warning> warnings;        // warnings issued this step
};

class Bus {
 public:
  virtual ~Bus() = default;
  virtual void Publish(const Picture& picture) = 0;
};

// A feed that is not simulated (an ASTERIX or ADS-B recording, a SAPIENT node): the detections that
// arrived up to `until`, each once, in time order. Ids are the caller's to assign.
class DetectionSource {
 public:
  virtual ~DetectionSource() = default;
  virtual std::vector<Detection> Take(SimTime until) = 0;
};

class WarningSink {
 public:
  virtual ~WarningSink() = default;
  virtual void Emit(const Warning& warning) = 0;
};

class EffectorLink {
 public:
  virtual ~EffectorLink() = default;
  // A released engagement: fire. The outcome comes back through EngagementOutcome on a later step.
  virtual void Order(const Engagement& engagement) = 0;
};

class ApprovalDesk {
 public:
  virtual ~ApprovalDesk() = default;
  // Shows the open proposals (with their explanations) beside the current air picture and returns
  // the decisions made since the last call. Proposals not decided stay open until their window closes.
  virtual std::vector<OperatorDecision> Review(SimTime now, const std::vector<Engagement>& open_proposals,
                                               std::span<const Track> tracks) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SimTime Now() const = 0;
};

// A store that keeps events in memory: the default for simulation and tests.
class MemoryEventStore final : public EventStore {
 public:
  void Append(const Event& event) override { events_.push_back(event); }
  const std::vector<Event>& events() const { return events_; }

 private:
  std::vector<Event> events_;
};

}  // namespace koepel::ports
