# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML report's page template: a Python string, so that it ships inside the package like any code.

Filled with string.Template (``$name``), so the CSS and JavaScript below hold no ``$`` of their own. Every value
put in is escaped by html.py: text with html.escape, the figures' JSON with ``<``, ``>`` and ``&`` as ``\\u003c`` ....
"""

from __future__ import annotations

from string import Template

# The layout the browser test relies on (a contract): each chart is CHART_HEIGHT px high and 100% wide inside a container
# at most CONTAINER_MAX_WIDTH px wide; the page's opening comment states both numbers.
CHART_HEIGHT = 280  # px, each div.chart
CONTAINER_MAX_WIDTH = 1100  # px, div.container; each chart is 100% of its width

PAGE = Template("""<!DOCTYPE html>
<!--
  qbusiness.ops sync report. Self-contained: plotly.js is inline and nothing is fetched, so it opens offline.
  Layout contract: div.container is at most ${container_width}px wide (100% of the window below that, less the body's 16px margins);
  each div.chart[data-chart] is ${chart_height}px high and 100% of the container's width; three charts per section.data-source
  (timeline, durations, documents-failed) and one section.overall holding the statistics table. When every chart has
  rendered, body[data-charts-rendered] holds their number; on an error, body[data-charts-error] holds its message.
-->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { margin: 16px; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222; background: #fff; }
.container { max-width: ${container_width}px; margin: 0 auto; }
h1 { font-size: 1.5em; margin: 0 0 0.3em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.3em; }
p.window, p.summary { color: #555; margin: 0.2em 0 0.8em; }
table.statistics { border-collapse: collapse; width: 100%; font-size: 0.85em; }
table.statistics th, table.statistics td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
table.statistics th { background: #f4f4f4; }
table.statistics tr.all td { font-weight: 600; background: #fafafa; }
div.chart { width: 100%; height: ${chart_height}px; }
</style>
</head>
<body data-chart-count="$chart_count">
<div class="container">
<h1>$title</h1>
<p class="window">$window</p>
<section class="overall">
<h2>Statistics</h2>
$table
</section>
$sections
</div>
<script>
window.addEventListener("error", function (event) {
  document.body.dataset.chartsError = String(event.message || "error");
});
</script>
<script>$plotly_js</script>
<script type="application/json" id="figures">$figures</script>
<script>
(function () {
  var body = document.body;
  function fail(error) {
    body.dataset.chartsError = String((error && error.message) || error);
  }
  try {
    var figures = JSON.parse(document.getElementById("figures").textContent);
    // No logo link, no "share" button (it uploads to a web service), no MathJax.
    var config = {displaylogo: false, showSendToCloud: false, typesetMath: false, responsive: true};
    var charts = document.querySelectorAll("div.chart");
    var pending = [];
    for (var i = 0; i < charts.length; i++) {
      var figure = figures[charts[i].id];
      if (!figure) {
        throw new Error("no figure for chart " + charts[i].id);
      }
      pending.push(Plotly.newPlot(charts[i], figure.data, figure.layout, config));
    }
    Promise.all(pending).then(function () {
      body.dataset.chartsRendered = String(pending.length);
    }, fail);
  } catch (error) {
    fail(error);
  }
})();
</script>
</body>
</html>
""")

SECTION = Template("""<section class="data-source" data-data-source-id="$data_source_id">
<h2>$label</h2>
<p class="summary">$summary</p>
$charts
</section>""")
