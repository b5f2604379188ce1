// The shared tracking benchmark format: strict CSV readers (located errors) and the tracks writer.
#include "koepel/adapters/tracking_csv/tracking_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

namespace koepel::adapters {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return UnavailableError(path + ": read error");
  return s.str();
}

// Walks a CSV text line by line with a fixed header; every error names FILE:LINE: column NAME.
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file, std::vector<std::string_view> columns)
      : text_(text), file_(file), columns_(std::move(columns)) {}

  Status ReadHeader() {
    std::string_view line;
    if (!NextLine(&line)) return InvalidArgumentError(file_ + ":1: empty file, expected header");
    std::string expected;
    for (size_t i = 0; i < columns_.size(); ++i) expected += (i ? "," : "") + std::string(columns_[i]);
    if (line != expected) {
      return InvalidArgumentError(file_ + ":1: header '" + std::string(line) + "', expected '" + expected + "'");
    }
    return OkStatus();
  }

  // Splits the next non-empty line into fields; false at end of text.
  Result<bool> NextRow() {
    std::string_view line;
    do {
      if (!NextLine(&line)) return false;
    } while (line.empty());
    fields_.clear();
    size_t start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      fields_.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (fields_.size() < columns_.size()) return Error(columns_[fields_.size()], "missing column");
    if (fields_.size() > columns_.size()) {
      return InvalidArgumentError(Where() + ": " + std::to_string(fields_.size()) + " columns, expected " +
                                  std::to_string(columns_.size()));
    }
    return true;
  }

  Result<double> Double(size_t i) {
    const std::string_view f = fields_[i];
    double v = 0.0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (f.empty() || ec != std::errc() || end != f.data() + f.size()) return Error(columns_[i], Quote(f, "not a number"));
    if (!std::isfinite(v)) return Error(columns_[i], Quote(f, "not a finite number"));
    return v;
  }

  Result<int64_t> Integer(size_t i) {
    const std::string_view f = fields_[i];
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (f.empty() || ec != std::errc() || end != f.data() + f.size()) {
      return Error(columns_[i], Quote(f, "not an integer"));
    }
    return v;
  }

  // A scan index: >= 0, < limit (when limit > 0), and, when `ordered`, not below the previous row's.
  Result<int> Scan(size_t i, int limit, bool ordered) {
    KOEPEL_ASSIGN_OR_RETURN(const int64_t s, Integer(i));
    if (s < 0 || (limit > 0 && s >= limit) || s > 100'000'000) {
      return Error(columns_[i], "scan " + std::to_string(s) + " out of range" +
                                    (limit > 0 ? " [0, " + std::to_string(limit) + ")" : std::string()));
    }
    if (ordered && s < last_scan_) {
      return Error(columns_[i], "scan " + std::to_string(s) + " after scan " + std::to_string(last_scan_) +
                                    " (rows must be grouped by scan in increasing order)");
    }
    last_scan_ = static_cast<int>(s);
    return static_cast<int>(s);
  }

  Status Error(std::string_view column, const std::string& what) const {
    return InvalidArgumentError(Where() + ": column " + std::string(column) + ": " + what);
  }

 private:
  static std::string Quote(std::string_view f, const char* what) { return std::string(what) + " '" + std::string(f) + "'"; }
  std::string Where() const { return file_ + ":" + std::to_string(line_no_); }

  bool NextLine(std::string_view* line) {
    if (pos_ >= text_.size()) return false;
    const size_t nl = text_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? text_.size() : nl;
    *line = text_.substr(pos_, end - pos_);
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    pos_ = end + 1;
    ++line_no_;
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<std::string_view> columns_;
  std::vector<std::string_view> fields_;
  size_t pos_ = 0;
  int line_no_ = 0;
  int last_scan_ = 0;
};

// JSON field access with a pointer-like location; throws nothing (callers catch nlohmann's exceptions anyway).
template <typename T>
Status Get(const nlohmann::json& obj, const char* section, const char* key, const std::string& file, T* out) {
  const std::string where = file + ": /" + section + "/" + key;
  const auto it = obj.find(key);
  if (it == obj.end()) return InvalidArgumentError(where + ": missing");
  if constexpr (std::is_same_v<T, double>) {
    if (!it->is_number()) return InvalidArgumentError(where + ": expected a number");
    *out = it->template get<double>();
    if (!std::isfinite(*out)) return InvalidArgumentError(where + ": not finite");
  } else {
    if (!it->is_number_integer()) return InvalidArgumentError(where + ": expected an integer");
    *out = it->template get<T>();
  }
  return OkStatus();
}

Result<BenchmarkParams> ParseParamsJson(const nlohmann::json& root, const std::string& file) {
  if (!root.is_object()) return InvalidArgumentError(file + ": expected a JSON object");
  BenchmarkParams p;
  const auto s = root.find("scenario");
  if (s == root.end() || !s->is_object()) return InvalidArgumentError(file + ": /scenario: missing or not an object");
  BenchmarkScenario& sc = p.scenario;
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "seed", file, &sc.seed));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "n_scans", file, &sc.n_scans));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "dt_s", file, &sc.dt_s));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "n_targets", file, &sc.n_targets));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "q_m2ps3", file, &sc.q_m2ps3));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "sigma_m", file, &sc.sigma_m));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "p_d", file, &sc.p_d));
  KOEPEL_RETURN_IF_ERROR(Get(*s, "scenario", "clutter_density_per_m2", file, &sc.clutter_density_per_m2));
  if (sc.n_scans < 1 || sc.n_scans > 10'000'000) return InvalidArgumentError(file + ": /scenario/n_scans: out of range");
  if (!(sc.dt_s > 0.0)) return InvalidArgumentError(file + ": /scenario/dt_s: must be > 0");
  if (!(sc.sigma_m > 0.0)) return InvalidArgumentError(file + ": /scenario/sigma_m: must be > 0");
  const auto area = s->find("area_m");
  if (area == s->end() || !area->is_array() || area->size() != 4) {
    return InvalidArgumentError(file + ": /scenario/area_m: expected [xmin, xmax, ymin, ymax]");
  }
  for (size_t i = 0; i < 4; ++i) {
    if (!(*area)[i].is_number()) return InvalidArgumentError(file + ": /scenario/area_m/" + std::to_string(i) + ": expected a number");
    sc.area_m[i] = (*area)[i].get<double>();
  }
  // R: from R_m2 when present, else diag(sigma^2).
  sc.r_m2 = {sc.sigma_m * sc.sigma_m, 0.0, 0.0, sc.sigma_m * sc.sigma_m};
  if (const auto r = s->find("R_m2"); r != s->end()) {
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 2; ++j) {
        const std::string where = file + ": /scenario/R_m2/" + std::to_string(i) + "/" + std::to_string(j);
        if (!r->is_array() || r->size() != 2 || !(*r)[i].is_array() || (*r)[i].size() != 2 || !(*r)[i][j].is_number()) {
          return InvalidArgumentError(where + ": expected a 2x2 array of numbers");
        }
        sc.r_m2[2 * i + j] = (*r)[i][j].get<double>();
      }
    }
    if (!(sc.r_m2[0] > 0.0 && sc.r_m2[3] > 0.0 && sc.r_m2[0] * sc.r_m2[3] - sc.r_m2[1] * sc.r_m2[2] > 0.0)) {
      return InvalidArgumentError(file + ": /scenario/R_m2: not positive definite");
    }
  }
  const auto t = root.find("tracker");
  if (t == root.end() || !t->is_object()) return InvalidArgumentError(file + ": /tracker: missing or not an object");
  BenchmarkTrackerSettings& tr = p.tracker;
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "gate_prob", file, &tr.gate_prob));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "gate_mahalanobis", file, &tr.gate_mahalanobis));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "init_vel_std_mps", file, &tr.init_vel_std_mps));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "confirm_updates", file, &tr.confirm_updates));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "tentative_delete_misses", file, &tr.tentative_delete_misses));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "confirmed_delete_misses", file, &tr.confirmed_delete_misses));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "kdtree_radius_m", file, &tr.kdtree_radius_m));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "metric_c_m", file, &tr.metric_c_m));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "metric_p", file, &tr.metric_p));
  KOEPEL_RETURN_IF_ERROR(Get(*t, "tracker", "gospa_alpha", file, &tr.gospa_alpha));
  if (!(tr.gate_prob > 0.0 && tr.gate_prob < 1.0)) return InvalidArgumentError(file + ": /tracker/gate_prob: must be in (0, 1)");
  if (tr.confirm_updates < 1 || tr.confirm_updates > 32) return InvalidArgumentError(file + ": /tracker/confirm_updates: must be in [1, 32]");
  if (tr.tentative_delete_misses < 1 || tr.confirmed_delete_misses < 1) {
    return InvalidArgumentError(file + ": /tracker: delete misses must be >= 1");
  }
  if (!(tr.init_vel_std_mps > 0.0) || !(tr.metric_c_m > 0.0) || !(tr.metric_p >= 1.0)) {
    return InvalidArgumentError(file + ": /tracker: init_vel_std_mps and metric_c_m must be > 0, metric_p >= 1");
  }
  return p;
}

Result<TrackRow> ParseTrackRow(CsvReader& r) {
  TrackRow row;
  KOEPEL_ASSIGN_OR_RETURN(row.scan, r.Scan(0, 0, false));
  KOEPEL_ASSIGN_OR_RETURN(row.time_s, r.Double(1));
  KOEPEL_ASSIGN_OR_RETURN(row.track_id, r.Integer(2));
  KOEPEL_ASSIGN_OR_RETURN(row.x_m, r.Double(3));
  KOEPEL_ASSIGN_OR_RETURN(row.y_m, r.Double(4));
  KOEPEL_ASSIGN_OR_RETURN(row.vx_mps, r.Double(5));
  KOEPEL_ASSIGN_OR_RETURN(row.vy_mps, r.Double(6));
  KOEPEL_ASSIGN_OR_RETURN(const int64_t updated, r.Integer(7));
  if (updated != 0 && updated != 1) return r.Error("updated", "expected 0 or 1");
  row.updated = updated == 1;
  return row;
}

}  // namespace

Result<BenchmarkParams> ParseBenchmarkParams(std::string_view json_text, const std::string& file) {
  try {
    const nlohmann::json root = nlohmann::json::parse(json_text);
    return ParseParamsJson(root, file);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(file + ": " + e.what());
  }
}

Result<BenchmarkParams> LoadBenchmarkParams(const std::string& path) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return ParseBenchmarkParams(text, path);
}

Result<BenchmarkDetections> ParseDetectionsCsv(std::string_view text, const std::string& file,
                                               const BenchmarkParams& params) {
  const BenchmarkScenario& sc = params.scenario;
  CsvReader r(text, file, {"scan", "time_s", "x_m", "y_m"});
  KOEPEL_RETURN_IF_ERROR(r.ReadHeader());
  BenchmarkDetections scans(static_cast<size_t>(sc.n_scans));
  Mat3 noise = Mat3::Zero();
  noise(0, 0) = sc.r_m2[0];
  noise(0, 1) = sc.r_m2[1];
  noise(1, 0) = sc.r_m2[2];
  noise(1, 1) = sc.r_m2[3];
  int64_t next_id = 0;
  while (true) {
    KOEPEL_ASSIGN_OR_RETURN(const bool more, r.NextRow());
    if (!more) break;
    KOEPEL_ASSIGN_OR_RETURN(const int scan, r.Scan(0, sc.n_scans, true));
    KOEPEL_ASSIGN_OR_RETURN(const double time_s, r.Double(1));
    KOEPEL_ASSIGN_OR_RETURN(const double x, r.Double(2));
    KOEPEL_ASSIGN_OR_RETURN(const double y, r.Double(3));
    if (std::abs(time_s - scan * sc.dt_s) > 1e-3) {
      return r.Error("time_s", "expected scan * dt_s = " + std::to_string(scan * sc.dt_s));
    }
    Detection d;
    d.id = DetectionId(next_id++);
    d.sensor = SensorId(1);
    d.time = SimTime::Epoch() + SecondsF(scan * sc.dt_s);
    d.measurement.kind = MeasurementKind::kPosition;
    d.measurement.z = Vec3(x, y, 0.0);
    d.measurement.noise = noise;
    scans[static_cast<size_t>(scan)].push_back(d);
  }
  return scans;
}

Result<BenchmarkDetections> LoadDetectionsCsv(const std::string& path, const BenchmarkParams& params) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return ParseDetectionsCsv(text, path, params);
}

Result<std::vector<TruthRow>> ParseTruthCsv(std::string_view text, const std::string& file) {
  CsvReader r(text, file, {"scan", "time_s", "target_id", "x_m", "y_m", "vx_mps", "vy_mps"});
  KOEPEL_RETURN_IF_ERROR(r.ReadHeader());
  std::vector<TruthRow> rows;
  while (true) {
    KOEPEL_ASSIGN_OR_RETURN(const bool more, r.NextRow());
    if (!more) break;
    TruthRow row;
    KOEPEL_ASSIGN_OR_RETURN(row.scan, r.Scan(0, 0, false));
    KOEPEL_ASSIGN_OR_RETURN(row.time_s, r.Double(1));
    KOEPEL_ASSIGN_OR_RETURN(row.target_id, r.Integer(2));
    KOEPEL_ASSIGN_OR_RETURN(row.x_m, r.Double(3));
    KOEPEL_ASSIGN_OR_RETURN(row.y_m, r.Double(4));
    KOEPEL_ASSIGN_OR_RETURN(row.vx_mps, r.Double(5));
    KOEPEL_ASSIGN_OR_RETURN(row.vy_mps, r.Double(6));
    rows.push_back(row);
  }
  return rows;
}

Result<std::vector<TruthRow>> LoadTruthCsv(const std::string& path) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return ParseTruthCsv(text, path);
}

Result<std::vector<TrackRow>> ParseTracksCsv(std::string_view text, const std::string& file) {
  CsvReader r(text, file, {"scan", "time_s", "track_id", "x_m", "y_m", "vx_mps", "vy_mps", "updated"});
  KOEPEL_RETURN_IF_ERROR(r.ReadHeader());
  std::vector<TrackRow> rows;
  while (true) {
    KOEPEL_ASSIGN_OR_RETURN(const bool more, r.NextRow());
    if (!more) break;
    KOEPEL_ASSIGN_OR_RETURN(const TrackRow row, ParseTrackRow(r));
    rows.push_back(row);
  }
  return rows;
}

Result<std::vector<TrackRow>> LoadTracksCsv(const std::string& path) {
  KOEPEL_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return ParseTracksCsv(text, path);
}

std::string FormatTracksCsv(std::span<const TrackRow> rows) {
  std::string out = "scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated\n";
  char buf[256];
  for (const TrackRow& t : rows) {
    const int n = std::snprintf(buf, sizeof(buf), "%d,%.3f,%lld,%.6f,%.6f,%.6f,%.6f,%d\n", t.scan, t.time_s,
                                static_cast<long long>(t.track_id), t.x_m, t.y_m, t.vx_mps, t.vy_mps, t.updated ? 1 : 0);
    out.append(buf, static_cast<size_t>(std::min(n, static_cast<int>(sizeof(buf)) - 1)));
  }
  return out;
}

Status WriteTracksCsv(const std::string& path, std::span<const TrackRow> rows) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return UnavailableError(path + ": cannot open for writing");
  out << FormatTracksCsv(rows);
  out.flush();
  if (!out) return UnavailableError(path + ": write error");
  return OkStatus();
}

}  // namespace koepel::adapters
