"""ListDataSourceSyncJobs pagination and filters; the sync-job clock (start, phases, outcomes, stop, conflicts)."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest
from conftest import Harness
from qbe_shapes import assert_output

UTC = datetime.timezone.utc
BASE = datetime.datetime(2025, 3, 1, tzinfo=UTC)


def _kw(ids: dict[str, str]) -> dict[str, str]:
    return {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}


def _all_pages(c: Any, ids: dict[str, str], **filters: Any) -> tuple[list[dict[str, Any]], list[int]]:
    jobs: list[dict[str, Any]] = []
    sizes = []
    token = None
    for _ in range(50):
        answer = c.list_data_source_sync_jobs(**_kw(ids), maxResults=10, **filters, **({"nextToken": token} if token else {}))
        assert_output("ListDataSourceSyncJobs", answer)
        jobs.extend(answer["history"])
        sizes.append(len(answer["history"]))
        token = answer.get("nextToken")
        if not token:
            return jobs, sizes
    raise AssertionError("pagination did not end")


def test_57_jobs_over_six_pages(qb: Harness) -> None:
    ids = qb.make_data_source()
    seeded = qb.ctl.seed_history(**ids, generate={"count": 57, "interval_seconds": 600})
    assert len(set(seeded)) == 57
    jobs, sizes = _all_pages(qb.client(), ids)
    assert sizes == [10, 10, 10, 10, 10, 7]
    assert sorted(j["executionId"] for j in jobs) == sorted(seeded)
    starts = [j["startTime"] for j in jobs]
    assert starts == sorted(starts, reverse=True)  # default order: newest first
    paged = qb.client().get_paginator("list_data_source_sync_jobs").paginate(**_kw(ids))
    assert [j["executionId"] for page in paged for j in page["history"]] == [j["executionId"] for j in jobs]
    logged = [r for r in qb.ctl.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert len(logged) >= 6 and logged[0]["params"]["maxResults"] == "10" and "nextToken" not in logged[0]["params"]
    assert logged[1]["params"]["nextToken"]


def _seed_timeline(qb: Harness) -> tuple[dict[str, str], dict[str, str]]:
    """Six jobs one hour apart from BASE; returns ids and {execution id: status}."""
    ids = qb.make_data_source()
    statuses = ["SUCCEEDED", "FAILED", "SUCCEEDED", "INCOMPLETE", "FAILED", "ABORTED"]
    specs = [{"execution_id": f"{i:08d}-0000-4000-8000-000000000000", "status": s,
              "start_time": (BASE + datetime.timedelta(hours=i)).isoformat()} for i, s in enumerate(statuses)]
    qb.ctl.seed_history(**ids, jobs=specs)
    return ids, {spec["execution_id"]: spec["status"] for spec in specs}


def _hour(i: int) -> str:
    return f"{i:08d}-0000-4000-8000-000000000000"


def test_status_filter(qb: Harness) -> None:
    ids, statuses = _seed_timeline(qb)
    c = qb.client()
    for status in ("FAILED", "SUCCEEDED", "INCOMPLETE", "SYNCING"):
        jobs, _ = _all_pages(c, ids, statusFilter=status)
        assert sorted(j["executionId"] for j in jobs) == sorted(e for e, s in statuses.items() if s == status)
        assert all(j["status"] == status for j in jobs)
    sent = [r["params"].get("syncStatus") for r in qb.ctl.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert sent == ["FAILED", "SUCCEEDED", "INCOMPLETE", "SYNCING"]


def test_time_filters_are_inclusive_on_start_time(qb: Harness) -> None:
    ids, _ = _seed_timeline(qb)
    c = qb.client()
    at = [BASE + datetime.timedelta(hours=i) for i in range(6)]

    jobs, _ = _all_pages(c, ids, startTime=at[2])
    assert sorted(j["executionId"] for j in jobs) == [_hour(i) for i in (2, 3, 4, 5)]
    jobs, _ = _all_pages(c, ids, endTime=at[2])
    assert sorted(j["executionId"] for j in jobs) == [_hour(i) for i in (0, 1, 2)]
    jobs, _ = _all_pages(c, ids, startTime=at[1], endTime=at[3])
    assert sorted(j["executionId"] for j in jobs) == [_hour(i) for i in (1, 2, 3)]
    jobs, _ = _all_pages(c, ids, startTime=at[1] + datetime.timedelta(seconds=1), endTime=at[3] - datetime.timedelta(milliseconds=1))
    assert [j["executionId"] for j in jobs] == [_hour(2)]
    jobs, _ = _all_pages(c, ids, startTime=at[3], endTime=at[3], statusFilter="INCOMPLETE")
    assert [j["executionId"] for j in jobs] == [_hour(3)]

    # a start time read back from the API filters exactly (millisecond precision survives the round trip)
    newest = c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]
    jobs, _ = _all_pages(c, ids, startTime=newest["startTime"], endTime=newest["startTime"])
    assert [j["executionId"] for j in jobs] == [newest["executionId"]]

    params = [r["params"] for r in qb.ctl.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert params[0]["startTime"].startswith("2025-03-01T02:00:00") and "endTime" not in params[0]
    assert params[1]["endTime"].startswith("2025-03-01T02:00:00") and "startTime" not in params[1]


def test_unparseable_time_filter(qb: Harness) -> None:
    ids, _ = _seed_timeline(qb)
    c = qb.client()

    def corrupt(request: Any, **kwargs: Any) -> None:
        # botocore always serialises a valid ISO time, so the bad value is written into the signed URL.
        request.url = re.sub(r"startTime=[^&]*", "startTime=yesterday", request.url)

    c.meta.events.register("before-sign.qbusiness.ListDataSourceSyncJobs", corrupt)
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_data_source_sync_jobs(**_kw(ids), startTime=BASE)
    assert exc.value.response["reason"] == "CANNOT_PARSE"
    assert [f["name"] for f in exc.value.response["fields"]] == ["startTime"]
    assert qb.ctl.requests()[-1]["params"]["startTime"] == "yesterday"


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
