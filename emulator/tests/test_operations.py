# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API operations (operations.py): every operation's happy path (checked against botocore's output shapes),
validation and not-found errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config

from conftest import NO_RETRIES
from conftest import Harness
from qbe_shapes import assert_output

BAD_ID = "x" * 35 + "_"  # 36 characters (passes botocore's length check) but breaks the service's pattern
UNKNOWN_ID = "00000000-0000-4000-8000-00000000dead"


def test_every_operation_happy_path(qb: Harness) -> None:
    c = qb.client()
    created = c.create_application(displayName="happy-app", description="d", roleArn="arn:aws:iam::123456789012:role/q")
    assert_output("CreateApplication", created)
    app = created["applicationId"]
    assert created["applicationArn"].endswith(f":application/{app}")

    got = c.get_application(applicationId=app)
    assert_output("GetApplication", got)
    assert (got["displayName"], got["status"], got["description"]) == ("happy-app", "ACTIVE", "d")
    assert got["createdAt"] <= got["updatedAt"]

    listed = c.list_applications()
    assert_output("ListApplications", listed)
    assert [a["applicationId"] for a in listed["applications"]] == [app]

    index = c.create_index(applicationId=app, displayName="main")
    assert_output("CreateIndex", index)
    got_index = c.get_index(applicationId=app, indexId=index["indexId"])
    assert_output("GetIndex", got_index)
    assert (got_index["applicationId"], got_index["indexId"], got_index["indexArn"], got_index["displayName"], got_index["status"]) == (
        app,
        index["indexId"],
        index["indexArn"],
        "main",
        "ACTIVE",
    )
    assert got_index["createdAt"] == got_index["updatedAt"]
    indices = c.list_indices(applicationId=app)
    assert_output("ListIndices", indices)
    assert [(i["indexId"], i["displayName"], i["status"]) for i in indices["indices"]] == [(index["indexId"], "main", "ACTIVE")]

    ds = c.create_data_source(
        applicationId=app, indexId=index["indexId"], displayName="docs", configuration={"type": "S3", "bucket": "b"}, syncSchedule="cron(0 * * * ? *)"
    )
    assert_output("CreateDataSource", ds)
    ids = {"applicationId": app, "indexId": index["indexId"], "dataSourceId": ds["dataSourceId"]}
    got_ds = c.get_data_source(**ids)
    assert_output("GetDataSource", got_ds)
    assert (got_ds["type"], got_ds["status"], got_ds["configuration"]["bucket"], got_ds["syncSchedule"]) == ("S3", "ACTIVE", "b", "cron(0 * * * ? *)")
    listed_ds = c.list_data_sources(applicationId=app, indexId=index["indexId"])
    assert_output("ListDataSources", listed_ds)
    assert [(d["dataSourceId"], d["type"]) for d in listed_ds["dataSources"]] == [(ds["dataSourceId"], "S3")]

    started = c.start_data_source_sync_job(**ids)
    assert_output("StartDataSourceSyncJob", started)
    history = c.list_data_source_sync_jobs(**ids)
    assert_output("ListDataSourceSyncJobs", history)
    assert [(j["executionId"], j["status"]) for j in history["history"]] == [(started["executionId"], "SYNCING")]
    stopped = c.stop_data_source_sync_job(**ids)
    assert_output("StopDataSourceSyncJob", stopped)
    assert c.list_data_source_sync_jobs(**ids)["history"][0]["status"] == "STOPPING"

    deleted = c.delete_data_source(**ids)
    assert_output("DeleteDataSource", deleted)
    assert c.list_data_sources(applicationId=app, indexId=index["indexId"])["dataSources"] == []
    with pytest.raises(c.exceptions.ResourceNotFoundException):
        c.get_data_source(**ids)


def test_seeded_history_matches_output_shape(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.seed_history(**ids, generate={"count": 4, "status": ["FAILED", "INCOMPLETE", "ABORTED", "SUCCEEDED"]})
    qb.ctl.seed_history(
        **ids,
        jobs=[
            {"status": "SYNCING", "start_time": "now-10"},
            {
                "status": "FAILED",
                "start_time": "now-5000",
                "error": {"error_code": "ResourceInactive", "error_message": "gone"},
                "data_source_error_code": "X1",
            },
        ],
    )
    c = qb.client()
    answer = c.list_data_source_sync_jobs(applicationId=ids["application_id"], indexId=ids["index_id"], dataSourceId=ids["data_source_id"])
    assert_output("ListDataSourceSyncJobs", answer)
    jobs = answer["history"]
    assert len(jobs) == 6
    for job in jobs:
        assert all(isinstance(v, str) for v in job["metrics"].values())
        assert set(job["metrics"]) == {"documentsAdded", "documentsDeleted", "documentsFailed", "documentsModified", "documentsScanned"}
        assert ("endTime" in job) == (job["status"] not in ("SYNCING", "SYNCING_INDEXING", "STOPPING"))
        assert ("error" in job) == (job["status"] == "FAILED")
    incomplete = [j for j in jobs if j["status"] == "INCOMPLETE"]
    assert int(incomplete[0]["metrics"]["documentsFailed"]) > 0
    explicit = [j for j in jobs if j.get("dataSourceErrorCode") == "X1"]
    assert explicit[0]["error"] == {"errorCode": "ResourceInactive", "errorMessage": "gone"}


def test_get_index(qb: Harness) -> None:
    c = qb.client()
    app = c.create_application(displayName="idx-app")["applicationId"]
    starter = c.create_index(applicationId=app, displayName="small", type="STARTER", description="for the pilot")
    plain = c.create_index(applicationId=app, displayName="big")
    got = c.get_index(applicationId=app, indexId=starter["indexId"])
    assert_output("GetIndex", got)
    assert (got["type"], got["description"], got["indexArn"]) == ("STARTER", "for the pilot", starter["indexArn"])
    assert got["indexArn"] == f"arn:aws:qbusiness:us-east-1:123456789012:application/{app}/index/{starter['indexId']}"
    other = c.get_index(applicationId=app, indexId=plain["indexId"])
    assert_output("GetIndex", other)
    assert (other["displayName"], other["type"], "description" in other) == ("big", "ENTERPRISE", False)
    assert {k for k in other if k != "ResponseMetadata"} == {"applicationId", "indexId", "displayName", "indexArn", "status", "type", "createdAt", "updatedAt"}
    # the scenario's index, with its description
    loaded = qb.ctl.load_scenario({"applications": [{"name": "s", "indices": [{"name": "seeded", "description": "from the scenario"}]}]})
    app_id = loaded["applications"][0]["application_id"]
    seeded = c.get_index(applicationId=app_id, indexId=loaded["applications"][0]["indices"][0]["index_id"])
    assert_output("GetIndex", seeded)
    assert (seeded["displayName"], seeded["description"], seeded["status"]) == ("seeded", "from the scenario", "ACTIVE")
    assert [r["operation"] for r in qb.ctl.requests()].count("GetIndex") == 3


def test_display_names_may_repeat(qb: Harness) -> None:
    """Nothing in the API makes a display name unique: two of each with one name are two resources."""
    c = qb.client()
    apps = [c.create_application(displayName="twin")["applicationId"] for _ in range(2)]
    assert apps[0] != apps[1]
    assert [(a["applicationId"], a["displayName"]) for a in c.list_applications()["applications"]] == [(a, "twin") for a in apps]
    indices = [c.create_index(applicationId=apps[0], displayName="main")["indexId"] for _ in range(2)]
    assert indices[0] != indices[1]
    assert [(i["indexId"], i["displayName"]) for i in c.list_indices(applicationId=apps[0])["indices"]] == [(i, "main") for i in indices]
    sources = [
        c.create_data_source(applicationId=apps[0], indexId=indices[1], displayName="docs", configuration={"type": "S3"})["dataSourceId"] for _ in range(2)
    ]
    assert sources[0] != sources[1]
    listed = c.list_data_sources(applicationId=apps[0], indexId=indices[1])["dataSources"]
    assert [(d["dataSourceId"], d["displayName"]) for d in listed] == [(d, "docs") for d in sources]
    for app in apps:
        assert c.get_application(applicationId=app)["displayName"] == "twin"
    for index in indices:
        assert c.get_index(applicationId=apps[0], indexId=index)["displayName"] == "main"
    for ds in sources:
        assert c.get_data_source(applicationId=apps[0], indexId=indices[1], dataSourceId=ds)["displayName"] == "docs"
    # and the same name at every level at once
    c.create_index(applicationId=apps[1], displayName="twin")
    assert [i["displayName"] for i in c.list_indices(applicationId=apps[1])["indices"]] == ["twin"]


def _validation(exc_info: Any) -> dict[str, Any]:
    response = exc_info.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "ValidationException"
    return response


def test_validation_errors(qb: Harness) -> None:
    ids = qb.make_data_source()
    c = qb.client()
    kw = {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}

    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_data_source_sync_jobs(**kw, maxResults=11)
    response = _validation(exc)
    assert response["reason"] == "FIELD_VALIDATION_FAILED"
    assert [f["name"] for f in response["fields"]] == ["maxResults"]
    assert "maxResults" in response["Error"]["Message"]

    raw = qb.client(config=Config(parameter_validation=False))
    with pytest.raises(raw.exceptions.ValidationException) as exc:
        raw.list_data_source_sync_jobs(**kw, maxResults=0)
    assert [f["name"] for f in _validation(exc)["fields"]] == ["maxResults"]

    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_data_source_sync_jobs(applicationId=BAD_ID, indexId=ids["index_id"], dataSourceId=BAD_ID)
    assert [f["name"] for f in _validation(exc)["fields"]] == ["applicationId", "dataSourceId"]

    with pytest.raises(raw.exceptions.ValidationException) as exc:
        raw.get_application(applicationId="short")
    assert _validation(exc)["fields"][0]["name"] == "applicationId"

    with pytest.raises(raw.exceptions.ValidationException) as exc:
        raw.get_index(applicationId=ids["application_id"], indexId="short")
    assert [f["name"] for f in _validation(exc)["fields"]] == ["indexId"]
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.get_index(applicationId=BAD_ID, indexId=BAD_ID)
    assert [f["name"] for f in _validation(exc)["fields"]] == ["applicationId", "indexId"]

    with pytest.raises(raw.exceptions.ValidationException) as exc:
        raw.list_data_source_sync_jobs(**kw, statusFilter="DONE")
    assert [f["name"] for f in _validation(exc)["fields"]] == ["statusFilter"]

    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_data_source_sync_jobs(**kw, nextToken="not-a-token")
    assert [f["name"] for f in _validation(exc)["fields"]] == ["nextToken"]

    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.create_application(displayName="has spaces")
    assert _validation(exc)["fields"][0]["name"] == "displayName"


@pytest.mark.parametrize(
    "operation",
    [
        "get_application",
        "list_indices",
        "get_index",
        "get_data_source",
        "list_data_sources",
        "list_data_source_sync_jobs",
        "start_data_source_sync_job",
        "stop_data_source_sync_job",
        "list_documents",
    ],
)
def test_unknown_resources(qb: Harness, operation: str) -> None:
    ids = qb.make_data_source()
    c = qb.client(config=NO_RETRIES)
    full = {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}
    needed = {
        "get_application": ["applicationId"],
        "list_indices": ["applicationId"],
        "get_index": ["applicationId", "indexId"],
        "list_data_sources": ["applicationId", "indexId"],
        "list_documents": ["applicationId", "indexId"],
    }
    names = needed.get(operation, ["applicationId", "indexId", "dataSourceId"])
    expected_type = {"applicationId": "Application", "indexId": "Index", "dataSourceId": "DataSource"}
    for unknown in names:
        kwargs = {name: (UNKNOWN_ID if name == unknown else full[name]) for name in names}
        with pytest.raises(c.exceptions.ResourceNotFoundException) as exc:
            getattr(c, operation)(**kwargs)
        response = exc.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert (response["resourceId"], response["resourceType"]) == (UNKNOWN_ID, expected_type[unknown])
        assert UNKNOWN_ID in response["Error"]["Message"]


def test_client_token_is_idempotent(qb: Harness) -> None:
    c = qb.client()
    first = c.create_application(displayName="same", clientToken="tok-1")
    again = c.create_application(displayName="same", clientToken="tok-1")
    other = c.create_application(displayName="same", clientToken="tok-2")
    assert first["applicationId"] == again["applicationId"] != other["applicationId"]
    assert len(c.list_applications()["applications"]) == 2


def test_regions_are_separate(qb: Harness) -> None:
    east, west = qb.client("us-east-1"), qb.client("eu-west-1")
    app = east.create_application(displayName="east")["applicationId"]
    assert west.list_applications()["applications"] == []
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_application(applicationId=app)
    assert {r["region"] for r in qb.ctl.requests()} == {"us-east-1", "eu-west-1"}


FAILED_STATUSES = ("FAILED", "DOCUMENT_FAILED_TO_INDEX")


def _documents_scenario(qb: Harness, *sources: dict[str, Any]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Load one application and index with these data sources; the index's ListDocuments keywords and the loaded sources."""
    loaded = qb.ctl.load_scenario({"applications": [{"name": "docs", "indices": [{"name": "main", "data_sources": list(sources)}]}]})
    app = loaded["applications"][0]
    return {"applicationId": app["application_id"], "indexId": app["indices"][0]["index_id"]}, app["indices"][0]["data_sources"]


def _all_documents(c: Any, **kw: Any) -> list[dict[str, Any]]:
    pages = list(c.get_paginator("list_documents").paginate(**kw))
    for page in pages:
        assert_output("ListDocuments", page)
    return [d for page in pages for d in page["documentDetailList"]]


def test_list_documents_400_in_4_pages(qb: Harness) -> None:
    kw, sources = _documents_scenario(qb, {"name": "handbook", "generate_documents": {"count": 400, "failed": 37}})
    c = qb.client()
    expected = sources[0]["document_ids"]
    assert len(expected) == len(set(expected)) == 400
    # botocore's paginator, no maxResults: the model's maximum, 100 a page
    pages = list(c.get_paginator("list_documents").paginate(**kw))
    assert [len(p["documentDetailList"]) for p in pages] == [100, 100, 100, 100]
    assert "nextToken" not in pages[-1] and all("nextToken" in p for p in pages[:-1])
    for page in pages:
        assert_output("ListDocuments", page)
    docs = [d for p in pages for d in p["documentDetailList"]]
    assert [d["documentId"] for d in docs] == expected  # creation order
    failed = [d for d in docs if d["status"] in FAILED_STATUSES]
    assert len(failed) == 37 and {d["status"] for d in docs} == {"INDEXED", *FAILED_STATUSES}
    assert all(("error" in d) == (d["status"] in FAILED_STATUSES) for d in docs)
    assert [sum(d["status"] in FAILED_STATUSES for d in p["documentDetailList"]) for p in pages] == [9, 9, 10, 9]  # spread evenly
    # explicit maxResults, by hand
    seen: list[str] = []
    token = None
    calls = 0
    while True:
        answer = c.list_documents(**kw, maxResults=100, **({"nextToken": token} if token else {}))
        assert_output("ListDocuments", answer)
        calls += 1
        seen.extend(d["documentId"] for d in answer["documentDetailList"])
        token = answer.get("nextToken")
        if not token:
            break
    assert (calls, seen) == (4, expected)
    assert [len(p["documentDetailList"]) for p in c.get_paginator("list_documents").paginate(**kw, PaginationConfig={"PageSize": 7})] == [7] * 57 + [1]
    assert [r["operation"] for r in qb.ctl.requests()].count("ListDocuments") == 4 + 4 + 58


def test_list_documents_validation(qb: Harness) -> None:
    kw, sources = _documents_scenario(qb, {"name": "one", "generate_documents": {"count": 2}}, {"name": "two"})
    c = qb.client()
    raw = qb.client(config=Config(parameter_validation=False))  # botocore itself refuses what the model's bounds refuse
    for client, size in ((raw, 0), (raw, -1), (c, 101), (c, 1000)):
        with pytest.raises(client.exceptions.ValidationException) as exc:
            client.list_documents(**kw, maxResults=size)
        response = _validation(exc)
        assert [f["name"] for f in response["fields"]] == ["maxResults"]
        assert "between 1 and 100" in response["Error"]["Message"]
    for size in (1, 100):
        assert_output("ListDocuments", c.list_documents(**kw, maxResults=size))
    two = [ds["data_source_id"] for ds in sources]
    with pytest.raises(raw.exceptions.ValidationException) as exc:
        raw.list_documents(**kw, dataSourceIds=two)
    response = _validation(exc)
    assert [f["name"] for f in response["fields"]] == ["dataSourceIds"]
    assert "length less than or equal to 1" in response["Error"]["Message"]
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_documents(**kw, dataSourceIds=[BAD_ID])
    assert [f["name"] for f in _validation(exc)["fields"]] == ["dataSourceIds"]
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_documents(applicationId=BAD_ID, indexId=BAD_ID, maxResults=101)
    assert [f["name"] for f in _validation(exc)["fields"]] == ["applicationId", "indexId", "maxResults"]
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_documents(**kw, nextToken="not-a-token")
    assert [f["name"] for f in _validation(exc)["fields"]] == ["nextToken"]
    # a token is bound to the filter: another data source's listing refuses it
    token = c.list_documents(**kw, maxResults=1)["nextToken"]
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_documents(**kw, dataSourceIds=[two[0]], nextToken=token)
    assert [f["name"] for f in _validation(exc)["fields"]] == ["nextToken"]
    # the request log keeps the list as sent
    logged = [r for r in qb.ctl.requests() if r["operation"] == "ListDocuments" and r["status_code"] == 400]
    assert logged[4]["params"]["dataSourceIds"] == two


def test_list_documents_data_source_filter(qb: Harness) -> None:
    kw, sources = _documents_scenario(
        qb,
        {
            "name": "wiki",
            "type": "CONFLUENCEV2",
            "documents": [
                {"document_id": "https://wiki.example.com/display/HR/Leave", "status": "INDEXED", "created_at": "now-7200"},
                {
                    "status": "DOCUMENT_FAILED_TO_INDEX",
                    "created_at": "now-60",
                    "error": {"error_code": "InvalidRequest", "error_message": "The page is too large"},
                },
            ],
        },
        {"name": "handbook", "generate_documents": {"count": 3, "created_at": "now-3600"}},
        {"name": "empty"},
    )
    c = qb.client()
    wiki, handbook, empty = (ds["data_source_id"] for ds in sources)
    every = _all_documents(c, **kw)
    # creation order across the index: by createdAt
    assert [d["documentId"] for d in every] == ["https://wiki.example.com/display/HR/Leave", *sources[1]["document_ids"], sources[0]["document_ids"][1]]
    assert sources[0]["document_ids"][1] == "wiki/documents/doc-0001.pdf"
    assert sources[1]["document_ids"] == [
        "s3://handbook/documents/doc-0001.pdf",
        "s3://handbook/documents/doc-0002.docx",
        "s3://handbook/documents/doc-0003.html",
    ]
    assert every[-1]["error"] == {"errorCode": "InvalidRequest", "errorMessage": "The page is too large"}
    assert [d["documentId"] for d in _all_documents(c, **kw, dataSourceIds=[wiki])] == sources[0]["document_ids"]
    assert [d["documentId"] for d in _all_documents(c, **kw, dataSourceIds=[handbook])] == sources[1]["document_ids"]
    assert _all_documents(c, **kw, dataSourceIds=[empty]) == []
    # an unknown data source: an empty list (AWS does not document it)
    assert c.list_documents(**kw, dataSourceIds=[UNKNOWN_ID])["documentDetailList"] == []
    # a deleted data source takes its documents with it
    c.delete_data_source(**kw, dataSourceId=handbook)
    assert [d["documentId"] for d in _all_documents(c, **kw)] == sources[0]["document_ids"]
    assert c.list_documents(**kw, dataSourceIds=[handbook])["documentDetailList"] == []


def test_list_documents_tokens_follow_the_behaviours(qb: Harness) -> None:
    kw, _ = _documents_scenario(qb, {"name": "d", "generate_documents": {"count": 5}})
    c = qb.client()
    qb.ctl.set_behaviours(tokens_bound_to_request=True)
    first = c.list_documents(**kw, maxResults=2)
    assert len(c.list_documents(**kw, maxResults=2, nextToken=first["nextToken"])["documentDetailList"]) == 2
    with pytest.raises(c.exceptions.ValidationException) as exc:
        c.list_documents(**kw, maxResults=3, nextToken=first["nextToken"])
    assert "The nextToken is not valid" in exc.value.response["Error"]["Message"]
    qb.ctl.set_behaviours(tokens_bound_to_request=False)
    # unbound: another page size carries on from the token's offset
    assert len(c.list_documents(**kw, maxResults=3, nextToken=first["nextToken"])["documentDetailList"]) == 3


def test_list_documents_snapshot_and_faults(qb: Harness) -> None:
    kw, sources = _documents_scenario(qb, {"name": "d", "generate_documents": {"count": 3}})
    ids = {"application_id": kw["applicationId"], "index_id": kw["indexId"], "data_source_id": sources[0]["data_source_id"]}
    c = qb.client(config=NO_RETRIES)
    first = c.list_documents(**kw, maxResults=2)
    qb.ctl.seed_documents(**ids, documents=[{"status": "RECEIVED", "document_id": "late.pdf"}])
    rest = c.list_documents(**kw, maxResults=2, nextToken=first["nextToken"])
    # created after the first page: not on the later pages of that listing, on the next listing
    assert [d["documentId"] for d in first["documentDetailList"] + rest["documentDetailList"]] == sources[0]["document_ids"]
    assert "nextToken" not in rest
    assert [d["documentId"] for d in _all_documents(c, **kw)][-1] == "late.pdf"
    qb.ctl.set_faults(throttle_rate=1.0, operations=["ListDocuments"])
    with pytest.raises(c.exceptions.ThrottlingException):
        c.list_documents(**kw)
    assert c.list_data_sources(**kw)["dataSources"]  # the others are not faulted
    assert [(r["operation"], r["fault"]) for r in qb.ctl.requests()][-2:] == [("ListDocuments", "throttle"), ("ListDataSources", None)]
