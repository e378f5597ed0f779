# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading only the part of a history that is needed: the newest jobs (windows of time), or the jobs from one on.

The API documents neither which time of a job the startTime/endTime filters compare, nor whether they
are inclusive, nor whether they keep syncs still in progress (docs/reliability.md, the register). The
reads here depend on none of it: a window is asked from a second before it starts and its jobs are kept
by their own start time, client-side; and a time-filtered read that shows no sync in progress also asks
for the in-progress statuses without a time filter (statusFilter is documented), once per call: at most
3 requests of one page, fewer once one of them finds the running sync.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import OLDEST
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import RUNNING_STATUSES_IN_ORDER
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import ServiceJob
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import is_in_progress
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.jobs import start_time_of
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.service import DataSourceService

# Read before a whole history, when only the newest jobs are needed (see list_recent_jobs).
RECENT_WINDOWS = (timedelta(days=1), timedelta(days=7), timedelta(days=30), timedelta(days=365))
# A window is asked from this much before it starts, so that an exclusive bound or one compared with a
# coarser time leaves out no job that started at its very start.
WINDOW_MARGIN = timedelta(seconds=1)


def _started_within(job: ServiceJob, since: Optional[datetime], until: Optional[datetime] = None) -> bool:
    started = start_time_of(job) or OLDEST
    return (since is None or started >= since) and (until is None or started <= until)


class _Reads:
    """The reads of one listing call with the caller's ``filters``, and the syncs in progress that a time filter may hide."""

    def __init__(self, source: DataSourceService, filters: Dict[str, Any], need_running: bool = True) -> None:
        self.source = source
        self.filters = filters
        self.need_running = need_running
        self._running: Optional[List[ServiceJob]] = None

    def running(self) -> List[ServiceJob]:
        """The jobs in progress that match the caller's status filter, asked without a time filter (once per call);
        kept when they started within the caller's startTime/endTime, read as start times."""
        if self._running is None:
            wanted = self.filters.get("statusFilter")
            jobs: List[ServiceJob] = []
            for status in RUNNING_STATUSES_IN_ORDER:
                if wanted is None or wanted == status:
                    jobs.extend(self.source.list_all_sync_jobs(dict(statusFilter=status)))
                if jobs:
                    break  # a data source runs one sync at a time: the rest cannot hold another
            self._running = [job for job in jobs if _started_within(job, self.filters.get("startTime"), self.filters.get("endTime"))]
        return self._running

    def read(self, request_filters: Dict[str, Any]) -> List[ServiceJob]:
        """The jobs the service lists for ``request_filters``; when they have a time filter and hold no job in
        progress, with the running jobs (:meth:`running`) it did not list."""
        jobs = self.source.list_all_sync_jobs(request_filters)
        timed = "startTime" in request_filters or "endTime" in request_filters
        if self.need_running and timed and not any(is_in_progress(job) for job in jobs):
            listed = {job.get("executionId") for job in jobs}
            jobs = jobs + [job for job in self.running() if job.get("executionId") not in listed]
        return jobs


def _ask_from(since: datetime, floor: Optional[datetime]) -> datetime:
    """The startTime to send for a window from ``since``: a margin earlier, but never before the caller's own startTime."""
    asked = since - WINDOW_MARGIN
    return max(asked, floor) if floor is not None else asked


def list_jobs_from(source: DataSourceService, anchor: ServiceJob, filters: Optional[Dict[str, Any]] = None) -> List[ServiceJob]:
    """The jobs that started no earlier than ``anchor`` (a job as the service sent it, a second of margin), ``anchor`` among them.

    Following one job (a poll while waiting) then costs a page or two instead of the whole history: the
    listing is narrowed with the service's startTime filter, a second before the anchor's start, and
    the in-progress syncs are added when the filter showed none (see the module docstring). Should the
    answer still miss the anchor (a service whose filter means something else again), the whole listing
    (with ``filters``) is read instead. A job started after the anchor that is missing from both is not
    listed yet (a service may list a started sync late): a later poll finds it.
    """
    filters = filters or {}
    started = start_time_of(anchor)
    if started is not None:
        since = started - WINDOW_MARGIN
        floor = filters.get("startTime")
        jobs = [job for job in _Reads(source, filters).read(dict(filters, startTime=max(since, floor) if floor else since)) if _started_within(job, since)]
        if anchor.get("executionId") in {job.get("executionId") for job in jobs}:
            return jobs
    return source.list_all_sync_jobs(filters)


def list_recent_jobs(
    source: DataSourceService,
    filters: Optional[Dict[str, Any]] = None,
    enough: Callable[[List[ServiceJob]], bool] = bool,
    now: Optional[datetime] = None,
    since: Optional[datetime] = None,
    need_running: bool = True,
) -> List[ServiceJob]:
    """The newest jobs that match ``filters``: enough of them for ``enough(jobs)``, not the whole history.

    ``need_running=False`` is for a caller whose answer no sync in progress can change (a gate that neither
    waits nor fails on an in-progress status): it saves the reads of the in-progress statuses, and a running
    sync is then in the answer only if the service's time filter lists it.

    The latest job of a data source that syncs hourly is in its last day; reading years of history for it
    costs a request per 10 jobs. So the listing is first narrowed to the last day, week, month and year,
    widening until ``enough`` holds of the jobs that started inside the window, and read whole only as a
    last resort. A job that started inside a window is newer than every job outside it, so the newest
    jobs of the window are the newest of all. ``since`` is the caller's own window (the gate's max_age):
    read like the others, and instead of the whole listing. The startTime/endTime of ``filters`` (a
    user's) are sent as given. See the module docstring for what this needs of the service: nothing
    beyond that a time filter lists every finished job that started inside it.
    """
    filters = filters or {}
    reads = _Reads(source, filters, need_running)
    floor = filters.get("startTime")
    ceiling = filters.get("endTime")
    now = now or datetime.now(timezone.utc)
    if since is not None and floor is not None and since <= floor:
        since = None  # the caller's own startTime is narrower: it bounds the reads as given
    for width in RECENT_WINDOWS:
        window_start = now - width
        if (since is not None and window_start <= since) or (floor is not None and window_start <= floor):
            break  # the caller's own window is no wider: read it
        if ceiling is not None and window_start > ceiling:
            continue  # nothing in this window can match
        jobs = reads.read(dict(filters, startTime=_ask_from(window_start, floor)))
        in_window = [job for job in jobs if _started_within(job, window_start)]
        if enough(in_window):
            return in_window
    if since is not None:
        return [job for job in reads.read(dict(filters, startTime=_ask_from(since, floor))) if _started_within(job, since)]
    return reads.read(filters)


def list_window(source: DataSourceService, since: datetime, until: datetime) -> List[ServiceJob]:
    """Every job that started in [``since``, ``until``]: one time-filtered listing, all its pages, nothing more.

    The service's startTime/endTime are sent a second wider than the window and the jobs are kept by their own
    start time, as the windows above do. Unlike them, no in-progress status is read besides: a caller that reports
    on a window (qbusiness_sync_report) reads one listing per data source, and a service whose time filter leaves
    running syncs out (register item 3) leaves them out of its window.
    """
    jobs = source.list_all_sync_jobs(dict(startTime=since - WINDOW_MARGIN, endTime=until + WINDOW_MARGIN))
    return [job for job in jobs if _started_within(job, since, until)]
