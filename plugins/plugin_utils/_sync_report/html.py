# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML report: one self-contained page (plotly.js inline, nothing fetched) with the statistics table and, per data
source, three plotly charts: a timeline of its syncs coloured by outcome, their durations, and documents failed per sync.

plotly is an optional dependency, needed only here: it is imported when a page is drawn (or html_path checked), never
when the module is loaded. Every text the service or the user chose (names, statuses, error messages) is escaped twice
over: for HTML with html.escape (plotly.js reads its labels as a subset of HTML, and decodes the entities), and the
figures' JSON with ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so that no text ends its script.
"""

from __future__ import annotations

import html
import importlib
import json
from dataclasses import dataclass
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import IN_PROGRESS_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import iso_time
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import human_duration
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.text import percent
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.page import CHART_HEIGHT
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.page import CONTAINER_MAX_WIDTH
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.page import PAGE
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.page import SECTION
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import STATUS_WORDS
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import TABLE_HEADERS
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import DataSourceReport
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import SyncReport
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import syncs_text
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import table_rows
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import window_text
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import duration_of
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import status_of
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import time_of

PLOTLY_MISSING = "html_path needs the Python package plotly on the controller (pip install plotly)"
# The charts (data-chart) of each data source, in page order.
CHARTS = ("timeline", "durations", "documents-failed")
OUTCOME_COLOURS = {"SUCCEEDED": "#2ca02c", "FAILED": "#d62728", "INCOMPLETE": "#ff7f0e", "ABORTED": "#7f7f7f"}
IN_PROGRESS_COLOUR = "#1f77b4"
UNKNOWN_COLOUR = "#9467bd"  # a status the collection does not know
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
# Error messages are cut to this many characters in a hover label.
HOVER_ERROR_LIMIT = 200


def require_plotly() -> Tuple[Any, Any]:
    """plotly's ``graph_objects`` and ``offline`` modules; OptionError (:data:`PLOTLY_MISSING`) when plotly is not installed."""
    try:
        return importlib.import_module("plotly.graph_objects"), importlib.import_module("plotly.offline")
    except ImportError:
        raise OptionError(PLOTLY_MISSING) from None


def colour_of(status: str) -> str:
    """The colour of a sync's mark: green, red, orange or grey by outcome, blue while in progress, purple for a status
    the collection does not know."""
    if status in IN_PROGRESS_STATUSES:
        return IN_PROGRESS_COLOUR
    return OUTCOME_COLOURS.get(status, UNKNOWN_COLOUR)


def text(value: Any) -> str:
    """Text for HTML, or for a plotly label (which reads a subset of HTML)."""
    return html.escape(str(value), quote=False)


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>`` or ``&`` that could end or change it."""
    encoded = json.dumps(value, separators=(",", ":"), allow_nan=False)  # ASCII: U+2028 and U+2029 come escaped too
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class _Point:
    """One sync as the charts draw it."""

    x: str  # its start, as plotly.js reads a date (UTC, no offset: plotly.js has no time zones)
    status: str
    duration: Optional[float]
    failed: Optional[int]
    label: str  # its execution ID, for the hover labels of the durations and documents charts
    hover: str  # all about it, for the timeline's


def _plotly_time(job_time: Any) -> Optional[str]:
    at = time_of(job_time)
    return at.strftime("%Y-%m-%d %H:%M:%S") if at is not None else None


def _hover(job: SyncJob, status: str, duration: Optional[float], failed: Optional[int]) -> str:
    lines = [
        f"execution ID: {job.get('execution_id')}",
        f"status: {status}",
        f"started: {iso_time(job.get('start_time'))}",
        f"duration: {human_duration(duration) if duration is not None else 'running' if status in IN_PROGRESS_STATUSES else 'unknown'}",
    ]
    if failed is not None:
        lines.append(f"documents failed: {failed}")
    error = job.get("error")
    if isinstance(error, dict) and (error.get("error_message") or error.get("error_code")):
        message = " ".join(str(error.get("error_message") or "").split())
        if len(message) > HOVER_ERROR_LIMIT:
            message = message[: HOVER_ERROR_LIMIT - 1] + "…"
        lines.append(f"error: {error.get('error_code') or ''} {message}".rstrip())
    return "<br>".join(text(line) for line in lines)


def _points(jobs: List[SyncJob]) -> List[_Point]:
    """The syncs that have a start time (a chart cannot place the others), oldest first."""
    points = []
    for job in reversed(jobs):  # jobs are newest first
        x = _plotly_time(job.get("start_time"))
        if x is None:
            continue
        status = status_of(job)
        failed = (job.get("metrics") or {}).get("documents_failed")
        failed = failed if isinstance(failed, int) and not isinstance(failed, bool) else None
        duration = duration_of(job) if status not in IN_PROGRESS_STATUSES else None
        points.append(_Point(x, status, duration, failed, text(job.get("execution_id")), _hover(job, status, duration, failed)))
    return points


def _layout(title: str, report: SyncReport, empty: Optional[str], **extra: Any) -> Dict[str, Any]:
    window = [_plotly_time(report.since), _plotly_time(report.until)]
    layout: Dict[str, Any] = dict(
        template="none",
        height=CHART_HEIGHT,
        autosize=True,
        margin=dict(l=64, r=16, t=36, b=36),
        font=dict(family=FONT, size=12),
        title=dict(text=text(title), x=0.01, font=dict(size=14)),
        hovermode="closest",
        showlegend=False,
        xaxis=dict(type="date", range=window),  # the start of each sync, UTC (said on the page)
    )
    if empty is not None:
        layout["annotations"] = [dict(text=text(empty), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=13))]
        layout["yaxis"] = dict(visible=False)
    layout.update(extra)
    return layout


def _by_status(points: List[_Point]) -> List[Tuple[str, List[_Point]]]:
    """The points of each status that occurs: the API's in STATUS_WORDS' order, then any other. One trace per status keeps
    each trace's colour a single value (an array of colours costs plotly's validation a second per 36,000 syncs)."""
    order = list(STATUS_WORDS) + sorted({point.status for point in points} - set(STATUS_WORDS))
    grouped = [(status, [point for point in points if point.status == status]) for status in order]
    return [(status, mine) for status, mine in grouped if mine]


def _timeline(go: Any, points: List[_Point], report: SyncReport) -> Any:
    groups = _by_status(points)
    traces = [
        go.Scatter(
            x=[point.x for point in mine],
            y=[text(status)] * len(mine),
            mode="markers",
            name=text(status),
            marker=dict(color=colour_of(status), size=10, line=dict(width=1, color="#ffffff")),
            text=[point.hover for point in mine],
            hoverinfo="text",
        )
        for status, mine in groups
    ]
    # The first status at the top: a category axis draws its first category at the bottom.
    yaxis = dict(type="category", categoryorder="array", categoryarray=[text(status) for status, dummy in reversed(groups)], automargin=True)
    layout = _layout("Syncs by outcome", report, None if points else "no syncs in the window", **({"yaxis": yaxis} if points else {}))
    return go.Figure(data=traces, layout=layout)


def _durations(go: Any, points: List[_Point], report: SyncReport) -> Any:
    timed = [point for point in points if point.duration is not None]
    longest = max((point.duration or 0.0 for point in timed), default=0.0)
    unit, size = ("minutes", 60.0) if longest >= 120 else ("seconds", 1.0)

    def y(mine: List[_Point]) -> List[float]:
        return [round((point.duration or 0.0) / size, 3) for point in mine]

    # A grey line through all of them, and their marks coloured by outcome; hover labels hold the execution ID only
    # (the timeline has the rest), so that a long history's page stays smaller.
    traces = (
        [go.Scatter(x=[point.x for point in timed], y=y(timed), mode="lines", line=dict(color="#9aa5b1", width=1), hoverinfo="skip", name="duration")]
        if timed
        else []
    )
    traces += [
        go.Scatter(
            x=[point.x for point in mine],
            y=y(mine),
            mode="markers",
            marker=dict(color=colour_of(status), size=7),
            name=text(status),
            text=[point.label for point in mine],
            hovertemplate=f"%{{text}}<br>%{{y}} {unit}<extra></extra>",
        )
        for status, mine in _by_status(timed)
    ]
    layout = _layout(
        f"Duration of finished syncs ({unit})",
        report,
        None if timed else "no finished sync with a start and an end",
        **({"yaxis": dict(title=dict(text=unit), rangemode="tozero")} if timed else {}),
    )
    return go.Figure(data=traces, layout=layout)


def _documents_failed(go: Any, points: List[_Point], report: SyncReport) -> Any:
    counted = [point for point in points if point.failed is not None]
    # Markers rather than bars, so that a sync that failed no document still shows, at 0.
    trace = go.Scatter(
        x=[point.x for point in counted],
        y=[point.failed for point in counted],
        mode="lines+markers",
        line=dict(color="#e8a0a0", width=1),
        marker=dict(color=OUTCOME_COLOURS["FAILED"], size=7),
        text=[point.label for point in counted],
        hovertemplate="%{text}<br>%{y} documents failed<extra></extra>",
        name="documents failed",
    )
    layout = _layout(
        "Documents failed per sync",
        report,
        None if counted else "no sync reported a failed-document count",
        **({"yaxis": dict(title=dict(text="documents"), rangemode="tozero")} if counted else {}),
    )
    return go.Figure(data=[trace] if counted else [], layout=layout)


def _table(report: SyncReport) -> str:
    head = "".join(f"<th>{text(header)}</th>" for header in TABLE_HEADERS)
    rows = table_rows(report)
    # The last row is that of all data sources.
    body = [
        ("<tr>" if position < len(rows) - 1 else '<tr class="all">') + "".join(f"<td>{text(value)}</td>" for value in row) + "</tr>"
        for position, row in enumerate(rows)
    ]
    return f'<table class="statistics">\n<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>"


def _summary(data_source: DataSourceReport) -> str:
    stats = data_source.stats
    return (
        f"syncs: {syncs_text(stats['syncs'])}; success rate {percent(stats['success_rate'])}; failure streak {stats['failure_streak']}; "
        f"since last success {human_duration(stats['since_last_success'])}"
    )


def render_html(report: SyncReport) -> str:
    """The report as one self-contained HTML page (see page.py for its layout contract)."""
    go, offline = require_plotly()
    plotly_js = offline.get_plotlyjs()
    if "</script" in plotly_js.lower():  # never seen; it would end the inline script early
        raise ValueError("the plotly.js bundle contains '</script', which cannot be inlined")
    figures: Dict[str, Any] = {}
    sections = []
    for position, data_source in enumerate(report.data_sources, 1):
        points = _points(data_source.jobs)
        charts = []
        for kind, draw in zip(CHARTS, (_timeline, _durations, _documents_failed)):
            chart_id = f"chart-{position}-{kind}"
            figures[chart_id] = draw(go, points, report).to_plotly_json()
            charts.append(f'<div class="chart" data-chart="{kind}" id="{chart_id}"></div>')
        sections.append(
            SECTION.substitute(
                data_source_id=html.escape(data_source.ref.data_source_id, quote=True),
                label=text(data_source.ref.label),
                summary=text(_summary(data_source)),
                charts="\n".join(charts),
            )
        )
    return PAGE.substitute(
        title=text(report.title),
        window=text(f"Syncs that started from {window_text(report)}; index {report.index.label} in application {report.application_label}. Times are UTC."),
        table=_table(report),
        sections="\n".join(sections),
        plotly_js=plotly_js,
        figures=script_json(figures),
        chart_count=str(len(figures)),
        chart_height=str(CHART_HEIGHT),
        container_width=str(CONTAINER_MAX_WIDTH),
    )
