# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Starting and stopping syncs idempotently, and following the job until the service lists it or it ends.

* ``started`` (:func:`ensure_sync_started`): a SYNCING or SYNCING_INDEXING sync is left alone and
  returned, unchanged; otherwise one is started. A STOPPING sync is waited for first (at most
  ``wait_timeout``), since the service starts no new sync before it has ended. A ConflictException from
  Start with a sync now in progress (one started elsewhere in between) is the same "already running"
  case; any other Conflict is an error. A service that answers Start with 200 and the running sync's
  executionId instead: the module follows the executionId Start returned, and reports a change only if
  its first read did not list that job.
* ``stopped`` (:func:`ensure_sync_stopped`): a SYNCING or SYNCING_INDEXING sync is stopped; a STOPPING
  one is already being stopped; with none in progress nothing changes. A ConflictException from Stop
  is checked with a new read: no sync running (it ended in between) means nothing changed; a sync still
  SYNCING or SYNCING_INDEXING fails, saying the service refused to stop it. A Stop answered 200 after
  which the job is listed as ended SUCCEEDED, FAILED or INCOMPLETE had ended before it: nothing changed.
* The job Start returned is followed by its executionId: until the service lists it (a service may list
  a started sync late), ``wait`` keeps polling, and without ``wait`` no job is returned.
* A status none of the seven the collection knows is taken as finished (it cannot tell) with a warning.
* Check mode sends no Start or Stop request and does not wait.
* With ``wait``, the job is polled until it reaches a final status; a job that ends FAILED is returned,
  not raised: judging it is the gate's work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import SyncConflict
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_known_status
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import unknown_status_note
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
    warnings: List[str] = field(default_factory=list)
    noted: Set[str] = field(default_factory=set, repr=False)  # jobs already warned of

    def note_unknown_status(self, job: Optional[ServiceJob], taken_as: str) -> None:
        """Warn (once per job) of a job whose status the collection does not know, and of what it was taken for."""
        if job is not None and not is_known_status(job) and str(job.get("executionId")) not in self.noted:
            self.noted.add(str(job.get("executionId")))
            self.warnings.append(f"{unknown_status_note(job)}; {taken_as}")


# Ends a sync reaches by itself: seen right after a Stop the service accepted, the sync had ended before it.
# Not INCOMPLETE: AWS does not say what it means, and a service might end a stopped sync with it.
_ENDED_BY_ITSELF = ("SUCCEEDED", "FAILED")
_TAKEN_AS_FINISHED = "it is taken as finished, since the collection cannot tell whether it is still running"


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
        first_read = list_recent_jobs(source)
        self.latest = latest_job(first_read)
        self.listed_ids = {job.get("executionId") for job in first_read}
        self.first_sighting: Optional[ServiceJob] = None  # the followed job as the first read of follow() listed it

    def read_from(self, anchor: Optional[ServiceJob] = None) -> List[ServiceJob]:
        """The jobs from ``anchor`` (default: the first read's latest job) on, or all of them if there was none."""
        anchor = anchor or self.latest
        if anchor is None:
            return self.source.list_all_sync_jobs()
        return list_jobs_from(self.source, anchor)

    def follow(self, execution_id: Optional[str], until_finished: bool) -> Tuple[Optional[ServiceJob], bool]:
        """The job as now listed; with ``until_finished``, polled until it reaches a final status. Also whether time ran out."""

        sightings: List[Optional[ServiceJob]] = []

        def by_execution_id(jobs: List[ServiceJob]) -> Optional[ServiceJob]:
            sightings.append(next((job for job in jobs if job.get("executionId") == execution_id), None))
            return sightings[-1]

        def keep_waiting(job: Optional[ServiceJob]) -> bool:
            return until_finished and (job is None or is_in_progress(job))

        dummy, job, timed_out = poll_jobs(
            lambda: self.read_from(None),
            by_execution_id,
            keep_waiting,
            self.wait_timeout,
            self.wait_sleep,
            read_next=self.read_from,
            deadline=self.deadline,
            monotonic=self.monotonic,
            sleep=self.sleep,
        )
        self.first_sighting = sightings[0]
        return job, timed_out

    def finish(self, change: SyncChange, wait: bool) -> SyncChange:
        """``change`` with its job as now listed (with ``wait``: as it ended, or as it was when time ran out)."""
        change.job, change.timed_out = self.follow(change.execution_id, until_finished=wait)
        change.note_unknown_status(change.job, _TAKEN_AS_FINISHED)
        return change


def _execution_id(job: Optional[ServiceJob]) -> Optional[str]:
    return job["executionId"] if job else None


def _start(follower: _Follower) -> SyncChange:
    """Start a sync; one started elsewhere since the first read (Start's ConflictException) is the one to follow."""
    try:
        execution_id = follower.source.start_sync_job()
    except SyncConflict as conflict:
        running = latest_job(follower.read_from(None))
        if running is not None and is_in_progress(running):
            return SyncChange(False, running["executionId"], running)
        why = (
            unknown_status_note(running)
            if running is not None and not is_known_status(running)
            else "it lists no sync in progress (a service may list a sync started elsewhere a moment late: try again)"
        )
        raise SyncConflict(message=f"{conflict.message}: the service answered ConflictException, but {why}", exception=conflict.exception) from None
    # A service may answer 200 with the running sync's executionId rather than a ConflictException: a job the
    # first read listed was not started by this call.
    return SyncChange(execution_id not in follower.listed_ids, execution_id)


def _stop(follower: _Follower, running: ServiceJob) -> SyncChange:
    """Stop the running sync; Stop's ConflictException (no sync to stop) is checked with a new read."""
    try:
        follower.source.stop_sync_job()
    except SyncConflict as conflict:
        latest = latest_job(follower.read_from(None))
        if latest is not None and is_in_progress(latest) and latest.get("status") != "STOPPING":
            raise SyncConflict(
                message=f"{conflict.message}: the service refused to stop it (ConflictException), but sync {latest.get('executionId')} "
                f"is still {latest.get('status')}",
                exception=conflict.exception,
            ) from None
        followed = latest if latest is not None and is_in_progress(latest) else running  # stopping elsewhere, or ended
        return SyncChange(False, followed["executionId"], followed)
    return SyncChange(True, running["executionId"], running)


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
    change = SyncChange(True) if check_mode else follower.finish(_start(follower), wait)
    change.note_unknown_status(latest, f"{_TAKEN_AS_FINISHED}, so a new sync was {'to be ' if check_mode else ''}started")
    return change


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
        change = SyncChange(False)
        change.note_unknown_status(latest, f"{_TAKEN_AS_FINISHED}, and nothing was stopped")
        return change
    if latest.get("status") == "STOPPING":
        change = SyncChange(False, latest["executionId"], latest)
    elif check_mode:
        return SyncChange(True, latest["executionId"], latest)
    else:
        change = _stop(follower, latest)
    if check_mode:
        return change
    accepted = change.changed
    change = follower.finish(change, wait)
    sighting = follower.first_sighting
    if accepted and sighting is not None and sighting.get("status") in _ENDED_BY_ITSELF:
        # A service may answer 200 to a Stop with no sync in progress: this one had ended by itself.
        change.changed = False
    return change


# The module's ``state`` choices, each with the function that brings a sync to it.
ENSURE_SYNC_STATE: Dict[str, Callable[..., SyncChange]] = {"started": ensure_sync_started, "stopped": ensure_sync_stopped}
SYNC_STATES = tuple(ENSURE_SYNC_STATE)
