# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults (faults.py): throttling, server errors, dropped connections, latency, history order, a repeated nextToken."""

from __future__ import annotations

import contextlib
import time
import urllib.error
from typing import Any

import boto3
import botocore.exceptions
import pytest
from moto import mock_aws

from conftest import NO_RETRIES
from conftest import Harness
from conftest import http_error
from qbusiness_emulator import control
from qbusiness_emulator import faults


def _kw(ids: dict[str, str]) -> dict[str, str]:
    return {"applicationId": ids["application_id"], "indexId": ids["index_id"], "dataSourceId": ids["data_source_id"]}


def _list_all(c: Any, ids: dict[str, str]) -> list[str]:
    pages = c.get_paginator("list_data_source_sync_jobs").paginate(**_kw(ids), PaginationConfig={"PageSize": 10})
    return [j["executionId"] for page in pages for j in page["history"]]


def test_throttle_all(qb: Harness) -> None:
    qb.ctl.set_faults(throttle_rate=1.0)
    c = qb.client(config=NO_RETRIES)
    with pytest.raises(c.exceptions.ThrottlingException) as exc:
        c.list_applications()
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert exc.value.response["Error"]["Message"]
    log = qb.ctl.requests()
    assert [(r["operation"], r["status_code"], r["fault"]) for r in log] == [("ListApplications", 429, "throttle")]


def test_server_error_500(qb: Harness) -> None:
    qb.ctl.set_faults(server_error_rate=1.0)
    c = qb.client(config=NO_RETRIES)
    with pytest.raises(c.exceptions.InternalServerException) as exc:
        c.list_applications()
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert qb.ctl.requests()[-1]["fault"] == "server_error"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_server_error_without_code(qb: Harness, status: int) -> None:
    qb.ctl.set_faults(server_error_rate=1.0, server_error_status=status)
    c = qb.client(config=NO_RETRIES)
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        c.list_applications()
    assert exc.value.response["Error"]["Code"] == str(status)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_faults_limited_to_operations(qb: Harness) -> None:
    c = qb.client(config=NO_RETRIES)
    app = c.create_application(displayName="ops")["applicationId"]
    qb.ctl.set_faults(throttle_rate=1.0, operations=["ListApplications"])
    assert c.get_application(applicationId=app)["applicationId"] == app
    with pytest.raises(c.exceptions.ThrottlingException):
        c.list_applications()


def test_seeded_throttle_with_default_retries_lists_everything(qb: Harness) -> None:
    ids = qb.make_data_source()
    seeded = qb.ctl.seed_history(**ids, generate={"count": 57})
    qb.ctl.set_faults(throttle_rate=0.3, seed=7, operations=["ListDataSourceSyncJobs"])
    listed = _list_all(qb.client(), ids)  # botocore's default retry mode retries ThrottlingException
    assert sorted(listed) == sorted(seeded) and len(listed) == 57
    log = [r for r in qb.ctl.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    throttled = [r for r in log if r["fault"] == "throttle"]
    assert throttled and all(r["status_code"] == 429 for r in throttled)
    assert len([r for r in log if r["status_code"] == 200]) == 6


def test_seed_makes_draws_repeatable(qb: Harness) -> None:
    c = qb.client(config=NO_RETRIES)
    outcomes = []
    for _ in range(2):
        qb.ctl.set_faults(throttle_rate=0.5, seed=42)
        qb.ctl.clear_requests()
        for _ in range(12):
            with contextlib.suppress(c.exceptions.ThrottlingException):
                c.list_applications()
        outcomes.append([r["fault"] for r in qb.ctl.requests()])
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {None, "throttle"}


@pytest.mark.parametrize("order", ["shuffled", "oldest_first"])
def test_history_order_still_covers_every_job(qb: Harness, order: str) -> None:
    ids = qb.make_data_source()
    seeded = qb.ctl.seed_history(**ids, generate={"count": 57})
    c = qb.client()
    newest_first = _list_all(c, ids)
    qb.ctl.set_faults(history_order=order, seed=3)
    listed = _list_all(c, ids)
    assert len(listed) == 57 and sorted(listed) == sorted(seeded)
    assert listed != newest_first
    if order == "oldest_first":
        assert listed == newest_first[::-1]
    else:
        assert _list_all(c, ids) == listed  # the permutation is stable


def test_repeat_next_token(qb: Harness) -> None:
    ids = qb.make_data_source()
    qb.ctl.seed_history(**ids, generate={"count": 35})
    qb.ctl.set_faults(repeat_next_token=True)
    c = qb.client()
    first = c.list_data_source_sync_jobs(**_kw(ids))
    second = c.list_data_source_sync_jobs(**_kw(ids), nextToken=first["nextToken"])
    assert second["nextToken"] == first["nextToken"]
    third = c.list_data_source_sync_jobs(**_kw(ids), nextToken=second["nextToken"])
    assert third["nextToken"] == first["nextToken"]
    with pytest.raises(botocore.exceptions.PaginationError):
        list(c.get_paginator("list_data_source_sync_jobs").paginate(**_kw(ids)))  # botocore's paginator detects it too


def test_latency_is_added(qb: Harness) -> None:
    c = qb.client()
    qb.ctl.set_faults(latency_ms=300)
    started = time.monotonic()
    c.list_applications()
    assert time.monotonic() - started >= 0.3


def test_faults_roundtrip_and_clear(qb: Harness) -> None:
    config = qb.ctl.set_faults(throttle_rate=0.25, latency_ms=5, seed=1, operations=["ListDataSourceSyncJobs"], history_order="shuffled")
    assert config == qb.ctl.get_faults()
    assert config["throttle_rate"] == 0.25 and config["operations"] == ["ListDataSourceSyncJobs"] and config["repeat_next_token"] is False
    cleared = qb.ctl.clear_faults()
    assert (
        cleared
        == qb.ctl.get_faults()
        == {
            "throttle_rate": 0.0,
            "server_error_rate": 0.0,
            "server_error_status": 500,
            "latency_ms": 0,
            "seed": None,
            "operations": None,
            "history_order": "newest_first",
            "repeat_next_token": False,
            "denied_access_keys": None,
            "drop_connection_rate": 0.0,
        }
    )


def test_denied_access_keys_answer_access_denied() -> None:
    """A listed access key is refused with 403 AccessDeniedException; others still get through."""
    with mock_aws():
        control.reset()
        control.set_faults(denied_access_keys=["AKIADENIED0000000000"])
        denied = boto3.client("qbusiness", region_name="us-east-1", aws_access_key_id="AKIADENIED0000000000", aws_secret_access_key="x")
        allowed = boto3.client("qbusiness", region_name="us-east-1", aws_access_key_id="AKIAALLOWED000000000", aws_secret_access_key="x")
        with pytest.raises(botocore.exceptions.ClientError) as err:
            denied.list_applications()
        assert err.value.response["Error"]["Code"] == "AccessDeniedException"
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert allowed.list_applications()["applications"] == []
        assert [r["fault"] for r in control.requests()] == ["access_denied", None]
        control.reset()


def test_dropped_connection_without_retries(qb: Harness) -> None:
    """No answer at all: botocore sees the connection closed (in process: the same exception, raised from its send)."""
    ids = qb.make_data_source()
    qb.ctl.seed_history(**ids, generate={"count": 3})
    qb.ctl.clear_requests()
    qb.ctl.set_faults(drop_connection_rate=1.0, operations=["ListDataSourceSyncJobs"])
    c = qb.client(config=NO_RETRIES)
    with pytest.raises(botocore.exceptions.ConnectionClosedError) as exc:
        c.list_data_source_sync_jobs(**_kw(ids))
    assert "Connection was closed before we received a valid response" in str(exc.value)
    assert c.get_data_source(**_kw(ids))["dataSourceId"] == ids["data_source_id"]  # other operations are not dropped
    assert [(r["operation"], r["status_code"], r["fault"]) for r in qb.ctl.requests()] == [
        ("ListDataSourceSyncJobs", 0, "connection_dropped"),
        ("GetDataSource", 200, None),
    ]
    qb.ctl.clear_faults()
    assert len(c.list_data_source_sync_jobs(**_kw(ids))["history"]) == 3  # the server still answers afterwards


def test_seeded_drops_with_default_retries_list_everything(qb: Harness) -> None:
    ids = qb.make_data_source()
    seeded = qb.ctl.seed_history(**ids, generate={"count": 57})
    qb.ctl.set_faults(drop_connection_rate=0.3, seed=7, operations=["ListDataSourceSyncJobs"])
    listed = _list_all(qb.client(), ids)  # botocore's default retry mode retries ConnectionClosedError
    assert sorted(listed) == sorted(seeded) and len(listed) == 57  # nothing lost or doubled
    log = [r for r in qb.ctl.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    dropped = [r for r in log if r["fault"] == "connection_dropped"]
    assert dropped and all(r["status_code"] == 0 for r in dropped)
    assert len([r for r in log if r["status_code"] == 200]) == 6
    assert len(log) == 6 + len(dropped)


@pytest.mark.parametrize("value", [1.5, -0.1, "x", True, None, float("nan")])
def test_drop_connection_rate_is_validated(value: Any) -> None:
    with pytest.raises(control.ControlError, match="'drop_connection_rate' must be a number between 0 and 1") as exc:
        control.set_faults(drop_connection_rate=value)
    assert exc.value.status == 400
    assert control.get_faults()["drop_connection_rate"] == 0.0


def test_drop_connection_rate_is_validated_over_http(server: Harness) -> None:
    with pytest.raises(urllib.error.HTTPError) as exc:
        server.ctl.set_faults(drop_connection_rate=1.5)
    status, body = http_error(exc.value)
    assert status == 400 and "drop_connection_rate" in body["message"]
    assert server.ctl.set_faults(drop_connection_rate=1)["drop_connection_rate"] == 1.0


def test_fault_draw_order() -> None:
    """Denied key (no draw), then dropped connection, then throttle, then server error; the first that fires wins."""
    runtime = faults.FaultInjector()
    runtime.configure({"drop_connection_rate": 1.0, "throttle_rate": 1.0, "server_error_rate": 1.0, "denied_access_keys": ["AKIADENIED"]})
    assert (runtime.decide("ListApplications", "AKIADENIED").fault, runtime.decide("ListApplications", "AKIAOTHER").fault) == (
        "access_denied",
        "connection_dropped",
    )
    assert runtime.decide("ListApplications").status == 0
    runtime.configure({"drop_connection_rate": 0.5, "throttle_rate": 0.5, "seed": 11})
    mixed = [runtime.decide("ListApplications").fault for _ in range(40)]
    assert {"connection_dropped", "throttle", None} <= set(mixed)
    # A drop rate of 0 makes no draw: throttle draws are the same as without the key.
    seen = []
    for spec in ({"throttle_rate": 0.5, "seed": 5}, {"throttle_rate": 0.5, "seed": 5, "drop_connection_rate": 0}):
        runtime.configure(spec)
        seen.append([runtime.decide("ListApplications").fault for _ in range(20)])
    assert seen[0] == seen[1]


def test_dropped_connection_under_plain_moto_server() -> None:
    """moto's own ThreadedMotoServer has no EmulatorApp: the socket is shut down from the handler instead."""
    from moto.server import ThreadedMotoServer

    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    try:
        control.reset()
        host, port = moto_server.get_host_and_port()
        client = boto3.client(
            "qbusiness",
            region_name="us-east-1",
            endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=NO_RETRIES,
        )
        control.set_faults(drop_connection_rate=1.0, operations=["ListApplications"])
        with pytest.raises(botocore.exceptions.ConnectionClosedError):
            client.list_applications()
        app_id = client.create_application(displayName="after-drop")["applicationId"]
        assert [(r["operation"], r["status_code"], r["fault"]) for r in control.requests()] == [
            ("ListApplications", 0, "connection_dropped"),
            ("CreateApplication", 200, None),
        ]
        assert app_id
    finally:
        moto_server.stop()
        control.reset()
