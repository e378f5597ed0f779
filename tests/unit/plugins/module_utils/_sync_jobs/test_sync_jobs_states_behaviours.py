# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starting and stopping under the service behaviours AWS does not document (docs/reliability.md, the register),
each played by the emulator's switch: the answer stays right, or the call fails saying why."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import ensure_sync_started
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.states import ensure_sync_stopped
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.test_sync_jobs_states import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.test_sync_jobs_states import DS
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.test_sync_jobs_states import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.test_sync_jobs_states import _source
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.test_sync_jobs_states import client_fixture  # noqa: F401  pylint: disable=unused-import  # the fixture, shared


def _replace(client, monkeypatch, name, replacement):
    monkeypatch.setattr(client.client, name, replacement)
    monkeypatch.delattr(client, name, raising=False)  # drop the wrapper's cached method


def _answers(operation):
    return [r["status_code"] for r in control.requests() if r["operation"] == operation]


def _history_size(client):
    return len(_source(client).list_all_sync_jobs())


@pytest.mark.parametrize("answer", ["conflict", "ok"])
def test_a_sync_started_elsewhere_is_followed_whatever_start_answers(client, monkeypatch, answer):
    """Register item 6: Start while a sync runs answers ConflictException (default) or 200 with the running
    sync's executionId. Either way the module follows that sync and starts no other."""
    control.set_behaviours(start_while_running=answer)
    control.set_next_sync(APP, INDEX, DS, never_ends=True)
    real_start = client.client.start_data_source_sync_job
    elsewhere = []

    def start_after_someone_else(**kwargs):
        elsewhere.append(control.start_sync(APP, INDEX, DS)["execution_id"])
        return real_start(**kwargs)

    _replace(client, monkeypatch, "start_data_source_sync_job", start_after_someone_else)
    change = ensure_sync_started(_source(client))
    assert change.execution_id == elsewhere[0] and change.job["executionId"] == elsewhere[0] and change.job["status"] == "SYNCING"
    assert _answers("StartDataSourceSyncJob") == [409 if answer == "conflict" else 200]
    assert _history_size(client) == 2  # the seeded job and the one started elsewhere: nothing else started
    # A ConflictException tells "already running" apart; a 200 cannot, for a sync the first read did not list.
    assert change.changed is (answer == "ok")


@pytest.mark.parametrize("answer", ["conflict", "ok"])
def test_a_sync_that_ends_before_stop_is_no_change_whatever_stop_answers(client, monkeypatch, answer):
    """Register item 6: Stop with no sync in progress answers ConflictException (default) or 200 doing nothing."""
    control.set_behaviours(stop_without_sync=answer)
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=0.2, indexing_seconds=0.1)
    started = control.start_sync(APP, INDEX, DS)["execution_id"]
    real_stop = client.client.stop_data_source_sync_job

    def stop_once_it_has_ended(**kwargs):
        time.sleep(0.6)
        return real_stop(**kwargs)

    _replace(client, monkeypatch, "stop_data_source_sync_job", stop_once_it_has_ended)
    change = ensure_sync_stopped(_source(client))
    assert not change.changed
    assert change.execution_id == started and change.job["status"] == "SUCCEEDED"
    assert _answers("StopDataSourceSyncJob") == [409 if answer == "conflict" else 200]


def test_a_stop_refused_while_the_sync_still_runs_fails_saying_so(client, monkeypatch):
    """A ConflictException from Stop with a sync still SYNCING (no emulator switch answers so): never "stopped"."""
    control.set_next_sync(APP, INDEX, DS, never_ends=True)
    running = control.start_sync(APP, INDEX, DS)["execution_id"]

    def conflict(**kwargs):
        raise ClientError({"Error": {"Code": "ConflictException", "Message": "Sync is being updated"}}, "StopDataSourceSyncJob")

    _replace(client, monkeypatch, "stop_data_source_sync_job", conflict)
    with pytest.raises(SyncConflict) as err:
        ensure_sync_stopped(_source(client))
    assert err.value.message == (
        f"Failed to stop the sync of data source {DS}: the service refused to stop it (ConflictException), but sync {running} is still SYNCING"
    )
    assert "Sync is being updated" in str(err.value)


@pytest.mark.parametrize("delay", [0, 1.5])
def test_a_started_sync_not_listed_yet_is_never_mistaken_for_another(client, delay):
    """Register item 7: a service may list a started sync late. Without wait: its execution_id and no job; with
    wait: polled until listed and ended."""
    control.set_behaviours(listing_delay_seconds=delay)
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=30)
    change = ensure_sync_started(_source(client))
    assert change.changed and change.execution_id
    if delay:
        assert change.job is None
    else:
        assert change.job["executionId"] == change.execution_id and change.job["status"] == "SYNCING"
    time.sleep(delay)  # once listed, it can be stopped
    assert ensure_sync_stopped(_source(client), wait=True, wait_timeout=30, wait_sleep=1).job["status"] == "ABORTED"

    control.set_next_sync(APP, INDEX, DS, syncing_seconds=0.3, indexing_seconds=0.2)
    waited = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    assert waited.changed and not waited.timed_out
    assert waited.job["executionId"] == waited.execution_id != change.execution_id and waited.job["status"] == "SUCCEEDED"


def test_a_wait_for_a_sync_never_listed_times_out_saying_so(client):
    control.set_behaviours(listing_delay_seconds=60)
    clock = [0.0]
    change = ensure_sync_started(
        _source(client),
        wait=True,
        wait_timeout=3,
        wait_sleep=1,
        monotonic=lambda: clock[0],
        sleep=lambda seconds: clock.__setitem__(0, clock[0] + seconds),
    )
    assert change.changed and change.timed_out and change.job is None and change.execution_id


@pytest.mark.parametrize("behaviours", [{}, {"time_filter_keeps_running": False}, {"time_filter_field": "end_time"}])
def test_following_a_sync_under_every_time_filter_reading(client, behaviours):
    """Register item 3: a filter that hides running syncs costs reads of the running statuses, never a whole read."""
    control.set_behaviours(**behaviours)
    control.set_next_sync(APP, INDEX, DS, syncing_seconds=1, indexing_seconds=0.5)
    control.clear_requests()
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    assert change.changed and not change.timed_out and change.job["status"] == "SUCCEEDED"
    pages = [r["params"] for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert all("startTime" in page or "syncStatus" in page for page in pages)  # no whole read


def test_an_unknown_status_is_taken_as_finished_with_a_warning(client):
    """Register item 5: a status none of the seven: the wait ends on it (it cannot tell) and says so."""
    control.set_next_sync(APP, INDEX, DS, outcome="PAUSED", allow_unknown_status=True, syncing_seconds=0.2, indexing_seconds=0.1)
    change = ensure_sync_started(_source(client), wait=True, wait_timeout=30, wait_sleep=1)
    assert change.changed and not change.timed_out and change.job["status"] == "PAUSED"
    assert change.warnings == [
        f"sync {change.execution_id} has status 'PAUSED', which is none of the statuses qbusiness.ops knows (FAILED, SUCCEEDED, "
        "SYNCING, INCOMPLETE, STOPPING, ABORTED, SYNCING_INDEXING); it is taken as finished, since the collection cannot tell "
        "whether it is still running"
    ]
    stop = ensure_sync_stopped(_source(client))
    assert not stop.changed and len(stop.warnings) == 1 and stop.warnings[0].endswith("and nothing was stopped")
    assert _answers("StopDataSourceSyncJob") == []
