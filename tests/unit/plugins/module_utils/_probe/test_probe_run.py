# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole probe against the emulator: what it reports under each behaviour, the requests it sends (only reads)."""

from __future__ import annotations

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import BUSY
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import ODD
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import by_key
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import load_probe_scenario
from ansible_collections.qbusiness.ops.tests.unit.plugins.module_utils._probe.scenario import probe

KEYS = ["history_order", "time_filter", "time_filter_running", "token_binding", "token_expiry", "statuses", "conflict", "listing_delay"]


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    load_probe_scenario()
    return emulated_client


def test_default_behaviour(client):
    result = probe(client, BUSY, token_wait=1)
    assert [b["key"] for b in result["behaviours"]] == KEYS
    assert [b["item"] for b in result["behaviours"]] == [1, 2, 3, 4, 4, 5, 6, 7]
    assert (result["holds"], result["unheld"], result["differs"], result["changed"]) == (True, [], [], False)
    results = {key: b["result"] for key, b in by_key(result).items()}
    assert results == {**dict.fromkeys(KEYS[:6], "as_reference"), "conflict": "not_probed", "listing_delay": "not_probed"}
    assert by_key(result)["conflict"]["summary"] == "not probed read-only: the collection does not depend on it (register item 6)"
    assert result["data_source"] == {"display_name": "busy", "type": "S3", "status": "ACTIVE"}
    # 1 GetDataSource, 2 pages of sample, 5 time filter, 4 running, 4 tokens, 2 expiry.
    log = control.requests()
    assert len(log) == len(result["requests"]) == 18
    assert {r["operation"] for r in log} == {"GetDataSource", "ListDataSourceSyncJobs"}
    assert result["report"][0] == result["msg"]
    assert "(18 read requests)" in result["msg"]


@pytest.mark.parametrize(
    "behaviours, faults, differs",
    [
        ({}, {"history_order": "oldest_first"}, {"history_order": "oldest_first"}),
        ({}, {"history_order": "shuffled", "seed": 3}, {"history_order": "unordered"}),
        ({"time_filter_field": "end_time"}, {}, {"time_filter": "end_time, inclusive", "time_filter_running": "left_out"}),
        ({"time_filter_bounds": "exclusive"}, {}, {"time_filter": "start_time, exclusive"}),
        ({"time_filter_keeps_running": False}, {}, {"time_filter_running": "left_out"}),
        ({"tokens_bound_to_request": True}, {}, {"token_binding": "bound"}),
        ({"listing_delay_seconds": 5}, {}, {}),
        ({"stop_without_sync": "ok", "start_while_running": "ok"}, {}, {}),
    ],
)
def test_each_behaviour_is_told_apart(client, behaviours, faults, differs):
    control.set_behaviours(**behaviours)
    if faults:
        control.set_faults(**faults)
    result = probe(client, BUSY)
    assert {key: by_key(result)[key]["observed"] for key in result["differs"]} == differs
    assert result["holds"] is True
    assert not [r for r in control.requests() if r["operation"] not in ("GetDataSource", "ListDataSourceSyncJobs")]


def test_unknown_status(client):
    result = probe(client, ODD)
    assert result["differs"] == ["statuses"]
    assert by_key(result)["statuses"]["observed"] == "unknown: PAUSED"
    assert by_key(result)["time_filter_running"]["result"] == "not_observable"  # PAUSED is not in progress
    assert result["holds"] is True


def test_a_repeated_token_fails_the_probe(client):
    control.set_faults(repeat_next_token=True)
    result = probe(client, BUSY, sample_size=10)
    assert (result["holds"], result["unheld"]) == (False, ["token_binding"])
    assert "DOES NOT HOLD: token_binding" in result["msg"]


def test_errors_are_raised(client):
    with pytest.raises(QBusinessError, match="Failed to read data source"):
        probe(client, "bbbbbbbb-0000-4000-8000-00000000dead")
