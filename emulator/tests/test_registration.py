# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Registration with moto (no network escape), service logic free of moto, and the shape checker itself."""

from __future__ import annotations

import ast
import datetime
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import moto
import moto.backend_index
import pytest
from moto.backends import get_service_from_url

import qbusiness_emulator
from conftest import EMULATOR_DIR
from conftest import NO_RETRIES
from qbe_shapes import output_errors
from qbusiness_emulator import control


class NetworkBlocked(ConnectionError):
    """Raised by the socket guard: a request tried to leave the process."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Any DNS lookup or TCP connect fails (and is recorded), so an escaping request cannot pass."""
    attempts: list[Any] = []

    def blocked_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        raise NetworkBlocked(f"network disabled in this test (lookup of {host})")

    def blocked_connect(self: socket.socket, address: Any) -> Any:
        attempts.append(address)
        raise NetworkBlocked(f"network disabled in this test (connect to {address})")

    monkeypatch.setattr(socket, "getaddrinfo", blocked_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", blocked_connect)
    yield attempts


def test_registered_patterns_and_module() -> None:
    assert qbusiness_emulator.is_registered()
    assert get_service_from_url("https://qbusiness.us-east-1.api.aws/applications") == "qbusiness"
    assert get_service_from_url("http://qbusiness.eu-west-1.amazonaws.com/applications") == "qbusiness"
    qbusiness_emulator.register()  # idempotent
    names = [name for name, _ in moto.backend_index.backend_url_patterns]
    assert names.count("qbusiness") == 1


def test_mock_aws_answers_without_network(no_network: list[Any]) -> None:
    with moto.mock_aws():
        client = boto3.client("qbusiness", region_name="us-east-1", config=NO_RETRIES)
        app_id = client.create_application(displayName="offline")["applicationId"]
        assert client.get_application(applicationId=app_id)["displayName"] == "offline"
    assert no_network == []


def test_unregistered_backend_would_escape(no_network: list[Any]) -> None:
    """The guard above is real: without the URL pattern, mock_aws lets the call go to the network."""
    patterns = moto.backend_index.backend_url_patterns
    saved = list(patterns)
    patterns[:] = [entry for entry in patterns if entry[0] != "qbusiness"]
    try:
        with moto.mock_aws():
            client = boto3.client("qbusiness", region_name="us-east-1", config=NO_RETRIES)
            with pytest.raises(botocore.exceptions.EndpointConnectionError):
                client.list_applications()
    finally:
        patterns[:] = saved
    assert no_network, "the request should have tried the network"
    assert qbusiness_emulator.is_registered()


# The service logic; only models (the backend), responses, urls, control and server are moto's adapters.
LOGIC_MODULES = ("clock", "documents", "exceptions", "faults", "history", "jobs", "operations", "requestlog", "scenarios", "validation")


def test_service_logic_has_no_moto_imports() -> None:
    imported = set()
    for module in LOGIC_MODULES:
        tree = ast.parse((EMULATOR_DIR / "qbusiness_emulator" / f"{module}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert imported, "the walk should see the logic's imports"
    assert not [name for name in imported if name == "moto" or name.startswith("moto.")]


def test_shape_checker_rejects_bad_answers() -> None:
    """The checker used by the other tests does catch type, enum, pattern and required-member errors."""
    good = {
        "history": [
            {"executionId": "a" * 36, "status": "SUCCEEDED", "startTime": datetime.datetime.now(datetime.timezone.utc), "metrics": {"documentsAdded": "1"}}
        ]
    }
    assert output_errors("ListDataSourceSyncJobs", good) == []
    bad = {"history": [{"executionId": "_" * 36, "status": "DONE", "startTime": 12, "metrics": {"documentsAdded": 1}, "extra": 1}]}
    errors = "\n".join(output_errors("ListDataSourceSyncJobs", bad))
    for fragment in ("executionId", "not in enum", "expected a timestamp", "documentsAdded: expected a string", "unknown member extra"):
        assert fragment in errors
    assert output_errors("GetApplication", {"qAppsConfiguration": {}}) == ["GetApplication.qAppsConfiguration: missing required member qAppsControlMode"]
    assert output_errors("ListApplications", {"nextToken": ""}) == ["ListApplications.nextToken: length 0 < min 1"]
    # DocumentId's pattern is \P{C}* (Java's Unicode classes, which Python's re lacks): checked by category
    assert output_errors("ListDocuments", {"documentDetailList": [{"documentId": "s3://b/é.pdf"}]}) == []
    assert output_errors("ListDocuments", {"documentDetailList": [{"documentId": "a\x00b"}]}) == [
        "ListDocuments.documentDetailList[0].documentId: 'a\\x00b' does not match pattern \\P{C}*"
    ]


def test_plain_moto_server_serves_qbusiness() -> None:
    """moto's own ThreadedMotoServer (no /_emulator/ routes) also answers, since the backend is registered in-process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client(
            "qbusiness",
            region_name="eu-central-1",
            endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=NO_RETRIES,
        )
        app_id = client.create_application(displayName="plain-moto")["applicationId"]
        assert [a["applicationId"] for a in client.list_applications()["applications"]] == [app_id]
    finally:
        server.stop()
        control.reset()
