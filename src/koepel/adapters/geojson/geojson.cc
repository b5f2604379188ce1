// TopoJSON / GeoJSON boundary files -> NamedRegion. All structure is checked by hand with located messages;
// nlohmann exceptions (syntax errors, and any access this code failed to guard) are caught at the entry points.
#include "koepel/adapters/geojson/geojson.h"

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

namespace koepel::adapters {
namespace {

using Json = nlohmann::json;
using Ring = std::vector<geo::LatLonAlt>;
using Names = std::map<std::string, std::string>;

Status Error(const std::string& file, const std::string& where, const std::string& what) {
  return InvalidArgumentError(file + ": " + (where.empty() ? "/" : where) + ": " + what);
}

Result<Json> ParseJson(std::string_view text, const std::string& file) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return InvalidArgumentError(file + ": byte " + std::to_string(e.byte) + ": invalid JSON: " + e.what());
  }
}

std::string TypeOf(const Json& j) { return j.is_object() && j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : ""; }

// A [lon, lat, ...] position -> LatLonAlt, checked.
Result<geo::LatLonAlt> Position(double lon, double lat, const std::string& file, const std::string& where) {
  if (!std::isfinite(lon) || !std::isfinite(lat) || std::abs(lat) > 90.0 || std::abs(lon) > 180.0) {
    return Error(file, where, "coordinate out of range (lon " + std::to_string(lon) + ", lat " + std::to_string(lat) + ")");
  }
  return geo::LatLonAlt{lat, lon, 0.0};
}

Status CheckRing(const Ring& ring, const std::string& file, const std::string& where) {
  if (ring.size() < 3) return Error(file, where, "ring has " + std::to_string(ring.size()) + " points, needs 3 or more");
  return OkStatus();
}

// Splits one CSV line into fields; double quotes group commas, "" is a literal quote.
std::vector<std::string> CsvFields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

Result<Names> ParseNames(std::string_view csv, const std::string& file) {
  Names names;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // header
    std::vector<std::string> f = CsvFields(line);
    if (f.size() < 2 || f[0].empty()) {
      return InvalidArgumentError(file + ":" + std::to_string(line_no) + ": expected code,name");
    }
    names[f[0]] = f[1];
  }
  return names;
}

// ---- TopoJSON

class Topology {
 public:
  static Result<Topology> Make(const Json& root, const std::string& file) {
    Topology t;
    t.file_ = file;
    if (!root.is_object() || TypeOf(root) != "Topology") return Error(file, "/type", "not a TopoJSON Topology");
    bool quantised = false;
    double sx = 1, sy = 1, tx = 0, ty = 0;
    if (root.contains("transform")) {
      const Json& tr = root["transform"];
      auto pair = [&](const char* key, double& a, double& b) -> Status {
        if (!tr.is_object() || !tr.contains(key) || !tr[key].is_array() || tr[key].size() != 2 ||
            !tr[key][0].is_number() || !tr[key][1].is_number()) {
          return Error(file, std::string("/transform/") + key, "expected [number, number]");
        }
        a = tr[key][0].get<double>();
        b = tr[key][1].get<double>();
        return OkStatus();
      };
      KOEPEL_RETURN_IF_ERROR(pair("scale", sx, sy));
      KOEPEL_RETURN_IF_ERROR(pair("translate", tx, ty));
      quantised = true;
    }
    if (!root.contains("arcs") || !root["arcs"].is_array()) return Error(file, "/arcs", "missing arcs array");
    const Json& arcs = root["arcs"];
    t.arcs_.reserve(arcs.size());
    for (size_t i = 0; i < arcs.size(); ++i) {
      const std::string where = "/arcs/" + std::to_string(i);
      if (!arcs[i].is_array() || arcs[i].size() < 2) return Error(file, where, "an arc needs 2 or more positions");
      Ring arc;
      arc.reserve(arcs[i].size());
      double x = 0, y = 0;
      for (size_t k = 0; k < arcs[i].size(); ++k) {
        const Json& p = arcs[i][k];
        const std::string pw = where + "/" + std::to_string(k);
        if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
          return Error(file, pw, "expected a position [x, y]");
        }
        if (quantised) {
          x += p[0].get<double>();
          y += p[1].get<double>();
        } else {
          x = p[0].get<double>();
          y = p[1].get<double>();
        }
        KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt g, quantised ? Position(x * sx + tx, y * sy + ty, file, pw)
                                                            : Position(x, y, file, pw));
        arc.push_back(g);
      }
      t.arcs_.push_back(std::move(arc));
    }
    return t;
  }

  // A ring from a list of arc indices (negative: ~index, reversed); shared end points are not repeated.
  Result<Ring> MakeRing(const Json& indices, const std::string& where) const {
    if (!indices.is_array() || indices.empty()) return Error(file_, where, "expected a non-empty array of arc indices");
    Ring ring;
    const int64_t n = static_cast<int64_t>(arcs_.size());
    for (size_t i = 0; i < indices.size(); ++i) {
      const std::string iw = where + "/" + std::to_string(i);
      if (!indices[i].is_number_integer()) return Error(file_, iw, "arc index must be an integer");
      const int64_t k = indices[i].get<int64_t>();
      if (k >= n || k < -n) {
        return Error(file_, iw, "arc index " + std::to_string(k) + " out of range (" + std::to_string(n) + " arcs)");
      }
      const Ring& arc = arcs_[static_cast<size_t>(k >= 0 ? k : ~k)];
      const size_t start = ring.empty() ? 0 : 1;
      for (size_t j = start; j < arc.size(); ++j) ring.push_back(k >= 0 ? arc[j] : arc[arc.size() - 1 - j]);
    }
    KOEPEL_RETURN_IF_ERROR(CheckRing(ring, file_, where));
    return ring;
  }

  Status AddPolygon(const Json& rings, const std::string& where, geo::GeoRegion& region) const {
    if (!rings.is_array() || rings.empty()) return Error(file_, where, "a polygon needs at least one ring");
    for (size_t r = 0; r < rings.size(); ++r) {
      KOEPEL_ASSIGN_OR_RETURN(Ring ring, MakeRing(rings[r], where + "/" + std::to_string(r)));
      (r == 0 ? region.outers : region.holes).push_back(geo::GeoPolygon{std::move(ring)});
    }
    return OkStatus();
  }

 private:
  std::string file_;
  std::vector<Ring> arcs_;
};

std::string CodeOf(const Json& g) {
  auto text = [](const Json& v) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    return "";
  };
  if (g.contains("properties") && g["properties"].is_object() && g["properties"].contains("code")) {
    return text(g["properties"]["code"]);
  }
  if (g.contains("id")) return text(g["id"]);
  return "";
}

Result<std::vector<NamedRegion>> ParseTopo(std::string_view topo_text, std::string_view object_name,
                                           std::string_view csv_text, const std::string& file,
                                           const std::string& csv_file) {
  KOEPEL_ASSIGN_OR_RETURN(const Names names, ParseNames(csv_text, csv_file));
  KOEPEL_ASSIGN_OR_RETURN(const Json root, ParseJson(topo_text, file));
  KOEPEL_ASSIGN_OR_RETURN(const Topology topology, Topology::Make(root, file));
  const std::string object(object_name);
  if (!root.contains("objects") || !root["objects"].is_object()) return Error(file, "/objects", "missing objects");
  if (!root["objects"].contains(object)) return Error(file, "/objects/" + object, "no such object");
  const Json& obj = root["objects"][object];
  const std::string base = "/objects/" + object;

  std::vector<std::pair<const Json*, std::string>> geometries;
  if (TypeOf(obj) == "GeometryCollection") {
    if (!obj.contains("geometries") || !obj["geometries"].is_array()) {
      return Error(file, base + "/geometries", "missing geometries array");
    }
    for (size_t i = 0; i < obj["geometries"].size(); ++i) {
      geometries.emplace_back(&obj["geometries"][i], base + "/geometries/" + std::to_string(i));
    }
  } else {
    geometries.emplace_back(&obj, base);
  }

  std::vector<NamedRegion> regions;
  for (const auto& [g, where] : geometries) {
    if (!g->is_object()) return Error(file, where, "a geometry must be an object");
    if (g->contains("type") && (*g)["type"].is_null()) continue;  // TopoJSON's null geometry
    const std::string type = TypeOf(*g);
    if (type != "Polygon" && type != "MultiPolygon") {
      return Error(file, where + "/type", "unsupported geometry type '" + type + "' (Polygon or MultiPolygon)");
    }
    if (!g->contains("arcs") || !(*g)["arcs"].is_array()) return Error(file, where + "/arcs", "missing arcs");
    NamedRegion region;
    region.code = CodeOf(*g);
    if (region.code.empty()) return Error(file, where + "/properties/code", "missing code");
    auto it = names.find(region.code);
    region.name = it != names.end() ? it->second : region.code;
    const Json& arcs = (*g)["arcs"];
    if (type == "Polygon") {
      KOEPEL_RETURN_IF_ERROR(topology.AddPolygon(arcs, where + "/arcs", region.area));
    } else {
      for (size_t p = 0; p < arcs.size(); ++p) {
        KOEPEL_RETURN_IF_ERROR(topology.AddPolygon(arcs[p], where + "/arcs/" + std::to_string(p), region.area));
      }
    }
    if (region.area.outers.empty()) return Error(file, where + "/arcs", "geometry has no polygons");
    regions.push_back(std::move(region));
  }
  return regions;
}

// ---- GeoJSON

Result<Ring> GeoRing(const Json& coords, const std::string& file, const std::string& where) {
  if (!coords.is_array()) return Error(file, where, "expected an array of positions");
  Ring ring;
  ring.reserve(coords.size());
  for (size_t i = 0; i < coords.size(); ++i) {
    const Json& p = coords[i];
    const std::string pw = where + "/" + std::to_string(i);
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
      return Error(file, pw, "expected a position [lon, lat]");
    }
    KOEPEL_ASSIGN_OR_RETURN(geo::LatLonAlt g, Position(p[0].get<double>(), p[1].get<double>(), file, pw));
    ring.push_back(g);
  }
  KOEPEL_RETURN_IF_ERROR(CheckRing(ring, file, where));
  return ring;
}

Status GeoPolygon(const Json& rings, const std::string& file, const std::string& where, geo::GeoRegion& region) {
  if (!rings.is_array() || rings.empty()) return Error(file, where, "a polygon needs at least one ring");
  for (size_t r = 0; r < rings.size(); ++r) {
    KOEPEL_ASSIGN_OR_RETURN(Ring ring, GeoRing(rings[r], file, where + "/" + std::to_string(r)));
    (r == 0 ? region.outers : region.holes).push_back(geo::GeoPolygon{std::move(ring)});
  }
  return OkStatus();
}

Result<std::vector<NamedRegion>> ParseGeo(std::string_view text, const std::string& code_property,
                                          const std::string& name_property, const std::string& file) {
  KOEPEL_ASSIGN_OR_RETURN(const Json root, ParseJson(text, file));
  std::vector<std::pair<const Json*, std::string>> features;
  const std::string type = TypeOf(root);
  if (type == "FeatureCollection") {
    if (!root.contains("features") || !root["features"].is_array()) return Error(file, "/features", "missing features");
    for (size_t i = 0; i < root["features"].size(); ++i) {
      features.emplace_back(&root["features"][i], "/features/" + std::to_string(i));
    }
  } else if (type == "Feature") {
    features.emplace_back(&root, "");
  } else {
    return Error(file, "/type", "expected a FeatureCollection or a Feature");
  }
  std::vector<NamedRegion> regions;
  for (const auto& [f, where] : features) {
    if (TypeOf(*f) != "Feature") return Error(file, where + "/type", "expected a Feature");
    NamedRegion region;
    const Json* props = f->contains("properties") && (*f)["properties"].is_object() ? &(*f)["properties"] : nullptr;
    if (props == nullptr || !props->contains(code_property)) {
      return Error(file, where + "/properties/" + code_property, "missing code property");
    }
    const Json& code = (*props)[code_property];
    if (code.is_string()) {
      region.code = code.get<std::string>();
    } else if (code.is_number_integer()) {
      region.code = std::to_string(code.get<int64_t>());
    } else {
      return Error(file, where + "/properties/" + code_property, "code must be a string or an integer");
    }
    region.name = props->contains(name_property) && (*props)[name_property].is_string()
                      ? (*props)[name_property].get<std::string>()
                      : region.code;
    if (!f->contains("geometry") || !(*f)["geometry"].is_object()) {
      return Error(file, where + "/geometry", "missing geometry");
    }
    const Json& g = (*f)["geometry"];
    const std::string gtype = TypeOf(g);
    if (!g.contains("coordinates")) return Error(file, where + "/geometry/coordinates", "missing coordinates");
    const Json& c = g["coordinates"];
    if (gtype == "Polygon") {
      KOEPEL_RETURN_IF_ERROR(GeoPolygon(c, file, where + "/geometry/coordinates", region.area));
    } else if (gtype == "MultiPolygon") {
      if (!c.is_array() || c.empty()) return Error(file, where + "/geometry/coordinates", "expected polygons");
      for (size_t p = 0; p < c.size(); ++p) {
        KOEPEL_RETURN_IF_ERROR(
            GeoPolygon(c[p], file, where + "/geometry/coordinates/" + std::to_string(p), region.area));
      }
    } else {
      return Error(file, where + "/geometry/type",
                   "unsupported geometry type '" + gtype + "' (Polygon or MultiPolygon)");
    }
    regions.push_back(std::move(region));
  }
  return regions;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return UnavailableError(path + ": read error");
  return s.str();
}

}  // namespace

Result<std::vector<NamedRegion>> ParseTopoJsonRegions(std::string_view topojson_text, std::string_view object_name,
                                                      std::string_view names_csv_text, const std::string& file) {
  try {
    return ParseTopo(topojson_text, object_name, names_csv_text, file, file + " (names CSV)");
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(file + ": " + e.what());
  }
}

Result<std::vector<NamedRegion>> ParseGeoJsonRegions(std::string_view text, const std::string& code_property,
                                                     const std::string& name_property, const std::string& file) {
  try {
    return ParseGeo(text, code_property, name_property, file);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(file + ": " + e.what());
  }
}

Result<std::vector<NamedRegion>> LoadTopoJsonRegions(const std::string& topojson_path, const std::string& object_name,
                                                     const std::string& names_csv_path) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string topo, ReadFile(topojson_path));
  KOEPEL_ASSIGN_OR_RETURN(const std::string csv, ReadFile(names_csv_path));
  try {
    return ParseTopo(topo, object_name, csv, topojson_path, names_csv_path);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(topojson_path + ": " + e.what());
  }
}

}  // namespace koepel::adapters
