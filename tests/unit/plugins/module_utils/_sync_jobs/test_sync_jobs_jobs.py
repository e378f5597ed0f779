# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The job shape: normalising the service's jobs, their order and the latest one; no service involved."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job

UTC = timezone.utc


def test_normalize_job_snake_cases_converts_and_invents_nothing():
    raw = {
        "executionId": "e1",
        "status": "FAILED",
        "startTime": datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
        "endTime": datetime(2024, 5, 1, 10, 5, 30, tzinfo=UTC),
        "error": {"errorCode": "InvalidRequest", "errorMessage": "expired"},
        "dataSourceErrorCode": "AUTH_FAILED",
        "metrics": {"documentsAdded": "3", "documentsDeleted": "0", "documentsFailed": "12", "documentsModified": "7", "documentsScanned": "1520"},
    }
    assert normalize_job(raw) == {
        "execution_id": "e1",
        "status": "FAILED",
        "start_time": "2024-05-01T10:00:00+00:00",
        "end_time": "2024-05-01T10:05:30+00:00",
        "error": {"error_code": "InvalidRequest", "error_message": "expired"},
        "data_source_error_code": "AUTH_FAILED",
        "metrics": {"documents_added": 3, "documents_deleted": 0, "documents_failed": 12, "documents_modified": 7, "documents_scanned": 1520},
    }
    running = normalize_job({"executionId": "e2", "status": "SYNCING", "startTime": datetime(2024, 5, 1, tzinfo=UTC)})
    assert running == {"execution_id": "e2", "status": "SYNCING", "start_time": "2024-05-01T00:00:00+00:00"}


def _job(execution_id, hour):
    return {"executionId": execution_id, "status": "SUCCEEDED", "startTime": datetime(2024, 5, 1, hour, tzinfo=UTC)}


def test_newest_first_and_latest_ignore_the_service_order():
    jobs = [_job("b", 3), _job("a", 1), _job("d", 9), _job("c", 5)]
    assert [j["executionId"] for j in newest_first(jobs)] == ["d", "c", "b", "a"]
    assert latest_job(jobs)["executionId"] == "d"
    assert latest_job(list(reversed(jobs)))["executionId"] == "d"
    assert latest_job([]) is None


def test_equal_start_times_order_stably_and_jobs_without_start_come_last():
    jobs = [_job("x", 4), {"executionId": "nostart", "status": "SYNCING"}, _job("y", 4)]
    assert [j["executionId"] for j in newest_first(jobs)] == ["y", "x", "nostart"]
    assert latest_job(jobs)["executionId"] == "y"
