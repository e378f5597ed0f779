# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writing the report's files: every file is rendered before any is written, so that a report that cannot be drawn
leaves the files of an earlier run as they were; a write that fails after another says which file was written."""

from __future__ import annotations

from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import ReportError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import write_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.html import render_html
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.markdown import render_markdown
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import SyncReport

# (option, path, text): one rendered file.
Rendered = Tuple[str, str, str]


def render_files(report: SyncReport, markdown_path: Optional[str], html_path: Optional[str]) -> List[Rendered]:
    """The files asked for, rendered (Markdown, then HTML); nothing is written yet."""
    files: List[Rendered] = []
    if markdown_path is not None:
        files.append(("markdown_path", markdown_path, render_markdown(report)))
    if html_path is not None:
        files.append(("html_path", html_path, render_html(report)))
    return files


def write_files(files: List[Rendered]) -> Dict[str, str]:
    """Write each file in turn; the options written and their paths. ReportError when one cannot be written, saying
    which files of this run were written before it (each write is whole: no file is ever left half written)."""
    written: Dict[str, str] = {}
    for option, path, text in files:
        try:
            write_report(option, path, text)
        except ReportError as e:
            if not written:
                raise
            done = ", ".join(f"{name} {where}" for name, where in written.items())
            raise ReportError(f"{e.message}; {done} was written with this run's report") from e
        written[option] = path
    return written


def write_reports(report: SyncReport, markdown_path: Optional[str], html_path: Optional[str]) -> Dict[str, str]:
    """Render the files asked for, then write them (:func:`render_files`, :func:`write_files`)."""
    return write_files(render_files(report, markdown_path, html_path))
