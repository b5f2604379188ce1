// IWYU pragma: private, include "koepel/sim/sim.h"
// Plots drawn as inline SVG for the HTML reports: no scripts, no style sheets, no downloads, so a
// report opens offline. The markup is well-formed XML (every element closed, text escaped).
// Each plot is a <figure id="plot-NAME"> holding one <svg>; every series is a <g class="series"
// data-series="NAME">, which is what tests look for.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace koepel::sim::internal {

std::string EscapeXml(std::string_view text);

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), in x order
};

struct Bar {
  std::string label;
  double value = 0.0;
  std::string note;  // shown above the bar instead of the value when set (e.g. "no kills")
};

// A histogram of `values` (integer bins when they are all whole numbers over a short range).
std::string HistogramPlot(std::string_view id, std::string_view title, std::string_view x_label,
                          const std::vector<double>& values);
// Bars, one group per label; `groups` names the series (one value per label each), or is one series.
std::string BarPlot(std::string_view id, std::string_view title, std::string_view y_label,
                    const std::vector<std::string>& labels, const std::vector<Series>& groups);
// Lines over a common x axis, one per series.
std::string LinePlot(std::string_view id, std::string_view title, std::string_view x_label, std::string_view y_label,
                     const std::vector<Series>& series);

// A whole page: title, then `body` (HTML fragments), with a small inline style.
std::string HtmlPage(std::string_view title, const std::string& body);

}  // namespace koepel::sim::internal
