# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writing the report's files (plugin_utils/_sync_report/writing.py): everything rendered before anything is written,
and a write that fails after another says which file was written."""

from __future__ import annotations

import pytest

from ansible_collections.qbusiness.ops.plugins.plugin_utils._reports.files import ReportError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report import writing
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.writing import write_files
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.writing import write_reports
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._sync_report.reports import sample_report


def test_both_written_and_returned(tmp_path):
    markdown, page = tmp_path / "r.md", tmp_path / "r.html"
    assert write_reports(sample_report(), str(markdown), str(page)) == {"markdown_path": str(markdown), "html_path": str(page)}
    assert markdown.read_text(encoding="utf-8").startswith("# Q Business sync report")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert write_reports(sample_report(), None, None) == {}


def test_nothing_is_written_when_the_html_cannot_be_rendered(tmp_path, monkeypatch):
    def broken(report):
        raise RuntimeError("plotly broke")

    monkeypatch.setattr(writing, "render_html", broken)
    markdown = tmp_path / "r.md"
    markdown.write_text("last run's report", encoding="utf-8")
    with pytest.raises(RuntimeError, match="plotly broke"):
        write_reports(sample_report(), str(markdown), str(tmp_path / "r.html"))
    assert markdown.read_text(encoding="utf-8") == "last run's report"  # not replaced by a report beside a failed task


def test_a_failed_second_write_says_which_file_was_written(tmp_path):
    markdown, page = tmp_path / "r.md", tmp_path / "gone" / "r.html"  # its directory went away after the options were checked
    with pytest.raises(ReportError) as raised:
        write_files([("markdown_path", str(markdown), "# md\n"), ("html_path", str(page), "<!DOCTYPE html>")])
    assert raised.value.message.startswith(f"could not write html_path {page}: ")
    assert raised.value.message.endswith(f"; markdown_path {markdown} was written with this run's report")
    assert markdown.read_text(encoding="utf-8") == "# md\n"


def test_a_failed_first_write_is_the_write_report_error_alone(tmp_path):
    page = tmp_path / "r.html"
    with pytest.raises(ReportError) as raised:
        write_files([("markdown_path", str(tmp_path / "gone" / "r.md"), "# md\n"), ("html_path", str(page), "<!DOCTYPE html>")])
    assert "was written" not in raised.value.message
    assert not page.exists()
