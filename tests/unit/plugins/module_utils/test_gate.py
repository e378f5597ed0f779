# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate's core: options, the verdict on listed jobs, and waiting (against the emulator in-process)."""

from __future__ import annotations

import time
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils.gate import GateOptions
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import format_duration
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import gate_data_source
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import gate_message
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import judge
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import parse_duration
from ansible_collections.qbusiness.ops.plugins.module_utils.gate import validate_gate_options
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import run_concurrently

UTC = timezone.utc
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
APP = "aaaaaaaa-0000-4000-8000-000000000001"
INDEX = "aaaaaaaa-0000-4000-8000-000000000002"
DS = "aaaaaaaa-0000-4000-8000-000000000003"
BASE = dict(application_id=APP, index_id=INDEX)


def job(execution_id, status, hours_ago, failed_documents=None, **extra):
    raw = {"executionId": execution_id, "status": status, "startTime": NOW - timedelta(hours=hours_ago)}
    if failed_documents is not None:
        raw["metrics"] = {"documentsFailed": str(failed_documents)}
    raw.update(extra)
    return raw


# --- options ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, seconds",
    [("90m", 5400), ("24h", 86400), ("7d", 604800), ("2w", 1209600), ("45s", 45), ("3600", 3600), (120, 120), (" 5 M ", 300)],
)
def test_parse_duration(value, seconds):
    assert parse_duration("max_age", value) == timedelta(seconds=seconds)


@pytest.mark.parametrize("value", ["", "0", 0, -5, "5y", "1.5h", "h", "24 hours", True, None, [1], "-3m", "99999999999w", "800000d", 10**12])
def test_parse_duration_rejects_and_names_the_option(value):
    with pytest.raises(OptionError) as err:
        parse_duration("max_age", value)
    assert err.value.message.startswith("max_age must be a positive duration of at most 10 years")


def test_format_duration():
    assert format_duration(93784) == "1d 2h 3m 4s"
    assert format_duration(5400) == "1h 30m"
    assert format_duration(0) == "0s"


def test_validated_defaults():
    gate = validate_gate_options(dict(BASE))
    assert gate.data_source_ids is None
    assert gate.options == GateOptions()
    assert gate.options.fail_on == frozenset(["FAILED"]) and gate.options.wait_timeout == 600 and gate.options.wait_sleep == 15
    assert gate.fail_msg == "Q Business sync gate failed"


def test_data_source_ids_keep_order_without_duplicates():
    other = DS[:-1] + "9"
    gate = validate_gate_options(dict(BASE, data_source_id=[other, DS, other]))
    assert gate.data_source_ids == [other, DS]


@pytest.mark.parametrize(
    "params, option",
    [
        (dict(BASE, application_id="x"), "application_id"),
        (dict(BASE, index_id=None), "index_id"),
        (dict(BASE, data_source_id=[]), "data_source_id"),
        (dict(BASE, data_source_id=[DS, "../etc/passwd" + "x" * 23]), "data_source_id"),
        (dict(BASE, fail_on=["FAILED", "BROKEN"]), "fail_on"),
        (dict(BASE, fail_on="FAILED"), "fail_on"),
        (dict(BASE, max_age="forever"), "max_age"),
        (dict(BASE, max_age=0), "max_age"),
        (dict(BASE, max_documents_failed=-1), "max_documents_failed"),
        (dict(BASE, wait_timeout=0), "wait_timeout"),
        (dict(BASE, wait_sleep=0), "wait_sleep"),
        (dict(BASE, wait_sleep=-3), "wait_sleep"),
    ],
)
def test_bad_options_name_the_option(params, option):
    with pytest.raises(OptionError) as err:
        validate_gate_options(params)
    assert err.value.message.startswith(option)


# --- judging ---------------------------------------------------------------------------------------------


def test_latest_failed_fails_with_the_error_and_code():
    jobs = [job("ok", "SUCCEEDED", 5), job("bad", "FAILED", 1, error={"errorMessage": "Credentials expired"}, dataSourceErrorCode="AUTH")]
    verdict = judge(DS, jobs, GateOptions(), NOW)
    assert not verdict.passed
    assert verdict.job["execution_id"] == "bad"
    assert verdict.reasons == ["latest sync bad FAILED: Credentials expired (data source error code AUTH)"]


def test_latest_is_by_start_time_not_list_order():
    jobs = [job("old-failure", "FAILED", 30), job("new-success", "SUCCEEDED", 1)]
    assert judge(DS, jobs, GateOptions(), NOW).passed
    assert not judge(DS, list(reversed(jobs)) + [job("newest-failure", "FAILED", 0)], GateOptions(), NOW).passed


def test_fail_on_is_configurable():
    jobs = [job("inc", "INCOMPLETE", 1, failed_documents=3)]
    assert judge(DS, jobs, GateOptions(), NOW).passed
    verdict = judge(DS, jobs, GateOptions(fail_on=frozenset(["FAILED", "INCOMPLETE"])), NOW)
    assert verdict.reasons == ["latest sync inc INCOMPLETE"]


def test_running_latest_is_not_judged_without_wait():
    jobs = [job("done", "SUCCEEDED", 3), job("running", "SYNCING", 0)]
    verdict = judge(DS, jobs, GateOptions(), NOW)
    assert verdict.passed and verdict.job["execution_id"] == "done" and verdict.running_job["execution_id"] == "running"
    # The finished job it judges instead can itself fail the gate.
    failing = judge(DS, [job("done", "FAILED", 3), job("running", "SYNCING_INDEXING", 0)], GateOptions(), NOW)
    assert not failing.passed and failing.job["execution_id"] == "done"


def test_running_latest_with_nothing_finished_fails():
    verdict = judge(DS, [job("first", "SYNCING", 0)], GateOptions(allow_no_history=True), NOW)
    assert not verdict.passed
    assert verdict.reasons == ["no finished sync to judge: sync first is SYNCING (wait: true waits for it)"]


def test_running_status_in_fail_on_is_judged():
    verdict = judge(DS, [job("done", "SUCCEEDED", 3), job("stopping", "STOPPING", 0)], GateOptions(fail_on=frozenset(["STOPPING"])), NOW)
    assert not verdict.passed and verdict.job["execution_id"] == "stopping"


def test_max_age():
    options = GateOptions(max_age=timedelta(hours=24))
    assert judge(DS, [job("fresh", "SUCCEEDED", 23)], options, NOW).passed
    verdict = judge(DS, [job("stale", "SUCCEEDED", 25)], options, NOW)
    assert verdict.reasons == ["latest sync started 1d 1h ago, more than max_age (1d)"]


def test_max_documents_failed():
    options = GateOptions(max_documents_failed=5)
    assert judge(DS, [job("few", "SUCCEEDED", 1, failed_documents=5)], options, NOW).passed
    verdict = judge(DS, [job("many", "INCOMPLETE", 1, failed_documents=6)], options, NOW)
    assert verdict.reasons == ["6 documents failed, more than max_documents_failed (5)"]
    none_allowed = judge(DS, [job("many", "INCOMPLETE", 1, failed_documents=6)], GateOptions(max_documents_failed=0), NOW)
    assert not none_allowed.passed and none_allowed.reasons == ["6 documents failed, more than max_documents_failed (0)"]


def test_max_documents_failed_never_passes_on_a_count_that_was_not_reported():
    verdict = judge(DS, [job("no-metrics", "SUCCEEDED", 1)], GateOptions(max_documents_failed=0), NOW)
    assert not verdict.passed
    assert verdict.reasons == ["the service reported no failed-document count, so max_documents_failed cannot be checked"]


def test_no_history():
    assert judge(DS, [], GateOptions(), NOW).reasons == ["has never synced (allow_no_history is false)"]
    assert judge(DS, [], GateOptions(allow_no_history=True), NOW).passed
    window = GateOptions(max_age=timedelta(hours=1), allow_no_history=True)
    assert judge(DS, [], window, NOW, synced_before_window=False).passed
    assert judge(DS, [], window, NOW, synced_before_window=True).reasons == ["no sync started within max_age (1h)"]
    assert not judge(DS, [], GateOptions(max_age=timedelta(hours=1)), NOW, synced_before_window=False).passed


def test_several_reasons_and_the_message():
    options = GateOptions(max_age=timedelta(hours=1), max_documents_failed=0)
    bad = judge(DS, [job("x", "FAILED", 2, failed_documents=1)], options, NOW)
    good = judge("ds-good", [job("y", "SUCCEEDED", 0)], GateOptions(), NOW)
    assert len(bad.reasons) == 3
    message = gate_message([good, bad], "Not deploying")
    assert message.startswith("Not deploying: data source " + DS + ": latest sync x FAILED; latest sync started 2h ago")
    assert "ds-good" not in message
    assert gate_message([good]).startswith("Q Business sync gate passed for 1 data source(s): ds-good (SUCCEEDED")


# --- reading and waiting, against the emulator ---------------------------------------------------------------


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
    verdict = gate_data_source(client, APP, INDEX, DS, options, progress=lambda ds, job, elapsed: polls.append((ds, job["status"], elapsed)))
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
        client, APP, INDEX, DS, GateOptions(wait=True, wait_timeout=5, wait_sleep=2),
        monotonic=lambda: fake_time[0], sleep=lambda seconds: fake_time.__setitem__(0, fake_time[0] + seconds),
    )
    assert not verdict.passed
    assert verdict.reasons == [f"sync {verdict.job['execution_id']} still SYNCING after waiting 5s (wait_timeout)"]
    # Slept 2 + 2 + 1: never past the deadline.
    assert fake_time[0] == 5.0


def test_without_wait_a_running_sync_is_reported_not_judged(client):
    _start(client, "FAILED", never_ends=True)
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions())
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED" and verdict.running_job["status"] == "SYNCING"


def test_service_errors_fail_the_data_source_not_the_process(client):
    verdict = gate_data_source(client, APP, INDEX, DS[:-1] + "f", GateOptions())
    assert not verdict.passed
    assert verdict.reasons[0].startswith("could not read its sync history: Failed to list the sync jobs of data source")
    assert "ResourceNotFoundException" in verdict.reasons[0]


def test_max_age_narrows_the_listing_and_allow_no_history_costs_one_request(client):
    control.clear_requests()
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions(max_age=timedelta(hours=1), allow_no_history=True))
    calls = [r["params"] for r in control.requests()]
    assert not verdict.passed and verdict.reasons == ["no sync started within max_age (1h)"]
    assert len(calls) == 2
    assert "startTime" in calls[0] and "startTime" not in calls[1] and calls[1]["maxResults"] == "1"


def test_data_sources_are_gated_concurrently(client):
    """With 400 ms of latency per request, four data sources read one after another would arrive 400 ms apart;
    read concurrently, all four first requests reach the service before the first answer comes back."""
    control.set_faults(latency_ms=400)
    control.clear_requests()
    verdicts = run_concurrently(lambda data_source_id: gate_data_source(client, APP, INDEX, data_source_id, GateOptions()), [DS] * 4)
    arrivals = sorted(r["time"] for r in control.requests())
    assert [v.passed for v in verdicts] == [True] * 4
    assert len(arrivals) == 4
    assert arrivals[-1] - arrivals[0] < 0.4


def test_polls_read_from_the_running_job_on(client):
    control.seed_history(APP, INDEX, DS, generate={"count": 40, "status": "SUCCEEDED", "interval_seconds": 3600})
    _start(client, "SUCCEEDED")
    control.clear_requests()
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions(wait=True, wait_timeout=30, wait_sleep=1))
    pages = [r["params"] for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED"
    # 42 hourly jobs: the first read is the last day's (3 pages, not the whole history's 5), then one page per poll
    assert all("startTime" in page for page in pages)
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
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions(wait=True, wait_timeout=30, wait_sleep=1))
    assert verdict.passed and verdict.job["status"] == "SUCCEEDED"
    narrowed = [("startTime" in r["params"]) for r in control.requests()]
    # the first read widens through every window (all come back empty) to the whole history
    assert narrowed[:5] == [True, True, True, True, False]
    # then every narrowed poll that missed the anchor was followed by a whole read
    polls = narrowed[5:]
    assert True in polls and all(not after for before, after in zip(polls, polls[1:]) if before)


def test_with_wait_a_running_status_in_fail_on_fails_at_once(client):
    _start(client, "SUCCEEDED", never_ends=True)
    control.clear_requests()
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions(wait=True, wait_timeout=30, wait_sleep=1, fail_on=frozenset(["FAILED", "SYNCING"])))
    assert not verdict.passed and verdict.job["status"] == "SYNCING"
    assert len(control.requests()) == 1  # judged on the first read, no polling


def test_one_wait_budget_for_more_data_sources_than_threads(client):
    """Nine never-ending syncs and eight threads: the ninth must not get a wait_timeout of its own."""
    app, index_id = APP[:-2] + "91", INDEX[:-2] + "92"
    data_sources = [DS[:-2] + f"{n:02d}" for n in range(10, 19)]
    index = {"name": "many", "index_id": index_id, "data_sources": [{"name": f"d{n}", "data_source_id": d} for n, d in enumerate(data_sources)]}
    control.load_scenario({"applications": [{"name": "many", "application_id": app, "indices": [index]}]})
    for data_source in data_sources:
        control.set_next_sync(app, index_id, data_source, never_ends=True)
        control.start_sync(app, index_id, data_source)
    options = GateOptions(wait=True, wait_timeout=2, wait_sleep=1)
    started = time.monotonic()
    deadline = started + options.wait_timeout
    verdicts = run_concurrently(
        lambda data_source: gate_data_source(client, app, index_id, data_source, options, deadline=deadline), data_sources
    )
    elapsed = time.monotonic() - started
    assert len(verdicts) == 9 and not any(v.passed for v in verdicts)
    assert all("still SYNCING" in v.reasons[0] for v in verdicts)
    # within one wait_sleep plus a second of wait_timeout (two rounds of eight would take twice as long)
    assert elapsed < options.wait_timeout + options.wait_sleep + 1


def test_a_running_sync_without_wait_widens_the_read_to_the_newest_finished_one(client):
    """The last day holds only the running sync, which has no verdict: the week window brings the finished one."""
    control.seed_history(
        APP, INDEX, DS, replace=True,
        jobs=[{"status": "FAILED", "start_time": "now-259200", "error": {"error_code": "InternalError", "error_message": "Disk full"}}],
    )
    _start(client, "SUCCEEDED", never_ends=True)
    control.clear_requests()
    verdict = gate_data_source(client, APP, INDEX, DS, GateOptions())
    starts = [r["params"].get("startTime") for r in control.requests()]
    assert len(starts) == 2 and None not in starts and starts[0] > starts[1]  # the day, then the week
    assert verdict.running_job["status"] == "SYNCING"
    assert not verdict.passed and verdict.job["status"] == "FAILED" and verdict.reasons[0].endswith("FAILED: Disk full")
