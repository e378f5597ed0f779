# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Judging a data source on its listed sync jobs, and the gate's message.

The verdict for one data source:

* The latest job is the one with the greatest start time. While it is in progress (SYNCING,
  SYNCING_INDEXING, STOPPING) and ``wait`` is true, the data source is polled until it ends or
  ``wait_timeout`` runs out; running out fails the gate (reading.py).
* Without ``wait``, an in-progress latest job whose status is not in ``fail_on`` is not judged: the
  newest finished job is, and the running one is reported beside it. With nothing finished to judge
  the gate fails, since it must never pass on data it did not read.
* A judged job whose status is none of the seven the collection knows fails the gate, naming it: the
  gate never passes on a status it cannot read (and does not wait on one: it cannot tell it is running).
* The judged job fails the gate if its status is in ``fail_on``, if it started longer than ``max_age``
  ago, or if more than ``max_documents_failed`` documents failed.
* A data source with no sync at all fails unless ``allow_no_history``. With ``max_age``, the listing
  only covers that window; an empty window fails, except for a data source that never synced at all
  when ``allow_no_history`` is true (one more request, of one job, tells the two apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import FailedDocuments
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_known_status
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import unknown_status_note
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import format_duration
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import DEFAULT_FAIL_MSG
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions

# How many failed documents a failure message names (with their errors).
_DOCUMENTS_NAMED = 3


@dataclass
class Verdict:
    """The gate's finding for one data source."""

    data_source_id: str
    reasons: List[str] = field(default_factory=list)
    job: Optional[SyncJob] = None  # the judged job (on a timeout, the job still running)
    running_job: Optional[SyncJob] = None  # a newer in-progress job that was not judged
    ref: Optional[DataSourceRef] = None  # the data source with its application, index and known names
    data_source_status: Optional[str] = None  # the data source's own status (GetDataSource), when read
    failed_documents: Optional[FailedDocuments] = None  # read only for a failing or document-failing sync
    failed_documents_error: Optional[str] = None  # why they could not be read
    # What could not be read of what the verdict needs (the history, the data source's own status): the gate
    # could not judge this data source. Failed documents that could not be read are not part of it.
    read_error: Optional[str] = None
    elapsed: Optional[float] = None  # seconds spent reading this data source (its reports' time)

    @property
    def label(self) -> str:
        """The data source as messages name it: ``name (id)`` when its name is known."""
        return self.ref.label if self.ref is not None else self.data_source_id

    @property
    def passed(self) -> bool:
        """A data source passes when nothing was found against it."""
        return not self.reasons

    def as_result(self) -> Dict[str, Any]:
        """The judged job with its data source's IDs and known names, and the verdict, as the action returns it."""
        result: Dict[str, Any] = dict(self.job or {})
        result.update(self.ref.identity() if self.ref is not None else {})
        result.update(data_source_id=self.data_source_id, passed=self.passed, reasons=list(self.reasons))
        if self.running_job is not None:
            result["running_job"] = self.running_job
        if self.data_source_status is not None:
            result["data_source_status"] = self.data_source_status
        if self.failed_documents is not None:
            self.failed_documents.add_to(result)
        if self.failed_documents_error is not None:
            result["failed_documents_error"] = self.failed_documents_error
        if self.read_error is not None:
            result["read_error"] = self.read_error
        return result

    def documents_note(self) -> Optional[str]:
        """What the message says of the failed documents: the first three with their errors, or why none could be read."""
        if self.failed_documents_error is not None:
            return f"its failed documents could not be read: {self.failed_documents_error}"
        if not self.failed_documents or not self.failed_documents.documents:
            return None
        documents = self.failed_documents.documents
        named = ", ".join(
            f"{document.get('document_id')} ({document.get('error_message') or document.get('status')})" for document in documents[:_DOCUMENTS_NAMED]
        )
        listed = len(documents)
        more = listed - min(listed, _DOCUMENTS_NAMED)
        tail = f" and {more} more in failed_documents" if more else ""
        cut = ", more not read" if not self.failed_documents.complete else ""
        reported = ((self.job or {}).get("metrics") or {}).get("documents_failed")
        count = f"{reported} reported by the sync, " if isinstance(reported, int) else ""
        return f"failed documents ({count}{listed} listed{cut}): {named}{tail}"


def _status_reason(job: SyncJob) -> str:
    """Why a job whose status is in fail_on fails the gate."""
    reason = f"latest sync {job.get('execution_id', '?')} {job.get('status')}"
    message = (job.get("error") or {}).get("error_message")
    if message:
        reason += f": {message}"
    if job.get("data_source_error_code"):
        reason += f" (data source error code {job['data_source_error_code']})"
    return reason


def awaits_outcome(job: Optional[ServiceJob], options: GateOptions) -> bool:
    """An in-progress job whose status does not fail the gate by itself: it has no verdict yet."""
    return is_in_progress(job) and job is not None and job.get("status") not in options.fail_on


def _no_job_reason(running: Optional[ServiceJob], options: GateOptions, synced_before_window: bool) -> Optional[str]:
    """Why a data source with no job to judge fails the gate, or None when it passes (no history, allowed)."""
    if running is not None:
        return f"no finished sync to judge: sync {running.get('executionId')} is {running.get('status')} (wait: true waits for it)"
    if options.max_age is not None and (synced_before_window or not options.allow_no_history):
        return f"no sync started within max_age ({format_duration(options.max_age.total_seconds())})"
    if not options.allow_no_history:
        return "has never synced (allow_no_history is false)"
    return None


def judge(
    data_source_id: str,
    jobs: Sequence[ServiceJob],
    options: GateOptions,
    now: datetime,
    synced_before_window: bool = True,
    ref: Optional[DataSourceRef] = None,
) -> Verdict:
    """The verdict on one data source from its listed jobs (as the service sent them).

    ``synced_before_window`` matters only when ``max_age`` left the listing empty: whether the data
    source has any sync at all, older than the window.
    """
    ordered = newest_first(list(jobs))
    latest = ordered[0] if ordered else None
    running = None
    judged = latest
    if awaits_outcome(latest, options):
        running = latest
        judged = next((job for job in ordered if not is_in_progress(job)), None)
    verdict = Verdict(data_source_id, running_job=normalize_job(running) if running else None, ref=ref)

    if judged is None:
        reason = _no_job_reason(running, options, synced_before_window)
        if reason is not None:
            verdict.reasons.append(reason)
        return verdict

    verdict.job = normalize_job(judged)
    if not is_known_status(judged):
        # Whatever it means, the gate cannot tell it from a failure.
        verdict.reasons.append(f"{unknown_status_note(judged)}; the gate never passes a status it does not know")
    elif judged.get("status") in options.fail_on:
        verdict.reasons.append(_status_reason(verdict.job))
    started = start_time_of(judged)
    if options.max_age is not None and (started is None or now - started > options.max_age):
        age = "at an unknown time" if started is None else f"{format_duration((now - started).total_seconds())} ago"
        verdict.reasons.append(f"latest sync started {age}, more than max_age ({format_duration(options.max_age.total_seconds())})")
    if options.max_documents_failed is not None:
        reason = options.max_documents_failed.reason(verdict.job.get("metrics") or {})
        if reason is not None:
            verdict.reasons.append(reason)
    return verdict


def _notes(verdict: Verdict) -> List[str]:
    note = verdict.documents_note()
    return [note] if note else []


def data_source_reason(described: Dict[str, Any]) -> Optional[str]:
    """Why a data source whose own status (GetDataSource) is not ACTIVE fails the gate, whatever its syncs say."""
    status = described.get("status")
    if status == "ACTIVE":
        return None
    message = (described.get("error") or {}).get("errorMessage")
    state = f"is {status}" if status else "reported no status"
    return f"the data source itself {state}" + (f": {message}" if message else "")


def gate_message(verdicts: Sequence[Verdict], fail_msg: str = DEFAULT_FAIL_MSG) -> str:
    """One line: every failing data source and why, or what passed."""
    failing = [v for v in verdicts if not v.passed]
    if failing:
        return f"{fail_msg}: " + "; ".join(f"data source {v.label}: {'; '.join(v.reasons + _notes(v))}" for v in failing)
    described = []
    for v in verdicts:
        if v.job is None:
            described.append(f"{v.label} (no sync yet, allowed)")
        else:
            described.append(f"{v.label} ({v.job.get('status')}, started {v.job.get('start_time')})")
    return f"Q Business sync gate passed for {len(verdicts)} data source(s): " + ", ".join(described)
