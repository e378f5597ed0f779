# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios (scenarios.py): ids filled in, histories seeded and generated, next-sync choices, bad documents refused whole."""

from __future__ import annotations

import copy
import json
import time
import urllib.error
from typing import Any

import pytest

from conftest import EMULATOR_DIR
from conftest import Harness
from conftest import http_error
from qbe_shapes import assert_output
from qbusiness_emulator import control
from qbusiness_emulator.models import ServiceState
from qbusiness_emulator.scenarios import DEFAULT_DATA_SOURCE_ERROR
from qbusiness_emulator.scenarios import build_scenario
from qbusiness_emulator.scenarios import check_scenario

DEMO = EMULATOR_DIR / "scenarios" / "demo.json"


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
    assert [(d["displayName"], d["type"]) for d in listed] == [
        ("handbook-s3", "S3"),
        ("wiki-confluence", "CONFLUENCEV2"),
        ("tickets-sharepoint", "SHAREPOINTV2"),
    ]
    handbook = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["handbook-s3"]["data_source_id"], maxResults=10)
    assert handbook["history"][0]["status"] == "SUCCEEDED" and "nextToken" in handbook
    wiki = c.list_data_source_sync_jobs(**kw, dataSourceId=sources["wiki-confluence"]["data_source_id"])["history"]
    assert wiki[0]["status"] == "FAILED"
    assert wiki[0]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "Confluence credentials expired"}
    assert wiki[0]["dataSourceErrorCode"] == "AUTH_FAILED"
    assert [j["status"] for j in wiki[1:3]] == ["INCOMPLETE", "INCOMPLETE"] and all(int(j["metrics"]["documentsFailed"]) > 0 for j in wiki[1:3])
    for name, schedule in (("handbook-s3", "cron(0 * * * ? *)"), ("wiki-confluence", "cron(0 2 * * ? *)"), ("tickets-sharepoint", "cron(0 3 * * ? *)")):
        got = c.get_data_source(**kw, dataSourceId=sources[name]["data_source_id"])
        assert_output("GetDataSource", got)
        assert (got["status"], got["syncSchedule"], "error" in got) == ("ACTIVE", schedule, False)
    assert {d["status"] for d in listed} == {"ACTIVE"}
    tickets = sources["tickets-sharepoint"]["data_source_id"]
    assert [j["status"] for j in c.list_data_source_sync_jobs(**kw, dataSourceId=tickets)["history"]] == ["SUCCEEDED"] * 3
    c.start_data_source_sync_job(**kw, dataSourceId=tickets)
    assert c.list_data_source_sync_jobs(**kw, dataSourceId=tickets, maxResults=1)["history"][0]["status"] == "SYNCING"


def test_scenario_generated_ids_and_next_sync(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario(
        {
            "region": "eu-west-1",
            "applications": [
                {
                    "name": "gen",
                    "indices": [
                        {
                            "name": "i",
                            "data_sources": [
                                {
                                    "name": "d",
                                    "history": [{"status": "FAILED", "start_time": "2025-01-01T00:00:00Z"}],
                                    "generate_history": {
                                        "count": 3,
                                        "status": ["FAILED", "SUCCEEDED"],
                                        "interval_seconds": 60,
                                        "newest_start_time": "2025-02-01T00:00:00Z",
                                    },
                                    "next_sync": {"outcome": "FAILED", "syncing_seconds": 0, "indexing_seconds": 0},
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    ds = loaded["applications"][0]["indices"][0]["data_sources"][0]
    assert len(ds["data_source_id"]) == 36 and len(ds["history"][0]["execution_id"]) == 36 and len(ds["execution_ids"]) == 4
    c = qb.client("eu-west-1")
    kw = {
        "applicationId": loaded["applications"][0]["application_id"],
        "indexId": loaded["applications"][0]["indices"][0]["index_id"],
        "dataSourceId": ds["data_source_id"],
    }
    history = c.list_data_source_sync_jobs(**kw)["history"]
    assert [j["status"] for j in history] == ["FAILED", "SUCCEEDED", "FAILED", "FAILED"]  # newest first; the list cycles from the newest
    assert history[0]["startTime"].isoformat().startswith("2025-02-01T00:00:00")
    c.start_data_source_sync_job(**kw)
    assert c.list_data_source_sync_jobs(**kw, maxResults=1)["history"][0]["status"] == "FAILED"


def test_scenario_history_with_an_unknown_status(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario(
        {
            "applications": [
                {
                    "name": "u",
                    "indices": [
                        {
                            "name": "i",
                            "data_sources": [
                                {"name": "d", "history": [{"status": "PAUSED", "start_time": "2025-01-01T00:00:00Z", "allow_unknown_status": True}]}
                            ],
                        }
                    ],
                }
            ]
        }
    )
    app = loaded["applications"][0]
    kw = {
        "applicationId": app["application_id"],
        "indexId": app["indices"][0]["index_id"],
        "dataSourceId": app["indices"][0]["data_sources"][0]["data_source_id"],
    }
    assert [j["status"] for j in qb.client().list_data_source_sync_jobs(**kw)["history"]] == ["PAUSED"]


def _one_index(*sources: dict[str, Any]) -> dict[str, Any]:
    return {"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": list(sources)}]}]}


def test_scenario_data_source_status_error_and_schedule(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario(
        _one_index(
            {"name": "broken", "status": "FAILED"},
            {"name": "denied", "status": "FAILED", "error": {"error_code": "ResourceInactive", "error_message": "The bucket is gone"}},
            {"name": "half", "status": "FAILED", "error": {"error_message": "Token expired"}},
            {"name": "busy", "status": "UPDATING", "sync_schedule": ""},
            {"name": "going", "status": "DELETING"},
            {"name": "queued", "status": "PENDING_CREATION"},
            {"name": "fine", "status": "ACTIVE", "sync_schedule": "cron(0 12 * * ? *)"},
            {"name": "plain"},
        )
    )
    app = loaded["applications"][0]
    kw = {"applicationId": app["application_id"], "indexId": app["indices"][0]["index_id"]}
    ids = {ds["name"]: ds["data_source_id"] for ds in app["indices"][0]["data_sources"]}
    c = qb.client()
    got = {}
    for name, ds_id in ids.items():
        got[name] = c.get_data_source(**kw, dataSourceId=ds_id)
        assert_output("GetDataSource", got[name])
        assert got[name]["updatedAt"] == got[name]["createdAt"]  # loaded so: no change since
    assert {name: g["status"] for name, g in got.items()} == {
        "broken": "FAILED",
        "denied": "FAILED",
        "half": "FAILED",
        "busy": "UPDATING",
        "going": "DELETING",
        "queued": "PENDING_CREATION",
        "fine": "ACTIVE",
        "plain": "ACTIVE",
    }
    assert got["broken"]["error"] == DEFAULT_DATA_SOURCE_ERROR
    assert got["broken"]["error"]["errorCode"] == "InvalidRequest" and "credentials" in got["broken"]["error"]["errorMessage"]
    assert got["denied"]["error"] == {"errorCode": "ResourceInactive", "errorMessage": "The bucket is gone"}
    assert got["half"]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "Token expired"}
    assert [name for name, g in got.items() if "error" in g] == ["broken", "denied", "half"]
    assert (got["fine"]["syncSchedule"], got["busy"]["syncSchedule"], "syncSchedule" in got["plain"]) == ("cron(0 12 * * ? *)", "", False)
    listed = c.list_data_sources(**kw)
    assert_output("ListDataSources", listed)
    assert [(d["displayName"], d["status"]) for d in listed["dataSources"]] == [(name, got[name]["status"]) for name in ids]
    assert all("error" not in d for d in listed["dataSources"])
    # Start is not refused for a data source that is not ACTIVE (AWS does not document it): it starts
    started = c.start_data_source_sync_job(**kw, dataSourceId=ids["broken"])
    assert c.list_data_source_sync_jobs(**kw, dataSourceId=ids["broken"])["history"][0]["executionId"] == started["executionId"]


def test_scenario_creating_turns_active_on_the_clock(qb: Harness) -> None:
    c = qb.client()
    c.list_applications()  # warm: the first call of a worker can be slow
    loaded = qb.ctl.load_scenario(_one_index({"name": "new", "status": "CREATING", "creating_seconds": 1.5}))
    app = loaded["applications"][0]
    kw = {
        "applicationId": app["application_id"],
        "indexId": app["indices"][0]["index_id"],
        "dataSourceId": app["indices"][0]["data_sources"][0]["data_source_id"],
    }
    first = c.get_data_source(**kw)
    assert_output("GetDataSource", first)
    assert (first["status"], first["updatedAt"], "error" in first) == ("CREATING", first["createdAt"], False)
    assert c.list_data_sources(applicationId=kw["applicationId"], indexId=kw["indexId"])["dataSources"][0]["status"] == "CREATING"
    deadline = time.monotonic() + 10
    while (later := c.get_data_source(**kw))["status"] == "CREATING" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert later["status"] == "ACTIVE"
    assert (later["updatedAt"] - later["createdAt"]).total_seconds() == pytest.approx(1.5, abs=0.002)  # when it turned ACTIVE
    summary = c.list_data_sources(applicationId=kw["applicationId"], indexId=kw["indexId"])["dataSources"][0]
    assert (summary["status"], summary["updatedAt"]) == ("ACTIVE", later["updatedAt"])


def test_scenario_creating_defaults_to_30_seconds() -> None:
    doc = _one_index({"name": "new", "status": "CREATING"})
    check_scenario(doc)
    state = ServiceState("us-east-1", "123456789012")
    loaded = build_scenario(state, doc)
    app = loaded["applications"][0]
    ds = state.data_source(app["application_id"], app["indices"][0]["index_id"], app["indices"][0]["data_sources"][0]["data_source_id"])
    created = ds.created_ms
    assert (ds.status_at(created + 29_999).status, ds.status_at(created + 29_999).updated_ms) == ("CREATING", created)
    assert (ds.status_at(created + 30_000).status, ds.status_at(created + 30_000).updated_ms) == ("ACTIVE", created + 30_000)
    assert ds.status.to_spec() == {"status": "CREATING", "error": None, "creating_seconds": 30.0}


def test_scenario_names_may_repeat(qb: Harness) -> None:
    """Two applications, indices or data sources with one name are loaded as two, each with its own id."""
    twin_index = {"name": "main", "data_sources": [{"name": "docs"}, {"name": "docs", "type": "WEB"}]}
    loaded = qb.ctl.load_scenario({"applications": [{"name": "twin", "indices": [twin_index, {"name": "main"}]}, {"name": "twin"}]})
    apps = loaded["applications"]
    c = qb.client()
    assert [(a["applicationId"], a["displayName"]) for a in c.list_applications()["applications"]] == [(a["application_id"], "twin") for a in apps]
    indices = apps[0]["indices"]
    assert [(i["indexId"], i["displayName"]) for i in c.list_indices(applicationId=apps[0]["application_id"])["indices"]] == [
        (i["index_id"], "main") for i in indices
    ]
    sources = indices[0]["data_sources"]
    listed = c.list_data_sources(applicationId=apps[0]["application_id"], indexId=indices[0]["index_id"])["dataSources"]
    assert [(d["dataSourceId"], d["displayName"], d["type"]) for d in listed] == [
        (sources[0]["data_source_id"], "docs", "S3"),
        (sources[1]["data_source_id"], "docs", "WEB"),
    ]
    assert (
        len(
            {
                apps[0]["application_id"],
                apps[1]["application_id"],
                indices[0]["index_id"],
                indices[1]["index_id"],
                sources[0]["data_source_id"],
                sources[1]["data_source_id"],
            }
        )
        == 6
    )


_DS0 = "applications[0].indices[0].data_sources[0]"


@pytest.mark.parametrize(
    "doc, fragment",
    [
        (_one_index({"name": "d", "status": "BROKEN"}), f"{_DS0}: 'status' must be one of"),
        (_one_index({"name": "d", "status": "failed"}), f"{_DS0}: 'status'"),
        (_one_index({"name": "d", "status": None}), f"{_DS0}: 'status'"),
        (_one_index({"name": "d", "error": {"error_code": "InvalidRequest"}}), f"{_DS0}: 'error' is only for status FAILED"),
        (_one_index({"name": "d", "status": "FAILED", "error": {"error_code": "Oops"}}), f"{_DS0}: error_code 'Oops'"),
        (_one_index({"name": "d", "status": "FAILED", "error": {"code": "InternalError"}}), f"{_DS0}: unknown error key 'code'"),
        (_one_index({"name": "d", "status": "FAILED", "error": "bad"}), f"{_DS0}: 'error' must be an object"),
        (_one_index({"name": "d", "status": "FAILED", "error": {"error_message": ""}}), f"{_DS0}: error_message"),
        (_one_index({"name": "d", "creating_seconds": 5}), f"{_DS0}: 'creating_seconds' is only for status CREATING"),
        (_one_index({"name": "d", "status": "CREATING", "creating_seconds": 0}), f"{_DS0}: 'creating_seconds' must be a number > 0"),
        (_one_index({"name": "d", "status": "CREATING", "creating_seconds": "soon"}), f"{_DS0}: 'creating_seconds'"),
        (_one_index({"name": "d", "status": "CREATING", "creating_seconds": True}), f"{_DS0}: 'creating_seconds'"),
        (_one_index({"name": "d", "sync_schedule": 3600}), f"{_DS0}: 'sync_schedule' must be a string"),
        (_one_index({"name": "d", "sync_schedule": "x" * 999}), f"{_DS0}: 'sync_schedule'"),
        (
            _one_index({"name": "ok"}, {"name": "d", "status": "ACTIVE", "sync_schedule": ["cron"]}),
            "applications[0].indices[0].data_sources[1]: 'sync_schedule'",
        ),
        (_one_index({"name": "d", "state": "ACTIVE"}), f"{_DS0}: unknown key 'state'"),
    ],
)
def test_bad_data_source_status_keys_are_refused_whole(qb: Harness, doc: dict[str, Any], fragment: str) -> None:
    doc = copy.deepcopy(doc)  # the parameters are shared by both modes
    doc["applications"].insert(0, {"name": "would-be-created"})  # checked before anything is created
    fragment = fragment.replace("applications[0]", "applications[1]")
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.load_scenario(doc)
        status, body = http_error(exc.value)
        assert status == 400 and fragment in body["message"], body
    else:
        with pytest.raises(control.ControlError) as err:
            qb.ctl.load_scenario(doc)
        assert fragment in str(err.value)
    assert qb.client().list_applications()["applications"] == []


@pytest.mark.parametrize(
    "doc, fragment",
    [
        ({"applications": [{"name": "a", "bogus": 1}]}, "'bogus'"),
        ({"applications": [{"name": "has space"}]}, "name"),
        (
            {"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [{"name": "d", "history": [{"status": "DONE", "start_time": 0}]}]}]}]},
            "status",
        ),
        ({"applications": [{"name": "a", "indices": [{"name": "i", "data_sources": [{"name": "d", "next_sync": {"outcome": "ABORTED"}}]}]}]}, "outcome"),
        ({"applications": [{"name": "a", "application_id": "short"}]}, "application_id"),
        (
            {
                "applications": [
                    {
                        "name": "a",
                        "indices": [
                            {"name": "i", "data_sources": [{"name": "d", "history": [{"status": "PAUSED", "start_time": 0, "allow_unknown_status": "yes"}]}]}
                        ],
                    }
                ]
            },
            "allow_unknown_status",
        ),
        ({"behaviours": {"listing_delay_seconds": "soon"}, "applications": [{"name": "a"}]}, "listing_delay_seconds"),
        ({"behaviours": {"unknown_switch": 1}, "applications": [{"name": "a"}]}, "'unknown_switch'"),
    ],
)
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


def test_scenario_documents_and_generated_documents(qb: Harness) -> None:
    loaded = qb.ctl.load_scenario(
        _one_index(
            {
                "name": "handbook",
                "documents": [
                    {
                        "document_id": "s3://hr-handbook/leave-policy.pdf",
                        "status": "INDEXED",
                        "created_at": "2025-01-01T00:00:00Z",
                        "updated_at": "2025-02-01T00:00:00Z",
                    },
                    {
                        "status": "FAILED",
                        "error": {"error_code": "ResourceInactive", "error_message": "The bucket is gone"},
                        "created_at": "2025-01-02T00:00:00Z",
                    },
                    {"status": "DOCUMENT_FAILED_TO_INDEX", "created_at": "2025-01-03T00:00:00Z"},
                    {"status": "PROCESSING", "created_at": "2025-01-04T00:00:00Z"},
                ],
                "generate_documents": {
                    "count": 10,
                    "failed": 4,
                    "status": ["INDEXED", "UPDATED"],
                    "failed_status": "FAILED",
                    "errors": [{"error_code": "InvalidRequest", "error_message": "Too big"}],
                    "created_at": "2025-03-01T00:00:00Z",
                    "updated_at": "2025-03-02T00:00:00Z",
                },
            }
        )
    )
    app = loaded["applications"][0]
    ds = app["indices"][0]["data_sources"][0]
    assert ds["documents"][0]["document_id"] == "s3://hr-handbook/leave-policy.pdf"
    assert ds["documents"][1]["document_id"] == "s3://handbook/documents/doc-0001.pdf"  # filled in
    assert ds["document_ids"][:4] == [d["document_id"] for d in ds["documents"]] and len(ds["document_ids"]) == 14
    c = qb.client()
    answer = c.list_documents(applicationId=app["application_id"], indexId=app["indices"][0]["index_id"])
    assert_output("ListDocuments", answer)
    docs = answer["documentDetailList"]
    assert [d["documentId"] for d in docs] == ds["document_ids"]
    first, gone, unindexed, busy = docs[:4]
    assert (first["createdAt"].isoformat(), first["updatedAt"].isoformat()) == ("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00")
    assert "error" not in first and busy["status"] == "PROCESSING"
    assert gone["error"] == {"errorCode": "ResourceInactive", "errorMessage": "The bucket is gone"}
    assert gone["updatedAt"] == gone["createdAt"]  # updated_at defaults to created_at
    assert unindexed["error"]["errorCode"] == "InternalError"  # the default errors cycle over the failed specs: the second one
    generated = docs[4:]
    assert [d["status"] for d in generated] == ["INDEXED", "FAILED", "UPDATED", "FAILED", "INDEXED", "UPDATED", "FAILED", "INDEXED", "FAILED", "UPDATED"]
    assert all(d.get("error") == {"errorCode": "InvalidRequest", "errorMessage": "Too big"} for d in generated if d["status"] == "FAILED")
    assert {(d["createdAt"].isoformat(), d["updatedAt"].isoformat()) for d in generated} == {("2025-03-01T00:00:00+00:00", "2025-03-02T00:00:00+00:00")}


def test_a_scenario_of_400_documents_is_cheap() -> None:
    doc = _one_index({"name": "big", "generate_documents": {"count": 400, "failed": 37}})
    state = ServiceState("us-east-1", "123456789012")
    started = time.perf_counter()
    check_scenario(doc)
    loaded = build_scenario(state, doc)
    app = loaded["applications"][0]
    path = {"applicationId": app["application_id"], "indexId": app["indices"][0]["index_id"]}
    pages, token = [], None
    while True:
        answer = state.call("ListDocuments", path, {"maxResults": "100", **({"nextToken": token} if token else {})}, {})
        pages.append(answer["documentDetailList"])
        token = answer.get("nextToken")
        if not token:
            break
    elapsed = time.perf_counter() - started
    assert [len(p) for p in pages] == [100] * 4
    assert sum(d["status"] in ("FAILED", "DOCUMENT_FAILED_TO_INDEX") for p in pages for d in p) == 37
    assert elapsed < 1.0, elapsed  # a few milliseconds in practice
    # the index-wide order is built once and reused by every page until the documents change
    index = state.index(path["applicationId"], path["indexId"])
    ds = next(iter(index.data_sources.values()))
    assert index.documents_order([ds])[0] is index.documents_order([ds])[0]


_DOCS = "applications[0].indices[0].data_sources[0]"


@pytest.mark.parametrize(
    "ds, fragment",
    [
        ({"documents": {"status": "INDEXED"}}, f"{_DOCS}.documents: must be a list"),
        ({"documents": [{"document_id": "a"}]}, f"{_DOCS}.documents[0]: 'status' is required"),
        ({"documents": [{"status": "DONE"}]}, f"{_DOCS}.documents[0]: 'status'"),
        ({"documents": [{"status": "INDEXED", "error": {"error_code": "InternalError"}}]}, "'error' is only for status FAILED"),
        ({"documents": [{"status": "FAILED", "error": {"error_code": "Oops"}}]}, "error_code 'Oops'"),
        ({"documents": [{"status": "INDEXED", "document_id": ""}]}, "'document_id' must be a string of 1..1825"),
        ({"documents": [{"status": "INDEXED", "document_id": "x" * 1826}]}, "'document_id'"),
        ({"documents": [{"status": "INDEXED", "document_id": "tab\there"}]}, "without control characters"),
        ({"documents": [{"status": "INDEXED", "document_id": "a"}, {"status": "FAILED", "document_id": "a"}]}, "'a' appears twice"),
        ({"documents": [{"status": "INDEXED", "created_at": "now", "updated_at": "now-60"}]}, "'updated_at' is before 'created_at'"),
        ({"documents": [{"status": "INDEXED", "updated_at": "yesterday"}]}, "bad 'updated_at'"),
        ({"documents": [{"status": "INDEXED", "colour": "red"}]}, "unknown key 'colour'"),
        ({"generate_documents": {"failed": 1}}, f"{_DOCS}.generate_documents: 'count' is required"),
        ({"generate_documents": {"count": 3, "failed": 4}}, "'failed' (4) is more than 'count' (3)"),
        ({"generate_documents": {"count": 3, "status": "FAILED"}}, "'status' must be one of"),
        ({"generate_documents": {"count": 3, "failed": 1, "failed_status": "INDEXED"}}, "'failed_status'"),
        ({"generate_documents": {"count": 3, "errors": []}}, "'errors' must be a non-empty list"),
        ({"generate_documents": {"count": 3, "errors": [{"error_code": "InternalError"}]}}, "errors[0] needs both"),
        ({"generate_documents": {"count": 100_001}}, "'count' must be at most 100000"),
        ({"generate_documents": {"count": 2, "seed": 1}}, "unknown key 'seed'"),
        ({"next_sync": {"document_errors": [{"error_code": "Nope", "error_message": "x"}]}}, "error_code 'Nope'"),
        ({"next_sync": {"document_failed_status": ["FAILED", "DELETED"]}}, "'document_failed_status'"),
    ],
)
def test_bad_document_keys_are_refused_whole(qb: Harness, ds: dict[str, Any], fragment: str) -> None:
    doc = _one_index({"name": "d", **copy.deepcopy(ds)})
    doc["applications"].append({"name": "would-be-created"})
    if qb.mode == "server":
        with pytest.raises(urllib.error.HTTPError) as exc:
            qb.ctl.load_scenario(doc)
        status, body = http_error(exc.value)
        assert status == 400 and fragment in body["message"], body
    else:
        with pytest.raises(control.ControlError) as err:
            qb.ctl.load_scenario(doc)
        assert fragment in str(err.value)
    assert qb.client().list_applications()["applications"] == []
