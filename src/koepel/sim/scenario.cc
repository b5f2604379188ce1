#include "koepel/sim/scenario.h"

#include "koepel/sim/raid_generator.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

namespace koepel::sim {

std::optional<double> CampaignTempo(std::string_view preset, int day) {
  const double d = std::max(day, 1) - 1;
  if (preset == "steady") return 1.0;
  if (preset == "surge") return std::max(1.0, 2.0 - 0.5 * d);        // an opening blow, then the routine
  if (preset == "escalating") return std::min(2.0, 0.5 + 0.25 * d);  // a probing start that builds up
  return std::nullopt;
}

double TempoOnDay(const CampaignSettings& campaign, int day) {
  if (!campaign.tempo.empty()) {
    const size_t i = static_cast<size_t>(std::clamp(day - 1, 0, static_cast<int>(campaign.tempo.size()) - 1));
    return campaign.tempo[i];
  }
  return CampaignTempo(campaign.tempo_preset, day).value_or(1.0);
}

int Scenario::expected_threats() const {
  int total = 0;
  for (const Raid& raid : raids) total += raid.count;
  return total;
}

namespace {

// Limits that keep every value representable (Duration is int64 ns) and the flat local frame
// meaningful. Beyond ~1000 km the tangent plane is a poor model of the earth.
constexpr double kMaxSeconds = 1.0e8;
constexpr double kMaxDistanceFromOriginM = 1.0e6;
constexpr int64_t kMaxRaidCount = 100000;
constexpr int64_t kMaxTotalThreats = 10000000;
constexpr int64_t kMaxRounds = 1000000000;
constexpr int64_t kMaxCampaignDays = 3650;
constexpr size_t kMaxFileBytes = 16u << 20;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// An allowed interval for a number, for checks and for messages.
struct Range {
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = false;  // lo itself excluded
};
constexpr Range kPositive{0.0, kInf, true};
constexpr Range kNonNegative{0.0, kInf, false};
constexpr Range kProbability{0.0, 1.0, false};
constexpr Range kLatitude{-90.0, 90.0, false};
constexpr Range kLongitude{-180.0, 180.0, false};
constexpr Range kPositiveSeconds{0.0, kMaxSeconds, true};
constexpr Range kNonNegativeSeconds{0.0, kMaxSeconds, false};
constexpr Range kAltitude{-1000.0, 100000.0, false};
constexpr Range kHeight{0.0, 1.0e6, false};

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string Describe(const Range& r) {
  const bool has_hi = std::isfinite(r.hi);
  if (!has_hi) return std::string(r.lo_open ? "> " : ">= ") + FormatNumber(r.lo);
  if (r.lo_open) return "> " + FormatNumber(r.lo) + " and <= " + FormatNumber(r.hi);
  return "between " + FormatNumber(r.lo) + " and " + FormatNumber(r.hi);
}

bool InRange(double v, const Range& r) {
  if (r.lo_open ? !(v > r.lo) : !(v >= r.lo)) return false;
  return v <= r.hi;
}

// Messages may end up in logs and JSON: control bytes from the input are shown as '?'.
std::string Printable(std::string s) {
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return s;
}

// A short rendering of what was found where something else was expected.
std::string DescribeNode(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar: {
      std::string s = n.Scalar();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "'" + s + "'";
    }
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Undefined:
      break;
  }
  return "an undefined value";
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

template <typename Container>
std::string JoinNames(const Container& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Names of an enum's values, in declaration order, from the model's name function.
template <typename Enum, typename NameFn>
std::vector<std::string> EnumNames(int count, NameFn name) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.emplace_back(name(static_cast<Enum>(i)));
  return out;
}

// The 1-based line of a "---" marker that starts a second document, if any: a marker after the
// first line with content (not blank, a comment or a directive).
std::optional<int> SecondDocumentLine(std::string_view text) {
  bool seen_content = false;
  int line = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t eol = std::min(text.find('\n', pos), text.size());
    std::string_view l = text.substr(pos, eol - pos);
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const bool marker = l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t');
    if (marker && seen_content) return line;
    const size_t first = l.find_first_not_of(" \t");
    if (marker || (first != std::string_view::npos && l[first] != '#' && l[first] != '%')) seen_content = true;
    pos = eol + 1;
  }
  return std::nullopt;
}

class Parser;

// One YAML map with its allowed keys checked on opening; hands out its values by key.
class MapReader {
 public:
  MapReader(const Parser* parser, YAML::Node node, std::string path)
      : parser_(parser), node_(std::move(node)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  std::string PathOf(std::string_view key) const { return Join(path_, key); }
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  const YAML::Node* Find(std::string_view key) const {
    for (const auto& [k, v] : entries_) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  Result<YAML::Node> Require(std::string_view key) const;

  // Typed access; with a default the key is optional.
  Result<double> Number(std::string_view key, Range range, std::optional<double> default_value = std::nullopt) const;
  Result<int64_t> Integer(std::string_view key, int64_t lo, int64_t hi,
                          std::optional<int64_t> default_value = std::nullopt) const;
  Result<bool> Bool(std::string_view key, std::optional<bool> default_value = std::nullopt) const;
  Result<std::string> Text(std::string_view key, std::optional<std::string> default_value = std::nullopt) const;
  Result<Duration> Seconds(std::string_view key, Range range, std::optional<double> default_value = std::nullopt) const;

 private:
  friend class Parser;
  const Parser* parser_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  Result<Scenario> Parse(const std::string& text);

  int LineOf(const YAML::Node& n) const {
    if (!n.IsDefined()) return 1;
    const YAML::Mark mark = n.Mark();
    return mark.line >= 0 ? mark.line + 1 : 1;
  }
  Status ErrorAt(int line, const std::string& path, const std::string& what) const {
    return InvalidArgumentError(file_ + ":" + std::to_string(line) + ": " + Printable(path + ": " + what));
  }
  Status Error(const YAML::Node& at, const std::string& path, const std::string& what) const {
    return ErrorAt(LineOf(at), path, what);
  }

  // Opens a map and rejects keys outside `allowed` (and duplicate or non-text keys).
  Result<MapReader> OpenMap(const YAML::Node& node, const std::string& path,
                            const std::vector<std::string_view>& allowed) const;
  // A list (a missing optional list is empty).
  Result<std::vector<YAML::Node>> List(const YAML::Node& node, const std::string& path) const;

  Result<double> Number(const YAML::Node& n, const std::string& path, Range range) const;
  Result<int64_t> Integer(const YAML::Node& n, const std::string& path, int64_t lo, int64_t hi) const;
  Result<uint64_t> Unsigned(const YAML::Node& n, const std::string& path) const;
  Result<bool> Bool(const YAML::Node& n, const std::string& path) const;
  Result<std::string> Text(const YAML::Node& n, const std::string& path) const;

  template <typename Enum>
  Result<Enum> EnumValue(const YAML::Node& n, const std::string& path, std::string_view what,
                         std::optional<Enum> (*from_name)(std::string_view),
                         const std::vector<std::string>& allowed) const {
    KOEPEL_ASSIGN_OR_RETURN(std::string name, Text(n, path));
    std::optional<Enum> v = from_name(name);
    if (!v) {
      return Error(n, path, "unknown " + std::string(what) + " '" + name + "'; allowed: " + JoinNames(allowed));
    }
    return *v;
  }

  // Geodetic points: {lat, lon} keys of a map, or a [lat, lon] pair; checked against the origin.
  Result<geo::LatLonAlt> LatLonKeys(const MapReader& m) const;
  Result<geo::LatLonAlt> LatLonPair(const YAML::Node& n, const std::string& path) const;
  Result<std::vector<geo::LatLonAlt>> Polygon(const YAML::Node& n, const std::string& path) const;
  Status CheckNearOrigin(const geo::LatLonAlt& p, const YAML::Node& at, const std::string& path) const;
  // Local position: east/north from the ENU frame, z = height above the (flat) ground.
  Vec3 ToLocal(const geo::LatLonAlt& p, double height_m) const {
    Vec3 enu = frame_->ToEnu({p.lat_deg, p.lon_deg, frame_->origin().alt_m});
    enu.z() = height_m;
    return enu;
  }
  std::vector<Vec2> ToLocalPolygon(const std::vector<geo::LatLonAlt>& ring) const {
    std::vector<Vec2> out;
    out.reserve(ring.size());
    for (const auto& p : ring) out.push_back(ToLocal(p, 0.0).head<2>());
    return out;
  }

 private:
  Status ParseTop(const MapReader& top, Scenario& s);
  Status ParseAssets(const MapReader& top, Scenario& s);
  Status ParseSensors(const MapReader& top, Scenario& s);
  Status ParseEffectors(const MapReader& top, Scenario& s);
  Status ParseRaids(const MapReader& top, Scenario& s);
  Status ParseCivilTraffic(const MapReader& top, Scenario& s);
  Status ParseBirds(const MapReader& top, Scenario& s);
  Status ParseRules(const MapReader& top, Scenario& s);
  Status ParseOperatorAndWarning(const MapReader& top, Scenario& s);
  Status ParseStockpile(const MapReader& top, Scenario& s);
  // Threats, sensors and weather that behave like the real ones (raid presets, networks, EO/IR weather).
  Status ParseAcousticNodes(const MapReader& m, ScenarioSensor& x, double height_m) const;
  Status ParseGeneratedRaids(const MapReader& top, Scenario& s);
  Status ParseWeather(const MapReader& top, Scenario& s);
  Result<LaunchArea> ParseLaunchArea(const YAML::Node& n, const std::string& path) const;
  Result<const ThreatTemplate*> TemplateName(const YAML::Node& n, const std::string& path) const;
  Status ParseCampaign(const MapReader& top, Scenario& s);
  // A map of effector kind -> whole number of rounds in [0, kMaxRounds].
  Status RoundsByKind(const YAML::Node& node, const std::string& path,
                      const std::function<void(EffectorKind, int64_t)>& set) const;
  Result<std::vector<ObjectClass>> ClassList(const YAML::Node& n, const std::string& path) const;
  // Rejects a name seen before in the same section.
  Status CheckUnique(std::set<std::string>& seen, const std::string& name, const YAML::Node& at,
                     const std::string& path, std::string_view what) const {
    if (!seen.insert(name).second) return Error(at, path, "duplicate " + std::string(what) + " '" + name + "'");
    return OkStatus();
  }

  std::string file_;
  std::optional<geo::LocalFrame> frame_;
  std::vector<std::string> class_names_ = EnumNames<ObjectClass>(kObjectClassCount, ObjectClassName);
  std::vector<std::string> sensor_kind_names_ = EnumNames<SensorKind>(5, SensorKindName);
  std::vector<std::string> effector_kind_names_ = EnumNames<EffectorKind>(kEffectorKindCount, EffectorKindName);
  std::vector<std::string> doctrine_names_ = EnumNames<Doctrine>(3, DoctrineName);
};

// ---------------------------------------------------------------------------------------------
// MapReader

Result<YAML::Node> MapReader::Require(std::string_view key) const {
  const YAML::Node* v = Find(key);
  if (v == nullptr) return parser_->Error(node_, PathOf(key), "required field missing");
  return *v;
}

Result<double> MapReader::Number(std::string_view key, Range range, std::optional<double> default_value) const {
  const YAML::Node* v = Find(key);
  if (v == nullptr) {
    if (default_value) return *default_value;
    return parser_->Error(node_, PathOf(key), "required field missing");
  }
  return parser_->Number(*v, PathOf(key), range);
}

Result<int64_t> MapReader::Integer(std::string_view key, int64_t lo, int64_t hi,
                                   std::optional<int64_t> default_value) const {
  const YAML::Node* v = Find(key);
  if (v == nullptr) {
    if (default_value) return *default_value;
    return parser_->Error(node_, PathOf(key), "required field missing");
  }
  return parser_->Integer(*v, PathOf(key), lo, hi);
}

Result<bool> MapReader::Bool(std::string_view key, std::optional<bool> default_value) const {
  const YAML::Node* v = Find(key);
  if (v == nullptr) {
    if (default_value) return *default_value;
    return parser_->Error(node_, PathOf(key), "required field missing");
  }
  return parser_->Bool(*v, PathOf(key));
}

Result<std::string> MapReader::Text(std::string_view key, std::optional<std::string> default_value) const {
  const YAML::Node* v = Find(key);
  if (v == nullptr) {
    if (default_value) return *default_value;
    return parser_->Error(node_, PathOf(key), "required field missing");
  }
  return parser_->Text(*v, PathOf(key));
}

Result<Duration> MapReader::Seconds(std::string_view key, Range range, std::optional<double> default_value) const {
  KOEPEL_ASSIGN_OR_RETURN(double s, Number(key, range, default_value));
  return SecondsF(s);
}

// ---------------------------------------------------------------------------------------------
// Parser: generic values

Result<MapReader> Parser::OpenMap(const YAML::Node& node, const std::string& path,
                                  const std::vector<std::string_view>& allowed) const {
  if (!node.IsMap()) {
    return Error(node, path, "expected a map with keys " + JoinNames(allowed) + ", got " + DescribeNode(node));
  }
  MapReader m(this, node, path);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key_node = it->first;
    if (!key_node.IsScalar()) return Error(key_node, path, "keys must be plain names, got " + DescribeNode(key_node));
    std::string key = key_node.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      return Error(key_node, Join(path, key), "unknown key; allowed keys here: " + JoinNames(allowed));
    }
    if (m.Find(key) != nullptr) return Error(key_node, Join(path, key), "key given twice");
    m.entries_.emplace_back(std::move(key), it->second);
  }
  return m;
}

Result<std::vector<YAML::Node>> Parser::List(const YAML::Node& node, const std::string& path) const {
  if (!node.IsSequence()) return Error(node, path, "expected a list, got " + DescribeNode(node));
  std::vector<YAML::Node> out;
  for (auto it = node.begin(); it != node.end(); ++it) out.push_back(*it);
  return out;
}

Result<double> Parser::Number(const YAML::Node& n, const std::string& path, Range range) const {
  if (!n.IsScalar()) return Error(n, path, "expected a number, got " + DescribeNode(n));
  std::string_view s = n.Scalar();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) {
    return Error(n, path, "expected a number, got " + DescribeNode(n));
  }
  if (!InRange(v, range)) return Error(n, path, "must be " + Describe(range) + ", got " + FormatNumber(v));
  return v;
}

Result<int64_t> Parser::Integer(const YAML::Node& n, const std::string& path, int64_t lo, int64_t hi) const {
  if (!n.IsScalar()) return Error(n, path, "expected a whole number, got " + DescribeNode(n));
  std::string_view s = n.Scalar();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Error(n, path, "expected a whole number, got " + DescribeNode(n));
  }
  if (v < lo || v > hi) {
    std::string bound = hi == std::numeric_limits<int64_t>::max()
                            ? ">= " + std::to_string(lo)
                            : "between " + std::to_string(lo) + " and " + std::to_string(hi);
    return Error(n, path, "must be " + bound + ", got " + std::to_string(v));
  }
  return v;
}

Result<uint64_t> Parser::Unsigned(const YAML::Node& n, const std::string& path) const {
  if (!n.IsScalar()) return Error(n, path, "expected a whole number >= 0, got " + DescribeNode(n));
  std::string_view s = n.Scalar();
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Error(n, path, "expected a whole number >= 0, got " + DescribeNode(n));
  }
  return v;
}

Result<bool> Parser::Bool(const YAML::Node& n, const std::string& path) const {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return Error(n, path, "expected true or false, got " + DescribeNode(n));
}

Result<std::string> Parser::Text(const YAML::Node& n, const std::string& path) const {
  if (!n.IsScalar()) return Error(n, path, "expected text, got " + DescribeNode(n));
  return n.Scalar();
}

Status Parser::CheckNearOrigin(const geo::LatLonAlt& p, const YAML::Node& at, const std::string& path) const {
  const double d = geo::GeodesicDistance(frame_->origin(), p);
  if (!(d <= kMaxDistanceFromOriginM)) {
    return Error(at, path,
                 "is " + FormatNumber(std::round(d / 1000.0)) + " km from the origin; the local frame holds to " +
                     FormatNumber(kMaxDistanceFromOriginM / 1000.0) + " km");
  }
  return OkStatus();
}

Result<geo::LatLonAlt> Parser::LatLonKeys(const MapReader& m) const {
  geo::LatLonAlt p;
  KOEPEL_ASSIGN_OR_RETURN(p.lat_deg, m.Number("lat", kLatitude));
  KOEPEL_ASSIGN_OR_RETURN(p.lon_deg, m.Number("lon", kLongitude));
  KOEPEL_RETURN_IF_ERROR(CheckNearOrigin(p, m.node(), m.path()));
  return p;
}

Result<geo::LatLonAlt> Parser::LatLonPair(const YAML::Node& n, const std::string& path) const {
  if (!n.IsSequence() || n.size() != 2) {
    return Error(n, path, "expected a [lat, lon] pair, got " + DescribeNode(n));
  }
  geo::LatLonAlt p;
  KOEPEL_ASSIGN_OR_RETURN(p.lat_deg, Number(n[0], Index(path, 0), kLatitude));
  KOEPEL_ASSIGN_OR_RETURN(p.lon_deg, Number(n[1], Index(path, 1), kLongitude));
  KOEPEL_RETURN_IF_ERROR(CheckNearOrigin(p, n, path));
  return p;
}

Result<std::vector<geo::LatLonAlt>> Parser::Polygon(const YAML::Node& n, const std::string& path) const {
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(n, path));
  std::vector<geo::LatLonAlt> ring;
  for (size_t i = 0; i < items.size(); ++i) {
    KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt p, LatLonPair(items[i], Index(path, i)));
    ring.push_back(p);
  }
  if (ring.size() > 1 && ring.front() == ring.back()) ring.pop_back();  // closed ring: drop the repeat
  if (ring.size() < 3) {
    return Error(n, path, "a polygon needs at least 3 distinct [lat, lon] corners, got " + std::to_string(ring.size()));
  }
  return ring;
}

Result<std::vector<ObjectClass>> Parser::ClassList(const YAML::Node& n, const std::string& path) const {
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(n, path));
  std::vector<ObjectClass> out;
  for (size_t i = 0; i < items.size(); ++i) {
    KOEPEL_ASSIGN_OR_RETURN(ObjectClass c, EnumValue<ObjectClass>(items[i], Index(path, i), "object class",
                                                                  ObjectClassFromName, class_names_));
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser: sections

Status Parser::ParseTop(const MapReader& top, Scenario& s) {
  KOEPEL_ASSIGN_OR_RETURN(s.name, top.Text("name"));
  if (s.name.empty()) return Error(*top.Find("name"), "name", "must not be empty");
  KOEPEL_ASSIGN_OR_RETURN(s.description, top.Text("description", ""));

  KOEPEL_ASSIGN_OR_RETURN(YAML::Node origin_node, top.Require("origin"));
  KOEPEL_ASSIGN_OR_RETURN(MapReader origin, OpenMap(origin_node, "origin", {"lat", "lon", "alt"}));
  KOEPEL_ASSIGN_OR_RETURN(s.origin.lat_deg, origin.Number("lat", kLatitude));
  KOEPEL_ASSIGN_OR_RETURN(s.origin.lon_deg, origin.Number("lon", kLongitude));
  KOEPEL_ASSIGN_OR_RETURN(s.origin.alt_m, origin.Number("alt", kAltitude, 0.0));
  frame_.emplace(s.origin);

  KOEPEL_ASSIGN_OR_RETURN(double duration_s, top.Number("duration_s", kPositiveSeconds, 600.0));
  KOEPEL_ASSIGN_OR_RETURN(double step_s, top.Number("time_step_s", kPositiveSeconds, 1.0));
  if (step_s > duration_s) {
    const YAML::Node* at = top.Find("time_step_s");
    return Error(at != nullptr ? *at : top.node(), "time_step_s",
                 "must not exceed duration_s (" + FormatNumber(duration_s) + "), got " + FormatNumber(step_s));
  }
  s.duration = SecondsF(duration_s);
  s.time_step = SecondsF(step_s);
  if (s.time_step <= Duration()) return Error(top.node(), "time_step_s", "must be at least 1 ns");
  if (const YAML::Node* seed = top.Find("seed")) {
    KOEPEL_ASSIGN_OR_RETURN(s.seed, Unsigned(*seed, "seed"));
  }
  if (const YAML::Node* d = top.Find("doctrine")) {
    KOEPEL_ASSIGN_OR_RETURN(s.doctrine,
                            EnumValue<Doctrine>(*d, "doctrine", "doctrine", DoctrineFromName, doctrine_names_));
  }
  return OkStatus();
}

Status Parser::ParseAssets(const MapReader& top, Scenario& s) {
  KOEPEL_ASSIGN_OR_RETURN(YAML::Node node, top.Require("assets"));
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(node, "assets"));
  if (items.empty()) return Error(node, "assets", "at least one defended asset is needed");
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("assets", i);
    KOEPEL_ASSIGN_OR_RETURN(
        MapReader m, OpenMap(items[i], path, {"name", "category", "value", "lat", "lon", "radius_m", "polygon"}));
    ScenarioAsset a;
    a.asset.id = AssetId(static_cast<int64_t>(i) + 1);
    KOEPEL_ASSIGN_OR_RETURN(a.asset.name, m.Text("name"));
    if (a.asset.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, a.asset.name, *m.Find("name"), m.PathOf("name"), "asset name"));
    KOEPEL_ASSIGN_OR_RETURN(a.asset.category, m.Text("category", "other"));
    KOEPEL_ASSIGN_OR_RETURN(a.asset.value, m.Number("value", kPositive));
    KOEPEL_ASSIGN_OR_RETURN(a.location, LatLonKeys(m));
    a.asset.position = ToLocal(a.location, 0.0);
    if (m.Has("radius_m") && m.Has("polygon")) {
      return Error(*m.Find("polygon"), m.PathOf("polygon"), "give either radius_m or polygon, not both");
    }
    if (const YAML::Node* poly = m.Find("polygon")) {
      KOEPEL_ASSIGN_OR_RETURN(std::vector<geo::LatLonAlt> ring, Polygon(*poly, m.PathOf("polygon")));
      a.asset.footprint = ToLocalPolygon(ring);
      // The radius becomes the footprint's reach from the centre, for quick range checks.
      double reach = 0.0;
      for (const Vec2& v : a.asset.footprint) reach = std::max(reach, (v - a.asset.position.head<2>()).norm());
      a.asset.radius_m = reach;
    } else {
      KOEPEL_ASSIGN_OR_RETURN(a.asset.radius_m, m.Number("radius_m", kPositive, 500.0));
    }
    s.assets.push_back(std::move(a));
  }
  return OkStatus();
}

Status Parser::ParseSensors(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("sensors");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "sensors"));
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("sensors", i);
    KOEPEL_ASSIGN_OR_RETURN(
        MapReader m, OpenMap(items[i], path,
                             {"name", "kind", "lat", "lon", "height_m", "min_range_m", "max_range_m", "range_sigma_m",
                              "bearing_sigma_deg", "position_sigma_m", "detection_probability", "reference_rcs_m2",
                              "scan_period_s", "false_alarms_per_scan", "reports_class", "class_accuracy",
                              "mask_angle_deg", "nodes", "grid", "min_nodes"}));
    ScenarioSensor x;
    x.id = SensorId(static_cast<int64_t>(i) + 1);
    KOEPEL_ASSIGN_OR_RETURN(x.name, m.Text("name"));
    if (x.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, x.name, *m.Find("name"), m.PathOf("name"), "sensor name"));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node kind, m.Require("kind"));
    KOEPEL_ASSIGN_OR_RETURN(
        x.kind, EnumValue<SensorKind>(kind, m.PathOf("kind"), "sensor kind", SensorKindFromName, sensor_kind_names_));
    KOEPEL_ASSIGN_OR_RETURN(double height, m.Number("height_m", kHeight, 10.0));
    if (m.Has("nodes") || m.Has("grid")) {
      KOEPEL_RETURN_IF_ERROR(ParseAcousticNodes(m, x, height));
    } else {
      KOEPEL_ASSIGN_OR_RETURN(x.location, LatLonKeys(m));
      x.location.alt_m = height;
      x.position = ToLocal(x.location, height);
      if (m.Has("min_nodes")) {
        return Error(*m.Find("min_nodes"), m.PathOf("min_nodes"), "only for an acoustic network (nodes or grid)");
      }
    }
    KOEPEL_ASSIGN_OR_RETURN(x.min_range_m, m.Number("min_range_m", kNonNegative, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(x.max_range_m, m.Number("max_range_m", kPositive, x.max_range_m));
    if (x.min_range_m >= x.max_range_m) {
      return Error(
          m.Has("min_range_m") ? *m.Find("min_range_m") : m.node(), m.PathOf("min_range_m"),
          "must be below max_range_m (" + FormatNumber(x.max_range_m) + "), got " + FormatNumber(x.min_range_m));
    }
    KOEPEL_ASSIGN_OR_RETURN(x.range_sigma_m, m.Number("range_sigma_m", kPositive, x.range_sigma_m));
    KOEPEL_ASSIGN_OR_RETURN(double bearing_sigma_deg,
                            m.Number("bearing_sigma_deg", Range{0.0, 180.0, true}, x.bearing_sigma_rad / kDegToRad));
    x.bearing_sigma_rad = bearing_sigma_deg * kDegToRad;
    // A network's fix is a TDOA position over nodes a few hundred metres apart: coarser than ADS-B.
    const double position_sigma_default = x.nodes.empty() ? x.position_sigma_m : 100.0;
    KOEPEL_ASSIGN_OR_RETURN(x.position_sigma_m, m.Number("position_sigma_m", kPositive, position_sigma_default));
    KOEPEL_ASSIGN_OR_RETURN(x.detection_probability,
                            m.Number("detection_probability", kProbability, x.detection_probability));
    KOEPEL_ASSIGN_OR_RETURN(x.reference_rcs_m2, m.Number("reference_rcs_m2", kPositive, x.reference_rcs_m2));
    KOEPEL_ASSIGN_OR_RETURN(x.scan_period, m.Seconds("scan_period_s", kPositiveSeconds, 1.0));
    if (x.scan_period <= Duration()) return Error(m.node(), m.PathOf("scan_period_s"), "must be at least 1 ns");
    KOEPEL_ASSIGN_OR_RETURN(x.false_alarms_per_scan,
                            m.Number("false_alarms_per_scan", Range{0.0, 1.0e4, false}, x.false_alarms_per_scan));
    KOEPEL_ASSIGN_OR_RETURN(x.reports_class, m.Bool("reports_class", x.reports_class));
    KOEPEL_ASSIGN_OR_RETURN(x.class_accuracy, m.Number("class_accuracy", kProbability, x.class_accuracy));
    if (const YAML::Node* mask = m.Find("mask_angle_deg")) {
      KOEPEL_ASSIGN_OR_RETURN(double deg, Number(*mask, m.PathOf("mask_angle_deg"), Range{-10.0, 45.0, false}));
      x.mask_angle_rad = deg * kDegToRad;
    }
    s.sensors.push_back(std::move(x));
  }
  return OkStatus();
}

Status Parser::ParseEffectors(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("effectors");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "effectors"));
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("effectors", i);
    KOEPEL_ASSIGN_OR_RETURN(
        MapReader m, OpenMap(items[i], path,
                             {"name", "kind", "lat", "lon", "min_range_m", "max_range_m", "min_altitude_m",
                              "max_altitude_m", "pk", "cost_per_shot_eur", "magazine", "fire_channels", "reload_time_s",
                              "reload_rounds", "interceptor_speed_mps", "dwell_time_s", "shot_interval_s"}));
    ScenarioEffector x;
    Effector& e = x.effector;
    e.id = EffectorId(static_cast<int64_t>(i) + 1);
    KOEPEL_ASSIGN_OR_RETURN(e.name, m.Text("name"));
    if (e.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, e.name, *m.Find("name"), m.PathOf("name"), "effector name"));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node kind, m.Require("kind"));
    KOEPEL_ASSIGN_OR_RETURN(e.kind, EnumValue<EffectorKind>(kind, m.PathOf("kind"), "effector kind",
                                                            EffectorKindFromName, effector_kind_names_));
    KOEPEL_ASSIGN_OR_RETURN(x.location, LatLonKeys(m));
    e.position = ToLocal(x.location, 0.0);
    KOEPEL_ASSIGN_OR_RETURN(e.min_range_m, m.Number("min_range_m", kNonNegative, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(e.max_range_m, m.Number("max_range_m", kPositive));
    if (e.min_range_m >= e.max_range_m) {
      return Error(
          m.Has("min_range_m") ? *m.Find("min_range_m") : m.node(), m.PathOf("min_range_m"),
          "must be below max_range_m (" + FormatNumber(e.max_range_m) + "), got " + FormatNumber(e.min_range_m));
    }
    KOEPEL_ASSIGN_OR_RETURN(e.min_altitude_m, m.Number("min_altitude_m", kNonNegative, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(e.max_altitude_m, m.Number("max_altitude_m", kPositive));
    if (e.min_altitude_m >= e.max_altitude_m) {
      return Error(m.Has("min_altitude_m") ? *m.Find("min_altitude_m") : m.node(), m.PathOf("min_altitude_m"),
                   "must be below max_altitude_m (" + FormatNumber(e.max_altitude_m) + "), got " +
                       FormatNumber(e.min_altitude_m));
    }
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node pk_node, m.Require("pk"));
    if (!pk_node.IsMap()) {
      return Error(pk_node, m.PathOf("pk"),
                   "expected a map of object class to kill probability, got " + DescribeNode(pk_node));
    }
    std::set<std::string> pk_seen;
    for (auto it = pk_node.begin(); it != pk_node.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) return Error(key, m.PathOf("pk"), "keys must be object class names");
      const std::string cls_path = Join(m.PathOf("pk"), key.Scalar());
      std::optional<ObjectClass> c = ObjectClassFromName(key.Scalar());
      if (!c) {
        return Error(key, cls_path, "unknown object class; allowed: " + JoinNames(class_names_));
      }
      if (!pk_seen.insert(key.Scalar()).second) return Error(key, cls_path, "key given twice");
      KOEPEL_ASSIGN_OR_RETURN(e.pk[static_cast<size_t>(*c)], Number(it->second, cls_path, kProbability));
    }
    if (pk_seen.empty()) return Error(pk_node, m.PathOf("pk"), "give a kill probability for at least one class");
    KOEPEL_ASSIGN_OR_RETURN(e.cost_per_shot_eur, m.Number("cost_per_shot_eur", kNonNegative, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(int64_t magazine, m.Integer("magazine", 1, kMaxRounds));
    e.magazine = static_cast<int>(magazine);
    KOEPEL_ASSIGN_OR_RETURN(int64_t channels, m.Integer("fire_channels", 1, 10000, 1));
    e.fire_channels = static_cast<int>(channels);
    KOEPEL_ASSIGN_OR_RETURN(e.reload_time, m.Seconds("reload_time_s", kNonNegativeSeconds, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(int64_t reload_rounds, m.Integer("reload_rounds", 0, kMaxRounds, 0));
    e.reload_rounds = static_cast<int>(reload_rounds);
    KOEPEL_ASSIGN_OR_RETURN(e.interceptor_speed_mps, m.Number("interceptor_speed_mps", kNonNegative, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(e.dwell_time, m.Seconds("dwell_time_s", kNonNegativeSeconds, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(e.shot_interval, m.Seconds("shot_interval_s", kNonNegativeSeconds, 0.0));
    s.effectors.push_back(std::move(x));
  }
  return OkStatus();
}

Status Parser::ParseRaids(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("raids");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "raids"));
  std::set<std::string> names;
  int64_t total = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("raids", i);
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(items[i], path,
                                                 {"name", "class", "count", "launch_window_s", "launch", "aim",
                                                  "aim_spread_m", "speed_mps", "altitude", "unit_cost_eur",
                                                  "radio_controlled", "emits_rf", "rcs_m2", "lethality", "waypoints",
                                                  "template", "loiter_s", "standoff_m"}));
    Raid r;
    KOEPEL_ASSIGN_OR_RETURN(r.name, m.Text("name"));
    if (r.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, r.name, *m.Find("name"), m.PathOf("name"), "raid name"));
    // A template gives the defaults of every key below it covers; keys in the file override them.
    const ThreatTemplate* templ = nullptr;
    if (const YAML::Node* t = m.Find("template")) {
      KOEPEL_ASSIGN_OR_RETURN(templ, TemplateName(*t, m.PathOf("template")));
      ApplyTemplate(*templ, r);
    }
    if (const YAML::Node* cls = m.Find("class")) {
      KOEPEL_ASSIGN_OR_RETURN(r.object_class, EnumValue<ObjectClass>(*cls, m.PathOf("class"), "object class",
                                                                     ObjectClassFromName, class_names_));
    } else if (templ == nullptr) {
      return Error(m.node(), m.PathOf("class"), "required field missing (or give a template)");
    }
    KOEPEL_ASSIGN_OR_RETURN(int64_t count, m.Integer("count", 1, kMaxRaidCount, 1));
    r.count = static_cast<int>(count);
    total += count;
    if (total > kMaxTotalThreats) {
      return Error(*m.Find("count"), m.PathOf("count"),
                   "raids add up to more than " + std::to_string(kMaxTotalThreats) + " threats");
    }

    // Launch window [start, end] in seconds from the scenario start, inside the duration.
    if (const YAML::Node* w = m.Find("launch_window_s")) {
      const std::string wpath = m.PathOf("launch_window_s");
      if (!w->IsSequence() || w->size() != 2) {
        return Error(*w, wpath, "expected [start, end] in seconds, got " + DescribeNode(*w));
      }
      const Range window{0.0, s.duration.seconds(), false};
      KOEPEL_ASSIGN_OR_RETURN(double start, Number((*w)[0], Index(wpath, 0), window));
      KOEPEL_ASSIGN_OR_RETURN(double end, Number((*w)[1], Index(wpath, 1), window));
      if (end < start) {
        return Error(*w, wpath,
                     "end (" + FormatNumber(end) + ") must not be before start (" + FormatNumber(start) + ")");
      }
      r.launch_start = SecondsF(start);
      r.launch_end = SecondsF(end);
    }

    KOEPEL_ASSIGN_OR_RETURN(YAML::Node launch_node, m.Require("launch"));
    KOEPEL_ASSIGN_OR_RETURN(MapReader launch, OpenMap(launch_node, m.PathOf("launch"), {"lat", "lon", "radius_m"}));
    KOEPEL_ASSIGN_OR_RETURN(r.launch_center, LatLonKeys(launch));
    KOEPEL_ASSIGN_OR_RETURN(r.launch_radius_m, launch.Number("radius_m", kNonNegative, 0.0));
    r.launch_position = ToLocal(r.launch_center, 0.0);

    KOEPEL_ASSIGN_OR_RETURN(YAML::Node aim_node, m.Require("aim"));
    KOEPEL_ASSIGN_OR_RETURN(MapReader aim, OpenMap(aim_node, m.PathOf("aim"), {"asset", "lat", "lon"}));
    if (const YAML::Node* asset = aim.Find("asset")) {
      if (aim.Has("lat") || aim.Has("lon")) {
        return Error(aim_node, aim.path(), "give either asset or lat/lon, not both");
      }
      KOEPEL_ASSIGN_OR_RETURN(std::string name, Text(*asset, aim.PathOf("asset")));
      const ScenarioAsset* found = nullptr;
      std::vector<std::string> asset_names;
      for (const ScenarioAsset& a : s.assets) {
        asset_names.push_back(a.asset.name);
        if (a.asset.name == name) found = &a;
      }
      if (found == nullptr) {
        return Error(*asset, aim.PathOf("asset"),
                     "unknown asset '" + name + "'; assets are: " + JoinNames(asset_names));
      }
      r.aim_asset = name;
      r.aim_position = found->asset.position;
    } else {
      if (!aim.Has("lat") && !aim.Has("lon")) {
        return Error(aim_node, aim.path(), "give asset: NAME or lat and lon");
      }
      KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt p, LatLonKeys(aim));
      r.aim_point = p;
      r.aim_position = ToLocal(p, 0.0);
    }
    KOEPEL_ASSIGN_OR_RETURN(r.aim_spread_m, m.Number("aim_spread_m", kNonNegative, r.aim_spread_m));
    KOEPEL_ASSIGN_OR_RETURN(r.speed_mps, m.Number("speed_mps", Range{0.0, 10000.0, true},
                                                  templ != nullptr ? std::optional<double>(r.speed_mps) : std::nullopt));

    if (const YAML::Node* alt = m.Find("altitude")) {
      KOEPEL_ASSIGN_OR_RETURN(MapReader a, OpenMap(*alt, m.PathOf("altitude"),
                                                   {"cruise_m", "terminal_dive_m", "apogee_m", "terminal_manoeuvre_m",
                                                    "terminal_manoeuvre_s"}));
      AltitudeProfile& p = r.altitude;
      KOEPEL_ASSIGN_OR_RETURN(p.cruise_altitude_m, a.Number("cruise_m", kHeight, p.cruise_altitude_m));
      KOEPEL_ASSIGN_OR_RETURN(p.terminal_dive_m, a.Number("terminal_dive_m", kNonNegative, p.terminal_dive_m));
      KOEPEL_ASSIGN_OR_RETURN(p.apogee_m, a.Number("apogee_m", kHeight, p.apogee_m));
      KOEPEL_ASSIGN_OR_RETURN(p.terminal_manoeuvre_m,
                              a.Number("terminal_manoeuvre_m", Range{0.0, 20000.0, false}, p.terminal_manoeuvre_m));
      KOEPEL_ASSIGN_OR_RETURN(p.terminal_manoeuvre_s,
                              a.Number("terminal_manoeuvre_s", Range{0.0, 600.0, false}, p.terminal_manoeuvre_s));
    }
    if (r.altitude.terminal_manoeuvre_m > 0.0 && r.object_class != ObjectClass::kBallisticMissile) {
      return Error(m.Has("altitude") ? *m.Find("altitude") : m.node(), Join(m.PathOf("altitude"), "terminal_manoeuvre_m"),
                   "only a ballistic_missile raid has a terminal manoeuvre");
    }
    if (r.altitude.terminal_manoeuvre_m > 0.0 && !(r.altitude.terminal_manoeuvre_s > 0.0)) {
      return Error(m.Has("altitude") ? *m.Find("altitude") : m.node(), Join(m.PathOf("altitude"), "terminal_manoeuvre_s"),
                   "a terminal manoeuvre needs a duration > 0");
    }
    if (r.object_class == ObjectClass::kBallisticMissile && !(r.altitude.apogee_m > 0.0)) {
      return Error(m.Has("altitude") ? *m.Find("altitude") : m.node(), Join(m.PathOf("altitude"), "apogee_m"),
                   "a ballistic raid needs an apogee > 0");
    }
    KOEPEL_ASSIGN_OR_RETURN(r.unit_cost_eur, m.Number("unit_cost_eur", kNonNegative, r.unit_cost_eur));
    KOEPEL_ASSIGN_OR_RETURN(r.radio_controlled, m.Bool("radio_controlled", r.radio_controlled));
    KOEPEL_ASSIGN_OR_RETURN(r.emits_rf, m.Bool("emits_rf", r.emits_rf));
    KOEPEL_ASSIGN_OR_RETURN(r.rcs_m2, m.Number("rcs_m2", kPositive, r.rcs_m2));
    KOEPEL_ASSIGN_OR_RETURN(r.lethality, m.Number("lethality", kProbability, r.lethality));
    KOEPEL_ASSIGN_OR_RETURN(r.loiter_s, m.Number("loiter_s", Range{0.0, kMaxSeconds, false}, r.loiter_s));
    KOEPEL_ASSIGN_OR_RETURN(r.standoff_m, m.Number("standoff_m", Range{0.0, kMaxDistanceFromOriginM, false},
                                                   r.standoff_m));
    if (r.object_class == ObjectClass::kBallisticMissile && (r.loiter_s > 0.0 || r.standoff_m > 0.0)) {
      return Error(m.node(), m.PathOf(r.loiter_s > 0.0 ? "loiter_s" : "standoff_m"),
                   "a ballistic missile neither loiters nor releases a stand-off weapon");
    }
    if (const YAML::Node* wps = m.Find("waypoints")) {
      KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> points, List(*wps, m.PathOf("waypoints")));
      for (size_t k = 0; k < points.size(); ++k) {
        KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt p, LatLonPair(points[k], Index(m.PathOf("waypoints"), k)));
        r.waypoints.push_back(p);
        r.waypoint_positions.push_back(ToLocal(p, r.altitude.cruise_altitude_m));
      }
    }
    s.raids.push_back(std::move(r));
  }
  return OkStatus();
}

Status Parser::ParseCivilTraffic(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("civil_traffic");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "civil_traffic"));
  std::set<std::string> callsigns;
  std::set<std::string> addresses;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("civil_traffic", i);
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(items[i], path,
                                                 {"callsign", "icao24", "adsb", "friendly", "from", "to", "start_s",
                                                  "speed_mps", "altitude_m", "rcs_m2", "class"}));
    CivilFlight f;
    KOEPEL_ASSIGN_OR_RETURN(f.callsign, m.Text("callsign"));
    if (f.callsign.empty()) return Error(*m.Find("callsign"), m.PathOf("callsign"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(callsigns, f.callsign, *m.Find("callsign"), m.PathOf("callsign"), "callsign"));
    KOEPEL_ASSIGN_OR_RETURN(f.broadcasts_adsb, m.Bool("adsb", true));
    KOEPEL_ASSIGN_OR_RETURN(f.friendly, m.Bool("friendly", false));
    if (const YAML::Node* icao = m.Find("icao24")) {
      const std::string ipath = m.PathOf("icao24");
      KOEPEL_ASSIGN_OR_RETURN(std::string hex, Text(*icao, ipath));
      uint32_t address = 0;
      const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), address, 16);
      if (hex.size() != 6 || ec != std::errc() || end != hex.data() + hex.size() || address == 0) {
        return Error(*icao, ipath,
                     "expected a 24-bit address as 6 hex digits like \"484506\", got " + DescribeNode(*icao));
      }
      for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      KOEPEL_RETURN_IF_ERROR(CheckUnique(addresses, hex, *icao, ipath, "icao24 address"));
      f.icao24 = address;
    } else if (f.broadcasts_adsb) {
      return Error(m.node(), m.PathOf("icao24"), "required field missing (a flight with adsb: true has an address)");
    }
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node from, m.Require("from"));
    KOEPEL_ASSIGN_OR_RETURN(f.from, LatLonPair(from, m.PathOf("from")));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node to, m.Require("to"));
    KOEPEL_ASSIGN_OR_RETURN(f.to, LatLonPair(to, m.PathOf("to")));
    if (f.from == f.to) return Error(to, m.PathOf("to"), "must differ from 'from'");
    KOEPEL_ASSIGN_OR_RETURN(f.start, m.Seconds("start_s", Range{0.0, s.duration.seconds(), false}, 0.0));
    KOEPEL_ASSIGN_OR_RETURN(f.speed_mps, m.Number("speed_mps", Range{0.0, 1000.0, true}, f.speed_mps));
    KOEPEL_ASSIGN_OR_RETURN(f.altitude_m, m.Number("altitude_m", Range{0.0, 30000.0, false}, f.altitude_m));
    f.from.alt_m = f.altitude_m;
    f.to.alt_m = f.altitude_m;
    f.from_position = ToLocal(f.from, f.altitude_m);
    f.to_position = ToLocal(f.to, f.altitude_m);
    KOEPEL_ASSIGN_OR_RETURN(f.rcs_m2, m.Number("rcs_m2", kPositive, f.rcs_m2));
    if (const YAML::Node* cls = m.Find("class")) {
      KOEPEL_ASSIGN_OR_RETURN(f.object_class, EnumValue<ObjectClass>(*cls, m.PathOf("class"), "object class",
                                                                     ObjectClassFromName, class_names_));
    }
    s.civil_traffic.push_back(std::move(f));
  }
  return OkStatus();
}

Status Parser::ParseBirds(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("birds");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "birds"));
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("birds", i);
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(items[i], path,
                                                 {"name", "count", "lat", "lon", "radius_m", "altitude_m",
                                                  "speed_mps", "rcs_m2"}));
    BirdFlock b;
    KOEPEL_ASSIGN_OR_RETURN(b.name, m.Text("name"));
    if (b.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, b.name, *m.Find("name"), m.PathOf("name"), "bird flock name"));
    KOEPEL_ASSIGN_OR_RETURN(int64_t count, m.Integer("count", 1, 10000, b.count));
    b.count = static_cast<int>(count);
    KOEPEL_ASSIGN_OR_RETURN(b.center, LatLonKeys(m));
    KOEPEL_ASSIGN_OR_RETURN(b.radius_m, m.Number("radius_m", kPositive, b.radius_m));
    KOEPEL_ASSIGN_OR_RETURN(b.altitude_m, m.Number("altitude_m", Range{0.0, 5000.0, false}, b.altitude_m));
    KOEPEL_ASSIGN_OR_RETURN(b.speed_mps, m.Number("speed_mps", Range{0.0, 40.0, true}, b.speed_mps));
    KOEPEL_ASSIGN_OR_RETURN(b.rcs_m2, m.Number("rcs_m2", kPositive, b.rcs_m2));
    b.center.alt_m = b.altitude_m;
    b.center_position = ToLocal(b.center, b.altitude_m);
    s.birds.push_back(std::move(b));
  }
  return OkStatus();
}

Status Parser::ParseRules(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("rules_of_engagement");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(MapReader roe,
                          OpenMap(*node, "rules_of_engagement", {"hostile_classes", "auto_release", "no_fire_zones"}));
  RulesOfEngagement& rules = s.rules.rules;
  if (const YAML::Node* h = roe.Find("hostile_classes")) {
    KOEPEL_ASSIGN_OR_RETURN(rules.hostile_classes, ClassList(*h, roe.PathOf("hostile_classes")));
  }
  if (const YAML::Node* ar = roe.Find("auto_release")) {
    KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*ar, roe.PathOf("auto_release")));
    std::set<std::string> names;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string path = Index(roe.PathOf("auto_release"), i);
      KOEPEL_ASSIGN_OR_RETURN(MapReader m,
                              OpenMap(items[i], path, {"name", "effectors", "classes", "requires_hostile"}));
      AutoReleaseRule rule;
      KOEPEL_ASSIGN_OR_RETURN(rule.name, m.Text("name"));
      if (rule.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
      KOEPEL_RETURN_IF_ERROR(CheckUnique(names, rule.name, *m.Find("name"), m.PathOf("name"), "rule name"));
      KOEPEL_ASSIGN_OR_RETURN(YAML::Node kinds_node, m.Require("effectors"));
      KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> kinds, List(kinds_node, m.PathOf("effectors")));
      if (kinds.empty()) return Error(kinds_node, m.PathOf("effectors"), "name at least one effector kind");
      for (size_t k = 0; k < kinds.size(); ++k) {
        KOEPEL_ASSIGN_OR_RETURN(EffectorKind kind,
                                EnumValue<EffectorKind>(kinds[k], Index(m.PathOf("effectors"), k), "effector kind",
                                                        EffectorKindFromName, effector_kind_names_));
        rule.effector_kinds.push_back(kind);
      }
      KOEPEL_ASSIGN_OR_RETURN(YAML::Node classes_node, m.Require("classes"));
      KOEPEL_ASSIGN_OR_RETURN(rule.target_classes, ClassList(classes_node, m.PathOf("classes")));
      if (rule.target_classes.empty()) return Error(classes_node, m.PathOf("classes"), "name at least one class");
      KOEPEL_ASSIGN_OR_RETURN(rule.requires_hostile, m.Bool("requires_hostile", true));
      rules.auto_release.push_back(std::move(rule));
    }
  }
  if (const YAML::Node* nfz = roe.Find("no_fire_zones")) {
    KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*nfz, roe.PathOf("no_fire_zones")));
    std::set<std::string> names;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string path = Index(roe.PathOf("no_fire_zones"), i);
      KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(items[i], path, {"name", "polygon"}));
      NoFireZone zone;
      KOEPEL_ASSIGN_OR_RETURN(zone.name, m.Text("name"));
      if (zone.name.empty()) return Error(*m.Find("name"), m.PathOf("name"), "must not be empty");
      KOEPEL_RETURN_IF_ERROR(CheckUnique(names, zone.name, *m.Find("name"), m.PathOf("name"), "no-fire zone name"));
      KOEPEL_ASSIGN_OR_RETURN(YAML::Node poly, m.Require("polygon"));
      KOEPEL_ASSIGN_OR_RETURN(std::vector<geo::LatLonAlt> ring, Polygon(poly, m.PathOf("polygon")));
      zone.polygon = ToLocalPolygon(ring);
      rules.no_fire_zones.push_back(std::move(zone));
      s.rules.no_fire_zone_polygons.push_back(std::move(ring));
    }
  }
  return OkStatus();
}

Status Parser::ParseOperatorAndWarning(const MapReader& top, Scenario& s) {
  if (const YAML::Node* op = top.Find("operator")) {
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(*op, "operator", {"reaction_time_s", "approval_probability"}));
    KOEPEL_ASSIGN_OR_RETURN(s.operator_model.reaction_time, m.Seconds("reaction_time_s", kNonNegativeSeconds, 5.0));
    KOEPEL_ASSIGN_OR_RETURN(s.operator_model.approval_probability, m.Number("approval_probability", kProbability, 1.0));
  }
  if (const YAML::Node* w = top.Find("warning")) {
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(*w, "warning", {"regions", "min_probability"}));
    KOEPEL_ASSIGN_OR_RETURN(s.warning.regions, m.Text("regions", s.warning.regions));
    if (s.warning.regions != "safety_regions" && s.warning.regions != "municipalities" && s.warning.regions != "none") {
      return Error(*m.Find("regions"), m.PathOf("regions"),
                   "unknown region set '" + s.warning.regions + "'; allowed: safety_regions, municipalities, none");
    }
    KOEPEL_ASSIGN_OR_RETURN(s.warning.min_probability,
                            m.Number("min_probability", Range{0.0, 1.0, true}, s.warning.min_probability));
  }
  return OkStatus();
}

Status Parser::ParseStockpile(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("stockpile");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(*node, "stockpile", {"expected_threats", "resupply_rounds"}));
  s.stockpile.given = true;
  if (const YAML::Node* list = m.Find("expected_threats")) {
    KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*list, m.PathOf("expected_threats")));
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string path = Index(m.PathOf("expected_threats"), i);
      KOEPEL_ASSIGN_OR_RETURN(MapReader e, OpenMap(items[i], path, {"class", "count", "value"}));
      wta::ExpectedThreats expected;
      KOEPEL_ASSIGN_OR_RETURN(YAML::Node cls, e.Require("class"));
      KOEPEL_ASSIGN_OR_RETURN(expected.object_class, EnumValue<ObjectClass>(cls, e.PathOf("class"), "object class",
                                                                            ObjectClassFromName, class_names_));
      KOEPEL_ASSIGN_OR_RETURN(expected.count, e.Number("count", kNonNegative));
      KOEPEL_ASSIGN_OR_RETURN(expected.value, e.Number("value", kNonNegative));
      s.stockpile.expected_threats.push_back(expected);
    }
  }
  if (const YAML::Node* resupply = m.Find("resupply_rounds")) {
    if (!resupply->IsMap()) {
      return Error(*resupply, m.PathOf("resupply_rounds"),
                   "expected a map of effector kind to rounds, got " + DescribeNode(*resupply));
    }
    for (auto it = resupply->begin(); it != resupply->end(); ++it) {
      const YAML::Node key = it->first;
      const std::string path = Join(m.PathOf("resupply_rounds"), key.IsScalar() ? key.Scalar() : "?");
      std::optional<EffectorKind> kind = key.IsScalar() ? EffectorKindFromName(key.Scalar()) : std::nullopt;
      if (!kind) return Error(key, path, "unknown effector kind; allowed: " + JoinNames(effector_kind_names_));
      KOEPEL_ASSIGN_OR_RETURN(s.stockpile.resupply_rounds[static_cast<size_t>(*kind)],
                              Number(it->second, path, kNonNegative));
    }
  }
  return OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Parser: threats, sensors and weather that behave like the real ones

Result<const ThreatTemplate*> Parser::TemplateName(const YAML::Node& n, const std::string& path) const {
  KOEPEL_ASSIGN_OR_RETURN(std::string name, Text(n, path));
  if (const ThreatTemplate* t = FindThreatTemplate(name)) return t;
  std::vector<std::string_view> names;
  for (const ThreatTemplate& t : ThreatTemplates()) names.push_back(t.name);
  return Error(n, path, "unknown threat template '" + name + "'; allowed: " + JoinNames(names));
}

Result<LaunchArea> Parser::ParseLaunchArea(const YAML::Node& n, const std::string& path) const {
  KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(n, path, {"lat", "lon", "radius_m"}));
  LaunchArea area;
  KOEPEL_ASSIGN_OR_RETURN(area.center, LatLonKeys(m));
  KOEPEL_ASSIGN_OR_RETURN(area.radius_m, m.Number("radius_m", kNonNegative, 0.0));
  area.position = ToLocal(area.center, 0.0);
  return area;
}

Status Parser::ParseAcousticNodes(const MapReader& m, ScenarioSensor& x, double height_m) const {
  constexpr int64_t kMaxNodes = 20000;
  const std::string_view key = m.Has("nodes") ? "nodes" : "grid";
  const YAML::Node& at = *m.Find(key);
  if (x.kind != SensorKind::kAcoustic) return Error(at, m.PathOf(key), "only an acoustic sensor can be a network of nodes");
  if (m.Has("nodes") && m.Has("grid")) return Error(at, m.PathOf("grid"), "give either nodes or grid, not both");
  if (m.Has("lat") || m.Has("lon")) {
    return Error(*m.Find(m.Has("lat") ? "lat" : "lon"), m.PathOf(m.Has("lat") ? "lat" : "lon"),
                 "a network's site is its nodes; leave out lat and lon");
  }
  if (key == "nodes") {
    KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> points, List(at, m.PathOf("nodes")));
    if (static_cast<int64_t>(points.size()) > kMaxNodes) {
      return Error(at, m.PathOf("nodes"), "at most " + std::to_string(kMaxNodes) + " nodes");
    }
    for (size_t k = 0; k < points.size(); ++k) {
      KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt p, LatLonPair(points[k], Index(m.PathOf("nodes"), k)));
      x.nodes.push_back(ToLocal(p, height_m));
    }
  } else {
    KOEPEL_ASSIGN_OR_RETURN(MapReader g, OpenMap(at, m.PathOf("grid"), {"south_west", "north_east", "spacing_m"}));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node sw_node, g.Require("south_west"));
    KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt sw, LatLonPair(sw_node, g.PathOf("south_west")));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node ne_node, g.Require("north_east"));
    KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt ne, LatLonPair(ne_node, g.PathOf("north_east")));
    if (!(ne.lat_deg >= sw.lat_deg && ne.lon_deg >= sw.lon_deg)) {
      return Error(ne_node, g.PathOf("north_east"), "must lie north and east of south_west");
    }
    KOEPEL_ASSIGN_OR_RETURN(double spacing, g.Number("spacing_m", Range{10.0, kInf, false}));
    const Vec3 a = ToLocal(sw, height_m);
    const Vec3 b = ToLocal(ne, height_m);
    const double columns = std::floor((b.x() - a.x()) / spacing) + 1.0;
    const double rows = std::floor((b.y() - a.y()) / spacing) + 1.0;
    if (columns * rows > static_cast<double>(kMaxNodes)) {
      return Error(at, m.PathOf("grid"),
                   "makes " + FormatNumber(columns * rows) + " nodes; at most " + std::to_string(kMaxNodes));
    }
    for (int j = 0; j < static_cast<int>(rows); ++j) {
      for (int i = 0; i < static_cast<int>(columns); ++i) {
        x.nodes.push_back(Vec3(a.x() + i * spacing, a.y() + j * spacing, height_m));
      }
    }
  }
  KOEPEL_ASSIGN_OR_RETURN(int64_t min_nodes, m.Integer("min_nodes", 2, 1000, x.min_nodes));
  if (min_nodes > static_cast<int64_t>(x.nodes.size())) {
    return Error(m.Has("min_nodes") ? *m.Find("min_nodes") : at, m.PathOf("min_nodes"),
                 "must not exceed the number of nodes (" + std::to_string(x.nodes.size()) + "), got " +
                     std::to_string(min_nodes));
  }
  x.min_nodes = static_cast<int>(min_nodes);
  Vec3 centroid = Vec3::Zero();
  for (const Vec3& n : x.nodes) centroid += n;
  centroid /= static_cast<double>(x.nodes.size());
  x.position = centroid;
  x.location = frame_->ToGeodetic(Vec3(centroid.x(), centroid.y(), 0.0));
  x.location.alt_m = height_m;
  return OkStatus();
}

Status Parser::ParseGeneratedRaids(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("generated_raids");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*node, "generated_raids"));
  std::set<std::string> names;
  std::set<std::string> raid_names;
  for (const Raid& r : s.raids) raid_names.insert(r.name);
  int64_t total = s.expected_threats();
  const std::vector<std::string> preset_names = EnumNames<RaidPreset>(kRaidPresetCount, RaidPresetName);
  std::vector<std::string> category_names;
  for (ObjectClass c : kRaidCategories) category_names.emplace_back(ObjectClassName(c));
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = Index("generated_raids", i);
    KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(items[i], path,
                                                 {"name", "preset", "scale", "time_scale", "start_window_s", "launch",
                                                  "launch_by_class", "aim_assets", "aim_spread_m", "templates"}));
    GeneratedRaidSpec spec;
    KOEPEL_ASSIGN_OR_RETURN(spec.name, m.Text("name"));
    const YAML::Node& name_node = *m.Find("name");
    if (spec.name.empty()) return Error(name_node, m.PathOf("name"), "must not be empty");
    KOEPEL_RETURN_IF_ERROR(CheckUnique(names, spec.name, name_node, m.PathOf("name"), "generated raid name"));
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node preset, m.Require("preset"));
    KOEPEL_ASSIGN_OR_RETURN(spec.preset, EnumValue<RaidPreset>(preset, m.PathOf("preset"), "raid preset",
                                                               RaidPresetFromName, preset_names));
    KOEPEL_ASSIGN_OR_RETURN(spec.scale, m.Number("scale", Range{0.0, 100.0, true}, 1.0));
    KOEPEL_ASSIGN_OR_RETURN(spec.time_scale, m.Number("time_scale", Range{0.0, 10.0, true}, 1.0));
    if (const YAML::Node* w = m.Find("start_window_s")) {
      const std::string wpath = m.PathOf("start_window_s");
      if (!w->IsSequence() || w->size() != 2) {
        return Error(*w, wpath, "expected [earliest, latest] in seconds, got " + DescribeNode(*w));
      }
      const Range window{0.0, s.duration.seconds(), false};
      KOEPEL_ASSIGN_OR_RETURN(double earliest, Number((*w)[0], Index(wpath, 0), window));
      KOEPEL_ASSIGN_OR_RETURN(double latest, Number((*w)[1], Index(wpath, 1), window));
      if (latest < earliest) {
        return Error(*w, wpath,
                     "latest (" + FormatNumber(latest) + ") must not be before earliest (" + FormatNumber(earliest) + ")");
      }
      spec.start_earliest = SecondsF(earliest);
      spec.start_latest = SecondsF(latest);
    }
    // The longest window the preset can draw must fit the scenario, whatever the draw.
    const Duration longest = LongestWindow(spec);
    if (spec.start_latest + longest > s.duration) {
      return Error(m.Has("start_window_s") ? *m.Find("start_window_s") : m.node(), m.PathOf("start_window_s"),
                   "the preset's attack windows last up to " + FormatNumber(std::ceil(longest.seconds())) +
                       " s (times time_scale); the latest start plus that must not exceed duration_s (" +
                       FormatNumber(s.duration.seconds()) + ")");
    }
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node launch_node, m.Require("launch"));
    KOEPEL_ASSIGN_OR_RETURN(LaunchArea launch, ParseLaunchArea(launch_node, m.PathOf("launch")));
    spec.launch.fill(launch);
    if (const YAML::Node* by_class = m.Find("launch_by_class")) {
      KOEPEL_ASSIGN_OR_RETURN(MapReader lbc, OpenMap(*by_class, m.PathOf("launch_by_class"),
                                                     {category_names[0], category_names[1], category_names[2],
                                                      category_names[3]}));
      for (size_t c = 0; c < kRaidCategories.size(); ++c) {
        if (const YAML::Node* area = lbc.Find(category_names[c])) {
          KOEPEL_ASSIGN_OR_RETURN(spec.launch[c], ParseLaunchArea(*area, lbc.PathOf(category_names[c])));
        }
      }
    }
    if (const YAML::Node* templates = m.Find("templates")) {
      KOEPEL_ASSIGN_OR_RETURN(MapReader tm, OpenMap(*templates, m.PathOf("templates"),
                                                    {category_names[0], category_names[1], category_names[2],
                                                     category_names[3]}));
      for (size_t c = 0; c < kRaidCategories.size(); ++c) {
        const YAML::Node* t = tm.Find(category_names[c]);
        if (t == nullptr) continue;
        const std::string tpath = tm.PathOf(category_names[c]);
        KOEPEL_ASSIGN_OR_RETURN(const ThreatTemplate* templ, TemplateName(*t, tpath));
        if (templ->object_class != kRaidCategories[c]) {
          return Error(*t, tpath,
                       "template '" + std::string(templ->name) + "' is a " +
                           std::string(ObjectClassName(templ->object_class)) + ", not a " + category_names[c]);
        }
        spec.templates[c] = std::string(templ->name);
      }
    }
    KOEPEL_ASSIGN_OR_RETURN(YAML::Node aims_node, m.Require("aim_assets"));
    KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> aims, List(aims_node, m.PathOf("aim_assets")));
    if (aims.empty()) return Error(aims_node, m.PathOf("aim_assets"), "name at least one asset");
    std::vector<std::string> asset_names;
    for (const ScenarioAsset& a : s.assets) asset_names.push_back(a.asset.name);
    for (size_t k = 0; k < aims.size(); ++k) {
      const std::string apath = Index(m.PathOf("aim_assets"), k);
      KOEPEL_ASSIGN_OR_RETURN(std::string asset, Text(aims[k], apath));
      if (std::find(asset_names.begin(), asset_names.end(), asset) == asset_names.end()) {
        return Error(aims[k], apath, "unknown asset '" + asset + "'; assets are: " + JoinNames(asset_names));
      }
      if (std::find(spec.aim_assets.begin(), spec.aim_assets.end(), asset) != spec.aim_assets.end()) {
        return Error(aims[k], apath, "asset '" + asset + "' named twice");
      }
      spec.aim_assets.push_back(asset);
    }
    KOEPEL_ASSIGN_OR_RETURN(spec.aim_spread_m, m.Number("aim_spread_m", kNonNegative, spec.aim_spread_m));

    // Drawn now, with the file's seed: every run of the file flies the same raid.
    Rng rng = Rng::ForComponent(s.seed, 0, "generated:" + spec.name);
    std::vector<Raid> raids = ExpandGeneratedRaid(spec, s.assets, *frame_, rng);
    for (Raid& r : raids) {
      if (!raid_names.insert(r.name).second) {
        return Error(name_node, m.PathOf("name"), "makes a raid named '" + r.name + "', which exists already");
      }
      total += r.count;
      if (total > kMaxTotalThreats) {
        return Error(m.Has("scale") ? *m.Find("scale") : m.node(), m.PathOf("scale"),
                     "raids add up to more than " + std::to_string(kMaxTotalThreats) + " threats");
      }
      s.raids.push_back(std::move(r));
    }
    s.generated_raids.push_back(std::move(spec));
  }
  return OkStatus();
}

Status Parser::RoundsByKind(const YAML::Node& node, const std::string& path,
                            const std::function<void(EffectorKind, int64_t)>& set) const {
  if (!node.IsMap()) return Error(node, path, "expected a map of effector kind to rounds, got " + DescribeNode(node));
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const std::string kpath = Join(path, key.IsScalar() ? key.Scalar() : "?");
    std::optional<EffectorKind> kind = key.IsScalar() ? EffectorKindFromName(key.Scalar()) : std::nullopt;
    if (!kind) return Error(key, kpath, "unknown effector kind; allowed: " + JoinNames(effector_kind_names_));
    KOEPEL_ASSIGN_OR_RETURN(int64_t rounds, Integer(it->second, kpath, 0, kMaxRounds));
    set(*kind, rounds);
  }
  return OkStatus();
}

Status Parser::ParseCampaign(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("campaign");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(*node, "campaign",
                                               {"days", "tempo", "raid_days", "stock", "resupply_per_day"}));
  CampaignSettings& c = s.campaign;
  c.given = true;
  KOEPEL_ASSIGN_OR_RETURN(int64_t days, m.Integer("days", 1, kMaxCampaignDays, 0));
  c.days = static_cast<int>(days);
  if (const YAML::Node* tempo = m.Find("tempo")) {
    if (tempo->IsSequence()) {
      KOEPEL_ASSIGN_OR_RETURN(std::vector<YAML::Node> items, List(*tempo, m.PathOf("tempo")));
      if (items.empty()) return Error(*tempo, m.PathOf("tempo"), "give at least one multiplier");
      for (size_t i = 0; i < items.size(); ++i) {
        KOEPEL_ASSIGN_OR_RETURN(double x, Number(items[i], Index(m.PathOf("tempo"), i), Range{0.0, 100.0, false}));
        c.tempo.push_back(x);
      }
      c.tempo_preset.clear();
    } else {
      KOEPEL_ASSIGN_OR_RETURN(c.tempo_preset, Text(*tempo, m.PathOf("tempo")));
      if (!CampaignTempo(c.tempo_preset, 1)) {
        return Error(*tempo, m.PathOf("tempo"),
                     "unknown tempo '" + c.tempo_preset + "'; give a preset (" + kTempoPresets +
                         ") or a list of multipliers by day");
      }
    }
  }
  if (const YAML::Node* rd = m.Find("raid_days")) {
    const std::string path = m.PathOf("raid_days");
    if (!rd->IsMap()) return Error(*rd, path, "expected a map of raid name to [first, last] day, got " + DescribeNode(*rd));
    std::vector<std::string> raid_names;
    for (const Raid& r : s.raids) raid_names.push_back(r.name);
    for (auto it = rd->begin(); it != rd->end(); ++it) {
      const YAML::Node key = it->first;
      const std::string name = key.IsScalar() ? key.Scalar() : "?";
      const std::string rpath = Join(path, name);
      if (std::find(raid_names.begin(), raid_names.end(), name) == raid_names.end()) {
        return Error(key, rpath, "unknown raid; raids are: " + JoinNames(raid_names));
      }
      const YAML::Node range = it->second;
      if (!range.IsSequence() || range.size() != 2) {
        return Error(range, rpath, "expected [first, last] day, got " + DescribeNode(range));
      }
      RaidDays days_of{name, 1, 1};
      KOEPEL_ASSIGN_OR_RETURN(int64_t first, Integer(range[0], Index(rpath, 0), 1, kMaxCampaignDays));
      KOEPEL_ASSIGN_OR_RETURN(int64_t last, Integer(range[1], Index(rpath, 1), 1, kMaxCampaignDays));
      if (last < first) {
        return Error(range, rpath,
                     "last day (" + std::to_string(last) + ") must not be before the first (" + std::to_string(first) +
                         ")");
      }
      days_of.first = static_cast<int>(first);
      days_of.last = static_cast<int>(last);
      c.raid_days.push_back(days_of);
    }
  }
  if (const YAML::Node* stock = m.Find("stock")) {
    KOEPEL_RETURN_IF_ERROR(RoundsByKind(*stock, m.PathOf("stock"), [&c](EffectorKind k, int64_t rounds) {
      c.stock[static_cast<size_t>(k)] = rounds;
    }));
  }
  if (const YAML::Node* resupply = m.Find("resupply_per_day")) {
    const std::string path = m.PathOf("resupply_per_day");
    KOEPEL_RETURN_IF_ERROR(RoundsByKind(*resupply, path, [&c](EffectorKind k, int64_t rounds) {
      c.resupply_per_day[static_cast<size_t>(k)] = rounds;
    }));
    for (auto it = resupply->begin(); it != resupply->end(); ++it) {
      const std::optional<EffectorKind> kind = EffectorKindFromName(it->first.Scalar());
      if (!c.stock[static_cast<size_t>(*kind)]) {
        return Error(it->first, Join(path, it->first.Scalar()),
                     "resupply for a munition with no stock (unlimited); give campaign.stock." + it->first.Scalar());
      }
    }
  }
  return OkStatus();
}

Status Parser::ParseWeather(const MapReader& top, Scenario& s) {
  const YAML::Node* node = top.Find("weather");
  if (node == nullptr) return OkStatus();
  KOEPEL_ASSIGN_OR_RETURN(MapReader m, OpenMap(*node, "weather", {"visibility_m", "cloud_base_m", "cloud_cover"}));
  Weather& w = s.weather;
  KOEPEL_ASSIGN_OR_RETURN(w.visibility_m, m.Number("visibility_m", Range{0.0, 100000.0, true}, w.visibility_m));
  KOEPEL_ASSIGN_OR_RETURN(w.cloud_base_m, m.Number("cloud_base_m", Range{0.0, 20000.0, false}, 0.0));
  // A cloud base alone means overcast.
  KOEPEL_ASSIGN_OR_RETURN(w.cloud_cover, m.Number("cloud_cover", kProbability, w.cloud_base_m > 0.0 ? 1.0 : 0.0));
  if (w.cloud_cover > 0.0 && !(w.cloud_base_m > 0.0)) {
    return Error(*m.Find("cloud_cover"), m.PathOf("cloud_base_m"), "cloud_cover needs a cloud_base_m > 0");
  }
  for (ScenarioSensor& sensor : s.sensors) sensor.weather = w;
  return OkStatus();
}

Result<Scenario> Parser::Parse(const std::string& text) {
  if (text.size() > kMaxFileBytes) {
    return ErrorAt(1, "scenario", "file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  }
  // One document only. Checked on the text because YAML::LoadAll of yaml-cpp 0.7 can loop
  // forever on some malformed input (fixed upstream after 0.8); YAML::Load reads the first.
  if (std::optional<int> line = SecondDocumentLine(text)) {
    return ErrorAt(*line, "(syntax)", "expected one YAML document, but a second starts here");
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return ErrorAt(line, "(syntax)", "malformed YAML: " + e.msg);
  }
  const std::vector<std::string_view> top_keys = {
      "name",    "description", "origin", "duration_s",    "time_step_s",         "seed",     "doctrine", "assets",
      "sensors", "effectors",   "raids",  "civil_traffic", "birds", "rules_of_engagement", "operator", "warning",
      "stockpile", "generated_raids", "weather", "campaign"};
  if (!root.IsMap()) {
    return Error(root, "(top level)",
                 "expected a map with keys " + JoinNames(top_keys) + ", got " + DescribeNode(root));
  }
  KOEPEL_ASSIGN_OR_RETURN(MapReader top, OpenMap(root, "", top_keys));

  Scenario s;
  s.file = file_;
  KOEPEL_RETURN_IF_ERROR(ParseTop(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseAssets(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseSensors(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseEffectors(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseRaids(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseCivilTraffic(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseBirds(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseRules(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseOperatorAndWarning(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseStockpile(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseGeneratedRaids(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseWeather(top, s));
  KOEPEL_RETURN_IF_ERROR(ParseCampaign(top, s));
  return s;
}

}  // namespace

Result<Scenario> ParseScenario(const std::string& yaml_text, const std::string& file) {
  // yaml-cpp throws; nothing of it may leave this function. Node access above is guarded
  // (types checked before use), so this is a last line of defence, not the error path.
  try {
    Parser parser(file);
    return parser.Parse(yaml_text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return InvalidArgumentError(file + ":" + std::to_string(line) + ": (yaml): " + Printable(e.msg));
  } catch (const std::exception& e) {
    return InvalidArgumentError(file + ":1: (yaml): " + Printable(e.what()));
  }
}

Result<Scenario> LoadScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return UnavailableError(path + ": read error");
  return ParseScenario(text.str(), path);
}

}  // namespace koepel::sim
