# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Watching the sync jobs of data sources: one synchronous poll at a time, returning what changed since the last.

Per data source the watcher keeps the syncs in progress it follows (their status), a bounded set of the jobs it saw
end, and the newest job seen. A job is *new* only if it started no earlier than the newest job seen before it
(or, before any job was seen, after the watcher started): an older job the watcher did not know (a listing that
held it late, or a whole read) is recorded silently. A poll reads each data source concurrently:

- nothing followed (the steady state): one ListDataSourceSyncJobs request (a page; more only past 10 jobs),
  time-filtered from the newest seen job's start (from the watcher's start before any job), with no one-day cap,
  so that a sync is reported when it ends however long it ran, also on a service whose time filter leaves running
  syncs out (docs/reliability.md, register item 3): that service shows it first when it has ended;
- while it follows a sync in progress: the core's ``list_jobs_from`` that sync: one request while the service lists
  it, one more per in-progress status asked (at most 3) when the time filter left it out, and the whole listing when
  neither holds it; a followed sync that a whole read lacks is no longer followed (logged);
- the first read of a data source, which records the state, is the core's usual newest-jobs read (up to 8 requests
  for a data source idle for over a year).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import OLDEST
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import latest_job
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import newest_first
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import WINDOW_MARGIN
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_jobs_from
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.listing import list_recent_jobs
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.names import NameResolver
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceRef
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import FINISHED
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import POLL_FAILED
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import STARTED
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import STATUS_CHANGED
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import Event
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.events import sync_job_event
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import WatchOptions

# The event source's logger (not __name__: the source logs under this name too).
LOGGER = logging.getLogger("qbusiness.ops.sync_jobs")
# How many ended execution IDs a data source remembers: far more than one read lists; an older one forgotten is
# older than the newest job seen, so it cannot be taken for new.
ENDED_REMEMBERED = 1000


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _started(job: ServiceJob) -> datetime:
    return start_time_of(job) or OLDEST


def _has_ended_job(jobs: List[ServiceJob]) -> bool:
    return any(not is_in_progress(job) for job in jobs)


@dataclass
class Poll:
    """What one poll found: the events, in order, and the errors of the reads that failed (for the log)."""

    events: List[Event] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


@dataclass
class _Followed:
    """One data source and what the watcher knows of it."""

    source: DataSourceService
    read_once: bool = False  # its first read succeeded
    running: Dict[Any, ServiceJob] = field(default_factory=dict)  # the syncs in progress it follows, by executionId
    ended: "OrderedDict[Any, None]" = field(default_factory=OrderedDict)  # the last ENDED_REMEMBERED ended IDs
    latest: Optional[ServiceJob] = None  # the newest job seen
    failures: int = 0  # failed polls in a row
    ever_failed: bool = False  # a read failed before the first one succeeded

    @property
    def ref(self) -> DataSourceRef:
        return self.source.ref

    def end(self, key: Any) -> None:
        self.running.pop(key, None)
        self.ended[key] = None
        self.ended.move_to_end(key)
        while len(self.ended) > ENDED_REMEMBERED:
            self.ended.popitem(last=False)


class SyncJobWatcher:
    """The state of the watched data sources between polls; :meth:`poll` reads them and returns the changes."""

    def __init__(self, client: Any, options: WatchOptions, now: Callable[[], datetime] = _utcnow) -> None:
        self.client = client
        self.options = options
        self.now = now
        self.started_at = now()  # jobs that start after it are news, even when the first reads fail
        self._followed: Optional[List[_Followed]] = None
        self.failures = 0  # failed name resolutions in a row (before any data source is known)

    @property
    def data_sources(self) -> List[DataSourceRef]:
        """The data sources watched (empty until the names are resolved)."""
        return [followed.ref for followed in self._followed or []]

    def poll(self) -> Poll:
        """Read every data source once (concurrently) and return the changes since the last poll; never raises for
        service errors. The first poll resolves the names (once) and records the state."""
        if self._followed is None:
            try:
                self._followed = self._resolve()
            except QBusinessError as e:
                return self._resolution_failed(str(e))
        results = run_concurrently(self._poll_one, self._followed)
        poll = Poll()
        for events, error in results:
            poll.events.extend(events)
            if error is not None:
                poll.errors.append(error)
        return poll

    def _resolve(self) -> List[_Followed]:
        resolver = NameResolver(self.client)  # one resolver: each listing is read at most once
        index = resolver.index_ref(self.options.index)
        refs = resolver.selected_data_sources(index, self.options.data_sources)
        try:
            refs = resolver.named_from_listing(index, refs)  # data sources given by ID get their names (one listing)
        except QBusinessError as e:  # a caller allowed to read sync jobs only: the events then carry no name
            LOGGER.warning("qbusiness.ops.sync_jobs: the data sources' names could not be read: %s", e)
        # After failed resolutions the first reads are late: what started since the watcher did is news (_change).
        return [_Followed(DataSourceService(self.client, ref), ever_failed=self.failures > 0) for ref in refs]

    def _resolution_failed(self, error: str) -> Poll:
        self.failures += 1
        poll = Poll(errors=[error])
        if self.failures == self.options.failures_before_event:
            given = self.options.index
            poll.events.append(sync_job_event(POLL_FAILED, given.application.id, given.index.id, None, None, error=error))
        return poll

    def _poll_one(self, followed: _Followed) -> Tuple[List[Event], Optional[str]]:
        try:
            jobs, whole = self._read(followed)
            events = self._changes(followed, jobs, whole)
        except Exception as e:  # pylint: disable=broad-except  # one bad data source must not drop the others' events
            error = str(e) if isinstance(e, QBusinessError) else f"{followed.ref.label}: {type(e).__name__}: {e}"
            followed.failures += 1
            followed.ever_failed = followed.ever_failed or not followed.read_once
            failed = []
            if followed.failures == self.options.failures_before_event:  # once per streak
                failed.append(self._event(POLL_FAILED, followed.ref, error=error))
            return failed, error
        followed.failures = 0
        return events, None

    def _read(self, followed: _Followed) -> Tuple[List[ServiceJob], bool]:
        """The jobs to compare, and whether they are the whole listing (which a followed sync then is not in)."""
        source = followed.source
        if not followed.read_once:
            wanted: Callable[[List[ServiceJob]], bool] = _has_ended_job if self.options.emit_existing else bool
            if followed.ever_failed:  # a late first read must reach back to the watcher's start (see _changes)

                def enough(jobs: List[ServiceJob]) -> bool:
                    return wanted(jobs) and any(_started(job) <= self.started_at for job in jobs)

                return list_recent_jobs(source, enough=enough, now=self.now()), False
            return list_recent_jobs(source, enough=wanted, now=self.now()), False
        if followed.running:
            anchor = newest_first(list(followed.running.values()))[-1]  # the oldest followed: every newer job too
            jobs = list_jobs_from(source, anchor)
            return jobs, anchor.get("executionId") not in {job.get("executionId") for job in jobs}
        since = _started(followed.latest) if followed.latest is not None else self.started_at
        jobs = source.list_all_sync_jobs(dict(startTime=since - WINDOW_MARGIN))
        return [job for job in jobs if _started(job) >= since - WINDOW_MARGIN], False

    def _changes(self, followed: _Followed, jobs: List[ServiceJob], whole: bool) -> List[Event]:
        """The events of one read (oldest job first), and the new state."""
        first = not followed.read_once
        newest_before = _started(followed.latest) if followed.latest is not None else self.started_at
        events: List[Event] = []
        for job in reversed(newest_first(jobs)):
            key = job.get("executionId")
            change = self._change(followed, job, first, newest_before)
            if change is not None:
                events.append(self._event(change, followed.ref, followed.running.get(key, {}).get("status"), job))
            if key in followed.ended:
                continue
            if is_in_progress(job):
                followed.running[key] = job
            else:
                followed.end(key)
        if first and self.options.emit_existing:
            ended = latest_job([job for job in jobs if not is_in_progress(job) and _started(job) < self.started_at])
            if ended is not None:
                events.append(self._event(FINISHED, followed.ref, None, ended))
        if whole:
            listed = {job.get("executionId") for job in jobs}
            for key in [key for key in followed.running if key not in listed]:
                LOGGER.warning("qbusiness.ops.sync_jobs: %s: sync %s is no longer listed; no longer followed", followed.ref.label, key)
                followed.running.pop(key)
        followed.read_once = True
        followed.latest = latest_job(jobs + ([followed.latest] if followed.latest is not None else []))
        return events

    def _change(self, followed: _Followed, job: ServiceJob, first: bool, newest_before: datetime) -> Optional[str]:
        """The change ``job`` is, or None (nothing to emit)."""
        key = job.get("executionId")
        if key in followed.ended:
            if is_in_progress(job):  # a stale read: an ended job does not start again
                LOGGER.info("qbusiness.ops.sync_jobs: %s: sync %s, already ended, listed as %s; ignored", followed.ref.label, key, job.get("status"))
            return None
        known = followed.running.get(key)
        if known is not None:
            if known.get("status") == job.get("status"):
                return None
            return STATUS_CHANGED if is_in_progress(job) else FINISHED
        if first:
            # The first read records the state; after failed first reads, what started since the watcher did is news.
            if not (followed.ever_failed and _started(job) > self.started_at):
                return None
        elif _started(job) < newest_before:
            return None  # an older job not seen before (listed late, or a whole read): recorded, not news
        return STARTED if is_in_progress(job) else FINISHED

    @staticmethod
    def _event(change: str, ref: DataSourceRef, previous_status: Optional[str] = None, job: Optional[ServiceJob] = None, error: Optional[str] = None) -> Event:
        return sync_job_event(change, ref.application_id, ref.index_id, ref.data_source_id, ref.data_source_name, previous_status, job, error)
