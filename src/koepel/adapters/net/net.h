// koepel/adapters/net/net.h
//
// The few socket operations the adapters need (SAPIENT fusion node, CoT out, ADS-B feeds), on POSIX
// sockets. Every blocking call takes a timeout, so a service loop never hangs on a silent peer, and
// nothing here starts a thread: the caller owns the loop.
//
// Example:
//   KOEPEL_ASSIGN_OR_RETURN(net::TcpListener listener, net::TcpListener::Listen({"127.0.0.1", 0}));
//   KOEPEL_ASSIGN_OR_RETURN(std::optional<net::TcpStream> client, listener.Accept(100ms));
//   if (client) { KOEPEL_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, client->Receive(100ms)); }
//
// Errors: Result/Status naming the operation, the address and the system's reason ("connect
// 127.0.0.1:9: Connection refused"). A peer that closes is not an error: TcpStream::closed().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koepel/core/core.h"

namespace koepel::adapters::net {

using Milliseconds = std::chrono::milliseconds;

struct Endpoint {
  std::string host = "127.0.0.1";  // a numeric IPv4 address or a host name
  uint16_t port = 0;
  std::string ToString() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// "host:port", e.g. "127.0.0.1:30005" or "localhost:30003".
Result<Endpoint> ParseEndpoint(std::string_view text);

// Owns one file descriptor; closes it on destruction. Move-only.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();
  int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

class TcpStream {
 public:
  static Result<TcpStream> Connect(const Endpoint& to, Milliseconds timeout);

  Status SendAll(std::span<const uint8_t> bytes, Milliseconds timeout);
  // Waits up to `timeout` for bytes and returns what arrived: empty on timeout or when the peer
  // closed (then closed() is true).
  Result<std::vector<uint8_t>> Receive(Milliseconds timeout, size_t max_bytes = 65536);
  bool closed() const { return closed_; }
  int fd() const { return fd_.get(); }
  const Endpoint& peer() const { return peer_; }

 private:
  friend class TcpListener;
  TcpStream(FileDescriptor fd, Endpoint peer) : fd_(std::move(fd)), peer_(std::move(peer)) {}
  FileDescriptor fd_;
  Endpoint peer_;
  bool closed_ = false;
};

class TcpListener {
 public:
  // Port 0 picks a free port; port() tells which.
  static Result<TcpListener> Listen(const Endpoint& at);
  uint16_t port() const { return port_; }
  // nullopt when nobody connected within `timeout`.
  Result<std::optional<TcpStream>> Accept(Milliseconds timeout);
  int fd() const { return fd_.get(); }

 private:
  TcpListener(FileDescriptor fd, uint16_t port) : fd_(std::move(fd)), port_(port) {}
  FileDescriptor fd_;
  uint16_t port_ = 0;
};

class UdpSocket {
 public:
  static Result<UdpSocket> Bind(const Endpoint& at);  // port 0 picks a free port
  static Result<UdpSocket> Unbound();                 // for sending only
  uint16_t port() const { return port_; }
  Status SendTo(const Endpoint& to, std::span<const uint8_t> datagram);

  struct Datagram {
    std::vector<uint8_t> bytes;
    Endpoint from;
  };
  // nullopt when nothing arrived within `timeout`.
  Result<std::optional<Datagram>> Receive(Milliseconds timeout);
  int fd() const { return fd_.get(); }

 private:
  UdpSocket(FileDescriptor fd, uint16_t port) : fd_(std::move(fd)), port_(port) {}
  FileDescriptor fd_;
  uint16_t port_ = 0;
};

// Waits until any of `fds` is readable (or has hung up) or `timeout` passes; returns those fds.
Result<std::vector<int>> WaitReadable(std::span<const int> fds, Milliseconds timeout);

}  // namespace koepel::adapters::net
