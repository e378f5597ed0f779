# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Resume tokens: botocore's format, one page size per listing, and a service that binds its tokens to the request.

The listings here run with the emulator's ``tokens_bound_to_request`` behaviour on: a nextToken is accepted
only with exactly the parameters of the request that produced it, maxResults included.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from botocore.paginate import TokenDecoder
from botocore.paginate import TokenEncoder
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import ResumePoint
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import LONG
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import list_calls
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import load_histories
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import source


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_histories()
    control.set_behaviours(tokens_bound_to_request=True)
    return emulated_client


def _b64(value):
    return base64.b64encode(json.dumps(value).encode()).decode()


def _read_in_parts(client, size, filters=None):
    """The whole history of LONG, ``size`` jobs a call, each resuming from the last one's token."""
    parts, token = [], None
    while True:
        jobs, next_token = source(client, LONG).list_sync_jobs_and_token(filters, max_results=size, start=validate_next_token(token))
        parts.append([job["executionId"] for job in jobs])
        if next_token is None:
            return parts
        token = next_token


@pytest.mark.parametrize(
    "point, written",
    [
        (ResumePoint("abc", 5), {"nextToken": "abc", "boto_truncate_amount": 5}),
        (ResumePoint("abc"), {"nextToken": "abc"}),  # a page boundary: botocore leaves the amount out
        (ResumePoint(None, 3), {"nextToken": None, "boto_truncate_amount": 3}),  # cut inside the first page
    ],
)
def test_the_format_is_botocores_own(point, written):
    assert point.encode() == TokenEncoder().encode(written)
    assert TokenDecoder().decode(point.encode()) == written
    assert validate_next_token(point.encode()) == point


@pytest.mark.parametrize("plain", ["qbe1.eyJvIjoxMH0", "x" * 800, _b64({"offset": 10}), _b64([1, 2]), "not base64 !"])
def test_a_plain_service_token_is_taken_as_it_is(plain):
    """Only an object with botocore's keys is a resume token: the service's tokens are opaque, base64 JSON or not."""
    assert validate_next_token(plain) == ResumePoint(plain)


@pytest.mark.parametrize(
    "bad, why",
    [
        ("", "empty"),
        (42, "not a string"),
        ("x" * 801, "1 to 800 characters"),
        (_b64({"nextToken": "abc", "extra": 1}), "this one holds extra, nextToken"),
        (_b64({"boto_truncate_amount": 3}), "this one holds boto_truncate_amount"),
        (_b64({"nextToken": "abc", "boto_truncate_amount": 10}), "from 0 to 9"),
        (_b64({"nextToken": "abc", "boto_truncate_amount": -1}), "from 0 to 9"),
        (_b64({"nextToken": "abc", "boto_truncate_amount": True}), "from 0 to 9"),
        (_b64({"nextToken": "abc", "boto_truncate_amount": "3"}), "from 0 to 9"),
        (_b64({"nextToken": 7}), "null or a string of 1 to 800"),
        (_b64({"nextToken": ""}), "null or a string of 1 to 800"),
        (_b64({"nextToken": "y" * 801}), "null or a string of 1 to 800"),
    ],
)
def test_a_token_that_is_neither_is_refused_naming_next_token(bad, why):
    with pytest.raises(OptionError) as err:
        validate_next_token(bad)
    assert err.value.message.startswith("next_token must be the next_token of an earlier listing")
    assert why in err.value.message


def test_fifty_seven_jobs_read_fifteen_at_a_time_under_bound_tokens(client):
    everything, dummy = source(client, LONG).list_sync_jobs_and_token()
    control.clear_requests()
    parts = _read_in_parts(client, 15)
    seen = [execution_id for part in parts for execution_id in part]
    assert [len(part) for part in parts] == [15, 15, 15, 12]
    assert len(set(seen)) == 57 and sorted(seen) == sorted(job["executionId"] for job in everything)
    calls = list_calls()
    # One page size from the first request to the last, and every one accepted.
    assert {call["params"]["maxResults"] for call in calls} == {"10"} and {call["status_code"] for call in calls} == {200}
    # 15 = 10 + 5 of the next page; resumed, that page is asked again: 2, 2, 2 and 2 requests.
    assert len(calls) == 8


def test_shuffled_order_and_throttling_still_read_every_job_once(client):
    control.set_faults(history_order="shuffled", seed=11, throttle_rate=0.3, operations=["ListDataSourceSyncJobs"])
    parts = _read_in_parts(client, 15)
    seen = [execution_id for part in parts for execution_id in part]
    assert [len(part) for part in parts] == [15, 15, 15, 12]
    assert len(set(seen)) == 57
    assert any(call["fault"] == "throttle" for call in list_calls())


def test_the_token_resumes_boto3s_paginator_and_the_other_way_round(client):
    """Ours and boto3's (MaxItems=15, PageSize=10) are the same token but for the service's own (the emulator's
    carry when they were minted), and each resumes the other's listing."""
    boto3_client = client.client
    request = dict(applicationId=APP, indexId=INDEX, dataSourceId=LONG)
    paginator = boto3_client.get_paginator("list_data_source_sync_jobs")
    first = paginator.paginate(**request, PaginationConfig={"MaxItems": 15, "PageSize": 10}).build_full_result()
    jobs, ours = source(client, LONG).list_sync_jobs_and_token(max_results=15)
    theirs = TokenDecoder().decode(first["NextToken"])
    assert TokenDecoder().decode(ours) == dict(theirs, nextToken=TokenDecoder().decode(ours)["nextToken"])
    assert theirs["boto_truncate_amount"] == 5
    assert [job["executionId"] for job in jobs] == [job["executionId"] for job in first["history"]]

    resumed = paginator.paginate(**request, PaginationConfig={"MaxItems": 15, "PageSize": 10, "StartingToken": ours}).build_full_result()
    again, dummy = source(client, LONG).list_sync_jobs_and_token(max_results=15, start=validate_next_token(first["NextToken"]))
    assert [job["executionId"] for job in again] == [job["executionId"] for job in resumed["history"]]
    assert not {job["executionId"] for job in again} & {job["executionId"] for job in jobs}


def test_a_plain_service_token_resumes_from_its_page(client):
    page = client.client.list_data_source_sync_jobs(applicationId=APP, indexId=INDEX, dataSourceId=LONG, maxResults=10)
    jobs, token = source(client, LONG).list_sync_jobs_and_token(start=validate_next_token(page["nextToken"]))
    assert len(jobs) == 47 and token is None
    assert not {job["executionId"] for job in jobs} & {job["executionId"] for job in page["history"]}


def test_a_token_of_another_listing_fails_saying_the_service_refused_it(client):
    dummy, token = source(client, LONG).list_sync_jobs_and_token(max_results=15)
    control.clear_requests()
    with pytest.raises(QBusinessError) as err:
        source(client, LONG).list_sync_jobs_and_token(build_list_filters(status_filter="FAILED"), max_results=15, start=validate_next_token(token))
    assert err.value.message.startswith(f"Failed to list the sync jobs of data source {LONG}: the service refused next_token")
    assert "list again without next_token" in err.value.message
    assert err.value.exception.response["Error"]["Code"] == "ValidationException"
    assert len(list_calls()) == 1


def test_a_token_that_expires_mid_listing_fails_saying_the_service_refused_it(client, monkeypatch):
    control.set_behaviours(token_ttl_seconds=0.2)
    real = client.client.list_data_source_sync_jobs

    def slow_second_page(**kwargs):
        if "nextToken" in kwargs:
            time.sleep(0.3)  # past the tokens' life
        return real(**kwargs)

    monkeypatch.setattr(client.client, "list_data_source_sync_jobs", slow_second_page)
    monkeypatch.delattr(client, "list_data_source_sync_jobs", raising=False)
    control.clear_requests()
    with pytest.raises(QBusinessError) as err:
        source(client, LONG).list_sync_jobs_and_token()
    assert "the service refused the nextToken it had returned for the next page, after 10 items" in err.value.message
    assert "expired" in str(err.value)  # the service's own words, kept beside ours
    assert [call["status_code"] for call in list_calls()] == [200, 400]
