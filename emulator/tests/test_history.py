# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Listing order and pagination (history.py): ListDataSourceSyncJobs pages and filters, the cached order, resource lists, tokens."""

from __future__ import annotations

import datetime
import hashlib
import random
import re
from typing import Any

import pytest
from botocore.config import Config

from conftest import Harness
from qbe_shapes import assert_output
from qbusiness_emulator import history
from qbusiness_emulator.clock import now_ms
from qbusiness_emulator.clock import parse_time
from qbusiness_emulator.jobs import JobState
from qbusiness_emulator.jobs import NextSync
from qbusiness_emulator.jobs import SyncJob
from qbusiness_emulator.models import DataSource
from qbusiness_emulator.models import ServiceState
from qbusiness_emulator.scenarios import job_from_spec

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
    specs = [
        {"execution_id": f"{i:08d}-0000-4000-8000-000000000000", "status": s, "start_time": (BASE + datetime.timedelta(hours=i)).isoformat()}
        for i, s in enumerate(statuses)
    ]
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


def test_next_token_is_opaque_and_bound_to_the_request(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.seed_history(**ids, generate={"count": 15})
    c = qb.client()
    kw = {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}
    token = c.list_data_source_sync_jobs(**kw)["nextToken"]
    assert not token.isdigit()
    assert len(c.list_data_source_sync_jobs(**kw, nextToken=token)["history"]) == 5
    with pytest.raises(c.exceptions.ValidationException):
        c.list_data_source_sync_jobs(**kw, nextToken=token, statusFilter="FAILED")  # other filters than the first page
    with pytest.raises(c.exceptions.ValidationException):
        c.list_data_source_sync_jobs(**kw, nextToken=token[:-3])


def test_pagination_of_resource_lists(qb: Harness) -> None:
    c = qb.client()
    apps = [c.create_application(displayName=f"app{i}")["applicationId"] for i in range(3)]
    first = c.list_applications(maxResults=2)
    second = c.list_applications(maxResults=2, nextToken=first["nextToken"])
    assert [a["applicationId"] for a in first["applications"] + second["applications"]] == apps
    assert "nextToken" not in second
    index_id = c.create_index(applicationId=apps[0], displayName="main")["indexId"]
    for i in range(12):
        c.create_data_source(applicationId=apps[0], indexId=index_id, displayName=f"ds{i}", configuration={})
    pages = list(c.get_paginator("list_data_sources").paginate(applicationId=apps[0], indexId=index_id))
    assert [len(p["dataSources"]) for p in pages] == [10, 2]
    assert {d["type"] for p in pages for d in p["dataSources"]} == {"CUSTOM"}


def _count_state_at(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count SyncJob.state_at calls (in this process, so the server thread's too)."""
    calls = [0]
    original = SyncJob.state_at

    def counting(self: SyncJob, at_ms: int) -> JobState:
        calls[0] += 1
        return original(self, at_ms)

    monkeypatch.setattr(SyncJob, "state_at", counting)
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


def _reference_listing(state: ServiceState, ds: DataSource, query: dict[str, str], options: dict[str, Any]) -> tuple[list[str], str | None]:
    """The listing as computed before the order was cached: evaluate, filter, sort all, then paginate."""
    at = now_ms()
    start = parse_time(query["startTime"]) if "startTime" in query else None
    end = parse_time(query["endTime"]) if "endTime" in query else None
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
    page, token = history.paginate(
        history.snapshot(selected, lambda js: js[0].seq),
        size,
        query.get("nextToken"),
        scope,
        state.last_seq,
        repeat_token=bool(options.get("repeat_next_token")),
        params=query,
    )
    return [job.execution_id for job, _ in page], token


@pytest.mark.parametrize("seed", range(6))
def test_cached_listing_matches_full_sort(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages, order, tie-breaks, bounds, snapshot caps and tokens are those of evaluating and sorting everything."""
    # A token carries when it was minted: one instant for both listings, so their tokens compare equal.
    monkeypatch.setattr(history, "now_ms", lambda: 1_740_000_000_000)
    rng = random.Random(seed)
    state = ServiceState("us-east-1", "123456789012")
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
        order = rng.choice(history.HISTORY_ORDERS)
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
            answer = state.call("ListDataSourceSyncJobs", path, query, {}, options)
            assert ([j["executionId"] for j in answer["history"]], answer.get("nextToken")) == expected, (seed, order, query, page_number)
            if not answer.get("nextToken") or answer["nextToken"] == query.get("nextToken"):
                break
            query["nextToken"] = answer["nextToken"]
            # History changing between pages: left out of this listing by its snapshot cap, in the cache at once.
            if rng.random() < 0.15:
                seed_some(rng.randrange(1, 4))
            if rng.random() < 0.1:
                ds.next_sync = NextSync(syncing_seconds=0, indexing_seconds=0)
                state.call("StartDataSourceSyncJob", path, {}, {}, {})
        if rng.random() < 0.1:
            state.seed_jobs(ds, [{"status": "SUCCEEDED", "start_time": t} for t in times[:3]], replace=True)


def test_cached_order_notices_jobs_changed_directly() -> None:
    """Code that appends to or replaces ``DataSource.jobs`` without touch_history() still gets a fresh order."""
    state = ServiceState("us-east-1", "123456789012")
    app = state.add_application("a")
    idx = state.add_index(app.application_id, "i")
    ds = state.add_data_source(app.application_id, idx.index_id, "d")
    state.seed_jobs(ds, generate={"count": 3})
    first = ds.history_order("newest_first", None)
    assert ds.history_order("newest_first", None) is first and ds.history_order("shuffled", 1) is not first
    extra = job_from_spec({"status": "SUCCEEDED", "start_time": "now"}, state.next_seq(), "job")
    ds.jobs.append(extra)
    assert ds.history_order("newest_first", None).jobs[0] is extra
    ds.jobs = [extra]
    assert ds.history_order("newest_first", None).jobs == [extra]


# The listings a name lookup pages through: every item exactly once, in creation order, whatever the page size.
def _by_paginator(c: Any, method: str, result_key: str, id_key: str, config: dict[str, Any] | None = None, **kw: Any) -> tuple[list[str], list[int]]:
    pages = list(c.get_paginator(method).paginate(**kw, PaginationConfig=config or {}))
    for page in pages:
        assert_output(c.meta.method_to_api_mapping[method], page)
    return [item[id_key] for page in pages for item in page[result_key]], [len(page[result_key]) for page in pages]


def _by_max_results(c: Any, method: str, result_key: str, id_key: str, max_results: int, **kw: Any) -> tuple[list[str], list[int]]:
    ids: list[str] = []
    sizes = []
    token = None
    for _ in range(500):
        answer = getattr(c, method)(**kw, maxResults=max_results, **({"nextToken": token} if token else {}))
        assert_output(c.meta.method_to_api_mapping[method], answer)
        ids.extend(item[id_key] for item in answer[result_key])
        sizes.append(len(answer[result_key]))
        token = answer.get("nextToken")
        if not token:
            return ids, sizes
    raise AssertionError("pagination did not end")


def _pages(total: int, size: int) -> list[int]:
    return [size] * (total // size) + ([total % size] if total % size else [])


def test_25_data_sources_page_through(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="many-sources")["applicationId"]
    index = c.create_index(applicationId=app, displayName="main")["indexId"]
    created = [
        c.create_data_source(
            applicationId=app,
            indexId=index,
            displayName=f"ds-{i % 4}",  # names repeat
            configuration={"type": "S3"},
        )["dataSourceId"]
        for i in range(25)
    ]
    assert len(set(created)) == 25
    kw = {"applicationId": app, "indexId": index}
    args = ("list_data_sources", "dataSources", "dataSourceId")
    assert _by_paginator(c, *args, **kw) == (created, [10, 10, 5])  # no maxResults: the model's maximum, 10
    assert _by_paginator(c, *args, {"PageSize": 4}, **kw) == (created, _pages(25, 4))
    for size in (1, 7, 10):
        assert _by_max_results(c, *args, size, **kw) == (created, _pages(25, size))
    # botocore's MaxItems cuts a page in two; its resume token (with the same page size) carries on exactly there
    first = c.get_paginator("list_data_sources").paginate(**kw, PaginationConfig={"MaxItems": 12, "PageSize": 5}).build_full_result()
    rest = c.get_paginator("list_data_sources").paginate(**kw, PaginationConfig={"StartingToken": first["NextToken"], "PageSize": 5}).build_full_result()
    assert [d["dataSourceId"] for d in first["dataSources"] + rest["dataSources"]] == created
    assert "NextToken" not in rest


def _many(count: int, kind: str, children: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [{"name": f"{kind}-{i % 40}", **(children or {})} for i in range(count)]  # names repeat: 40 distinct among them


def test_105_applications_and_105_indices_page_through(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario({"applications": [{"name": "first", "indices": _many(105, "index")}] + _many(104, "app")})
    apps = [a["application_id"] for a in loaded["applications"]]
    indices = [i["index_id"] for i in loaded["applications"][0]["indices"]]
    assert len(set(apps)) == len(set(indices)) == 105
    c = qb.client()
    for args, kw, expected in (
        (("list_applications", "applications", "applicationId"), {}, apps),
        (("list_indices", "indices", "indexId"), {"applicationId": apps[0]}, indices),
    ):
        assert _by_paginator(c, *args, **kw) == (expected, [100, 5])  # no maxResults: the model's maximum, 100
        assert _by_paginator(c, *args, {"PageSize": 10}, **kw) == (expected, _pages(105, 10))
        for size in (1, 26, 100):
            assert _by_max_results(c, *args, size, **kw) == (expected, _pages(105, size))
    names = [a["displayName"] for a in c.get_paginator("list_applications").paginate().build_full_result()["applications"]]
    assert names.count("app-3") == 3 and names.count("first") == 1


@pytest.mark.parametrize(
    "method, kw_of, limit",
    [
        ("list_applications", lambda ids: {}, 100),
        ("list_indices", lambda ids: {"applicationId": ids["application_id"]}, 100),
        ("list_data_sources", lambda ids: {"applicationId": ids["application_id"], "indexId": ids["index_id"]}, 10),
    ],
)
def test_resource_list_max_results_out_of_range(qb: Harness, method: str, kw_of: Any, limit: int) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    raw = qb.client(config=Config(parameter_validation=False))  # botocore itself refuses maxResults below the model's min
    for client, size in ((raw, 0), (raw, -1), (c, limit + 1), (c, 1000)):
        with pytest.raises(client.exceptions.ValidationException) as exc:
            getattr(client, method)(**kw_of(ids), maxResults=size)
        response = exc.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert [f["name"] for f in response["fields"]] == ["maxResults"]
        assert f"between 1 and {limit}" in response["Error"]["Message"]
    for size in (1, limit):
        assert_output(c.meta.method_to_api_mapping[method], getattr(c, method)(**kw_of(ids), maxResults=size))
