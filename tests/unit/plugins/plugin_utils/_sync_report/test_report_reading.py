# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the report reads, against the emulator in-process: names once, one windowed listing per data source, counted;
and under the service's other readings of its time filter (register item 2), the same syncs."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.options import validate_report_options
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import read_histories
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import resolve
from ansible_collections.qbusiness.ops.plugins.plugin_utils._sync_report.reading import unread_message

APP, INDEX = "aaaaaaaa-0000-4000-8000-00000000000a", "aaaaaaaa-0000-4000-8000-00000000000b"
LONG, STEADY, NEVER = ("aaaaaaaa-0000-4000-8000-0000000000c1", "aaaaaaaa-0000-4000-8000-0000000000c2", "aaaaaaaa-0000-4000-8000-0000000000c3")
MISSING = "aaaaaaaa-0000-4000-8000-0000000000ff"


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    data_sources = [
        # 23 hourly syncs in the last day, then 6 that started before it: outside a 1-day window.
        {
            "name": "long",
            "data_source_id": LONG,
            "generate_history": {"count": 23, "status": ["FAILED", "SUCCEEDED"], "interval_seconds": 3600},
            # The first started before a 1-day window and ended inside it: a service comparing end times lists it.
            "history": [{"status": "SUCCEEDED", "start_time": "now-90000", "end_time": "now-82800"}]
            + [{"status": "SUCCEEDED", "start_time": f"now-{172800 + hour * 3600}"} for hour in range(5)],
        },
        {"name": "steady", "data_source_id": STEADY, "history": [{"status": "SUCCEEDED", "start_time": "now-7200"}]},
        {"name": "never", "data_source_id": NEVER},
    ]
    control.load_scenario(
        {"applications": [{"name": "app", "application_id": APP, "indices": [{"name": "main", "index_id": INDEX, "data_sources": data_sources}]}]}
    )
    control.clear_requests()
    return emulated_client


def _operations():
    return [request["operation"] for request in control.requests()]


def _request(**options):
    return validate_report_options(dict(dict(application_id=APP, index_id=INDEX, since="1d"), **options))


def test_every_data_source_one_listing_each_with_the_pages_its_window_needs(client):
    request = _request()
    index, refs = resolve(client, request)
    assert [ref.label for ref in refs] == [f"long ({LONG})", f"steady ({STEADY})", f"never ({NEVER})"]
    histories = read_histories(client, refs, request)
    assert [len(history.jobs) for history in histories] == [23, 1, 0]
    assert unread_message(histories) is None
    # ListDataSources once (IDs given for the application and the index), then ceil(23 / 10) + 1 + 1 pages.
    assert _operations().count("ListDataSources") == 1
    listings = [r for r in control.requests() if r["operation"] == "ListDataSourceSyncJobs"]
    assert len(listings) == 3 + 1 + 1
    assert {r["params"]["dataSourceId"] for r in listings} == {LONG, STEADY, NEVER}
    starts = {datetime.fromisoformat(r["params"]["startTime"].replace("Z", "+00:00")) for r in listings}
    ends = {datetime.fromisoformat(r["params"]["endTime"].replace("Z", "+00:00")) for r in listings}
    # One window for all, a second wider on each side; nothing else is listed.
    assert len(starts) == len(ends) == 1
    assert starts.pop() == request.since - timedelta(seconds=1) and ends.pop() == request.until + timedelta(seconds=1)
    assert len(control.requests()) == 1 + 5
    assert histories[0].jobs[0]["status"] == "FAILED"  # normalized, newest first
    assert histories[0].jobs[0]["start_time"] > histories[0].jobs[-1]["start_time"]


def test_by_names_each_listing_read_once(client):
    request = validate_report_options(dict(application_name="app", index_name="main", data_source_name=["never", "long"], since="1d"))
    index, refs = resolve(client, request)
    assert (index.application_id, index.index_id) == (APP, INDEX)
    assert [ref.data_source_id for ref in refs] == [NEVER, LONG]
    read_histories(client, refs, request)
    assert sorted(_operations()) == sorted(["ListApplications", "ListIndices", "ListDataSources"] + ["ListDataSourceSyncJobs"] * 4)


def test_by_id_named_from_one_listing_and_a_missing_data_source_is_named_with_its_error(client):
    request = _request(data_source_id=[STEADY, MISSING])
    index, refs = resolve(client, request)
    # The names from ListDataSources (one page: 3 data sources); an ID it does not hold has none.
    assert [ref.label for ref in refs] == [f"steady ({STEADY})", MISSING]
    assert refs[1].data_source_name is None
    histories = read_histories(client, refs, request)
    assert _operations() == ["ListDataSources", "ListDataSourceSyncJobs", "ListDataSourceSyncJobs"]
    assert histories[0].error is None and histories[1].error is not None
    message = unread_message(histories)
    assert message.startswith(f"could not read the sync history of 1 of 2 data sources, so no report was written: data source {MISSING}: ")
    assert "ResourceNotFoundException" in message or "not found" in message.lower()


def test_ids_and_names_mixed_read_the_data_sources_once(client):
    dummy, refs = resolve(client, _request(data_source_id=[LONG], data_source_name=["never"]))
    assert [(ref.data_source_id, ref.data_source_name) for ref in refs] == [(LONG, "long"), (NEVER, "never")]
    assert _operations() == ["ListDataSources"]


def test_by_ids_one_listing_of_every_page_10_data_sources_a_page(client):
    many = [{"name": f"source-{n:02d}", "data_source_id": f"aaaaaaaa-0000-4000-8000-0000000001{n:02d}"} for n in range(12)]
    control.reset()
    control.load_scenario({"applications": [{"name": "app", "application_id": APP, "indices": [{"name": "main", "index_id": INDEX, "data_sources": many}]}]})
    control.clear_requests()
    ids = [many[11]["data_source_id"], many[0]["data_source_id"]]
    dummy, refs = resolve(client, _request(data_source_id=ids))
    assert [ref.data_source_name for ref in refs] == ["source-11", "source-00"]  # the second page's too
    assert _operations() == ["ListDataSources", "ListDataSources"]
    assert [int(r["params"].get("maxResults")) for r in control.requests()] == [10, 10]


@pytest.mark.parametrize("behaviours", [dict(time_filter_field="end_time"), dict(time_filter_bounds="exclusive")])
def test_the_same_syncs_whatever_time_the_filter_compares(client, behaviours):
    request = _request()
    dummy, refs = resolve(client, request)
    expected = [history.jobs for history in read_histories(client, refs, request)]
    control.set_behaviours(**behaviours)
    assert [history.jobs for history in read_histories(client, refs, request)] == expected
    assert [len(jobs) for jobs in expected] == [23, 1, 0]


def test_an_index_without_data_sources_fails(client):
    control.load_scenario({"applications": [{"name": "empty", "application_id": MISSING, "indices": [{"name": "main", "index_id": INDEX}]}]})
    with pytest.raises(QBusinessError, match=f"index {INDEX} has no data sources to report on"):
        resolve(client, _request(application_id=MISSING))


def test_the_window_ends_when_the_options_were_checked():
    before = datetime.now(timezone.utc)
    request = _request()
    assert before <= request.until <= datetime.now(timezone.utc)
    assert request.until - request.since == timedelta(days=1)
