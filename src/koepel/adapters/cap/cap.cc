// Warning -> CapMessage (texts, references, area) and CapMessage -> XML.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "koepel/adapters/cap/cap.h"
#include "koepel/adapters/cap/internal.h"

namespace koepel::adapters::cap {
namespace {

using internal::EscapeXml;

// ---------------------------------------------------------------------------------------------
// Times

std::optional<std::string> CapTime(int64_t unix_ms, int offset_minutes) {
  const auto c = internal::ToCivilTime(unix_ms, offset_minutes);
  if (!c) return std::nullopt;
  const int magnitude = std::abs(offset_minutes);
  char buffer[48];
  // CAP 1.2 3.3.2: the offset is always explicit; UTC is "+00:00", never "Z" or "-00:00".
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c->year, c->month, c->day,
                c->hour, c->minute, c->second, offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  return std::string(buffer);
}

// "14:03 UTC" or "14:03 (UTC+02:00)", for the texts.
std::string ClockText(int64_t unix_ms, int offset_minutes) {
  const auto c = internal::ToCivilTime(unix_ms, offset_minutes);
  if (!c) return "?";
  char buffer[48];
  if (offset_minutes == 0) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d UTC", c->hour, c->minute);
  } else {
    const int m = std::abs(offset_minutes);
    std::snprintf(buffer, sizeof buffer, "%02d:%02d (UTC%c%02d:%02d)", c->hour, c->minute,
                  offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
  }
  return buffer;
}

int64_t ToUnixMs(int64_t epoch_unix_ms, SimTime t) {
  int64_t ms = t.nanoseconds() / 1'000'000;
  if (t.nanoseconds() % 1'000'000 < 0) --ms;
  return epoch_unix_ms + ms;
}

// ---------------------------------------------------------------------------------------------
// Identifiers

// CAP 1.2 3.2.1: identifier and sender must not hold spaces, commas or restricted characters (< and &).
bool IsCapToken(std::string_view s) {
  if (s.empty()) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == ',' || c == '<' || c == '&' || static_cast<unsigned char>(c) < 0x21 || c == 0x7F;
  });
}

std::string SafeToken(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.';
    out += safe ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::string CompactStamp(int64_t unix_ms) {
  const auto c = internal::ToCivilTime(unix_ms, 0);
  if (!c) return "00000000T000000Z";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02dT%02d%02d%02dZ", c->year, c->month, c->day, c->hour, c->minute,
                c->second);
  return buffer;
}

// ---------------------------------------------------------------------------------------------
// Texts (NL-Alert style: short, plain, what to do first)

struct AreaNames {
  std::string nl, en, geocode_name;
};

AreaNames NamesFor(const std::string& code, const std::string& name) {
  const std::string label = name.empty() ? code : name;
  if (code.rfind("VR", 0) == 0) {
    return {"Veiligheidsregio " + label + " (" + code + ")", "Safety region " + label + " (" + code + ")", "CBS_VR"};
  }
  if (code.rfind("GM", 0) == 0) {
    return {"Gemeente " + label + " (" + code + ")", "Municipality " + label + " (" + code + ")", "CBS_GM"};
  }
  return {label + " (" + code + ")", label + " (" + code + ")", "KOEPEL_AREA"};
}

CapInfo BaseInfo(const char* language, const std::string& sender_name) {
  CapInfo i;
  i.language = language;
  i.categories = {"Security"};
  i.sender_name = sender_name;
  return i;
}

std::vector<CapInfo> Texts(const Warning& w, const std::string& region, const AreaNames& area,
                           const CapOptions& o, int64_t issued_ms, int64_t impact_ms) {
  CapInfo nl = BaseInfo("nl-NL", o.sender_name_nl);
  CapInfo en = BaseInfo("en-US", o.sender_name_en);
  nl.event = "Luchtdreiging";
  en.event = "Air threat";
  const size_t n = w.threats.size();
  const std::string when = ClockText(impact_ms, o.utc_offset_minutes);
  if (w.kind == WarningKind::kAllClear) {
    nl.response_type = en.response_type = "AllClear";
    nl.urgency = en.urgency = "Past";
    nl.severity = en.severity = "Minor";
    nl.certainty = en.certainty = "Observed";
    nl.headline = "Einde luchtalarm " + region;
    en.headline = "All clear " + region;
    nl.description = "De dreiging vanuit de lucht voor " + area.nl + " is voorbij.";
    en.description = "The threat from the air for " + area.en + " has ended.";
    nl.instruction = "U kunt weer naar buiten. Blijf uit de buurt van neergekomen brokstukken en meld ze bij de politie.";
    en.instruction = "You can go outside again. Stay away from fallen debris and report it to the police.";
  } else {
    // Immediate: act now, impacts are minutes away. Extreme: explosive warheads, an extraordinary threat to
    // life. Observed: tracked by our own sensors, not forecast.
    nl.response_type = en.response_type = "Shelter";
    nl.urgency = en.urgency = "Immediate";
    nl.severity = en.severity = "Extreme";
    nl.certainty = en.certainty = "Observed";
    const bool update = w.kind == WarningKind::kUpdate;
    nl.headline = (update ? "Update luchtalarm " : "Luchtalarm ") + region + ": ga direct naar binnen";
    en.headline = (update ? "Update air raid warning " : "Air raid warning ") + region + ": go indoors now";
    nl.description = std::string(update ? "Nieuwe informatie. " : "") + "Dreiging vanuit de lucht voor " + area.nl +
                     ": " + std::to_string(n) + (n == 1 ? " vijandelijk object" : " vijandelijke objecten") +
                     " (drones of raketten) op weg naar dit gebied. Verwachte inslag rond " + when + ".";
    en.description = std::string(update ? "New information. " : "") + "Threat from the air for " + area.en + ": " +
                     std::to_string(n) + (n == 1 ? " hostile object" : " hostile objects") +
                     " (drones or missiles) heading for this area. Impact expected around " + when + ".";
    nl.instruction =
        "Ga naar binnen, sluit ramen en deuren en blijf uit de buurt van ramen. Zoek een ruimte zonder "
        "ramen op, bij voorkeur een kelder of een binnenruimte op de laagste verdieping. Blijf binnen tot het "
        "sein veilig.";
    en.instruction =
        "Go indoors, close windows and doors and stay away from windows. Go to a room without windows, "
        "preferably a basement or an inner room on the lowest floor. Stay inside until the all clear.";
    if (impact_ms >= issued_ms) nl.onset_unix_ms = en.onset_unix_ms = impact_ms;
  }
  nl.expires_unix_ms = en.expires_unix_ms =
      std::max(issued_ms, impact_ms) + o.valid_for.nanoseconds() / 1'000'000;
  return {nl, en};
}

// ---------------------------------------------------------------------------------------------
// XML

constexpr std::array<std::string_view, 12> kCategories = {"Geo",   "Met",    "Safety",    "Security",
                                                          "Rescue", "Fire",  "Health",    "Env",
                                                          "Transport", "Infra", "CBRNE", "Other"};
constexpr std::array<std::string_view, 9> kResponseTypes = {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid",
                                                            "Monitor", "Assess",   "AllClear", "None"};
constexpr std::array<std::string_view, 5> kUrgencies = {"Immediate", "Expected", "Future", "Past", "Unknown"};
constexpr std::array<std::string_view, 5> kSeverities = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"};
constexpr std::array<std::string_view, 5> kCertainties = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"};

template <size_t N>
bool OneOf(std::string_view value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

class Writer {
 public:
  void Open(std::string_view name) {
    Indent();
    out_ += "<" + std::string(name) + ">\n";
    ++depth_;
  }
  void Close(std::string_view name) {
    --depth_;
    Indent();
    out_ += "</" + std::string(name) + ">\n";
  }
  void Leaf(std::string_view name, std::string_view text) {
    Indent();
    out_ += "<" + std::string(name) + ">" + EscapeXml(text, false) + "</" + std::string(name) + ">\n";
  }
  void Raw(std::string_view text) { out_ += text; }
  void Indent(int depth) { depth_ = depth; }
  std::string Take() { return std::move(out_); }

 private:
  void Indent() { out_.append(static_cast<size_t>(depth_) * 2, ' '); }
  std::string out_;
  int depth_ = 0;
};

Result<std::string> Time(const std::string& path, int64_t unix_ms, int offset) {
  auto t = CapTime(unix_ms, offset);
  if (!t) return InvalidArgumentError(path + ": " + std::to_string(unix_ms) + " ms since 1970 is outside the years 1..9999");
  return *t;
}

std::string Coordinate(double v) { return internal::FormatDecimal(v, 5); }  // 1e-5 degree: about a metre

Status WriteArea(Writer& w, const CapArea& area, const std::string& path) {
  if (area.description.empty()) return InvalidArgumentError(path + "/areaDesc: empty");
  w.Open("area");
  w.Leaf("areaDesc", area.description);
  for (size_t k = 0; k < area.polygons.size(); ++k) {
    const auto& polygon = area.polygons[k];
    const std::string where = path + "/polygon[" + std::to_string(k + 1) + "]";
    if (polygon.size() < 4) {
      return InvalidArgumentError(where + ": " + std::to_string(polygon.size()) + " points, CAP needs at least 4");
    }
    if (!(polygon.front() == polygon.back())) return InvalidArgumentError(where + ": not closed (first != last)");
    std::string text;
    for (size_t i = 0; i < polygon.size(); ++i) {
      const LatLon& p = polygon[i];
      if (!std::isfinite(p.lat_deg) || !std::isfinite(p.lon_deg) || std::abs(p.lat_deg) > 90.0 ||
          std::abs(p.lon_deg) > 180.0) {
        return InvalidArgumentError(where + ": point " + std::to_string(i + 1) + " (" + std::to_string(p.lat_deg) +
                                    ", " + std::to_string(p.lon_deg) + ") is not a WGS-84 latitude, longitude");
      }
      if (i > 0) text += ' ';
      text += Coordinate(p.lat_deg) + "," + Coordinate(p.lon_deg);
    }
    w.Leaf("polygon", text);
  }
  for (const ValuePair& g : area.geocodes) {
    w.Open("geocode");
    w.Leaf("valueName", g.value_name);
    w.Leaf("value", g.value);
    w.Close("geocode");
  }
  w.Close("area");
  return OkStatus();
}

Status WriteInfo(Writer& w, const CapInfo& info, const std::string& path, int offset) {
  if (info.categories.empty()) return InvalidArgumentError(path + "/category: at least one is required");
  for (const std::string& c : info.categories) {
    if (!OneOf(c, kCategories)) return InvalidArgumentError(path + "/category: \"" + c + "\" is not a CAP category");
  }
  if (info.event.empty()) return InvalidArgumentError(path + "/event: empty");
  if (!info.response_type.empty() && !OneOf(info.response_type, kResponseTypes)) {
    return InvalidArgumentError(path + "/responseType: \"" + info.response_type + "\" is not a CAP response type");
  }
  if (!OneOf(info.urgency, kUrgencies)) return InvalidArgumentError(path + "/urgency: \"" + info.urgency + "\"");
  if (!OneOf(info.severity, kSeverities)) return InvalidArgumentError(path + "/severity: \"" + info.severity + "\"");
  if (!OneOf(info.certainty, kCertainties)) {
    return InvalidArgumentError(path + "/certainty: \"" + info.certainty + "\"");
  }
  std::string onset, expires;
  if (info.onset_unix_ms) {
    KOEPEL_ASSIGN_OR_RETURN(onset, Time(path + "/onset", *info.onset_unix_ms, offset));
  }
  if (info.expires_unix_ms) {
    KOEPEL_ASSIGN_OR_RETURN(expires, Time(path + "/expires", *info.expires_unix_ms, offset));
  }

  w.Open("info");  // element order: the xs:sequence of CAP-v1.2.xsd
  if (!info.language.empty()) w.Leaf("language", info.language);
  for (const std::string& c : info.categories) w.Leaf("category", c);
  w.Leaf("event", info.event);
  if (!info.response_type.empty()) w.Leaf("responseType", info.response_type);
  w.Leaf("urgency", info.urgency);
  w.Leaf("severity", info.severity);
  w.Leaf("certainty", info.certainty);
  if (!onset.empty()) w.Leaf("onset", onset);
  if (!expires.empty()) w.Leaf("expires", expires);
  if (!info.sender_name.empty()) w.Leaf("senderName", info.sender_name);
  if (!info.headline.empty()) w.Leaf("headline", info.headline);
  if (!info.description.empty()) w.Leaf("description", info.description);
  if (!info.instruction.empty()) w.Leaf("instruction", info.instruction);
  for (size_t k = 0; k < info.areas.size(); ++k) {
    KOEPEL_RETURN_IF_ERROR(WriteArea(w, info.areas[k], path + "/area[" + std::to_string(k + 1) + "]"));
  }
  w.Close("info");
  return OkStatus();
}

}  // namespace

std::string_view MessageStatusName(MessageStatus s) {
  static constexpr std::array<std::string_view, 5> kNames = {"Actual", "Exercise", "System", "Test", "Draft"};
  return kNames[static_cast<size_t>(s)];
}

std::string_view MessageTypeName(MessageType t) {
  static constexpr std::array<std::string_view, 3> kNames = {"Alert", "Update", "Cancel"};
  return kNames[static_cast<size_t>(t)];
}

CapEncoder::CapEncoder(CapOptions options, std::vector<NamedRegion> regions) : options_(std::move(options)) {
  for (NamedRegion& r : regions) {
    const std::string code = r.code;
    regions_.emplace(code, std::move(r));
  }
}

Result<CapMessage> CapEncoder::Encode(const Warning& warning) {
  const std::string where = "warning " + warning.id.ToString() + " (" + std::string(WarningKindName(warning.kind)) +
                            ", " + warning.region_code + "): ";
  CapMessage m;
  m.sender = options_.sender;
  m.sent_unix_ms = ToUnixMs(options_.clock_epoch_unix_ms, warning.issued_at);
  m.utc_offset_minutes = options_.utc_offset_minutes;
  m.status = options_.status;
  m.note = warning.reason;
  char id[24];
  std::snprintf(id, sizeof id, "%06lld", static_cast<long long>(warning.id.value()));
  m.identifier = SafeToken(options_.identifier_prefix) + "-" + CompactStamp(options_.clock_epoch_unix_ms) + "-" +
                 SafeToken(warning.region_code) + "-" + id;

  std::vector<CapReference>& chain = chains_[warning.region_code];
  switch (warning.kind) {
    case WarningKind::kAlert:
      m.type = MessageType::kAlert;
      chain.clear();  // a new alert starts a new chain, even if the last one never got its all-clear
      break;
    case WarningKind::kUpdate:
    case WarningKind::kAllClear:
      if (chain.empty()) return FailedPreconditionError(where + "no earlier alert for this region");
      m.type = warning.kind == WarningKind::kUpdate ? MessageType::kUpdate : MessageType::kCancel;
      m.references = chain;
      m.incidents = chain.front().identifier;
      break;
  }
  if (m.type == MessageType::kAlert) m.incidents = m.identifier;

  const auto region = regions_.find(warning.region_code);
  const std::string name = !warning.region_name.empty() ? warning.region_name
                           : region != regions_.end()   ? region->second.name
                                                        : warning.region_code;
  const AreaNames names = NamesFor(warning.region_code, name);
  CapArea area_nl{names.nl, {}, {{names.geocode_name, warning.region_code}}};
  if (region != regions_.end()) {
    // CAP has no holes: the outer rings only, so the area can only grow (the safe side for a warning).
    for (const geo::GeoPolygon& outer : region->second.area.outers) {
      std::vector<LatLon> polygon = CapPolygon(outer, options_.max_polygon_points);
      if (!polygon.empty()) area_nl.polygons.push_back(std::move(polygon));
    }
  }
  CapArea area_en = area_nl;
  area_en.description = names.en;

  m.infos = Texts(warning, name, names, options_, m.sent_unix_ms,
                  ToUnixMs(options_.clock_epoch_unix_ms, warning.predicted_impact_time));
  m.infos[0].areas = {std::move(area_nl)};
  m.infos[1].areas = {std::move(area_en)};

  if (m.type == MessageType::kCancel) {
    chain.clear();
  } else {
    chain.push_back({m.sender, m.identifier, m.sent_unix_ms});
  }
  return m;
}

Result<std::string> ToXml(const CapMessage& m) {
  if (!IsCapToken(m.identifier)) {
    return InvalidArgumentError("alert/identifier: \"" + m.identifier +
                                "\" is empty or holds a space, comma, '<', '&' or control character");
  }
  if (!IsCapToken(m.sender)) {
    return InvalidArgumentError("alert/sender: \"" + m.sender +
                                "\" is empty or holds a space, comma, '<', '&' or control character");
  }
  if (std::abs(m.utc_offset_minutes) > 14 * 60) {
    return InvalidArgumentError("alert/sent: UTC offset " + std::to_string(m.utc_offset_minutes) +
                                " minutes is beyond +-14:00");
  }
  if (m.type != MessageType::kAlert && m.references.empty()) {
    return InvalidArgumentError("alert/references: a " + std::string(MessageTypeName(m.type)) +
                                " must reference the message(s) it changes");
  }
  KOEPEL_ASSIGN_OR_RETURN(const std::string sent, Time("alert/sent", m.sent_unix_ms, m.utc_offset_minutes));
  std::string references;
  for (size_t k = 0; k < m.references.size(); ++k) {
    const CapReference& r = m.references[k];
    const std::string where = "alert/references[" + std::to_string(k + 1) + "]";
    if (!IsCapToken(r.sender) || !IsCapToken(r.identifier)) {
      return InvalidArgumentError(where + ": sender \"" + r.sender + "\" or identifier \"" + r.identifier +
                                  "\" is empty or holds a space, comma, '<' or '&'");
    }
    KOEPEL_ASSIGN_OR_RETURN(const std::string when, Time(where, r.sent_unix_ms, m.utc_offset_minutes));
    if (k > 0) references += ' ';
    references += r.sender + "," + r.identifier + "," + when;
  }

  Writer w;
  w.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n");
  w.Indent(1);
  // Element order: the xs:sequence of CAP-v1.2.xsd.
  w.Leaf("identifier", m.identifier);
  w.Leaf("sender", m.sender);
  w.Leaf("sent", sent);
  w.Leaf("status", MessageStatusName(m.status));
  w.Leaf("msgType", MessageTypeName(m.type));
  w.Leaf("scope", "Public");
  if (!m.note.empty()) w.Leaf("note", m.note);
  if (!references.empty()) w.Leaf("references", references);
  if (!m.incidents.empty()) w.Leaf("incidents", m.incidents);
  for (size_t k = 0; k < m.infos.size(); ++k) {
    KOEPEL_RETURN_IF_ERROR(WriteInfo(w, m.infos[k], "alert/info[" + std::to_string(k + 1) + "]", m.utc_offset_minutes));
  }
  w.Raw("</alert>\n");
  return w.Take();
}

}  // namespace koepel::adapters::cap
