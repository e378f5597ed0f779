# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: the emulator in-process (moto.mock_aws) and over HTTP (EmulatorServer), behind one harness."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

EMULATOR_DIR = Path(__file__).resolve().parents[1]
if str(EMULATOR_DIR) not in sys.path:
    # Lets the suite run from a checkout without `pip install -e ./emulator`.
    sys.path.insert(0, str(EMULATOR_DIR))

import moto  # noqa: E402

from qbusiness_emulator import control  # noqa: E402  (importing the package registers the backend)
from qbusiness_emulator.server import EmulatorServer  # noqa: E402

REGION = "us-east-1"
NO_RETRIES = Config(retries={"total_max_attempts": 1})


class HttpControl:
    """The control API over the HTTP routes, with the Python API's names (used in server mode)."""

    def __init__(self, endpoint_url: str) -> None:
        self.base = endpoint_url + "/_emulator/"

    def call(self, method: str, route: str, payload: Any = None) -> Any:
        """One control request; raises urllib.error.HTTPError on a non-2xx answer."""
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.base + route, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def reset(self) -> None:
        assert self.call("POST", "reset") == {"status": "ok"}

    def load_scenario(self, doc: dict[str, Any]) -> dict[str, Any]:
        return self.call("POST", "scenario", doc)

    def seed_history(self, application_id: str, index_id: str, data_source_id: str, **kwargs: Any) -> list[str]:
        payload = {"application_id": application_id, "index_id": index_id, "data_source_id": data_source_id, **kwargs}
        return self.call("POST", "history", payload)["execution_ids"]

    def seed_documents(self, application_id: str, index_id: str, data_source_id: str, **kwargs: Any) -> list[str]:
        payload = {"application_id": application_id, "index_id": index_id, "data_source_id": data_source_id, **kwargs}
        return self.call("POST", "documents", payload)["document_ids"]

    def set_next_sync(self, application_id: str, index_id: str, data_source_id: str, **kwargs: Any) -> dict[str, Any]:
        payload = {"application_id": application_id, "index_id": index_id, "data_source_id": data_source_id, **kwargs}
        return self.call("POST", "next-sync", payload)["next_sync"]

    def set_data_source_status(self, application_id: str, index_id: str, data_source_id: str, **kwargs: Any) -> dict[str, Any]:
        payload = {"application_id": application_id, "index_id": index_id, "data_source_id": data_source_id, **kwargs}
        return self.call("POST", "data-source-status", payload)["data_source_status"]

    def start_sync(self, application_id: str, index_id: str, data_source_id: str) -> dict[str, Any]:
        payload = {"application_id": application_id, "index_id": index_id, "data_source_id": data_source_id}
        return self.call("POST", "start-sync", payload)

    def set_faults(self, **kwargs: Any) -> dict[str, Any]:
        return self.call("POST", "faults", kwargs)

    def get_faults(self) -> dict[str, Any]:
        return self.call("GET", "faults")

    def clear_faults(self) -> dict[str, Any]:
        return self.call("DELETE", "faults")

    def set_behaviours(self, **kwargs: Any) -> dict[str, Any]:
        return self.call("POST", "behaviours", kwargs)

    def get_behaviours(self) -> dict[str, Any]:
        return self.call("GET", "behaviours")

    def clear_behaviours(self) -> dict[str, Any]:
        return self.call("DELETE", "behaviours")

    def requests(self) -> list[dict[str, Any]]:
        return self.call("GET", "requests")["requests"]

    def clear_requests(self) -> None:
        assert self.call("DELETE", "requests") == {"status": "ok"}


class Harness:
    """Uniform access to the emulator for a test: boto3 clients plus the control API."""

    def __init__(self, mode: str, ctl: Any, endpoint_url: str | None = None) -> None:
        self.mode = mode
        self.ctl = ctl
        self.endpoint_url = endpoint_url

    def client(self, region: str = REGION, config: Config | None = None) -> Any:
        """A qbusiness client aimed at this emulator."""
        kwargs: dict[str, Any] = {"region_name": region, "config": config}
        if self.endpoint_url:
            kwargs.update(endpoint_url=self.endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing")
        return boto3.client("qbusiness", **kwargs)

    def make_data_source(self, client: Any = None, name: str = "ds") -> dict[str, str]:
        """Create application, index and data source through the API; return their ids (snake_case keys)."""
        c = client or self.client()
        app = c.create_application(displayName="app-" + name)["applicationId"]
        idx = c.create_index(applicationId=app, displayName="main")["indexId"]
        ds = c.create_data_source(applicationId=app, indexId=idx, displayName=name, configuration={"type": "S3"})["dataSourceId"]
        return {"application_id": app, "index_id": idx, "data_source_id": ds}


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """One HTTP emulator for the session (state is reset before each test)."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def inprocess() -> Iterator[Harness]:
    """The emulator under moto.mock_aws(), controlled through the Python API."""
    with moto.mock_aws():
        control.reset()
        yield Harness("inprocess", control)
    control.reset()


@pytest.fixture
def server(emulator_server: EmulatorServer) -> Iterator[Harness]:
    """The emulator over HTTP, controlled through the HTTP control routes."""
    ctl = HttpControl(emulator_server.endpoint_url)
    ctl.reset()
    yield Harness("server", ctl, emulator_server.endpoint_url)
    ctl.reset()


@pytest.fixture(params=["inprocess", "server"])
def qb(request: pytest.FixtureRequest) -> Harness:
    """Both modes, one after the other."""
    return request.getfixturevalue(request.param)


def http_error(exc: urllib.error.HTTPError) -> tuple[int, dict[str, Any]]:
    """Status and JSON body of a failed control request."""
    return exc.code, json.loads(exc.read())
