# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starting and stopping syncs against the emulator in-process, races included."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import ensure_sync_started
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import ensure_sync_stopped

APP = "cdcdcdcd-0000-4000-8000-000000000001"


INDEX = "cdcdcdcd-0000-4000-8000-000000000002"


DS = "cdcdcdcd-0000-4000-8000-000000000003"


IDS = dict(application_id=APP, index_id=INDEX, data_source_id=DS)


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    data_source = {"name": "d", "data_source_id": DS, "history": [{"status": "SUCCEEDED", "start_time": "now-7200"}]}
    index = {"name": "i", "index_id": INDEX, "data_sources": [data_source]}
    control.load_scenario({"applications": [{"name": "c", "application_id": APP, "indices": [index]}]})
    control.clear_requests()
    return emulated_client


def _operations():
    return [r["operation"] for r in control.requests()]


def _source(client):
    return DataSourceService(client, DataSourceRef(**IDS))


def test_start_then_start_again_is_idempotent(client):
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=30)
    first = ensure_sync_started(_source(client))
    second = ensure_sync_started(_source(client))
    assert first.changed and first.job["executionId"] == first.execution_id and first.job["status"] == "SYNCING"
    assert not second.changed and second.execution_id == first.execution_id
    assert _operations().count("StartDataSourceSyncJob") == 1


def test_check_mode_sends_no_start_or_stop(client):
    assert ensure_sync_started(_source(client), check_mode=True).changed
    assert not ensure_sync_stopped(_source(client), check_mode=True).changed
    control.set_next_sync(APP, INDEX, DS, never_ends=True)
    control.start_sync(APP, INDEX, DS)
    stop = ensure_sync_stopped(_source(client), check_mode=True)
    assert stop.changed and stop.job["status"] == "SYNCING"
    assert set(_operations()) == {"ListDataSourceSyncJobs"}


def test_wait_returns_a_failed_job_without_raising(client):
    control.set_next_sync(APP, INDEX, DS, outcome="FAILED", syncing_seconds=0.3, indexing_seconds=0.2)
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    assert change.changed and not change.timed_out
    assert change.job["status"] == "FAILED"


def test_stop_then_stop_again_then_wait_for_aborted(client):
    control.set_next_sync(APP, INDEX, DS, never_ends=True, stopping_seconds=0.5)
    started = control.start_sync(APP, INDEX, DS)["execution_id"]
    stop = ensure_sync_stopped(_source(client))
    again = ensure_sync_stopped(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    idle = ensure_sync_stopped(_source(client))
    assert stop.changed and stop.execution_id == started and stop.job["status"] == "STOPPING"
    assert not again.changed and again.job["status"] == "ABORTED"
    assert not idle.changed and idle.execution_id is None and idle.job is None
    assert _operations().count("StopDataSourceSyncJob") == 1


def test_wait_times_out(client):
    control.set_next_sync(APP, INDEX, DS, never_ends=True)
    clock = [0.0]
    change = ensure_sync_started(
        _source(client),
        wait=True,
        wait_timeout=4,
        wait_sleep=3,
        monotonic=lambda: clock[0],
        sleep=lambda seconds: clock.__setitem__(0, clock[0] + seconds),
    )
    assert change.changed and change.timed_out and change.job["status"] == "SYNCING"
    assert clock[0] == 4.0


def test_a_sync_started_elsewhere_between_read_and_start_is_not_an_error(client, monkeypatch):
    """The race: the module reads no running sync, then another actor starts one, then Start conflicts."""
    real_start = client.client.start_data_source_sync_job
    control.set_next_sync(APP, INDEX, DS, never_ends=True)

    def start_after_someone_else(**kwargs):
        control.start_sync(APP, INDEX, DS)
        return real_start(**kwargs)

    monkeypatch.setattr(client.client, "start_data_source_sync_job", start_after_someone_else)
    monkeypatch.delattr(client, "start_data_source_sync_job", raising=False)  # drop the wrapper's cached method
    change = ensure_sync_started(_source(client))
    assert not change.changed
    assert change.job["status"] == "SYNCING" and change.execution_id == change.job["executionId"]
    assert [r["status_code"] for r in control.requests() if r["operation"] == "StartDataSourceSyncJob"] == [409]


def test_after_a_race_wait_still_waits_for_the_running_sync(client, monkeypatch):
    real_start = client.client.start_data_source_sync_job
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=1, indexing_seconds=0.5)

    def start_after_someone_else(**kwargs):
        control.start_sync(APP, INDEX, DS)
        return real_start(**kwargs)

    monkeypatch.setattr(client.client, "start_data_source_sync_job", start_after_someone_else)
    monkeypatch.delattr(client, "start_data_source_sync_job", raising=False)
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    assert not change.changed and not change.timed_out
    assert change.job["status"] == "SUCCEEDED"


def test_a_conflict_with_nothing_running_is_an_error(client, monkeypatch):
    """A Conflict for another reason (no emulator produces one): never reported as "already running"."""

    def conflict(**kwargs):
        raise ClientError({"Error": {"Code": "ConflictException", "Message": "Data source is being updated"}}, "StartDataSourceSyncJob")

    monkeypatch.setattr(client.client, "start_data_source_sync_job", conflict)
    monkeypatch.delattr(client, "start_data_source_sync_job", raising=False)
    with pytest.raises(SyncConflict) as err:
        ensure_sync_started(_source(client))
    assert "Data source is being updated" in str(err.value)


def test_started_waits_out_a_stopping_sync_then_starts(client):
    control.set_next_sync(APP, INDEX, DS, never_ends=True, stopping_seconds=1.5)
    stopping = control.start_sync(APP, INDEX, DS)["execution_id"]
    ensure_sync_stopped(_source(client))
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=30)
    change = ensure_sync_started(_source(client), wait_timeout=30, wait_sleep=1)
    assert change.changed and change.execution_id != stopping and change.job["status"] == "SYNCING"


def test_a_start_filter_that_hides_running_jobs_still_finds_the_followed_one(client, monkeypatch):
    """A service whose startTime filter left out jobs without an end time: the reads of running syncs find it."""
    real = client.client.list_data_source_sync_jobs

    def filter_hides_running_jobs(**kwargs):
        answer = real(**kwargs)
        if "startTime" in kwargs:
            answer["history"] = [job for job in answer["history"] if "endTime" in job]
        return answer

    monkeypatch.setattr(client.client, "list_data_source_sync_jobs", filter_hides_running_jobs)
    monkeypatch.delattr(client, "list_data_source_sync_jobs", raising=False)
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=1, indexing_seconds=0.5)
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=20, wait_sleep=1)
    assert change.changed and not change.timed_out and change.job["status"] == "SUCCEEDED"


def test_a_sync_that_ends_between_read_and_stop_is_not_an_error(client, monkeypatch):
    control.set_next_sync(APP, INDEX, DS, never_ends=True, stopping_seconds=0.01)
    control.start_sync(APP, INDEX, DS)
    real_stop = client.client.stop_data_source_sync_job

    def stop_after_another_stop(**kwargs):
        real_stop(**kwargs)  # another actor stops it first ...
        time.sleep(0.1)  # ... it reaches ABORTED ...
        return real_stop(**kwargs)  # ... and ours finds nothing to stop

    monkeypatch.setattr(client.client, "stop_data_source_sync_job", stop_after_another_stop)
    monkeypatch.delattr(client, "stop_data_source_sync_job", raising=False)
    change = ensure_sync_stopped(_source(client))
    assert not change.changed
    assert [r["status_code"] for r in control.requests() if r["operation"] == "StopDataSourceSyncJob"] == [200, 409]


def _running_read(page):
    """A read of running syncs: a status filter and no time filter (see listing.py)."""
    return "syncStatus" in page and "startTime" not in page


def test_following_a_job_reads_from_it_on_not_the_whole_history(client):
    """57 hourly jobs are 6 pages; the first read takes the last day's (3 pages), then each poll is one page.

    The first read shows nothing running, and so does the last poll (the job has ended): each also asks for the
    3 in-progress statuses without a time filter, 6 single-page requests in all (docs/reliability.md, item 3)."""
    control.seed_history(APP, INDEX, DS, generate={"count": 56, "status": "SUCCEEDED", "interval_seconds": 3600})
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=1.5, indexing_seconds=0.5)
    control.clear_requests()
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    pages = [r["params"] for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert change.job["status"] == "SUCCEEDED"
    running_reads = [page["syncStatus"] for page in pages if _running_read(page)]
    windowed = [page for page in pages if not _running_read(page)]
    assert running_reads == ["SYNCING", "SYNCING_INDEXING", "STOPPING"] * 2
    assert all("startTime" in page for page in windowed)
    first_read = [page for page in windowed if page["startTime"] == windowed[0]["startTime"]]
    assert len(first_read) == 3  # 24 jobs of the last day, not the whole history's 6 pages
    assert 2 <= len(windowed) - 3 <= 4  # one page per poll: about 2 s of waiting at 1 s per poll, plus the first follow read
