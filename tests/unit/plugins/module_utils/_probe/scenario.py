# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The data sources the probe's tests read, and a probe run on one of them."""

from __future__ import annotations

from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._probe.context import ProbeContext
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.options import ProbeOptions
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.recording import RecordingClient
from ansible_collections.qbusiness.ops.plugins.module_utils._probe.run import run_probe
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import validate_data_source_selection
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

APP = "bbbbbbbb-0000-4000-8000-000000000001"
INDEX = "bbbbbbbb-0000-4000-8000-000000000002"
BUSY = "bbbbbbbb-0000-4000-8000-000000000003"  # 10 finished jobs, hourly, and one sync in progress
IDLE = "bbbbbbbb-0000-4000-8000-000000000004"  # the same 10 finished jobs, nothing running
ODD = "bbbbbbbb-0000-4000-8000-000000000005"  # a job whose status is none of the seven
SINGLE = "bbbbbbbb-0000-4000-8000-000000000006"  # one job only
RUNNING_JOB = "running-" + "0" * 28
ODD_JOB = "oddjob-" + "0" * 29

_FINISHED = {"count": 10, "status": ["SUCCEEDED", "FAILED", "INCOMPLETE", "ABORTED"], "interval_seconds": 3600, "duration_seconds": 120}


def load_probe_scenario() -> None:
    """Load the data sources and clear the request log."""
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "probe",
                    "application_id": APP,
                    "indices": [
                        {
                            "name": "main",
                            "index_id": INDEX,
                            "data_sources": [
                                {
                                    "name": "busy",
                                    "data_source_id": BUSY,
                                    "generate_history": _FINISHED,
                                    "history": [{"execution_id": RUNNING_JOB, "status": "SYNCING", "start_time": "now-300"}],
                                },
                                {"name": "idle", "data_source_id": IDLE, "generate_history": _FINISHED},
                                {
                                    "name": "odd",
                                    "data_source_id": ODD,
                                    "generate_history": _FINISHED,
                                    "history": [{"execution_id": ODD_JOB, "status": "PAUSED", "allow_unknown_status": True, "start_time": "now-200"}],
                                },
                                {"name": "single", "data_source_id": SINGLE, "history": [{"status": "SUCCEEDED", "start_time": "now-600"}]},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    control.clear_requests()


def probe(client, data_source_id: str, sample_size: int = 30, token_wait: int = 0, sleep=None):
    """The probe's result for one data source of the scenario."""
    options = ProbeOptions(validate_data_source_selection(dict(application_id=APP, index_id=INDEX, data_source_id=data_source_id)), sample_size, token_wait)
    return run_probe(client, options, sleep=sleep or (lambda seconds: None))


def context(client, data_source_id: str, limit: int = 30) -> ProbeContext:
    """What a behaviour's probe reads through, for one data source of the scenario."""
    recorder = RecordingClient(client)
    return ProbeContext(DataSourceService(recorder, DataSourceRef(APP, INDEX, data_source_id)), recorder, limit)


def by_key(result) -> dict:
    """The behaviours of a probe's result, by key."""
    return {b["key"]: b for b in result["behaviours"]}
