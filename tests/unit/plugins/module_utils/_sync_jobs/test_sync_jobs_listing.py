# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The newest jobs without the whole history (list_recent_jobs), against the emulator in-process.

Every window is asked from a second before it starts (WINDOW_MARGIN); a time-filtered read that shows no
sync in progress costs 3 more single-page requests (statusFilter SYNCING, SYNCING_INDEXING, STOPPING,
no time filter; it stops at the first that finds one), once per call: the figures below count both.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import RECENT_WINDOWS
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import WINDOW_MARGIN
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import JOB_A
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import SPARSE
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import list_calls
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import load_histories
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import source


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_histories()
    return emulated_client


RUNNING_READS = ["SYNCING", "SYNCING_INDEXING", "STOPPING"]


def _window_starts(calls):
    """The startTime of each time-filtered listing request (None for a whole read), as sent on the wire;
    the reads of running syncs (a status filter, no time filter) are left out: see _running_reads."""
    starts = []
    for call in calls:
        raw = call["params"].get("startTime")
        if raw is None and "syncStatus" in call["params"] and "endTime" not in call["params"]:
            continue
        starts.append(None if raw is None else datetime.fromisoformat(raw.replace("Z", "+00:00")))
    return starts


def _running_reads(calls):
    """The status of each read of running syncs: a status filter and no time filter."""
    return [c["params"]["syncStatus"] for c in calls if "syncStatus" in c["params"] and not {"startTime", "endTime"} & set(c["params"])]


def _add_data_source(history=None, generate=None):
    if history or generate:
        control.seed_history(APP, INDEX, SPARSE, jobs=history, generate=generate)
    control.clear_requests()


def test_two_thousand_hourly_jobs_cost_six_requests_for_the_latest(client):
    """Years of hourly syncs: the latest is in the last day, so 3 pages are read instead of 200, and as none
    of them is running, the 3 in-progress statuses are asked once: 6 requests."""
    _add_data_source(generate={"count": 2000, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    now = datetime.now(timezone.utc)
    recent = list_recent_jobs(source(client, SPARSE), now=now)
    calls = list_calls()
    assert _window_starts(calls) == [now - timedelta(days=1) - WINDOW_MARGIN] * 3
    assert _running_reads(calls) == RUNNING_READS and len(calls) == 6
    assert 23 <= len(recent) <= 24 and all(job["startTime"] >= now - timedelta(days=1) for job in recent)
    everything, dummy = source(client, SPARSE).list_sync_jobs_and_token()
    assert len(everything) == 2000
    assert latest_job(recent)["executionId"] == latest_job(everything)["executionId"]


def test_windows_widen_until_a_job_is_in_one(client):
    """Last synced 40 days ago: the day, week and month windows are empty, the year window has it."""
    old = (datetime.now(timezone.utc) - timedelta(days=40)).isoformat()
    _add_data_source(generate={"count": 30, "status": "SUCCEEDED", "interval_seconds": 86400, "newest_start_time": old})
    now = datetime.now(timezone.utc)
    recent = list_recent_jobs(source(client, SPARSE), now=now)
    starts = _window_starts(list_calls())
    # one request per empty window, then the year's 30 jobs in 3 pages; the running syncs asked once, after the first
    assert starts == [now - width - WINDOW_MARGIN for width in RECENT_WINDOWS[:3]] + [now - RECENT_WINDOWS[3] - WINDOW_MARGIN] * 3
    assert _running_reads(list_calls()) == RUNNING_READS and len(list_calls()) == 9
    assert len(recent) == 30
    assert abs(latest_job(recent)["startTime"] - datetime.fromisoformat(old)) < timedelta(seconds=1)  # the service keeps milliseconds


def test_a_history_older_than_every_window_is_read_whole(client):
    _add_data_source(history=[{"execution_id": JOB_A, "status": "FAILED", "start_time": "2020-01-01T00:00:00Z"}])
    recent = list_recent_jobs(source(client, SPARSE))
    starts = _window_starts(list_calls())
    assert len(starts) == len(RECENT_WINDOWS) + 1 and starts[-1] is None
    assert len(list_calls()) == len(RECENT_WINDOWS) + 1 + 3  # the running syncs asked once
    assert [job["executionId"] for job in recent] == [JOB_A]


def test_no_history_at_all_is_an_empty_answer(client):
    _add_data_source()
    assert list_recent_jobs(source(client, SPARSE)) == []
    assert len(list_calls()) == len(RECENT_WINDOWS) + 1 + 3  # the running syncs asked once


def test_a_start_time_filter_narrower_than_a_window_is_read_as_given(client):
    _add_data_source(generate={"count": 50, "status": "SUCCEEDED", "interval_seconds": 3600})
    filters = build_list_filters(start_time=(datetime.now(timezone.utc) - timedelta(hours=5, minutes=30)).isoformat())
    recent = list_recent_jobs(source(client, SPARSE), filters=filters)
    assert _window_starts(list_calls()) == [filters["startTime"]]  # the user's startTime, sent as given
    assert _running_reads(list_calls()) == RUNNING_READS
    assert len(recent) == 5


def test_windows_after_end_time_are_skipped_and_other_filters_kept(client):
    """end_time 10 days back: the day and week windows cannot match and are not asked for."""
    _add_data_source(generate={"count": 500, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    now = datetime.now(timezone.utc)
    filters = build_list_filters(end_time=(now - timedelta(days=10)).isoformat(), status_filter="FAILED")
    recent = list_recent_jobs(source(client, SPARSE), filters=filters, now=now)
    calls = list_calls()
    assert set(_window_starts(calls)) == {now - timedelta(days=30) - WINDOW_MARGIN}
    # No running sync can be FAILED: no read of running syncs
    assert all(call["params"]["syncStatus"] == "FAILED" and "endTime" in call["params"] for call in calls)
    everything, dummy = source(client, SPARSE).list_sync_jobs_and_token(filters=filters)
    assert latest_job(recent)["executionId"] == latest_job(everything)["executionId"]
    assert all(job["status"] == "FAILED" for job in recent)


def test_a_service_that_ignores_the_start_filter_still_gives_the_true_latest(client, monkeypatch):
    """If the filter matched more than the window (here: everything), jobs from before the window are dropped."""
    _add_data_source(generate={"count": 30, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    real = client.client.list_data_source_sync_jobs

    def ignore_start_time(**kwargs):
        kwargs.pop("startTime", None)
        return real(**kwargs)

    monkeypatch.setattr(client.client, "list_data_source_sync_jobs", ignore_start_time)
    monkeypatch.delattr(client, "list_data_source_sync_jobs", raising=False)
    now = datetime.now(timezone.utc)
    recent = list_recent_jobs(source(client, SPARSE), now=now)
    everything, dummy = source(client, SPARSE).list_sync_jobs_and_token()
    assert 23 <= len(recent) <= 24 and all(job["startTime"] >= now - timedelta(days=1) for job in recent)
    assert latest_job(recent)["executionId"] == latest_job(everything)["executionId"]


def test_enough_decides_when_to_stop_widening(client):
    """Asked for three FAILED jobs among daily syncs: the week window has one, the month has enough."""
    now = datetime.now(timezone.utc)
    history = [{"status": "FAILED" if day % 5 == 0 else "SUCCEEDED", "start_time": (now - timedelta(days=day, hours=1)).isoformat()} for day in range(40)]
    _add_data_source(history=history)
    recent = list_recent_jobs(source(client, SPARSE), now=now, enough=lambda jobs: sum(j["status"] == "FAILED" for j in jobs) >= 3)
    assert _window_starts(list_calls())[-1] == now - timedelta(days=30) - WINDOW_MARGIN
    assert sum(job["status"] == "FAILED" for job in recent) == 6


@pytest.mark.parametrize(
    "behaviours",
    [
        {},
        {"time_filter_field": "end_time"},
        {"time_filter_bounds": "exclusive"},
        {"time_filter_keeps_running": False},
        {"time_filter_field": "end_time", "time_filter_bounds": "exclusive", "time_filter_keeps_running": False},
    ],
    ids=["default", "end_time", "exclusive", "hides_running", "all_three"],
)
def test_a_window_reads_the_same_jobs_whatever_the_time_filter_means(client, behaviours):
    """Register items 2 and 3: whichever time the filter compares, inclusively or not, keeping running syncs or
    not, the day window holds exactly the jobs that started in it: the one at its very start, and the running one."""
    control.set_behaviours(**behaviours)
    now = datetime.now(timezone.utc).replace(microsecond=0)  # the service keeps milliseconds: an exact edge
    day_ago = now - timedelta(days=1)
    edge = "edge-job-" + "0" * 27
    _add_data_source(
        history=[{"execution_id": edge, "status": "SUCCEEDED", "start_time": day_ago.isoformat()}],
        generate={"count": 30, "status": "SUCCEEDED", "interval_seconds": 3600, "newest_start_time": (now - timedelta(hours=1)).isoformat()},
    )
    control.set_next_sync(APP, INDEX, SPARSE, never_ends=True)
    running = control.start_sync(APP, INDEX, SPARSE)["execution_id"]
    control.clear_requests()
    recent = list_recent_jobs(source(client, SPARSE), now=now)
    calls = list_calls()
    control.clear_behaviours()
    everything, dummy = source(client, SPARSE).list_sync_jobs_and_token()
    expected = {job["executionId"] for job in everything if job["startTime"] >= day_ago}
    assert {job["executionId"] for job in recent} == expected and {edge, running} <= expected
    assert latest_job(recent)["executionId"] == running
    # The running syncs are asked for only when the window read showed none, and no further than the status
    # that found one (one sync at a time); the day window is 3 pages (26 jobs, 25 when the running one is hidden).
    hidden = behaviours.get("time_filter_field") == "end_time" or behaviours.get("time_filter_keeps_running") is False
    assert _running_reads(calls) == (["SYNCING"] if hidden else [])
    assert len(calls) == (4 if hidden else 3)
