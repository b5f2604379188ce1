// koepel/adapters/geojson/geojson.h
//
// Loads named areas (safety regions, municipalities, scenario zones) from boundary files into NamedRegion
// values for the warning stage and the map:
//   TopoJSON  one object's geometries (Polygon / MultiPolygon over shared, optionally quantised and
//             delta-encoded arcs); each geometry's code is properties.code (or its "id"); names are joined from
//             a CSV whose first two columns are code and name (header line first, quotes allowed).
//   GeoJSON   a FeatureCollection of Polygon / MultiPolygon features; code and name from given properties.
// Coordinates are WGS84 [lon, lat]. The first ring of a polygon is its outer ring, the others holes.
//
// Example:
//   KOEPEL_ASSIGN_OR_RETURN(std::vector<NamedRegion> regions,
//                           adapters::LoadTopoJsonRegions("data/nl/nl-vr-gm.topo.json", "vr_features",
//                                                         "data/nl/vr_codes.csv"));
//
// Errors: malformed input gives an InvalidArgument Result whose message names the file and a JSON-pointer-like
// location, e.g. "nl.topo.json: /objects/vr_features/geometries/3/arcs/0/2: arc index 4000 out of range
// (1824 arcs)"; JSON syntax errors name the byte offset. A file that cannot be read gives NotFound. No
// exceptions escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "koepel/core/core.h"
#include "koepel/model/model.h"

namespace koepel::adapters {

// Reads both files and calls ParseTopoJsonRegions.
Result<std::vector<NamedRegion>> LoadTopoJsonRegions(const std::string& topojson_path, const std::string& object_name,
                                                     const std::string& names_csv_path);

// `object_name` selects topology.objects[object_name] (a GeometryCollection or a single geometry). Regions come in
// file order; a code missing from the CSV gets its code as name. `file` is used in error messages only.
Result<std::vector<NamedRegion>> ParseTopoJsonRegions(std::string_view topojson_text, std::string_view object_name,
                                                      std::string_view names_csv_text, const std::string& file);

// A GeoJSON FeatureCollection (or a single Feature); features without an area geometry are an error.
Result<std::vector<NamedRegion>> ParseGeoJsonRegions(std::string_view text, const std::string& code_property,
                                                     const std::string& name_property, const std::string& file);

}  // namespace koepel::adapters
