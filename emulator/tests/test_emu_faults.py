"""Injected faults: throttling, server errors, latency, history order, a repeated nextToken."""

from __future__ import annotations

import time
from typing import Any

import boto3
import botocore.exceptions
import pytest
from moto import mock_aws
from conftest import NO_RETRIES, Harness

from qbusiness_emulator import control


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
            try:
                c.list_applications()
            except c.exceptions.ThrottlingException:
                pass
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
    assert cleared == qb.ctl.get_faults() == {"throttle_rate": 0.0, "server_error_rate": 0.0, "server_error_status": 500, "latency_ms": 0,
                                              "seed": None, "operations": None, "history_order": "newest_first", "repeat_next_token": False,
                                              "denied_access_keys": None}


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
