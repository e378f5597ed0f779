# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Behaviour switches (behaviours.py): each one's default and its other reading, through boto3 against the emulator."""

from __future__ import annotations

import urllib.error
from collections.abc import Callable
from typing import Any

import pytest

from conftest import NO_RETRIES
from conftest import Harness
from conftest import http_error
from qbusiness_emulator import control
from qbusiness_emulator import history
from qbusiness_emulator import operations
from qbusiness_emulator.behaviours import BehaviourConfig

DEFAULTS = {
    "tokens_bound_to_request": False,
    "token_ttl_seconds": None,
    "time_filter_field": "start_time",
    "time_filter_bounds": "inclusive",
    "time_filter_keeps_running": True,
    "listing_delay_seconds": 0,
    "stop_without_sync": "conflict",
    "start_while_running": "conflict",
}
T0 = 1_750_000_000  # epoch seconds: a fixed instant for seeded jobs
WINDOW = {"startTime": T0, "endTime": T0 + 3600}


def _kw(ids: dict[str, str]) -> dict[str, str]:
    return {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}


def _listed(c: Any, kw: dict[str, Any], **params: Any) -> list[str]:
    return [j["executionId"] for j in c.list_data_source_sync_jobs(**kw, **params)["history"]]


def _refused(c: Any, call: Callable[[], Any]) -> str:
    """The message of the ValidationException that ``call`` raises."""
    with pytest.raises(c.exceptions.ValidationException) as exc:
        call()
    return str(exc.value.response["Error"]["Message"])


def _operations(qb: Harness) -> list[str]:
    return [entry["operation"] for entry in qb.ctl.requests()]


class FakeClock:
    """The emulator's clock (operations and the paginator), moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start_ms: int) -> None:
        self.ms = start_ms
        monkeypatch.setattr(operations, "now_ms", self)
        monkeypatch.setattr(history, "now_ms", self)

    def __call__(self) -> int:
        return self.ms


@pytest.fixture
def source(inprocess: Harness) -> tuple[Harness, Any, dict[str, str]]:
    """An in-process emulator, a client without retries and the boto3 ids of a fresh data source."""
    c = inprocess.client(config=NO_RETRIES)
    return inprocess, c, _kw(inprocess.make_data_source(c))


def _ids(kw: dict[str, str]) -> dict[str, str]:
    return {"application_id": kw["applicationId"], "index_id": kw["indexId"], "data_source_id": kw["dataSourceId"]}


# --- the control API -------------------------------------------------------------------------------------------------


def test_defaults_subset_updates_clear_and_reset(qb: Harness) -> None:
    assert BehaviourConfig().to_spec() == DEFAULTS and qb.ctl.get_behaviours() == DEFAULTS
    after = qb.ctl.set_behaviours(tokens_bound_to_request=True, token_ttl_seconds=30)
    assert after == {**DEFAULTS, "tokens_bound_to_request": True, "token_ttl_seconds": 30}
    after = qb.ctl.set_behaviours(time_filter_field="end_time")  # the keys not given keep their value
    assert after == {**DEFAULTS, "tokens_bound_to_request": True, "token_ttl_seconds": 30, "time_filter_field": "end_time"}
    assert qb.ctl.get_behaviours() == after
    assert qb.ctl.clear_behaviours() == DEFAULTS and qb.ctl.get_behaviours() == DEFAULTS
    qb.ctl.set_behaviours(stop_without_sync="ok", listing_delay_seconds=1.5)
    qb.ctl.reset()
    assert qb.ctl.get_behaviours() == DEFAULTS


BAD_PAYLOADS = [
    ({"bogus": 1}, "'bogus'"),
    ({"tokens_bound_to_request": "yes"}, "tokens_bound_to_request"),
    ({"token_ttl_seconds": 0}, "token_ttl_seconds"),
    ({"token_ttl_seconds": True}, "token_ttl_seconds"),
    ({"time_filter_field": "created"}, "time_filter_field"),
    ({"time_filter_bounds": "open"}, "time_filter_bounds"),
    ({"time_filter_keeps_running": None}, "time_filter_keeps_running"),
    ({"listing_delay_seconds": -1}, "listing_delay_seconds"),
    ({"stop_without_sync": "ignore"}, "stop_without_sync"),
    ({"start_while_running": True}, "start_while_running"),
    ({"time_filter_field": "end_time", "start_while_running": "maybe"}, "start_while_running"),
]


@pytest.mark.parametrize("payload, fragment", BAD_PAYLOADS)
def test_bad_payloads_name_the_key_and_change_nothing(qb: Harness, payload: dict[str, Any], fragment: str) -> None:
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.set_behaviours(**payload)
        status, body = http_error(exc.value)
        assert status == 400 and fragment in body["message"], body
    else:
        with pytest.raises(control.ControlError, match=fragment):
            qb.ctl.set_behaviours(**payload)
    assert qb.ctl.get_behaviours() == DEFAULTS


def test_scenario_carries_behaviours(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario({"behaviours": {"start_while_running": "ok"}, "applications": [{"name": "a"}]})
    assert loaded["behaviours"] == {**DEFAULTS, "start_while_running": "ok"} and qb.ctl.get_behaviours() == loaded["behaviours"]
    bad = {"behaviours": {"time_filter_bounds": "half"}, "applications": [{"name": "b"}]}
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.load_scenario(bad)
        status, body = http_error(exc.value)
        assert status == 400 and "scenario.behaviours: 'time_filter_bounds'" in body["message"]
    else:
        with pytest.raises(control.ControlError, match="scenario.behaviours: 'time_filter_bounds'"):
            qb.ctl.load_scenario(bad)
    assert [a["displayName"] for a in qb.client().list_applications()["applications"]] == ["a"]  # refused whole


# --- tokens ----------------------------------------------------------------------------------------------------------


def test_token_reused_with_another_page_size(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    seeded = qb.ctl.seed_history(**_ids(kw), generate={"count": 15})  # newest first
    first = c.list_data_source_sync_jobs(**kw, maxResults=10)
    # Default: the token carries only an offset; another page size resumes from it.
    assert _listed(c, kw, maxResults=5, nextToken=first["nextToken"]) == seeded[10:]
    assert _listed(c, kw, nextToken=first["nextToken"]) == seeded[10:]  # maxResults omitted: 10

    qb.ctl.set_behaviours(tokens_bound_to_request=True)
    first = c.list_data_source_sync_jobs(**kw, maxResults=10)
    qb.ctl.clear_requests()
    token = first["nextToken"]
    assert _refused(c, lambda: c.list_data_source_sync_jobs(**kw, maxResults=5, nextToken=token)) == "The nextToken is not valid"
    # An omitted maxResults is another request than maxResults=10, though the page size is the same.
    assert _refused(c, lambda: c.list_data_source_sync_jobs(**kw, nextToken=token)) == "The nextToken is not valid"
    assert _refused(c, lambda: c.list_data_source_sync_jobs(**kw, maxResults=10, nextToken=token, statusFilter="FAILED")) == "The nextToken is not valid"
    assert [e["status_code"] for e in qb.ctl.requests()] == [400, 400, 400]
    # The same parameters resume, however often: 10 + 5, none lost or doubled.
    assert _listed(c, kw, maxResults=10, nextToken=token) == seeded[10:]
    assert [j["executionId"] for j in first["history"]] + _listed(c, kw, maxResults=10, nextToken=token) == seeded
    paged = [j["executionId"] for p in c.get_paginator("list_data_source_sync_jobs").paginate(**kw, PaginationConfig={"PageSize": 4}) for j in p["history"]]
    assert paged == seeded


def test_bound_tokens_apply_to_every_listing(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, _ = source
    for n in range(3):
        c.create_application(displayName=f"more-{n}")
    token = c.list_applications(maxResults=2)["nextToken"]
    assert len(c.list_applications(maxResults=3, nextToken=token)["applications"]) == 2  # 4 applications, 2 left
    qb.ctl.set_behaviours(tokens_bound_to_request=True)
    token = c.list_applications(maxResults=2)["nextToken"]
    assert _refused(c, lambda: c.list_applications(maxResults=3, nextToken=token)) == "The nextToken is not valid"
    assert len(c.list_applications(maxResults=2, nextToken=token)["applications"]) == 2


def test_expired_token_is_refused(source: tuple[Harness, Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    qb, c, kw = source
    clock = FakeClock(monkeypatch, T0 * 1000)
    seeded = qb.ctl.seed_history(**_ids(kw), generate={"count": 4})
    token = c.list_data_source_sync_jobs(**kw, maxResults=2)["nextToken"]
    clock.ms += 3_600_000
    assert _listed(c, kw, maxResults=2, nextToken=token) == seeded[2:]  # default: tokens never expire

    qb.ctl.set_behaviours(token_ttl_seconds=60)
    token = c.list_data_source_sync_jobs(**kw, maxResults=2)["nextToken"]
    clock.ms += 60_000
    assert _listed(c, kw, maxResults=2, nextToken=token) == seeded[2:]  # exactly 60 s old: still valid
    clock.ms += 1
    assert _refused(c, lambda: c.list_data_source_sync_jobs(**kw, maxResults=2, nextToken=token)) == "The nextToken has expired"


# --- time filters ----------------------------------------------------------------------------------------------------


def _seed_window_jobs(qb: Harness, kw: dict[str, str]) -> dict[str, str]:
    """Jobs around WINDOW: named by what they test."""
    specs = {
        "at_start": {"status": "SUCCEEDED", "start_time": T0, "end_time": T0 + 60},
        "at_end": {"status": "SUCCEEDED", "start_time": T0 + 3600, "end_time": T0 + 3700},
        "inside": {"status": "FAILED", "start_time": T0 + 600, "end_time": T0 + 900},
        "ends_inside": {"status": "SUCCEEDED", "start_time": T0 - 600, "end_time": T0 + 300},
        "running": {"status": "SYNCING", "start_time": T0 + 1200},
        "before": {"status": "SUCCEEDED", "start_time": T0 - 7200, "end_time": T0 - 7000},
    }
    ids = qb.ctl.seed_history(**_ids(kw), jobs=list(specs.values()))
    return dict(zip(ids, specs, strict=True))


def _names(c: Any, kw: dict[str, str], names: dict[str, str], **params: Any) -> set[str]:
    return {names[i] for i in _listed(c, kw, **params)}


def test_time_filter_field(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    names = _seed_window_jobs(qb, kw)
    assert _names(c, kw, names, **WINDOW) == {"at_start", "at_end", "inside", "running"}
    qb.ctl.set_behaviours(time_filter_field="end_time")
    # Compared by end time: a job that ended in the window is in, the running one (no end time) and the one ending after are out.
    assert _names(c, kw, names, **WINDOW) == {"at_start", "inside", "ends_inside"}
    assert _names(c, kw, names, **WINDOW, statusFilter="SYNCING") == set()
    assert "running" in _names(c, kw, names)  # no time filter: every job


def test_time_filter_bounds(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    names = _seed_window_jobs(qb, kw)
    qb.ctl.set_behaviours(time_filter_bounds="exclusive")
    assert _names(c, kw, names, **WINDOW) == {"inside", "running"}
    assert _names(c, kw, names, **WINDOW, statusFilter="SUCCEEDED") == set()  # the status-filter path too
    assert _names(c, kw, names, startTime=T0 - 0.001, endTime=T0 + 3600.001) == {"at_start", "at_end", "inside", "running"}
    qb.ctl.set_behaviours(time_filter_field="end_time")
    assert _names(c, kw, names, startTime=T0 + 60, endTime=T0 + 900) == {"ends_inside"}  # ends at 60 and 900 are out


def test_time_filter_keeps_running(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    names = _seed_window_jobs(qb, kw)
    assert "running" in _names(c, kw, names, startTime=T0)
    qb.ctl.set_behaviours(time_filter_keeps_running=False)
    assert _names(c, kw, names, **WINDOW) == {"at_start", "at_end", "inside"}
    assert _names(c, kw, names, startTime=T0, statusFilter="SYNCING") == set()
    assert "running" in _names(c, kw, names) and _names(c, kw, names, statusFilter="SYNCING") == {"running"}


# --- listing delay, Start and Stop -----------------------------------------------------------------------------------


def test_listing_delay(source: tuple[Harness, Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    qb, c, kw = source
    clock = FakeClock(monkeypatch, T0 * 1000)
    earlier = qb.ctl.seed_history(**_ids(kw), jobs=[{"status": "SUCCEEDED", "start_time": T0 - 3600}])
    at_once = c.start_data_source_sync_job(**kw)["executionId"]
    assert _listed(c, kw) == [at_once] + earlier  # default: listed at once
    clock.ms += 10_000  # it has finished

    qb.ctl.set_behaviours(listing_delay_seconds=30)
    qb.ctl.set_next_sync(**_ids(kw), never_ends=True)
    started = c.start_data_source_sync_job(**kw)["executionId"]
    clock.ms += 29_999
    assert _listed(c, kw) == [at_once] + earlier
    assert _listed(c, kw, statusFilter="SYNCING") == []
    with pytest.raises(c.exceptions.ConflictException):  # not listed yet, but it exists: it runs and blocks a Start
        c.start_data_source_sync_job(**kw)
    clock.ms += 1
    assert _listed(c, kw) == [started, at_once] + earlier
    assert _listed(c, kw, statusFilter="SYNCING") == [started]


def test_stop_without_sync(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    seeded = qb.ctl.seed_history(**_ids(kw), jobs=[{"status": "SUCCEEDED", "start_time": T0}])
    with pytest.raises(c.exceptions.ConflictException):
        c.stop_data_source_sync_job(**kw)
    qb.ctl.set_behaviours(stop_without_sync="ok")
    answer = c.stop_data_source_sync_job(**kw)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [(j["executionId"], j["status"]) for j in c.list_data_source_sync_jobs(**kw)["history"]] == [(seeded[0], "SUCCEEDED")]
    # With a sync in progress Stop still stops it.
    running = c.start_data_source_sync_job(**kw)["executionId"]
    c.stop_data_source_sync_job(**kw)
    job = c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]
    assert (job["executionId"], job["status"]) == (running, "STOPPING")
    assert _operations(qb).count("StopDataSourceSyncJob") == 3


def test_start_while_running(source: tuple[Harness, Any, dict[str, str]]) -> None:
    qb, c, kw = source
    qb.ctl.set_next_sync(**_ids(kw), never_ends=True)
    running = c.start_data_source_sync_job(**kw)["executionId"]
    with pytest.raises(c.exceptions.ConflictException):
        c.start_data_source_sync_job(**kw)
    qb.ctl.set_behaviours(start_while_running="ok")
    qb.ctl.clear_requests()
    assert c.start_data_source_sync_job(**kw)["executionId"] == running
    assert _listed(c, kw) == [running]  # nothing new started
    assert [(e["operation"], e["status_code"]) for e in qb.ctl.requests()] == [("StartDataSourceSyncJob", 200), ("ListDataSourceSyncJobs", 200)]
    assert control.start_sync(**_ids(kw)) == {"execution_id": running}  # the control path is the same path
    c.stop_data_source_sync_job(**kw)
    assert c.start_data_source_sync_job(**kw)["executionId"] == running  # STOPPING is in progress too
    assert _listed(c, kw) == [running]


# --- statuses the API does not list ----------------------------------------------------------------------------------


def test_unknown_statuses(source: tuple[Harness, Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    qb, c, kw = source
    with pytest.raises(control.ControlError, match="'status' must be one of"):
        qb.ctl.seed_history(**_ids(kw), jobs=[{"status": "PAUSED", "start_time": T0}])
    for status in ("paused", "ABORTED "):
        with pytest.raises(control.ControlError, match="'status'"):
            qb.ctl.seed_history(**_ids(kw), jobs=[{"status": status, "start_time": T0, "allow_unknown_status": True}])
    seeded = qb.ctl.seed_history(**_ids(kw), jobs=[{"status": "PAUSED", "start_time": T0, "allow_unknown_status": True}])
    job = c.list_data_source_sync_jobs(**kw)["history"][0]
    assert (job["executionId"], job["status"], "endTime" in job) == (seeded[0], "PAUSED", False)
    with pytest.raises(control.ControlError, match="outcome"):
        qb.ctl.set_next_sync(**_ids(kw), outcome="PAUSED")
    with pytest.raises(control.ControlError, match="outcome"):  # a known status that is no outcome stays refused
        qb.ctl.set_next_sync(**_ids(kw), outcome="ABORTED", allow_unknown_status=True)
    clock = FakeClock(monkeypatch, (T0 + 60) * 1000)
    assert qb.ctl.set_next_sync(**_ids(kw), outcome="ON_HOLD", allow_unknown_status=True)["outcome"] == "ON_HOLD"
    started = c.start_data_source_sync_job(**kw)["executionId"]  # PAUSED is not in progress: no conflict
    assert c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]["status"] == "SYNCING"
    clock.ms += 10_000
    job = c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]
    assert (job["executionId"], job["status"], "endTime" in job) == (started, "ON_HOLD", True)


def test_switches_reach_requests_over_http(server: Harness) -> None:
    c = server.client(config=NO_RETRIES)
    kw = _kw(server.make_data_source(c))
    server.ctl.seed_history(**_ids(kw), generate={"count": 3})
    server.ctl.set_behaviours(tokens_bound_to_request=True, start_while_running="ok")
    token = c.list_data_source_sync_jobs(**kw, maxResults=2)["nextToken"]
    assert _refused(c, lambda: c.list_data_source_sync_jobs(**kw, maxResults=1, nextToken=token)) == "The nextToken is not valid"
    server.ctl.set_next_sync(**_ids(kw), never_ends=True)
    running = c.start_data_source_sync_job(**kw)["executionId"]
    assert c.start_data_source_sync_job(**kw)["executionId"] == running
    assert [(e["operation"], e["status_code"]) for e in server.ctl.requests()][-3:] == [
        ("ListDataSourceSyncJobs", 400),
        ("StartDataSourceSyncJob", 200),
        ("StartDataSourceSyncJob", 200),
    ]
