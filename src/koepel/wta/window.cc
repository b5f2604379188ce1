// Engagement windows. The search is parameterised by the intercept time T rather than the launch
// time: for a candidate T the threat's position p(T) is known, and the launch time that reaches it
// is l(T) = T - |p(T) - effector| / speed (or T - dwell for speed-of-light effectors). That needs no
// root finding, works the same for ballistic paths, and the window is [min l, max l] over the valid T.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <string>
#include <vector>

#include "koepel/wta/internal.h"
#include "koepel/wta/wta.h"

namespace koepel::wta {

namespace {

constexpr double kGravity = 9.80665;

// Why a candidate intercept time fails, in the order the checks are made.
enum class Fail { kNone, kRange, kMinRange, kAltitude, kNoFireZone, kLaunch };

struct Geometry {
  Vec3 p0;         // threat position at `now`
  Vec3 v0;         // threat velocity at `now`
  bool ballistic;  // gravity acts on the path
  Vec3 shooter;
  double speed;    // interceptor speed, m/s; 0: instantaneous
  double dwell_s;
  double ready_s;  // earliest launch, seconds after now
  const Effector* effector;
  std::span<const NoFireZone> zones;

  Vec3 Position(double t) const {
    Vec3 p = p0 + v0 * t;
    if (ballistic) p.z() -= 0.5 * kGravity * t * t;
    // Nothing flies below the ground: a small negative climb-rate estimate extrapolated over a
    // minute would otherwise put a low drone "under" every short-range envelope.
    p.z() = std::max(p.z(), 0.0);
    return p;
  }
  double Launch(double t, const Vec3& p) const {
    return speed > 0.0 ? t - (p - shooter).norm() / speed : t - dwell_s;
  }
  Fail Check(double t, double* launch) const {
    const Vec3 p = Position(t);
    const double range = (p - shooter).norm();
    *launch = Launch(t, p);
    if (range > effector->max_range_m) return Fail::kRange;
    if (range < effector->min_range_m) return Fail::kMinRange;
    if (p.z() < effector->min_altitude_m || p.z() > effector->max_altitude_m) return Fail::kAltitude;
    if (IsKinetic(effector->kind)) {
      for (const NoFireZone& zone : zones) {
        if (zone.polygon.size() >= 3 && geo::Contains(zone.polygon, Vec2(p.head<2>()))) return Fail::kNoFireZone;
      }
    }
    if (*launch < ready_s - 1e-9) return Fail::kLaunch;
    return Fail::kNone;
  }
};

// Moves from a valid intercept time towards an invalid neighbour to the validity boundary.
double RefineBoundary(const Geometry& g, double valid_t, double invalid_t) {
  double launch = 0.0;
  for (int k = 0; k < 60; ++k) {
    const double mid = 0.5 * (valid_t + invalid_t);
    if (g.Check(mid, &launch) == Fail::kNone) {
      valid_t = mid;
    } else {
      invalid_t = mid;
    }
  }
  return valid_t;
}

// The sample indices [first, last] that can pass the range check. The horizontal motion is linear
// (gravity and the ground clamp act on z only) and the slant range is at least the horizontal one,
// so samples outside the interval where |horizontal offset| <= max range fail with kRange for sure:
// skipping them changes no result, and most (effector, threat) pairs of a raid are far apart.
// One sample of margin on each side absorbs rounding. Returns first > last when none can pass.
std::pair<int, int> SamplesWithinHorizontalRange(const Geometry& g, double t_lo, double t_hi, int samples) {
  const Vec2 offset = g.p0.head<2>() - g.shooter.head<2>();
  const Vec2 v = g.v0.head<2>();
  const double r = g.effector->max_range_m;
  const double a = v.squaredNorm();
  const double b = 2.0 * offset.dot(v);
  const double c = offset.squaredNorm() - r * r;
  double t1 = -std::numeric_limits<double>::infinity();
  double t2 = std::numeric_limits<double>::infinity();
  if (a < 1e-12) {
    if (c > 1e-6 * r * r + 1.0) return {1, 0};  // (nearly) still, and out of range throughout
  } else {
    const double disc = b * b - 4.0 * a * c;
    if (disc < 0.0) return {1, 0};
    const double root = std::sqrt(disc);
    t1 = (-b - root) / (2.0 * a);
    t2 = (-b + root) / (2.0 * a);
  }
  const double step = (t_hi - t_lo) / (samples - 1);
  const double lo = std::max(-1.0, std::floor((t1 - t_lo) / step) - 1.0);
  const double hi = std::min(static_cast<double>(samples), std::ceil((t2 - t_lo) / step) + 1.0);
  return {static_cast<int>(std::max(lo, 0.0)), static_cast<int>(std::min(hi, samples - 1.0))};
}

}  // namespace

WindowResult FindWindowExplained(const Effector& effector, const EffectorStatus& status, const Track& track,
                                 const Threat& threat, SimTime now, std::span<const NoFireZone> no_fire_zones) {
  WindowResult result;
  ObjectClass object_class = threat.object_class;
  if (object_class == ObjectClass::kUnknown) object_class = track.identity.object_class;
  const double pk = effector.PkAgainst(object_class);
  if (!(pk > 0.0)) {
    result.why_not = "Pk 0 against " + std::string(ObjectClassName(object_class));
    return result;
  }
  if (status.busy_channels >= effector.fire_channels) {
    result.why_not = "no free fire channel";
    return result;
  }
  SimTime ready = now;
  if (status.rounds_left <= 0) {
    if (effector.reload_time > Duration() && status.reload_done > now) {
      ready = status.reload_done;
    } else {
      result.why_not = "magazine empty";
      return result;
    }
  }
  if (threat.time_to_go <= Duration()) {
    result.why_not = "threat already at its impact";
    return result;
  }
  const double horizon_s = threat.time_to_go.seconds();
  const double ready_s = (ready - now).seconds();
  if (ready_s >= horizon_s) {
    result.why_not = "reload completes after impact";
    return result;
  }

  Geometry g;
  const double since_state = (now - track.state.time).seconds();
  g.ballistic = object_class == ObjectClass::kBallisticMissile;
  g.p0 = track.state.position() + track.state.velocity() * since_state;
  g.v0 = track.state.velocity();
  if (g.ballistic) {
    g.p0.z() -= 0.5 * kGravity * since_state * since_state;
    g.v0.z() -= kGravity * since_state;
  }
  g.shooter = effector.position;
  g.speed = std::max(0.0, effector.interceptor_speed_mps);
  g.dwell_s = std::max(0.0, effector.dwell_time.seconds());
  g.ready_s = ready_s;
  g.effector = &effector;
  g.zones = no_fire_zones;

  // Intercept times from the earliest possible to the threat's impact, every 0.1 s (64..2000 samples).
  const double t_lo = g.speed > 0.0 ? ready_s : ready_s + g.dwell_s;
  const double t_hi = horizon_s;
  if (t_lo > t_hi) {
    result.why_not = "dwell time longer than the time to go";
    return result;
  }
  const int samples = std::clamp(static_cast<int>((t_hi - t_lo) / 0.1) + 1, 64, 2000);
  std::vector<double> times(static_cast<size_t>(samples));
  std::vector<double> launches(static_cast<size_t>(samples));
  std::vector<char> valid(static_cast<size_t>(samples));
  Fail furthest = Fail::kRange;  // the check the best sample got furthest past
  int best_open = -1;
  int best_close = -1;
  const auto [k_first, k_last] = SamplesWithinHorizontalRange(g, t_lo, t_hi, samples);
  for (int k = 0; k < samples; ++k) {
    const double t = t_lo + (t_hi - t_lo) * k / (samples - 1);
    if (k < k_first || k > k_last) {  // fails the range check whatever its height: as if checked
      times[static_cast<size_t>(k)] = t;
      valid[static_cast<size_t>(k)] = 0;
      continue;
    }
    double launch = 0.0;
    const Fail fail = g.Check(t, &launch);
    times[static_cast<size_t>(k)] = t;
    launches[static_cast<size_t>(k)] = launch;
    valid[static_cast<size_t>(k)] = fail == Fail::kNone;
    if (fail != Fail::kNone) {
      if (static_cast<int>(fail) > static_cast<int>(furthest)) furthest = fail;
      continue;
    }
    if (best_open < 0 || launch < launches[static_cast<size_t>(best_open)]) best_open = k;
    if (best_close < 0 || launch > launches[static_cast<size_t>(best_close)]) best_close = k;
  }
  if (best_open < 0) {
    switch (furthest) {
      case Fail::kRange: result.why_not = "no window (out of range)"; break;
      case Fail::kMinRange: result.why_not = "no window (inside minimum range)"; break;
      case Fail::kAltitude: result.why_not = "no window (outside altitude band)"; break;
      case Fail::kNoFireZone: result.why_not = "no window (intercept only inside a no-fire zone)"; break;
      default: result.why_not = "no window (cannot intercept before impact)"; break;
    }
    return result;
  }

  // Refine the extreme samples to the validity boundary next to them (range edge, ready time, ...).
  auto refine = [&](int k, bool minimise) {
    double best_t = times[static_cast<size_t>(k)];
    double best_l = launches[static_cast<size_t>(k)];
    for (int nb : {k - 1, k + 1}) {
      if (nb < 0 || nb >= samples || valid[static_cast<size_t>(nb)]) continue;
      const double t = RefineBoundary(g, times[static_cast<size_t>(k)], times[static_cast<size_t>(nb)]);
      const double l = g.Launch(t, g.Position(t));
      if (minimise ? l < best_l : l > best_l) {
        best_t = t;
        best_l = l;
      }
    }
    return std::pair<double, double>(best_t, best_l);
  };
  const auto [open_t, open_l] = refine(best_open, true);
  const auto [close_t, close_l] = refine(best_close, false);
  (void)close_t;

  EngagementWindow w;
  w.effector = effector.id;
  w.track = track.id;
  w.open = now + SecondsF(std::max(open_l, ready_s));
  w.close = now + SecondsF(std::max(close_l, ready_s));
  w.intercept_time = now + SecondsF(open_t);
  w.intercept_point = g.Position(open_t);
  w.pk = pk;
  result.window = w;
  return result;
}

std::optional<EngagementWindow> FindWindow(const Effector& effector, const EffectorStatus& status, const Track& track,
                                           const Threat& threat, SimTime now,
                                           std::span<const NoFireZone> no_fire_zones) {
  return FindWindowExplained(effector, status, track, threat, now, no_fire_zones).window;
}

}  // namespace koepel::wta
