#include "koepel/adapters/net/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace koepel::adapters::net {
namespace {

using Clock = std::chrono::steady_clock;

Status SystemError(std::string_view what, const Endpoint& where, int error) {
  return UnavailableError(std::string(what) + " " + where.ToString() + ": " + std::strerror(error));
}

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on one fd; false on timeout.
Result<bool> WaitFor(int fd, short events, Milliseconds timeout) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (n >= 0) return n > 0;
    if (errno != EINTR) return UnavailableError(std::string("poll: ") + std::strerror(errno));
  }
}

Result<sockaddr_in> Resolve(const Endpoint& e) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(e.port);
  if (::inet_pton(AF_INET, e.host.c_str(), &address.sin_addr) == 1) return address;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(e.host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    return InvalidArgumentError("address " + e.ToString() + ": " + ::gai_strerror(rc));
  }
  address.sin_addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  ::freeaddrinfo(found);
  return address;
}

Endpoint FromSockaddr(const sockaddr_in& a) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
  return {text, ntohs(a.sin_port)};
}

Result<FileDescriptor> NewSocket(int type, const Endpoint& e) {
  FileDescriptor fd(::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return SystemError("socket for", e, errno);
  return fd;
}

Result<uint16_t> BoundPort(int fd, const Endpoint& e) {
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    return SystemError("getsockname", e, errno);
  }
  return ntohs(bound.sin_port);
}

Result<FileDescriptor> BoundSocket(int type, const Endpoint& at) {
  KOEPEL_ASSIGN_OR_RETURN(sockaddr_in address, Resolve(at));
  KOEPEL_ASSIGN_OR_RETURN(FileDescriptor fd, NewSocket(type, at));
  const int yes = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return SystemError("bind", at, errno);
  }
  return fd;
}

}  // namespace

std::string Endpoint::ToString() const { return host + ":" + std::to_string(port); }

Result<Endpoint> ParseEndpoint(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return InvalidArgumentError("endpoint '" + std::string(text) + "': expected host:port");
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return InvalidArgumentError("endpoint '" + std::string(text) + "': port '" + std::string(port_text) +
                                "' is not a number from 0 to 65535");
  }
  return Endpoint{std::string(text.substr(0, colon)), static_cast<uint16_t>(port)};
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

int FileDescriptor::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

// ---------------------------------------------------------------------------------------------
// TCP

Result<TcpStream> TcpStream::Connect(const Endpoint& to, Milliseconds timeout) {
  KOEPEL_ASSIGN_OR_RETURN(sockaddr_in address, Resolve(to));
  KOEPEL_ASSIGN_OR_RETURN(FileDescriptor fd, NewSocket(SOCK_STREAM, to));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return SystemError("connect", to, errno);
    KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd.get(), POLLOUT, timeout));
    if (!ready) return UnavailableError("connect " + to.ToString() + ": timed out");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return SystemError("connect", to, error);
  }
  const int yes = 1;  // small frames (tracks, acks) should leave at once
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return TcpStream(std::move(fd), to);
}

Status TcpStream::SendAll(std::span<const uint8_t> bytes, Milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes = bytes.subspan(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      if (errno == EPIPE || errno == ECONNRESET) closed_ = true;
      return SystemError("send to", peer_, errno);
    }
    KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd_.get(), POLLOUT, Milliseconds(RemainingMs(deadline))));
    if (!ready) {
      return UnavailableError("send to " + peer_.ToString() + ": timed out with " + std::to_string(bytes.size()) +
                              " bytes unsent");
    }
  }
  return OkStatus();
}

Result<std::vector<uint8_t>> TcpStream::Receive(Milliseconds timeout, size_t max_bytes) {
  std::vector<uint8_t> buffer;
  if (closed_) return buffer;
  KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd_.get(), POLLIN, timeout));
  if (!ready) return buffer;
  buffer.resize(max_bytes);
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
    if (n > 0) {
      buffer.resize(static_cast<size_t>(n));
      return buffer;
    }
    if (n == 0) {
      closed_ = true;
      buffer.clear();
      return buffer;
    }
    if (errno == EINTR) continue;
    buffer.clear();
    if (errno == EAGAIN || errno == EWOULDBLOCK) return buffer;
    if (errno == ECONNRESET) {
      closed_ = true;
      return buffer;
    }
    return SystemError("receive from", peer_, errno);
  }
}

Result<TcpListener> TcpListener::Listen(const Endpoint& at) {
  KOEPEL_ASSIGN_OR_RETURN(FileDescriptor fd, BoundSocket(SOCK_STREAM, at));
  if (::listen(fd.get(), 16) != 0) return SystemError("listen", at, errno);
  KOEPEL_ASSIGN_OR_RETURN(uint16_t port, BoundPort(fd.get(), at));
  return TcpListener(std::move(fd), port);
}

Result<std::optional<TcpStream>> TcpListener::Accept(Milliseconds timeout) {
  KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd_.get(), POLLIN, timeout));
  if (!ready) return std::optional<TcpStream>();
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  FileDescriptor fd(::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) return std::optional<TcpStream>();
    return SystemError("accept on port", {"0.0.0.0", port_}, errno);
  }
  const int yes = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return std::optional<TcpStream>(TcpStream(std::move(fd), FromSockaddr(peer)));
}

// ---------------------------------------------------------------------------------------------
// UDP

Result<UdpSocket> UdpSocket::Bind(const Endpoint& at) {
  KOEPEL_ASSIGN_OR_RETURN(FileDescriptor fd, BoundSocket(SOCK_DGRAM, at));
  KOEPEL_ASSIGN_OR_RETURN(uint16_t port, BoundPort(fd.get(), at));
  return UdpSocket(std::move(fd), port);
}

Result<UdpSocket> UdpSocket::Unbound() {
  KOEPEL_ASSIGN_OR_RETURN(FileDescriptor fd, NewSocket(SOCK_DGRAM, Endpoint{}));
  return UdpSocket(std::move(fd), 0);
}

Status UdpSocket::SendTo(const Endpoint& to, std::span<const uint8_t> datagram) {
  KOEPEL_ASSIGN_OR_RETURN(sockaddr_in address, Resolve(to));
  for (;;) {
    const ssize_t n = ::sendto(fd_.get(), datagram.data(), datagram.size(), 0,
                               reinterpret_cast<const sockaddr*>(&address), sizeof address);
    if (n == static_cast<ssize_t>(datagram.size())) return OkStatus();
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd_.get(), POLLOUT, Milliseconds(100)));
      if (ready) continue;
    }
    return SystemError("sendto", to, n < 0 ? errno : EMSGSIZE);
  }
}

Result<std::optional<UdpSocket::Datagram>> UdpSocket::Receive(Milliseconds timeout) {
  KOEPEL_ASSIGN_OR_RETURN(bool ready, WaitFor(fd_.get(), POLLIN, timeout));
  if (!ready) return std::optional<Datagram>();
  Datagram datagram;
  datagram.bytes.resize(65536);
  sockaddr_in from{};
  socklen_t length = sizeof from;
  for (;;) {
    const ssize_t n = ::recvfrom(fd_.get(), datagram.bytes.data(), datagram.bytes.size(), 0,
                                 reinterpret_cast<sockaddr*>(&from), &length);
    if (n >= 0) {
      datagram.bytes.resize(static_cast<size_t>(n));
      datagram.from = FromSockaddr(from);
      return std::optional<Datagram>(std::move(datagram));
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<Datagram>();
    return SystemError("recvfrom on port", {"0.0.0.0", port_}, errno);
  }
}

Result<std::vector<int>> WaitReadable(std::span<const int> fds, Milliseconds timeout) {
  std::vector<pollfd> polls;
  polls.reserve(fds.size());
  for (int fd : fds) polls.push_back({fd, POLLIN, 0});
  int n = 0;
  do {
    n = ::poll(polls.data(), polls.size(), static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return UnavailableError(std::string("poll: ") + std::strerror(errno));
  std::vector<int> readable;
  for (const pollfd& p : polls) {
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) readable.push_back(p.fd);
  }
  return readable;
}

}  // namespace koepel::adapters::net
