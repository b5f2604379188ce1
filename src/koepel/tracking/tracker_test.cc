// The tracker end to end on small seeded scenarios.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

SimTime At(double s) { return SimTime::Epoch() + SecondsF(s); }

// Makes noisy detections of known truth positions.
class FakeSensors {
 public:
  explicit FakeSensors(uint64_t seed) : rng_(seed) {}

  Detection Position(int sensor, SimTime t, const Vec3& truth, double sigma) {
    Detection d = Base(sensor, t, SensorKind::kAdsb);
    d.measurement.kind = MeasurementKind::kPosition;
    d.measurement.z = truth + Vec3(rng_.Normal(0, sigma), rng_.Normal(0, sigma), rng_.Normal(0, sigma));
    d.measurement.noise = sigma * sigma * Mat3::Identity();
    return d;
  }
  Detection Polar(int sensor, const Vec3& at, SimTime t, const Vec3& truth, double sigma_r, double sigma_ang) {
    Detection d = Base(sensor, t, SensorKind::kRadar);
    d.sensor_position = at;
    d.measurement.kind = MeasurementKind::kRangeBearing;
    const Vec3 rae = RangeAzimuthElevation(at, truth);
    d.measurement.z = rae + Vec3(rng_.Normal(0, sigma_r), rng_.Normal(0, sigma_ang), rng_.Normal(0, sigma_ang));
    d.measurement.noise = Vec3(sigma_r * sigma_r, sigma_ang * sigma_ang, sigma_ang * sigma_ang).asDiagonal();
    return d;
  }
  Detection Bearing(int sensor, const Vec3& at, SimTime t, const Vec3& truth, double sigma_ang) {
    Detection d = Base(sensor, t, SensorKind::kEoir);
    d.sensor_position = at;
    d.measurement.kind = MeasurementKind::kBearing;
    const Vec3 rae = RangeAzimuthElevation(at, truth);
    d.measurement.z = Vec3(rae[1] + rng_.Normal(0, sigma_ang), rae[2] + rng_.Normal(0, sigma_ang), 0);
    d.measurement.noise = Mat3::Zero();
    d.measurement.noise(0, 0) = d.measurement.noise(1, 1) = sigma_ang * sigma_ang;
    return d;
  }
  Rng& rng() { return rng_; }

 private:
  Detection Base(int sensor, SimTime t, SensorKind kind) {
    Detection d;
    d.id = DetectionId(next_id_++);
    d.sensor = SensorId(sensor);
    d.sensor_kind = kind;
    d.time = t;
    return d;
  }
  Rng rng_;
  int64_t next_id_ = 1;
};

// A straight line at constant velocity.
Vec3 Truth(const Vec3& p0, const Vec3& v, double t) { return p0 + v * t; }

TEST(TrackerTest, ConfirmsThreeOfFiveThenCoastsAndDeletes) {
  Tracker tracker;  // 3 of 5, delete after 8 s without update
  FakeSensors s(1);
  const Vec3 p0(1000, 2000, 500), v(50, 0, 0);
  TrackId id;
  for (int k = 1; k <= 3; ++k) {
    const std::vector<Detection> d = {s.Position(1, At(k), Truth(p0, v, k), 20)};
    const TrackerOutput out = tracker.Step(At(k), d);
    if (k < 3) {
      EXPECT_TRUE(out.tracks.empty()) << k;
      EXPECT_EQ(tracker.TentativeTracksForTest().size(), 1u);
    } else {
      ASSERT_EQ(out.confirmed.size(), 1u);
      ASSERT_EQ(out.tracks.size(), 1u);
      id = out.confirmed[0];
      EXPECT_EQ(out.tracks[0].id, id);
      EXPECT_EQ(out.tracks[0].status, TrackStatus::kConfirmed);
      EXPECT_EQ(out.tracks[0].hits, 3);
      EXPECT_EQ(out.tracks[0].first_seen, At(1));
    }
  }
  // No more detections: coasting until 8 s after the last update (t = 3), deleted at t = 11.
  int deleted_reports = 0;
  for (int k = 4; k <= 14; ++k) {
    const TrackerOutput out = tracker.Step(At(k), {});
    deleted_reports += static_cast<int>(std::count(out.deleted.begin(), out.deleted.end(), id));
    if (k < 11) {
      ASSERT_EQ(out.tracks.size(), 1u) << k;
      EXPECT_EQ(out.tracks[0].status, TrackStatus::kCoasting);
      EXPECT_EQ(out.tracks[0].consecutive_misses, k - 3);
      EXPECT_EQ(out.tracks[0].state.time, At(k));  // predicted to now
      EXPECT_NEAR(out.tracks[0].state.x[0], Truth(p0, v, k).x(), 150.0);
    } else {
      EXPECT_TRUE(out.tracks.empty()) << k;
      if (k == 11) {
        EXPECT_EQ(out.deleted, std::vector<TrackId>{id});
      }
    }
  }
  EXPECT_EQ(deleted_reports, 1);
}

TEST(TrackerTest, MOfNPatterns) {
  FakeSensors s(2);
  const Vec3 p0(0, 0, 100), v(30, 30, 0);
  // hit, miss, hit, miss, hit: 3 hits within 5 steps -> confirmed at step 5.
  {
    Tracker tracker;
    const bool hits[] = {true, false, true, false, true};
    for (int k = 1; k <= 5; ++k) {
      std::vector<Detection> d;
      if (hits[k - 1]) d.push_back(s.Position(1, At(k), Truth(p0, v, k), 10));
      const TrackerOutput out = tracker.Step(At(k), d);
      EXPECT_EQ(out.confirmed.size(), k == 5 ? 1u : 0u) << k;
    }
  }
  // hit, miss, miss: dropped after 2 consecutive misses, never shown.
  {
    Tracker tracker;
    tracker.Step(At(1), std::vector<Detection>{s.Position(1, At(1), Truth(p0, v, 1), 10)});
    tracker.Step(At(2), {});
    EXPECT_EQ(tracker.TentativeTracksForTest().size(), 1u);
    const TrackerOutput out = tracker.Step(At(3), {});
    EXPECT_TRUE(tracker.TentativeTracksForTest().empty());
    EXPECT_TRUE(out.deleted.empty());
    const TrackerOutput later = tracker.Step(At(4), std::vector<Detection>{s.Position(1, At(4), Truth(p0, v, 4), 10)});
    EXPECT_TRUE(later.tracks.empty());
  }
}

TEST(TrackerTest, DeletesWhenCovarianceGrows) {
  TrackerConfig config;
  config.max_position_sigma_m = 150.0;
  config.delete_after = Seconds(1000);
  Tracker tracker(config);
  FakeSensors s(3);
  const Vec3 p0(0, 0, 100), v(30, 0, 0);
  for (int k = 1; k <= 5; ++k) tracker.Step(At(k), std::vector<Detection>{s.Position(1, At(k), Truth(p0, v, k), 10)});
  int deleted_at = -1;
  for (int k = 6; k <= 60 && deleted_at < 0; ++k) {
    const TrackerOutput out = tracker.Step(At(k), {});
    if (!out.deleted.empty()) deleted_at = k;
    for (const Track& t : out.tracks) {
      EXPECT_LE(std::sqrt(t.state.P.topLeftCorner<3, 3>().diagonal().maxCoeff()), 150.0);
    }
  }
  EXPECT_GT(deleted_at, 6);
  EXPECT_LT(deleted_at, 60);
}

TEST(TrackerTest, CrossingTargetsKeepTheirIds) {
  Tracker tracker;
  FakeSensors s(4);
  // Two targets crossing at 90 degrees at t = 30 s, at the same point and altitude.
  const Vec3 cross(20000, 20000, 1000);
  const Vec3 va(150, 0, 0), vb(0, 150, 0);
  const Vec3 pa = cross - 30 * va, pb = cross - 30 * vb;
  std::map<int64_t, int> owner_before, owner_after;  // track id -> target
  for (int k = 1; k <= 60; ++k) {
    const std::vector<Detection> d = {s.Polar(1, Vec3::Zero(), At(k), Truth(pb, vb, k), 20, 0.001),
                                      s.Polar(1, Vec3::Zero(), At(k), Truth(pa, va, k), 20, 0.001)};
    const TrackerOutput out = tracker.Step(At(k), d);
    if (k == 20 || k == 50) {
      ASSERT_EQ(out.tracks.size(), 2u) << k;
      for (const Track& t : out.tracks) {
        const double da = (t.state.position() - Truth(pa, va, k)).norm();
        const double db = (t.state.position() - Truth(pb, vb, k)).norm();
        EXPECT_LT(std::min(da, db), 200.0);
        (k == 20 ? owner_before : owner_after)[t.id.value()] = da < db ? 0 : 1;
      }
    }
  }
  EXPECT_EQ(owner_before, owner_after);
  EXPECT_EQ(owner_before.size(), 2u);
}

double RmsError(bool with_position_sensor) {
  Tracker tracker;
  FakeSensors radar_noise(5), adsb_noise(6);
  const Vec3 p0(8000, 6000, 800), v(-80, 40, 0);
  const Vec3 radar_at(0, 0, 0);
  double sum2 = 0.0;
  int n = 0;
  for (int k = 1; k <= 60; ++k) {
    std::vector<Detection> d = {radar_noise.Polar(1, radar_at, At(k), Truth(p0, v, k), 30, 0.01)};
    if (with_position_sensor) d.push_back(adsb_noise.Position(2, At(k + 0.5), Truth(p0, v, k + 0.5), 60));
    const TrackerOutput out = tracker.Step(At(k + 0.5), d);
    if (k > 10) {
      EXPECT_EQ(out.tracks.size(), 1u) << k;
      if (out.tracks.empty()) continue;
      const Track& t = out.tracks[0];
      EXPECT_EQ(t.contributing_sensors.size(), with_position_sensor ? 2u : 1u);
      sum2 += (t.state.position() - Truth(p0, v, k + 0.5)).squaredNorm();
      ++n;
    }
  }
  return std::sqrt(sum2 / std::max(n, 1));
}

TEST(TrackerTest, RadarPlusPositionSensorBeatsRadarAlone) {
  const double radar_only = RmsError(false);
  const double fused = RmsError(true);
  EXPECT_LT(fused, 0.8 * radar_only) << "radar " << radar_only << " fused " << fused;
}

TEST(TrackerTest, SparseFalseAlarmsRarelyBecomeTracks) {
  Tracker tracker;
  FakeSensors s(7);
  int confirmed = 0;
  size_t max_tentative = 0;
  for (int k = 1; k <= 60; ++k) {
    std::vector<Detection> d;
    for (int c = 0; c < 20; ++c) {
      const Vec3 p(s.rng().Uniform(0, 100000), s.rng().Uniform(0, 100000), s.rng().Uniform(0, 3000));
      d.push_back(s.Position(1, At(k), p, 50));
    }
    confirmed += static_cast<int>(tracker.Step(At(k), d).confirmed.size());
    max_tentative = std::max(max_tentative, tracker.TentativeTracksForTest().size());
  }
  EXPECT_LE(confirmed, 1);
  EXPECT_LE(max_tentative, 60u);  // each lives at most 2 steps without a hit
}

TEST(TrackerTest, BearingsUpdateButNeverStartTracks) {
  Tracker tracker;
  FakeSensors s(8);
  const Vec3 eo_at(500, -500, 0);
  const Vec3 p0(5000, 5000, 300), v(-20, 10, 0);
  // Bearings alone: nothing.
  for (int k = 1; k <= 5; ++k) {
    const std::vector<Detection> d = {s.Bearing(3, eo_at, At(k), Truth(p0, v, k), 0.002)};
    const TrackerOutput out = tracker.Step(At(k), d);
    EXPECT_TRUE(out.tracks.empty());
  }
  EXPECT_TRUE(tracker.TentativeTracksForTest().empty());
  // With a position sensor the track forms; bearings then update it too.
  TrackerOutput out;
  for (int k = 6; k <= 20; ++k) {
    std::vector<Detection> d = {s.Position(1, At(k), Truth(p0, v, k), 40)};
    d.push_back(s.Bearing(3, eo_at, At(k + 0.5), Truth(p0, v, k + 0.5), 0.002));
    out = tracker.Step(At(k + 0.5), d);
  }
  ASSERT_EQ(out.tracks.size(), 1u);
  EXPECT_EQ(out.tracks[0].contributing_sensors, (std::vector<SensorId>{SensorId(1), SensorId(3)}));
  EXPECT_GT(out.tracks[0].hits, 20);  // updates from both sensors
  EXPECT_TRUE(out.tracks[0].status == TrackStatus::kConfirmed);
}

TEST(TrackerTest, BearingsAloneCannotHoldATrack) {
  Tracker tracker;  // delete_after 8 s
  FakeSensors s(18);
  const Vec3 eo_at(500, -500, 0);
  const Vec3 p0(5000, 5000, 300), v(-20, 10, 0);
  TrackerOutput out;
  for (int k = 1; k <= 6; ++k) out = tracker.Step(At(k), std::vector<Detection>{s.Position(1, At(k), Truth(p0, v, k), 40)});
  ASSERT_EQ(out.tracks.size(), 1u);
  const TrackId id = out.tracks[0].id;
  // The ranging sensor loses it; the EO/IR keeps updating the bearing every second.
  bool deleted = false;
  int k = 7;
  for (; k <= 30 && !deleted; ++k) {
    out = tracker.Step(At(k), std::vector<Detection>{s.Bearing(3, eo_at, At(k), Truth(p0, v, k), 0.002)});
    deleted = std::find(out.deleted.begin(), out.deleted.end(), id) != out.deleted.end();
  }
  EXPECT_TRUE(deleted) << "bearings alone kept the track alive";
  EXPECT_LE(k, 6 + 8 + 2) << "deleted about delete_after after the last ranged update";
}

TEST(TrackerTest, RcsFeatureKeepsATrackOffASmallerTarget) {
  TrackerConfig config;
  config.rcs_log_sigma = 0.8;
  Tracker tracker(config);
  FakeSensors s(19);
  const Vec3 p0(0, 0, 200), v(50, 0, 0);
  TrackerOutput out;
  for (int k = 1; k <= 6; ++k) {
    Detection d = s.Position(1, At(k), Truth(p0, v, k), 20);
    d.rcs_m2 = 0.2;
    out = tracker.Step(At(k), std::vector<Detection>{d});
  }
  ASSERT_EQ(out.tracks.size(), 1u);
  // The drone is missed; a bird (a twentieth of its RCS) sits right on its predicted path.
  Detection bird = s.Position(1, At(7), Truth(p0, v, 7) + Vec3(15, 0, 0), 20);
  bird.rcs_m2 = 0.01;
  out = tracker.Step(At(7), std::vector<Detection>{bird});
  ASSERT_EQ(out.tracks.size(), 1u);
  EXPECT_EQ(out.tracks[0].consecutive_misses, 1) << "the drone track took the bird's plot";
  // Without the feature the same plot is taken.
  Tracker plain;
  FakeSensors s2(19);
  for (int k = 1; k <= 6; ++k) {
    Detection d = s2.Position(1, At(k), Truth(p0, v, k), 20);
    d.rcs_m2 = 0.2;
    out = plain.Step(At(k), std::vector<Detection>{d});
  }
  out = plain.Step(At(7), std::vector<Detection>{bird});
  ASSERT_EQ(out.tracks.size(), 1u);
  EXPECT_EQ(out.tracks[0].consecutive_misses, 0);
}

TEST(TrackerTest, CarriesAttributesFromDetections) {
  Tracker tracker;
  FakeSensors s(9);
  const Vec3 p0(0, 3000, 900), v(100, 0, 0);
  TrackerOutput out;
  for (int k = 1; k <= 4; ++k) {
    Detection d = s.Position(2, At(k), Truth(p0, v, k), 15);
    if (k == 1) {
      d.icao24 = 0x484506;
      d.callsign = "KLM123";
      d.friendly_iff = true;
    }
    if (k == 2) d.class_report = ClassReport{ObjectClass::kFixedWing, 0.9};
    if (k == 3) d.rcs_m2 = 12.5;
    out = tracker.Step(At(k), std::vector<Detection>{d});
  }
  ASSERT_EQ(out.tracks.size(), 1u);
  const Track& t = out.tracks[0];
  EXPECT_EQ(t.icao24, 0x484506u);
  EXPECT_EQ(t.callsign, "KLM123");
  EXPECT_TRUE(t.friendly_iff);  // sticky though later detections say false
  ASSERT_TRUE(t.last_class_report.has_value());
  EXPECT_EQ(t.last_class_report->object_class, ObjectClass::kFixedWing);
  EXPECT_EQ(t.rcs_m2, 12.5);  // the first RCS report is taken as it is; later ones are smoothed
  EXPECT_EQ(t.last_update, At(4));
}

TEST(TrackerTest, NoDuplicateFromASplitReturn) {
  Tracker tracker;
  FakeSensors s(10);
  const Vec3 p0(3000, 3000, 500), v(40, 0, 0);
  for (int k = 1; k <= 5; ++k) {
    tracker.Step(At(k), std::vector<Detection>{s.Position(1, At(k), Truth(p0, v, k), 30)});
  }
  // Two returns of the same object in one scan: one updates the track, the other must not start one.
  const std::vector<Detection> d = {s.Position(1, At(6), Truth(p0, v, 6), 30),
                                    s.Position(1, At(6), Truth(p0, v, 6) + Vec3(40, 0, 0), 30)};
  const TrackerOutput out = tracker.Step(At(6), d);
  EXPECT_EQ(out.tracks.size(), 1u);
  EXPECT_TRUE(tracker.TentativeTracksForTest().empty());
}

TEST(TrackerTest, DropsDetectionsOutsideTheTimeWindow) {
  Tracker tracker;
  FakeSensors s(11);
  tracker.Step(At(100), {});
  const std::vector<Detection> d = {s.Position(1, At(101), Vec3(0, 0, 0), 10),   // future
                                    s.Position(1, At(50), Vec3(0, 0, 0), 10),    // too old (lag 10 s)
                                    s.Position(1, At(95), Vec3(0, 0, 0), 10)};   // late but accepted
  const TrackerOutput out = tracker.Step(At(100.5), d);
  EXPECT_EQ(out.dropped_detections, 2);
  EXPECT_EQ(out.scans, 1);
  EXPECT_EQ(tracker.TentativeTracksForTest().size(), 1u);
}

// Many targets, clutter, two sensors; the same input twice (second time shuffled within each
// step) gives identical output, bit for bit.
std::vector<TrackerOutput> RunBusyScenario(bool shuffle) {
  Tracker tracker;
  FakeSensors s(12);
  Rng shuffler(13);
  std::vector<TrackerOutput> outs;
  for (int k = 1; k <= 30; ++k) {
    std::vector<Detection> d;
    for (int i = 0; i < 15; ++i) {
      const Vec3 p0(2000.0 * i, 1000.0 * (i % 5), 500), v(50.0 - 7 * i, 20.0 + 3 * i, 0);
      if (s.rng().Bernoulli(0.9)) d.push_back(s.Polar(1, Vec3::Zero(), At(k), Truth(p0, v, k), 25, 0.003));
      if (i % 3 == 0) d.push_back(s.Position(2, At(k + 0.3), Truth(p0, v, k + 0.3), 40));
    }
    for (int c = 0; c < 10; ++c) {
      d.push_back(s.Position(2, At(k + 0.3), Vec3(s.rng().Uniform(0, 30000), s.rng().Uniform(0, 30000), 500), 40));
    }
    if (shuffle) {
      for (size_t i = d.size(); i > 1; --i) std::swap(d[i - 1], d[shuffler.UniformInt(0, static_cast<int64_t>(i) - 1)]);
    }
    outs.push_back(tracker.Step(At(k + 0.5), d));
  }
  return outs;
}

TEST(TrackerTest, DeterministicAndOrderIndependent) {
  const std::vector<TrackerOutput> a = RunBusyScenario(false);
  const std::vector<TrackerOutput> b = RunBusyScenario(true);
  ASSERT_EQ(a.size(), b.size());
  size_t total_tracks = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(a[k].tracks.size(), b[k].tracks.size()) << k;
    EXPECT_EQ(a[k].confirmed, b[k].confirmed);
    EXPECT_EQ(a[k].deleted, b[k].deleted);
    for (size_t i = 0; i < a[k].tracks.size(); ++i) {
      EXPECT_EQ(a[k].tracks[i].id, b[k].tracks[i].id);
      EXPECT_TRUE(a[k].tracks[i].state.x == b[k].tracks[i].state.x);
      EXPECT_TRUE(a[k].tracks[i].state.P == b[k].tracks[i].state.P);
      if (i > 0) {
        EXPECT_LT(a[k].tracks[i - 1].id, a[k].tracks[i].id);  // sorted by id
      }
    }
    total_tracks += a[k].tracks.size();
  }
  EXPECT_GT(total_tracks, 15u * 20u);  // the scenario really tracks the 15 targets
}

}  // namespace
}  // namespace koepel::tracking
