#include "koepel/sim/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace koepel::sim::internal {
namespace {

constexpr double kWidth = 640, kHeight = 300;
constexpr double kLeft = 72, kRight = 150, kTop = 34, kBottom = 46;  // right: room for the legend
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;
// Colour-blind-safe palette (Okabe-Ito), cycled.
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                                    "#000000"};

std::string Colour(size_t i) { return kColours[i % std::size(kColours)]; }

std::string Num(double v) {
  if (std::abs(v) < 5e-4) return "0";
  return fmt::format("{:.3f}", v);
}

// Tick label: short, with k/M for large values.
std::string TickLabel(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", std::round(v * 1000.0) / 1000.0);
}

// A step of 1, 2 or 5 times a power of ten giving about `target` intervals over [lo, hi].
double NiceStep(double lo, double hi, int target = 5) {
  const double span = hi - lo;
  if (!(span > 0)) return 1.0;
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10.0 * mag;
}

struct Axis {
  double lo = 0, hi = 1, step = 1;
  double ToX(double v) const { return kLeft + (v - lo) / (hi - lo) * kPlotW; }
  double ToY(double v) const { return kTop + kPlotH - (v - lo) / (hi - lo) * kPlotH; }
};

Axis MakeAxis(double lo, double hi, bool from_zero) {
  if (from_zero) lo = std::min(lo, 0.0);
  if (!(hi > lo)) hi = lo + 1.0;
  Axis a;
  a.step = NiceStep(lo, hi);
  a.lo = std::floor(lo / a.step) * a.step;
  a.hi = std::ceil(hi / a.step) * a.step;
  if (!(a.hi > a.lo)) a.hi = a.lo + a.step;
  return a;
}

std::string Open(std::string_view id, std::string_view title) {
  return fmt::format(
      "<figure id=\"{}\">\n<svg width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n"
      "<text x=\"{}\" y=\"20\" class=\"title\">{}</text>\n",
      EscapeXml(id), kWidth, kHeight, kWidth, kHeight, EscapeXml(title), kLeft, EscapeXml(title));
}

std::string Close() { return "</svg>\n</figure>\n"; }

std::string YAxis(const Axis& y, std::string_view label) {
  std::string out = fmt::format("<g class=\"axis\">\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", kLeft, kTop,
                                kLeft, kTop + kPlotH);
  for (double v = y.lo; v <= y.hi + 1e-9 * y.step; v += y.step) {
    const double py = y.ToY(v);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"grid\"/>\n", kLeft, Num(py),
                       kLeft + kPlotW, Num(py));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, Num(py + 4),
                       TickLabel(v));
  }
  out += fmt::format("<text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">{}</text>\n",
                     Num(kTop + kPlotH / 2), Num(kTop + kPlotH / 2), EscapeXml(label));
  return out + "</g>\n";
}

std::string XAxisLine() {
  return fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", kLeft, kTop + kPlotH,
                     kLeft + kPlotW, kTop + kPlotH);
}

std::string XLabel(std::string_view label) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", Num(kLeft + kPlotW / 2),
                     kHeight - 8, EscapeXml(label));
}

std::string Legend(const std::vector<Series>& series) {
  if (series.size() < 2 && (series.empty() || series[0].name.empty())) return "";
  std::string out = "<g class=\"legend\">\n";
  for (size_t i = 0; i < series.size(); ++i) {
    const double y = kTop + 8 + 18.0 * static_cast<double>(i);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", kLeft + kPlotW + 14,
                       Num(y - 10), Colour(i));
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLeft + kPlotW + 32, Num(y), EscapeXml(series[i].name));
  }
  return out + "</g>\n";
}

std::string NoData(std::string_view id, std::string_view title) {
  return Open(id, title) +
         fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">no data</text>\n", kWidth / 2, kHeight / 2) +
         Close();
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control bytes are not allowed in XML 1.0.
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? '?' : c;
    }
  }
  return out;
}

std::string HistogramPlot(std::string_view id, std::string_view title, std::string_view x_label,
                          const std::vector<double>& values) {
  if (values.empty()) return NoData(id, title);
  const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  const double lo = *min_it, hi = *max_it;
  const bool whole = std::all_of(values.begin(), values.end(), [](double v) { return v == std::round(v); });
  // Integer bins centred on each value for counts over a short range; else 20 equal bins.
  double start = lo, width = 1.0;
  int bins = 1;
  if (whole && hi - lo <= 40) {
    start = lo - 0.5;
    bins = static_cast<int>(hi - lo) + 1;
  } else if (hi > lo) {
    bins = 20;
    width = (hi - lo) / bins;
  } else {
    start = lo - 0.5;
  }
  std::vector<int> counts(static_cast<size_t>(bins), 0);
  for (double v : values) {
    const int b = std::clamp(static_cast<int>(std::floor((v - start) / width)), 0, bins - 1);
    ++counts[static_cast<size_t>(b)];
  }
  const Axis x = MakeAxis(start, start + bins * width, false);
  const Axis y = MakeAxis(0, *std::max_element(counts.begin(), counts.end()), true);
  std::string out = Open(id, title) + YAxis(y, "runs") + XAxisLine();
  for (double v = x.lo; v <= x.hi + 1e-9 * x.step; v += x.step) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", Num(x.ToX(v)),
                       kTop + kPlotH + 16, TickLabel(v));
  }
  out += XLabel(x_label);
  out += fmt::format("<g class=\"series\" data-series=\"{}\" fill=\"{}\">\n", EscapeXml(x_label), Colour(0));
  for (int b = 0; b < bins; ++b) {
    if (counts[static_cast<size_t>(b)] == 0) continue;
    const double x0 = x.ToX(start + b * width), x1 = x.ToX(start + (b + 1) * width);
    const double y0 = y.ToY(counts[static_cast<size_t>(b)]);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>\n",
                       Num(x0 + 1), Num(y0), Num(std::max(x1 - x0 - 2, 1.0)), Num(kTop + kPlotH - y0),
                       TickLabel(start + (b + 0.5) * width), counts[static_cast<size_t>(b)]);
  }
  return out + "</g>\n" + Close();
}

std::string BarPlot(std::string_view id, std::string_view title, std::string_view y_label,
                    const std::vector<std::string>& labels, const std::vector<Series>& groups) {
  if (labels.empty() || groups.empty()) return NoData(id, title);
  double top = 0.0;
  for (const Series& g : groups) {
    for (const auto& [x, v] : g.points) top = std::max(top, v);
  }
  const Axis y = MakeAxis(0, top, true);
  std::string out = Open(id, title) + YAxis(y, y_label) + XAxisLine();
  const double slot = kPlotW / static_cast<double>(labels.size());
  const double bar = slot * 0.8 / static_cast<double>(groups.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       Num(kLeft + slot * (static_cast<double>(i) + 0.5)), kTop + kPlotH + 16, EscapeXml(labels[i]));
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    out += fmt::format("<g class=\"series\" data-series=\"{}\" fill=\"{}\">\n", EscapeXml(groups[g].name), Colour(g));
    for (const auto& [xi, v] : groups[g].points) {
      const double x0 = kLeft + slot * (xi + 0.1) + bar * static_cast<double>(g);
      const double y0 = y.ToY(std::max(v, 0.0));
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>\n", Num(x0),
                         Num(y0), Num(std::max(bar - 2, 1.0)), Num(kTop + kPlotH - y0), EscapeXml(groups[g].name),
                         TickLabel(v));
    }
    out += "</g>\n";
  }
  return out + Legend(groups) + Close();
}

std::string LinePlot(std::string_view id, std::string_view title, std::string_view x_label, std::string_view y_label,
                     const std::vector<Series>& series) {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, yhi = 0.0, ylo = 0.0;
  for (const Series& s : series) {
    for (const auto& [x, v] : s.points) {
      xlo = std::min(xlo, x);
      xhi = std::max(xhi, x);
      yhi = std::max(yhi, v);
      ylo = std::min(ylo, v);
    }
  }
  if (!std::isfinite(xlo)) return NoData(id, title);
  const Axis x = MakeAxis(xlo, xhi, false);
  const Axis y = MakeAxis(ylo, yhi, true);
  std::string out = Open(id, title) + YAxis(y, y_label) + XAxisLine();
  for (double v = x.lo; v <= x.hi + 1e-9 * x.step; v += x.step) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", Num(x.ToX(v)),
                       kTop + kPlotH + 16, TickLabel(v));
  }
  out += XLabel(x_label);
  for (size_t i = 0; i < series.size(); ++i) {
    out += fmt::format("<g class=\"series\" data-series=\"{}\" stroke=\"{}\" fill=\"{}\">\n",
                       EscapeXml(series[i].name), Colour(i), Colour(i));
    std::string points;
    for (const auto& [px, py] : series[i].points) {
      if (!points.empty()) points += ' ';
      points += Num(x.ToX(px)) + "," + Num(y.ToY(py));
    }
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke-width=\"2\"/>\n", points);
    for (const auto& [px, py] : series[i].points) {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\"><title>{} {}: {}</title></circle>\n", Num(x.ToX(px)),
                         Num(y.ToY(py)), EscapeXml(x_label), TickLabel(px), TickLabel(py));
    }
    out += "</g>\n";
  }
  return out + Legend(series) + Close();
}

std::string HtmlPage(std::string_view title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n"
      "body {{ font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }}\n"
      "table {{ border-collapse: collapse; margin: 1em 0; }}\n"
      "td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }}\n"
      "th {{ background: #f2f2f2; }} td:first-child, th:first-child {{ text-align: left; }}\n"
      "figure {{ margin: 1em 0; }} svg text {{ font-size: 11px; fill: #222; }}\n"
      "svg .title {{ font-size: 14px; font-weight: bold; }}\n"
      "svg .axis line, svg line.axis {{ stroke: #444; }} svg line.grid {{ stroke: #e4e4e4; }}\n"
      "</style>\n</head>\n<body>\n<h1>{}</h1>\n{}</body>\n</html>\n",
      EscapeXml(title), EscapeXml(title), body);
}

}  // namespace koepel::sim::internal
