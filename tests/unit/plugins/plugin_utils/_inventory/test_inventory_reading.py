# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading the inventory over the core, against the emulator in-process: what is selected, the host variables, and
the requests it costs (every page of the listings it needs, one GetDataSource per data source kept, nothing more)."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import RETRY_DECORATOR
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.options import validate_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._inventory.reading import read_inventory

APP = "a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1"
INDEX = "b1b1b1b1-b1b1-4b1b-8b1b-b1b1b1b1b1"
DS = "c1c1c1c1-c1c1-4c1c-8c1c-c1c1c1c1"
EU_APP = "e1e1e1e1-e1e1-4e1e-8e1e-e1e1e1e1e1e1"


def _sources(app, index, count):
    return [
        {
            "name": f"source-{n:02d}",
            "data_source_id": f"{DS}{app}{index}{n:02d}",
            "history": [{"status": "FAILED" if n == 0 else "SUCCEEDED", "start_time": "now-600"}] if n < 2 else [],
        }
        for n in range(count)
    ]


@pytest.fixture(name="seeded")
def seeded_fixture(emulated_client):
    """us-east-1: handbook (main: 12 data sources, two pages; spare: 1, FAILED) and a twin-named pair; eu-west-1: one."""
    main = _sources(1, 1, 12)
    main[3]["sync_schedule"] = "cron(0 * * * ? *)"
    main[3]["type"] = "CONFLUENCEV2"
    control.load_scenario(
        {
            "region": "us-east-1",
            "applications": [
                {
                    "name": "handbook",
                    "application_id": APP + "01",
                    "indices": [
                        {"name": "main", "index_id": INDEX + "11", "data_sources": main},
                        {"name": "spare", "index_id": INDEX + "12", "data_sources": [dict(_sources(1, 2, 1)[0], status="FAILED")]},
                    ],
                },
                {"name": "twin", "application_id": APP + "02"},
                {"name": "twin", "application_id": APP + "03"},
            ],
        }
    )
    control.load_scenario(
        {
            "region": "eu-west-1",
            "applications": [
                {"name": "handbook", "application_id": EU_APP, "indices": [{"name": "main", "index_id": INDEX + "21", "data_sources": _sources(2, 1, 1)}]}
            ],
        }
    )
    control.clear_requests()
    return emulated_client


def client_for(region):
    return RetryingBotoClientWrapper(boto3.client("qbusiness", region_name=region), RETRY_DECORATOR)


def read(regions=("us-east-1",), **given):
    return read_inventory(client_for, list(regions), validate_options(given.get))


def operations():
    return Counter((request["operation"], request["region"]) for request in control.requests())


def test_every_data_source_of_every_region_with_its_variables(seeded):
    hosts = read(["us-east-1", "eu-west-1"])
    assert len(hosts) == 12 + 1 + 1
    wiki = hosts[3]
    assert wiki == {
        "qbusiness_region": "us-east-1",
        "qbusiness_application_id": APP + "01",
        "qbusiness_application_name": "handbook",
        "qbusiness_index_id": INDEX + "11",
        "qbusiness_index_name": "main",
        "qbusiness_data_source_id": f"{DS}1103",
        "qbusiness_data_source_name": "source-03",
        "qbusiness_data_source_type": "CONFLUENCEV2",
        "qbusiness_data_source_status": "ACTIVE",
        "qbusiness_sync_schedule": "cron(0 * * * ? *)",
        "qbusiness_created_at": wiki["qbusiness_created_at"],
        "qbusiness_updated_at": wiki["qbusiness_updated_at"],
    }
    assert wiki["qbusiness_created_at"].endswith("+00:00")
    assert hosts[0]["qbusiness_sync_schedule"] is None
    assert hosts[-1]["qbusiness_region"] == "eu-west-1" and hosts[-1]["qbusiness_application_id"] == EU_APP
    # Every page once, per region: the applications, the indices of each application, the data sources of each index
    # (12 in pages of 10: two), one GetDataSource each; no sync history without include_latest_sync.
    assert operations() == Counter(
        {
            ("ListApplications", "us-east-1"): 1,
            ("ListIndices", "us-east-1"): 3,
            ("ListDataSources", "us-east-1"): 2 + 1,
            ("GetDataSource", "us-east-1"): 13,
            ("ListApplications", "eu-west-1"): 1,
            ("ListIndices", "eu-west-1"): 1,
            ("ListDataSources", "eu-west-1"): 1,
            ("GetDataSource", "eu-west-1"): 1,
        }
    )


def test_latest_sync_in_the_collections_shape(seeded):
    hosts = read(index_names=["main"], include_latest_sync=True)
    assert [host["qbusiness_latest_sync"]["status"] if host["qbusiness_latest_sync"] else None for host in hosts[:3]] == ["FAILED", "SUCCEEDED", None]
    assert set(hosts[0]["qbusiness_latest_sync"]) >= {"execution_id", "status", "start_time", "end_time", "error", "metrics"}
    assert operations()[("ListDataSourceSyncJobs", "us-east-1")] > 0


def test_selection_by_names_ids_and_status(seeded):
    assert [h["qbusiness_index_name"] for h in read(application_names=["handbook"], data_source_statuses=["FAILED"])] == ["spare"]
    by_index = read(["us-east-1", "eu-west-1"], index_ids=[INDEX + "21"])
    assert [h["qbusiness_region"] for h in by_index] == ["eu-west-1"]
    # A data source left out by its status costs no GetDataSource.
    control.clear_requests()
    read(data_source_statuses=["CREATING"])
    assert operations()[("GetDataSource", "us-east-1")] == 0


def test_a_name_in_one_region_only_is_found(seeded):
    assert len(read(["us-east-1", "eu-west-1"], application_ids=[EU_APP], application_names=["handbook"])) == 14


@pytest.mark.parametrize(
    "given, message",
    [
        (
            dict(application_names=["nope"]),
            r"^application_names 'nope': no application in region us-east-1 has that display name \(matched exactly\); "
            r"the applications in region us-east-1 are named 'handbook', 'twin'$",
        ),
        (dict(application_ids=[EU_APP]), r"^application_ids: no application in region us-east-1 has the ID " + EU_APP),
        (
            dict(application_names=["twin"]),
            r"^application_names 'twin': 2 applications in region us-east-1 have that display name "
            r"\(a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a102, a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a103\); .* give application_ids",
        ),
        (
            dict(index_names=["other"]),
            r"^index_names 'other': no index of the selected applications in region us-east-1 has that display name .*; "
            r"the indices of the selected applications in region us-east-1 are named 'main', 'spare'$",
        ),
    ],
)
def test_names_and_ids_that_match_nothing_or_several_fail_naming_the_option(seeded, given, message):
    with pytest.raises(QBusinessError, match=message):
        read(**given)
    # Found out from the listings of applications and indices: no data source was read.
    assert not {op for op, region in operations()} & {"ListDataSources", "GetDataSource"}
