# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTML report: its contract markers, one inline plotly.js and nothing fetched, escaping, and plotly being optional.
(That the charts render in a real browser is the integration target's browser check.)"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser

import plotly.offline
import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import PLOTLY_MISSING
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import render_html
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import require_plotly
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import script_json
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import validate_report_options
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import HOSTILE_MESSAGE
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import HOSTILE_NAME
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import IDS
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import sample_report


class _Page(HTMLParser):
    """The elements the contract names, as the browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.sections = []  # (class, data-data-source-id, [data-chart of its charts], its h2 text)
        self.scripts = []  # (attributes, text)
        self.body = {}
        self._in = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.sections.append([attributes.get("class"), attributes.get("data-data-source-id"), [], ""])
        elif tag == "div" and attributes.get("class") == "chart":
            self.sections[-1][2].append((attributes.get("data-chart"), attributes.get("id")))
        elif tag == "script":
            self.scripts.append([attributes, ""])
        elif tag == "body":
            self.body = attributes
        self._in = tag

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1][1] += data
        elif self._in == "h2" and self.sections:
            self.sections[-1][3] += data

    def handle_endtag(self, tag):
        self._in = None


@pytest.fixture(name="page", scope="module")
def page_fixture():
    return render_html(sample_report())


@pytest.fixture(name="parsed", scope="module")
def parsed_fixture(page):
    parser = _Page()
    parser.feed(page)
    return parser


def test_one_section_per_data_source_with_its_three_charts_and_one_overall_section(parsed):
    overall = [section for section in parsed.sections if section[0] == "overall"]
    data_sources = [section for section in parsed.sections if section[0] == "data-source"]
    assert len(overall) == 1 and len(parsed.sections) == 4
    assert [section[1] for section in data_sources] == IDS
    for dummy, dummy_id, charts, dummy_heading in data_sources:
        assert [kind for kind, dummy_chart_id in charts] == ["timeline", "durations", "documents-failed"]
    assert data_sources[0][3] == f"handbook-s3 ({IDS[0]})"
    assert data_sources[2][3] == IDS[2]  # given by ID: named by it
    assert parsed.body["data-chart-count"] == "9"


def test_the_layout_numbers_and_the_rendered_signal(page):
    assert "div.chart { width: 100%; height: 280px; }" in page
    assert ".container { max-width: 1100px;" in page
    assert "is 280px high" in page.split("-->", 1)[0] and "at most 1100px wide" in page.split("-->", 1)[0]
    assert "Promise.all(pending)" in page
    assert "body.dataset.chartsRendered = String(pending.length)" in page
    assert "body.dataset.chartsError" in page


def test_plotly_js_inline_once_and_nothing_fetched(page, parsed):
    plotly_js = plotly.offline.get_plotlyjs()
    assert page.count(plotly_js[:2000]) == 1
    assert [attributes for attributes, text in parsed.scripts if plotly_js in text] == [{}]
    assert "<script src=" not in page and not any("src" in attributes for attributes, dummy in parsed.scripts)
    assert not re.search(r"<(link|img|iframe)\b", page.replace(plotly_js, ""))
    # "http" occurs only inside plotly.js (licences, namespaces, map and topojson addresses it never fetches here).
    assert "http" not in page.replace(plotly_js, "")


def test_a_hostile_name_and_message_are_escaped(page, parsed):
    outside_plotly = page.replace(plotly.offline.get_plotlyjs(), "")
    assert HOSTILE_NAME not in outside_plotly and HOSTILE_MESSAGE not in outside_plotly
    assert not re.search(r"<img\b", outside_plotly)
    # Only the page's own </script> end tags: none from a name or a message.
    assert outside_plotly.count("</script>") == len(parsed.scripts) == 4
    assert parsed.sections[2][3] == f"{HOSTILE_NAME} ({IDS[1]})"  # as the browser shows it: the text, unchanged
    assert 'wiki&lt;/script&gt;&lt;img src=x onerror="alert(1)"&gt;&amp;amp;' in outside_plotly
    figures = json.loads(next(text for attributes, text in parsed.scripts if attributes.get("id") == "figures"))
    hover = " ".join(figures["chart-2-timeline"]["data"][1]["text"])  # the FAILED trace
    # plotly.js reads labels as a subset of HTML and decodes entities: the message shows as written, no tag is made.
    assert "&lt;/script&gt;&lt;script&gt;document.body.dataset.chartsError='pwned'&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in hover


def test_script_json_escapes_what_could_end_a_script():
    assert script_json({"a": "</script>&\u2028"}) == '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'
    assert json.loads(script_json({"a": "</script>&"})) == {"a": "</script>&"}


def test_the_charts_data(parsed):
    figures = json.loads(next(text for attributes, text in parsed.scripts if attributes.get("id") == "figures"))
    timeline = figures["chart-2-timeline"]
    # One trace per status, coloured by outcome, in progress blue; the first status at the top.
    assert [(trace["name"], trace["marker"]["color"], len(trace["x"])) for trace in timeline["data"]] == [
        ("SUCCEEDED", "#2ca02c", 1),
        ("FAILED", "#d62728", 1),
        ("INCOMPLETE", "#ff7f0e", 1),
        ("SYNCING", "#1f77b4", 1),
    ]
    assert timeline["layout"]["yaxis"]["categoryarray"] == ["SYNCING", "INCOMPLETE", "FAILED", "SUCCEEDED"]
    assert timeline["layout"]["height"] == 280
    assert timeline["layout"]["xaxis"]["range"] == ["2024-05-01 12:00:00", "2024-05-31 12:00:00"]
    # Durations of finished syncs only (the running one has none), in minutes once one reaches 2 minutes.
    durations = figures["chart-2-durations"]
    assert durations["data"][0]["y"] == [5.0, 5.0, 5.0] and "(minutes)" in durations["layout"]["title"]["text"]
    assert figures["chart-2-documents-failed"]["data"][0]["y"] == [0, 7, 0, 0]  # oldest first, the running one too
    # A data source with no sync: empty charts that say so.
    assert figures["chart-3-timeline"]["data"] == []
    assert figures["chart-3-timeline"]["layout"]["annotations"][0]["text"] == "no syncs in the window"


def test_without_plotly_html_path_fails_before_any_request(monkeypatch, tmp_path):
    for name in [name for name in sys.modules if name == "plotly" or name.startswith("plotly.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "plotly", None)  # "import plotly" now raises ImportError
    with pytest.raises(OptionError) as raised:
        require_plotly()
    assert raised.value.message == PLOTLY_MISSING == "html_path needs the Python package plotly on the controller (pip install plotly)"
    params = dict(application_id=IDS[0], index_id=IDS[1], since="30d", html_path=str(tmp_path / "report.html"))
    with pytest.raises(OptionError, match=re.escape(PLOTLY_MISSING)):
        validate_report_options(params)
    validate_report_options(dict(params, html_path=None, markdown_path=str(tmp_path / "report.md")))  # Markdown needs no plotly
    with pytest.raises(OptionError, match=re.escape(PLOTLY_MISSING)):
        render_html(sample_report())
