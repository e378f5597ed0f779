# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the watcher takes for news when the listings are not the simple story: jobs missing from a read and back,
a followed sync that is no longer listed, a stale status, a sync longer than a day on a service whose time filter
leaves running syncs out, failed first reads, and a data source whose read raises something unforeseen."""

from __future__ import annotations

import logging

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import validate_watch_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.watcher import SyncJobWatcher
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import INDEXING
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import OLD_FAILURE
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import POLICIES
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import SYNCING
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import WIKI
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import EditedListing
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import changes
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import drive_clock
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import load_index
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import start_sync
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._events.scenario import sync_job_requests

HOUR = 3600


@pytest.fixture(name="clock")
def clock_fixture(emulated_client, monkeypatch):
    clock = drive_clock(monkeypatch)
    load_index()
    return clock


def watcher(client, clock, **args) -> SyncJobWatcher:
    """A watcher whose time is the emulator's (driven) clock."""
    return SyncJobWatcher(client, validate_watch_options(dict(dict(application_id=APP, index_id=INDEX), **args)), now=clock.datetime)


def run_to_end(watch, clock, data_source_id: str = WIKI, outcome: str = "SUCCEEDED") -> str:
    execution_id = start_sync(data_source_id, outcome=outcome)
    seen = []
    for dummy in range(3):
        seen.extend(watch.poll().events)
        clock.advance(SYNCING)
    assert [change for change, *dummy in changes(seen)] == ["started", "status_changed", "finished"]
    return execution_id


def test_an_ended_job_missing_from_one_read_and_back_is_not_new(emulated_client, clock):
    listing = EditedListing(emulated_client)
    watch = watcher(listing, clock, data_source_id=WIKI)
    watch.poll()
    execution_id = run_to_end(watch, clock)
    listing.hidden.add(execution_id)
    assert watch.poll().events == []
    listing.hidden.clear()
    assert watch.poll().events == []  # the same ended job: no second finished
    listing.hidden.add(OLD_FAILURE)  # an older ended job missing, then back
    watch.poll()
    listing.hidden.clear()
    assert watch.poll().events == []


def test_a_followed_sync_no_longer_listed_is_dropped_after_a_whole_read(emulated_client, clock, caplog):
    jobs = [{"status": "SUCCEEDED", "start_time": f"now-{HOUR * (hours + 2)}"} for hours in range(20)]
    control.seed_history(APP, INDEX, WIKI, jobs=jobs)
    listing = EditedListing(emulated_client)
    watch = watcher(listing, clock, data_source_id=WIKI)
    watch.poll()
    running = start_sync(WIKI)
    assert changes(watch.poll().events) == [("started", WIKI, None, "SYNCING")]
    listing.hidden.add(running)
    caplog.set_level(logging.WARNING, logger="qbusiness.ops.sync_jobs")
    control.clear_requests()
    assert watch.poll().events == []  # the whole read holds 22 old jobs: none of them is news
    assert f"sync {running} is no longer listed" in caplog.text
    assert len(sync_job_requests()) == 1 + 3 + 3  # from the sync on, its 3 in-progress statuses, the whole listing (3 pages)
    for dummy in range(3):  # back to the steady state
        control.clear_requests()
        assert watch.poll().events == []
        assert len(sync_job_requests()) == 1


def test_a_stale_in_progress_status_of_an_ended_job_is_ignored(emulated_client, clock, caplog):
    listing = EditedListing(emulated_client)
    watch = watcher(listing, clock, data_source_id=WIKI)
    watch.poll()
    execution_id = run_to_end(watch, clock, outcome="FAILED")
    listing.shown_as[execution_id] = "SYNCING"
    caplog.set_level(logging.INFO, logger="qbusiness.ops.sync_jobs")
    assert watch.poll().events == []
    assert f"sync {execution_id}, already ended, listed as SYNCING; ignored" in caplog.text
    listing.shown_as.clear()
    assert watch.poll().events == []  # FAILED again: not a second finished


@pytest.mark.parametrize("behaviour", [dict(time_filter_keeps_running=False), dict(time_filter_field="end_time")])
def test_a_sync_longer_than_a_day_is_reported_when_it_ends_at_one_request_per_poll(emulated_client, clock, behaviour):
    control.set_behaviours(**behaviour)
    watch = watcher(emulated_client, clock, data_source_id=WIKI)
    watch.poll()
    control.set_next_sync(APP, INDEX, WIKI, outcome="FAILED", syncing_seconds=26 * HOUR, indexing_seconds=HOUR)
    execution_id = control.start_sync(APP, INDEX, WIKI)["execution_id"]
    seen = []
    for dummy in range(30):
        clock.advance(HOUR)
        control.clear_requests()
        seen.extend(watch.poll().events)
        assert len(sync_job_requests()) == 1  # the time filter hides the running sync: nothing followed, one read
    assert changes(seen) == [("finished", WIKI, None, "FAILED")]
    assert seen[0]["qbusiness_sync_job"]["job"]["execution_id"] == execution_id


def test_a_sync_that_ends_while_the_first_reads_fail_is_emitted_once_they_succeed(emulated_client, clock):
    watch = watcher(emulated_client, clock, data_source_id=WIKI)
    control.set_faults(denied_access_keys=[emulated_client.client._request_signer._credentials.access_key], operations=["ListDataSourceSyncJobs"])
    assert watch.poll().errors
    clock.advance(1)
    execution_id = start_sync(WIKI, outcome="FAILED")
    clock.advance(SYNCING + INDEXING)
    assert watch.poll().errors
    control.clear_faults()
    events = watch.poll().events
    assert changes(events) == [("finished", WIKI, None, "FAILED")]  # not the failure of a day before the watcher
    assert events[0]["qbusiness_sync_job"]["job"]["execution_id"] == execution_id
    assert watch.poll().events == []


def test_an_unforeseen_error_of_one_data_source_keeps_the_others_events(emulated_client, clock, monkeypatch):
    real = DataSourceService.list_all_sync_jobs

    def list_all_sync_jobs(self, filters=None):
        if self.ref.data_source_id == POLICIES:
            raise KeyError("history")
        return real(self, filters)

    monkeypatch.setattr(DataSourceService, "list_all_sync_jobs", list_all_sync_jobs)
    watch = watcher(emulated_client, clock, failures_before_event=2)
    first = watch.poll()
    assert len(first.errors) == 1 and "KeyError" in first.errors[0] and "sharepoint-policies" in first.errors[0]
    start_sync(WIKI)
    poll = watch.poll()
    assert changes(poll.events) == [("started", WIKI, None, "SYNCING"), ("poll_failed", POLICIES, None, None)]


def test_the_watchers_start_bounds_what_a_late_first_read_emits(emulated_client, clock):
    """A sync that started before the watcher is history, even when the first reads failed."""
    start_sync(WIKI, outcome="FAILED")
    clock.advance(1)
    watch = watcher(emulated_client, clock, data_source_id=WIKI)
    control.set_faults(denied_access_keys=[emulated_client.client._request_signer._credentials.access_key], operations=["ListDataSourceSyncJobs"])
    watch.poll()
    clock.advance(SYNCING + INDEXING)
    control.clear_faults()
    assert watch.poll().events == []


def test_data_sources_given_by_id_are_watched_unnamed_when_their_listing_is_refused(emulated_client, clock, caplog):
    """The names are a convenience: a caller allowed to read sync jobs but not to list data sources still gets events."""
    control.set_faults(denied_access_keys=[emulated_client.client._request_signer._credentials.access_key], operations=["ListDataSources"])
    watch = watcher(emulated_client, clock, data_source_id=WIKI)
    caplog.set_level(logging.WARNING, logger="qbusiness.ops.sync_jobs")
    assert watch.poll().errors == []
    assert "the data sources' names could not be read" in caplog.text and "AccessDeniedException" in caplog.text
    start_sync(WIKI)
    events = watch.poll().events
    assert changes(events) == [("started", WIKI, None, "SYNCING")] and events[0]["qbusiness_sync_job"]["data_source_name"] is None
