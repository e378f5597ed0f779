# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Starting and stopping syncs idempotently, and following the job until the service lists it or it ends.

* ``started``: a SYNCING or SYNCING_INDEXING sync is left alone and returned, unchanged; otherwise one
  is started. A STOPPING sync is waited for first (at most ``wait_timeout``), since the service starts
  no new sync before it has ended. A ConflictException from Start with a sync now in progress (one
  started elsewhere in between) is the same "already running" case; any other Conflict is an error.
* ``stopped``: a SYNCING or SYNCING_INDEXING sync is stopped; a STOPPING one is already being stopped;
  with none in progress nothing changes. A ConflictException from Stop (the sync ended in between)
  means nothing changed.
* Check mode sends no Start or Stop request and does not wait.
* With ``wait``, the job is polled until it reaches a final status; a job that ends FAILED is returned,
  not raised: judging it is the gate's work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from typing import Callable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import DEFAULT_WAIT_TIMEOUT
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import Job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_all_sync_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import poll_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import start_sync_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import stop_sync_job

SYNC_STATES = ("started", "stopped")


@dataclass
class SyncChange:
    """What ensure_sync did: whether it changed anything, and the job it concerns (as the service sent it)."""

    changed: bool
    execution_id: Optional[str] = None
    job: Optional[Job] = None
    timed_out: bool = False


def ensure_sync(
    client: Any,
    application_id: str,
    index_id: str,
    data_source_id: str,
    state: str,
    check_mode: bool = False,
    wait: bool = False,
    wait_timeout: int = DEFAULT_WAIT_TIMEOUT,
    wait_sleep: int = DEFAULT_WAIT_SLEEP,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncChange:
    """Bring the data source's sync to ``state`` (``started`` or ``stopped``); see the module docstring."""
    deadline = monotonic() + wait_timeout  # one budget for the whole call

    latest = latest_job(list_recent_jobs(client, application_id, index_id, data_source_id))

    def read_from(anchor: Optional[Job], followed_id: Optional[str] = None) -> List[Job]:
        # Any job followed from here on is the first read's newest job or started after it: read from there on.
        anchor = anchor or latest
        if anchor is None:
            return list_all_sync_jobs(client, application_id, index_id, data_source_id)
        return list_jobs_from(client, application_id, index_id, data_source_id, anchor, followed_id=followed_id)

    def follow(execution_id: str, until_finished: bool) -> Tuple[Optional[Job], bool]:
        """The job as now listed; with ``until_finished``, polled until it reaches a final status."""

        def by_execution_id(jobs: List[Job]) -> Optional[Job]:
            return next((job for job in jobs if job.get("executionId") == execution_id), None)

        def keep_waiting(job: Optional[Job]) -> bool:
            return until_finished and (job is None or is_in_progress(job))

        dummy, job, timed_out = poll_jobs(
            lambda: read_from(None, execution_id), by_execution_id, keep_waiting, wait_timeout, wait_sleep,
            read_next=lambda job: read_from(job, execution_id), deadline=deadline, monotonic=monotonic, sleep=sleep,
        )
        return job, timed_out

    if state == "started":
        if latest is not None and latest.get("status") == "STOPPING":
            if check_mode:
                return SyncChange(True, latest["executionId"], latest)
            # The service starts a new sync only once the stopping one has ended.
            latest, timed_out = follow(latest["executionId"], until_finished=True)
            if timed_out:
                return SyncChange(False, latest["executionId"] if latest else None, latest, timed_out=True)
        if is_in_progress(latest):
            change = SyncChange(False, latest["executionId"], latest)
        elif check_mode:
            return SyncChange(True)
        else:
            try:
                change = SyncChange(True, start_sync_job(client, application_id, index_id, data_source_id))
            except SyncConflict:
                # Usually a sync started elsewhere since our read: then it is the one to follow.
                running = latest_job(read_from(None))
                if not is_in_progress(running):
                    raise
                change = SyncChange(False, running["executionId"], running)
    else:
        if not is_in_progress(latest):
            return SyncChange(False)
        change = SyncChange(False, latest["executionId"], latest)
        if latest.get("status") != "STOPPING":
            if check_mode:
                return SyncChange(True, latest["executionId"], latest)
            change.changed = stop_sync_job(client, application_id, index_id, data_source_id)
    if check_mode:
        return change
    change.job, change.timed_out = follow(change.execution_id, until_finished=wait)
    return change
