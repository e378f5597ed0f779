# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The control API (control.py) in Python and over the HTTP routes: reset, next-sync, start-sync, errors."""

from __future__ import annotations

import inspect
import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from conftest import EMULATOR_DIR
from conftest import Harness
from conftest import HttpControl
from conftest import http_error
from qbe_shapes import assert_output
from qbusiness_emulator import control
from qbusiness_emulator.scenarios import DEFAULT_DATA_SOURCE_ERROR
from qbusiness_emulator.scenarios import DataSourceStatus

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
    history = c.list_data_source_sync_jobs(applicationId=key["application_id"], indexId=key["index_id"], dataSourceId=key["data_source_id"])["history"]
    assert [(job["executionId"], job["status"]) for job in history] == [(started["execution_id"], "SYNCING")]
    time.sleep(0.5)
    history = c.list_data_source_sync_jobs(applicationId=key["application_id"], indexId=key["index_id"], dataSourceId=key["data_source_id"])["history"]
    assert history[0]["status"] == "FAILED"


def _ds_kw(ids: dict[str, str]) -> dict[str, str]:
    return {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}


def _shown(c: Any, ids: dict[str, str]) -> dict[str, Any]:
    got = c.get_data_source(**_ds_kw(ids))
    assert_output("GetDataSource", got)
    listed = c.list_data_sources(applicationId=ids["application_id"], indexId=ids["index_id"])
    assert_output("ListDataSources", listed)
    summary = next(d for d in listed["dataSources"] if d["dataSourceId"] == ids["data_source_id"])
    assert (summary["status"], summary["updatedAt"], "error" in summary) == (got["status"], got["updatedAt"], False)
    return got


def test_set_data_source_status(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    created = _shown(c, ids)
    assert (created["status"], created["updatedAt"]) == ("ACTIVE", created["createdAt"])  # CreateDataSource: ACTIVE at once
    time.sleep(0.01)

    assert qb.ctl.set_data_source_status(**ids, status="FAILED") == {
        "status": "FAILED",
        "error": {"error_code": "InvalidRequest", "error_message": DEFAULT_DATA_SOURCE_ERROR["errorMessage"]},
        "creating_seconds": None,
    }
    failed = _shown(c, ids)
    assert (failed["status"], failed["error"]) == ("FAILED", DEFAULT_DATA_SOURCE_ERROR)
    assert failed["updatedAt"] > failed["createdAt"]  # the status changed

    time.sleep(0.01)
    qb.ctl.set_data_source_status(**ids, status="FAILED")  # the same status and error again: no change, updatedAt stays
    assert _shown(c, ids)["updatedAt"] == failed["updatedAt"]
    qb.ctl.set_data_source_status(**ids, status="FAILED", error={"error_code": "ResourceNotFound", "error_message": "No such site"})
    refailed = _shown(c, ids)
    assert refailed["error"] == {"errorCode": "ResourceNotFound", "errorMessage": "No such site"}
    assert refailed["updatedAt"] > failed["updatedAt"]  # another error is a change

    # Start is not refused (AWS does not document the answer for a data source that is not ACTIVE): it starts
    started = c.start_data_source_sync_job(**_ds_kw(ids))["executionId"]
    assert c.list_data_source_sync_jobs(**_ds_kw(ids))["history"][0]["executionId"] == started

    for status in ("UPDATING", "DELETING", "PENDING_CREATION", "ACTIVE"):
        assert qb.ctl.set_data_source_status(**ids, status=status)["status"] == status
        shown = _shown(c, ids)
        assert (shown["status"], "error" in shown) == (status, False)
    assert {r["operation"] for r in qb.ctl.requests()} <= {
        "CreateApplication",
        "CreateIndex",
        "CreateDataSource",
        "GetDataSource",
        "ListDataSources",
        "StartDataSourceSyncJob",
        "ListDataSourceSyncJobs",
    }


def test_set_data_source_status_creating_then_active(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    c.get_data_source(**_ds_kw(ids))  # warm
    assert qb.ctl.set_data_source_status(**ids, status="CREATING", creating_seconds=1.5)["creating_seconds"] == 1.5
    creating = _shown(c, ids)
    assert (creating["status"], "error" in creating) == ("CREATING", False)
    assert creating["updatedAt"] > creating["createdAt"]  # when it was set CREATING
    deadline = time.monotonic() + 10
    while (active := c.get_data_source(**_ds_kw(ids)))["status"] == "CREATING" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert active["status"] == "ACTIVE"
    assert (active["updatedAt"] - creating["updatedAt"]).total_seconds() == pytest.approx(1.5, abs=0.002)
    assert _shown(c, ids)["updatedAt"] == active["updatedAt"]
    # without creating_seconds: 30 s
    assert qb.ctl.set_data_source_status(**ids, status="CREATING")["creating_seconds"] == 30.0
    assert _shown(c, ids)["status"] == "CREATING"


def test_set_data_source_status_signature_and_export() -> None:
    assert "set_data_source_status" in control.__all__
    params = list(inspect.signature(control.set_data_source_status).parameters)
    assert params == ["application_id", "index_id", "data_source_id", *DataSourceStatus.keys(), "region", "account_id"]
    assert inspect.signature(control.set_data_source_status).parameters["status"].default is inspect.Parameter.empty


@pytest.mark.parametrize(
    "keys, status, fragment",
    [
        ({"status": "BROKEN"}, 400, "'status' must be one of"),
        ({"status": "ACTIVE", "error": {"error_code": "InvalidRequest"}}, 400, "'error' is only for status FAILED"),
        ({"status": "FAILED", "error": {"error_code": "Nope"}}, 400, "error_code 'Nope'"),
        ({"status": "FAILED", "creating_seconds": 3}, 400, "'creating_seconds' is only for status CREATING"),
        ({"status": "CREATING", "creating_seconds": -1}, 400, "'creating_seconds' must be a number > 0"),
        ({"status": "ACTIVE", "data_source_id": "00000000-0000-4000-8000-000000000000"}, 404, "not found"),
        ({"status": "ACTIVE", "region": "xx-nowhere-1"}, 400, "region"),
    ],
)
def test_set_data_source_status_refuses(qb: Harness, keys: dict[str, Any], status: int, fragment: str) -> None:
    ids = qb.make_data_source()
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.set_data_source_status(**{**ids, **keys})
        got_status, body = http_error(exc.value)
        assert (got_status, fragment in body["message"]) == (status, True), body
    else:
        with pytest.raises(control.ControlError) as err:
            qb.ctl.set_data_source_status(**{**ids, **keys})
        assert (err.value.status, fragment in str(err.value)) == (status, True), str(err.value)
    assert _shown(qb.client(), ids)["status"] == "ACTIVE"  # nothing changed


def test_data_source_status_route_errors(server: Harness) -> None:
    ctl: HttpControl = server.ctl
    ids = server.make_data_source()
    for payload, fragment in (
        ({**ids}, "missing key 'status'"),
        ({**ids, "status": "ACTIVE", "colour": "red"}, "unknown key 'colour'"),
        ({"application_id": ids["application_id"], "index_id": ids["index_id"], "status": "ACTIVE"}, "missing key 'data_source_id'"),
    ):
        with pytest.raises(urllib.error.HTTPError) as exc:
            ctl.call("POST", "data-source-status", payload)
        got_status, body = http_error(exc.value)
        assert (got_status, body["message"].startswith(f"data-source-status: {fragment}")) == (400, True), body
    with pytest.raises(urllib.error.HTTPError) as exc:
        ctl.call("GET", "data-source-status")
    assert http_error(exc.value)[0] == 405
    answer = ctl.call(
        "POST",
        "data-source-status",
        {**ids, "status": "FAILED", "error": {"error_message": "Expired token"}, "region": "us-east-1", "account_id": "123456789012"},
    )
    expired = {"error_code": "InvalidRequest", "error_message": "Expired token"}
    assert answer == {"data_source_status": {"status": "FAILED", "error": expired, "creating_seconds": None}}
    assert [r["operation"] for r in ctl.requests()] == ["CreateApplication", "CreateIndex", "CreateDataSource"]  # control: not logged


def _documents(c: Any, ids: dict[str, str]) -> list[dict[str, Any]]:
    answer = c.list_documents(applicationId=ids["application_id"], indexId=ids["index_id"], dataSourceIds=[ids["data_source_id"]])
    assert_output("ListDocuments", answer)
    return answer["documentDetailList"]


def test_seed_documents(qb: Harness) -> None:
    ids = qb.make_data_source(name="intranet")
    c = qb.client()
    assert _documents(c, ids) == []
    added = qb.ctl.seed_documents(**ids, documents=[{"status": "INDEXED", "document_id": "s3://intranet/a.pdf"}], generate={"count": 3, "failed": 1})
    assert added == [
        "s3://intranet/a.pdf",
        "s3://intranet/documents/doc-0001.pdf",
        "s3://intranet/documents/doc-0002.docx",
        "s3://intranet/documents/doc-0003.html",
    ]
    docs = _documents(c, ids)
    assert [(d["documentId"], d["status"]) for d in docs] == [(added[0], "INDEXED"), (added[1], "INDEXED"), (added[2], "FAILED"), (added[3], "INDEXED")]
    assert docs[2]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "The document exceeds the 50 MB size limit."}
    more = qb.ctl.seed_documents(**ids, generate={"count": 1})
    assert more == ["s3://intranet/documents/doc-0004.txt"] and len(_documents(c, ids)) == 5
    replaced = qb.ctl.seed_documents(**ids, documents=[{"status": "DELETED", "updated_at": "now"}], replace=True)
    assert replaced == ["s3://intranet/documents/doc-0001.pdf"]
    assert [(d["documentId"], d["status"]) for d in _documents(c, ids)] == [(replaced[0], "DELETED")]
    assert qb.ctl.seed_documents(**ids) == [] and len(_documents(c, ids)) == 1
    assert {r["operation"] for r in qb.ctl.requests()} == {"CreateApplication", "CreateIndex", "CreateDataSource", "ListDocuments"}


@pytest.mark.parametrize(
    "keys, status, fragment",
    [
        ({"documents": [{"status": "INDEXED", "document_id": "dup"}, {"status": "INDEXED", "document_id": "dup"}]}, 400, "appears twice"),
        ({"documents": [{"status": "INDEXED", "document_id": "seeded.pdf"}]}, 400, "'seeded.pdf' is already used"),
        ({"documents": [{"status": "GONE"}]}, 400, "'status'"),
        ({"generate": {"count": -1}}, 400, "'count'"),
        ({"documents": {"status": "INDEXED"}}, 400, "must be a list"),
        ({"replace": "yes"}, 400, "'replace' must be true or false"),
        ({"data_source_id": "00000000-0000-4000-8000-000000000000"}, 404, "not found"),
        ({"region": "xx-nowhere-1"}, 400, "region"),
    ],
)
def test_seed_documents_refuses(qb: Harness, keys: dict[str, Any], status: int, fragment: str) -> None:
    ids = qb.make_data_source()
    qb.ctl.seed_documents(**ids, documents=[{"status": "INDEXED", "document_id": "seeded.pdf"}])
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.seed_documents(**{**ids, **keys})
        got_status, body = http_error(exc.value)
        assert (got_status, fragment in body["message"]) == (status, True), body
    else:
        with pytest.raises(control.ControlError) as err:
            qb.ctl.seed_documents(**{**ids, **keys})
        assert (err.value.status, fragment in str(err.value)) == (status, True), str(err.value)
    assert [d["documentId"] for d in _documents(qb.client(), ids)] == ["seeded.pdf"]  # nothing changed


def test_seed_documents_signature_export_and_route(server: Harness) -> None:
    assert "seed_documents" in control.__all__
    assert list(inspect.signature(control.seed_documents).parameters) == [
        "application_id",
        "index_id",
        "data_source_id",
        "documents",
        "generate",
        "replace",
        "region",
        "account_id",
    ]
    ctl: HttpControl = server.ctl
    ids = server.make_data_source()
    for payload, fragment in (
        ({"application_id": ids["application_id"], "index_id": ids["index_id"]}, "missing key 'data_source_id'"),
        ({**ids, "docs": []}, "unknown key 'docs'"),
    ):
        with pytest.raises(urllib.error.HTTPError) as exc:
            ctl.call("POST", "documents", payload)
        got_status, body = http_error(exc.value)
        assert (got_status, body["message"].startswith(f"documents: {fragment}")) == (400, True), body
    with pytest.raises(urllib.error.HTTPError) as exc:
        ctl.call("GET", "documents")
    assert http_error(exc.value)[0] == 405
    answer = ctl.call("POST", "documents", {**ids, "generate": {"count": 2}, "region": "us-east-1", "account_id": "123456789012"})
    assert answer == {"document_ids": ["s3://ds/documents/doc-0001.pdf", "s3://ds/documents/doc-0002.docx"]}
    assert [r["operation"] for r in ctl.requests()] == ["CreateApplication", "CreateIndex", "CreateDataSource"]  # control: not logged


def test_set_next_sync_document_keys(inprocess: Harness) -> None:
    params = list(inspect.signature(control.set_next_sync).parameters)
    assert params[-4:] == ["document_errors", "document_failed_status", "region", "account_id"]
    key = inprocess.make_data_source()
    plain = control.set_next_sync(**key)
    assert (plain["document_errors"], plain["document_failed_status"]) == (None, None)
    chosen = control.set_next_sync(
        **key, document_errors=[{"error_code": "InternalError", "error_message": "OCR failed"}], document_failed_status=["DOCUMENT_FAILED_TO_INDEX"]
    )
    assert chosen["document_errors"] == [{"error_code": "InternalError", "error_message": "OCR failed"}]
    assert chosen["document_failed_status"] == ["DOCUMENT_FAILED_TO_INDEX"]
    assert control.set_next_sync(**key, document_failed_status="FAILED")["document_failed_status"] == ["FAILED"]
