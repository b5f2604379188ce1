#include "koepel/adapters/geojson/geojson.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <map>
#include <string>

namespace koepel::adapters {
namespace {

std::string Data(const std::string& name) { return std::string(KOEPEL_SOURCE_DIR) + "/data/nl/" + name; }

// The codes of the regions that contain a point.
std::vector<std::string> RegionsAt(const std::vector<NamedRegion>& regions, double lat, double lon) {
  std::vector<std::string> out;
  for (const NamedRegion& r : regions) {
    if (geo::Contains(r.area, lat, lon)) out.push_back(r.code);
  }
  return out;
}

TEST(TopoJsonRegionsTest, TwentyFiveSafetyRegionsWithNames) {
  const auto regions = LoadTopoJsonRegions(Data("nl-vr-gm.topo.json"), "vr_features", Data("vr_codes.csv"));
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  ASSERT_EQ(regions->size(), 25u);
  std::map<std::string, std::string> names;
  for (const NamedRegion& r : *regions) {
    names[r.code] = r.name;
    EXPECT_FALSE(r.area.outers.empty()) << r.code;
  }
  EXPECT_EQ(names.size(), 25u);
  EXPECT_EQ(names["VR17"], "Rotterdam-Rijnmond");
  EXPECT_EQ(names["VR21"], "Brabant-Noord");
  EXPECT_EQ(names["VR02"], "Fryslân");

  // Known places (coordinates from the map) fall in exactly their safety region.
  EXPECT_EQ(RegionsAt(*regions, 51.92, 4.48), std::vector<std::string>{"VR17"});   // Rotterdam centre
  EXPECT_EQ(RegionsAt(*regions, 52.09, 5.12), std::vector<std::string>{"VR09"});   // Utrecht
  EXPECT_EQ(RegionsAt(*regions, 51.657, 5.708), std::vector<std::string>{"VR21"}); // Volkel air base
  EXPECT_EQ(RegionsAt(*regions, 53.22, 6.57), std::vector<std::string>{"VR01"});   // Groningen
  EXPECT_TRUE(RegionsAt(*regions, 52.5, 3.5).empty());                            // North Sea
  EXPECT_TRUE(RegionsAt(*regions, 50.85, 4.35).empty());                          // Brussels
}

TEST(TopoJsonRegionsTest, MunicipalitiesWithQuotedNames) {
  const auto regions = LoadTopoJsonRegions(Data("nl-vr-gm.topo.json"), "gm_features", Data("gm_to_vr_2023.csv"));
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  EXPECT_EQ(regions->size(), 342u);
  std::map<std::string, std::string> names;
  for (const NamedRegion& r : *regions) names[r.code] = r.name;
  EXPECT_EQ(names["GM0599"], "Rotterdam");
  EXPECT_EQ(names["GM0820"], "Nuenen, Gerwen en Nederwetten");
  EXPECT_EQ(RegionsAt(*regions, 51.92, 4.48), std::vector<std::string>{"GM0599"});
}

constexpr const char* kSquare =
    R"({"type":"Topology","transform":{"scale":[0.001,0.001],"translate":[4.0,51.0]},
        "arcs":[[[0,0],[1000,0],[0,1000],[-1000,0],[0,-1000]], [[200,200],[0,100],[100,0],[0,-100],[-100,0]]],
        "objects":{"regions":{"type":"GeometryCollection","geometries":[
          {"type":"Polygon","arcs":[[0],[-2]],"properties":{"code":"A1"}},
          {"type":null}]}}})";

TEST(TopoJsonRegionsTest, DecodesQuantisedDeltaArcsAndHoles) {
  const auto regions = ParseTopoJsonRegions(kSquare, "regions", "code,name\nA1,Alpha\n", "square.topo.json");
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  ASSERT_EQ(regions->size(), 1u);
  const NamedRegion& r = (*regions)[0];
  EXPECT_EQ(r.name, "Alpha");
  ASSERT_EQ(r.area.outers.size(), 1u);
  ASSERT_EQ(r.area.holes.size(), 1u);
  // Outer: lon 4..5, lat 51..52 after delta decoding; hole: lon 4.2..4.3, lat 51.2..51.3.
  EXPECT_NEAR(r.area.outers[0].ring[2].lon_deg, 5.0, 1e-12);
  EXPECT_NEAR(r.area.outers[0].ring[2].lat_deg, 52.0, 1e-12);
  EXPECT_TRUE(geo::Contains(r.area, 51.5, 4.5));
  EXPECT_FALSE(geo::Contains(r.area, 51.25, 4.25));  // in the hole
  EXPECT_FALSE(geo::Contains(r.area, 52.5, 4.5));
}

struct Malformed {
  const char* text;
  const char* expected;  // a substring of the error message
};

TEST(TopoJsonRegionsTest, MalformedInputGivesLocatedErrors) {
  const Malformed cases[] = {
      {R"({"type":"Topology","arcs":[[[4,51],[5,51)", "bad.topo.json: byte "},
      {R"({"type":"Topology","objects":{"regions":{"type":"Polygon","arcs":[[0]]}}})", "bad.topo.json: /arcs: missing"},
      {R"({"type":"Topology","arcs":[[[4,51],[5,51],[5,52]]],"objects":{"regions":{"type":"Polygon","arcs":[[0,7]],"id":"x"}}})",
       "/objects/regions/arcs/0/1: arc index 7 out of range (1 arcs)"},
      {R"({"type":"Topology","arcs":[[[4,51],[5,51],[5,52]]],"objects":{"regions":{"type":"Polygon","arcs":[[-2]],"id":"x"}}})",
       "/objects/regions/arcs/0/0: arc index -2 out of range"},
      {R"({"type":"Topology","arcs":[[[4,51],[5,51],[5,52]]],"objects":{}})", "/objects/regions: no such object"},
      {R"({"type":"Topology","arcs":[[[4,51],["x",51]]],"objects":{}})", "/arcs/0/1: expected a position"},
      {R"({"type":"Topology","arcs":[[[400,51],[5,51]]],"objects":{}})", "/arcs/0/0: coordinate out of range"},
      {R"({"type":"Topology","arcs":[[[4,51],[5,51],[5,52]]],"objects":{"regions":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0]}]}}})",
       "/objects/regions/geometries/0/type: unsupported geometry type 'Point'"},
      {R"({"type":"Topology","arcs":[[[4,51],[5,51],[5,52]]],"objects":{"regions":{"type":"Polygon","arcs":[[0]]}}})",
       "/objects/regions/properties/code: missing code"},
      {R"([1,2,3])", "/type: not a TopoJSON Topology"},
  };
  for (const Malformed& c : cases) {
    const auto r = ParseTopoJsonRegions(c.text, "regions", "", "bad.topo.json");
    ASSERT_FALSE(r.has_value()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos) << r.status().message();
  }
  const auto bad_csv = ParseTopoJsonRegions(kSquare, "regions", "code,name\nA1\n", "square.topo.json");
  ASSERT_FALSE(bad_csv.has_value());
  EXPECT_NE(bad_csv.status().message().find(":2: expected code,name"), std::string::npos)
      << bad_csv.status().message();
  const auto missing = LoadTopoJsonRegions("/nonexistent/x.topo.json", "a", Data("vr_codes.csv"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(GeoJsonRegionsTest, ParsesFeaturesAndTheSharedProvinceFile) {
  const char* text = R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"Z1","name":"Zone"},
       "geometry":{"type":"MultiPolygon","coordinates":[[[[5.0,52.0],[5.3,52.0],[5.3,52.2],[5.0,52.0]]],
                                                       [[[6.0,52.0],[6.3,52.0],[6.3,52.2],[6.0,52.0]]]]}}]})";
  const auto regions = ParseGeoJsonRegions(text, "code", "name", "zones.geojson");
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  ASSERT_EQ(regions->size(), 1u);
  EXPECT_EQ((*regions)[0].name, "Zone");
  EXPECT_EQ((*regions)[0].area.outers.size(), 2u);

  std::ifstream in(std::string(KOEPEL_SHARED_DATA) + "/nl/provincie_2023.geojson");
  ASSERT_TRUE(in.good());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string provinces = buffer.str();
  const auto pv = ParseGeoJsonRegions(provinces, "statcode", "name", "provincie_2023.geojson");
  ASSERT_TRUE(pv.has_value()) << pv.status().ToString();
  EXPECT_EQ(pv->size(), 12u);
  EXPECT_EQ(RegionsAt(*pv, 52.09, 5.12), std::vector<std::string>{"PV26"});  // Utrecht
}

TEST(GeoJsonRegionsTest, MalformedInputGivesLocatedErrors) {
  const Malformed cases[] = {
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]})",
       "/features/0/properties/code: missing code property"},
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[[[5,52],[6]]]}}]})",
       "/features/0/geometry/coordinates/0/1: expected a position"},
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[[[5,52],[6,52]]]}}]})",
       "/features/0/geometry/coordinates/0: ring has 2 points"},
      {R"({"type":"Topology"})", "/type: expected a FeatureCollection"},
      {R"({"type":"FeatureCollection","features":[)", "bad.geojson: byte "},
  };
  for (const Malformed& c : cases) {
    const auto r = ParseGeoJsonRegions(c.text, "code", "name", "bad.geojson");
    ASSERT_FALSE(r.has_value()) << c.text;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace koepel::adapters
