# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the gate reads: each data source's newest jobs (waiting if asked), for a verdict."""

from __future__ import annotations

import time
from datetime import datetime
from datetime import timezone
from typing import Callable
from typing import List
from typing import Optional
from typing import Sequence

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
    """Read one data source's sync jobs (waiting if asked) and judge them. Never raises for service errors:
    a data source whose history could not be read fails the gate with the reason."""
    data_source_id = source.data_source_id
    read_at = now()  # one instant for max_age and the windows, so that a max_age of 1d is one window, not two
    # max_age is the gate's own window, read as list_recent_jobs reads its windows (whatever the service's filter means)
    since = None if options.max_age is None else read_at - options.max_age

    # Without wait, and with no in-progress status in fail_on, a running sync cannot change the verdict (the newest
    # finished one is judged): the reads of the in-progress statuses (register item 3) are saved then.
    need_running = options.wait or bool(options.fail_on & IN_PROGRESS_STATUSES)

    def read() -> List[ServiceJob]:
        return list_recent_jobs(source, enough=lambda jobs: _enough_to_judge(jobs, options), now=read_at, since=since,
                                need_running=need_running)

    def report(job: ServiceJob, elapsed: float) -> None:
        if progress is not None:
            progress(source.label, normalize_job(job), elapsed)

    try:
        jobs, latest, timed_out = poll_jobs(
            read, latest_job, lambda job: options.wait and awaits_outcome(job, options), options.wait_timeout, options.wait_sleep,
            progress=report, deadline=deadline, monotonic=monotonic, sleep=sleep,
            # Polls read from the running job on: it and anything newer are all a verdict can need then.
            read_next=lambda running: list_jobs_from(source, running),
        )
        if timed_out:
            # Only a job still in progress keeps a wait going, so there is one.
            return Verdict(data_source_id, job=normalize_job(latest) if latest else None, reasons=[timeout_reason(latest, options.wait_timeout)],
                           ref=source.ref)
        synced_before_window = True
        if not jobs and options.max_age is not None and options.allow_no_history:
            older, dummy = source.list_sync_jobs_and_token(max_results=1)  # one job is enough
            synced_before_window = bool(older)
    except QBusinessError as e:
        return Verdict(data_source_id, reasons=[f"could not read its sync history: {e}"], ref=source.ref)
    return judge(data_source_id, jobs, options, now(), synced_before_window, ref=source.ref)
