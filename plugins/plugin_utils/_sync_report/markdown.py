# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Markdown report: a heading, the window, and the statistics table (one row per data source, then all of them)."""

from __future__ import annotations

from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import cell
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.markdown import table
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import TABLE_HEADERS
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import SyncReport
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import table_rows
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import window_text


def render_markdown(report: SyncReport) -> str:
    """The report as GitHub-flavoured Markdown."""
    count = len(report.data_sources)
    lines = [
        f"# {cell(report.title)}",
        "",
        f"Syncs that started from {window_text(report)}, of {count} data source{'' if count == 1 else 's'} of index "
        f"{cell(report.index.label)} in application {cell(report.application_label)}. Times are UTC; durations are "
        "end minus start of the finished syncs (p50 and p95: nearest-rank percentiles).",
        "",
        table(TABLE_HEADERS, table_rows(report)),
    ]
    return "\n".join(lines)
