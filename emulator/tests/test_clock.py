"""The sync-job clock (clock.py, jobs.py): start, phases, outcomes, stop, conflicts, a job that never ends."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from conftest import Harness
from qbe_shapes import assert_output

UTC = datetime.timezone.utc


def _kw(ids: dict[str, str]) -> dict[str, str]:
    return {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}


def _poll_statuses(c: Any, ids: dict[str, str], execution_id: str, until: set[str], timeout: float = 10.0) -> list[dict[str, Any]]:
    """Poll the job every 30 ms until its status is in ``until``; returns every observation."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = c.list_data_source_sync_jobs(**_kw(ids))
        assert_output("ListDataSourceSyncJobs", answer)
        job = next(j for j in answer["history"] if j["executionId"] == execution_id)
        seen.append(job)
        if job["status"] in until:
            return seen
        time.sleep(0.03)
    raise AssertionError(f"job never reached {until}: {[j['status'] for j in seen]}")


def _phases(seen: list[dict[str, Any]]) -> list[str]:
    phases: list[str] = []
    for job in seen:
        if not phases or phases[-1] != job["status"]:
            phases.append(job["status"])
    return phases


def test_clock_runs_start_to_success(qb: Harness) -> None:
    ids = qb.make_data_source()
    metrics = {"documents_added": 40, "documents_deleted": 2, "documents_failed": 0, "documents_modified": 8, "documents_scanned": 1000}
    qb.ctl.set_next_sync(**ids, syncing_seconds=0.5, indexing_seconds=0.3, metrics=metrics)
    c = qb.client()
    before = datetime.datetime.now(UTC)
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    seen = _poll_statuses(c, ids, execution_id, {"SUCCEEDED"})
    assert _phases(seen) == ["SYNCING", "SYNCING_INDEXING", "SUCCEEDED"]
    scanned = [int(j["metrics"]["documentsScanned"]) for j in seen if j["status"] == "SYNCING"]
    assert scanned == sorted(scanned) and scanned[-1] > scanned[0]
    assert all("endTime" not in j for j in seen[:-1])
    final = seen[-1]
    assert final["metrics"] == {"documentsAdded": "40", "documentsDeleted": "2", "documentsFailed": "0", "documentsModified": "8",
                                "documentsScanned": "1000"}
    assert final["startTime"] >= before - datetime.timedelta(milliseconds=5)
    assert (final["endTime"] - final["startTime"]).total_seconds() == pytest.approx(0.8, abs=0.002)
    assert "error" not in final

    # the choice applied to one Start only: the next one runs with the defaults (SUCCEEDED after 2 s + 1 s)
    second = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["executionId"] == second
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["status"] == "SYNCING"


def test_failed_outcome_carries_error(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.set_next_sync(**ids, outcome="FAILED", syncing_seconds=0.1, indexing_seconds=0.1,
                         error={"error_code": "InvalidRequest", "error_message": "Bad credentials"}, data_source_error_code="AUTH_FAILED")
    c = qb.client()
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    final = _poll_statuses(c, ids, execution_id, {"FAILED", "SUCCEEDED", "INCOMPLETE"})[-1]
    assert final["status"] == "FAILED"
    assert final["error"] == {"errorCode": "InvalidRequest", "errorMessage": "Bad credentials"}
    assert final["dataSourceErrorCode"] == "AUTH_FAILED"
    assert "endTime" in final


def test_incomplete_outcome(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.set_next_sync(**ids, outcome="INCOMPLETE", syncing_seconds=0, indexing_seconds=0)
    c = qb.client()
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    final = _poll_statuses(c, ids, execution_id, {"INCOMPLETE"})[-1]
    assert int(final["metrics"]["documentsFailed"]) > 0 and "error" not in final


def test_stop_goes_stopping_then_aborted(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.set_next_sync(**ids, never_ends=True, stopping_seconds=0.3)
    c = qb.client()
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    time.sleep(0.1)
    c.stop_data_source_sync_job(**_kw(ids))
    seen = _poll_statuses(c, ids, execution_id, {"ABORTED"})
    assert _phases(seen) == ["STOPPING", "ABORTED"]
    assert "endTime" in seen[-1] and "endTime" not in seen[0]
    assert seen[-1]["metrics"] == seen[0]["metrics"]  # frozen when the stop arrived
    with pytest.raises(c.exceptions.ConflictException) as exc:
        c.stop_data_source_sync_job(**_kw(ids))  # nothing in progress any more
    assert exc.value.response["resourceId"] == ids["data_source_id"]
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_start_while_running_conflicts(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    c.start_data_source_sync_job(**_kw(ids))
    with pytest.raises(c.exceptions.ConflictException) as exc:
        c.start_data_source_sync_job(**_kw(ids))
    response = exc.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert (response["resourceId"], response["resourceType"]) == (ids["data_source_id"], "DataSource")
    assert len(c.list_data_source_sync_jobs(**_kw(ids))["history"]) == 1


def test_seeded_in_progress_job_blocks_start_and_can_be_stopped(qb: Harness) -> None:
    ids = qb.make_data_source()
    (execution_id,) = qb.ctl.seed_history(**ids, jobs=[{"status": "SYNCING_INDEXING", "start_time": "now-60"}])
    c = qb.client()
    with pytest.raises(c.exceptions.ConflictException):
        c.start_data_source_sync_job(**_kw(ids))
    c.stop_data_source_sync_job(**_kw(ids))
    assert c.list_data_source_sync_jobs(**_kw(ids))["history"][0]["status"] == "STOPPING"


def test_never_ends_keeps_syncing(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.set_next_sync(**ids, never_ends=True, syncing_seconds=0.05, indexing_seconds=0.05)
    c = qb.client()
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    first = c.list_data_source_sync_jobs(**_kw(ids))["history"][0]
    time.sleep(0.4)
    later = c.list_data_source_sync_jobs(**_kw(ids))["history"][0]
    assert first["executionId"] == later["executionId"] == execution_id
    assert first["status"] == later["status"] == "SYNCING"
    assert int(later["metrics"]["documentsScanned"]) > int(first["metrics"]["documentsScanned"])
    with pytest.raises(c.exceptions.ConflictException):
        c.start_data_source_sync_job(**_kw(ids))
