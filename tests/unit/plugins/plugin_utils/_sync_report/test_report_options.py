# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report's options, checked before any request: the window (since), the files, the data sources."""

from __future__ import annotations

import os
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_duration
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import parse_since
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import validate_report_options

NOW = datetime(2024, 5, 31, 9, 0, tzinfo=timezone.utc)
APP, INDEX, DS = ("a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000001")


@pytest.mark.parametrize(
    "value, since",
    [
        ("30d", NOW - timedelta(days=30)),
        ("12h", NOW - timedelta(hours=12)),
        (" 90M ", NOW - timedelta(minutes=90)),
        (86400, NOW - timedelta(days=1)),
        ("3650d", NOW - timedelta(days=3650)),
        ("2024-05-01T00:00:00Z", datetime(2024, 5, 1, tzinfo=timezone.utc)),
        ("2024-05-01T02:00:00+02:00", datetime(2024, 5, 1, tzinfo=timezone.utc)),
        ("2024-05-01 00:00:00", datetime(2024, 5, 1, tzinfo=timezone.utc)),  # no offset: UTC
        ("2024-05-31T09:00:00Z", NOW),  # an empty window is not in the future
        ("20240501", NOW - timedelta(seconds=20240501)),  # a bare number is always seconds
    ],
)
def test_since_as_a_duration_or_a_date_time(value, since):
    assert parse_since(value, NOW) == since


@pytest.mark.parametrize(
    "value, message",
    [
        ("3651d", "since must be a duration of at most 10 years (3650 days), such as 30d, 12h, 90m or a number of seconds, or an ISO 8601 date-time"),
        (0, "since must be a duration"),
        ("-3h", "since must be a duration"),
        ("a month", "got 'a month'"),
        (True, "got True"),
        (1.5, "got 1.5"),
        ("2024-05-31T09:00:01Z", "since (2024-05-31T09:00:01+00:00) is in the future (it is now 2024-05-31T09:00:00+00:00)"),
        ("2014-05-30T09:00:00Z", "since (2014-05-30T09:00:00+00:00) is more than 3650 days ago: the window is at most 10 years (3650 days)"),
    ],
)
def test_bad_since(value, message):
    with pytest.raises(OptionError) as raised:
        parse_since(value, NOW)
    assert message in raised.value.message


def test_the_limit_is_said_in_days_as_the_gate_says_it():
    # 10 years are 3650 days here, not calendar years: a date 9 years and 364 days ago is refused, so say the days.
    nine_years_364_days = datetime(2014, 6, 1, 9, 0, tzinfo=timezone.utc)
    assert (NOW - nine_years_364_days).days == 3652
    with pytest.raises(OptionError) as raised:
        parse_since(nine_years_364_days.isoformat(), NOW)
    assert "3650 days" in raised.value.message
    with pytest.raises(OptionError) as raised:
        parse_duration("max_age", "3651d")
    assert raised.value.message.startswith("max_age must be a positive duration of at most 10 years (3650 days), such as")


def _params(**options):
    return dict(dict(application_id=APP, index_id=INDEX, since="30d"), **options)


def test_a_request_holds_the_window_and_the_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    request = validate_report_options(_params(data_source_id=[DS, DS], html_path="r.html", markdown_path="r.md", title="  "), now=NOW)
    assert (request.since, request.until) == (NOW - timedelta(days=30), NOW)
    assert [named.id for named in request.data_sources] == [DS]
    assert (request.html_path, request.markdown_path) == (str(tmp_path / "r.html"), str(tmp_path / "r.md"))
    assert request.title is None
    assert validate_report_options(_params(), now=NOW).data_sources is None  # every data source of the index


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(html_path="/nonexistent-dir/r.html"), "html_path: cannot write /nonexistent-dir/r.html: its directory /nonexistent-dir does not exist"),
        (dict(markdown_path="{tmp}"), "markdown_path: cannot write {tmp}: it is a directory"),
        (dict(html_path="{tmp}/same", markdown_path="{tmp}/same"), "html_path and markdown_path are the same file ({tmp}/same)"),
        (dict(since="3651d"), "since must be a duration of at most 10 years"),
        (dict(data_source_id=[]), "data_source_id must name at least one data source"),
        (dict(data_source_name=["ok", ["nested"]]), "data_source_name takes display names"),
        (dict(application_name="app"), "application_id and application_name are mutually exclusive"),
        (dict(title=42), "title must be a string"),
    ],
)
def test_bad_options_name_the_option(tmp_path, options, message):
    options = {key: value.format(tmp=tmp_path) if isinstance(value, str) else value for key, value in options.items()}
    with pytest.raises(OptionError) as raised:
        validate_report_options(_params(**options), now=NOW)
    assert message.format(tmp=tmp_path) in raised.value.message


def test_an_unwritable_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as for a directory of another user (tests may run as root)
    with pytest.raises(OptionError, match="html_path: cannot write .*: permission denied"):
        validate_report_options(_params(html_path=str(tmp_path / "r.html")), now=NOW)
