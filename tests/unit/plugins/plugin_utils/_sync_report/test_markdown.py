# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Markdown report: heading, window, and the statistics table with a row per data source and one for all."""

from __future__ import annotations

from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.markdown import render_markdown
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import IDS
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import sample_report


def _rows(text):
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_heading_window_and_one_row_per_data_source_then_all():
    text = render_markdown(sample_report())
    lines = text.splitlines()
    assert lines[0] == "# Q Business sync report: index main (b0000000-0000-4000-8000-000000000001)"
    assert "from 2024-05-01T12:00:00+00:00 to 2024-05-31T12:00:00+00:00 (30d), of 3 data sources" in text
    header, *rows = _rows(text)
    assert header.startswith("| data source | syncs | success rate | failure streak | since last success | p50 | p95 |")
    hostile = f'| wiki&lt;/script>&lt;img src=x onerror="alert(1)">&amp;amp; ({IDS[1]})'  # "&" too, so that "&amp;" shows as written
    assert [row.split(" | ")[0] for row in rows] == [f"| handbook-s3 ({IDS[0]})", hostile, f"| {IDS[2]}", "| all"]


def test_the_cells_of_a_row():
    handbook, hostile, never, every = (row.strip("| ").split(" | ") for row in _rows(render_markdown(sample_report()))[1:])
    assert handbook[1:] == ["30 (27 ok, 2 failed, 1 incomplete)", "90%", "0", "55m", "6m", "7m", "300 / 60 / 30 / 3", "SUCCEEDED 2024-05-31T11:00:00+00:00"]
    assert hostile[1:4] == ["4 (1 ok, 1 failed, 1 incomplete, 1 syncing)", "33.3%", "2"]
    assert hostile[4] == "2h 55m"
    assert never[1:] == ["0", "—", "0", "—", "—", "—", "0 / 0 / 0 / 0", "—"]
    assert every[1:3] == ["34 (28 ok, 3 failed, 2 incomplete, 1 syncing)", "84.9%"]  # 28 / 33 = 0.8485 (4 places), shown to one decimal
    assert every[-1] == "SYNCING 2024-05-31T11:30:00+00:00"
