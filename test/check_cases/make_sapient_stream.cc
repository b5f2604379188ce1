// Writes a consistent SAPIENT recording (4-byte length-prefixed frames) for the replay test: a radar
// node near Volkel registers, reports its position, then reports one small drone closing on the base
// at 25 m/s once a second for 30 s. Built from the standard's own sample messages, with the ids,
// times and positions made consistent (the samples mix nodes, dates and UTM zones).
// Usage: make_sapient_stream SAMPLES_DIR OUT_FILE
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "koepel/adapters/sapient/sapient.h"

namespace sapient = koepel::adapters::sapient;

namespace {

constexpr const char* kNode = "0b6e5a1c-2f3d-4c8e-9a7b-1d2e3f4a5b6c";
constexpr const char* kFusion = "a8654cdf-4328-47de-81fa-c495589e30c8";
constexpr int64_t kStart = 1780315200;  // 2026-06-01T12:00:00Z

sapient::SapientMessage Sample(const std::string& dir, const std::string& stem) {
  std::ifstream in(dir + "/json/valid/" + stem + ".json", std::ios::binary);
  auto m = sapient::ParseJson(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  if (!m) {
    std::fprintf(stderr, "%s: %s\n", stem.c_str(), m.error().message().c_str());
    std::exit(1);
  }
  return *m;
}

void Stamp(sapient::SapientMessage& m, int64_t seconds) {
  m.set_node_id(kNode);
  m.set_destination_id(kFusion);
  m.mutable_timestamp()->set_seconds(kStart + seconds);
  m.mutable_timestamp()->set_nanos(0);
}

void SetLatLon(sapient::pb::Location* where, double lat, double lon, double alt) {
  where->Clear();
  where->set_coordinate_system(sapient::pb::LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M);
  where->set_datum(sapient::pb::LOCATION_DATUM_WGS84_E);
  where->set_x(lon);
  where->set_y(lat);
  where->set_z(alt);
  where->set_x_error(0.0002);  // degrees: ~20 m
  where->set_y_error(0.0002);
  where->set_z_error(10);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SAMPLES_DIR OUT_FILE\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::ofstream out(argv[2], std::ios::binary);
  auto write = [&](const sapient::SapientMessage& m) {
    if (koepel::Status s = sapient::Validate(m); !s.ok()) {
      std::fprintf(stderr, "generated message invalid: %s\n", s.message().c_str());
      std::exit(1);
    }
    const std::vector<uint8_t> frame = sapient::Frame(m);
    out.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
  };

  sapient::SapientMessage registration = Sample(dir, "Registration.Small.Messsage");
  Stamp(registration, -3600);  // registered an hour before the recording's data
  write(registration);
  sapient::SapientMessage status = Sample(dir, "StatusReport.FullMessage");
  Stamp(status, 0);
  SetLatLon(status.mutable_status_report()->mutable_node_location(), 51.640, 5.690, 20);
  write(status);

  sapient::UlidGenerator ulids(7);
  const std::string object = ulids.Next(kStart * 1000);
  for (int t = 1; t <= 30; ++t) {
    sapient::SapientMessage report = Sample(dir, "DetectionReport.FullMessage");
    Stamp(report, t);
    auto* d = report.mutable_detection_report();
    d->set_report_id(ulids.Next((kStart + t) * 1000));
    d->set_object_id(object);
    d->clear_task_id();
    // 6 km north-east of the base, closing at 25 m/s, 120 m up.
    const double north_m = 4000.0 - 17.7 * t, east_m = 4000.0 - 17.7 * t;
    SetLatLon(d->mutable_location(), 51.657 + north_m / 111200.0,
              5.708 + east_m / (111200.0 * std::cos(51.657 * M_PI / 180.0)), 120);
    d->clear_classification();
    auto* c = d->add_classification();
    c->set_type("UAV Rotary Wing");
    c->set_confidence(0.9);
    d->clear_prediction_location();
    d->clear_associated_detection();
    d->clear_derived_detection();
    write(report);
  }
  return out ? 0 : 1;
}
