# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The newest jobs without the whole history (list_recent_jobs), against the emulator in-process."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import RECENT_WINDOWS
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import JOB_A
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import SPARSE

from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import load_histories
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import list_calls
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import source


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_histories()
    return emulated_client


def _window_starts(calls):
    """The startTime of each listing request (None for a whole read), as sent on the wire."""
    starts = []
    for call in calls:
        raw = call["params"].get("startTime")
        starts.append(None if raw is None else datetime.fromisoformat(raw.replace("Z", "+00:00")))
    return starts


def _add_data_source(history=None, generate=None):
    if history or generate:
        control.seed_history(APP, INDEX, SPARSE, jobs=history, generate=generate)
    control.clear_requests()


def test_two_thousand_hourly_jobs_cost_three_requests_for_the_latest(client):
    """Years of hourly syncs: the latest is in the last day, so 3 pages are read instead of 200."""
    _add_data_source(generate={"count": 2000, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    now = datetime.now(timezone.utc)
    recent = list_recent_jobs(source(client, SPARSE), now=now)
    calls = list_calls()
    assert _window_starts(calls) == [now - timedelta(days=1)] * 3
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
    # one request per empty window, then the year's 30 jobs in 3 pages
    assert starts == [now - width for width in RECENT_WINDOWS[:3]] + [now - RECENT_WINDOWS[3]] * 3
    assert len(recent) == 30
    assert abs(latest_job(recent)["startTime"] - datetime.fromisoformat(old)) < timedelta(seconds=1)  # the service keeps milliseconds


def test_a_history_older_than_every_window_is_read_whole(client):
    _add_data_source(history=[{"execution_id": JOB_A, "status": "FAILED", "start_time": "2020-01-01T00:00:00Z"}])
    recent = list_recent_jobs(source(client, SPARSE))
    starts = _window_starts(list_calls())
    assert len(starts) == len(RECENT_WINDOWS) + 1 and starts[-1] is None
    assert [job["executionId"] for job in recent] == [JOB_A]


def test_no_history_at_all_is_an_empty_answer(client):
    _add_data_source()
    assert list_recent_jobs(source(client, SPARSE)) == []
    assert len(list_calls()) == len(RECENT_WINDOWS) + 1


def test_a_start_time_filter_narrower_than_a_window_is_read_as_given(client):
    _add_data_source(generate={"count": 50, "status": "SUCCEEDED", "interval_seconds": 3600})
    filters = build_list_filters(start_time=(datetime.now(timezone.utc) - timedelta(hours=5, minutes=30)).isoformat())
    recent = list_recent_jobs(source(client, SPARSE), filters=filters)
    assert _window_starts(list_calls()) == [filters["startTime"]]
    assert len(recent) == 5


def test_windows_after_end_time_are_skipped_and_other_filters_kept(client):
    """end_time 10 days back: the day and week windows cannot match and are not asked for."""
    _add_data_source(generate={"count": 500, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    now = datetime.now(timezone.utc)
    filters = build_list_filters(end_time=(now - timedelta(days=10)).isoformat(), status_filter="FAILED")
    recent = list_recent_jobs(source(client, SPARSE), filters=filters, now=now)
    calls = list_calls()
    assert set(_window_starts(calls)) == {now - timedelta(days=30)}
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
    history = [{"status": "FAILED" if day % 5 == 0 else "SUCCEEDED", "start_time": (now - timedelta(days=day, hours=1)).isoformat()}
               for day in range(40)]
    _add_data_source(history=history)
    recent = list_recent_jobs(source(client, SPARSE), now=now, enough=lambda jobs: sum(j["status"] == "FAILED" for j in jobs) >= 3)
    assert _window_starts(list_calls())[-1] == now - timedelta(days=30)
    assert sum(job["status"] == "FAILED" for job in recent) == 6
