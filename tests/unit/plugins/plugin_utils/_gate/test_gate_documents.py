# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Why did it fail: the gate's failed documents and the data source's own status, against the emulator in-process (counted)."""

from __future__ import annotations

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import parse_document_limit
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.reading import gate_data_source
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import gate_message

APP = "a4444444-0000-4000-8000-000000000001"
INDEX = "b4444444-0000-4000-8000-000000000001"
WIKI = "c4444444-0000-4000-8000-000000000001"  # INCOMPLETE, 37 of 400 failed
PASSING = "c4444444-0000-4000-8000-000000000002"  # SUCCEEDED, 37 of 400 failed
BROKEN = "c4444444-0000-4000-8000-000000000003"  # the data source itself FAILED; its last sync SUCCEEDED
CLEAN = "c4444444-0000-4000-8000-000000000004"  # FAILED sync, 0 documents failed
FAILING = frozenset(["FAILED", "INCOMPLETE"])
METRICS = dict(documents_added=363, documents_deleted=0, documents_failed=37, documents_modified=0, documents_scanned=400)


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    documents = dict(count=400, failed=37, updated_at="now-600")
    sources = [
        dict(
            name="wiki",
            data_source_id=WIKI,
            generate_documents=documents,
            history=[dict(status="INCOMPLETE", start_time="now-3600", end_time="now-600", metrics=METRICS)],
        ),
        dict(
            name="handbook",
            data_source_id=PASSING,
            generate_documents=documents,
            history=[dict(status="SUCCEEDED", start_time="now-3600", end_time="now-600", metrics=METRICS)],
        ),
        dict(
            name="tickets",
            data_source_id=BROKEN,
            status="FAILED",
            error=dict(error_code="InvalidRequest", error_message="The secret was deleted"),
            history=[dict(status="SUCCEEDED", start_time="now-3600")],
        ),
        dict(
            name="clean",
            data_source_id=CLEAN,
            generate_documents=dict(count=50),
            history=[dict(status="FAILED", start_time="now-3600", metrics=dict(METRICS, documents_failed=0))],
        ),
    ]
    control.load_scenario(dict(applications=[dict(name="app", application_id=APP, indices=[dict(name="main", index_id=INDEX, data_sources=sources)])]))
    control.clear_requests()
    return emulated_client


def gate(client, data_source_id, **options):
    return gate_data_source(DataSourceService(client, IndexRef(APP, INDEX).data_source(data_source_id)), GateOptions(**options))


def operations():
    return [r["operation"] for r in control.requests()]


def test_an_incomplete_sync_shows_ten_of_its_37_failed_documents_and_names_three(client):
    verdict = gate(client, WIKI, fail_on=FAILING)
    assert not verdict.passed
    result = verdict.as_result()
    assert len(result["failed_documents"]) == 10
    assert result["failed_documents_listed"] == dict(count=10, complete=False)
    assert all(
        d["status"] in ("FAILED", "DOCUMENT_FAILED_TO_INDEX") and d["error_code"] and d["error_message"] and d["updated_at"] for d in result["failed_documents"]
    )
    assert result["data_source_status"] == "ACTIVE" and result["metrics"]["documents_failed"] == 37
    message = gate_message([verdict])
    # The name came with GetDataSource, read beside the history.
    assert message.startswith(f"Q Business sync gate failed: data source wiki ({WIKI}): latest sync ")
    assert "INCOMPLETE" in message and "and 7 more in failed_documents" in message
    assert "failed documents (37 reported by the sync, 10 listed, more not read): " in message
    for document in result["failed_documents"][:3]:
        assert f"{document['document_id']} ({document['error_message']})" in message
    assert result["failed_documents"][3]["document_id"] not in message
    # 9 and 9 failed documents on the first two pages of 100: two pages are enough for 10.
    assert sorted(operations()) == ["GetDataSource", "ListDataSourceSyncJobs", "ListDocuments", "ListDocuments"]


def test_show_failed_documents_0_reads_no_document(client):
    verdict = gate(client, WIKI, fail_on=FAILING, show_failed_documents=0)
    assert not verdict.passed and "failed_documents" not in verdict.as_result()
    assert "ListDocuments" not in operations()


@pytest.mark.parametrize("limit, passes", [("10%", True), ("9.25%", True), ("9.2%", False), ("9%", False), (37, True), (36, False)])
def test_a_share_of_the_scanned_documents_either_side_of_its_limit(client, limit, passes):
    verdict = gate(client, PASSING, max_documents_failed=parse_document_limit(limit))
    assert verdict.passed is passes
    if not passes:
        assert verdict.reasons[-1].startswith("37 ") and f"more than max_documents_failed ({limit})" in verdict.reasons[-1]
    # Passing or not, a sync that reports failed documents shows them.
    assert len(verdict.as_result()["failed_documents"]) == 10


def test_a_share_exactly_at_its_limit_passes():
    """0.7% of 1000 is 7, compared exactly (0.7 / 100 is not exact in binary floating point)."""
    limit = parse_document_limit("0.7%")
    assert limit.reason(dict(documents_failed=7, documents_scanned=1000)) is None
    assert limit.reason(dict(documents_failed=8, documents_scanned=1000)) == (
        "8 of 1000 scanned documents failed (0.80%), more than max_documents_failed (0.7%)"
    )
    assert limit.reason(dict(documents_failed=0)) is None  # 0 failed is within any share, scanned or not


def test_no_document_scanned_and_some_failed_fails_a_share():
    limit = parse_document_limit("50%")
    assert limit.reason(dict(documents_failed=0, documents_scanned=0)) is None
    assert limit.reason(dict(documents_failed=3, documents_scanned=0)) == "3 of 0 scanned documents failed (none scanned), more than max_documents_failed (50%)"
    assert "no documents-scanned count" in limit.reason(dict(documents_failed=3))


def test_a_failed_data_source_fails_whatever_its_last_sync_says(client):
    verdict = gate(client, BROKEN)
    assert not verdict.passed and verdict.job["status"] == "SUCCEEDED"
    assert verdict.reasons == ["the data source itself is FAILED: The secret was deleted"]
    assert verdict.as_result()["data_source_status"] == "FAILED"
    assert "ListDocuments" not in operations()  # the judged sync passes and reports no failed document


def test_a_sync_that_reports_no_failed_document_costs_no_document_listing(client):
    verdict = gate(client, CLEAN)
    assert not verdict.passed and "failed_documents" not in verdict.as_result()
    assert "ListDocuments" not in operations()


def test_a_document_listing_error_never_hides_the_verdict(client):
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["ListDocuments"])
    verdict = gate(client, WIKI, fail_on=FAILING)
    assert not verdict.passed and verdict.reasons[0].startswith("latest sync ") and "INCOMPLETE" in verdict.reasons[0]
    result = verdict.as_result()
    assert "failed_documents" not in result and "AccessDeniedException" in result["failed_documents_error"]
    assert "read_error" not in result and verdict.read_error is None  # its verdict stands: the gate did judge it
    assert "its failed documents could not be read: Failed to list the documents of data source wiki" in gate_message([verdict])


def test_a_passing_gate_whose_document_listing_fails_still_passes(client):
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["ListDocuments"])
    verdict = gate(client, PASSING)
    assert verdict.passed and "AccessDeniedException" in verdict.as_result()["failed_documents_error"]


def test_fewer_failed_documents_than_shown_stop_once_all_are_found(client):
    """The sync reports 37: with show_failed_documents 50 the listing stops at the 37th, on the last page, complete."""
    verdict = gate(client, WIKI, fail_on=FAILING, show_failed_documents=50)
    assert verdict.as_result()["failed_documents_listed"] == dict(count=37, complete=True)
    assert operations().count("ListDocuments") == 4


def test_a_data_source_that_cannot_be_read_fails(client):
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["GetDataSource"])
    verdict = gate(client, PASSING)
    assert not verdict.passed and verdict.reasons[-1].startswith(f"could not read the data source itself: Failed to read data source {PASSING}")
    assert verdict.read_error == verdict.reasons[-1][len("could not read the data source itself: ") :]
    assert "AccessDeniedException" in verdict.as_result()["read_error"]


def test_a_failed_sync_stays_a_failed_verdict_when_the_data_source_cannot_be_read(client):
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["GetDataSource"])
    verdict = gate(client, CLEAN)
    assert not verdict.passed and verdict.reasons[0].startswith("latest sync ") and "FAILED" in verdict.reasons[0]
    assert verdict.reasons[-1].startswith("could not read the data source itself: ")
    assert verdict.read_error is None and "read_error" not in verdict.as_result()  # judged: a failed gate (2), not 4
