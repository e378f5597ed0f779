# -*- coding: utf-8 -*-
# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documents of a data source against the emulator in-process: client-side status filter, resume, the failed
documents of a sync read only as far as needed (counted)."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from qbusiness_emulator import control

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import failed_documents_by_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import failed_documents_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import has_status
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import list_documents
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import normalize_document
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import validate_statuses
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import validate_next_token
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import IndexRef

APP = "a3333333-0000-4000-8000-000000000001"
INDEX = "b3333333-0000-4000-8000-000000000001"
DS = "c3333333-0000-4000-8000-000000000001"
OTHER = "c3333333-0000-4000-8000-000000000002"


@pytest.fixture(name="client")
def client_fixture(emulated_client):
    sources = [
        dict(name="wiki", data_source_id=DS, generate_documents=dict(count=400, failed=37, updated_at="now-600")),
        dict(name="other", data_source_id=OTHER, generate_documents=dict(count=5, failed=5)),
    ]
    control.load_scenario(dict(applications=[dict(name="app", application_id=APP, indices=[dict(name="main", index_id=INDEX, data_sources=sources)])]))
    control.clear_requests()
    return emulated_client


def wiki(client):
    return DataSourceService(client, IndexRef(APP, INDEX).data_source(DS, "wiki"))


def document_pages():
    return [r["params"] for r in control.requests() if r["operation"] == "ListDocuments"]


def test_normalize_flattens_the_error():
    when = datetime(2024, 5, 1, 10, 2, tzinfo=timezone.utc)
    raw = dict(documentId="s3://b/a.pdf", status="FAILED", createdAt=when, updatedAt=when, error=dict(errorCode="InvalidRequest", errorMessage="too big"))
    assert normalize_document(raw) == dict(
        document_id="s3://b/a.pdf",
        status="FAILED",
        error_code="InvalidRequest",
        error_message="too big",
        created_at="2024-05-01T10:02:00+00:00",
        updated_at="2024-05-01T10:02:00+00:00",
    )
    assert normalize_document(dict(documentId="x", status="INDEXED")) == dict(document_id="x", status="INDEXED")


def test_statuses_checked_before_any_request():
    assert validate_statuses(None) is None
    assert validate_statuses(["FAILED"]) == ["FAILED"]
    for bad in ([], "FAILED", ["FAILED", "BROKEN"]):
        with pytest.raises(OptionError, match="^statuses must"):
            validate_statuses(bad)


def test_every_document_in_four_pages_of_100_filtered_by_this_data_source(client):
    documents, token = list_documents(wiki(client))
    assert token is None and len(documents) == 400 and len({d["documentId"] for d in documents}) == 400
    pages = document_pages()
    assert len(pages) == 4 and all(page["maxResults"] == "100" and page["dataSourceIds"] == DS for page in pages)


def test_statuses_are_kept_on_the_client_and_resume_exactly(client):
    keep = has_status(["FAILED", "DOCUMENT_FAILED_TO_INDEX"])
    seen, parts, token = [], [], None
    while True:
        documents, token = list_documents(wiki(client), keep=keep, max_results=15, start=validate_next_token(token, 100, "documents"))
        parts.append(len(documents))
        seen.extend(d["documentId"] for d in documents)
        if token is None:
            break
    assert parts == [15, 15, 7] and len(set(seen)) == 37
    # 9, 9, 10 and 9 failed on the four pages: each part reads from where the last one stopped (pages 1-2, 2-4, 4)
    assert len(document_pages()) == 2 + 3 + 1


def test_failed_documents_stop_once_enough_are_found(client):
    """9, 9, 10 and 9 failed documents on the four pages: 10 are in hand after the second page."""
    found = failed_documents_of(wiki(client), datetime.now(timezone.utc) - timedelta(hours=1), 10)
    assert len(found.documents) == 10 and not found.complete
    assert found.listed() == dict(count=10, complete=False)
    assert all(d["status"] in ("FAILED", "DOCUMENT_FAILED_TO_INDEX") and d["error_message"] for d in found.documents)
    assert len(document_pages()) == 2


def test_failed_documents_that_changed_before_the_sync_are_not_its_own(client):
    assert failed_documents_of(wiki(client), datetime.now(timezone.utc) - timedelta(seconds=60), 10).documents == []
    assert len(document_pages()) == 4  # read to the end to be sure
    assert failed_documents_of(wiki(client), None, 0).listed() == dict(count=0, complete=True)
    assert len(document_pages()) == 4  # 0: nothing read


def test_all_found_when_fewer_than_asked(client):
    other = DataSourceService(client, IndexRef(APP, INDEX).data_source(OTHER))
    found = failed_documents_of(other, None, 10)
    assert len(found.documents) == 5 and found.complete


def test_a_listing_error_names_the_data_source(client):
    control.set_faults(denied_access_keys=[client.client._request_signer._credentials.access_key], operations=["ListDocuments"])
    with pytest.raises(QBusinessError) as err:
        list_documents(wiki(client))
    assert err.value.message == f"Failed to list the documents of data source wiki ({DS})"


def test_failed_documents_by_job_read_once_and_placed_by_time(emulated_client):
    """Each failed document goes to the job during which it last changed; one listing for all."""
    failed = dict(status="FAILED", error=dict(error_code="InvalidRequest", error_message="too big"))
    documents = (
        [dict(failed, updated_at="now-7000") for dummy in range(2)]
        + [dict(failed, updated_at="now-1700") for dummy in range(3)]
        + [dict(status="INDEXED", updated_at="now-100") for dummy in range(20)]
    )
    history = [
        dict(
            execution_id="job-a-000000000000000000000000000000", status="FAILED", start_time="now-7200", end_time="now-6900", metrics=dict(documents_failed=2)
        ),
        dict(
            execution_id="job-b-000000000000000000000000000000",
            status="SUCCEEDED",
            start_time="now-3600",
            end_time="now-3500",
            metrics=dict(documents_failed=0),
        ),
        dict(
            execution_id="job-c-000000000000000000000000000000",
            status="INCOMPLETE",
            start_time="now-1800",
            end_time="now-1600",
            metrics=dict(documents_failed=3),
        ),
    ]
    control.load_scenario(
        dict(
            applications=[
                dict(
                    name="app",
                    application_id=APP,
                    indices=[dict(name="main", index_id=INDEX, data_sources=[dict(name="wiki", data_source_id=DS, documents=documents, history=history)])],
                )
            ]
        )
    )
    control.clear_requests()
    source = DataSourceService(emulated_client, IndexRef(APP, INDEX).data_source(DS))
    jobs = source.list_all_sync_jobs()
    by_job = failed_documents_by_job(source, jobs, 2)
    assert set(by_job) == {"job-a-000000000000000000000000000000", "job-c-000000000000000000000000000000"}
    assert by_job["job-a-000000000000000000000000000000"].listed() == dict(count=2, complete=True)
    assert by_job["job-c-000000000000000000000000000000"].listed() == dict(count=3, complete=True)
    assert len(by_job["job-c-000000000000000000000000000000"].documents) == 2  # the limit
    assert len(document_pages()) == 1
    # A listing of the FAILED jobs alone: the INCOMPLETE job's documents, after job A ended, are not given to it.
    only_failed = failed_documents_by_job(source, [job for job in jobs if job["status"] == "FAILED"], 10)
    assert only_failed["job-a-000000000000000000000000000000"].listed() == dict(count=2, complete=True)
    control.clear_requests()
    assert failed_documents_by_job(source, [job for job in jobs if job["status"] == "SUCCEEDED"], 10) == {}
    assert not document_pages()  # no job needs them: nothing read
