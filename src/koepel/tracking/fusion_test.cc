// The tracker with several sensors: out-of-sequence detections, bearings-only triangulation,
// JPDA in dense clutter, and a four-sensor scenario scored by GOSPA.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <utility>

#include "koepel/tracking/tracking.h"

namespace koepel::tracking {
namespace {

SimTime At(double s) { return SimTime::Epoch() + SecondsF(s); }

Vec3 Truth(const Vec3& p0, const Vec3& v, double t) { return p0 + v * t; }

// Makes noisy detections of known truth positions, each with a fresh id.
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
  Detection Bearing(int sensor, SensorKind kind, const Vec3& at, SimTime t, const Vec3& truth, double sigma_az,
                    double sigma_el) {
    Detection d = Base(sensor, t, kind);
    d.sensor_position = at;
    d.measurement.kind = MeasurementKind::kBearing;
    const Vec3 rae = RangeAzimuthElevation(at, truth);
    d.measurement.z = Vec3(rae[1] + rng_.Normal(0, sigma_az), rae[2] + rng_.Normal(0, sigma_el), 0);
    d.measurement.noise = Mat3::Zero();
    d.measurement.noise(0, 0) = sigma_az * sigma_az;
    d.measurement.noise(1, 1) = sigma_el * sigma_el;
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

double MaxRelativeDifference(const TrackState& a, const TrackState& b) {
  const double dx = (a.x - b.x).cwiseAbs().maxCoeff() / std::max(1.0, a.x.cwiseAbs().maxCoeff());
  const double dp = (a.P - b.P).cwiseAbs().maxCoeff() / std::max(1.0, a.P.cwiseAbs().maxCoeff());
  return std::max(dx, dp);
}

// ---------------------------------------------------------------------------------------------
// Out-of-sequence detections

// Two targets seen by a radar every second and an ADS-B-like sensor at k + 0.5. Returns the
// outputs of every Step; `late` delays the position sensor's detections of the steps in
// `delayed` by `delay_steps` Steps (they arrive with later batches, stamped with their own times).
std::vector<TrackerOutput> RunOosm(const std::vector<int>& delayed, int delay_steps, Duration lag,
                                   Associator associator = Associator::kGlobalNearestNeighbour) {
  TrackerConfig config;
  config.max_detection_lag = lag;
  config.associator = associator;
  Tracker tracker(config);
  FakeSensors s(41);
  const Vec3 pa(5000, 8000, 600), va(-60, 20, 0), pb(9000, 3000, 900), vb(10, 70, 5);
  std::map<int, std::vector<Detection>> inbox;  // step -> detections delivered then
  for (int k = 1; k <= 20; ++k) {
    for (const auto& [p0, v] : {std::pair{pa, va}, std::pair{pb, vb}}) {
      inbox[k].push_back(s.Polar(1, Vec3::Zero(), At(k), Truth(p0, v, k), 25, 0.004));
      const Detection d = s.Position(2, At(k + 0.5), Truth(p0, v, k + 0.5), 40);
      const bool late = std::find(delayed.begin(), delayed.end(), k) != delayed.end();
      inbox[late ? k + delay_steps : k].push_back(d);
    }
  }
  std::vector<TrackerOutput> outs;
  for (int k = 1; k <= 20; ++k) outs.push_back(tracker.Step(At(k + 0.9), inbox[k]));
  return outs;
}

TEST(OutOfSequenceTest, LateDetectionGivesTheInOrderResult) {
  const std::vector<TrackerOutput> in_order = RunOosm({}, 0, Seconds(10));
  // Detections of steps 8 and 9 arrive three Steps late, after several newer updates.
  const std::vector<TrackerOutput> late = RunOosm({8, 9}, 3, Seconds(10));
  const std::vector<TrackerOutput> never = RunOosm({8, 9}, 100, Seconds(10));  // never delivered
  ASSERT_EQ(in_order.size(), late.size());
  for (int k : {12, 15, 20}) {
    const TrackerOutput &a = in_order[k - 1], &b = late[k - 1], &c = never[k - 1];
    ASSERT_EQ(a.tracks.size(), 2u) << k;
    ASSERT_EQ(b.tracks.size(), 2u) << k;
    ASSERT_EQ(c.tracks.size(), 2u) << k;
    EXPECT_EQ(b.dropped_detections, 0);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(a.tracks[i].id, b.tracks[i].id);
      EXPECT_LT(MaxRelativeDifference(a.tracks[i].state, b.tracks[i].state), 1e-12) << k;
      EXPECT_EQ(a.tracks[i].hits, b.tracks[i].hits);
      // The late detections did matter: without them the states differ visibly.
      if (k == 12) {
        EXPECT_GT(MaxRelativeDifference(a.tracks[i].state, c.tracks[i].state), 1e-6);
      }
    }
  }
  // Before the late ones arrive the late run equals the never run.
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_LT(MaxRelativeDifference(late[9].tracks[i].state, never[9].tracks[i].state), 1e-12);
  }
}

TEST(OutOfSequenceTest, LateButOutsideTheLagIsDropped) {
  // Lag 2 s: detections 4 Steps late are too old, counted as dropped, and change nothing.
  const std::vector<TrackerOutput> late = RunOosm({8}, 4, Seconds(2));
  const std::vector<TrackerOutput> never = RunOosm({8}, 100, Seconds(2));
  EXPECT_EQ(late[11].dropped_detections, 2);  // both targets' detections of step 8, delivered at 12
  int dropped = 0;
  for (const TrackerOutput& o : late) dropped += o.dropped_detections;
  EXPECT_EQ(dropped, 2);
  ASSERT_EQ(late.back().tracks.size(), never.back().tracks.size());
  for (size_t i = 0; i < late.back().tracks.size(); ++i) {
    EXPECT_TRUE(late.back().tracks[i].state.x == never.back().tracks[i].state.x);
  }
  // Within the lag (2 Steps late, 2.4 s old against a 3 s lag) they are used.
  const std::vector<TrackerOutput> used = RunOosm({8}, 2, Seconds(3));
  const std::vector<TrackerOutput> in_order = RunOosm({}, 0, Seconds(3));
  int used_dropped = 0;
  for (const TrackerOutput& o : used) used_dropped += o.dropped_detections;
  EXPECT_EQ(used_dropped, 0);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_LT(MaxRelativeDifference(used.back().tracks[i].state, in_order.back().tracks[i].state), 1e-12);
  }
}

TEST(OutOfSequenceTest, LateDetectionsUnderJpdaStayClose) {
  // JPDA re-filters with the stored weights of the later scans, which in order would have been
  // computed from a slightly different prior: close, not bit-equal.
  const std::vector<TrackerOutput> in_order = RunOosm({}, 0, Seconds(10), Associator::kJpda);
  const std::vector<TrackerOutput> late = RunOosm({8, 9}, 3, Seconds(10), Associator::kJpda);
  ASSERT_EQ(in_order.back().tracks.size(), 2u);
  ASSERT_EQ(late.back().tracks.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const Vec3 d = in_order.back().tracks[i].state.position() - late.back().tracks[i].state.position();
    EXPECT_LT(d.norm(), 1.0);
  }
}

TEST(OutOfSequenceTest, LateDetectionOlderThanTheTrackUpdatesIt) {
  // The track starts from the radar at t = 1; a position report of t = 0.5 arrives at Step 3.
  // Its prior is the first state retrodicted (the one approximate case); later updates are
  // re-applied on top, and the track stays on the target.
  Tracker tracker;
  FakeSensors s(42);
  const Vec3 p0(5000, 8000, 600), v(-60, 20, 0);
  TrackerOutput out;
  for (int k = 1; k <= 6; ++k) {
    std::vector<Detection> d = {s.Polar(1, Vec3::Zero(), At(k), Truth(p0, v, k), 25, 0.004)};
    if (k == 3) d.push_back(s.Position(2, At(0.5), Truth(p0, v, 0.5), 40));
    out = tracker.Step(At(k + 0.9), d);
    EXPECT_EQ(out.dropped_detections, 0);
  }
  ASSERT_EQ(out.tracks.size(), 1u);
  EXPECT_EQ(out.tracks[0].hits, 7);
  EXPECT_EQ(out.tracks[0].contributing_sensors, (std::vector<SensorId>{SensorId(1), SensorId(2)}));
  EXPECT_LT((out.tracks[0].state.position() - Truth(p0, v, 6.9)).norm(), 100.0);
  EXPECT_TRUE(tracker.TentativeTracksForTest().empty());  // no second track from the late report
}

// ---------------------------------------------------------------------------------------------
// Bearings-only initiation

TEST(TriangulationInitiationTest, TwoBearingSensorsStartAndHoldATrack) {
  Tracker tracker;
  FakeSensors s(51);
  const Vec3 eo1(0, 0, 10), eo2(12000, 0, 20);
  const Vec3 p0(5000, 9000, 400), v(-30, 15, 0);
  TrackerOutput out;
  for (int k = 1; k <= 30; ++k) {
    const Vec3 truth = Truth(p0, v, k);
    const std::vector<Detection> d = {s.Bearing(1, SensorKind::kEoir, eo1, At(k), truth, 0.001, 0.001),
                                      s.Bearing(2, SensorKind::kEoir, eo2, At(k + 0.1), Truth(p0, v, k + 0.1), 0.001,
                                                0.001)};
    out = tracker.Step(At(k + 0.5), d);
    if (k == 1) {
      // A tentative track at the intersection, its error inside the geometric covariance.
      const std::vector<Track> tentative = tracker.TentativeTracksForTest();
      ASSERT_EQ(tentative.size(), 1u);
      const TrackState& st = tentative[0].state;
      EXPECT_EQ(st.time, At(1.1));
      const Vec3 e = st.position() - Truth(p0, v, 1.1);
      const Mat3 pp = st.P.topLeftCorner<3, 3>();
      EXPECT_LT(e.dot(pp.ldlt().solve(e)), 16.27);  // 99.9 % for 3 dof
      EXPECT_LT(std::sqrt(pp.trace()), 200.0);       // a real fix, not a vague guess
      EXPECT_EQ(tentative[0].contributing_sensors, (std::vector<SensorId>{SensorId(1), SensorId(2)}));
    }
    if (k == 3) {
      ASSERT_EQ(out.confirmed.size(), 1u);
    }
  }
  // Bearings of two sensors hold the range: the track is not deleted as bearing-only.
  ASSERT_EQ(out.tracks.size(), 1u);
  EXPECT_TRUE(out.deleted.empty());
  EXPECT_LT((out.tracks[0].state.position() - Truth(p0, v, 30.5)).norm(), 60.0);
}

TEST(TriangulationInitiationTest, ThreeSensorsTwoTargetsNoGhostTracks) {
  // RF direction finders with a poor elevation: pairwise ghosts pass the residual gate; the third
  // sensor keeps them from starting tracks.
  Tracker tracker;
  FakeSensors s(52);
  const Vec3 at[3] = {Vec3(0, 0, 10), Vec3(10000, 0, 30), Vec3(5000, -8000, 0)};
  const Vec3 p1(3000, 9000, 800), v1(20, 0, 0), p2(7000, 9500, 800), v2(-20, 5, 0);
  int tentative_max = 0;
  TrackerOutput out;
  for (int k = 1; k <= 10; ++k) {
    std::vector<Detection> d;
    for (int i = 0; i < 3; ++i) {
      for (const auto& [p0, v] : {std::pair{p1, v1}, std::pair{p2, v2}}) {
        d.push_back(s.Bearing(i + 1, SensorKind::kRf, at[i], At(k), Truth(p0, v, k), 0.003, 0.2));
      }
    }
    out = tracker.Step(At(k + 0.5), d);
    tentative_max = std::max(tentative_max, static_cast<int>(tracker.TentativeTracksForTest().size()));
  }
  EXPECT_LE(tentative_max, 2);
  ASSERT_EQ(out.tracks.size(), 2u);
  for (const Track& t : out.tracks) {
    // Horizontally the 3 mrad azimuths fix the targets well; the 0.2 rad elevations leave the
    // altitude loose, so judge that by the track's own covariance.
    const Vec3 truth = (t.state.position() - Truth(p1, v1, 10.5)).norm() < (t.state.position() - Truth(p2, v2, 10.5)).norm()
                           ? Truth(p1, v1, 10.5)
                           : Truth(p2, v2, 10.5);
    const Vec3 e = t.state.position() - truth;
    EXPECT_LT(e.head<2>().norm(), 150.0);
    const Mat3 pp = t.state.P.topLeftCorner<3, 3>();
    EXPECT_LT(e.dot(pp.ldlt().solve(e)), 16.27);
  }
  EXPECT_GT((out.tracks[0].state.position() - out.tracks[1].state.position()).head<2>().norm(), 2000.0);
}

TEST(TriangulationInitiationTest, OffStartsNothing) {
  TrackerConfig config;
  config.triangulate_bearings = false;
  Tracker tracker(config);
  FakeSensors s(53);
  for (int k = 1; k <= 5; ++k) {
    const Vec3 truth(5000, 9000, 400);
    const std::vector<Detection> d = {s.Bearing(1, SensorKind::kEoir, Vec3::Zero(), At(k), truth, 0.001, 0.001),
                                      s.Bearing(2, SensorKind::kEoir, Vec3(12000, 0, 0), At(k), truth, 0.001, 0.001)};
    EXPECT_TRUE(tracker.Step(At(k + 0.5), d).tracks.empty());
  }
  EXPECT_TRUE(tracker.TentativeTracksForTest().empty());
}

// ---------------------------------------------------------------------------------------------
// JPDA in dense clutter

struct KeepScore {
  int kept = 0;      // target-scans followed by the target's own track (from the clean start)
  int possible = 0;  // target-scans after the clean start
};

// Six targets confirmed in a clean start (10 s), then P_D 0.7 and dense clutter: 30 false
// detections per scan uniform in an 800 m cube around each target, 5.9e-8 per m^3, about 1.7 in
// a converged track's 99.9 % gate. A track is "kept" while the id it had at the end of the clean
// start stays within 250 m of its own target (so lost and swapped tracks both count against it).
KeepScore RunDenseClutter(Associator associator, uint64_t seed) {
  const double sigma = 40.0, pd = 0.7;
  const double half = 400.0;               // clutter cube half-side around each target, m
  const double clutter_per_target = 30.0;  // per scan, in that cube
  TrackerConfig config;
  config.associator = associator;
  config.detection_probability = pd;
  config.clutter_density_per_m3 = clutter_per_target / std::pow(2 * half, 3);
  config.process_noise_accel_mps2 = 2.0;
  Tracker tracker(config);
  FakeSensors s(seed);
  struct Target {
    Vec3 p0, v;
  };
  std::vector<Target> targets;
  for (int i = 0; i < 6; ++i) {
    targets.push_back({Vec3(8000.0 * i, 4000.0 * (i % 2), 500.0 + 100 * i),
                       Vec3(s.rng().Uniform(-60, 60), s.rng().Uniform(-60, 60), 0)});
  }
  std::map<int, int64_t> own;  // target -> track id at the end of the clean start
  KeepScore score;
  for (int k = 1; k <= 60; ++k) {
    std::vector<Detection> d;
    const bool clean = k <= 10;
    for (const Target& t : targets) {
      const Vec3 truth = Truth(t.p0, t.v, k);
      if (clean || s.rng().Bernoulli(pd)) d.push_back(s.Position(1, At(k), truth, sigma));
      if (clean) continue;
      const int64_t n = s.rng().Poisson(clutter_per_target);
      for (int64_t c = 0; c < n; ++c) {
        const Vec3 p = truth + Vec3(s.rng().Uniform(-half, half), s.rng().Uniform(-half, half),
                                    s.rng().Uniform(-half, half));
        d.push_back(s.Position(1, At(k), p, 0.0));
        d.back().measurement.noise = sigma * sigma * Mat3::Identity();
      }
    }
    const TrackerOutput out = tracker.Step(At(k), d);
    for (size_t i = 0; i < targets.size(); ++i) {
      const Vec3 truth = Truth(targets[i].p0, targets[i].v, k);
      if (k == 10) {
        for (const Track& tr : out.tracks) {
          if ((tr.state.position() - truth).norm() < 250.0) own[static_cast<int>(i)] = tr.id.value();
        }
      } else if (k > 10) {
        ++score.possible;
        for (const Track& tr : out.tracks) {
          if (own.count(static_cast<int>(i)) && tr.id.value() == own[static_cast<int>(i)] &&
              (tr.state.position() - truth).norm() < 250.0) {
            ++score.kept;
          }
        }
      }
    }
  }
  return score;
}

// Stated expectation: in clutter this dense a GNN track, when its target is missed, takes the
// nearest false detection and is soon pulled off; JPDA weighs every gated detection against the
// clutter density and keeps more of its tracks, over these seeds by a clear margin.
TEST(JpdaTrackerTest, KeepsTracksInDenseClutterBetterThanGnn) {
  KeepScore gnn, jpda;
  for (uint64_t seed : {61u, 62u, 63u, 64u}) {
    const KeepScore g = RunDenseClutter(Associator::kGlobalNearestNeighbour, seed);
    const KeepScore j = RunDenseClutter(Associator::kJpda, seed);
    gnn.kept += g.kept;
    gnn.possible += g.possible;
    jpda.kept += j.kept;
    jpda.possible += j.possible;
  }
  const double gnn_rate = static_cast<double>(gnn.kept) / gnn.possible;
  const double jpda_rate = static_cast<double>(jpda.kept) / jpda.possible;
  RecordProperty("gnn_keep_rate", std::to_string(gnn_rate));
  RecordProperty("jpda_keep_rate", std::to_string(jpda_rate));
  EXPECT_GT(jpda_rate, gnn_rate + 0.1) << "GNN " << gnn_rate << " JPDA " << jpda_rate;
  EXPECT_GT(jpda_rate, 0.9);
}

TEST(JpdaTrackerTest, WithoutClutterJpdaTracksLikeGnn) {
  // One target, P_D 1, no clutter: the JPDA update is the KF update shrunk towards the prior by
  // beta_0 = (1 - P_D P_G) / (...), tiny here; positions agree closely.
  for (Associator a : {Associator::kGlobalNearestNeighbour, Associator::kJpda}) {
    TrackerConfig config;
    config.associator = a;
    config.detection_probability = 0.99;
    Tracker tracker(config);
    FakeSensors s(71);
    const Vec3 p0(1000, 2000, 300), v(40, -20, 0);
    TrackerOutput out;
    double sum2 = 0.0;
    for (int k = 1; k <= 40; ++k) {
      out = tracker.Step(At(k), std::vector<Detection>{s.Position(1, At(k), Truth(p0, v, k), 30)});
      if (k > 5) {
        ASSERT_EQ(out.tracks.size(), 1u);
        sum2 += (out.tracks[0].state.position() - Truth(p0, v, k)).squaredNorm();
      }
    }
    EXPECT_LT(std::sqrt(sum2 / 35), 35.0) << static_cast<int>(a);
    EXPECT_EQ(out.tracks[0].hits, 40);
  }
}

// ---------------------------------------------------------------------------------------------
// Four sensors: two radars, an EO/IR and an RF direction finder

struct SensorSite {
  int id;
  SensorKind kind;
  Vec3 at;
  double offset_s;  // reports at k + offset
  double pd;
};

double MeanGospa(const std::vector<int>& use, uint64_t seed, std::vector<SensorId>* contributing = nullptr) {
  const SensorSite sites[] = {{1, SensorKind::kRadar, Vec3(0, 0, 20), 0.0, 0.8},
                              {2, SensorKind::kRadar, Vec3(20000, 0, 20), 0.5, 0.8},
                              {3, SensorKind::kEoir, Vec3(10000, -6000, 10), 0.25, 0.8},
                              {4, SensorKind::kRf, Vec3(6000, 16000, 10), 0.75, 0.7}};
  struct Target {
    Vec3 p0, v;
  };
  const std::vector<Target> targets = {{Vec3(4000, 6000, 300), Vec3(40, 10, 0)},
                                       {Vec3(14000, 9000, 800), Vec3(-50, -20, 2)},
                                       {Vec3(9000, 2000, 150), Vec3(5, 60, 0)},
                                       {Vec3(16000, 12000, 1200), Vec3(-70, 0, -3)}};
  Tracker tracker;
  FakeSensors s(seed);
  double gospa = 0.0;
  int scans = 0;
  std::vector<SensorId> seen;
  for (int k = 0; k < 90; ++k) {
    std::vector<Detection> d;
    for (const SensorSite& site : sites) {
      const bool on = std::find(use.begin(), use.end(), site.id) != use.end();
      const double t = k + site.offset_s;
      for (const Target& tg : targets) {
        const bool detected = s.rng().Bernoulli(site.pd);  // drawn for every sensor: same truth noise for all runs
        const Vec3 truth = Truth(tg.p0, tg.v, t);
        Detection det;
        switch (site.kind) {
          case SensorKind::kRadar:
            det = s.Polar(site.id, site.at, At(t), truth, 30.0, 0.01);
            break;
          case SensorKind::kEoir:
            det = s.Bearing(site.id, site.kind, site.at, At(t), truth, 0.001, 0.001);
            break;
          default:
            det = s.Bearing(site.id, site.kind, site.at, At(t), truth, 0.02, 0.05);
            break;
        }
        if (on && detected) d.push_back(det);
      }
      // A false alarm per radar scan, anywhere in the 25 km square.
      if (site.kind == SensorKind::kRadar) {
        const Vec3 p(s.rng().Uniform(0, 25000), s.rng().Uniform(0, 25000), s.rng().Uniform(0, 2000));
        const Detection fa = s.Polar(site.id, site.at, At(t), p, 30.0, 0.01);
        if (on) d.push_back(fa);
      }
    }
    const SimTime now = At(k + 0.9);
    const TrackerOutput out = tracker.Step(now, d);
    if (k < 5) continue;  // everyone needs a few scans to confirm
    std::vector<Vec3> truth, est;
    for (const Target& tg : targets) truth.push_back(Truth(tg.p0, tg.v, k + 0.9));
    for (const Track& tr : out.tracks) {
      est.push_back(tr.state.position());
      for (SensorId id : tr.contributing_sensors) {
        if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
      }
    }
    gospa += ScorePicture(truth, est, 1000.0, 2.0).gospa_m;
    ++scans;
  }
  if (contributing != nullptr) {
    std::sort(seen.begin(), seen.end());
    *contributing = seen;
  }
  return gospa / scans;
}

// Stated expectation: the fused picture is better than any single sensor's. Each radar alone
// misses a fifth of its scans and has a coarse cross-range (10 mrad); a single bearing sensor
// cannot start a track, so its GOSPA is the all-missed value sqrt(4 c^2 / 2) = 1414 m.
TEST(MultiSensorTest, FusedBeatsEverySingleSensorOnGospa) {
  for (uint64_t seed : {81u, 82u}) {
    std::vector<SensorId> contributing;
    const double fused = MeanGospa({1, 2, 3, 4}, seed, &contributing);
    const double radar1 = MeanGospa({1}, seed), radar2 = MeanGospa({2}, seed);
    const double eoir = MeanGospa({3}, seed), rf = MeanGospa({4}, seed);
    RecordProperty("gospa_fused_" + std::to_string(seed), std::to_string(fused));
    EXPECT_LT(fused, radar1) << "seed " << seed << " fused " << fused << " radar1 " << radar1;
    EXPECT_LT(fused, radar2) << "seed " << seed << " fused " << fused << " radar2 " << radar2;
    EXPECT_NEAR(eoir, std::sqrt(4 * 1000.0 * 1000.0 / 2), 1e-9);
    EXPECT_NEAR(rf, std::sqrt(4 * 1000.0 * 1000.0 / 2), 1e-9);
    EXPECT_EQ(contributing, (std::vector<SensorId>{SensorId(1), SensorId(2), SensorId(3), SensorId(4)}));
    std::printf("seed %d: GOSPA fused %.1f  radar1 %.1f  radar2 %.1f  eoir %.1f  rf %.1f\n",
                static_cast<int>(seed), fused, radar1, radar2, eoir, rf);
  }
}

// ---------------------------------------------------------------------------------------------
// Non-default motion filters with late detections, JPDA and triangulation

// A drone at 40 m/s: east until t = 8 s, a left turn at 10 deg/s until t = 26 s (180 degrees),
// then west.
Vec3 TurningDrone(double t) {
  const Vec3 p0(3000, 6000, 300);
  const double speed = 40.0, omega = 10.0 * std::numbers::pi / 180.0, t0 = 8.0, t1 = 26.0;
  if (t <= t0) return p0 + Vec3(speed * t, 0, 0);
  const double r = speed / omega;
  const double th = omega * (std::min(t, t1) - t0);
  const Vec3 in_turn = p0 + Vec3(speed * t0 + r * std::sin(th), r * (1.0 - std::cos(th)), 0);
  if (t <= t1) return in_turn;
  return in_turn + speed * (t - t1) * Vec3(std::cos(th), std::sin(th), 0);
}

// The turning drone seen by a radar at k and a position sensor at k + 0.5; the position reports
// of the steps in `delayed` arrive `delay_steps` Steps late.
std::vector<TrackerOutput> RunOosmTurning(const MotionFilterConfig& motion, const std::vector<int>& delayed,
                                          int delay_steps) {
  TrackerConfig config;
  config.motion = motion;
  config.process_noise_accel_mps2 = 0.5;
  Tracker tracker(config);
  FakeSensors s(43);
  std::map<int, std::vector<Detection>> inbox;
  for (int k = 1; k <= 30; ++k) {
    inbox[k].push_back(s.Polar(1, Vec3::Zero(), At(k), TurningDrone(k), 15, 0.002));
    const Detection d = s.Position(2, At(k + 0.5), TurningDrone(k + 0.5), 15);
    const bool late = std::find(delayed.begin(), delayed.end(), k) != delayed.end();
    inbox[late ? k + delay_steps : k].push_back(d);
  }
  std::vector<TrackerOutput> outs;
  for (int k = 1; k <= 30; ++k) outs.push_back(tracker.Step(At(k + 0.9), inbox[k]));
  return outs;
}

// Re-filtering restores each stored update's filter state (turn rate, acceleration, IMM modes and
// probabilities) and re-runs the chosen filter, so a late detection in the turn gives the
// in-order result; re-seeding the extra states or the mode probabilities would not.
TEST(OutOfSequenceTest, LateDetectionGivesTheInOrderResultWithEveryMotionFilter) {
  const MotionFilterConfig filters[] = {
      {.filter = MotionFilter::kImmCvCt},
      {.filter = MotionFilter::kImmCvCt, .nonlinear = NonlinearFilter::kUnscented},
      {.filter = MotionFilter::kCoordinatedTurn},
      {.filter = MotionFilter::kConstantAcceleration},
  };
  for (const MotionFilterConfig& m : filters) {
    const int what = 10 * static_cast<int>(m.filter) + static_cast<int>(m.nonlinear);
    const std::vector<TrackerOutput> in_order = RunOosmTurning(m, {}, 0);
    const std::vector<TrackerOutput> late = RunOosmTurning(m, {12, 13}, 3);  // in the turn
    const std::vector<TrackerOutput> never = RunOosmTurning(m, {12, 13}, 100);
    for (int k : {16, 22, 30}) {
      const TrackerOutput &a = in_order[k - 1], &b = late[k - 1], &c = never[k - 1];
      ASSERT_EQ(a.tracks.size(), 1u) << what << " step " << k;
      ASSERT_EQ(b.tracks.size(), 1u) << what << " step " << k;
      ASSERT_EQ(c.tracks.size(), 1u) << what << " step " << k;
      EXPECT_EQ(a.tracks[0].id, b.tracks[0].id);
      EXPECT_EQ(a.tracks[0].hits, b.tracks[0].hits);
      EXPECT_LT(MaxRelativeDifference(a.tracks[0].state, b.tracks[0].state), 1e-12) << what << " step " << k;
      if (k == 16) {
        EXPECT_GT(MaxRelativeDifference(a.tracks[0].state, c.tracks[0].state), 1e-6) << what;
      }
    }
  }
}

// The turning drone (straight, 180-degree turn, straight; 10 m position plots at 1 Hz) in clutter,
// under JPDA. Returns the share of steps from the turn's start to 10 s after it in which the
// drone's track (its id at the end of a clean start) is within 100 m of it, and the RMSE there.
struct HoldScore {
  int held = 0, possible = 0;
  double se = 0.0;
};
HoldScore RunTurnInClutter(const TrackerConfig& base, uint64_t seed) {
  TrackerConfig config = base;
  const double sigma = 10.0, pd = 0.9, half = 200.0, per_scan = 60.0;
  config.associator = Associator::kJpda;
  config.detection_probability = pd;
  config.clutter_density_per_m3 = per_scan / std::pow(2 * half, 3);
  Tracker tracker(config);
  FakeSensors s(seed);
  HoldScore score;
  int64_t own = -1;
  for (int k = 1; k <= 36; ++k) {
    const Vec3 truth = TurningDrone(k);
    const bool clean = k <= 5;
    std::vector<Detection> d;
    if (clean || s.rng().Bernoulli(pd)) d.push_back(s.Position(1, At(k), truth, sigma));
    if (!clean) {
      const int64_t n = s.rng().Poisson(per_scan);
      for (int64_t c = 0; c < n; ++c) {
        const Vec3 p = truth + Vec3(s.rng().Uniform(-half, half), s.rng().Uniform(-half, half),
                                    s.rng().Uniform(-half, half));
        d.push_back(s.Position(1, At(k), p, 0.0));
        d.back().measurement.noise = sigma * sigma * Mat3::Identity();
      }
    }
    const TrackerOutput out = tracker.Step(At(k), d);
    if (k == 5 && out.tracks.size() == 1) own = out.tracks[0].id.value();
    if (k < 8) continue;  // the turn starts at t = 8 s and ends at 26 s
    ++score.possible;
    for (const Track& tr : out.tracks) {
      const double e = (tr.state.position() - truth).norm();
      if (tr.id.value() == own && e < 100.0) {
        ++score.held;
        score.se += e * e;
      }
    }
  }
  return score;
}

// Stated expectation: a 7 m/s^2 turn is far outside a CV model with 0.5 m/s^2 of noise, whose
// track lags into the clutter and is lost; CV opened up to 3 m/s^2 follows the turn but with wide
// gates (more clutter in them) and noisier estimates; the IMM (CV + CT, 0.5 m/s^2) has both the
// tight straight-line model and the turn, so under JPDA it holds the drone through the turn in
// clutter, more closely than either CV.
TEST(JpdaTrackerTest, ImmHoldsAManoeuvringTargetInClutter) {
  TrackerConfig imm, cv_low, cv;
  imm.motion.filter = MotionFilter::kImmCvCt;
  imm.process_noise_accel_mps2 = 0.5;
  cv_low.process_noise_accel_mps2 = 0.5;
  HoldScore r_imm, r_cv_low, r_cv;
  for (uint64_t seed : {91u, 92u, 93u, 94u}) {
    for (auto [config, score] : {std::pair{&imm, &r_imm}, std::pair{&cv_low, &r_cv_low}, std::pair{&cv, &r_cv}}) {
      const HoldScore h = RunTurnInClutter(*config, seed);
      score->held += h.held;
      score->possible += h.possible;
      score->se += h.se;
    }
  }
  auto rate = [](const HoldScore& h) { return static_cast<double>(h.held) / h.possible; };
  auto rmse = [](const HoldScore& h) { return std::sqrt(h.se / std::max(h.held, 1)); };
  std::printf("JPDA in clutter through the turn: held / RMSE: IMM %.2f / %.1f m, CV(0.5) %.2f / %.1f m, "
              "CV(3) %.2f / %.1f m\n",
              rate(r_imm), rmse(r_imm), rate(r_cv_low), rmse(r_cv_low), rate(r_cv), rmse(r_cv));
  EXPECT_GT(rate(r_imm), 0.95);
  EXPECT_GT(rate(r_imm), rate(r_cv_low) + 0.2);
  EXPECT_GE(rate(r_imm), rate(r_cv));
  EXPECT_LT(rmse(r_imm), rmse(r_cv));
}

// A track started by triangulation under the IMM: its extra states start at 0 within their
// spread, and the two bearing sensors confirm and hold it.
TEST(TriangulationInitiationTest, ImmTrackFromBearingsConfirmsAndHolds) {
  TrackerConfig config;
  config.motion.filter = MotionFilter::kImmCvCt;
  Tracker tracker(config);
  FakeSensors s(54);
  const Vec3 eo1(0, 0, 10), eo2(12000, 0, 20);
  TrackerOutput out;
  for (int k = 1; k <= 30; ++k) {
    const std::vector<Detection> d = {
        s.Bearing(1, SensorKind::kEoir, eo1, At(k), TurningDrone(k), 0.001, 0.001),
        s.Bearing(2, SensorKind::kEoir, eo2, At(k + 0.1), TurningDrone(k + 0.1), 0.001, 0.001)};
    out = tracker.Step(At(k + 0.5), d);
    if (k == 1) {
      ASSERT_EQ(tracker.TentativeTracksForTest().size(), 1u);
    }
    if (k == 3) {
      ASSERT_EQ(out.confirmed.size(), 1u);
    }
    if (k >= 3) {
      ASSERT_EQ(out.tracks.size(), 1u) << k;
      EXPECT_LT((out.tracks[0].state.position() - TurningDrone(k + 0.5)).norm(), 100.0) << k;
    }
  }
  EXPECT_TRUE(out.deleted.empty());
}

}  // namespace
}  // namespace koepel::tracking
