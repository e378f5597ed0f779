# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Starting and stopping syncs idempotently, and following the job until the service lists it or it ends.

* ``started``: a sync already in progress (SYNCING, SYNCING_INDEXING, STOPPING) is left alone and
  returned, unchanged; otherwise one is started. A ConflictException from Start (a sync started
  elsewhere in between) is the same "already running" case, never an error.
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

from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import Job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils.sync_jobs import list_sync_jobs
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
    wait_timeout: int = 600,
    wait_sleep: int = 15,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncChange:
    """Bring the data source's sync to ``state`` (``started`` or ``stopped``); see the module docstring."""

    def read() -> List[Job]:
        jobs, dummy = list_sync_jobs(client, application_id, index_id, data_source_id)
        return jobs

    latest = latest_job(read())

    def read_from(anchor: Optional[Job]) -> List[Job]:
        # Any job followed from here on is the first read's newest job or started after it: read from there on.
        anchor = anchor or latest
        return list_jobs_from(client, application_id, index_id, data_source_id, anchor) if anchor is not None else read()

    if state == "started":
        if is_in_progress(latest):
            change = SyncChange(False, latest["executionId"], latest)
        elif check_mode:
            return SyncChange(True)
        else:
            execution_id = start_sync_job(client, application_id, index_id, data_source_id)
            if execution_id is None:
                running = latest_job(read_from(None))
                return SyncChange(False, running.get("executionId") if running else None, running)
            change = SyncChange(True, execution_id)
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

    def by_execution_id(jobs: List[Job]) -> Optional[Job]:
        return next((job for job in jobs if job.get("executionId") == change.execution_id), None)

    def keep_waiting(job: Optional[Job]) -> bool:
        # Without wait, one read shows the job as the service now lists it.
        return wait and (job is None or is_in_progress(job))

    dummy, change.job, change.timed_out = poll_jobs(
        lambda: read_from(None), by_execution_id, keep_waiting, wait_timeout, wait_sleep, read_next=read_from, monotonic=monotonic, sleep=sleep
    )
    return change
