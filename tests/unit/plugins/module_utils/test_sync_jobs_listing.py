# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The core's listing against the Q Business emulator, in-process under moto.mock_aws()."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_sync_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import newest_first

APP = "aaaaaaaa-0000-4000-8000-000000000001"
INDEX = "aaaaaaaa-0000-4000-8000-000000000002"
LONG = "aaaaaaaa-0000-4000-8000-000000000003"
MIXED = "aaaaaaaa-0000-4000-8000-000000000004"
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
