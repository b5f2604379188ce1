// CAP messages for the real Dutch safety regions and municipalities (data/nl via the geojson adapter): every
// alert, update and all-clear validates against CAP-v1.2.xsd, multi-polygon regions keep all their parts,
// polygons stay within the point budget, and known places are inside the written polygons ("lat,lon" order).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "koepel/adapters/cap/cap.h"
#include "koepel/adapters/geojson/geojson.h"

namespace koepel {
namespace {

namespace fs = std::filesystem;
namespace cap = adapters::cap;

std::string Data(const std::string& name) { return std::string(KOEPEL_SOURCE_DIR) + "/data/nl/" + name; }

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::vector<std::string> SchemaFailures(const std::vector<fs::path>& files) {
  std::string command =
      "xmllint --noout --schema '" + std::string(KOEPEL_SHARED_DATA) + "/cap/CAP-v1.2.xsd'";
  for (const fs::path& f : files) command += " '" + f.string() + "'";
  const std::string out = Shell(command + " 2>&1");
  std::vector<std::string> failures;
  for (const fs::path& f : files) {
    if (out.find(f.string() + " validates") == std::string::npos) failures.push_back(f.string());
  }
  return failures;
}

// The polygons of the first <info> as written, parsed back from the text ("lat,lon lat,lon ...").
std::vector<geo::GeoPolygon> WrittenPolygons(const fs::path& file) {
  const std::string count = Shell("xmllint --xpath \"count(/*[local-name()='alert']/*[local-name()='info'][1]/"
                                  "*[local-name()='area']/*[local-name()='polygon'])\" '" + file.string() + "'");
  std::vector<geo::GeoPolygon> out;
  for (int k = 1; k <= std::stoi(count); ++k) {
    std::istringstream text(Shell("xmllint --xpath \"string(/*[local-name()='alert']/*[local-name()='info'][1]/"
                                  "*[local-name()='area']/*[local-name()='polygon'][" + std::to_string(k) + "])\" '" +
                                  file.string() + "'"));
    geo::GeoPolygon p;
    std::string pair;
    while (text >> pair) {
      const size_t comma = pair.find(',');
      p.ring.push_back({std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)), 0.0});
    }
    out.push_back(p);
  }
  return out;
}

bool Inside(const std::vector<geo::GeoPolygon>& polygons, double lat, double lon) {
  for (const geo::GeoPolygon& p : polygons) {
    if (geo::Contains(p, lat, lon)) return true;
  }
  return false;
}

Warning MakeWarning(int64_t id, WarningKind kind, const NamedRegion& r, int issued_s) {
  Warning w;
  w.id = WarningId(id);
  w.kind = kind;
  w.region_code = r.code;
  w.region_name = r.name;
  w.threats = {TrackId(1), TrackId(2)};
  w.issued_at = SimTime() + Seconds(issued_s);
  w.predicted_impact_time = SimTime() + Seconds(300);
  w.reason = "reference regions test";
  return w;
}

TEST(CapRegions, EverySafetyRegionAlertUpdateCancelValidates) {
  auto regions = adapters::LoadTopoJsonRegions(Data("nl-vr-gm.topo.json"), "vr_features", Data("vr_codes.csv"));
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  ASSERT_EQ(regions->size(), 25u);
  const fs::path dir = fs::temp_directory_path() / ("koepel_cap_regions_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  cap::CapOptions options;
  options.clock_epoch_unix_ms = 1746100800000;
  auto sink = cap::DirectorySink::Open(dir, options, *regions);
  ASSERT_TRUE(sink.has_value()) << sink.status().ToString();

  int64_t id = 1;
  for (const NamedRegion& r : *regions) sink->Emit(MakeWarning(id++, WarningKind::kAlert, r, 10));
  for (const NamedRegion& r : *regions) sink->Emit(MakeWarning(id++, WarningKind::kUpdate, r, 60));
  for (const NamedRegion& r : *regions) sink->Emit(MakeWarning(id++, WarningKind::kAllClear, r, 600));
  ASSERT_TRUE(sink->status().ok()) << sink->status().ToString();
  ASSERT_EQ(sink->files().size(), 75u);
  const auto failures = SchemaFailures(sink->files());
  EXPECT_TRUE(failures.empty()) << failures.size() << " fail, first " << failures[0];

  // Polygons: one per outer ring, within the budget, and how much simplification it took.
  size_t multi = 0, simplified = 0, polygons = 0;
  double worst_m = 0.0;
  std::string worst_code;
  for (const NamedRegion& r : *regions) {
    size_t parts = 0;
    for (const geo::GeoPolygon& outer : r.area.outers) {
      double deviation = 0.0;
      const auto p = cap::CapPolygon(outer, options.max_polygon_points, &deviation);
      if (p.empty()) continue;
      ++parts;
      EXPECT_LE(p.size(), options.max_polygon_points);
      EXPECT_GE(p.size(), 4u);
      if (outer.ring.size() > options.max_polygon_points) ++simplified;
      if (deviation > worst_m) worst_m = deviation, worst_code = r.code;
    }
    polygons += parts;
    const auto written = WrittenPolygons(sink->files()[static_cast<size_t>(&r - regions->data())]);
    EXPECT_EQ(written.size(), parts) << r.code;
    if (parts > 1) ++multi;
  }
  EXPECT_GT(multi, 0u) << "no safety region with several polygons: the multi-polygon case went untested";
  std::cout << "cap regions: 25 safety regions, " << polygons << " polygons (" << multi
            << " regions with several), " << simplified << " simplified to <= " << options.max_polygon_points
            << " points, largest deviation " << static_cast<int>(worst_m) << " m (" << worst_code << ")\n";
  EXPECT_LT(worst_m, 3000.0);

  // Known places lie inside their region's written polygons, and not in a neighbour's.
  auto file_of = [&](const std::string& code) {
    for (size_t i = 0; i < regions->size(); ++i) {
      if ((*regions)[i].code == code) return sink->files()[i];
    }
    return fs::path();
  };
  EXPECT_TRUE(Inside(WrittenPolygons(file_of("VR17")), 51.92, 4.48));   // Rotterdam
  EXPECT_TRUE(Inside(WrittenPolygons(file_of("VR09")), 52.09, 5.12));   // Utrecht
  EXPECT_TRUE(Inside(WrittenPolygons(file_of("VR01")), 53.22, 6.57));   // Groningen
  EXPECT_TRUE(Inside(WrittenPolygons(file_of("VR21")), 51.657, 5.708)); // Volkel
  EXPECT_FALSE(Inside(WrittenPolygons(file_of("VR09")), 51.92, 4.48));
  fs::remove_all(dir);
}

TEST(CapRegions, EveryMunicipalityAlertValidates) {
  auto regions = adapters::LoadTopoJsonRegions(Data("nl-vr-gm.topo.json"), "gm_features", Data("gm_to_vr_2023.csv"));
  ASSERT_TRUE(regions.has_value()) << regions.status().ToString();
  const fs::path dir = fs::temp_directory_path() / ("koepel_cap_gm_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  cap::CapOptions options;
  options.status = cap::MessageStatus::kActual;
  auto sink = cap::DirectorySink::Open(dir, options, *regions);
  ASSERT_TRUE(sink.has_value());
  int64_t id = 1;
  for (const NamedRegion& r : *regions) sink->Emit(MakeWarning(id++, WarningKind::kAlert, r, 10));
  ASSERT_TRUE(sink->status().ok()) << sink->status().ToString();
  EXPECT_EQ(sink->files().size(), regions->size());
  const auto failures = SchemaFailures(sink->files());
  EXPECT_TRUE(failures.empty()) << failures.size() << " fail, first " << failures[0];
  fs::remove_all(dir);
}

}  // namespace
}  // namespace koepel
