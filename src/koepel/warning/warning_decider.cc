// Warning decisions: impact probability per region, then a small per-region state machine
// (quiet -> alerted -> updates -> all-clear), with operator holds.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "koepel/warning/warning.h"

namespace koepel::warning {
namespace {

// Probabilists' Gauss-Hermite rule, n = 10: positive nodes and their weights (weights of all 10 sum to 1).
constexpr std::array<double, 5> kNode = {0.4849357075154976, 1.4659890943911582, 2.4843258416389546,
                                         3.5818234835519269, 4.8594628283323118};
constexpr std::array<double, 5> kWeight = {3.4464233493201907e-01, 1.3548370298026768e-01, 1.9111580500770282e-02,
                                           7.5807093431221756e-04, 4.3106526307183021e-06};

std::string Fmt(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, a);
  return buf;
}

std::string TrackList(const std::vector<TrackId>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + ids[i].ToString();
  return s;
}

}  // namespace

WarningDecider::WarningDecider(WarningConfig config, std::vector<NamedRegion> regions, geo::LocalFrame frame)
    : config_(config), regions_(std::move(regions)), frame_(std::move(frame)), state_(regions_.size()) {
  for (size_t i = 0; i < regions_.size(); ++i) {
    Box b{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (const geo::GeoPolygon& poly : regions_[i].area.outers) {
      for (const geo::LatLonAlt& p : poly.ring) {
        b.min_lat = std::min(b.min_lat, p.lat_deg);
        b.max_lat = std::max(b.max_lat, p.lat_deg);
        b.min_lon = std::min(b.min_lon, p.lon_deg);
        b.max_lon = std::max(b.max_lon, p.lon_deg);
      }
    }
    boxes_.push_back(b);
    index_.emplace(regions_[i].code, i);
  }
}

std::vector<WarningDecider::Sample> WarningDecider::ImpactSamples(const Threat& threat) const {
  const Eigen::Matrix2d cov = 0.5 * (threat.impact_covariance.topLeftCorner<2, 2>() +
                                     threat.impact_covariance.topLeftCorner<2, 2>().transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(cov);
  const Eigen::Vector2d sd = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const Vec3 centre = threat.predicted_impact;
  std::vector<Sample> samples;
  if (sd.maxCoeff() < 1e-6) {
    const geo::LatLonAlt g = frame_.ToGeodetic(centre);
    samples.push_back({g.lat_deg, g.lon_deg, 1.0});
    return samples;
  }
  samples.reserve(100);
  for (int i = 0; i < 10; ++i) {
    const size_t ki = static_cast<size_t>(i < 5 ? 4 - i : i - 5);
    const double ui = (i < 5 ? -1.0 : 1.0) * kNode[ki];
    for (int j = 0; j < 10; ++j) {
      const size_t kj = static_cast<size_t>(j < 5 ? 4 - j : j - 5);
      const double uj = (j < 5 ? -1.0 : 1.0) * kNode[kj];
      const Vec2 offset = eig.eigenvectors() * Vec2(ui * sd(0), uj * sd(1));
      const geo::LatLonAlt g = frame_.ToGeodetic(Vec3(centre.x() + offset.x(), centre.y() + offset.y(), centre.z()));
      samples.push_back({g.lat_deg, g.lon_deg, kWeight[ki] * kWeight[kj]});
    }
  }
  return samples;
}

double WarningDecider::Probability(size_t region, const std::vector<Sample>& samples) const {
  const Box& b = boxes_[region];
  double p = 0.0;
  for (const Sample& s : samples) {
    if (s.lat < b.min_lat || s.lat > b.max_lat || s.lon < b.min_lon || s.lon > b.max_lon) continue;
    if (geo::Contains(regions_[region].area, s.lat, s.lon)) p += s.weight;
  }
  return std::min(p, 1.0);
}

std::vector<double> WarningDecider::ImpactProbabilities(const Threat& threat) const {
  const std::vector<Sample> samples = ImpactSamples(threat);
  std::vector<double> p(regions_.size());
  for (size_t r = 0; r < regions_.size(); ++r) p[r] = Probability(r, samples);
  return p;
}

void WarningDecider::Hold(const std::string& region_code) {
  auto it = index_.find(region_code);
  if (it != index_.end()) state_[it->second].held = true;
}

void WarningDecider::Release(const std::string& region_code) {
  auto it = index_.find(region_code);
  if (it != index_.end()) state_[it->second].held = false;
}

std::vector<Warning> WarningDecider::Decide(SimTime now, std::span<const Threat> threats) {
  // Which threats reach which region, with what probability.
  struct Reach {
    std::vector<TrackId> threats;
    SimTime earliest_impact = SimTime::Max();
    double max_probability = 0.0;
    TrackId most_likely;
  };
  std::vector<Reach> reach(regions_.size());
  for (const Threat& threat : threats) {
    const std::vector<Sample> samples = ImpactSamples(threat);
    for (size_t r = 0; r < regions_.size(); ++r) {
      const double p = Probability(r, samples);
      if (p < config_.min_probability) continue;
      Reach& re = reach[r];
      re.threats.push_back(threat.track);
      re.earliest_impact = std::min(re.earliest_impact, threat.predicted_impact_time);
      if (p > re.max_probability || (p == re.max_probability && threat.track < re.most_likely)) {
        re.max_probability = p;
        re.most_likely = threat.track;
      }
    }
  }

  std::vector<Warning> out;
  for (size_t r = 0; r < regions_.size(); ++r) {
    RegionState& st = state_[r];
    Reach& re = reach[r];
    std::sort(re.threats.begin(), re.threats.end());
    re.threats.erase(std::unique(re.threats.begin(), re.threats.end()), re.threats.end());
    const bool threatened = !re.threats.empty();
    if (threatened) st.last_threatened = now;
    if (st.held) continue;  // nothing goes out; the sent state stays what the public knows

    auto make = [&](WarningKind kind, std::string reason) {
      Warning w;
      w.id = ids_.Next();
      w.kind = kind;
      w.region_code = regions_[r].code;
      w.region_name = regions_[r].name;
      w.threats = threatened ? re.threats : st.sent_threats;
      w.issued_at = now;
      w.predicted_impact_time = threatened ? re.earliest_impact : st.sent_impact_time;
      w.reason = std::move(reason);
      return w;
    };
    const std::string what = "P(impact in " + regions_[r].code + ") " + Fmt("%.2f", re.max_probability) +
                             " from track " + re.most_likely.ToString() + "; threats " + TrackList(re.threats) +
                             "; earliest impact " + FormatSimTime(re.earliest_impact);

    if (threatened && !st.alerted) {
      Warning w = make(WarningKind::kAlert, "alert: " + what);
      alerts_.push_back({w.id, w.region_code, now, w.predicted_impact_time});
      out.push_back(std::move(w));
      st.alerted = true;
      st.sent_threats = re.threats;
      st.sent_impact_time = re.earliest_impact;
      st.last_sent = now;
    } else if (threatened) {
      const bool new_threat = std::any_of(re.threats.begin(), re.threats.end(), [&](TrackId t) {
        return !std::binary_search(st.sent_threats.begin(), st.sent_threats.end(), t);
      });
      const bool time_moved =
          std::abs((re.earliest_impact - st.sent_impact_time).seconds()) >= config_.impact_time_update_s;
      if ((new_threat || time_moved) && now - st.last_sent >= config_.update_min_interval) {
        std::string why = new_threat ? "new threat" : "impact time moved";
        out.push_back(make(WarningKind::kUpdate, "update (" + why + "): " + what));
        st.sent_threats = re.threats;
        st.sent_impact_time = re.earliest_impact;
        st.last_sent = now;
      }
    } else if (st.alerted && now - st.last_threatened >= config_.all_clear_after) {
      out.push_back(make(WarningKind::kAllClear, "all-clear: no threat predicted in " + regions_[r].code + " since " +
                                                     FormatSimTime(st.last_threatened)));
      st.alerted = false;
      st.sent_threats.clear();
      st.last_sent = now;
    }
  }
  return out;
}

}  // namespace koepel::warning
