# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate's reading and waiting, against the emulator in-process."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reading import gate_data_source

APP = "aaaaaaaa-0000-4000-8000-000000000001"


INDEX = "aaaaaaaa-0000-4000-8000-000000000002"


DS = "aaaaaaaa-0000-4000-8000-000000000003"


def history_requests():
    """The ListDataSourceSyncJobs requests of the log (each gated data source also sends one GetDataSource)."""
    return [r for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]


def _source(client, application_id, index_id, data_source_id):
    return DataSourceService(client, DataSourceRef(application_id, index_id, data_source_id))


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    scenario = {"name": "gate", "data_source_id": DS, "history": [{"status": "SUCCEEDED", "start_time": "now-7200"}]}
    control.load_scenario(
        {"applications": [{"name": "gate", "application_id": APP, "indices": [{"name": "main", "index_id": INDEX, "data_sources": [scenario]}]}]}
    )
    return emulated_client


def _start(client, outcome, never_ends=False, error=None):
    control.set_next_sync(APP, INDEX, DS, outcome=outcome, syncing_seconds=0.4, indexing_seconds=0.3, never_ends=never_ends, error=error)
    client.client.start_data_source_sync_job(applicationId=APP, indexId=INDEX, dataSourceId=DS)


@pytest.mark.parametrize("outcome, passed", [("SUCCEEDED", True), ("FAILED", False)])
def test_wait_for_a_running_sync_then_judge_it(client, outcome, passed):
    _start(client, outcome, error={"error_code": "InternalError", "error_message": "Crawler crashed"} if outcome == "FAILED" else None)
    polls = []
    options = GateOptions(wait=True, wait_timeout=30, wait_sleep=1)
    verdict = gate_data_source(_source(client, APP, INDEX, DS), options, progress=lambda ds, job, elapsed: polls.append((ds, job["status"], elapsed)))
    assert verdict.passed is passed
    assert verdict.job["status"] == outcome
    assert verdict.running_job is None
    assert polls and all(ds == DS and status in ("SYNCING", "SYNCING_INDEXING") for ds, status, dummy in polls)
    if not passed:
        assert verdict.reasons[0].endswith("FAILED: Crawler crashed")


def test_wait_times_out_on_a_sync_that_never_ends(client):
    _start(client, "SUCCEEDED", never_ends=True)
    fake_time = [0.0]
    verdict = gate_data_source(
        _source(client, APP, INDEX, DS),
        GateOptions(wait=True, wait_timeout=5, wait_sleep=2),
        monotonic=lambda: fake_time[0],
        sleep=lambda seconds: fake_time.__setitem__(0, fake_time[0] + seconds),
    )
    assert not verdict.passed
    assert verdict.reasons == [f"sync {verdict.job['execution_id']} still SYNCING after waiting 5s (wait_timeout)"]
    # Slept 2 + 2 + 1: never past the deadline.
    assert fake_time[0] == 5.0


def test_without_wait_a_running_sync_is_reported_not_judged(client):
    _start(client, "FAILED", never_ends=True)
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions())
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED" and verdict.running_job["status"] == "SYNCING"


def test_service_errors_fail_the_data_source_not_the_process(client):
    verdict = gate_data_source(_source(client, APP, INDEX, DS[:-1] + "f"), GateOptions())
    assert not verdict.passed
    assert verdict.reasons[0].startswith("could not read its sync history: Failed to list the sync jobs of data source")
    assert "ResourceNotFoundException" in verdict.reasons[0]
    # The gate could not judge it: the history's error and the data source's own (GetDataSource), in read_error.
    history_error, description_error = verdict.as_result()["read_error"].split("; ")
    assert verdict.reasons == [f"could not read its sync history: {history_error}", f"could not read the data source itself: {description_error}"]


def test_max_age_narrows_the_listing_and_allow_no_history_costs_one_more_request(client):
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=timedelta(hours=1), allow_no_history=True))
    calls = [r["params"] for r in history_requests()]
    assert not verdict.passed and verdict.reasons == ["no sync started within max_age (1h)"]
    # The window (from a second before it; without wait no running sync can change the verdict, so no reads of the
    # in-progress statuses), then one request (the listing's page size, 10, cut client-side to one job) to tell
    # "never synced" from "not within max_age".
    assert len(calls) == 2
    assert "startTime" in calls[0] and "startTime" not in calls[1] and "syncStatus" not in calls[1] and calls[1]["maxResults"] == "10"


def test_with_an_in_progress_status_in_fail_on_the_running_syncs_are_read(client):
    """fail_on SYNCING makes a running sync part of the verdict: then a time-filtered read that shows none is
    followed by the reads of the 3 in-progress statuses (register item 3)."""
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=timedelta(hours=3), fail_on=frozenset({"FAILED", "SYNCING"})))
    calls = [r["params"] for r in history_requests()]
    assert verdict.passed
    assert len(calls) == 4
    assert "startTime" in calls[0] and [call.get("syncStatus") for call in calls[1:]] == ["SYNCING", "SYNCING_INDEXING", "STOPPING"]


def test_data_sources_are_gated_concurrently(client):
    """With 400 ms of latency per request, four data sources read one after another would arrive 400 ms apart;
    read concurrently, all four first requests reach the service before the first answer comes back."""
    control.set_faults(latency_ms=400)
    control.clear_requests()
    verdicts = run_concurrently(lambda data_source_id: gate_data_source(_source(client, APP, INDEX, data_source_id), GateOptions()), [DS] * 4)
    arrivals = sorted(r["time"] for r in control.requests())
    assert [v.passed for v in verdicts] == [True] * 4
    # Each reads its day window, one request (without wait, no reads of the in-progress statuses), and beside it
    # its GetDataSource: all eight arrive before the first answer.
    assert sorted(r["operation"] for r in control.requests()) == ["GetDataSource"] * 4 + ["ListDataSourceSyncJobs"] * 4
    assert arrivals[-1] - arrivals[0] < 0.4


def test_polls_read_from_the_running_job_on(client):
    control.seed_history(APP, INDEX, DS, generate={"count": 40, "status": "SUCCEEDED", "interval_seconds": 3600})
    _start(client, "SUCCEEDED")
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(wait=True, wait_timeout=30, wait_sleep=1))
    pages = [r["params"] for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED"
    # 42 hourly jobs: the first read is the last day's (3 pages, not the whole history's 5), then one page per poll;
    # the last poll (the job has ended, nothing runs) also reads the 3 in-progress statuses without a time filter.
    running_reads = [page for page in pages if "startTime" not in page]
    assert [page["syncStatus"] for page in running_reads] == ["SYNCING", "SYNCING_INDEXING", "STOPPING"]
    pages = [page for page in pages if "startTime" in page]
    first_read = [page for page in pages if page["startTime"] == pages[0]["startTime"]]
    assert len(first_read) == 3 and len(pages) > 3


def test_a_service_whose_start_filter_misses_the_anchor_gets_a_whole_read(client, monkeypatch):
    """If the service compared startTime differently and left the anchor out, the listing falls back to the whole history."""
    real = client.client.list_data_source_sync_jobs

    def filter_excludes_everything(**kwargs):
        if "startTime" in kwargs:
            kwargs["startTime"] = kwargs["startTime"] + timedelta(days=400)  # past now even for the year window
        return real(**kwargs)

    monkeypatch.setattr(client.client, "list_data_source_sync_jobs", filter_excludes_everything)
    monkeypatch.delattr(client, "list_data_source_sync_jobs", raising=False)
    _start(client, "SUCCEEDED")
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(wait=True, wait_timeout=30, wait_sleep=1))
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED"
    kinds = ["window" if "startTime" in r["params"] else "running" if "syncStatus" in r["params"] else "whole" for r in history_requests()]
    # The day window shows nothing; the read of running syncs finds the running one (in the window): enough to wait on.
    assert kinds[:2] == ["window", "running"]
    # While it runs, each narrowed poll misses it and the running read finds it: no whole read. Once it has ended,
    # the narrowed poll and the running reads miss it, and the whole history is read.
    assert kinds[-5:] == ["window", "running", "running", "running", "whole"]
    assert kinds.count("whole") == 1


def test_with_wait_a_running_status_in_fail_on_fails_at_once(client):
    _start(client, "SUCCEEDED", never_ends=True)
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(wait=True, wait_timeout=30, wait_sleep=1, fail_on=frozenset(["FAILED", "SYNCING"])))
    assert not verdict.passed and verdict.job["status"] == "SYNCING"
    assert len(history_requests()) == 1  # judged on the first read, no polling


def test_one_wait_budget_for_more_data_sources_than_threads(client):
    """Nine never-ending syncs and eight threads: the ninth must not get a wait_timeout of its own."""
    app, index_id = APP[:-2] + "91", INDEX[:-2] + "92"
    data_sources = [DS[:-2] + f"{n:02d}" for n in range(10, 19)]
    index = {"name": "many", "index_id": index_id, "data_sources": [{"name": f"d{n}", "data_source_id": d} for n, d in enumerate(data_sources)]}
    control.load_scenario({"applications": [{"name": "many", "application_id": app, "indices": [index]}]})
    for data_source in data_sources:
        control.set_next_sync(app, index_id, data_source, never_ends=True)
        control.start_sync(app, index_id, data_source)
    # 4 s: one shared budget ends within 4 + 1 + 2 s; two rounds of eight threads would take 8 s at least, a
    # margin that machine load (make test runs this beside other steps) cannot close.
    options = GateOptions(wait=True, wait_timeout=4, wait_sleep=1)
    started = time.monotonic()
    deadline = started + options.wait_timeout
    verdicts = run_concurrently(lambda data_source: gate_data_source(_source(client, app, index_id, data_source), options, deadline=deadline), data_sources)
    elapsed = time.monotonic() - started
    assert len(verdicts) == 9 and not any(v.passed for v in verdicts)
    assert all("still SYNCING" in v.reasons[0] for v in verdicts)
    # within one wait_sleep plus two seconds of wait_timeout (two rounds of eight would take twice as long)
    assert elapsed < options.wait_timeout + options.wait_sleep + 2


def test_a_running_sync_without_wait_widens_the_read_to_the_newest_finished_one(client):
    """The last day holds only the running sync, which has no verdict: the week window brings the finished one."""
    control.seed_history(
        APP,
        INDEX,
        DS,
        replace=True,
        jobs=[{"status": "FAILED", "start_time": "now-259200", "error": {"error_code": "InternalError", "error_message": "Disk full"}}],
    )
    _start(client, "SUCCEEDED", never_ends=True)
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions())
    starts = [r["params"].get("startTime") for r in history_requests()]
    assert len(starts) == 2 and None not in starts and starts[0] > starts[1]  # the day, then the week
    assert verdict.running_job["status"] == "SYNCING"
    assert not verdict.passed and verdict.job["status"] == "FAILED" and verdict.reasons[0].endswith("FAILED: Disk full")
