#include "koepel/adapters/net/net.h"

#include <gtest/gtest.h>

#include <optional>

namespace koepel::adapters::net {
namespace {

using namespace std::chrono_literals;

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(ParseEndpoint, AcceptsHostAndPort) {
  auto e = ParseEndpoint("127.0.0.1:30005");
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 30005);
}

TEST(ParseEndpoint, RejectsMissingOrBadPortWithTheText) {
  for (std::string_view bad : {"localhost", ":80", "host:", "host:70000", "host:12a"}) {
    auto e = ParseEndpoint(bad);
    ASSERT_FALSE(e.has_value()) << bad;
    EXPECT_NE(e.error().message().find(std::string(bad)), std::string::npos) << e.error().message();
  }
}

TEST(Tcp, AcceptTimesOutWithNobody) {
  auto listener = TcpListener::Listen({"127.0.0.1", 0});
  ASSERT_TRUE(listener.has_value()) << listener.error().message();
  EXPECT_NE(listener->port(), 0);
  auto accepted = listener->Accept(10ms);
  ASSERT_TRUE(accepted.has_value());
  EXPECT_FALSE(accepted->has_value());
}

TEST(Tcp, BytesArriveInOrderAndCloseIsSeen) {
  auto listener = TcpListener::Listen({"127.0.0.1", 0});
  ASSERT_TRUE(listener.has_value());
  auto client = TcpStream::Connect({"127.0.0.1", listener->port()}, 1000ms);
  ASSERT_TRUE(client.has_value()) << client.error().message();
  auto accepted = listener->Accept(1000ms);
  ASSERT_TRUE(accepted.has_value() && accepted->has_value());
  TcpStream server = std::move(**accepted);

  // More than one receive buffer, so the reader must loop.
  std::vector<uint8_t> sent(200000);
  for (size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<uint8_t>(i * 7);
  std::vector<uint8_t> received;
  // Send on the client while draining on the server, so neither side's buffer fills for good.
  std::span<const uint8_t> rest(sent);
  while (received.size() < sent.size()) {
    if (!rest.empty()) {
      const size_t chunk = std::min<size_t>(rest.size(), 16384);
      ASSERT_TRUE(client->SendAll(rest.first(chunk), 1000ms).ok());
      rest = rest.subspan(chunk);
    }
    auto got = server.Receive(1000ms);
    ASSERT_TRUE(got.has_value()) << got.error().message();
    ASSERT_FALSE(server.closed());
    received.insert(received.end(), got->begin(), got->end());
  }
  EXPECT_EQ(received, sent);

  // The reply direction, then an orderly close.
  ASSERT_TRUE(server.SendAll(Bytes("ack"), 1000ms).ok());
  auto reply = client->Receive(1000ms);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(*reply, Bytes("ack"));
  { TcpStream gone = std::move(*client); }
  auto after = server.Receive(1000ms);
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->empty());
  EXPECT_TRUE(server.closed());
}

TEST(Tcp, ConnectToAClosedPortSaysWhere) {
  // Take a free port, then close it, so nobody listens there.
  uint16_t port = 0;
  {
    auto listener = TcpListener::Listen({"127.0.0.1", 0});
    ASSERT_TRUE(listener.has_value());
    port = listener->port();
  }
  auto client = TcpStream::Connect({"127.0.0.1", port}, 1000ms);
  ASSERT_FALSE(client.has_value());
  EXPECT_NE(client.error().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << client.error().message();
}

TEST(Udp, DatagramsKeepTheirBoundariesAndSender) {
  auto receiver = UdpSocket::Bind({"127.0.0.1", 0});
  ASSERT_TRUE(receiver.has_value()) << receiver.error().message();
  auto sender = UdpSocket::Bind({"127.0.0.1", 0});
  ASSERT_TRUE(sender.has_value());
  ASSERT_TRUE(sender->SendTo({"127.0.0.1", receiver->port()}, Bytes("one")).ok());
  ASSERT_TRUE(sender->SendTo({"127.0.0.1", receiver->port()}, Bytes("two!")).ok());
  for (std::string_view expected : {"one", "two!"}) {
    auto d = receiver->Receive(1000ms);
    ASSERT_TRUE(d.has_value() && d->has_value());
    EXPECT_EQ((*d)->bytes, Bytes(expected));
    EXPECT_EQ((*d)->from.port, sender->port());
  }
  auto none = receiver->Receive(10ms);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

TEST(WaitReadable, ReturnsOnlyTheSocketsWithData) {
  auto a = UdpSocket::Bind({"127.0.0.1", 0});
  auto b = UdpSocket::Bind({"127.0.0.1", 0});
  auto sender = UdpSocket::Unbound();
  ASSERT_TRUE(a.has_value() && b.has_value() && sender.has_value());
  ASSERT_TRUE(sender->SendTo({"127.0.0.1", b->port()}, Bytes("x")).ok());
  const int fds[] = {a->fd(), b->fd()};
  auto readable = WaitReadable(fds, 1000ms);
  ASSERT_TRUE(readable.has_value());
  EXPECT_EQ(*readable, std::vector<int>{b->fd()});
}

}  // namespace
}  // namespace koepel::adapters::net
