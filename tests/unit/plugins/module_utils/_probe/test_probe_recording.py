# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The recording client: only the read calls, each written down with a short account of its answer."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from botocore.exceptions import ClientError

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import RecordingClient
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import describe_request
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import wire_time
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import BUSY
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import load_probe_scenario

IDS = dict(applicationId=APP, indexId=INDEX, dataSourceId=BUSY)


def test_wire_time_is_utc_to_the_millisecond():
    local = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert wire_time(local) == "2024-05-01T10:00:00.123Z"
    assert wire_time(datetime(2024, 5, 1)) == "2024-05-01T00:00:00.000Z"


def test_describe_request_leaves_the_ids_out_and_cuts_long_tokens():
    request = dict(IDS, aws_retry=True, maxResults=10, nextToken="x" * 40, startTime=datetime(2024, 5, 1, tzinfo=timezone.utc))
    assert describe_request("ListDataSourceSyncJobs", request) == (
        "ListDataSourceSyncJobs(startTime=2024-05-01T00:00:00.000Z, maxResults=10, nextToken=xxxxxxxxxxxx...)"
    )


def test_the_recording_client_only_reads():
    recorder = RecordingClient(object())
    assert not hasattr(recorder, "start_data_source_sync_job")
    assert not hasattr(recorder, "stop_data_source_sync_job")


def test_calls_and_jobs_are_written_down(emulated_client):
    load_probe_scenario()
    recorder = RecordingClient(emulated_client)
    recorder.get_data_source(aws_retry=True, **IDS)
    recorder.list_data_source_sync_jobs(aws_retry=True, maxResults=10, **IDS)
    assert recorder.calls[0] == "GetDataSource() -> displayName busy, type S3, status ACTIVE"
    assert recorder.calls[1].startswith("ListDataSourceSyncJobs(maxResults=10) -> 10 jobs, nextToken ")
    assert len(recorder.jobs) == 10
    assert recorder.since(1) == recorder.calls[1:]


class Refusing:
    def list_data_source_sync_jobs(self, **request):
        raise ClientError({"Error": {"Code": "ValidationException", "Message": "The nextToken is not valid"}}, "ListDataSourceSyncJobs")


def test_an_error_is_written_down_and_raised_on():
    recorder = RecordingClient(Refusing())
    with pytest.raises(ClientError):
        recorder.list_data_source_sync_jobs(maxResults=1, nextToken="t", **IDS)
    assert recorder.calls == ["ListDataSourceSyncJobs(maxResults=1, nextToken=t) -> ValidationException: The nextToken is not valid"]
