// Where events go: UDP datagrams, a TAK streaming TCP connection, files, and a ports::Bus that records files.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <system_error>

#include "koepel/adapters/cot/cot.h"

namespace koepel::adapters::cot {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

constexpr size_t kMaxUdpPayload = 65507;  // 65535 - IPv4 header (20) - UDP header (8)

// File names keep the uid readable but never leave the directory or need quoting.
std::string SafeFileName(std::string_view uid) {
  std::string out;
  for (char c : uid) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.';
    out += safe ? c : '_';
  }
  return out.substr(0, 120);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Result<UdpSender> UdpSender::Open(net::Endpoint destination) {
  KOEPEL_ASSIGN_OR_RETURN(net::UdpSocket socket, net::UdpSocket::Unbound());
  return UdpSender(std::move(socket), std::move(destination));
}

Status UdpSender::Send(std::string_view event_xml) {
  if (event_xml.size() > kMaxUdpPayload) {
    return InvalidArgumentError("CoT to " + destination_.ToString() + ": event of " +
                                std::to_string(event_xml.size()) + " bytes does not fit a UDP datagram (" +
                                std::to_string(kMaxUdpPayload) + ")");
  }
  return socket_.SendTo(destination_, Bytes(event_xml));
}

// ---------------------------------------------------------------------------------------------

Result<TcpStreamSender> TcpStreamSender::Connect(net::Endpoint server, net::Milliseconds timeout) {
  KOEPEL_ASSIGN_OR_RETURN(net::TcpStream stream, net::TcpStream::Connect(server, timeout));
  return TcpStreamSender(std::move(server), std::move(stream));
}

Status TcpStreamSender::Send(std::string_view event_xml, net::Milliseconds timeout) {
  if (!stream_) {
    auto reconnected = net::TcpStream::Connect(server_, timeout);
    if (!reconnected) return reconnected.error().WithContext("CoT stream reconnect: ");
    stream_ = std::move(reconnected).value();
  }
  Status sent = stream_->SendAll(Bytes(event_xml), timeout);
  if (!sent.ok()) stream_.reset();  // a half-written event: the next Send starts on a fresh connection
  return sent;
}

// ---------------------------------------------------------------------------------------------

Result<DirectoryWriter> DirectoryWriter::Open(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec || !std::filesystem::is_directory(directory)) {
    return UnavailableError("CoT directory " + directory.string() + ": " +
                            (ec ? ec.message() : std::string("not a directory")));
  }
  return DirectoryWriter(directory);
}

Result<std::filesystem::path> DirectoryWriter::Write(const CotEvent& event) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string xml, ToXml(event));
  char sequence[24];
  std::snprintf(sequence, sizeof sequence, "%06lld", static_cast<long long>(next_sequence_));
  const std::filesystem::path path = directory_ / (std::string(sequence) + "-" + SafeFileName(event.uid) + ".xml");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(xml.data(), static_cast<std::streamsize>(xml.size()));
  out.close();
  if (!out) return UnavailableError("CoT file " + path.string() + ": " + std::strerror(errno));
  ++next_sequence_;
  return path;
}

// ---------------------------------------------------------------------------------------------

PictureEncoder::PictureEncoder(geo::LocalFrame frame, CotOptions options)
    : frame_(std::move(frame)), options_(std::move(options)) {}

PictureEncoder::Output PictureEncoder::Encode(const ports::Picture& picture) {
  Output out;
  std::map<TrackId, Track> live;
  for (const Track& track : picture.tracks) {
    if (track.status == TrackStatus::kDeleted) continue;  // dropped below, like a missing one
    auto event = TrackEvent(track, picture.threats, frame_, picture.time, options_);
    if (!event) {
      out.errors.push_back(event.error());
      continue;
    }
    out.events.push_back(std::move(event).value());
    live[track.id] = track;
  }
  for (const auto& [id, track] : live_) {
    if (live.count(id) != 0) continue;
    // The last position we sent; a track that failed this time but was live before is dropped as well.
    auto drop = DropEvent(track, frame_, picture.time, options_);
    if (drop) {
      out.events.push_back(std::move(drop).value());
    } else {
      out.errors.push_back(drop.error());
    }
  }
  live_ = std::move(live);
  return out;
}

// ---------------------------------------------------------------------------------------------

Result<DirectoryBus> DirectoryBus::Open(const std::filesystem::path& directory, geo::LocalFrame frame,
                                        CotOptions options) {
  KOEPEL_ASSIGN_OR_RETURN(DirectoryWriter writer, DirectoryWriter::Open(directory));
  return DirectoryBus(std::move(writer), PictureEncoder(std::move(frame), std::move(options)));
}

void DirectoryBus::Publish(const ports::Picture& picture) {
  PictureEncoder::Output out = encoder_.Encode(picture);
  for (const Status& e : out.errors) {
    if (first_error_.ok()) first_error_ = e;
  }
  for (const CotEvent& event : out.events) {
    auto written = writer_.Write(event);
    if (!written && first_error_.ok()) first_error_ = written.error();
  }
}

}  // namespace koepel::adapters::cot
