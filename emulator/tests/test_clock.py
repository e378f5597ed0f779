# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
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
    assert final["metrics"] == {"documentsAdded": "40", "documentsDeleted": "2", "documentsFailed": "0", "documentsModified": "8", "documentsScanned": "1000"}
    assert final["startTime"] >= before - datetime.timedelta(milliseconds=5)
    assert (final["endTime"] - final["startTime"]).total_seconds() == pytest.approx(0.8, abs=0.002)
    assert "error" not in final

    # the choice applied to one Start only: the next one runs with the defaults (SUCCEEDED after 2 s + 1 s)
    second = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["executionId"] == second
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["status"] == "SYNCING"


def test_failed_outcome_carries_error(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.set_next_sync(
        **ids,
        outcome="FAILED",
        syncing_seconds=0.1,
        indexing_seconds=0.1,
        error={"error_code": "InvalidRequest", "error_message": "Bad credentials"},
        data_source_error_code="AUTH_FAILED",
    )
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


# Documents left by a clocked sync (documents.py): applied once the job has ended, as of its end time.
FAILED_STATUSES = ("FAILED", "DOCUMENT_FAILED_TO_INDEX")


def _documents(c: Any, ids: dict[str, str]) -> list[dict[str, Any]]:
    pages = list(
        c.get_paginator("list_documents").paginate(applicationId=ids["application_id"], indexId=ids["index_id"], dataSourceIds=[ids["data_source_id"]])
    )
    for page in pages:
        assert_output("ListDocuments", page)
    return [d for page in pages for d in page["documentDetailList"]]


def _run_sync(qb: Harness, c: Any, ids: dict[str, str], until: set[str], **next_sync: Any) -> dict[str, Any]:
    qb.ctl.set_next_sync(**ids, syncing_seconds=0.15, indexing_seconds=0.1, **next_sync)
    execution_id = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    return _poll_statuses(c, ids, execution_id, until)[-1]


def test_incomplete_sync_leaves_its_failed_documents(qb: Harness) -> None:
    ids = qb.make_data_source(name="handbook")
    seeded = qb.ctl.seed_documents(**ids, generate={"count": 400, "updated_at": "now-86400"})
    c = qb.client()
    before = _documents(c, ids)
    assert len(before) == 400 and {d["status"] for d in before} == {"INDEXED"}
    errors = [
        {"error_code": "InvalidRequest", "error_message": "The file type .dwg is not supported"},
        {"error_code": "InternalError", "error_message": "Text extraction timed out"},
        {"error_code": "ResourceNotFound", "error_message": "The object was deleted before it could be crawled"},
    ]
    metrics = {"documents_scanned": 400, "documents_failed": 37}
    qb.ctl.set_next_sync(**ids, outcome="INCOMPLETE", syncing_seconds=30, metrics=metrics, document_errors=errors)
    c.start_data_source_sync_job(**_kw(ids))
    assert _documents(c, ids) == before  # nothing changes while the sync runs
    c.stop_data_source_sync_job(**_kw(ids))  # that one is stopped: an ABORTED sync leaves the documents as they were
    _poll_statuses(c, ids, c.list_data_source_sync_jobs(**_kw(ids))["history"][0]["executionId"], {"ABORTED"})
    assert _documents(c, ids) == before

    job = _run_sync(qb, c, ids, {"INCOMPLETE"}, outcome="INCOMPLETE", metrics=metrics, document_errors=errors)
    assert job["metrics"]["documentsFailed"] == "37"
    after = _documents(c, ids)
    assert [d["documentId"] for d in after] == seeded  # the failed ones are among the 400; none added
    failed = [d for d in after if d["status"] in FAILED_STATUSES]
    assert len(failed) == 37
    assert all(d["updatedAt"] == job["endTime"] for d in failed)
    assert [d["status"] for d in failed[:4]] == ["FAILED", "DOCUMENT_FAILED_TO_INDEX", "FAILED", "DOCUMENT_FAILED_TO_INDEX"]
    wire_errors = [{"errorCode": e["error_code"], "errorMessage": e["error_message"]} for e in errors]
    assert [d["error"] for d in failed] == [wire_errors[i % 3] for i in range(37)]  # cycled, in listing order
    unchanged = [d for d in after if d["status"] not in FAILED_STATUSES]
    assert all(d["status"] == "INDEXED" and d["updatedAt"] < job["startTime"] and "error" not in d for d in unchanged)
    assert _documents(c, ids) == after  # read again: the same (applied once)


def test_succeeded_sync_leaves_indexed_and_updated_documents(qb: Harness) -> None:
    ids = qb.make_data_source(name="wiki")
    qb.ctl.seed_documents(**ids, generate={"count": 20, "failed": 2, "updated_at": "now-3600"})
    c = qb.client()
    before = {d["documentId"]: d for d in _documents(c, ids)}
    metrics = {"documents_scanned": 30, "documents_added": 5, "documents_modified": 3}
    job = _run_sync(qb, c, ids, {"SUCCEEDED"}, metrics=metrics)
    after = _documents(c, ids)
    assert len(after) == 25
    changed = [d for d in after if d["updatedAt"] == job["endTime"]]
    added = [d for d in changed if d["documentId"] not in before]
    updated = [d for d in changed if d["documentId"] in before]
    assert [d["status"] for d in added] == ["INDEXED"] * 5
    assert all(d["createdAt"] == job["endTime"] for d in added)
    assert [d["documentId"] for d in added] == [
        f"s3://wiki/documents/doc-{n:04d}.{ext}" for n, ext in zip(range(21, 26), ("pdf", "docx", "html", "txt", "pptx"), strict=True)
    ]
    assert [d["status"] for d in updated] == ["UPDATED"] * 3 and all("error" not in d for d in updated)
    assert all(before[d["documentId"]]["createdAt"] == d["createdAt"] for d in updated)
    assert len(changed) == 8 and [d["documentId"] for d in after][-5:] == [d["documentId"] for d in added]  # new ones last
    assert sum(d["status"] in FAILED_STATUSES for d in after) <= 2  # a modified one may have been a failed one, now UPDATED


def test_failed_sync_on_an_empty_data_source_adds_failed_documents(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    job = _run_sync(
        qb, c, ids, {"FAILED"}, outcome="FAILED", metrics={"documents_scanned": 4, "documents_failed": 4}, document_failed_status="DOCUMENT_FAILED_TO_INDEX"
    )
    docs = _documents(c, ids)
    assert [d["status"] for d in docs] == ["DOCUMENT_FAILED_TO_INDEX"] * 4
    assert all(d["createdAt"] == d["updatedAt"] == job["endTime"] for d in docs)
    assert [d["error"]["errorMessage"] for d in docs] == [  # the default errors, cycled
        "The document exceeds the 50 MB size limit.",
        "The document could not be parsed: unsupported encoding.",
        "The file type .xyz is not supported.",
        "The source file was deleted before it could be crawled.",
    ]
    # plausible FAILED metrics add and fail nothing; a seeded job never changes documents
    _run_sync(qb, c, ids, {"FAILED"}, outcome="FAILED")
    qb.ctl.seed_history(**ids, jobs=[{"status": "INCOMPLETE", "start_time": "now-60", "metrics": {"documents_failed": 9}}])
    assert _documents(c, ids) == docs


def test_documents_seeded_after_a_sync_ended_are_not_changed_by_it(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    qb.ctl.set_next_sync(**ids, outcome="INCOMPLETE", syncing_seconds=0.05, indexing_seconds=0.05, metrics={"documents_failed": 3, "documents_added": 2})
    c.start_data_source_sync_job(**_kw(ids))
    time.sleep(0.3)  # ended, and nothing has read the documents since
    (late,) = qb.ctl.seed_documents(**ids, documents=[{"status": "INDEXED", "document_id": "after-the-sync.txt"}])
    docs = _documents(c, ids)
    assert len(docs) == 6 and docs[-1]["documentId"] == late and docs[-1]["status"] == "INDEXED"
    assert sorted(d["status"] for d in docs[:5]) == ["DOCUMENT_FAILED_TO_INDEX", "FAILED", "FAILED", "INDEXED", "INDEXED"]
