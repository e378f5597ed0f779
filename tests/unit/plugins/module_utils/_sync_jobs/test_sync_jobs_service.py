# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One data source's calls against the emulator in-process: whole listings, resuming, filters, errors."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import build_list_filters
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import JOB_A
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import JOB_B
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import JOB_C
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import LONG
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import MIXED
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import list_calls
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import load_histories
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._sync_jobs.histories import source


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_histories()
    # As a service that accepts a nextToken only with the very request that produced it (maxResults included).
    control.set_behaviours(tokens_bound_to_request=True)
    return emulated_client


def test_whole_history_over_six_pages(client):
    jobs, token = source(client, LONG).list_sync_jobs_and_token()
    assert token is None
    assert len(jobs) == 57
    assert len({job["executionId"] for job in jobs}) == 57
    assert len(list_calls()) == 6


def test_max_results_inside_a_page_resumes_exactly(client):
    """25 = 10 + 10 + 5 of a third page: the token carries that page's token and the 5 already returned."""
    everything, dummy = source(client, LONG).list_sync_jobs_and_token()
    seen = []
    token = None
    parts = []
    while True:
        jobs, token = source(client, LONG).list_sync_jobs_and_token(max_results=25, start=validate_next_token(token))
        parts.append(len(jobs))
        seen.extend(job["executionId"] for job in jobs)
        if token is None:
            break
    assert parts == [25, 25, 7]
    assert sorted(seen) == sorted(job["executionId"] for job in everything)
    assert len(set(seen)) == 57


def test_filters_reach_the_service(client):
    filters = build_list_filters("2024-05-02T00:00:00Z", "2024-05-03T00:00:00Z", "FAILED")
    jobs, dummy = source(client, MIXED).list_sync_jobs_and_token(filters=filters)
    assert [job["executionId"] for job in jobs] == [JOB_B]
    assert len(list_calls()) == 1


def test_latest_is_chosen_by_start_time_not_by_service_order(client):
    control.set_faults(history_order="oldest_first")
    jobs, dummy = source(client, MIXED).list_sync_jobs_and_token()
    assert [job["executionId"] for job in jobs] == [JOB_A, JOB_B, JOB_C]
    assert latest_job(jobs)["executionId"] == JOB_C
    assert [job["executionId"] for job in newest_first(jobs)] == [JOB_C, JOB_B, JOB_A]


def test_unknown_data_source_keeps_the_service_error(client):
    with pytest.raises(QBusinessError) as err:
        source(client, "aaaaaaaa-0000-4000-8000-0000000000ff").list_sync_jobs_and_token()
    assert err.value.message == "Failed to list the sync jobs of data source aaaaaaaa-0000-4000-8000-0000000000ff"
    assert isinstance(err.value.exception, ClientError)
    assert err.value.exception.response["Error"]["Code"] == "ResourceNotFoundException"
