"""ListDataSourceSyncJobs pagination and filters; the sync-job clock (start, phases, outcomes, stop, conflicts)."""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import time
from typing import Any

import pytest
from conftest import Harness
from qbe_shapes import assert_output

from qbusiness_emulator import engine

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


def _count_state_at(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count SyncJob.state_at calls (in this process, so the server thread's too)."""
    calls = [0]
    original = engine.SyncJob.state_at

    def counting(self: engine.SyncJob, at_ms: int) -> engine.JobState:
        calls[0] += 1
        return original(self, at_ms)

    monkeypatch.setattr(engine.SyncJob, "state_at", counting)
    return calls


@pytest.mark.parametrize("order", ["newest_first", "oldest_first", "shuffled"])
def test_page_evaluates_only_its_own_jobs(qb: Harness, monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    """Without a status filter a page evaluates its own jobs against the clock, not the whole history."""
    ids = qb.make_data_source()
    seeded = qb.ctl.seed_history(**ids, generate={"count": 1000, "interval_seconds": 60})
    qb.ctl.set_faults(history_order=order, seed=5)
    c = qb.client()
    calls = _count_state_at(monkeypatch)
    per_request = []
    listed: list[str] = []
    starts = []
    token = None
    for _ in range(200):
        calls[0] = 0
        answer = c.list_data_source_sync_jobs(**_kw(ids), maxResults=10, **({"nextToken": token} if token else {}))
        per_request.append(calls[0])
        listed.extend(j["executionId"] for j in answer["history"])
        starts.extend(j["startTime"] for j in answer["history"])
        token = answer.get("nextToken")
        if not token:
            break
    assert sorted(listed) == sorted(seeded)
    assert len(per_request) == 100 and max(per_request) <= 10
    # Time bounds too: the first page of the jobs started in a 30-minute window evaluates that page only.
    starts.sort()
    calls[0] = 0
    window = c.list_data_source_sync_jobs(**_kw(ids), startTime=starts[500], endTime=starts[500] + datetime.timedelta(minutes=30))
    assert len(window["history"]) == 10 and window["nextToken"] and calls[0] <= 10


def test_listing_follows_history_changes(qb: Harness) -> None:
    """The cached order is rebuilt after a Start, a re-seed (even one of the same length) and more seeding."""
    ids = qb.make_data_source()
    qb.ctl.seed_history(**ids, generate={"count": 30})
    c = qb.client()
    first = c.list_data_source_sync_jobs(**_kw(ids))["history"]
    started = c.start_data_source_sync_job(**_kw(ids))["executionId"]
    after_start = c.list_data_source_sync_jobs(**_kw(ids))["history"]
    assert [j["executionId"] for j in after_start] == [started] + [j["executionId"] for j in first[:9]]
    assert after_start[0]["status"] == "SYNCING"
    # Same number of jobs (31) as before, all new: nothing of the old history may show.
    replaced = qb.ctl.seed_history(**ids, generate={"count": 31, "interval_seconds": 60}, replace=True)
    jobs, sizes = _all_pages(c, ids)
    assert [j["executionId"] for j in jobs] == replaced and sizes == [10, 10, 10, 1]
    (newest,) = qb.ctl.seed_history(**ids, jobs=[{"status": "FAILED", "start_time": "now"}])
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["executionId"] == newest
    qb.ctl.set_faults(history_order="oldest_first")
    assert c.list_data_source_sync_jobs(**_kw(ids), maxResults=1)["history"][0]["executionId"] == replaced[-1]


def _reference_listing(state: engine.ServiceState, ds: engine.DataSource, query: dict[str, str],
                       options: dict[str, Any]) -> tuple[list[str], str | None]:
    """The listing as computed before the order was cached: evaluate, filter, sort all, then paginate."""
    at = engine.now_ms()
    start = engine.parse_time(query["startTime"]) if "startTime" in query else None
    end = engine.parse_time(query["endTime"]) if "endTime" in query else None
    status_filter = query.get("syncStatus")
    selected = []
    for job in ds.jobs:
        state_now = job.state_at(at)
        if status_filter is not None and state_now.status != status_filter:
            continue
        if (start is not None and job.start_ms < start) or (end is not None and job.start_ms > end):
            continue
        selected.append((job, state_now))
    order = options.get("history_order", "newest_first")
    if order == "shuffled":
        seed = options.get("order_seed")
        selected.sort(key=lambda js: hashlib.sha256(f"{seed}|{ds.data_source_id}|{js[0].execution_id}".encode()).hexdigest())
    else:
        selected.sort(key=lambda js: (js[0].start_ms, js[0].seq), reverse=(order != "oldest_first"))
    scope = ["ListDataSourceSyncJobs", ds.application_id, ds.index_id, ds.data_source_id, status_filter, start, end]
    size = int(query.get("maxResults", "10"))
    page, token = state._paginate(selected, lambda js: js[0].seq, size, query.get("nextToken"), scope,
                                  repeat_token=bool(options.get("repeat_next_token")))
    return [job.execution_id for job, _ in page], token


@pytest.mark.parametrize("seed", range(6))
def test_cached_listing_matches_full_sort(seed: int) -> None:
    """Pages, order, tie-breaks, bounds, snapshot caps and tokens are those of evaluating and sorting everything."""
    rng = random.Random(seed)
    state = engine.ServiceState("us-east-1", "123456789012")
    app = state.add_application("a")
    idx = state.add_index(app.application_id, "i")
    ds = state.add_data_source(app.application_id, idx.index_id, "d")
    path = {"applicationId": app.application_id, "indexId": idx.index_id, "dataSourceId": ds.data_source_id}
    base = 1_740_000_000
    times = [base + 60 * rng.randrange(40) for _ in range(12)]  # few distinct start times: many ties

    def seed_some(n: int) -> None:
        statuses = ["SUCCEEDED", "FAILED", "INCOMPLETE", "ABORTED"]
        state.seed_jobs(ds, [{"status": rng.choice(statuses), "start_time": rng.choice(times)} for _ in range(n)])

    seed_some(rng.randrange(60, 140))
    for _ in range(25):
        order = rng.choice(engine.HISTORY_ORDERS)
        options = {"history_order": order, "order_seed": rng.choice([None, 1, 2]), "repeat_next_token": rng.random() < 0.2}
        query = {"maxResults": str(rng.randint(1, 10))}
        if rng.random() < 0.4:
            query["startTime"] = str(rng.choice(times) + rng.choice([-1, 0, 0.001]))
        if rng.random() < 0.4:
            query["endTime"] = str(rng.choice(times) + rng.choice([-1, 0, 0.001]))
        if rng.random() < 0.3:
            query["syncStatus"] = rng.choice(["SUCCEEDED", "FAILED", "INCOMPLETE"])
        for page_number in range(60):
            expected = _reference_listing(state, ds, query, options)
            answer = state.list_data_source_sync_jobs(path, query, {}, options)
            assert ([j["executionId"] for j in answer["history"]], answer.get("nextToken")) == expected, (seed, order, query, page_number)
            if not answer.get("nextToken") or answer["nextToken"] == query.get("nextToken"):
                break
            query["nextToken"] = answer["nextToken"]
            # History changing between pages: left out of this listing by its snapshot cap, in the cache at once.
            if rng.random() < 0.15:
                seed_some(rng.randrange(1, 4))
            if rng.random() < 0.1:
                ds.next_plan = engine.SyncPlan(syncing_seconds=0, indexing_seconds=0)
                state.call("StartDataSourceSyncJob", path, {}, {}, {})
        if rng.random() < 0.1:
            state.seed_jobs(ds, [{"status": "SUCCEEDED", "start_time": t} for t in times[:3]], replace=True)


def test_cached_order_notices_jobs_changed_directly() -> None:
    """Code that appends to or replaces ``DataSource.jobs`` without touch_history() still gets a fresh order."""
    state = engine.ServiceState("us-east-1", "123456789012")
    app = state.add_application("a")
    idx = state.add_index(app.application_id, "i")
    ds = state.add_data_source(app.application_id, idx.index_id, "d")
    state.seed_jobs(ds, generate={"count": 3})
    first = ds.history_order("newest_first", None)
    assert ds.history_order("newest_first", None) is first and ds.history_order("shuffled", 1) is not first
    extra = engine.job_from_spec({"status": "SUCCEEDED", "start_time": "now"}, state.next_seq(), "job")
    ds.jobs.append(extra)
    assert ds.history_order("newest_first", None).jobs[0] is extra
    ds.jobs = [extra]
    assert ds.history_order("newest_first", None).jobs == [extra]
