# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate under the service behaviours AWS does not document, each played by the emulator's switch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reading import gate_data_source
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._gate.test_gate_reading import APP
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._gate.test_gate_reading import DS
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._gate.test_gate_reading import INDEX
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._gate.test_gate_reading import _source
from ansible_collections.qbusiness.ops.tests.unit.plugins.plugin_utils._gate.test_gate_reading import client_fixture  # noqa: F401  pylint: disable=unused-import  # the fixture, shared

HIDING = [{}, {"time_filter_keeps_running": False}, {"time_filter_field": "end_time", "time_filter_bounds": "exclusive"}]


@pytest.mark.parametrize("behaviours", HIDING, ids=["default", "hides_running", "end_time_exclusive"])
def test_a_running_sync_is_seen_whatever_the_time_filter_means(client, behaviours):
    """Register item 3: where a running sync can change the verdict (an in-progress status in fail_on, or wait),
    it is seen even by a service whose time filter leaves running syncs out; with max_age, the same. Without
    them the verdict is the newest finished sync's under every reading, and the running one is reported where
    the service's listing shows it."""
    control.set_behaviours(**behaviours)
    control.set_next_sync(APP, INDEX, DS, never_ends=True)
    running = control.start_sync(APP, INDEX, DS)["execution_id"]
    hidden = behaviours != {}
    for max_age in (None, timedelta(hours=3)):
        verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=max_age))
        assert verdict.passed and verdict.job["status"] == "SUCCEEDED"
        assert (verdict.running_job is None) if hidden else (verdict.running_job["execution_id"] == running)
        strict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=max_age, fail_on=frozenset({"FAILED", "SYNCING"})))
        assert not strict.passed and strict.job["execution_id"] == running and strict.job["status"] == "SYNCING"


@pytest.mark.parametrize("behaviours", HIDING, ids=["default", "hides_running", "end_time_exclusive"])
def test_max_age_reads_the_same_whatever_the_time_filter_means(client, behaviours):
    """Register item 2: the window is asked from a second before max_age and kept by start time, client-side."""
    control.set_behaviours(**behaviours)
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=timedelta(hours=3)))
    assert verdict.passed  # the seeded sync started 2 h ago
    assert not gate_data_source(_source(client, APP, INDEX, DS), GateOptions(max_age=timedelta(hours=1))).passed


@pytest.mark.parametrize("wait", [False, True])
def test_an_unknown_status_never_passes(client, wait):
    """Register item 5: a status none of the seven fails the gate, naming it, and is not waited on."""
    control.seed_history(APP, INDEX, DS, jobs=[{"status": "PAUSED", "allow_unknown_status": True, "start_time": "now-60"}])
    control.clear_requests()
    verdict = gate_data_source(_source(client, APP, INDEX, DS), GateOptions(wait=wait, wait_timeout=30, wait_sleep=1))
    assert not verdict.passed and verdict.job["status"] == "PAUSED"
    assert verdict.reasons == [
        f"sync {verdict.job['execution_id']} has status 'PAUSED', which is none of the statuses qbusiness.ops knows (FAILED, "
        "SUCCEEDED, SYNCING, INCOMPLETE, STOPPING, ABORTED, SYNCING_INDEXING); the gate never passes a status it does not know"
    ]
    # the day window, then (wait: a running sync could matter) the 3 in-progress statuses; no polling; beside them the
    # data source's own status; no document listing (the sync reports 0 failed documents)
    operations = [r["operation"] for r in control.requests()]
    assert operations.count("ListDataSourceSyncJobs") == (4 if wait else 1)
    assert operations.count("GetDataSource") == 1 and len(operations) == (5 if wait else 2)
