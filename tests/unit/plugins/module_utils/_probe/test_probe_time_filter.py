# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Register items 2 and 3: the time filters, read against the emulator in each of its readings, and against a
service that drops what the collection depends on."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import AS_REFERENCE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import DIFFERS
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.findings import NOT_OBSERVABLE
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import describe_time_filter
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import midpoint
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import probe_job
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import probe_running
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.time_filter import probe_time_filter
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import BUSY
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import IDLE
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import RUNNING_JOB
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import SINGLE
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import context
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import load_probe_scenario

T0 = datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=timezone.utc)


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_probe_scenario()
    return emulated_client


def sample_of(ctx):
    jobs, dummy, lines = ctx.read()
    return jobs


def test_probe_job_is_the_newest_finished_job_of_two_seconds_or_more():
    jobs = [
        {"executionId": "running", "status": "SYNCING", "startTime": T0 + timedelta(hours=3)},
        {"executionId": "short", "status": "SUCCEEDED", "startTime": T0 + timedelta(hours=2), "endTime": T0 + timedelta(hours=2, seconds=1)},
        {"executionId": "old", "status": "FAILED", "startTime": T0, "endTime": T0 + timedelta(minutes=2)},
        {"executionId": "older", "status": "SUCCEEDED", "startTime": T0 - timedelta(hours=1), "endTime": T0},
    ]
    assert probe_job(jobs)["executionId"] == "old"
    assert probe_job(jobs[:2]) is None


def test_midpoint_keeps_to_the_millisecond():
    middle = midpoint(T0, T0 + timedelta(seconds=3, microseconds=1))
    assert middle == T0 + timedelta(seconds=1, milliseconds=500)


@pytest.mark.parametrize(
    "start_inclusive, end_inclusive, words",
    [(True, True, "start_time, inclusive"), (False, False, "start_time, exclusive"), (True, False, "start_time, startTime inclusive, endTime exclusive")],
)
def test_describe_time_filter(start_inclusive, end_inclusive, words):
    assert describe_time_filter("start_time", start_inclusive, end_inclusive) == words


@pytest.mark.parametrize(
    "behaviours, seen",
    [
        ({}, "start_time, inclusive"),
        ({"time_filter_bounds": "exclusive"}, "start_time, exclusive"),
        ({"time_filter_field": "end_time"}, "end_time, inclusive"),
        ({"time_filter_field": "end_time", "time_filter_bounds": "exclusive"}, "end_time, exclusive"),
        ({"time_filter_keeps_running": False}, "start_time, inclusive"),  # the probed job is finished
    ],
)
def test_time_filter_tells_each_reading_apart(client, behaviours, seen):
    control.set_behaviours(**behaviours)
    ctx = context(client, BUSY)
    sample = sample_of(ctx)
    before = len(ctx.recorder.calls)
    finding = probe_time_filter(ctx, sample)
    assert finding.observed == seen
    assert finding.result == (AS_REFERENCE if not behaviours or "time_filter_keeps_running" in behaviours else DIFFERS)
    assert finding.holds is True
    # Five listings of one page each, every one of them in the evidence.
    assert len(ctx.recorder.calls) - before == 5
    assert sum(line.startswith("ListDataSourceSyncJobs(startTime=") for line in finding.evidence) == 5


class StartTimeOnlyDropped:
    """A service whose listing with startTime and no endTime (what the recent windows send) answers nothing."""

    def __init__(self, client):
        self.client = client

    def list_data_source_sync_jobs(self, **request):
        response = self.client.list_data_source_sync_jobs(**request)
        if "startTime" in request and "endTime" not in request:
            return dict(response, history=[])
        return response


def test_a_listing_that_drops_a_finished_job_does_not_hold(client):
    ctx = context(StartTimeOnlyDropped(client), IDLE)
    finding = probe_time_filter(ctx, sample_of(ctx))
    assert finding.holds is False
    assert "A finished job that started after startTime IS NOT listed" in finding.summary


def test_time_filter_needs_a_finished_job(client):
    ctx = context(client, SINGLE)
    control.seed_history(
        "bbbbbbbb-0000-4000-8000-000000000001",
        "bbbbbbbb-0000-4000-8000-000000000002",
        SINGLE,
        jobs=[{"status": "SYNCING", "start_time": "now-10"}],
        replace=True,
    )
    finding = probe_time_filter(ctx, sample_of(ctx))
    assert (finding.result, finding.holds) == (NOT_OBSERVABLE, None)


@pytest.mark.parametrize(
    "behaviours, seen",
    [
        ({}, "kept"),
        ({"time_filter_keeps_running": False}, "left_out"),
        ({"time_filter_field": "end_time"}, "left_out"),
        ({"time_filter_bounds": "exclusive"}, "kept"),
    ],
)
def test_running_sync_kept_or_left_out(client, behaviours, seen):
    control.set_behaviours(**behaviours)
    ctx = context(client, BUSY)
    sample = sample_of(ctx)
    before = len(ctx.recorder.calls)
    finding = probe_running(ctx, sample)
    assert (finding.observed, finding.holds) == (seen, True)
    assert finding.result == (AS_REFERENCE if seen == "kept" else DIFFERS)
    assert any(RUNNING_JOB in line for line in finding.evidence)
    # The three in-progress statuses, then the time-filtered listing.
    assert len(ctx.recorder.calls) - before == 4


def test_no_running_sync_is_not_observable(client):
    ctx = context(client, IDLE)
    finding = probe_running(ctx, sample_of(ctx))
    assert (finding.result, finding.holds) == (NOT_OBSERVABLE, None)
    assert "no sync is in progress now" in finding.summary


class StatusFilterIgnored:
    """A service that answers a statusFilter listing with nothing."""

    def __init__(self, client):
        self.client = client

    def list_data_source_sync_jobs(self, **request):
        response = self.client.list_data_source_sync_jobs(**request)
        return dict(response, history=[]) if "statusFilter" in request else response


def test_a_running_sync_that_statusfilter_misses_does_not_hold(client):
    ctx = context(StatusFilterIgnored(client), BUSY)
    finding = probe_running(ctx, sample_of(ctx))
    assert finding.holds is False
    assert finding.observed == "kept"  # still seen, from the plain listing
    assert any(f"showed job {RUNNING_JOB} as SYNCING, no statusFilter listing did" in line for line in finding.evidence)
