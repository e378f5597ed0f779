"""The control API (control.py) in Python and over the HTTP routes: reset, next-sync, start-sync, errors."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from conftest import EMULATOR_DIR, Harness, HttpControl, http_error
from qbusiness_emulator import control

DEMO = EMULATOR_DIR / "scenarios" / "demo.json"


def test_reset_clears_resources_faults_behaviours_and_log(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="gone")["applicationId"]
    qb.ctl.set_faults(latency_ms=1)
    qb.ctl.set_behaviours(tokens_bound_to_request=True)
    qb.ctl.reset()
    assert qb.ctl.requests() == []
    assert qb.ctl.get_faults()["latency_ms"] == 0
    assert qb.ctl.get_behaviours()["tokens_bound_to_request"] is False
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.get_application(applicationId=app)


def test_control_calls_are_not_logged_or_faulted(server: Harness) -> None:
    ctl = server.ctl
    ctl.set_faults(throttle_rate=1.0, server_error_rate=1.0)
    assert ctl.call("GET", "health") == {"status": "ok"}
    ctl.load_scenario({"applications": [{"name": "a"}]})
    assert ctl.requests() == []


def test_set_next_sync_returns_spec_and_validates(qb: Harness) -> None:
    ids = qb.make_data_source()
    spec = qb.ctl.set_next_sync(**ids, outcome="INCOMPLETE", metrics={"documents_failed": 3})
    assert spec["outcome"] == "INCOMPLETE" and spec["metrics"]["documents_failed"] == 3 and spec["metrics"]["documents_added"] == 0
    bad = {"outcome": "SUCCEEDED", "error": {"error_code": "Nope"}}
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.set_next_sync(**ids, **bad)
        assert http_error(exc.value)[0] == 400
    else:
        with pytest.raises(control.ControlError, match="error_code"):
            qb.ctl.set_next_sync(**ids, **bad)


def test_http_control_errors(server: Harness) -> None:
    ctl: HttpControl = server.ctl
    ids = server.make_data_source()
    cases = [
        ("POST", "faults", {"throttle_rate": 0.5, "bogus": 1}, 400, "'bogus'"),
        ("POST", "faults", {"throttle_rate": 2}, 400, "throttle_rate"),
        ("POST", "history", {"application_id": ids["application_id"], "index_id": ids["index_id"]}, 400, "'data_source_id'"),
        ("POST", "history", {**ids, "jobs": [{"status": "SUCCEEDED"}]}, 400, "start_time"),
        ("POST", "history", {**ids, "data_source_id": "00000000-0000-4000-8000-000000000000", "jobs": []}, 404, "not found"),
        ("POST", "next-sync", {**ids, "outcome": "SUCCEEDED", "extra": True}, 400, "'extra'"),
        ("POST", "history", {**ids, "generate": {"count": 1}, "region": "xx-nowhere-1"}, 400, "region"),
        ("POST", "behaviours", {"tokens_bound_to_request": 1}, 400, "tokens_bound_to_request"),
        ("POST", "behaviours", {"time_filter": "end_time"}, 400, "'time_filter'"),
        ("PUT", "behaviours", {}, 405, "not allowed"),
        ("GET", "reset", None, 405, "not allowed"),
        ("GET", "nothing-here", None, 404, "no control route"),
    ]
    for method, route, payload, status, fragment in cases:
        with pytest.raises(urllib.error.HTTPError) as exc:
            ctl.call(method, route, payload)
        got_status, body = http_error(exc.value)
        assert (got_status, fragment in body["message"]) == (status, True), (route, payload, body)
    request = urllib.request.Request(ctl.base + "faults", data=b"{not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request)
    assert http_error(exc.value)[0] == 400
    loaded = ctl.load_scenario(json.loads(DEMO.read_text()))
    with pytest.raises(urllib.error.HTTPError) as exc:
        ctl.load_scenario(json.loads(DEMO.read_text()))  # same fixed ids again
    assert http_error(exc.value)[0] == 409
    assert loaded["applications"][0]["application_id"] == "a0000000-0000-4000-8000-000000000001"
    assert ctl.seed_history(**ids, generate={"count": 2}, replace=True, region="us-east-1") and ctl.requests() != []


def test_start_sync_runs_the_next_sync_plan_and_conflicts_while_running(qb: Harness) -> None:
    ids = qb.ctl.load_scenario({"applications": [{"name": "s", "indices": [{"name": "i", "data_sources": [{"name": "d"}]}]}]})
    app = ids["applications"][0]
    index = app["indices"][0]
    ds = index["data_sources"][0]
    key = dict(application_id=app["application_id"], index_id=index["index_id"], data_source_id=ds["data_source_id"])
    qb.ctl.set_next_sync(**key, outcome="FAILED", syncing_seconds=0.2, indexing_seconds=0.1)
    c = qb.client()
    c.list_applications()  # warm: a worker's first client and call can outlast the 0.2 s SYNCING window under load
    qb.ctl.clear_requests()
    started = qb.ctl.start_sync(**key)
    with pytest.raises((control.ControlError, urllib.error.HTTPError)) as err:
        qb.ctl.start_sync(**key)
    assert getattr(err.value, "status", None) == 409 or getattr(err.value, "code", None) == 409
    assert qb.ctl.requests() == []  # scenario control, not an API request
    history = c.list_data_source_sync_jobs(applicationId=key["application_id"], indexId=key["index_id"],
                                           dataSourceId=key["data_source_id"])["history"]
    assert [(job["executionId"], job["status"]) for job in history] == [(started["execution_id"], "SYNCING")]
    time.sleep(0.5)
    history = c.list_data_source_sync_jobs(applicationId=key["application_id"], indexId=key["index_id"],
                                           dataSourceId=key["data_source_id"])["history"]
    assert history[0]["status"] == "FAILED"
