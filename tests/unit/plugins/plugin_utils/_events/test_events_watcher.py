# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync_jobs event source's watcher, against the emulator in-process with its clock driven: the events of a
sync's life, restarts, emit_existing, failed polls and throttling, and the requests each poll costs."""

from __future__ import annotations

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import validate_watch_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.watcher import SyncJobWatcher
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEXING
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import OLD_FAILURE
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import POLICIES
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import POLICIES_SUCCESS
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import SYNCING
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import WIKI
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import changes
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import drive_clock
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import load_index
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import start_sync
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import sync_job_requests


@pytest.fixture(name="clock")
def clock_fixture(emulated_client, monkeypatch):
    clock = drive_clock(monkeypatch)
    load_index()
    return clock


def watcher(client, **args) -> SyncJobWatcher:
    return SyncJobWatcher(client, validate_watch_options(dict(dict(application_id=APP, index_id=INDEX), **args)))


def deny(client) -> None:
    """AccessDenied for the watcher's listings; in-process, the emulator sees the client's own (mock) access key."""
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["ListDataSourceSyncJobs"])


def test_a_sync_that_starts_runs_and_succeeds_is_started_status_changed_finished(emulated_client, clock):
    watch = watcher(emulated_client, data_source_id=WIKI)
    assert watch.poll().events == []  # the first poll records the history: the old failure is not replayed
    execution_id = start_sync(WIKI)
    seen = []
    for dummy in range(5):
        seen.extend(watch.poll().events)
        clock.advance(SYNCING / 2)
    assert changes(seen) == [
        ("started", WIKI, None, "SYNCING"),
        ("status_changed", WIKI, "SYNCING", "SYNCING_INDEXING"),
        ("finished", WIKI, "SYNCING_INDEXING", "SUCCEEDED"),
    ]
    body = seen[-1]["qbusiness_sync_job"]
    assert body["job"]["execution_id"] == execution_id and body["job"]["end_time"].endswith("+00:00")
    assert isinstance(body["job"]["metrics"]["documents_added"], int)  # the collection's snake_case shape
    assert set(body) == {"change", "application_id", "index_id", "data_source_id", "data_source_name", "previous_status", "job"}
    # Given by ID, named from the one ListDataSources listing read at start.
    assert (body["application_id"], body["index_id"], body["data_source_name"]) == (APP, INDEX, "confluence-wiki")
    assert [r["operation"] for r in control.requests()].count("ListDataSources") == 1
    assert watch.poll().events == []


def test_a_failed_sync_carries_its_error_and_names_come_from_the_listing(emulated_client, clock):
    watch = watcher(emulated_client)  # every data source of the index
    watch.poll()
    start_sync(WIKI, outcome="FAILED", error={"error_code": "InvalidRequest", "error_message": "Token revoked"})
    watch.poll()
    clock.advance(SYNCING + INDEXING)
    events = watch.poll().events
    assert changes(events) == [("finished", WIKI, "SYNCING", "FAILED")]
    body = events[0]["qbusiness_sync_job"]
    assert body["job"]["error"] == {"error_code": "InvalidRequest", "error_message": "Token revoked"}
    assert body["data_source_name"] == "confluence-wiki"


def test_a_sync_that_starts_and_ends_between_two_polls_is_one_finished(emulated_client, clock):
    watch = watcher(emulated_client, data_source_name=["confluence-wiki"])
    watch.poll()
    start_sync(WIKI, outcome="INCOMPLETE")
    clock.advance(SYNCING + INDEXING)
    assert changes(watch.poll().events) == [("finished", WIKI, None, "INCOMPLETE")]


def test_a_restart_emits_nothing_old_and_follows_a_sync_running_at_start(emulated_client, clock):
    first = watcher(emulated_client)
    first.poll()
    start_sync(WIKI, outcome="FAILED")
    clock.advance(SYNCING + INDEXING)
    assert changes(first.poll().events) == [("finished", WIKI, None, "FAILED")]
    start_sync(POLICIES)
    again = watcher(emulated_client)  # the rulebook restarted: the same history, a new watcher
    assert again.poll().events == []
    clock.advance(SYNCING)
    assert changes(again.poll().events) == [("status_changed", POLICIES, "SYNCING", "SYNCING_INDEXING")]
    clock.advance(INDEXING)
    assert changes(again.poll().events) == [("finished", POLICIES, "SYNCING_INDEXING", "SUCCEEDED")]
    assert again.poll().events == []


def test_emit_existing_emits_the_latest_ended_sync_of_each_data_source_once(emulated_client, clock):
    watch = watcher(emulated_client, emit_existing=True)
    events = watch.poll().events
    assert changes(events) == [("finished", WIKI, None, "FAILED"), ("finished", POLICIES, None, "SUCCEEDED")]
    assert [e["qbusiness_sync_job"]["job"]["execution_id"] for e in events] == [OLD_FAILURE, POLICIES_SUCCESS]
    assert watch.poll().events == []


def test_a_failed_poll_is_reported_and_recovers_with_one_poll_failed_per_streak(emulated_client, clock):
    watch = watcher(emulated_client, data_source_id=WIKI, failures_before_event=2)
    watch.poll()
    deny(emulated_client)
    failed = [watch.poll() for dummy in range(4)]
    assert all(poll.errors and "AccessDeniedException" in poll.errors[0] for poll in failed)
    assert [changes(poll.events) for poll in failed] == [[], [("poll_failed", WIKI, None, None)], [], []]
    assert "AccessDeniedException" in failed[1].events[0]["qbusiness_sync_job"]["error"]
    assert "job" not in failed[1].events[0]["qbusiness_sync_job"]
    start_sync(WIKI)  # started while the watcher could not read: seen when it can again
    control.clear_faults()
    recovered = watch.poll()
    assert recovered.errors == [] and changes(recovered.events) == [("started", WIKI, None, "SYNCING")]
    deny(emulated_client)
    assert [changes(watch.poll().events) for dummy in range(2)] == [[], [("poll_failed", WIKI, None, None)]]  # a new streak


def test_a_name_that_cannot_be_resolved_yet_is_retried_at_each_poll(emulated_client, clock):
    control.set_faults(denied_access_keys=[emulated_client.client._request_signer._credentials.access_key], operations=["ListDataSources"])
    watch = watcher(emulated_client, failures_before_event=1)
    poll = watch.poll()
    assert "AccessDeniedException" in poll.errors[0] and changes(poll.events) == [("poll_failed", None, None, None)]
    assert poll.events[0]["qbusiness_sync_job"]["application_id"] == APP
    control.clear_faults()
    assert watch.poll().errors == [] and [ref.data_source_id for ref in watch.data_sources] == [WIKI, POLICIES]


def test_thirty_percent_throttling_loses_no_event(emulated_client, clock, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # the retries' backoff: its lengths are not under test
    watch = watcher(emulated_client)
    watch.poll()
    control.set_faults(throttle_rate=0.3, seed=11)
    start_sync(WIKI, outcome="FAILED")
    start_sync(POLICIES)
    seen = []
    for dummy in range(6):
        seen.extend(watch.poll().events)
        clock.advance(SYNCING / 2)
    assert sorted(changes(seen)) == sorted(
        [
            ("started", WIKI, None, "SYNCING"),
            ("status_changed", WIKI, "SYNCING", "SYNCING_INDEXING"),
            ("finished", WIKI, "SYNCING_INDEXING", "FAILED"),
            ("started", POLICIES, None, "SYNCING"),
            ("status_changed", POLICIES, "SYNCING", "SYNCING_INDEXING"),
            ("finished", POLICIES, "SYNCING_INDEXING", "SUCCEEDED"),
        ]
    )
    assert any(r["fault"] == "throttle" for r in control.requests())


def test_the_steady_state_costs_one_listing_per_data_source_per_poll(emulated_client, clock):
    watch = watcher(emulated_client)
    watch.poll()
    for dummy in range(3):  # idle
        control.clear_requests()
        assert watch.poll().events == []
        assert len(control.requests()) == len(sync_job_requests()) == 2
        assert sorted(r["path"].split("/")[6] for r in control.requests()) == sorted([WIKI, POLICIES])  # one each
    start_sync(WIKI)
    watch.poll()
    control.clear_requests()
    watch.poll()  # following a running sync: still one listing each
    assert len(control.requests()) == len(sync_job_requests()) == 2
    clock.advance(SYNCING + INDEXING)
    control.clear_requests()
    assert [change for change, *dummy in changes(watch.poll().events)] == ["finished"]
    # The poll that sees it end: the wiki's read and its 3 in-progress statuses (docs/eda.md), the policies' one.
    assert len(sync_job_requests()) == 4 + 1
    control.clear_requests()
    watch.poll()
    assert len(sync_job_requests()) == 2  # back to one each
