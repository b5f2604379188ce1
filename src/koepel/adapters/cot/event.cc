// Track -> CotEvent -> XML.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "koepel/adapters/cot/cot.h"
#include "koepel/adapters/cot/internal.h"

namespace koepel::adapters::cot {
namespace {

using internal::EscapeXml;
using internal::FormatDecimal;

// "2025-05-01T12:00:00.000Z"; nullopt outside the years 1..9999.
std::optional<std::string> FormatUtcMillis(int64_t unix_ms) {
  const std::optional<xml::CivilTime> c = xml::ToCivilTime(unix_ms, 0);
  if (!c) return std::nullopt;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c->year, c->month, c->day, c->hour,
                c->minute, c->second, c->millisecond);
  return std::string(buffer);
}

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

// 1-sigma from a variance; unknown (TAK's 9999999) when the variance is not usable.
double Sigma(double variance) {
  if (!std::isfinite(variance) || variance < 0.0) return CotEvent::kUnknownError;
  return std::min(std::sqrt(variance), CotEvent::kUnknownError);
}

// The larger eigenvalue of the horizontal position covariance: the semi-major axis of the 1-sigma ellipse.
double HorizontalSigma(const Mat6& P) {
  const Eigen::Matrix2d h = P.block<2, 2>(0, 0);
  if (!h.allFinite()) return CotEvent::kUnknownError;
  const Eigen::Matrix2d symmetric = 0.5 * (h + h.transpose());
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> solver(symmetric, Eigen::EigenvaluesOnly);
  return Sigma(solver.eigenvalues().maxCoeff());
}

std::string Fixed2(double v) { return FormatDecimal(v, 2); }

std::string Remarks(const Track& track, const Threat* threat) {
  const Identity& id = track.identity;
  std::string r = "class " + std::string(ObjectClassName(id.object_class)) + " (confidence " +
                  Fixed2(id.class_confidence) + "), " + std::string(AffiliationName(id.affiliation));
  if (id.operator_declared) r += " (declared by operator)";
  if (!id.reason.empty()) r += ": " + id.reason;
  if (threat != nullptr) {
    r += "; threat rank " + std::to_string(threat->rank);
    if (threat->asset_at_risk) r += ", asset " + threat->asset_at_risk->ToString();
    r += ", p_hit " + Fixed2(threat->p_hit) + ", time to go " + FormatDecimal(threat->time_to_go.seconds(), 1) + " s";
  } else {
    r += "; no threat";
  }
  return r;
}

Result<CotEvent> BaseEvent(const Track& track, const geo::LocalFrame& frame, SimTime now, const CotOptions& options) {
  const std::string where = "track " + track.id.ToString() + ": ";
  if (!track.state.x.allFinite()) {
    return InvalidArgumentError(where + "state x is not finite (position or velocity is NaN or infinite)");
  }
  CotEvent e;
  e.uid = options.uid_prefix + track.id.ToString();
  const AirSymbol symbol = SymbolFor(track.identity.affiliation, track.identity.object_class);
  e.type = symbol.cot_type;
  e.milsym_id = symbol.sidc_2525d;
  e.how = options.how;
  e.opex = options.opex;
  e.time_unix_ms = e.start_unix_ms = options.clock.ToUnixMs(now);
  const geo::LatLonAlt p = frame.ToGeodetic(track.state.position());
  if (!std::isfinite(p.lat_deg) || !std::isfinite(p.lon_deg) || !std::isfinite(p.alt_m)) {
    return InvalidArgumentError(where + "position converts to a non-finite latitude, longitude or height");
  }
  e.lat_deg = std::clamp(p.lat_deg, -90.0, 90.0);
  e.lon_deg = p.lon_deg;
  if (e.lon_deg > 180.0) e.lon_deg -= 360.0;
  if (e.lon_deg < -180.0) e.lon_deg += 360.0;
  e.hae_m = p.alt_m;
  e.ce_m = HorizontalSigma(track.state.P);
  e.le_m = Sigma(track.state.P(2, 2));
  if (track.callsign && !track.callsign->empty()) {
    e.callsign = *track.callsign;
  } else if (options.synthesize_callsign) {
    e.callsign = Upper(AffiliationName(track.identity.affiliation)) + "-" +
                 Upper(ObjectClassName(track.identity.object_class)) + "-" + track.id.ToString();
  }
  return e;
}

// The schema's patterns for type (\w+(-\w+)*(;[^;]*)?) and how (\w(-\w+)*), \w taken as [A-Za-z0-9_].
bool IsWord(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool MatchesDashedWords(std::string_view s, bool first_single_char) {
  if (s.empty()) return false;
  size_t run = 0;
  bool first = true;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '-') {
      if (run == 0 || (first && first_single_char && run != 1)) return false;
      run = 0;
      first = false;
    } else if (IsWord(s[i])) {
      ++run;
    } else {
      return false;
    }
  }
  return true;
}
bool IsValidType(std::string_view type) {
  const size_t semicolon = type.find(';');
  if (semicolon != std::string_view::npos && type.find(';', semicolon + 1) != std::string_view::npos) return false;
  return MatchesDashedWords(type.substr(0, semicolon), false);
}
bool IsValidOpex(std::string_view opex) {
  return !opex.empty() && (opex[0] == 'o' || opex[0] == 'e' || opex[0] == 's') &&
         (opex.size() == 1 || opex[1] == '-');
}

Status CheckFinite(std::string_view field, double v) {
  if (std::isfinite(v)) return OkStatus();
  return InvalidArgumentError("event/" + std::string(field) + ": " + std::to_string(v) + " is not a finite number");
}
Status CheckRange(std::string_view field, double v, double lo, double hi) {
  KOEPEL_RETURN_IF_ERROR(CheckFinite(field, v));
  if (v >= lo && v <= hi) return OkStatus();
  return InvalidArgumentError("event/" + std::string(field) + ": " + FormatDecimal(v, 7) + " outside [" +
                              FormatDecimal(lo, 0) + ", " + FormatDecimal(hi, 0) + "]");
}

Result<std::string> Time(std::string_view field, int64_t unix_ms) {
  auto t = FormatUtcMillis(unix_ms);
  if (!t) {
    return InvalidArgumentError("event/" + std::string(field) + ": " + std::to_string(unix_ms) +
                                " ms since 1970 is outside the years 1..9999");
  }
  return *t;
}

std::string Attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + EscapeXml(value, true) + "\"";
}

}  // namespace

int64_t WallClock::ToUnixMs(SimTime t) const {
  // Floor division: SimTime before the epoch rounds down like positive times do.
  int64_t ms = t.nanoseconds() / 1'000'000;
  if (t.nanoseconds() % 1'000'000 < 0) --ms;
  return epoch_unix_ms + ms;
}

Result<CotEvent> TrackEvent(const Track& track, std::span<const Threat> threats, const geo::LocalFrame& frame,
                            SimTime now, const CotOptions& options) {
  KOEPEL_ASSIGN_OR_RETURN(CotEvent e, BaseEvent(track, frame, now, options));
  e.stale_unix_ms = options.clock.ToUnixMs(now + options.stale_after);
  const Vec3 v = track.state.velocity();
  const double speed = std::hypot(v.x(), v.y());
  double course = 0.0;  // a hovering track has no direction; north by convention
  if (speed > 0.0) {
    course = std::atan2(v.x(), v.y()) * 180.0 / std::numbers::pi;  // clockwise from north
    if (course < 0.0) course += 360.0;
    if (course >= 360.0) course -= 360.0;
  }
  e.course_deg = course;
  e.speed_mps = speed;
  const Threat* threat = nullptr;
  for (const Threat& t : threats) {
    if (t.track == track.id) threat = &t;
  }
  e.remarks = Remarks(track, threat);
  return e;
}

Result<CotEvent> DropEvent(const Track& track, const geo::LocalFrame& frame, SimTime now, const CotOptions& options) {
  KOEPEL_ASSIGN_OR_RETURN(CotEvent e, BaseEvent(track, frame, now, options));
  e.stale_unix_ms = e.start_unix_ms;
  e.remarks = "dropped: track " + track.id.ToString() + " is no longer held";
  return e;
}

Result<std::string> ToXml(const CotEvent& e) {
  if (e.uid.empty()) return InvalidArgumentError("event/@uid: empty");
  if (!IsValidType(e.type)) {
    return InvalidArgumentError("event/@type: \"" + e.type + "\" does not match \\w+(-\\w+)*(;[^;]*)?");
  }
  if (!MatchesDashedWords(e.how, true)) {
    return InvalidArgumentError("event/@how: \"" + e.how + "\" does not match \\w(-\\w+)*");
  }
  if (!e.opex.empty() && !IsValidOpex(e.opex)) {
    return InvalidArgumentError("event/@opex: \"" + e.opex + "\" is not o, e or s (+ -name)");
  }
  KOEPEL_ASSIGN_OR_RETURN(const std::string time, Time("@time", e.time_unix_ms));
  KOEPEL_ASSIGN_OR_RETURN(const std::string start, Time("@start", e.start_unix_ms));
  KOEPEL_ASSIGN_OR_RETURN(const std::string stale, Time("@stale", e.stale_unix_ms));
  KOEPEL_RETURN_IF_ERROR(CheckRange("point/@lat", e.lat_deg, -90.0, 90.0));
  KOEPEL_RETURN_IF_ERROR(CheckRange("point/@lon", e.lon_deg, -180.0, 180.0));
  KOEPEL_RETURN_IF_ERROR(CheckFinite("point/@hae", e.hae_m));
  KOEPEL_RETURN_IF_ERROR(CheckRange("point/@ce", e.ce_m, 0.0, CotEvent::kUnknownError));
  KOEPEL_RETURN_IF_ERROR(CheckRange("point/@le", e.le_m, 0.0, CotEvent::kUnknownError));
  if (e.course_deg) KOEPEL_RETURN_IF_ERROR(CheckRange("detail/track/@course", *e.course_deg, 0.0, 360.0));
  if (e.speed_mps) KOEPEL_RETURN_IF_ERROR(CheckRange("detail/track/@speed", *e.speed_mps, 0.0, 1e9));

  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<event version=\"2.0\"";
  x += Attribute("uid", e.uid);
  x += Attribute("type", e.type);
  x += Attribute("how", e.how);
  x += Attribute("time", time);
  x += Attribute("start", start);
  x += Attribute("stale", stale);
  if (!e.opex.empty()) x += Attribute("opex", e.opex);
  x += "><point";
  x += Attribute("lat", FormatDecimal(e.lat_deg, 7));
  x += Attribute("lon", FormatDecimal(e.lon_deg, 7));
  x += Attribute("hae", FormatDecimal(e.hae_m, 1));
  x += Attribute("ce", FormatDecimal(e.ce_m, 1));
  x += Attribute("le", FormatDecimal(e.le_m, 1));
  x += "/><detail>";
  if (e.course_deg || e.speed_mps) {
    x += "<track";
    if (e.course_deg) x += Attribute("course", FormatDecimal(*e.course_deg, 2));
    if (e.speed_mps) x += Attribute("speed", FormatDecimal(*e.speed_mps, 2));
    x += "/>";
  }
  if (!e.callsign.empty()) x += "<contact" + Attribute("callsign", e.callsign) + "/>";
  if (!e.milsym_id.empty()) x += "<__milsym" + Attribute("id", e.milsym_id) + "/>";
  if (!e.remarks.empty()) x += "<remarks>" + EscapeXml(e.remarks, false) + "</remarks>";
  x += "</detail></event>";
  return x;
}

}  // namespace koepel::adapters::cot
