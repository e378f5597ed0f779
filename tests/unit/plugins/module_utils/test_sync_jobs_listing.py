# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The core's listing against the Q Business emulator, in-process under moto.mock_aws()."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from botocore.exceptions import ClientError

from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import RECENT_WINDOWS
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_sync_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import newest_first

APP = "aaaaaaaa-0000-4000-8000-000000000001"
INDEX = "aaaaaaaa-0000-4000-8000-000000000002"
LONG = "aaaaaaaa-0000-4000-8000-000000000003"
MIXED = "aaaaaaaa-0000-4000-8000-000000000004"
SPARSE = "aaaaaaaa-0000-4000-8000-000000000005"  # empty; each test of list_recent_jobs seeds its own history
IDS = dict(application_id=APP, index_id=INDEX)
# Execution ids follow the same 36-character pattern as the other ids.
JOB_A, JOB_B, JOB_C = ("job-a-" + "0" * 30, "job-b-" + "0" * 30, "job-c-" + "0" * 30)


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "unit",
                    "application_id": APP,
                    "indices": [
                        {
                            "name": "main",
                            "index_id": INDEX,
                            "data_sources": [
                                {
                                    "name": "long",
                                    "data_source_id": LONG,
                                    "generate_history": {"count": 57, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600},
                                },
                                {
                                    "name": "mixed",
                                    "data_source_id": MIXED,
                                    "history": [
                                        {"execution_id": JOB_A, "status": "SUCCEEDED", "start_time": "2024-05-01T00:00:00Z"},
                                        {"execution_id": JOB_B, "status": "FAILED", "start_time": "2024-05-02T00:00:00Z"},
                                        {"execution_id": JOB_C, "status": "SUCCEEDED", "start_time": "2024-05-03T00:00:00Z"},
                                    ],
                                },
                                {"name": "sparse", "data_source_id": SPARSE},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    control.clear_requests()
    return emulated_client


def _list_calls():
    return [r for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]


def test_whole_history_over_six_pages(client):
    jobs, token = list_sync_jobs(client, data_source_id=LONG, **IDS)
    assert token is None
    assert len(jobs) == 57
    assert len({job["executionId"] for job in jobs}) == 57
    assert len(_list_calls()) == 6


def test_max_results_ends_on_a_page_boundary_and_resumes_exactly(client):
    everything, dummy = list_sync_jobs(client, data_source_id=LONG, **IDS)
    seen = []
    token = None
    parts = []
    while True:
        jobs, token = list_sync_jobs(client, data_source_id=LONG, max_results=25, next_token=token, **IDS)
        parts.append(len(jobs))
        seen.extend(job["executionId"] for job in jobs)
        if token is None:
            break
    assert parts == [25, 25, 7]
    assert sorted(seen) == sorted(job["executionId"] for job in everything)
    assert len(set(seen)) == 57


def test_filters_reach_the_service(client):
    filters = build_list_filters("2024-05-02T00:00:00Z", "2024-05-03T00:00:00Z", "FAILED")
    jobs, dummy = list_sync_jobs(client, data_source_id=MIXED, filters=filters, **IDS)
    assert [job["executionId"] for job in jobs] == [JOB_B]
    assert len(_list_calls()) == 1


def test_latest_is_chosen_by_start_time_not_by_service_order(client):
    control.set_faults(history_order="oldest_first")
    jobs, dummy = list_sync_jobs(client, data_source_id=MIXED, **IDS)
    assert [job["executionId"] for job in jobs] == [JOB_A, JOB_B, JOB_C]
    assert latest_job(jobs)["executionId"] == JOB_C
    assert [job["executionId"] for job in newest_first(jobs)] == [JOB_C, JOB_B, JOB_A]


def test_repeated_next_token_stops_with_a_clear_error(client):
    control.set_faults(repeat_next_token=True)
    with pytest.raises(QBusinessError) as err:
        list_sync_jobs(client, data_source_id=LONG, **IDS)
    assert "nextToken it had already returned" in err.value.message
    # One page, then the repeat was seen on the second: no third request.
    assert len(_list_calls()) == 2


def test_unknown_data_source_keeps_the_service_error(client):
    with pytest.raises(QBusinessError) as err:
        list_sync_jobs(client, data_source_id="aaaaaaaa-0000-4000-8000-0000000000ff", **IDS)
    assert err.value.message == "Failed to list the sync jobs of data source aaaaaaaa-0000-4000-8000-0000000000ff"
    assert isinstance(err.value.exception, ClientError)
    assert err.value.exception.response["Error"]["Code"] == "ResourceNotFoundException"


def test_thirty_percent_throttling_still_lists_exactly(client):
    control.set_faults(throttle_rate=0.3, seed=7, operations=["ListDataSourceSyncJobs"])
    jobs, token = list_sync_jobs(client, data_source_id=LONG, **IDS)
    assert token is None
    assert len({job["executionId"] for job in jobs}) == len(jobs) == 57
    assert any(r["fault"] == "throttle" for r in _list_calls())


@pytest.mark.parametrize("status", [500, 503])
def test_thirty_percent_server_errors_still_list_exactly(client, status):
    control.set_faults(server_error_rate=0.3, server_error_status=status, seed=7, operations=["ListDataSourceSyncJobs"])
    jobs, token = list_sync_jobs(client, data_source_id=LONG, **IDS)
    assert token is None
    assert len({job["executionId"] for job in jobs}) == len(jobs) == 57
    assert any(r["fault"] == "server_error" and r["status_code"] == status for r in _list_calls())


def test_retry_policy_outlasts_botocore_alone(client, monkeypatch):
    """A run of throttles longer than botocore's own 5 attempts: the collection's retry layer still gets through."""
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # skip the backoff waits; their lengths are not under test
    # With seed 3 the first 7 draws are below 0.8: seven throttled answers in a row, then a success.
    control.set_faults(throttle_rate=0.8, seed=3, operations=["ListDataSourceSyncJobs"])
    jobs, token = list_sync_jobs(client, data_source_id=MIXED, **IDS)
    assert token is None and len(jobs) == 3
    assert [r["fault"] for r in _list_calls()] == ["throttle"] * 7 + [None]


# ---------------------------------------------------------------------------------------------------------
# The newest jobs without the whole history (list_recent_jobs)


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
    recent = list_recent_jobs(client, data_source_id=SPARSE, now=now, **IDS)
    calls = _list_calls()
    assert _window_starts(calls) == [now - timedelta(days=1)] * 3
    assert 23 <= len(recent) <= 24 and all(job["startTime"] >= now - timedelta(days=1) for job in recent)
    everything, dummy = list_sync_jobs(client, data_source_id=SPARSE, **IDS)
    assert len(everything) == 2000
    assert latest_job(recent)["executionId"] == latest_job(everything)["executionId"]


def test_windows_widen_until_a_job_is_in_one(client):
    """Last synced 40 days ago: the day, week and month windows are empty, the year window has it."""
    old = (datetime.now(timezone.utc) - timedelta(days=40)).isoformat()
    _add_data_source(generate={"count": 30, "status": "SUCCEEDED", "interval_seconds": 86400, "newest_start_time": old})
    now = datetime.now(timezone.utc)
    recent = list_recent_jobs(client, data_source_id=SPARSE, now=now, **IDS)
    starts = _window_starts(_list_calls())
    # one request per empty window, then the year's 30 jobs in 3 pages
    assert starts == [now - width for width in RECENT_WINDOWS[:3]] + [now - RECENT_WINDOWS[3]] * 3
    assert len(recent) == 30
    assert abs(latest_job(recent)["startTime"] - datetime.fromisoformat(old)) < timedelta(seconds=1)  # the service keeps milliseconds


def test_a_history_older_than_every_window_is_read_whole(client):
    _add_data_source(history=[{"execution_id": JOB_A, "status": "FAILED", "start_time": "2020-01-01T00:00:00Z"}])
    recent = list_recent_jobs(client, data_source_id=SPARSE, **IDS)
    starts = _window_starts(_list_calls())
    assert len(starts) == len(RECENT_WINDOWS) + 1 and starts[-1] is None
    assert [job["executionId"] for job in recent] == [JOB_A]


def test_no_history_at_all_is_an_empty_answer(client):
    _add_data_source()
    assert list_recent_jobs(client, data_source_id=SPARSE, **IDS) == []
    assert len(_list_calls()) == len(RECENT_WINDOWS) + 1


def test_a_start_time_filter_narrower_than_a_window_is_read_as_given(client):
    _add_data_source(generate={"count": 50, "status": "SUCCEEDED", "interval_seconds": 3600})
    filters = build_list_filters(start_time=(datetime.now(timezone.utc) - timedelta(hours=5, minutes=30)).isoformat())
    recent = list_recent_jobs(client, data_source_id=SPARSE, filters=filters, **IDS)
    assert _window_starts(_list_calls()) == [filters["startTime"]]
    assert len(recent) == 5


def test_windows_after_end_time_are_skipped_and_other_filters_kept(client):
    """end_time 10 days back: the day and week windows cannot match and are not asked for."""
    _add_data_source(generate={"count": 500, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600})
    now = datetime.now(timezone.utc)
    filters = build_list_filters(end_time=(now - timedelta(days=10)).isoformat(), status_filter="FAILED")
    recent = list_recent_jobs(client, data_source_id=SPARSE, filters=filters, now=now, **IDS)
    calls = _list_calls()
    assert set(_window_starts(calls)) == {now - timedelta(days=30)}
    assert all(call["params"]["syncStatus"] == "FAILED" and "endTime" in call["params"] for call in calls)
    everything, dummy = list_sync_jobs(client, data_source_id=SPARSE, filters=filters, **IDS)
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
    recent = list_recent_jobs(client, data_source_id=SPARSE, now=now, **IDS)
    everything, dummy = list_sync_jobs(client, data_source_id=SPARSE, **IDS)
    assert 23 <= len(recent) <= 24 and all(job["startTime"] >= now - timedelta(days=1) for job in recent)
    assert latest_job(recent)["executionId"] == latest_job(everything)["executionId"]


def test_enough_decides_when_to_stop_widening(client):
    """Asked for three FAILED jobs among daily syncs: the week window has one, the month has enough."""
    now = datetime.now(timezone.utc)
    history = [{"status": "FAILED" if day % 5 == 0 else "SUCCEEDED", "start_time": (now - timedelta(days=day, hours=1)).isoformat()}
               for day in range(40)]
    _add_data_source(history=history)
    recent = list_recent_jobs(client, data_source_id=SPARSE, now=now, enough=lambda jobs: sum(j["status"] == "FAILED" for j in jobs) >= 3, **IDS)
    assert _window_starts(_list_calls())[-1] == now - timedelta(days=30)
    assert sum(job["status"] == "FAILED" for job in recent) == 6
