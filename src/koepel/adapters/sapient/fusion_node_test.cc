// FusionNode on loopback: a node connects, registers, reports, sends a bad message among good ones in
// awkward TCP chunks, and receives a task.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

const fs::path kData = fs::path(KOEPEL_SHARED_DATA) / "sapient";
constexpr std::string_view kNodeId = "a8654cdf-4328-47de-81fa-c495589e30c8";

SapientMessage Sample(std::string_view stem) {
  std::ifstream in(kData / "json/valid" / (std::string(stem) + ".json"), std::ios::binary);
  auto m = ParseJson(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  EXPECT_TRUE(m.has_value()) << stem;
  return m.has_value() ? *m : SapientMessage();
}

void Merge(PollResult& all, PollResult r) {
  for (auto& x : r.detections) all.detections.push_back(std::move(x));
  for (auto& x : r.status_updates) all.status_updates.push_back(std::move(x));
  for (auto& x : r.registered) all.registered.push_back(std::move(x));
  for (auto& x : r.other) all.other.push_back(std::move(x));
  for (auto& x : r.rejected) all.rejected.push_back(std::move(x));
  for (auto& x : r.disconnected) all.disconnected.push_back(std::move(x));
}

// Polls until `done` says so (or 5 s pass), merging what arrived into `all`.
template <typename Done>
void PollUntil(FusionNode& node, PollResult& all, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done(all) && std::chrono::steady_clock::now() < deadline) {
    auto r = node.Poll(milliseconds(20));
    EXPECT_TRUE(r.has_value()) << r.status().ToString();
    if (!r.has_value()) break;
    Merge(all, std::move(r).value());
  }
}
template <typename Done>
PollResult PollUntil(FusionNode& node, Done done) {
  PollResult all;
  PollUntil(node, all, done);
  return all;
}

// Reads frames from the client side until one arrives (or 5 s pass).
std::optional<SapientMessage> ReceiveOne(net::TcpStream& client, FrameReader& reader) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto bytes = client.Receive(milliseconds(50));
    if (!bytes.has_value()) return std::nullopt;
    for (auto& f : reader.Feed(*bytes)) {
      EXPECT_TRUE(f.has_value()) << f.status().ToString();
      if (f.has_value()) return f->message;
    }
  }
  return std::nullopt;
}

FusionNode StartNode() {
  FusionNode::Config config;
  config.conversion.frame_origin = {51.17, -1.82, 100.0};
  auto node = FusionNode::Start(config);
  EXPECT_TRUE(node.has_value()) << node.status().ToString();
  return std::move(node).value();
}

TEST(SapientFusionNode, RegistersReportsRejectsTheBadOneAndKeepsTheConnection) {
  FusionNode node = StartNode();
  ASSERT_NE(node.port(), 0);
  auto client = net::TcpStream::Connect({"127.0.0.1", node.port()}, milliseconds(1000));
  ASSERT_TRUE(client.has_value()) << client.status().ToString();
  FrameReader client_reader;

  // Register; the fusion node answers with an acceptance addressed to the node.
  SapientMessage registration = Sample("Registration.Small.Messsage");
  registration.set_node_id(std::string(kNodeId));
  std::vector<uint8_t> sent = Frame(registration);
  ASSERT_TRUE(client->SendAll(sent, milliseconds(1000)).ok());
  PollResult r = PollUntil(node, [](const PollResult& p) { return !p.registered.empty(); });
  ASSERT_EQ(r.registered, std::vector<std::string>{std::string(kNodeId)});
  auto ack = ReceiveOne(*client, client_reader);
  ASSERT_TRUE(ack.has_value());
  ASSERT_TRUE(ack->has_registration_ack());
  EXPECT_TRUE(ack->registration_ack().acceptance());
  EXPECT_EQ(ack->destination_id(), kNodeId);
  EXPECT_TRUE(Validate(*ack).ok());

  // Status (with a real position), two detections and, between them, one that lacks its object_id.
  SapientMessage status = Sample("StatusReport.FullMessage");
  pb::Location* where = status.mutable_status_report()->mutable_node_location();
  where->set_coordinate_system(pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  where->set_x(-1.81);
  where->set_y(51.17);
  SapientMessage first = Sample("DetectionReport.RangeBearing.FullMessage");
  first.set_node_id(std::string(kNodeId));
  first.mutable_detection_report()->set_object_id("01GGYFBAXH4VYRQYEX7S3XGK3A");
  first.mutable_detection_report()->clear_classification();
  first.mutable_detection_report()->add_classification()->set_type("UAV");
  SapientMessage bad = first;
  bad.mutable_detection_report()->clear_object_id();
  SapientMessage second = first;
  second.mutable_detection_report()->set_object_id("01GGYFBAXH4VYRQYEX7S3XGK3B");

  std::vector<uint8_t> stream;
  for (const SapientMessage* m : {&status, &first}) {
    const auto f = Frame(*m);
    stream.insert(stream.end(), f.begin(), f.end());
  }
  const uint64_t bad_offset = sent.size() + stream.size();  // offsets count from the connection's start
  const auto bad_frame = Frame(bad);
  stream.insert(stream.end(), bad_frame.begin(), bad_frame.end());
  const auto second_frame = Frame(second);
  stream.insert(stream.end(), second_frame.begin(), second_frame.end());

  // Awkward chunks: a lone byte, the rest of a length prefix, a frame boundary split, ...
  PollResult got;
  const size_t chunks[] = {1, 3, 2, 7, 64, 1, 300, 5};
  size_t pos = 0;
  for (size_t i = 0; pos < stream.size(); ++i) {
    const size_t n = std::min(chunks[i % std::size(chunks)], stream.size() - pos);
    ASSERT_TRUE(client->SendAll(std::span<const uint8_t>(stream).subspan(pos, n), milliseconds(1000)).ok());
    pos += n;
    std::this_thread::sleep_for(milliseconds(1));
    auto polled = node.Poll(milliseconds(0));  // interleave reads with writes
    ASSERT_TRUE(polled.has_value());
    Merge(got, std::move(polled).value());
  }
  PollUntil(node, got, [](const PollResult& p) { return p.detections.size() >= 2 && !p.rejected.empty(); });

  ASSERT_EQ(got.status_updates.size(), 1u);
  EXPECT_EQ(got.status_updates[0].health, NodeHealth::kOk);
  ASSERT_EQ(got.detections.size(), 2u);
  EXPECT_EQ(got.detections[0].object_id, "01GGYFBAXH4VYRQYEX7S3XGK3A");
  EXPECT_EQ(got.detections[1].object_id, "01GGYFBAXH4VYRQYEX7S3XGK3B");
  for (const auto& d : got.detections) {
    EXPECT_EQ(d.node_id, kNodeId);
    ASSERT_TRUE(d.detection.class_report.has_value());
    EXPECT_EQ(d.detection.class_report->object_class, ObjectClass::kSmallDrone);
    EXPECT_EQ(d.detection.measurement.kind, MeasurementKind::kRangeBearing);
    EXPECT_EQ(d.detection.sensor_position, *got.status_updates[0].position_enu);
  }
  ASSERT_EQ(got.rejected.size(), 1u);
  EXPECT_EQ(got.rejected[0].node_id, kNodeId);
  EXPECT_EQ(got.rejected[0].offset, bad_offset);
  EXPECT_EQ(got.rejected[0].reason,
            "byte " + std::to_string(bad_offset) + ": detection_report.object_id: missing (mandatory)");
  EXPECT_EQ(node.rejected_count(), 1);
  EXPECT_EQ(node.connection_count(), 1u);  // the bad message did not cost the connection
  EXPECT_EQ(node.nodes().Find(kNodeId)->detection_reports, 2);

  // A task to the node arrives, valid, addressed to it.
  const SapientMessage task = node.MakeLookAtTask(kNodeId, {51.2, -1.8, 150.0});
  ASSERT_TRUE(node.Send(kNodeId, task).ok());
  auto received = ReceiveOne(*client, client_reader);
  ASSERT_TRUE(received.has_value());
  ASSERT_TRUE(received->has_task());
  EXPECT_TRUE(Validate(*received).ok()) << Validate(*received).message();
  EXPECT_EQ(received->destination_id(), kNodeId);
  EXPECT_TRUE(received->task().command().has_look_at());
  EXPECT_FALSE(node.Send("00000000-0000-4000-8000-000000000000", task).ok());
}

TEST(SapientFusionNode, EveryResultIsReturnedExactlyOnce) {
  // The same exchange, polled only after all bytes are sent, so one collection holds everything.
  FusionNode node = StartNode();
  auto client = net::TcpStream::Connect({"127.0.0.1", node.port()}, milliseconds(1000));
  ASSERT_TRUE(client.has_value());
  SapientMessage registration = Sample("Registration.Small.Messsage");
  registration.set_node_id(std::string(kNodeId));
  SapientMessage status = Sample("StatusReport.FullMessage");
  status.mutable_status_report()->mutable_node_location()->set_coordinate_system(
      pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  status.mutable_status_report()->mutable_node_location()->set_x(-1.81);
  status.mutable_status_report()->mutable_node_location()->set_y(51.17);
  SapientMessage detection = Sample("DetectionReport.RangeBearing.FullMessage");
  detection.set_node_id(std::string(kNodeId));
  SapientMessage bad = detection;
  bad.mutable_detection_report()->set_report_id("AAA");
  std::vector<uint8_t> stream;
  for (const SapientMessage* m : {&registration, &status, &detection, &bad, &detection}) {
    const auto f = Frame(*m);
    stream.insert(stream.end(), f.begin(), f.end());
  }
  for (size_t pos = 0; pos < stream.size(); pos += 5) {
    ASSERT_TRUE(client->SendAll(std::span<const uint8_t>(stream).subspan(pos, std::min<size_t>(5, stream.size() - pos)),
                                milliseconds(1000))
                    .ok());
  }
  const PollResult r = PollUntil(node, [](const PollResult& p) { return p.detections.size() >= 2; });
  EXPECT_EQ(r.registered.size(), 1u);
  EXPECT_EQ(r.status_updates.size(), 1u);
  ASSERT_EQ(r.detections.size(), 2u);
  EXPECT_EQ(r.detections[0].object_key, r.detections[1].object_key);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_NE(r.rejected[0].reason.find("detection_report.report_id: not a ULID: \"AAA\""), std::string::npos)
      << r.rejected[0].ToString();
  EXPECT_EQ(node.rejected_count(), 1);

  // A second node whose registration is refused; its detections are rejected, its connection kept.
  auto other = net::TcpStream::Connect({"127.0.0.1", node.port()}, milliseconds(1000));
  ASSERT_TRUE(other.has_value());
  SapientMessage old = registration;
  old.set_node_id("a8654cdf-4328-47de-81fa-c495589e30c1");
  old.mutable_registration()->set_icd_version("BSI Flex 335 v1.0");
  SapientMessage stray = detection;
  stray.set_node_id(old.node_id());
  std::vector<uint8_t> other_stream = Frame(old);
  const auto f = Frame(stray);
  other_stream.insert(other_stream.end(), f.begin(), f.end());
  // The listener accepts on the next poll; send after that so the bytes are read promptly.
  PollUntil(node, [&](const PollResult&) { return node.connection_count() == 2; });
  ASSERT_TRUE(other->SendAll(other_stream, milliseconds(1000)).ok());
  const PollResult o = PollUntil(node, [](const PollResult& p) { return p.rejected.size() >= 2; });
  ASSERT_EQ(o.rejected.size(), 2u);
  EXPECT_NE(o.rejected[0].reason.find("icd_version"), std::string::npos) << o.rejected[0].ToString();
  EXPECT_NE(o.rejected[1].reason.find("before registering"), std::string::npos) << o.rejected[1].ToString();
  FrameReader reader;
  auto ack = ReceiveOne(*other, reader);
  ASSERT_TRUE(ack.has_value());
  EXPECT_FALSE(ack->registration_ack().acceptance());
  EXPECT_EQ(node.connection_count(), 2u);
  EXPECT_EQ(node.rejected_count(), 3);
}

}  // namespace
}  // namespace koepel::adapters::sapient
