# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open a qbusiness_sync_report HTML page from disk in headless Chromium and check that its charts rendered.

Usage: python check_page.py PAGE.html --data-sources N --screenshot OUT.png [--empty-data-source ID ...]
       [--width 1280] [--timeout 60] [--chromium /usr/bin/chromium]

Drives Debian's chromium (bindep.txt) through Playwright; never a browser Playwright downloads. Every request the
page makes is recorded, and every one but the page's own file:// URL, data: and blob: is aborted (the page must
work offline). Waits for the page's ``document.body.dataset.chartsRendered`` (``chartsError`` fails), takes a
full-page screenshot, then checks the page's HTML contract (plugins/plugin_utils/_sync_report/html.py):

- N ``section.data-source``, each with its three ``div.chart[data-chart=timeline|durations|documents-failed]``;
- in each chart plotly's ``svg.main-svg`` has the container's size (width > 300, height 280 +/- 2) and holds at
  least one drawn mark: a path of a trace in a scatter or bar layer whose ``d`` is not empty (plotly writes
  "M0,0Z" for a mark it does not draw). Charts of a data source named by --empty-data-source (one with no sync in
  the window) need no mark;
- chartsRendered is the number of charts, no request but the page's own, no console error, no uncaught exception.

Prints one JSON line with what it measured (``failures`` lists what did not hold) and exits 1 when anything
failed, each failure on stderr; exit 2 for bad arguments or a page that cannot be opened at all.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import tempfile
import time
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Route
from playwright.sync_api import sync_playwright

CHART_KINDS = ("timeline", "durations", "documents-failed")
CHART_HEIGHT = 280
HEIGHT_TOLERANCE = 2
MIN_WIDTH = 300
# The workplace's closed network refuses Chromium's own background connections; without these flags it keeps trying.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What plotly drew in each chart, measured in the page: its first svg.main-svg is the plot (the others are overlays).
MEASURE_JS = """
() => [...document.querySelectorAll('section.data-source')].map(section => ({
  data_source_id: section.dataset.dataSourceId || null,
  charts: [...section.querySelectorAll('div.chart')].map(chart => {
    const box = chart.getBoundingClientRect();
    const svg = chart.querySelector('svg.main-svg');
    const svgBox = svg ? svg.getBoundingClientRect() : null;
    const marks = [...chart.querySelectorAll('.scatterlayer .trace path, .barlayer .trace path')]
      .filter(p => { const d = (p.getAttribute('d') || '').trim(); return d !== '' && d !== 'M0,0Z'; });
    return {
      chart: chart.dataset.chart || null,
      container: [Math.round(box.width), Math.round(box.height)],
      svg: svgBox ? [Math.round(svgBox.width), Math.round(svgBox.height)] : null,
      marks: marks.length,
    };
  }),
}))
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("page", type=pathlib.Path)
    parser.add_argument("--data-sources", type=int, required=True, help="how many data source sections the page must have")
    parser.add_argument("--screenshot", type=pathlib.Path, required=True, help="where to write the full-page PNG")
    parser.add_argument("--empty-data-source", action="append", default=[], metavar="ID", help="a data source with no sync: its charts need no mark")
    parser.add_argument("--width", type=int, default=1280, help="viewport width (the screenshot's width)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the charts")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser executable")
    return parser.parse_args(argv)


def check_charts(sections: list[dict[str, Any]], expected: int, empty: set[str]) -> list[str]:
    """What does not hold of the measured sections (MEASURE_JS)."""
    failures = []
    if len(sections) != expected:
        failures.append(f"{len(sections)} section.data-source on the page, expected {expected}")
    for section in sections:
        ds = section["data_source_id"]
        kinds = [chart["chart"] for chart in section["charts"]]
        if sorted(kinds) != sorted(CHART_KINDS):
            failures.append(f"data source {ds}: charts {kinds}, expected one each of {list(CHART_KINDS)}")
        for chart in section["charts"]:
            where = f"data source {ds}, chart {chart['chart']}"
            if chart["svg"] is None:
                failures.append(f"{where}: plotly drew nothing (no svg.main-svg)")
                continue
            width, height = chart["svg"]
            if width <= MIN_WIDTH or abs(height - CHART_HEIGHT) > HEIGHT_TOLERANCE:
                failures.append(f"{where}: drawing is {width}x{height}, expected wider than {MIN_WIDTH} and {CHART_HEIGHT} +/- {HEIGHT_TOLERANCE} high")
            if any(abs(a - b) > HEIGHT_TOLERANCE for a, b in zip(chart["svg"], chart["container"], strict=True)):
                failures.append(f"{where}: drawing is {width}x{height}, its container {chart['container'][0]}x{chart['container'][1]}")
            if chart["marks"] == 0 and ds not in empty:
                failures.append(f"{where}: the drawing holds no mark (no non-empty path in a scatter or bar trace)")
    missing = empty - {section["data_source_id"] for section in sections}
    if missing:
        failures.append(f"--empty-data-source not on the page: {sorted(missing)}")
    return failures


def png_size(path: pathlib.Path) -> list[int]:
    """A PNG's width and height, from its IHDR chunk (bytes 16 to 24)."""
    with open(path, "rb") as f:
        header = f.read(24)
    return [int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    page_path = args.page.resolve()
    if not page_path.is_file():
        print(f"check_page: {args.page}: no such file", file=sys.stderr)
        return 2
    page_url = page_path.as_uri()
    requests: list[str] = []
    blocked: list[str] = []
    console_errors: list[str] = []
    failures: list[str] = []
    result: dict[str, Any] = {"page": str(page_path), "url": page_url, "page_bytes": page_path.stat().st_size}
    started = time.monotonic()

    def route(route: Route) -> None:
        url = route.request.url
        if url == page_url or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    # A new, empty profile each run: nothing of an earlier run (cache, service workers) can serve the page.
    with tempfile.TemporaryDirectory(prefix="check-page-") as profile, sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=args.chromium,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": args.width, "height": 800},
                device_scale_factor=1,
                offline=True,
            )
        except PlaywrightError as exc:
            print(f"check_page: could not start {args.chromium}: {exc}", file=sys.stderr)
            return 2
        try:
            context.route("**/*", route)
            page = context.pages[0] if context.pages else context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("websocket", lambda ws: requests.append(ws.url))
            page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: console_errors.append(f"uncaught: {exc}"))
            page.goto(page_url, wait_until="load", timeout=args.timeout * 1000)
            try:
                page.wait_for_function(
                    "() => document.body.dataset.chartsRendered !== undefined || document.body.dataset.chartsError !== undefined",
                    timeout=args.timeout * 1000,
                )
            except PlaywrightError:
                failures.append(f"neither chartsRendered nor chartsError set on <body> within {args.timeout:g} s")
            dataset = page.evaluate("() => ({...document.body.dataset})")
            result["charts_rendered"] = dataset.get("chartsRendered")
            if "chartsError" in dataset:
                failures.append(f"the page reports chartsError: {dataset['chartsError']}")
            result["render_seconds"] = round(time.monotonic() - started, 2)
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.screenshot), full_page=True)
            sections = page.evaluate(MEASURE_JS)
            result["page_height"] = page.evaluate("() => document.documentElement.scrollHeight")
        except PlaywrightError as exc:
            print(f"check_page: {page_url}: {exc}", file=sys.stderr)
            return 2
        finally:
            context.close()

    charts = sum(len(section["charts"]) for section in sections)
    if result["charts_rendered"] is not None and result["charts_rendered"] != str(charts):
        failures.append(f"chartsRendered is {result['charts_rendered']}, the page has {charts} charts")
    failures += check_charts(sections, args.data_sources, set(args.empty_data_source))
    others = [url for url in requests if url != page_url and not url.startswith(("data:", "blob:"))]
    if others:
        failures.append(f"the page made {len(others)} request(s) besides itself: {others}")
    if console_errors:
        failures.append(f"console errors: {console_errors}")
    result.update(
        data_sources=len(sections),
        charts=charts,
        sections=sections,
        requests=requests,
        blocked=blocked,
        console_errors=console_errors,
        screenshot=str(args.screenshot.resolve()),
        screenshot_bytes=os.path.getsize(args.screenshot),
        screenshot_size=png_size(args.screenshot),
        seconds=round(time.monotonic() - started, 2),
        failures=failures,
    )
    print(json.dumps(result))
    for failure in failures:
        print(f"check_page: FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
