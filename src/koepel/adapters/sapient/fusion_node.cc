// FusionNode: koepel as the SAPIENT fusion node (DMM) that nodes connect to over TCP. One thread,
// the caller's: Poll() waits on all sockets at once and handles whatever arrived.
#include <algorithm>
#include <chrono>

#include "koepel/adapters/sapient/internal.h"
#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

constexpr net::Milliseconds kSendTimeout{1000};
constexpr int kMaxReadsPerPoll = 16;  // per connection, so one chatty node cannot starve the others

int64_t NowUnixNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// FrameReader errors start "byte N: ".
uint64_t OffsetOf(const Status& s) {
  const std::string& text = s.message();
  if (text.rfind("byte ", 0) != 0) return 0;
  uint64_t value = 0;
  for (size_t i = 5; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  return value;
}

}  // namespace

std::string Rejection::ToString() const {
  return "node " + (node_id.empty() ? std::string("?") : node_id) + " (" + peer + ") byte " +
         std::to_string(offset) + ": " + reason;
}

FusionNode::FusionNode(Config config, net::TcpListener listener)
    : config_(std::move(config)),
      listener_(std::move(listener)),
      nodes_(config_.conversion),
      task_ids_(config_.task_id_seed) {}

Result<FusionNode> FusionNode::Start(Config config) {
  if (!IsUuid(config.node_id)) {
    return InvalidArgumentError("FusionNode config node_id: not a UUID: \"" + config.node_id + "\"");
  }
  KOEPEL_ASSIGN_OR_RETURN(net::TcpListener listener, net::TcpListener::Listen(config.listen));
  return FusionNode(std::move(config), std::move(listener));
}

Result<PollResult> FusionNode::Poll(std::chrono::milliseconds timeout) {
  PollResult out;
  std::vector<int> fds{listener_.fd()};
  for (const Connection& c : connections_) fds.push_back(c.stream.fd());
  KOEPEL_ASSIGN_OR_RETURN(std::vector<int> readable, net::WaitReadable(fds, timeout));
  auto is_readable = [&](int fd) { return std::find(readable.begin(), readable.end(), fd) != readable.end(); };

  for (size_t i = 0; i < connections_.size();) {
    Connection& c = connections_[i];
    bool gone = false;
    if (is_readable(c.stream.fd())) {
      for (int reads = 0; reads < kMaxReadsPerPoll; ++reads) {
        Result<std::vector<uint8_t>> bytes = c.stream.Receive(net::Milliseconds(0), 65536);
        if (!bytes.has_value()) {
          Reject(c, "", c.reader.bytes_seen(), "connection failed: " + bytes.error().message(), out);
          gone = true;
          break;
        }
        for (auto& framed : c.reader.Feed(*bytes)) Handle(c, std::move(framed), out);
        if (c.stream.closed()) {
          gone = true;
          break;
        }
        if (bytes->empty()) break;
      }
    }
    if (gone) {
      for (auto& framed : c.reader.Finish()) Handle(c, std::move(framed), out);
      out.disconnected.push_back(c.stream.peer().ToString());
      connections_.erase(connections_.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    ++i;
  }

  if (is_readable(listener_.fd())) {
    for (;;) {
      KOEPEL_ASSIGN_OR_RETURN(std::optional<net::TcpStream> accepted, listener_.Accept(net::Milliseconds(0)));
      if (!accepted) break;
      connections_.push_back(Connection{std::move(*accepted), FrameReader(config_.max_message_bytes), {}});
    }
  }
  return out;
}

void FusionNode::Reject(const Connection& connection, std::string node_id, uint64_t offset, std::string reason,
                        PollResult& out) {
  ++rejected_count_;
  out.rejected.push_back({std::move(node_id), connection.stream.peer().ToString(), offset, std::move(reason)});
}

void FusionNode::Handle(Connection& c, Result<FramedMessage> framed, PollResult& out) {
  if (!framed.has_value()) {
    const std::string who = c.node_ids.empty() ? "" : c.node_ids.front();
    Reject(c, who, OffsetOf(framed.error()), framed.error().message(), out);
    return;
  }
  const SapientMessage& m = framed->message;
  const std::string at = "byte " + std::to_string(framed->offset) + ": ";
  // A registration is always answered: accepted, or refused with the broken rule (Register validates).
  if (!m.has_registration()) {
    if (Status s = Validate(m); !s.ok()) {
      Reject(c, m.node_id(), framed->offset, at + s.message(), out);
      return;
    }
  }
  switch (m.content_case()) {
    case SapientMessage::kRegistration: {
      SapientMessage ack = nodes_.Register(m, config_.node_id, NowUnixNs());
      const bool accepted = ack.registration_ack().acceptance();
      if (Status s = c.stream.SendAll(Frame(ack), kSendTimeout); !s.ok()) {
        Reject(c, m.node_id(), framed->offset, at + "could not send the RegistrationAck: " + s.message(), out);
        return;
      }
      if (accepted) {
        if (std::find(c.node_ids.begin(), c.node_ids.end(), m.node_id()) == c.node_ids.end()) {
          c.node_ids.push_back(m.node_id());
        }
        out.registered.push_back(m.node_id());
      } else {
        const std::string why =
            ack.registration_ack().ack_response_reason_size() > 0 ? ack.registration_ack().ack_response_reason(0) : "";
        Reject(c, m.node_id(), framed->offset, at + "registration refused: " + why, out);
      }
      return;
    }
    case SapientMessage::kStatusReport: {
      Result<NodeState> state = nodes_.ApplyStatus(m);
      if (!state.has_value()) {
        Reject(c, m.node_id(), framed->offset, at + state.error().message(), out);
        return;
      }
      out.status_updates.push_back(std::move(state).value());
      return;
    }
    case SapientMessage::kDetectionReport: {
      Result<SapientDetection> detection = nodes_.ToDetection(m);
      if (!detection.has_value()) {
        Reject(c, m.node_id(), framed->offset, at + detection.error().message(), out);
        return;
      }
      out.detections.push_back(std::move(detection).value());
      return;
    }
    default:
      out.other.push_back(m);
  }
}

Status FusionNode::Send(std::string_view node_id, SapientMessage message) {
  for (Connection& c : connections_) {
    if (std::find(c.node_ids.begin(), c.node_ids.end(), node_id) == c.node_ids.end()) continue;
    message.set_destination_id(std::string(node_id));
    return c.stream.SendAll(Frame(message), kSendTimeout);
  }
  return NotFoundError("send to node " + std::string(node_id) + ": no connection where it registered");
}

SapientMessage FusionNode::MakeLookAtTask(std::string_view node_id, const geo::LatLonAlt& point) {
  const int64_t now = NowUnixNs();
  const std::string task_id = task_ids_.Next(now / 1'000'000);
  return sapient::MakeLookAtTask({config_.node_id, std::string(node_id), now}, task_id, point);
}

SapientMessage FusionNode::MakeFollowTask(std::string_view node_id, std::string_view object_id) {
  const int64_t now = NowUnixNs();
  const std::string task_id = task_ids_.Next(now / 1'000'000);
  return sapient::MakeFollowTask({config_.node_id, std::string(node_id), now}, task_id, object_id);
}

}  // namespace koepel::adapters::sapient
