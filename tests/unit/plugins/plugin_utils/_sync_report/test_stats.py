# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The statistics of a sync history (plugin_utils/_sync_report/stats.py), one at a time, and their edge cases."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SYNC_JOB_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import parse_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.report import build_report
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import STATISTICS
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import percentile
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import sync_stats
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import time_of
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.stats import validate_history

NOW = datetime(2024, 5, 31, 12, 0, tzinfo=timezone.utc)
ZEROS = {status: 0 for status in SYNC_JOB_STATUSES}


def job(hours_ago, status="SUCCEEDED", minutes=5, execution_id=None, **extra):
    """A job as qbusiness_sync_job_info returns it: started ``hours_ago``, lasting ``minutes`` (None: no end time)."""
    start = NOW - timedelta(hours=hours_ago)
    result = {"execution_id": execution_id or f"exec-{hours_ago:08.2f}".ljust(36, "0"), "status": status, "start_time": start.isoformat()}
    if minutes is not None:
        result["end_time"] = (start + timedelta(minutes=minutes)).isoformat()
    result.update(extra)
    return result


def test_an_empty_history():
    assert sync_stats([], NOW) == {
        "syncs": ZEROS,
        "success_rate": None,
        "failure_streak": 0,
        "since_last_success": None,
        "duration_p50": None,
        "duration_p95": None,
        "documents": {"added": 0, "modified": 0, "deleted": 0, "failed": 0},
        "latest_sync": None,
    }
    assert tuple(sync_stats([], NOW)) == STATISTICS


def test_counts_by_status_with_every_status_and_unknown_ones():
    jobs = [job(1), job(2, "FAILED"), job(3, "PAUSED"), job(4, "SUCCEEDED"), {"execution_id": "no-status"}, job(5, "SYNCING", None)]
    stats = sync_stats(jobs, NOW)
    assert stats["syncs"] == dict(ZEROS, SUCCEEDED=2, FAILED=1, SYNCING=1, PAUSED=1, UNKNOWN=1)
    assert sum(stats["syncs"].values()) == len(jobs)


def test_success_rate_is_of_finished_syncs_only():
    jobs = [job(1), job(2, "FAILED"), job(3, "INCOMPLETE"), job(4, "ABORTED"), job(5, "SYNCING", None), job(6, "PAUSED")]
    assert sync_stats(jobs, NOW)["success_rate"] == 0.25
    assert sync_stats([job(1), job(2), job(3, "FAILED")], NOW)["success_rate"] == 0.6667  # rounded to 4 places


def test_all_running_finishes_nothing():
    jobs = [job(1, "SYNCING", None), job(2, "STOPPING", None), job(3, "SYNCING_INDEXING", None)]
    stats = sync_stats(jobs, NOW)
    assert stats["success_rate"] is None
    assert stats["failure_streak"] == 0
    assert stats["duration_p50"] is None and stats["duration_p95"] is None
    assert stats["since_last_success"] is None
    assert stats["latest_sync"] == jobs[0]


def test_no_success():
    stats = sync_stats([job(1, "FAILED"), job(2, "INCOMPLETE"), job(3, "FAILED")], NOW)
    assert stats["success_rate"] == 0.0
    assert stats["failure_streak"] == 3
    assert stats["since_last_success"] is None


@pytest.mark.parametrize(
    "statuses, streak",
    [
        (["FAILED", "INCOMPLETE", "SUCCEEDED", "FAILED"], 2),
        (["SUCCEEDED", "FAILED", "FAILED"], 0),
        # Running and unknown statuses are skipped: they neither extend nor end a streak.
        (["SYNCING", "FAILED", "PAUSED", "FAILED", "SUCCEEDED"], 2),
        # ABORTED is finished and not a failure: it ends the streak.
        (["FAILED", "ABORTED", "FAILED"], 1),
    ],
)
def test_failure_streak_newest_first_whatever_the_order_given(statuses, streak):
    jobs = [job(hours, status) for hours, status in enumerate(statuses, 1)]
    assert sync_stats(jobs, NOW)["failure_streak"] == streak
    assert sync_stats(list(reversed(jobs)), NOW)["failure_streak"] == streak


def test_ties_in_start_time_are_broken_by_execution_id():
    first = job(1, "FAILED", execution_id="b" * 36)
    second = job(1, "SUCCEEDED", execution_id="a" * 36)
    for jobs in ([first, second], [second, first]):
        stats = sync_stats(jobs, NOW)
        assert stats["latest_sync"] is first  # the greater execution ID is the newer, as the core orders them
        assert stats["failure_streak"] == 1


def test_since_last_success_counts_from_the_end_of_the_newest_success():
    stats = sync_stats([job(5, "FAILED"), job(3, minutes=30), job(10)], NOW)
    assert stats["since_last_success"] == 3 * 3600 - 30 * 60
    # Without an end time, from its start; never negative; whole seconds.
    assert sync_stats([job(1, minutes=None)], NOW)["since_last_success"] == 3600
    assert sync_stats([job(-1)], NOW)["since_last_success"] == 0
    assert sync_stats([job(1, minutes=None, start_time=(NOW - timedelta(seconds=10.6)).isoformat())], NOW)["since_last_success"] == 11


def test_since_last_success_counts_from_the_success_that_ended_last_not_the_one_that_started_last():
    # Two data sources' syncs overlap: one ran 08:00 to 11:00, the other 09:00 to 09:05; at 12:00 the last success
    # ended an hour ago (10500 s would be from the end of the one that started last).
    long = job(4, minutes=180, data_source_id="wiki")
    short = job(3, minutes=5, data_source_id="handbook")
    for jobs in ([long, short], [short, long]):
        assert sync_stats(jobs, NOW)["since_last_success"] == 3600
    # A success without an end counts from its start; a later-ending failure does not count.
    assert sync_stats([long, job(1.5, minutes=None), job(2, "FAILED", minutes=110)], NOW)["since_last_success"] == 3600
    # The report's overall, over the two data sources' histories.
    index = IndexRef("a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001")
    wiki, handbook = index.data_source("c0000000-0000-4000-8000-000000000001"), index.data_source("c0000000-0000-4000-8000-000000000002")
    report = build_report(index, [(wiki, [long]), (handbook, [short])], NOW - timedelta(days=1), NOW)
    assert report.overall["since_last_success"] == 3600
    assert report.overall["latest_sync"]["data_source_id"] == handbook.data_source_id  # the newest by start, still


def test_missing_and_unreadable_times_do_not_raise():
    jobs = [
        {"status": "SUCCEEDED"},
        {"status": "FAILED", "start_time": "not a time", "end_time": None},
        {"status": "SUCCEEDED", "start_time": 12},
        job(2, "FAILED"),
        {},
    ]
    stats = sync_stats(jobs, NOW)
    assert stats["latest_sync"] == jobs[3]  # the only one with a start time; the others sort last
    assert stats["since_last_success"] is None  # no SUCCEEDED job has a time
    assert stats["duration_p50"] == 300.0  # only jobs[3] has both times
    assert stats["syncs"]["UNKNOWN"] == 1


def test_datetimes_are_read_like_iso_strings():
    as_strings = [job(1), job(2, "FAILED", minutes=7), job(3, minutes=None)]
    as_datetimes = [dict(j, **{key: datetime.fromisoformat(j[key]) for key in ("start_time", "end_time") if key in j}) for j in as_strings]
    # Naive datetimes are UTC, and other offsets are the same instant.
    as_datetimes[1]["start_time"] = as_datetimes[1]["start_time"].replace(tzinfo=None)
    as_datetimes[1]["end_time"] = as_datetimes[1]["end_time"].astimezone(timezone(timedelta(hours=2)))
    expected = sync_stats(as_strings, NOW)
    got = sync_stats(as_datetimes, NOW)
    assert {k: v for k, v in got.items() if k != "latest_sync"} == {k: v for k, v in expected.items() if k != "latest_sync"}
    assert got["latest_sync"] is as_datetimes[0]


@pytest.mark.parametrize(
    "durations, p50, p95",
    [
        ([7], 7, 7),
        ([30, 10], 10, 30),
        # 1..20 minutes: rank ceil(0.5 x 20) = 10 and ceil(0.95 x 20) = 19.
        (list(range(20, 0, -1)), 10, 19),
    ],
)
def test_nearest_rank_percentiles(durations, p50, p95):
    jobs = [job(hours, minutes=minutes) for hours, minutes in enumerate(durations, 1)]
    stats = sync_stats(jobs, NOW)
    assert (stats["duration_p50"], stats["duration_p95"]) == (p50 * 60.0, p95 * 60.0)
    assert (percentile(durations, 50), percentile(durations, 95)) == (p50, p95)


def test_durations_are_of_finished_syncs_with_both_times():
    jobs = [
        job(1, minutes=10),
        job(2, "SYNCING", minutes=50),
        job(3, "PAUSED", minutes=50),
        job(4, "FAILED", minutes=None),
        job(5, "ABORTED", minutes=2),
        job(6, minutes=-5),
    ]  # an end before the start is left out
    stats = sync_stats(jobs, NOW)
    assert (stats["duration_p50"], stats["duration_p95"]) == (120.0, 600.0)


def test_documents_are_summed_skipping_what_is_not_an_integer():
    jobs = [
        job(1, metrics={"documents_added": 3, "documents_modified": 1, "documents_deleted": 0, "documents_failed": 2, "documents_scanned": 9}),
        job(2, metrics={"documents_added": "4", "documents_failed": True, "documents_deleted": 5}),
        job(3, metrics=None),
        job(4),
    ]
    assert sync_stats(jobs, NOW)["documents"] == {"added": 3, "modified": 1, "deleted": 5, "failed": 2}


def test_latest_sync_is_the_whole_job_as_given():
    newest = job(1, "FAILED", error={"error_code": "InvalidRequest", "error_message": "expired"}, data_source_id="x")
    assert sync_stats([job(3), newest, job(2)], NOW)["latest_sync"] == newest


def test_validate_history_names_what_is_wrong():
    assert validate_history(({"status": "FAILED"},)) == [{"status": "FAILED"}]
    with pytest.raises(TypeError, match="expects a list of sync jobs .* got dict"):
        validate_history({"history": []})
    with pytest.raises(TypeError, match="element 1 is str 'oops'"):
        validate_history([{}, "oops"])


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-01T10:00:00+00:00",
        "2024-05-01T10:00:00.123000+00:00",
        "2024-05-01T10:00:00Z",
        "2024-05-01T12:00:00+02:00",
        "20240501T100000Z",
        "2024-05-01 10:00:00",
    ],
)
def test_times_read_as_parse_time_reads_them(value):
    # The collection's own form takes a faster path; every form gives parse_time's instant.
    assert time_of(value) == parse_time("time", value)
    assert time_of(value).utcoffset() == timedelta(0)
