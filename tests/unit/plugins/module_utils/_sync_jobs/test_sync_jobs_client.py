# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's client against the emulator in-process: the pagination loop and the retry policy under faults."""

from __future__ import annotations

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import paginate
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import LONG
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import MIXED
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import list_calls
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import load_histories
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import source


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_histories()
    return emulated_client


def test_repeated_next_token_stops_with_a_clear_error(client):
    control.set_faults(repeat_next_token=True)
    with pytest.raises(QBusinessError) as err:
        source(client, LONG).list_sync_jobs_and_token()
    assert "nextToken it had already returned" in err.value.message
    # One page, then the repeat was seen on the second: no third request.
    assert len(list_calls()) == 2


def test_thirty_percent_throttling_still_lists_exactly(client):
    control.set_faults(throttle_rate=0.3, seed=7, operations=["ListDataSourceSyncJobs"])
    jobs, token = source(client, LONG).list_sync_jobs_and_token()
    assert token is None
    assert len({job["executionId"] for job in jobs}) == len(jobs) == 57
    assert any(r["fault"] == "throttle" for r in list_calls())


@pytest.mark.parametrize("status", [500, 503])
def test_thirty_percent_server_errors_still_list_exactly(client, status):
    control.set_faults(server_error_rate=0.3, server_error_status=status, seed=7, operations=["ListDataSourceSyncJobs"])
    jobs, token = source(client, LONG).list_sync_jobs_and_token()
    assert token is None
    assert len({job["executionId"] for job in jobs}) == len(jobs) == 57
    assert any(r["fault"] == "server_error" and r["status_code"] == status for r in list_calls())


def test_retry_policy_outlasts_botocore_alone(client, monkeypatch):
    """A run of throttles longer than botocore's own 5 attempts: the collection's retry layer still gets through."""
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # skip the backoff waits; their lengths are not under test
    # With seed 3 the first 7 draws are below 0.8: seven throttled answers in a row, then a success.
    control.set_faults(throttle_rate=0.8, seed=3, operations=["ListDataSourceSyncJobs"])
    jobs, token = source(client, MIXED).list_sync_jobs_and_token()
    assert token is None and len(jobs) == 3
    assert [r["fault"] for r in list_calls()] == ["throttle"] * 7 + [None]


def test_keep_filters_on_the_client_and_resumes_after_the_last_kept(client):
    """57 jobs alternating SUCCEEDED/FAILED (29 + 28): 10 FAILED ones at a time, each cut resuming exactly where it
    stopped (inside a page), and every FAILED job read once."""
    ref = source(client, LONG).ref
    request = dict(applicationId=ref.application_id, indexId=ref.index_id, dataSourceId=ref.data_source_id)

    def failed(job):
        return job["status"] == "FAILED"

    everything, dummy = paginate(client.list_data_source_sync_jobs, request, "history", "jobs")
    expected = [job["executionId"] for job in everything if failed(job)]
    seen, parts, token = [], [], None
    while True:
        jobs, token = paginate(client.list_data_source_sync_jobs, request, "history", "jobs", max_results=10, start=validate_next_token(token), keep=failed)
        assert all(failed(job) for job in jobs)
        parts.append(len(jobs))
        seen.extend(job["executionId"] for job in jobs)
        if token is None:
            break
    assert seen == expected and len(expected) in (28, 29)
    assert parts[:-1] == [10] * (len(parts) - 1)
