# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Describing data sources (qbusiness_data_source_info's core) against the emulator in-process, counted."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.data_sources import describe_data_sources
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.data_sources import normalize_data_source
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef

APP = "a2222222-0000-4000-8000-000000000001"
INDEX = "b2222222-0000-4000-8000-000000000001"
DS = "c2222222-0000-4000-8000-0000000000{:02d}"


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    sources = [dict(name=f"ds-{n:02d}", data_source_id=DS.format(n), history=[dict(status="SUCCEEDED", start_time=f"now-{3600 * (n + 1)}")]) for n in range(25)]
    sources[0].update(history=[])
    sources[1].update(status="FAILED", error=dict(error_code="InvalidRequest", error_message="The secret holds no password"))
    sources[2].update(sync_schedule="cron(0 * * * ? *)", type="CONFLUENCEV2")
    control.load_scenario(dict(applications=[dict(name="app", application_id=APP, indices=[dict(name="main", index_id=INDEX, data_sources=sources)])]))
    control.clear_requests()
    return emulated_client


def operations():
    return Counter(request["operation"] for request in control.requests())


def test_normalize_keeps_what_was_sent_in_snake_case():
    created = datetime(2024, 4, 1, 9, 0, tzinfo=timezone.utc)
    raw = dict(
        dataSourceId=DS.format(1),
        displayName="wiki",
        type="S3",
        status="FAILED",
        createdAt=created,
        updatedAt=created,
        error=dict(errorCode="InvalidRequest", errorMessage="bad"),
        configuration={"secret": "arn:..."},
        roleArn="arn:role",
    )
    assert normalize_data_source(raw) == dict(
        data_source_id=DS.format(1),
        display_name="wiki",
        type="S3",
        status="FAILED",
        created_at="2024-04-01T09:00:00+00:00",
        updated_at="2024-04-01T09:00:00+00:00",
        error=dict(error_code="InvalidRequest", error_message="bad"),
    )


def test_one_get_per_data_source_and_no_listing(client):
    index = IndexRef(APP, INDEX)
    described = describe_data_sources(client, [index.data_source(DS.format(n)) for n in (2, 1)])
    assert [one["data_source_id"] for one in described] == [DS.format(2), DS.format(1)]
    assert described[0]["sync_schedule"] == "cron(0 * * * ? *)" and described[0]["type"] == "CONFLUENCEV2"
    assert described[0]["status"] == "ACTIVE" and "error" not in described[0]
    assert described[1]["status"] == "FAILED"
    assert described[1]["error"] == dict(error_code="InvalidRequest", error_message="The secret holds no password")
    assert "latest_sync" not in described[0]
    assert operations() == Counter(GetDataSource=2)


def test_latest_sync_over_25_data_sources(client):
    """One GetDataSource per data source, and the lookup's windowed read: the last day for 22 of them, the last week
    for the two that synced 24 and 25 hours ago, every window and then the whole (empty) history for the one that
    never synced; each also asks the 3 in-progress statuses once (its windows showed no running sync)."""
    index = IndexRef(APP, INDEX)
    described = describe_data_sources(client, [index.data_source(DS.format(n)) for n in range(25)], latest_sync=True)
    assert described[0]["latest_sync"] is None
    for n in range(1, 25):
        assert described[n]["latest_sync"]["status"] == "SUCCEEDED"
    counted = operations()
    assert counted["GetDataSource"] == 25
    assert counted["ListDataSourceSyncJobs"] == 22 * (1 + 3) + 2 * (2 + 3) + (4 + 3 + 1)
    assert set(counted) == {"GetDataSource", "ListDataSourceSyncJobs"}


def test_an_error_names_the_data_source(client):
    with pytest.raises(QBusinessError) as err:
        describe_data_sources(client, [IndexRef(APP, INDEX).data_source(DS.format(99), "gone")])
    assert err.value.message == f"Failed to read data source gone ({DS.format(99)})"
