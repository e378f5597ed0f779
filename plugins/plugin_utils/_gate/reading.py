# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the gate reads: each data source's newest jobs (waiting if asked), for a verdict."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.documents import failed_documents_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import IN_PROGRESS_STATUSES
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import SyncJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import normalize_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import poll_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import timeout_reason
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.options import GateOptions
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import Verdict
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import awaits_outcome
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import data_source_reason
from ansible_collections.qbusiness.ops.plugins.plugin_utils._gate.verdicts import judge

# Called once per poll while waiting: the data source as messages name it (name (id), or the ID), the running job, seconds elapsed.
ProgressCallback = Callable[[str, SyncJob, float], None]


def _enough_to_judge(jobs: Sequence[ServiceJob], options: GateOptions) -> bool:
    """Whether ``jobs`` (the newest of a history) hold all a verdict reads: the latest job and, when it has
    no outcome yet and the gate will not wait for one, the newest finished job."""
    latest = latest_job(list(jobs))
    if latest is None:
        return False
    return options.wait or not awaits_outcome(latest, options) or any(not is_in_progress(job) for job in jobs)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def gate_data_source(
    source: DataSourceService,
    options: GateOptions,
    progress: Optional[ProgressCallback] = None,
    deadline: Optional[float] = None,
    now: Callable[[], datetime] = _utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Verdict:
    """Read one data source's sync jobs (waiting if asked) and judge them, with the data source's own status
    (GetDataSource, read concurrently with the history) and, for a failing or document-failing sync, its failed
    documents. Never raises for service errors: what could not be read fails the gate with the reason (failed
    documents that cannot be read are said, and the verdict stands)."""
    began = monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        described = pool.submit(_describe, source)
        verdict = _judge_history(source, options, progress, deadline, now, monotonic, sleep)
        description, description_error = described.result()
    if options.wait and description is not None and description.get("status") != "ACTIVE":
        description, description_error = _describe(source)  # read before a wait: the status may have changed since
    # Whether the judged sync itself fails the gate, before the data source's own status is added to the reasons.
    sync_failed = not verdict.passed
    if description is None:
        verdict.reasons.append(f"could not read the data source itself: {description_error}")
        # A sync that already failed the gate was judged: its status is unknown, but the verdict stands. Only a
        # passing history (or one that could not be read either) leaves the gate unable to judge.
        if not sync_failed or verdict.read_error:
            verdict.read_error = "; ".join(error for error in (verdict.read_error, description_error) if error)
    else:
        verdict.data_source_status = description.get("status")
        name = description.get("displayName")
        if verdict.ref is not None and name and not verdict.ref.data_source_name:
            verdict.ref = replace(verdict.ref, data_source_name=name)  # messages name it "name (id)" from here on
        reason = data_source_reason(description)
        if reason is not None:
            verdict.reasons.insert(0, reason)
    if verdict.job is not None and _wants_failed_documents(verdict.job, sync_failed, options):
        named = DataSourceService(source.client, verdict.ref) if verdict.ref is not None else source
        reported = (verdict.job.get("metrics") or {}).get("documents_failed")
        # A newer sync still running is not the judged one: its own failures are left out.
        until = _start_of(verdict.running_job) if verdict.running_job is not None else None
        try:
            verdict.failed_documents = failed_documents_of(
                named, _start_of(verdict.job), options.show_failed_documents, reported if isinstance(reported, int) else None, until
            )
        except QBusinessError as e:
            verdict.failed_documents_error = str(e)
    verdict.elapsed = monotonic() - began
    return verdict


def _describe(source: DataSourceService) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    try:
        return source.get_data_source(), None
    except QBusinessError as e:
        return None, str(e)


def _wants_failed_documents(job: SyncJob, sync_failed: bool, options: GateOptions) -> bool:
    """Whether the judged sync's failed documents are worth their requests: it failed the gate or reports failed
    documents, it has ended, and it does not report that none failed (then there is nothing to find)."""
    if options.show_failed_documents <= 0 or job.get("status") in IN_PROGRESS_STATUSES:
        return False
    failed = (job.get("metrics") or {}).get("documents_failed")
    if failed == 0:
        return False
    return sync_failed or (isinstance(failed, int) and failed > 0)


def _start_of(job: SyncJob) -> Optional[datetime]:
    started = job.get("start_time")
    return datetime.fromisoformat(started) if isinstance(started, str) else None


def _judge_history(
    source: DataSourceService,
    options: GateOptions,
    progress: Optional[ProgressCallback],
    deadline: Optional[float],
    now: Callable[[], datetime],
    monotonic: Callable[[], float],
    sleep: Callable[[float], None],
) -> Verdict:
    """The verdict on the data source's sync history alone (waiting if asked)."""
    data_source_id = source.data_source_id
    read_at = now()  # one instant for max_age and the windows, so that a max_age of 1d is one window, not two
    # max_age is the gate's own window, read as list_recent_jobs reads its windows (whatever the service's filter means)
    since = None if options.max_age is None else read_at - options.max_age

    # Without wait, and with no in-progress status in fail_on, a running sync cannot change the verdict (the newest
    # finished one is judged): the reads of the in-progress statuses (register item 3) are saved then.
    need_running = options.wait or bool(options.fail_on & IN_PROGRESS_STATUSES)

    def read() -> List[ServiceJob]:
        return list_recent_jobs(source, enough=lambda jobs: _enough_to_judge(jobs, options), now=read_at, since=since, need_running=need_running)

    def report(job: ServiceJob, elapsed: float) -> None:
        if progress is not None:
            progress(source.label, normalize_job(job), elapsed)

    try:
        jobs, latest, timed_out = poll_jobs(
            read,
            latest_job,
            lambda job: options.wait and awaits_outcome(job, options),
            options.wait_timeout,
            options.wait_sleep,
            progress=report,
            deadline=deadline,
            monotonic=monotonic,
            sleep=sleep,
            # Polls read from the running job on: it and anything newer are all a verdict can need then.
            read_next=lambda running: list_jobs_from(source, running),
        )
        if timed_out:
            # Only a job still in progress keeps a wait going, so there is one.
            return Verdict(
                data_source_id, job=normalize_job(latest) if latest else None, reasons=[timeout_reason(latest, options.wait_timeout)], ref=source.ref
            )
        synced_before_window = True
        if not jobs and options.max_age is not None and options.allow_no_history:
            older, dummy = source.list_sync_jobs_and_token(max_results=1)  # one job is enough
            synced_before_window = bool(older)
    except QBusinessError as e:
        return Verdict(data_source_id, reasons=[f"could not read its sync history: {e}"], ref=source.ref, read_error=str(e))
    return judge(data_source_id, jobs, options, now(), synced_before_window, ref=source.ref)
