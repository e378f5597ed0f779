# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Starting and stopping syncs idempotently, and following the job until the service lists it or it ends.

* ``started`` (:func:`ensure_sync_started`): a SYNCING or SYNCING_INDEXING sync is left alone and
  returned, unchanged; otherwise one is started. A STOPPING sync is waited for first (at most
  ``wait_timeout``), since the service starts no new sync before it has ended. A ConflictException from
  Start with a sync now in progress (one started elsewhere in between) is the same "already running"
  case; any other Conflict is an error.
* ``stopped`` (:func:`ensure_sync_stopped`): a SYNCING or SYNCING_INDEXING sync is stopped; a STOPPING
  one is already being stopped; with none in progress nothing changes. A ConflictException from Stop
  (the sync ended in between) means nothing changed.
* Check mode sends no Start or Stop request and does not wait.
* With ``wait``, the job is polled until it reaches a final status; a job that ends FAILED is returned,
  not raised: judging it is the gate's work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_SLEEP
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import DEFAULT_WAIT_TIMEOUT
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.waiting import poll_jobs


@dataclass
class SyncChange:
    """What an ``ensure_sync_<state>`` did: whether it changed anything, and the job it concerns (as the service sent it)."""

    changed: bool
    execution_id: Optional[str] = None
    job: Optional[ServiceJob] = None
    timed_out: bool = False


class _Follower:
    """The reads of one ``ensure_sync_<state>`` call: the data source's latest job first, then any job
    followed from there on (the first read's newest or a newer one), within one wait budget for the call."""

    def __init__(
        self,
        source: DataSourceService,
        wait_timeout: int,
        wait_sleep: int,
        monotonic: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.source = source
        self.wait_timeout = wait_timeout
        self.wait_sleep = wait_sleep
        self.monotonic = monotonic
        self.sleep = sleep
        self.deadline = monotonic() + wait_timeout  # one budget for the whole call
        self.latest = latest_job(list_recent_jobs(source))

    def read_from(self, anchor: Optional[ServiceJob] = None, followed_id: Optional[str] = None) -> List[ServiceJob]:
        """The jobs from ``anchor`` (default: the first read's latest job) on, or all of them if there was none."""
        anchor = anchor or self.latest
        if anchor is None:
            return self.source.list_all_sync_jobs()
        return list_jobs_from(self.source, anchor, followed_id=followed_id)

    def follow(self, execution_id: Optional[str], until_finished: bool) -> Tuple[Optional[ServiceJob], bool]:
        """The job as now listed; with ``until_finished``, polled until it reaches a final status. Also whether time ran out."""

        def by_execution_id(jobs: List[ServiceJob]) -> Optional[ServiceJob]:
            return next((job for job in jobs if job.get("executionId") == execution_id), None)

        def keep_waiting(job: Optional[ServiceJob]) -> bool:
            return until_finished and (job is None or is_in_progress(job))

        dummy, job, timed_out = poll_jobs(
            lambda: self.read_from(None, execution_id), by_execution_id, keep_waiting, self.wait_timeout, self.wait_sleep,
            read_next=lambda job: self.read_from(job, execution_id), deadline=self.deadline, monotonic=self.monotonic, sleep=self.sleep,
        )
        return job, timed_out

    def finish(self, change: SyncChange, wait: bool) -> SyncChange:
        """``change`` with its job as now listed (with ``wait``: as it ended, or as it was when time ran out)."""
        change.job, change.timed_out = self.follow(change.execution_id, until_finished=wait)
        return change


def _execution_id(job: Optional[ServiceJob]) -> Optional[str]:
    return job["executionId"] if job else None


def _start(follower: _Follower) -> SyncChange:
    """Start a sync; one started elsewhere since the first read (Start's ConflictException) is the one to follow."""
    try:
        return SyncChange(True, follower.source.start_sync_job())
    except SyncConflict:
        running = latest_job(follower.read_from(None))
        if running is None or not is_in_progress(running):
            raise
        return SyncChange(False, running["executionId"], running)


def ensure_sync_started(
    source: DataSourceService,
    check_mode: bool = False,
    wait: bool = False,
    wait_timeout: int = DEFAULT_WAIT_TIMEOUT,
    wait_sleep: int = DEFAULT_WAIT_SLEEP,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncChange:
    """A sync of the data source in progress: the running one, or a new one; see the module docstring."""
    follower = _Follower(source, wait_timeout, wait_sleep, monotonic, sleep)
    latest = follower.latest
    if latest is not None and latest.get("status") == "STOPPING":
        if check_mode:
            return SyncChange(True, latest["executionId"], latest)
        # The service starts a new sync only once the stopping one has ended.
        latest, timed_out = follower.follow(latest["executionId"], until_finished=True)
        if timed_out:
            return SyncChange(False, _execution_id(latest), latest, timed_out=True)
    if latest is not None and is_in_progress(latest):
        change = SyncChange(False, latest["executionId"], latest)
        return change if check_mode else follower.finish(change, wait)
    if check_mode:
        return SyncChange(True)
    return follower.finish(_start(follower), wait)


def ensure_sync_stopped(
    source: DataSourceService,
    check_mode: bool = False,
    wait: bool = False,
    wait_timeout: int = DEFAULT_WAIT_TIMEOUT,
    wait_sleep: int = DEFAULT_WAIT_SLEEP,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncChange:
    """No sync of the data source in progress but one being stopped; see the module docstring."""
    follower = _Follower(source, wait_timeout, wait_sleep, monotonic, sleep)
    latest = follower.latest
    if latest is None or not is_in_progress(latest):
        return SyncChange(False)
    if latest.get("status") == "STOPPING":
        change = SyncChange(False, latest["executionId"], latest)
    elif check_mode:
        return SyncChange(True, latest["executionId"], latest)
    else:
        change = SyncChange(source.stop_sync_job(), latest["executionId"], latest)
    return change if check_mode else follower.finish(change, wait)


# The module's ``state`` choices, each with the function that brings a sync to it.
ENSURE_SYNC_STATE: Dict[str, Callable[..., SyncChange]] = {"started": ensure_sync_started, "stopped": ensure_sync_stopped}
SYNC_STATES = tuple(ENSURE_SYNC_STATE)
