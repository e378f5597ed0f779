# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP/2 with prior knowledge on the emulator's port (http2.py): the h2 library as a client, then the real JS SDK."""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.settings
import pytest

from conftest import EMULATOR_DIR
from conftest import Harness
from qbusiness_emulator.http2 import PREFACE
from qbusiness_emulator.http2 import STATS
from sigv4 import signed_headers

JS_DIR = Path(__file__).resolve().parent / "js"
# Inside the repository and git-ignored (.cache/): npm installs the pinned SDK there, once per lockfile.
JS_CACHE = EMULATOR_DIR.parent / ".cache" / "emulator-js-sdk"


class ConnectionClosed(Exception):
    """The server closed the connection before answering the stream."""


class H2Client:
    """A plain HTTP/2 client over one cleartext connection (prior knowledge), several streams at once."""

    def __init__(self, harness: Harness, window: int | None = None) -> None:
        assert harness.endpoint_url is not None
        self.url = harness.endpoint_url
        host, port = self.url.rsplit("/", 1)[1].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=15)
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.h2.initiate_connection()
        if window is not None:  # a small receive window: the server must wait for WINDOW_UPDATEs to send a body
            self.h2.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window})
        self.sock.sendall(self.h2.data_to_send())
        self.answers: dict[int, dict[str, Any]] = {}

    def send(self, method: str, path: str, body: bytes = b"", sign: bool = True) -> int:
        """Open a stream with one request; its stream id."""
        extra = signed_headers(method, self.url + path, body) if sign else {}
        headers = [(":method", method), (":path", path), (":scheme", "http"), (":authority", self.url.split("//")[1])]
        headers += [(key.lower(), value) for key, value in extra.items() if key.lower() != "host"]
        stream_id = self.h2.get_next_available_stream_id()
        self.h2.send_headers(stream_id, headers, end_stream=not body)
        if body:
            self.h2.send_data(stream_id, body, end_stream=True)
        self.sock.sendall(self.h2.data_to_send())
        self.answers[stream_id] = {"headers": None, "body": b"", "done": False}
        return stream_id

    def wait(self, *stream_ids: int) -> list[tuple[int, dict[str, str], bytes]]:
        """Read until every stream is answered: (status, headers, body) each; ConnectionClosed if the server hangs up."""
        while not all(self.answers[s]["done"] for s in stream_ids):
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionClosed
            for event in self.h2.receive_data(data):
                answer = self.answers.get(getattr(event, "stream_id", 0))
                if isinstance(event, h2.events.ResponseReceived) and answer is not None:
                    answer["headers"] = dict(event.headers)
                elif isinstance(event, h2.events.DataReceived) and answer is not None:
                    answer["body"] += event.data
                    self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded) and answer is not None:
                    answer["done"] = True
            self.sock.sendall(self.h2.data_to_send())
        return [(int(a["headers"][":status"]), a["headers"], a["body"]) for a in (self.answers[s] for s in stream_ids)]

    def request(self, method: str, path: str, body: bytes = b"", sign: bool = True) -> tuple[int, dict[str, str], Any]:
        """One request and its answer, the body parsed as JSON."""
        status, headers, raw = self.wait(self.send(method, path, body, sign))[0]
        return status, headers, json.loads(raw)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def h2c(server: Harness) -> Iterator[H2Client]:
    client = H2Client(server)
    yield client
    client.close()


def syncjobs_path(ids: dict[str, str], query: str = "") -> str:
    path = f"/applications/{ids['application_id']}/indices/{ids['index_id']}/datasources/{ids['data_source_id']}/syncjobs"
    return f"{path}?{query}" if query else path


def http1_get(harness: Harness, path: str) -> Any:
    """A signed GET over HTTP/1.1 (http.client): the JSON answer."""
    assert harness.endpoint_url is not None
    host, port = harness.endpoint_url.rsplit("/", 1)[1].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=signed_headers("GET", harness.endpoint_url + path))
        answer = connection.getresponse()
        assert answer.status == 200 and answer.version == 11
        return json.loads(answer.read())
    finally:
        connection.close()


def test_control_routes_answer_over_http2(server: Harness, h2c: H2Client) -> None:
    assert h2c.request("GET", "/_emulator/health", sign=False)[::2] == (200, {"status": "ok"})
    doc = {"applications": [{"name": "over-h2", "indices": [{"name": "main", "data_sources": [{"name": "ds"}]}]}]}
    status, _, loaded = h2c.request("POST", "/_emulator/scenario", json.dumps(doc).encode(), sign=False)
    assert status == 200 and [a["displayName"] for a in server.client().list_applications()["applications"]] == ["over-h2"]
    assert loaded["applications"][0]["application_id"]
    status, _, refused = h2c.request("POST", "/_emulator/faults", b'{"nope": 1}', sign=False)
    assert status == 400 and "nope" in refused["message"]
    # Control calls are never logged: only the boto3 call above is.
    assert [e["operation"] for e in server.ctl.requests()] == ["ListApplications"]


def test_api_answers_are_the_http1_answers_and_are_logged(server: Harness, h2c: H2Client) -> None:
    ids = server.make_data_source()
    server.ctl.seed_history(**ids, generate={"count": 12})
    path = syncjobs_path(ids, "maxResults=5")
    over_http1 = http1_get(server, path)
    server.ctl.clear_requests()
    before = STATS.snapshot()
    status, headers, body = h2c.request("GET", path)
    assert (status, headers["content-type"]) == (200, "application/json")
    assert body["history"] == over_http1["history"] and len(body["history"]) == 5
    [entry] = server.ctl.requests()
    assert (entry["operation"], entry["status_code"], entry["params"]["maxResults"]) == ("ListDataSourceSyncJobs", 200, "5")
    after = STATS.snapshot()
    assert (after["connections"] - before["connections"], after["streams"] - before["streams"]) == (0, 1)


def test_post_with_a_body_and_errors_in_wire_format(server: Harness, h2c: H2Client) -> None:
    status, _, created = h2c.request("POST", "/applications", json.dumps({"displayName": "h2-app"}).encode())
    assert status == 200 and server.client().get_application(applicationId=created["applicationId"])["displayName"] == "h2-app"
    status, headers, body = h2c.request("GET", "/applications/" + "a" * 36)
    assert (status, headers["x-amzn-errortype"], body["resourceType"]) == (404, "ResourceNotFoundException", "Application")
    status, headers, _ = h2c.request("GET", "/applications", sign=False)  # the front door answers HTTP/2 too
    assert (status, headers["x-amzn-errortype"]) == (403, "MissingAuthenticationTokenException")


def test_throttling_and_dropped_connections_over_http2(server: Harness, h2c: H2Client) -> None:
    server.ctl.set_faults(throttle_rate=1.0)
    status, headers, body = h2c.request("GET", "/applications")
    assert (status, headers["x-amzn-errortype"], body) == (429, "ThrottlingException", {"message": "Rate exceeded"})
    server.ctl.set_faults(drop_connection_rate=1.0)
    with pytest.raises(ConnectionClosed):
        h2c.wait(h2c.send("GET", "/applications"))
    assert [(e["fault"], e["status_code"]) for e in server.ctl.requests()] == [("throttle", 429), ("connection_dropped", 0)]
    server.ctl.clear_faults()
    fresh = H2Client(server)
    try:
        assert fresh.request("GET", "/applications")[::2] == (200, {"applications": []})
    finally:
        fresh.close()


def test_concurrent_streams_are_answered_in_parallel(server: Harness, h2c: H2Client) -> None:
    server.ctl.set_faults(latency_ms=600)
    started = time.monotonic()
    answers = h2c.wait(*[h2c.send("GET", "/applications") for _ in range(4)])
    elapsed = time.monotonic() - started
    assert [status for status, _, _ in answers] == [200] * 4 and len(server.ctl.requests()) == 4
    assert elapsed < 1.8, f"4 streams with 0.6 s latency each took {elapsed:.2f} s: answered one after another"


def test_a_body_larger_than_the_window_waits_for_window_updates(server: Harness) -> None:
    ids = server.make_data_source()
    server.ctl.seed_history(**ids, generate={"count": 10})
    expected = http1_get(server, syncjobs_path(ids))
    small = H2Client(server, window=100)
    try:
        status, headers, body = small.wait(small.send("GET", syncjobs_path(ids)))[0]
    finally:
        small.close()
    assert status == 200 and int(headers["content-length"]) == len(body) > 1000
    assert json.loads(body) == expected


def test_a_broken_preface_closes_that_connection_only(server: Harness) -> None:
    assert server.endpoint_url is not None
    host, port = server.endpoint_url.rsplit("/", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(PREFACE[:16] + b"not the rest of the preface")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert b"HTTP/1" not in received  # no HTTP/1.1 505 page: the connection was taken as HTTP/2 and closed
    assert server.client().list_applications()["applications"] == []


def _npm_install() -> Path:
    """The pinned SDK installed in JS_CACHE (npm ci, only when the lockfile changed); its node_modules."""
    JS_CACHE.mkdir(parents=True, exist_ok=True)
    lock = (JS_DIR / "package-lock.json").read_bytes()
    with open(JS_CACHE / ".lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # pytest-xdist workers must not install into one directory at once
        stamp = JS_CACHE / "installed-lock.json"
        if not stamp.exists() or stamp.read_bytes() != lock or not (JS_CACHE / "node_modules").is_dir():
            for name in ("package.json", "package-lock.json"):
                shutil.copyfile(JS_DIR / name, JS_CACHE / name)
            result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS_CACHE, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
            stamp.write_bytes(lock)
    return JS_CACHE / "node_modules"


@pytest.fixture(scope="session")
def js_sdk() -> Path:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the JS SDK test needs {' and '.join(missing)} on PATH (Node.js 18 or later)")
    return _npm_install()


def run_js(js_sdk: Path, server: Harness, ids: dict[str, str], max_attempts: int = 1) -> dict[str, Any]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(NODE_PATH=str(js_sdk), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED="true")
    assert server.endpoint_url is not None
    result = subprocess.run(
        ["node", str(JS_DIR / "sync-jobs.cjs"), server.endpoint_url, ids["application_id"], ids["index_id"], ids["data_source_id"], str(max_attempts)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def seeded(server: Harness) -> tuple[dict[str, str], list[str]]:
    ids = server.make_data_source()
    execution_ids = server.ctl.seed_history(**ids, generate={"count": 5})
    server.ctl.set_next_sync(**ids, never_ends=True)
    server.ctl.clear_requests()
    return ids, execution_ids


def test_the_js_sdk_lists_and_starts_over_http2(js_sdk: Path, server: Harness) -> None:
    ids, execution_ids = seeded(server)
    before = STATS.snapshot()
    out = run_js(js_sdk, server, ids)
    after = STATS.snapshot()
    assert out["requestHandler"] == "NodeHttp2Handler"
    assert [job["executionId"] for job in out["before"]] == execution_ids
    assert out["after"][0] == {"executionId": out["executionId"], "status": "SYNCING"}
    assert out["after"][1:] == out["before"]
    log = server.ctl.requests()
    # 5 jobs at 2 a page: 3 pages; then Start; then 6 jobs: 3 pages.
    assert [e["operation"] for e in log] == ["ListDataSourceSyncJobs"] * 3 + ["StartDataSourceSyncJob"] + ["ListDataSourceSyncJobs"] * 3
    assert all(e["status_code"] == 200 and e["user_agent"].startswith("aws-sdk-js/") for e in log)
    # Every one of those requests came in on an HTTP/2 stream: none fell back to HTTP/1.1.
    assert after["streams"] - before["streams"] == len(log) and after["connections"] > before["connections"]


def test_the_js_sdk_retries_a_dropped_http2_connection(js_sdk: Path, server: Harness) -> None:
    ids, execution_ids = seeded(server)
    server.ctl.set_faults(drop_connection_rate=0.5, seed=1)
    out = run_js(js_sdk, server, ids, max_attempts=6)
    assert [job["executionId"] for job in out["before"]] == execution_ids and out["after"][0]["executionId"] == out["executionId"]
    faults = [e["fault"] for e in server.ctl.requests()]
    assert "connection_dropped" in faults and faults.count(None) == 7
