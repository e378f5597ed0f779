# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The histories the client, service and listing tests read: a long one, one of three jobs, an empty one."""

from __future__ import annotations

from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

APP = "aaaaaaaa-0000-4000-8000-000000000001"
INDEX = "aaaaaaaa-0000-4000-8000-000000000002"
LONG = "aaaaaaaa-0000-4000-8000-000000000003"
MIXED = "aaaaaaaa-0000-4000-8000-000000000004"
SPARSE = "aaaaaaaa-0000-4000-8000-000000000005"  # empty; each test of list_recent_jobs seeds its own history
# Execution ids follow the same 36-character pattern as the other ids.
JOB_A, JOB_B, JOB_C = ("job-a-" + "0" * 30, "job-b-" + "0" * 30, "job-c-" + "0" * 30)


def load_histories():
    """Load the scenario and clear the request log."""
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "unit",
                    "application_id": APP,
                    "indices": [
                        {
                            "name": "main",
                            "index_id": INDEX,
                            "data_sources": [
                                {
                                    "name": "long",
                                    "data_source_id": LONG,
                                    "generate_history": {"count": 57, "status": ["SUCCEEDED", "FAILED"], "interval_seconds": 3600},
                                },
                                {
                                    "name": "mixed",
                                    "data_source_id": MIXED,
                                    "history": [
                                        {"execution_id": JOB_A, "status": "SUCCEEDED", "start_time": "2024-05-01T00:00:00Z"},
                                        {"execution_id": JOB_B, "status": "FAILED", "start_time": "2024-05-02T00:00:00Z"},
                                        {"execution_id": JOB_C, "status": "SUCCEEDED", "start_time": "2024-05-03T00:00:00Z"},
                                    ],
                                },
                                {"name": "sparse", "data_source_id": SPARSE},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    control.clear_requests()


def source(client, data_source_id):
    """One data source of the scenario's index, through ``client``."""
    return DataSourceService(client, DataSourceRef(APP, INDEX, data_source_id))


def list_calls():
    """The ListDataSourceSyncJobs requests since the log was last cleared."""
    return [r for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
