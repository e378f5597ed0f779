# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The documents behind a sync: ListDocuments of one data source, its failed documents, in the collection's shape.

ListDocuments has no status filter and no time filter (only ``dataSourceIds``, one ID): statuses are kept on the
client, and the failed documents of a sync are those in a failed status that changed after it started. A
document's ``updatedAt`` is its last change, so a document that failed again in a later sync belongs to that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import paginate
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import as_utc
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import end_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import iso_time
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.tokens import ResumePoint

DOCUMENT_STATUSES = ("RECEIVED", "PROCESSING", "INDEXED", "UPDATED", "FAILED", "DELETING", "DELETED", "DOCUMENT_FAILED_TO_INDEX")
FAILED_DOCUMENT_STATUSES = frozenset(["FAILED", "DOCUMENT_FAILED_TO_INDEX"])
# The model's maxResults ceiling for ListDocuments; every page asks for it (a resume token counts in pages of it).
DOCUMENTS_PAGE_SIZE = 100
# How many failed documents a gate shows by default (show_failed_documents).
DEFAULT_SHOW_FAILED_DOCUMENTS = 10

ServiceDocument = Dict[str, Any]
Document = Dict[str, Any]


def normalize_document(raw: ServiceDocument) -> Document:
    """A DocumentDetails as the service sent it -> ``document_id``, ``status``, ``error_code``, ``error_message``,
    ``created_at``, ``updated_at`` (ISO 8601 in UTC); the fields the service did not send stay absent."""
    document: Document = {}
    for key, name in (("documentId", "document_id"), ("status", "status"), ("createdAt", "created_at"), ("updatedAt", "updated_at")):
        if key in raw:
            document[name] = iso_time(raw[key])
    error = raw.get("error") or {}
    for key, name in (("errorCode", "error_code"), ("errorMessage", "error_message")):
        if error.get(key) is not None:
            document[name] = error[key]
    return document


def list_documents(
    source: DataSourceService,
    keep: Optional[Callable[[ServiceDocument], bool]] = None,
    max_results: Optional[int] = None,
    start: Optional[ResumePoint] = None,
) -> Tuple[List[ServiceDocument], Optional[str]]:
    """The data source's documents that ``keep`` keeps (all, without it), up to ``max_results``, from ``start`` on,
    as the service sent them, and the resume token to go on from (None when the listing ended)."""
    ref = source.ref
    return paginate(
        # Looked up at each call, so that a test can replace the client's method.
        source.client.list_documents,
        dict(applicationId=ref.application_id, indexId=ref.index_id, dataSourceIds=[ref.data_source_id]),
        "documentDetailList",
        f"the documents of data source {source.label}",
        max_results,
        start,
        page_size=DOCUMENTS_PAGE_SIZE,
        keep=keep,
    )


def validate_statuses(value: Any) -> Optional[List[str]]:
    """``statuses``: None (every document), or a non-empty list of document statuses."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise OptionError(f"statuses must be a list of at least one document status ({', '.join(DOCUMENT_STATUSES)}); got {shorten(value)}")
    for status in value:
        if status not in DOCUMENT_STATUSES:
            raise OptionError(f"statuses must hold only document statuses ({', '.join(DOCUMENT_STATUSES)}); got {shorten(status)}")
    return list(value)


def has_status(statuses: Optional[List[str]]) -> Optional[Callable[[ServiceDocument], bool]]:
    """A ``keep`` for :func:`list_documents` that keeps the documents in one of ``statuses`` (None: keep all)."""
    if statuses is None:
        return None
    wanted = frozenset(statuses)
    return lambda document: document.get("status") in wanted


def failed_since(since: Optional[datetime], until: Optional[datetime] = None) -> Callable[[ServiceDocument], bool]:
    """A ``keep`` for the documents in a failed status that changed at or after ``since`` (any time when None) and,
    with ``until``, before it (a newer sync's own failures)."""

    def keep(document: ServiceDocument) -> bool:
        if document.get("status") not in FAILED_DOCUMENT_STATUSES:
            return False
        updated = as_utc(document.get("updatedAt"))
        if updated is None:
            return True  # a failed document without a time cannot be placed; it is shown rather than hidden
        return (since is None or updated >= since) and (until is None or updated < until)

    return keep


@dataclass
class FailedDocuments:
    """The failed documents of one sync, as far as they were read."""

    documents: List[Document] = field(default_factory=list)  # the ones returned
    complete: bool = True  # False: the listing stopped once it had enough, more may exist
    found: Optional[int] = None  # how many were found, when more than those returned (default: len(documents))

    def listed(self) -> Dict[str, Any]:
        """``failed_documents_listed``: how many were found, and whether the listing read to its end."""
        return dict(count=len(self.documents) if self.found is None else self.found, complete=self.complete)

    def add_to(self, result: Dict[str, Any]) -> Dict[str, Any]:
        """``result`` (a job, or the gate's entry for one) with ``failed_documents`` and ``failed_documents_listed``."""
        result["failed_documents"] = list(self.documents)
        result["failed_documents_listed"] = self.listed()
        return result


def failed_documents_of(
    source: DataSourceService, started: Optional[datetime], limit: int, reported: Optional[int] = None, until: Optional[datetime] = None
) -> FailedDocuments:
    """Up to ``limit`` documents of the data source in a failed status that changed since a sync ``started`` (and
    before ``until``): pages of ListDocuments are read only until enough are found, that is ``limit``, or the
    ``reported`` number of failed documents of the sync when it is smaller (then all of them are in hand)."""
    if limit <= 0:
        return FailedDocuments()
    wanted = min(limit, reported) if isinstance(reported, int) and reported > 0 else limit
    documents, token = list_documents(source, keep=failed_since(started, until), max_results=wanted)
    complete = token is None or (isinstance(reported, int) and len(documents) >= reported)
    return FailedDocuments([normalize_document(document) for document in documents], complete=complete)


def reports_failed_documents(job: ServiceJob) -> bool:
    """Whether a finished job (as the service sent it) failed, or reports failed documents: the jobs whose failed
    documents are worth reading (a job reporting 0 failed documents has none to find)."""
    failed = (job.get("metrics") or {}).get("documentsFailed")
    if failed is not None and str(failed) == "0":
        return False
    return job.get("status") in ("FAILED", "INCOMPLETE") or (failed is not None and str(failed).isdigit() and int(failed) > 0)


def failed_documents_by_job(source: DataSourceService, jobs: List[ServiceJob], limit: int) -> Dict[str, FailedDocuments]:
    """For each of ``jobs`` (as the service sent them) that :func:`reports_failed_documents`, its failed documents:
    those in a failed status whose last change falls between its start and its end (the newest such job's, when
    several overlap). One whole listing of the failed documents, read only when some job needs it; up to ``limit``
    returned per job."""
    wanted = [job for job in jobs if reports_failed_documents(job) and job.get("executionId")]
    if not wanted:
        return {}
    documents, dummy = list_documents(source, keep=failed_since(None))
    spans: List[Tuple[datetime, Optional[datetime], str]] = []
    for job in jobs:
        started = start_time_of(job)
        if started is not None:
            spans.append((started, end_time_of(job), str(job.get("executionId"))))
    # Newest first: a document belongs to the newest job that started before its last change and had not ended by
    # then (a job missing from a filtered listing cannot take the documents of a listed one, nor they its).
    spans.sort(key=lambda span: span[0], reverse=True)
    owned: Dict[str, List[Document]] = {}
    for document in documents:
        updated = as_utc(document.get("updatedAt"))
        owner = next(
            (execution_id for started, ended, execution_id in spans if updated is not None and started <= updated and (ended is None or updated <= ended)), None
        )
        if owner is not None:
            owned.setdefault(owner, []).append(normalize_document(document))
    by_job = {}
    for job in wanted:
        mine = owned.get(str(job["executionId"]), [])
        by_job[str(job["executionId"])] = FailedDocuments(mine[:limit], complete=True, found=len(mine))
    return by_job


def with_failed_documents(job: Dict[str, Any], by_job: Dict[str, FailedDocuments]) -> Dict[str, Any]:
    """A normalized job with its ``failed_documents`` and ``failed_documents_listed`` when ``by_job`` has them."""
    found = by_job.get(str(job.get("execution_id")))
    return found.add_to(job) if found is not None else job
