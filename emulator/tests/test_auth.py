# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The front door (auth.py) and empty ids: unsigned, malformed, presigned and empty-id requests get the service's JSON."""

from __future__ import annotations

import http.client
import json
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import NO_RETRIES
from conftest import Harness
from qbusiness_emulator.responses import match_route
from sigv4 import signed_headers

SCOPE = "testing/20250101/us-east-1/qbusiness/aws4_request"


def raw(harness: Harness, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, Any]]:
    """One plain HTTP/1.1 request; status, headers and the JSON body (a non-JSON body fails the test)."""
    assert harness.endpoint_url is not None
    parts = urlsplit(harness.endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        assert answer.getheader("Content-Type") == "application/json", body[:200]
        return answer.status, answer.headers, json.loads(body)
    finally:
        connection.close()


def only_request(harness: Harness) -> dict[str, Any]:
    entries = harness.ctl.requests()
    assert len(entries) == 1, entries
    return entries[0]


def test_unsigned_request_is_missing_authentication_token(server: Harness) -> None:
    status, headers, body = raw(server, "GET", "/applications")
    assert (status, headers["x-amzn-ErrorType"]) == (403, "MissingAuthenticationTokenException")
    assert body == {"message": "Missing Authentication Token"}
    entry = only_request(server)
    assert (entry["operation"], entry["status_code"], entry["fault"]) == ("ListApplications", 403, None)


def test_boto3_unsigned_raises_the_error_code(server: Harness) -> None:
    client = server.client(config=Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as caught:
        client.list_applications()
    error = caught.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("MissingAuthenticationTokenException", 403)


@pytest.mark.parametrize(
    ("authorization", "says"),
    [
        # moto took these for S3, and the first one crashed its dispatcher (a 500 HTML page).
        ("AWS4-HMAC-SHA256", "requires 'Credential' parameter"),
        ("Bearer abc", "Unsupported Authorization Type: 'Bearer'"),
        ("garbage", "Unsupported Authorization Type: 'garbage'"),
        ("AWS4-HMAC-SHA256 Credential=testing", "should be scoped as <access key>/<yyyymmdd>/<region>/<service>/aws4_request"),
        (f"AWS4-HMAC-SHA256 Credential={SCOPE}, SignedHeaders=host", "requires 'Signature' parameter"),
        (f"AWS4-HMAC-SHA256 Credential={SCOPE} SignedHeaders=host Signature=00", "requires 'SignedHeaders' parameter"),
        (f"AWS4-HMAC-SHA256 Credential={SCOPE}, SignedHeaders, Signature=00", "missing equal-sign"),
        (f"AWS4-HMAC-SHA256 Credential={SCOPE}, SignedHeaders=host, Signature=not-hex", "Signature must be hexadecimal"),
    ],
)
def test_malformed_authorization_is_incomplete_signature(server: Harness, authorization: str, says: str) -> None:
    status, headers, body = raw(server, "GET", "/applications", {"Authorization": authorization})
    assert (status, headers["x-amzn-ErrorType"]) == (403, "IncompleteSignatureException")
    assert says in body["message"] and body["message"].endswith(f"Authorization={authorization}")
    assert only_request(server)["status_code"] == 403


def test_refusal_draws_no_fault(server: Harness) -> None:
    server.ctl.set_faults(throttle_rate=1.0)
    status, headers, _ = raw(server, "GET", "/applications")
    assert (status, headers["x-amzn-ErrorType"]) == (403, "MissingAuthenticationTokenException")
    assert only_request(server)["fault"] is None


def test_presigned_url_is_served_like_a_signed_request(server: Harness) -> None:
    ids = server.make_data_source(server.client(region="eu-west-1"))
    wire = {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}
    client = server.client(region="eu-west-1", config=NO_RETRIES)
    signed = client.list_data_source_sync_jobs(**wire, maxResults=3)
    server.ctl.clear_requests()
    url = client.generate_presigned_url("list_data_source_sync_jobs", Params={**wire, "maxResults": 3})
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert json.loads(answer.read()) == {"history": signed["history"]}
    entry = only_request(server)
    # The region is the credential scope's; the signature's parameters are not the operation's.
    assert (entry["operation"], entry["region"], entry["status_code"]) == ("ListDataSourceSyncJobs", "eu-west-1", 200)
    assert entry["params"] == {**wire, "maxResults": "3"}


def test_presigned_url_with_missing_parameters_is_incomplete_signature(server: Harness) -> None:
    url = server.client().generate_presigned_url("list_applications", Params={})
    path = urlsplit(url)
    query = "&".join(part for part in path.query.split("&") if not part.startswith(("X-Amz-Signature=", "X-Amz-Date=")))
    status, headers, body = raw(server, "GET", f"{path.path}?{query}")
    assert (status, headers["x-amzn-ErrorType"]) == (403, "IncompleteSignatureException")
    assert "must include 'X-Amz-Date'" in body["message"] and "must include 'X-Amz-Signature'" in body["message"]
    assert "must include 'X-Amz-Credential'" not in body["message"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/applications/", "applicationId"),
        ("/applications//indices", "applicationId"),
        ("/applications/a0000000-0000-4000-8000-000000000001/indices//datasources/", "indexId"),
    ],
)
def test_an_empty_id_is_a_validation_error(server: Harness, path: str, field: str) -> None:
    status, headers, body = raw(server, "GET", path, signed_headers("GET", server.endpoint_url + path))
    assert (status, headers["x-amzn-ErrorType"], body["reason"]) == (400, "ValidationException", "FIELD_VALIDATION_FAILED")
    assert field in [f["name"] for f in body["fields"]] and f"Value '' at '{field}'" in body["message"]


def test_routes_take_no_trailing_slash() -> None:
    assert match_route("GET", "/applications") == ("ListApplications", {})
    assert match_route("GET", "/applications/") == ("GetApplication", {"applicationId": ""})
    assert match_route("GET", "/applications/x/indices/") == ("GetIndex", {"applicationId": "x", "indexId": ""})
    assert match_route("POST", "/applications/x/indices/") == (None, {})
    assert match_route("GET", "/applications/x/indices/y/datasources/z/syncjobs/") == (None, {})


def test_signed_requests_still_work(server: Harness) -> None:
    client = server.client(config=NO_RETRIES)
    app_id = client.create_application(displayName="signed")["applicationId"]
    status, _, body = raw(server, "GET", "/applications", signed_headers("GET", server.endpoint_url + "/applications"))
    assert status == 200 and [a["applicationId"] for a in body["applications"]] == [app_id]
    assert [e["status_code"] for e in server.ctl.requests()] == [200, 200]


def test_another_service_signed_request_still_reaches_moto(server: Harness) -> None:
    sts = boto3.client(
        "sts", region_name="us-east-1", endpoint_url=server.endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing", config=NO_RETRIES
    )
    assert sts.get_caller_identity()["Account"] == "123456789012"
    assert server.ctl.requests() == []
