#include <gtest/gtest.h>

#include <algorithm>

#include "koepel/engine/engine.h"

namespace koepel::engine {
namespace {

// Fakes of the ports (hand-written, as the style guide prefers to strict mocks).
class RecordingLink final : public ports::EffectorLink {
 public:
  void Order(const Engagement& e) override { orders.push_back(e); }
  std::vector<Engagement> orders;
};

class ApproveEverythingDesk final : public ports::ApprovalDesk {
 public:
  std::vector<OperatorDecision> Review(SimTime, const std::vector<Engagement>& open, std::span<const Track>) override {
    std::vector<OperatorDecision> out;
    for (const Engagement& e : open) out.push_back({e.id, true, "test-operator", "approve all"});
    return out;
  }
};

class CountingSink final : public ports::WarningSink {
 public:
  void Emit(const Warning& w) override { warnings.push_back(w); }
  std::vector<Warning> warnings;
};

Effector Gun() {
  Effector gun;
  gun.id = EffectorId(1);
  gun.name = "gun-1";
  gun.kind = EffectorKind::kGun;
  gun.position = Vec3(0, 0, 0);
  gun.max_range_m = 4000;
  gun.max_altitude_m = 3000;
  gun.pk.fill(0.0);
  gun.pk[static_cast<size_t>(ObjectClass::kOneWayAttackDrone)] = 0.7;
  gun.pk[static_cast<size_t>(ObjectClass::kFixedWing)] = 0.7;
  gun.cost_per_shot_eur = 8000;
  gun.magazine = 20;
  gun.fire_channels = 1;
  gun.interceptor_speed_mps = 1100;
  return gun;
}

EngineConfig Config(bool auto_release_guns) {
  EngineConfig config;
  config.frame = geo::LocalFrame({51.9, 4.0, 0.0});
  Asset terminal;
  terminal.id = AssetId(1);
  terminal.name = "terminal";
  terminal.value = 100.0;
  terminal.position = Vec3(0, 500, 0);
  terminal.radius_m = 400;
  config.assets = {terminal};
  config.effectors = {Gun()};
  config.rules.hostile_classes = {ObjectClass::kOneWayAttackDrone, ObjectClass::kCruiseMissile};
  if (auto_release_guns) {
    config.rules.auto_release.push_back(
        {"guns-free-vs-drones", {EffectorKind::kGun}, {ObjectClass::kOneWayAttackDrone}, true});
  }
  return config;
}

// A target flying from 12 km west straight at the asset at 50 m/s, 100 m up, seen once a second.
std::vector<Detection> Observe(int second, bool with_adsb, ObjectClass label) {
  const Vec3 p(-12000.0 + 50.0 * second, 500.0, 100.0);
  Detection d;
  d.id = DetectionId(second + 1);
  d.sensor = SensorId(with_adsb ? 2 : 1);
  d.sensor_kind = with_adsb ? SensorKind::kAdsb : SensorKind::kRadar;
  d.time = SimTime::Epoch() + Seconds(second);
  d.measurement.kind = MeasurementKind::kPosition;
  d.measurement.z = p;
  d.measurement.noise = Mat3::Identity() * 25.0;
  d.class_report = ClassReport{label, 0.9};
  if (with_adsb) d.icao24 = 0x484506;
  return {d};
}

TEST(EngineTest, HostileDroneIsEngagedByRuleWithAReason) {
  ports::MemoryEventStore store;
  RecordingLink link;
  Engine engine(Config(/*auto_release_guns=*/true), {.store = &store, .effectors = &link});
  for (int s = 0; s < 240 && link.orders.empty(); ++s) {
    engine.Step(SimTime::Epoch() + Seconds(s), {.detections = Observe(s, false, ObjectClass::kOneWayAttackDrone), .outcomes = {}});
  }
  ASSERT_FALSE(link.orders.empty()) << "the gun never fired at an inbound hostile drone";
  const Engagement& order = link.orders.front();
  EXPECT_EQ(order.released_by, Release::kRule);
  EXPECT_EQ(order.release_rule, "guns-free-vs-drones");
  EXPECT_FALSE(order.reason.empty());
  EXPECT_EQ(engine.effector_status().front().rounds_left, 19);
  EXPECT_EQ(engine.totals().released_by_rule.at("guns-free-vs-drones"), 1);
  const auto& events = store.events();
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const ports::Event& e) { return e.kind == "proposal"; }));
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const ports::Event& e) { return e.kind == "order"; }));
}

TEST(EngineTest, CivilAdsbTrackIsNeverEngagedEvenIfEveryoneApproves) {
  RecordingLink link;
  ApproveEverythingDesk desk;
  Engine engine(Config(/*auto_release_guns=*/true), {.effectors = &link, .desk = &desk});
  for (int s = 0; s < 240; ++s) {
    // Same drone-like path, but it broadcasts ADS-B: correlation makes it civil.
    engine.Step(SimTime::Epoch() + Seconds(s), {.detections = Observe(s, true, ObjectClass::kOneWayAttackDrone), .outcomes = {}});
  }
  EXPECT_TRUE(link.orders.empty());
}

TEST(EngineTest, WithoutRuleOrOperatorNothingIsFired) {
  RecordingLink link;
  Engine engine(Config(/*auto_release_guns=*/false), {.effectors = &link});
  int proposals = 0;
  for (int s = 0; s < 240; ++s) {
    StepReport r = engine.Step(SimTime::Epoch() + Seconds(s),
                               {.detections = Observe(s, false, ObjectClass::kOneWayAttackDrone), .outcomes = {}});
    proposals += static_cast<int>(r.proposals.size());
  }
  EXPECT_GT(proposals, 0) << "the drone should at least have been proposed";
  EXPECT_TRUE(link.orders.empty()) << "no human approval and no rule: no shot";
}

TEST(EngineTest, OperatorApprovalReleasesAndOutcomeFreesTheChannel) {
  RecordingLink link;
  ApproveEverythingDesk desk;
  Engine engine(Config(/*auto_release_guns=*/false), {.effectors = &link, .desk = &desk});
  int s = 0;
  for (; s < 240 && link.orders.empty(); ++s) {
    engine.Step(SimTime::Epoch() + Seconds(s), {.detections = Observe(s, false, ObjectClass::kOneWayAttackDrone), .outcomes = {}});
  }
  ASSERT_EQ(link.orders.size(), 1u);
  EXPECT_EQ(link.orders.front().released_by, Release::kOperator);
  EXPECT_EQ(engine.effector_status().front().busy_channels, 1);
  std::vector<EngagementOutcome> outcomes{{link.orders.front().id, true, SimTime::Epoch() + Seconds(s)}};
  StepReport r = engine.Step(SimTime::Epoch() + Seconds(s),
                             {.detections = Observe(s, false, ObjectClass::kOneWayAttackDrone), .outcomes = outcomes});
  EXPECT_EQ(engine.effector_status().front().busy_channels, 0);
  EXPECT_EQ(engine.engagements().front().state, EngagementState::kKill);
  // A killed track is no longer a threat.
  EXPECT_TRUE(std::none_of(r.threats.begin(), r.threats.end(),
                           [&](const Threat& t) { return t.track == link.orders.front().track; }));
}

TEST(EngineTest, DisabledStageDoesNothingAndStagesAreTimed) {
  EngineConfig config = Config(true);
  config.stage_enabled[static_cast<size_t>(Stage::kAssign)] = false;
  int64_t fake_clock = 0;
  config.monotonic_ns = [&fake_clock] { return fake_clock += 1000; };
  RecordingLink link;
  Engine engine(config, {.effectors = &link});
  StepReport last;
  for (int s = 0; s < 240; ++s) {
    last = engine.Step(SimTime::Epoch() + Seconds(s), {.detections = Observe(s, false, ObjectClass::kOneWayAttackDrone), .outcomes = {}});
  }
  EXPECT_TRUE(link.orders.empty());
  EXPECT_FALSE(last.threats.empty());
  EXPECT_GT(last.stage_ns[static_cast<size_t>(Stage::kFuse)], 0);
  EXPECT_EQ(last.stage_ns[static_cast<size_t>(Stage::kAssign)], 0);
  EXPECT_GT(last.total_ns, 0);
}

}  // namespace
}  // namespace koepel::engine
