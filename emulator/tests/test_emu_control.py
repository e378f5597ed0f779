"""Request log, reset, scenarios, next-sync and the HTTP control routes."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from conftest import EMULATOR_DIR, Harness, HttpControl, http_error

from qbusiness_emulator import control

DEMO = EMULATOR_DIR / "scenarios" / "demo.json"


def test_request_log_records_operations_and_params(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="logged", description="x")["applicationId"]
    c.list_applications(maxResults=5)
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.get_application(applicationId="00000000-0000-4000-8000-000000000000")
    log = qb.ctl.requests()
    assert [(r["operation"], r["status_code"], r["fault"], r["region"]) for r in log] == [
        ("CreateApplication", 200, None, "us-east-1"),
        ("ListApplications", 200, None, "us-east-1"),
        ("GetApplication", 404, None, "us-east-1"),
    ]
    assert log[0]["params"].pop("clientToken")  # botocore fills the idempotency token in
    assert log[0]["params"] == {"displayName": "logged", "description": "x"}
    assert log[0]["method"] == "POST" and log[0]["path"] == "/applications" and log[0]["account_id"] == "123456789012"
    assert log[1]["params"] == {"maxResults": "5"}
    assert log[2]["params"] == {"applicationId": "00000000-0000-4000-8000-000000000000"}
    assert log[0]["time"] <= log[2]["time"]
    assert all(r["user_agent"].startswith("Boto3/") for r in log)
    qb.ctl.clear_requests()
    assert qb.ctl.requests() == []
    c.get_application(applicationId=app)
    assert [r["operation"] for r in qb.ctl.requests()] == ["GetApplication"]


def test_reset_clears_resources_faults_and_log(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="gone")["applicationId"]
    qb.ctl.set_faults(latency_ms=1)
    qb.ctl.reset()
    assert qb.ctl.requests() == []
    assert qb.ctl.get_faults()["latency_ms"] == 0
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.get_application(applicationId=app)


def test_control_calls_are_not_logged_or_faulted(server: Harness) -> None:
    ctl = server.ctl
    ctl.set_faults(throttle_rate=1.0, server_error_rate=1.0)
    assert ctl.call("GET", "health") == {"status": "ok"}
    ctl.load_scenario({"applications": [{"name": "a"}]})
    assert ctl.requests() == []


def test_load_scenario_fills_ids_and_seeds(qb: Harness) -> None:
    doc = json.loads(DEMO.read_text())
    loaded = qb.ctl.load_scenario(doc)
    assert loaded["region"] == "us-east-1" and loaded["account_id"] == "123456789012"
    app = loaded["applications"][0]
    index = app["indices"][0]
    sources = {ds["name"]: ds for ds in index["data_sources"]}
    assert (app["application_id"], index["index_id"]) == ("a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000001")
    assert len(sources["handbook-s3"]["execution_ids"]) == 12
    c = qb.client()
    kw = {"applicationId": app["application_id"], "indexId": index["index_id"]}
    listed = c.list_data_sources(**kw)["dataSources"]
    assert [(d["displayName"], d["type"]) for d in listed] == [("handbook-s3", "S3"), ("wiki-confluence", "CONFLUENCEV2"),
                                                               ("tickets-sharepoint", "SHAREPOINTV2")]
    handbook = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["handbook-s3"]["data_source_id"], maxResults=10)
    assert handbook["history"][0]["status"] == "SUCCEEDED" and "nextToken" in handbook
    wiki = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["wiki-confluence"]["data_source_id"])["history"]
    assert wiki[0]["status"] == "FAILED"
    assert wiki[0]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "Confluence credentials expired"}
    assert wiki[0]["dataSourceErrorCode"] == "AUTH_FAILED"
    assert [j["status"] for j in wiki[1:3]] == ["INCOMPLETE", "INCOMPLETE"] and all(int(j["metrics"]["documentsFailed"]) > 0 for j in wiki[1:3])
    tickets = sources["tickets-sharepoint"]["data_source_id"]
    assert [j["status"] for j in c.list_data_source_sync_jobs(**kw, dataSourceId=tickets)["history"]] == ["SUCCEEDED"] * 3
    c.start_data_source_sync_job(**kw, dataSourceId=tickets)
    assert c.list_data_source_sync_jobs(**kw, dataSourceId=tickets, maxResults=1)["history"][0]["status"] == "SYNCING"


def test_scenario_generated_ids_and_next_sync(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario({"region": "eu-west-1", "applications": [{"name": "gen", "indices": [{"name": "i", "data_sources": [
        {"name": "d", "history": [{"status": "FAILED", "start_time": "2025-01-01T00:00:00Z"}],
         "generate_history": {"count": 3, "status": ["FAILED", "SUCCEEDED"], "interval_seconds": 60, "newest_start_time": "2025-02-01T00:00:00Z"},
         "next_sync": {"outcome": "FAILED", "syncing_seconds": 0, "indexing_seconds": 0}}]}]}]})
    ds = loaded["applications"][0]["indices"][0]["data_sources"][0]
    assert len(ds["data_source_id"]) == 36 and len(ds["history"][0]["execution_id"]) == 36 and len(ds["execution_ids"]) == 4
    c = qb.client("eu-west-1")
    kw = {"applicationId": loaded["applications"][0]["application_id"], "indexId": loaded["applications"][0]["indices"][0]["index_id"],
          "dataSourceId": ds["data_source_id"]}
    history = c.list_data_source_sync_jobs(**kw)["history"]
    assert [j["status"] for j in history] == ["FAILED", "SUCCEEDED", "FAILED", "FAILED"]  # newest first; the list cycles from the newest
    assert history[0]["startTime"].isoformat().startswith("2025-02-01T00:00:00")
    c.start_data_source_sync_job(**kw)
    assert c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]["status"] == "FAILED"


@pytest.mark.parametrize("doc, fragment", [
    ({"applications": [{"name": "a", "bogus": 1}]}, "'bogus'"),
    ({"applications": [{"name": "has space"}]}, "name"),
    ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [{"name": "d", "history": [{"status": "DONE",
                                                                                                         "start_time": 0}]}]}]}]}, "status"),
    ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [{"name": "d", "next_sync": {"outcome": "ABORTED"}}]}]}]},
     "outcome"),
    ({"applications": [{"name": "a", "application_id": "short"}]}, "application_id"),
])
def test_bad_scenarios_are_refused_whole(qb: Harness, doc: dict[str, Any], fragment: str) -> None:
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.load_scenario(doc)
        status, body = http_error(exc.value)
        assert status == 400 and fragment in body["message"]
    else:
        with pytest.raises(control.ControlError, match=fragment):
            qb.ctl.load_scenario(doc)
    assert qb.client().list_applications()["applications"] == []


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
